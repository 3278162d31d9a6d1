#pragma once
/// \file report_folder.hpp
/// \brief A report folder written in a private staging folder and moved into place at the end, which
/// never deletes or overwrites a file the program did not write.
///
/// The staging folder is a hidden sibling `.NAME.partial-<pid>-<n>` (unique: two runs writing the same
/// report do not collide). `commit()` moves its files into NAME together with `report_files.txt`, the
/// list of the files this program wrote. An existing NAME is accepted when it is empty or a previous
/// report (holds `report_files.txt`): replacing it removes only the files that list names. Any other
/// non-empty folder is refused, unless `force` is set; then the report is written beside the foreign
/// files, and a foreign file with the name of a report file stops the commit (it is never overwritten).
/// A folder that is not committed (an exception, a refused run) is removed with the folders the
/// constructor created for it, so a failed run leaves nothing behind.
///
/// A run killed outright (SIGKILL, power loss) cannot clean up: it leaves its staging folder. The next
/// run for the same NAME removes such stale folders: a sibling whose name is exactly
/// `.NAME.partial-<pid>-<n>`, that holds the marker file `.radiogenomics-staging` every staging folder
/// gets at creation, and whose process `<pid>` is no longer alive (`kill(pid, 0)` reports ESRCH). A
/// folder of a live process, one without the marker or with any other name is left alone.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/temporary_name.hpp"
#include "radiogenomics/io/atomic_file.hpp"

namespace radiogenomics::study {

/// Name of the list of written files inside a report folder.
inline constexpr const char* report_file_list_name = "report_files.txt";

/// Marker file inside every staging folder (removed before the folder becomes the report).
inline constexpr const char* staging_marker_name = ".radiogenomics-staging";

namespace detail {

/// The pid of a staging folder name `.<target>.partial-<pid>-<n>` (exactly: digits only), or 0 when
/// `name` is anything else.
inline long staging_pid(const std::string& name, const std::string& target)
{
    const std::string prefix = "." + target + ".partial-";
    if (target.empty() || name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
        return 0;
    }
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == rest.size() || dash > 18) {
        return 0;
    }
    for (std::size_t k = 0; k < rest.size(); ++k) {
        if (k != dash && !std::isdigit(static_cast<unsigned char>(rest[k]))) {
            return 0;
        }
    }
    const long pid = std::stol(rest.substr(0, dash));
    return pid > 0 ? pid : 0;
}

/// True when no process `pid` exists (a process we may not signal still exists).
inline bool process_gone(long pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

/// Removes the stale staging folders of `target` in `parent` (see the file comment); returns how many.
inline std::size_t remove_stale_staging(const std::filesystem::path& parent, const std::string& target)
{
    namespace fs = std::filesystem;
    std::size_t removed = 0;
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const long pid = staging_pid(it->path().filename().string(), target);
        if (pid != 0 && it->is_directory(ec) && !it->is_symlink(ec) &&
            fs::is_regular_file(fs::symlink_status(it->path() / staging_marker_name, ec)) && process_gone(pid)) {
            stale.push_back(it->path());
        }
    }
    for (const auto& p : stale) {
        if (fs::remove_all(p, ec) != static_cast<std::uintmax_t>(-1) && !ec) {
            ++removed;
        }
    }
    return removed;
}

/// The file names listed in `folder/report_files.txt` (empty when there is none). Names with a path
/// separator or "."/".." are ignored: the list can only name files directly inside the folder.
inline std::vector<std::string> read_report_file_list(const std::filesystem::path& folder)
{
    std::vector<std::string> names;
    std::ifstream in(folder / report_file_list_name);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || line[0] == '#' || line == "." || line == ".." ||
            line.find('/') != std::string::npos || line == report_file_list_name) {
            continue;
        }
        names.push_back(line);
    }
    return names;
}

