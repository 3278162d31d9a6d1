#pragma once
/// \file task_farm.hpp
/// \brief Dynamic distribution of independent tasks over MPI ranks: rank 0 hands task numbers out in a given
/// order (e.g. largest first, so the tail is short) to whichever rank has room, every rank runs them on its own
/// compute threads, and each task's result (bytes) comes back to rank 0, which receives them in its MPI thread.
///
/// \par Protocol
/// A task message is its number (8 bytes): every rank knows the task list (each parsed the same command line),
/// so only numbers travel out and only results travel back. Each rank holds at most `threads + prefetch` tasks,
/// so a rank finishing a task finds the next one already queued. Waiting is a probe-and-sleep loop, never a
/// spinning blocking call, so an oversubscribed node (as CI's 3 ranks on 2 cores) keeps its cores for work.
///
/// \par Failure
/// `work` reports a task's expected failures inside its result bytes. An exception escaping `work` or `deliver`
/// is a failure of the rank: it prints `<program>: rank R: task T: <what>` on stderr and ends the whole job with
/// `MPI_Abort` (exit status 1 from mpirun), so no rank waits for it forever; a rank that dies outright is ended
/// by the launcher (mpirun, srun) the same way.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/mpi/environment.hpp"

namespace radiogenomics::mpi {

/// Options of `run_task_farm`.
struct farm_options {
    int threads = 1;             ///< tasks run at the same time on each rank (its compute threads)
    int prefetch = 1;            ///< tasks queued on a rank beyond its running ones
    bool root_works = true;      ///< rank 0 runs tasks too (its MPI thread keeps handing out); forced with 1 rank
    std::string program = "radiogenomics";  ///< prefix of the failure message
    std::function<void()> thread_start;     ///< called once on each compute thread before its first task
    std::chrono::microseconds poll{500};    ///< sleep of an idle MPI thread between probes
};

/// What the farm measured (filled on rank 0 for every rank; other ranks get their own entry only).
struct farm_rank_stats {
    double tasks = 0;            ///< tasks this rank ran
    double work_seconds = 0;     ///< summed over its compute threads
    double comm_seconds = 0;     ///< its MPI thread inside send/receive calls
    double deliver_seconds = 0;  ///< rank 0: inside `deliver` (e.g. writing a journal)
};
struct farm_stats {
    double wall_seconds = 0;
    std::vector<farm_rank_stats> ranks;
};

namespace detail {

enum farm_tag : int { tag_task = 7101, tag_result = 7102, tag_stop = 7103 };

/// The compute threads of one rank: a queue of task numbers in, (number, bytes) out.
class local_pool {
public:
    local_pool(int threads, const std::function<std::string(std::size_t)>& work,
               const std::function<void()>& thread_start)
    {
        for (int t = 0; t < threads; ++t) {
            m_threads.emplace_back([this, &work, &thread_start]() {
                if (thread_start) {
                    thread_start();
                }
                for (;;) {
                    std::size_t task = 0;
                    {
                        std::unique_lock<std::mutex> guard(m_lock);
                        m_ready.wait(guard, [this]() { return m_closed || !m_todo.empty(); });
                        if (m_todo.empty()) {
                            return;
                        }
                        task = m_todo.front();
                        m_todo.pop_front();
                    }
                    const auto start = std::chrono::steady_clock::now();
                    std::string bytes;
                    std::exception_ptr failure;
                    try {
                        bytes = work(task);
                    } catch (...) {
                        failure = std::current_exception();
                    }
                    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                    std::lock_guard<std::mutex> guard(m_lock);
                    m_work_seconds += seconds;
                    if (failure && !m_failure) {
                        m_failure = failure;
                        m_failed_task = task;
                    }
                    m_done.emplace_back(task, std::move(bytes));
                }
            });
        }
    }
    local_pool(const local_pool&) = delete;
    local_pool& operator=(const local_pool&) = delete;
    ~local_pool() { close(); }

