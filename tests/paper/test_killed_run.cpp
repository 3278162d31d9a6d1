// A reproduce_paper run killed with SIGKILL mid-run (issue 18): it leaves no output that looks complete,
// only its hidden staging folder, and the next run for the same folder removes that stale folder and
// succeeds; staging-like folders that are not provably stale (a live pid, no marker, another name) stay.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "radiogenomics/study/report_folder.hpp"

namespace fs = std::filesystem;
namespace rs = radiogenomics::study;

namespace {

fs::path killed_dir()
{
    const fs::path d = fs::temp_directory_path() / ("rg_test_killed_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

/// Starts `binary arguments...` with stdout/stderr to /dev/null; returns its pid.
pid_t spawn(const std::vector<std::string>& argv)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::FILE* null = std::fopen("/dev/null", "w");
        if (null != nullptr) {
            ::dup2(fileno(null), 1);
            ::dup2(fileno(null), 2);
        }
        std::vector<char*> args;
        for (const auto& a : argv) {
            args.push_back(const_cast<char*>(a.c_str()));
        }
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

/// Exit status of `pid` (waits), or 128 + signal when it was killed.
int wait_for(pid_t pid)
{
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::vector<std::string> staging_folders(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.rfind(".report.partial-", 0) == 0) {
            names.push_back(n);
        }
    }
    return names;
}

void make_folder(const fs::path& p, bool marker)
{
    fs::create_directories(p);
    std::ofstream(p / "metrics.csv") << "half,written\n";
    if (marker) {
        std::ofstream(p / rs::staging_marker_name) << "marker\n";
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(killed_run)

BOOST_AUTO_TEST_CASE(staging_names_are_matched_exactly)
{
    BOOST_TEST(rs::detail::staging_pid(".report.partial-123-4", "report") == 123);
    BOOST_TEST(rs::detail::staging_pid(".report.partial-123-4x", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid(".report.partial-123-", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid(".report.partial--4", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid(".report.partial-12a-4", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid(".other.partial-123-4", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid("report.partial-123-4", "report") == 0);
    BOOST_TEST(rs::detail::staging_pid(".report.partial-0-4", "report") == 0);
}

BOOST_AUTO_TEST_CASE(reproduce_paper_killed_then_rerun_cleans_up)
{
    const fs::path dir = killed_dir();
    const fs::path report = dir / "report";
    const std::string binary = RG_REPRODUCE_BINARY;
    // 1. A full small run (tens of seconds), killed as soon as its staging folder exists plus a little.
    const pid_t pid = spawn({binary, "--scale", "small", "-q", "--threads", "1", "--out", report.string()});
    BOOST_REQUIRE(pid > 0);
    const auto start = std::chrono::steady_clock::now();
    while (staging_folders(dir).empty() && std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    BOOST_REQUIRE(::kill(pid, SIGKILL) == 0);
    BOOST_TEST(wait_for(pid) == 128 + SIGKILL);
    // nothing that looks like a report: no NAME folder; the staging folder is hidden and carries the marker
    BOOST_TEST(!fs::exists(report));
    const auto left = staging_folders(dir);
    BOOST_REQUIRE(left.size() == 1u);
    BOOST_TEST(left[0].rfind(".report.partial-" + std::to_string(pid) + "-", 0) == 0u, left[0]);
    BOOST_TEST(fs::exists(dir / left[0] / rs::staging_marker_name));
    BOOST_TEST(!fs::exists(dir / left[0] / rs::report_file_list_name));

    // Decoys that must survive: a live process's folder (ours), no marker, a name that only looks alike.
    const std::string dead = std::to_string(pid);  // reaped above
    make_folder(dir / (".report.partial-" + std::to_string(::getpid()) + "-999"), true);
    make_folder(dir / (".report.partial-" + dead + "-998"), false);
    make_folder(dir / (".report.partial-" + dead + "-997.bak"), true);
    make_folder(dir / (".reportx.partial-" + dead + "-996"), true);

    // 2. The next run for the same folder removes the stale staging folder and succeeds.
    const pid_t again = spawn({binary, "--scale", "small", "--original-only", "--no-automatic", "--epochs", "2", "-q",
                               "--threads", "1", "--out", report.string()});
    BOOST_REQUIRE(again > 0);
    BOOST_TEST(wait_for(again) == 0);
    BOOST_TEST(fs::exists(report / "index.html"));
    BOOST_TEST(fs::exists(report / rs::report_file_list_name));
    BOOST_TEST(!fs::exists(report / rs::staging_marker_name));
    BOOST_TEST(!fs::exists(dir / left[0]), left[0] << " (stale) should be gone");
    BOOST_TEST(fs::exists(dir / (".report.partial-" + std::to_string(::getpid()) + "-999")));
    BOOST_TEST(fs::exists(dir / (".report.partial-" + dead + "-998")));
    BOOST_TEST(fs::exists(dir / (".report.partial-" + dead + "-997.bak")));
    BOOST_TEST(fs::exists(dir / (".reportx.partial-" + dead + "-996")));
    fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