inline std::string report_file_list_text(const std::vector<std::string>& names, const std::string& generator,
                                         bool complete)
{
    std::string text = "# Files written by " + generator + " in this folder, one per line.\n"
                       "# Replacing this report removes only these files; other files here are left alone.\n";
    if (!complete) {
        text += "# status: replacement in progress (interrupted if this line stays)\n";
    }
    for (const auto& n : names) {
        text += n + "\n";
    }
    return text;
}

}  // namespace detail

/// See the file comment.
class report_folder {
public:
    /// Checks `out_dir` and creates the staging folder. `where` prefixes error messages. Throws
    /// `invalid_argument` for a folder name that cannot be a report or a non-empty folder that is not a
    /// previous report (without `force`), `io_error` (with the operating system's reason) when the
    /// folders cannot be created.
    report_folder(const std::string& out_dir, bool force, const char* where) : m_where(where)
    {
        namespace fs = std::filesystem;
        fs::path target = fs::path(out_dir.empty() ? std::string("report") : out_dir).lexically_normal();
        if (target.filename().empty()) {
            target = target.parent_path();
        }
        if (target.empty() || target == "." || target == ".." || target.filename() == "..") {
            raise<invalid_argument>(where, "output folder: got '", out_dir, "', expected a folder name such as report/.");
        }
        m_target = target;
        std::error_code ec;
        const auto status = fs::status(m_target, ec);
        if (fs::exists(status)) {
            if (!fs::is_directory(status)) {
                raise<invalid_argument>(where, "output folder: got '", m_target.string(),
                                        "', which is an existing file, expected a folder. Choose another --out.");
            }
            const bool is_report = fs::exists(m_target / report_file_list_name);
            if (!is_report && !fs::is_empty(m_target, ec) && !force) {
                raise<invalid_argument>(where, "output folder: got '", m_target.string(), "', which holds files this "
                                        "program did not write (no ", report_file_list_name,
                                        "), expected a new folder, an empty one or a previous report. Choose another "
                                        "--out, or use --force to write the report beside those files (none of them "
                                        "is deleted or overwritten).");
            }
        }
        const fs::path parent = m_target.has_parent_path() ? m_target.parent_path() : fs::path(".");
        // Remember the folders created here, to remove them again if the run fails.
        for (fs::path p = parent; !p.empty() && p != "." && !fs::exists(p, ec); p = p.parent_path()) {
            m_created.push_back(p);
            if (!p.has_parent_path() || p.parent_path() == p) {
                break;
            }
        }
        fs::create_directories(parent, ec);
        if (ec) {
            cleanup();
            raise<io_error>(where, "output folder: cannot create '", parent.string(), "': ", ec.message(), ".");
        }
        m_stale_removed = detail::remove_stale_staging(parent, m_target.filename().string());
        for (int attempt = 0;; ++attempt) {
            const fs::path staging = parent / temporary_name("." + m_target.filename().string());
            if (fs::create_directory(staging, ec)) {
                m_staging = staging;
                std::ofstream marker(m_staging / staging_marker_name);
                marker << "radiogenomics report staging folder of process " << ::getpid() << "\n";
                if (!marker) {
                    cleanup();
                    raise<io_error>(where, "output folder: cannot write '", (staging / staging_marker_name).string(),
                                    "'.");
                }
                break;
            }
            if (ec || attempt > 100) {
                cleanup();
                raise<io_error>(where, "output folder: cannot create '", staging.string(), "': ",
                                ec ? ec.message() : std::string("it exists"), ".");
            }
        }
    }

    report_folder(const report_folder&) = delete;
    report_folder& operator=(const report_folder&) = delete;

    ~report_folder()
    {
        if (!m_committed) {
            cleanup();
        }
    }

    /// Path of `name` inside the staging folder (write there; `commit` moves it).
    std::string file(const std::string& name) const { return (m_staging / name).string(); }
    const std::filesystem::path& staging() const { return m_staging; }
    const std::filesystem::path& target() const { return m_target; }
    /// How many stale staging folders of killed runs the constructor removed.
    std::size_t stale_removed() const { return m_stale_removed; }