    void push(std::size_t task)
    {
        {
            std::lock_guard<std::mutex> guard(m_lock);
            m_todo.push_back(task);
        }
        m_ready.notify_one();
    }
    /// Finished tasks since the last call; rethrows (as `std::exception_ptr` + task) a failure of `work`.
    std::vector<std::pair<std::size_t, std::string>> take_done(std::exception_ptr& failure, std::size_t& failed_task)
    {
        std::lock_guard<std::mutex> guard(m_lock);
        failure = m_failure;
        failed_task = m_failed_task;
        std::vector<std::pair<std::size_t, std::string>> out(std::make_move_iterator(m_done.begin()),
                                                             std::make_move_iterator(m_done.end()));
        m_done.clear();
        return out;
    }
    double work_seconds()
    {
        std::lock_guard<std::mutex> guard(m_lock);
        return m_work_seconds;
    }
    void close()
    {
        {
            std::lock_guard<std::mutex> guard(m_lock);
            m_closed = true;
        }
        m_ready.notify_all();
        for (auto& t : m_threads) {
            if (t.joinable()) {
                t.join();
            }
        }
    }

private:
    std::mutex m_lock;
    std::condition_variable m_ready;
    std::deque<std::size_t> m_todo;
    std::vector<std::pair<std::size_t, std::string>> m_done;
    std::exception_ptr m_failure;
    std::size_t m_failed_task = 0;
    double m_work_seconds = 0;
    bool m_closed = false;
    std::vector<std::thread> m_threads;
};

[[noreturn]] inline void fail_rank(const environment& env, const std::string& program, std::size_t task,
                                   std::exception_ptr failure)
{
    std::string what = "unknown error (a non-standard exception)";
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::cerr << (program + ": rank " + std::to_string(env.rank()) + ": task " + std::to_string(task) + ": " + what +
                  "; ending the MPI job\n")
              << std::flush;
    env.abort(1);
}

inline std::string encode_task(std::size_t task)
{
    std::string bytes(8, '\0');
    const auto value = static_cast<std::uint64_t>(task);
    std::memcpy(bytes.data(), &value, 8);
    return bytes;
}

inline std::size_t decode_task(const std::string& bytes)
{
    std::uint64_t value = 0;
    std::memcpy(&value, bytes.data(), std::min<std::size_t>(8, bytes.size()));
    return static_cast<std::size_t>(value);
}

}  // namespace detail

/// Runs the tasks listed in `order` (task numbers, handed out in that order) over every rank of `env`.
/// `work(task)` runs on any rank, on one of its `options.threads` compute threads, and returns the task's result
/// bytes; `deliver(task, bytes)` runs on rank 0's MPI thread once per finished task, in completion order, and
/// returns false to stop handing out further tasks (the running ones still finish and are delivered). Every rank
/// must call this with the same `order` and `options`; it returns on every rank once rank 0 has delivered the
/// last result. Statistics are filled on rank 0 for every rank.
inline farm_stats run_task_farm(const environment& env, const std::vector<std::size_t>& order,
                                const std::function<std::string(std::size_t)>& work,
                                const std::function<bool(std::size_t, std::string&&)>& deliver,
                                const farm_options& options = {})
{
    const auto start = std::chrono::steady_clock::now();
    const int size = env.size();
    const int threads = std::max(1, options.threads);
    const bool root_works = options.root_works || size == 1;
    farm_stats stats;
    farm_rank_stats mine;
    double comm = 0;
    const auto timed = [&comm](auto&& call) {
        const auto t0 = std::chrono::steady_clock::now();
        call();
        comm += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    const bool pool_here = env.rank() != 0 || root_works;
    detail::local_pool pool(pool_here ? threads : 0, work, options.thread_start);
    std::exception_ptr failure;
    std::size_t failed_task = 0;
    MPI_Status status;
    if (env.root()) {
        std::vector<int> in_flight(static_cast<std::size_t>(size), 0);
        std::vector<int> capacity(static_cast<std::size_t>(size), threads + std::max(0, options.prefetch));
        if (!root_works) {
            capacity[0] = 0;
        }
        std::vector<double> tasks_of(static_cast<std::size_t>(size), 0.0);
        std::size_t next = 0;
        bool stop = false;
        int running = 0;
        const auto receive = [&](std::size_t task, std::string&& bytes) {
            const auto t0 = std::chrono::steady_clock::now();
            bool keep_going = true;
            try {
                keep_going = deliver(task, std::move(bytes));
            } catch (...) {
                detail::fail_rank(env, options.program, task, std::current_exception());
            }
            mine.deliver_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (!keep_going) {
                stop = true;
            }
        };
        for (;;) {
            bool progressed = false;
            while (!stop && next < order.size()) {
                int best = -1;
                for (int r = 0; r < size; ++r) {  // the rank with the most free room, lowest first on ties
                    const int room = capacity[static_cast<std::size_t>(r)] - in_flight[static_cast<std::size_t>(r)];
                    if (room > 0 && (best < 0 || room > capacity[static_cast<std::size_t>(best)] -
                                                            in_flight[static_cast<std::size_t>(best)])) {
                        best = r;
                    }
                }
                if (best < 0) {
                    break;
                }
                const std::size_t task = order[next++];
                if (best == 0) {
                    pool.push(task);
                } else {
                    timed([&]() { detail::send_bytes(detail::encode_task(task), best, detail::tag_task); });
                }
                ++in_flight[static_cast<std::size_t>(best)];
                ++tasks_of[static_cast<std::size_t>(best)];
                ++running;
                progressed = true;
            }
            while (detail::message_waiting(MPI_ANY_SOURCE, detail::tag_result, status)) {
                std::string bytes;
                timed([&]() { bytes = detail::receive_bytes(status); });
                const std::size_t task = detail::decode_task(bytes);
                --in_flight[static_cast<std::size_t>(status.MPI_SOURCE)];
                --running;
                receive(task, bytes.substr(8));
                progressed = true;
            }
            for (auto& [task, bytes] : pool.take_done(failure, failed_task)) {
                if (failure) {
                    break;
                }
                --in_flight[0];
                --running;
                receive(task, std::move(bytes));
                progressed = true;
            }
            if (failure) {
                detail::fail_rank(env, options.program, failed_task, failure);
            }
            if (running == 0 && (stop || next >= order.size())) {
                break;
            }
            if (!progressed) {
                std::this_thread::sleep_for(options.poll);
            }
        }
        for (int r = 1; r < size; ++r) {
            timed([&]() { detail::send_bytes(std::string(), r, detail::tag_stop); });
        }
        mine.tasks = tasks_of[0];
        pool.close();
        mine.work_seconds = pool.work_seconds();
        mine.comm_seconds = comm;
        stats.ranks.assign(static_cast<std::size_t>(size), farm_rank_stats{});
        stats.ranks[0] = mine;
        for (int r = 1; r < size; ++r) {
            stats.ranks[static_cast<std::size_t>(r)].tasks = tasks_of[static_cast<std::size_t>(r)];
        }
    } else {
        bool stopping = false;
        int held = 0;
        for (;;) {
            bool progressed = false;
            while (detail::message_waiting(0, MPI_ANY_TAG, status)) {
                std::string bytes;
                timed([&]() { bytes = detail::receive_bytes(status); });
                if (status.MPI_TAG == detail::tag_stop) {
                    stopping = true;
                } else {
                    pool.push(detail::decode_task(bytes));
                    ++held;
                    ++mine.tasks;
                }
                progressed = true;
            }
            for (auto& [task, bytes] : pool.take_done(failure, failed_task)) {
                if (failure) {
                    break;
                }
                std::string message = detail::encode_task(task);
                message += bytes;
                timed([&]() { detail::send_bytes(message, 0, detail::tag_result); });
                --held;
                progressed = true;
            }
            if (failure) {
                detail::fail_rank(env, options.program, failed_task, failure);
            }
            if (stopping && held == 0) {
                break;
            }
            if (!progressed) {
                std::this_thread::sleep_for(options.poll);
            }
        }
        pool.close();
        mine.work_seconds = pool.work_seconds();
        mine.comm_seconds = comm;
        stats.ranks = {mine};
    }
    // every rank's own measurements to rank 0 (all ranks are past their last task message here)
    double own[3] = {mine.work_seconds, mine.comm_seconds, mine.tasks};
    std::vector<double> all(env.root() ? static_cast<std::size_t>(3 * size) : 0);
    MPI_Gather(own, 3, MPI_DOUBLE, env.root() ? all.data() : nullptr, 3, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (env.root()) {
        for (int r = 1; r < size; ++r) {
            auto& s = stats.ranks[static_cast<std::size_t>(r)];
            s.work_seconds = all[static_cast<std::size_t>(3 * r)];
            s.comm_seconds = all[static_cast<std::size_t>(3 * r + 1)];
        }
    }
    stats.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return stats;
}

}  // namespace radiogenomics::mpi
