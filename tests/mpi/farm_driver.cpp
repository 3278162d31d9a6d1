// mpi_farm_driver: the contract of mpi::run_task_farm, run by ctest under mpirun (tests/mpi/CMakeLists.txt).
//
//   mpi_farm_driver ok N      N tasks; task t returns t's decimal digits repeated t % 7 + 1 times (some results
//                             several kB, one empty). Rank 0 checks that every task was delivered exactly once
//                             with its own bytes, that every rank ran tasks, and prints "farm ok: N tasks".
//   mpi_farm_driver throw N   as ok, but task 5 throws on whichever rank runs it: the job must end (MPI_Abort)
//                             with "rank R: task 5: deliberate failure" on stderr instead of hanging.
// Exit status 0 when the checks pass (ok), 1 otherwise.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "radiogenomics/mpi.hpp"

namespace rm = radiogenomics::mpi;

namespace {

std::string expected_bytes(std::size_t t)
{
    std::string unit = std::to_string(t) + ";";
    std::string out;
    for (std::size_t k = 0; k < (t % 7 + 1) * (t % 5 == 0 ? 300 : 1); ++k) {
        out += unit;
    }
    return t == 3 ? std::string() : out;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: mpi_farm_driver ok|throw N\n";
        return 2;
    }
    const std::string mode = argv[1];
    const std::size_t n = std::stoul(argv[2]);
    rm::environment env;
    std::vector<std::size_t> order;
    for (std::size_t t = 0; t < n; ++t) {
        order.push_back(n - 1 - t);  // any order: the farm hands them out as listed
    }
    std::vector<int> seen(n, 0);
    bool bytes_ok = true;
    rm::farm_options options;
    options.threads = 2;
    options.program = "mpi_farm_driver";
    const auto stats = rm::run_task_farm(
        env, order,
        [&](std::size_t t) {
            if (mode == "throw" && t == 5) {
                throw std::runtime_error("deliberate failure");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let every rank take part
            return expected_bytes(t);
        },
        [&](std::size_t t, std::string&& bytes) {
            if (t >= n) {
                bytes_ok = false;
                return true;
            }
            ++seen[t];
            bytes_ok = bytes_ok && bytes == expected_bytes(t);
            return true;
        },
        options);
    if (!env.root()) {
        return 0;
    }
    bool ok = bytes_ok;
    for (std::size_t t = 0; t < n; ++t) {
        if (seen[t] != 1) {
            std::cerr << "task " << t << " delivered " << seen[t] << " times\n";
            ok = false;
        }
    }
    double tasks = 0;
    for (std::size_t r = 0; r < stats.ranks.size(); ++r) {
        tasks += stats.ranks[r].tasks;
        if (stats.ranks[r].tasks < 1) {
            std::cerr << "rank " << r << " ran no task\n";
            ok = false;
        }
    }
    if (tasks != static_cast<double>(n) || static_cast<int>(stats.ranks.size()) != env.size()) {
        std::cerr << "statistics: " << tasks << " tasks over " << stats.ranks.size() << " ranks\n";
        ok = false;
    }
    std::cout << (ok ? "farm ok: " : "farm FAILED: ") << n << " tasks, " << env.size() << " ranks\n";
    return ok ? 0 : 1;
}