    /// Moves every file of the staging folder into the target folder and writes `report_files.txt`
    /// (`generator` names the program in it). Throws `io_error` when a foreign file has the name of a report
    /// file or a move fails; the staging folder is then removed by the destructor.
    void commit(const std::string& generator)
    {
        namespace fs = std::filesystem;
        std::vector<std::string> names;
        std::error_code ec;
        fs::remove(m_staging / staging_marker_name, ec);
        for (const auto& entry : fs::directory_iterator(m_staging)) {
            if (entry.path().filename() != report_file_list_name) {
                names.push_back(entry.path().filename().string());
            }
        }
        std::sort(names.begin(), names.end());
        if (!fs::exists(m_target, ec)) {
            io::write_file_atomic(file(report_file_list_name), detail::report_file_list_text(names, generator, true));
            fs::rename(m_staging, m_target, ec);
            if (!ec) {
                m_committed = true;
                m_created.clear();
                return;
            }
            if (fs::exists(m_target)) {
                // another run created it meanwhile: merge below
                fs::remove(file(report_file_list_name), ec);
            } else {
                raise<io_error>(m_where, "output folder: cannot rename '", m_staging.string(), "' to '",
                                m_target.string(), "': ", ec.message(), ".");
            }
        }
        const auto previous = detail::read_report_file_list(m_target);
        const std::set<std::string> ours(previous.begin(), previous.end());
        std::vector<std::string> clashes;
        for (const auto& n : names) {
            if (ours.count(n) == 0 && fs::exists(fs::symlink_status(m_target / n))) {
                clashes.push_back(n);
            }
        }
        if (!clashes.empty()) {
            std::string list;
            for (std::size_t i = 0; i < clashes.size() && i < 5; ++i) {
                list += (i ? ", " : "") + clashes[i];
            }
            raise<io_error>(m_where, "output folder: got '", m_target.string(), "' holding ", clashes.size(),
                            " file(s) this program did not write but would overwrite (", list,
                            clashes.size() > 5 ? ", ..." : "", "), expected none. Nothing was changed; choose "
                            "another --out or move those files.");
        }
        // The list covers old and new files until the end, so an interrupted replacement never leaves a file
        // of ours unlisted (or lists a foreign one).
        std::vector<std::string> all = previous;
        all.insert(all.end(), names.begin(), names.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        const std::string list_path = (m_target / report_file_list_name).string();
        io::write_file_atomic(list_path, detail::report_file_list_text(all, generator, false));
        const std::set<std::string> fresh(names.begin(), names.end());
        for (const auto& n : previous) {
            const auto s = fs::symlink_status(m_target / n, ec);
            if (fresh.count(n) == 0 && (fs::is_regular_file(s) || fs::is_symlink(s))) {
                fs::remove(m_target / n, ec);
            }
        }
        for (const auto& n : names) {
            fs::rename(m_staging / n, m_target / n, ec);
            if (ec) {
                raise<io_error>(m_where, "output folder: cannot move '", (m_staging / n).string(), "' to '",
                                (m_target / n).string(), "': ", ec.message(), ".");
            }
        }
        io::write_file_atomic(list_path, detail::report_file_list_text(names, generator, true));
        m_committed = true;
        m_created.clear();
        fs::remove_all(m_staging, ec);
    }

private:
    void cleanup() noexcept
    {
        std::error_code ec;
        if (!m_staging.empty()) {
            std::filesystem::remove_all(m_staging, ec);  // our own private folder
        }
        for (const auto& p : m_created) {  // deepest first; only if still empty
            if (std::filesystem::is_empty(p, ec)) {
                std::filesystem::remove(p, ec);
            }
        }
    }

    const char* m_where;
    std::filesystem::path m_target;
    std::filesystem::path m_staging;
    std::vector<std::filesystem::path> m_created;
    std::size_t m_stale_removed = 0;
    bool m_committed = false;
};

}  // namespace radiogenomics::study
