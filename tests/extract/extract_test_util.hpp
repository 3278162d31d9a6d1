#pragma once
// Shared helpers of test_extract: running the binary, temporary folders, small synthetic cases.
#include <sys/wait.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"

namespace rg_extract_test {

/// A fresh folder under the system temporary folder, removed at the end of the test.
struct temp_folder {
    std::filesystem::path path;
    explicit temp_folder(const std::string& name)
    {
        path = std::filesystem::temp_directory_path() /
               ("rg_extract_" + name + "_" + std::to_string(static_cast<long>(::getpid())));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_folder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_text(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Result of one run of radiomics_extract.
struct run_result {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

/// Runs `<binary> <arguments>` (arguments already quoted where needed); stdout and stderr go to files of
/// `folder`, so stderr is not a terminal.
inline run_result run_program(const std::string& binary, const std::string& arguments, const temp_folder& folder,
                              const std::string& shell_prefix = "")
{
    const std::string out = folder.file("stdout.txt");
    const std::string err = folder.file("stderr.txt");
    const std::string command = shell_prefix + quote(binary) + " " + arguments + " > " + quote(out) + " 2> " + quote(err);
    const int status = std::system(command.c_str());
    run_result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

/// Runs `radiomics_extract <arguments>`.
inline run_result run(const std::string& arguments, const temp_folder& folder)
{
    return run_program(RG_EXTRACT_BINARY, arguments, folder);
}

inline std::size_t line_count(const std::string& text)
{
    std::size_t n = 0;
    for (char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

/// A small synthetic case: a 24 x 20 x 12 float image (smooth ramp + pattern) and a 0/1 box mask.
struct small_case {
    radiogenomics::image<float, 3> img;
    radiogenomics::label_image<3> mask;
};

inline small_case make_small_case()
{
    radiogenomics::image_geometry<3> g({24, 20, 12}, {1.5, 1.5, 3.0}, {-10.0, 5.0, 2.0});
    small_case c{radiogenomics::image<float, 3>(g, 0.0f), radiogenomics::label_image<3>(g, 0)};
    for (std::size_t k = 0; k < 12; ++k) {
        for (std::size_t j = 0; j < 20; ++j) {
            for (std::size_t i = 0; i < 24; ++i) {
                c.img(i, j, k) = static_cast<float>(40.0 * i + 13.0 * j - 7.0 * k + 30.0 * ((i * 7 + j * 3 + k * 5) % 11));
                const bool inside = i >= 6 && i < 18 && j >= 5 && j < 15 && k >= 3 && k < 9;
                c.mask(i, j, k) = inside ? 1 : 0;
            }
        }
    }
    return c;
}

/// One bad input of a program: one line of a per-program table (see `check_cases`). In `arguments`,
/// `{dir}/` stands for the case folder (already quoted paths are not needed: it holds no spaces).
struct bad_input_case {
    std::string arguments;                     ///< command line after the program name
    int exit_code;                             ///< expected exit status
    std::string message;                       ///< fragment expected on stderr
    std::vector<std::string> must_exist{};     ///< files (relative to the folder) that must exist afterwards
    std::vector<std::string> must_not_exist{}; ///< files that must not exist afterwards
    std::string shell_prefix{};                ///< sh commands before the program (e.g. "ulimit -f 8;")
};

inline std::string expand(std::string text, const temp_folder& folder)
{
    const std::string key = "{dir}";
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
        text.replace(at, key.size(), folder.path.string());
    }
    return text;
}

/// Runs every case of `table` with `binary` in `folder` and checks: the exit status; the message fragment
/// on stderr; a failure is one last line naming the program ("<program>: ...", the only such line; progress
/// lines may precede it); stderr holds no carriage
/// return (it is not a terminal); the files that must (not) exist; no temporary `*.partial-*` left behind.
inline void check_cases(const std::string& binary, const std::vector<bad_input_case>& table, const temp_folder& folder)
{
    const std::string program = std::filesystem::path(binary).filename().string();
    for (const auto& c : table) {
        const auto r = run_program(binary, expand(c.arguments, folder), folder, c.shell_prefix);
        BOOST_TEST_CONTEXT(program << " " << c.arguments << "\n  -> exit " << r.exit_code << ", stderr: " << r.err)
        {
            BOOST_TEST(r.exit_code == c.exit_code);
            BOOST_TEST(r.err.find(c.message) != std::string::npos);
            if (c.exit_code != 0) {
                // the error is the last line, one line, "<program>: ..." (progress/info lines may precede it)
                const std::size_t end = r.err.empty() ? 0 : r.err.size() - 1;
                const std::size_t start = r.err.rfind('\n', end == 0 ? 0 : end - 1);
                const std::string last = r.err.substr(start == std::string::npos ? 0 : start + 1);
                BOOST_TEST(last.rfind(program + ": ", 0) == 0u, "last line: " << last);
                BOOST_TEST(last.find(c.message) != std::string::npos, "last line: " << last);
                BOOST_TEST(r.err.find(program + ": ") == (start == std::string::npos ? 0 : start + 1));
            }
            BOOST_TEST(r.err.find('\r') == std::string::npos);
            for (const auto& f : c.must_exist) {
                BOOST_TEST(std::filesystem::exists(expand(f, folder)), f << " must exist");
            }
            for (const auto& f : c.must_not_exist) {
                BOOST_TEST(!std::filesystem::exists(expand(f, folder)), f << " must not exist");
            }
            for (const auto& entry : std::filesystem::recursive_directory_iterator(folder.path)) {
                BOOST_TEST(entry.path().filename().string().find(".partial") == std::string::npos,
                           entry.path() << " left behind");
            }
        }
    }
}

}  // namespace rg_extract_test
