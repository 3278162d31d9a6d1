#pragma once
/// \file distributed_batch.hpp
/// \brief radiomics_extract's batch over MPI ranks (`mpirun -np N radiomics_extract CASES.csv -o OUT.csv`) and
/// its restartable form (`--resume`: a journal beside the output), with the output byte for byte that of one
/// process.
///
/// \par How a run goes (SPMD)
/// Every rank parses the same command line, parameter file and batch CSV; ranks other than 0 keep what they
/// print during that setup to themselves, so bad input is reported once, by rank 0. The ranks then meet
/// (`detail::agree`): if every rank reached the batch, rank 0 hands case numbers out, largest image first
/// (bytes on disk), through `mpi::run_task_farm`; each rank extracts with its own `--jobs` threads and sends the
/// serialised `case_result` back; rank 0 keeps rows only (no images) and assembles the table exactly as
/// `run_batch`'s results would be (row i = case i; each case's values do not depend on where it ran). If some
/// rank stopped before the batch, rank 0 says which and why, and every rank stops.
///
/// \par Journal (`--resume`)
/// `OUT.journal` (`io::record_journal`): one record per finished case (its number and serialised result),
/// appended and fsync'd by rank 0 as the case arrives, keyed by the program version, the parameters and the
/// cases. A run with `--resume` reads it, skips the cases it holds (an incomplete last record, from a kill
/// during the write, is cut off) and runs the rest; the journal is deleted once the output is written. So a job
/// SIGKILLed at any moment and rerun with `--resume` loses no case, runs none twice into the output, and writes
/// the same bytes as an uninterrupted run. Works with or without MPI.
///
/// \par Exit status
/// Rank 0's status is the job's (other ranks end with 0 after a failure rank 0 reported): as one process for bad
/// input (2), a failing single case or `--strict` case (1) and the output file (3). A journal that cannot be
/// written, or a rank that fails outside a case, ends the job with 1 (`MPI_Abort` under mpirun).
///
/// \par Without mpirun
/// Without a launcher (and in a build without MPI) nothing here starts MPI, and without `--resume` the batch
/// goes through `run_batch` unchanged.

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/io/record_journal.hpp"
#include "batch_runner.hpp"
#include "cli.hpp"
#include "sha1.hpp"

#if defined(RG_HAVE_MPI)
#include "radiogenomics/mpi/environment.hpp"
#include "radiogenomics/mpi/task_farm.hpp"
#endif

namespace radiogenomics::pyradiomics {

/// `--resume` and what the run keeps between the batch and the end of `run`.
struct distributed_options {
    bool resume = false;
    std::shared_ptr<io::record_journal> journal;  ///< open while the run writes it (rank 0)
};

namespace detail {

/// The MPI side of this process (one per process, as MPI itself).
struct distributed_session {
    bool active = false;   ///< started by a launcher with more than one rank
    bool met = false;      ///< this rank took part in the meeting before the batch
    int rank = 0;
    int size = 1;
    std::string program = "radiomics_extract";
    std::ostringstream captured_err;  ///< ranks > 0: what setup printed on stderr
    std::ostringstream captured_out;
    std::streambuf* real_err = nullptr;  ///< ranks > 0: stderr, given back when the batch starts
#if defined(RG_HAVE_MPI)
    const mpi::environment* env = nullptr;
#endif
};

inline distributed_session& session()
{
    static distributed_session s;
    return s;
}

// --- serialised case_result: u32 lengths and raw doubles (bit-exact), host byte order ---------------------
inline void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
inline void put_text(std::string& out, const std::string& text)
{
    put_u32(out, static_cast<std::uint32_t>(text.size()));
    out += text;
}

struct byte_reader {
    std::string_view bytes;
    std::size_t at = 0;
    void need(std::size_t n) const
    {
        if (bytes.size() - at < n) {
            raise<io_error>("pyradiomics.decode_case_result", "a journal or MPI record ends early: got ", bytes.size(),
                            " bytes, expected more than ", at + n - 1, ".");
        }
    }
    std::uint32_t u32()
    {
        need(4);
        std::uint32_t v = 0;
        std::memcpy(&v, bytes.data() + at, 4);
        at += 4;
        return v;
    }
    std::uint64_t u64()
    {
        need(8);
        std::uint64_t v = 0;
        std::memcpy(&v, bytes.data() + at, 8);
        at += 8;
        return v;
    }
    double f64()
    {
        need(8);
        double v = 0;
        std::memcpy(&v, bytes.data() + at, 8);
        at += 8;
        return v;
    }
    std::string text()
    {
        const std::uint32_t n = u32();
        need(n);
        std::string out(bytes.data() + at, n);
        at += n;
        return out;
    }
};

}  // namespace detail

/// One case's result as bytes (error text, diagnostics, feature names and the doubles' bits).
inline std::string encode_case_result(const case_result& r)
{
    std::string out;
    detail::put_text(out, r.error);
    detail::put_u32(out, static_cast<std::uint32_t>(r.output.diagnostics.size()));
    for (const auto& [name, value] : r.output.diagnostics) {
        detail::put_text(out, name);
        detail::put_text(out, value);
    }
    detail::put_u32(out, static_cast<std::uint32_t>(r.output.features.size()));
    for (const auto& f : r.output.features) {
        detail::put_text(out, f.name);
        out.append(reinterpret_cast<const char*>(&f.value), sizeof(double));
    }
    return out;
}

/// The inverse of `encode_case_result`; throws `io_error` on a record that ends early.
inline case_result decode_case_result(std::string_view bytes)
{
    detail::byte_reader in{bytes};
    case_result r;
    r.error = in.text();
    r.output.diagnostics.resize(in.u32());
    for (auto& [name, value] : r.output.diagnostics) {
        name = in.text();
        value = in.text();
    }
    r.output.features.resize(in.u32());
    for (auto& f : r.output.features) {
        f.name = in.text();
        f.value = in.f64();
    }
    return r;
}

/// The journal's key: program version, the parameters as parsed, and every case (paths, label, segment, PET
/// options, the image's and mask's sizes on disk). A journal written for anything else is refused.
inline std::string batch_journal_key(const std::vector<case_input>& cases, const parameter_set& params)
{
    std::string text = std::string("radiomics_extract ") + radiogenomics::version_string + "\n";
    text += params.settings_json.dump() + "\n" + params.image_types_json.dump() + "\n";
    text += "label " + std::to_string(params.setting.label) + "\n";
    for (const auto& c : params.classes) {
        text += "class " + std::to_string(static_cast<int>(c.which));
        for (const auto& n : c.names) {
            text += " " + n;
        }
        text += "\n";
    }
    for (const auto& c : cases) {
        std::error_code ignored;
        const auto image_size = std::filesystem::is_regular_file(c.image, ignored)
                                    ? static_cast<long long>(std::filesystem::file_size(c.image, ignored)) : -1LL;
        const auto mask_size = std::filesystem::is_regular_file(c.mask, ignored)
                                   ? static_cast<long long>(std::filesystem::file_size(c.mask, ignored)) : -1LL;
        text += c.image + "\n" + c.mask + "\n" + (c.label ? std::to_string(*c.label) : "-") + " " + c.segment + " " +
                std::to_string(c.pet.type ? static_cast<int>(*c.pet.type) : -1) + " " + std::to_string(image_size) +
                " " + std::to_string(mask_size) + "\n";
    }
    return "radiomics_extract batch v1 " + sha1_hex(text.data(), text.size());
}

/// Bytes on disk of an image (a file, or the files of a DICOM series folder): the hand-out order's weight.
inline std::uintmax_t input_bytes(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        std::uintmax_t total = 0;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
            if (entry.is_regular_file(ec)) {
                total += entry.file_size(ec);
            }
        }
        return total;
    }
    const auto size = std::filesystem::file_size(path, ec);
    return ec ? 0 : size;
}

/// Case numbers by decreasing image size (ties: batch order), so the longest cases start first.
inline std::vector<std::size_t> largest_first(const std::vector<case_input>& cases, const std::vector<bool>& done)
{
    std::vector<std::pair<std::uintmax_t, std::size_t>> sized;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        if (!done[i]) {
            sized.emplace_back(input_bytes(cases[i].image), i);
        }
    }
    std::stable_sort(sized.begin(), sized.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<std::size_t> order;
    for (const auto& s : sized) {
        order.push_back(s.second);
    }
    return order;
}

/// Adds `--resume` to the command line; refuses it without `-o` and refuses `--mode voxel` under mpirun.
inline void add_distributed_options(CLI::App& app, distributed_options& options)
{
    app.add_flag("--resume", options.resume,
                 "Keep a journal OUT.journal beside the -o output (one fsync'd record per finished case) and continue "
                 "from it if it exists: a job killed at any moment (node lost, time limit) and rerun with --resume "
                 "skips the finished cases and writes the same output as an uninterrupted run. Also under mpirun.");
    app.parse_complete_callback([&app, &options]() {
        const auto* out = app.get_option_no_throw("--out");
        if (options.resume && (out == nullptr || out->count() == 0)) {
            throw CLI::ValidationError("--resume", "needs -o FILE: the journal is kept beside the output file");
        }
        const auto* mode = app.get_option_no_throw("--mode");
        const bool voxel = mode != nullptr && mode->count() > 0 && mode->as<std::string>() == "voxel";
        if (voxel && options.resume) {
            throw CLI::ValidationError("--resume", "applies to segment mode, not --mode voxel");
        }
        if (voxel && detail::session().active) {
            throw CLI::ValidationError("--mode voxel", "runs in one process: run it without mpirun (or with -np 1)");
        }
    });
}

namespace detail {

/// Runs `work` for every case of `order` on `jobs` local threads; `deliver` (under a lock, one at a time) gets
/// each result and returns false to stop starting cases.
inline void run_local(const std::vector<std::size_t>& order, int jobs,
                      const std::function<std::string(std::size_t)>& work,
                      const std::function<bool(std::size_t, std::string&&)>& deliver,
                      const std::function<void()>& thread_start)
{
    std::size_t next = 0;
    bool stop = false;
    std::exception_ptr failure;  // e.g. the journal could not be written: the first one ends the run
    std::mutex lock;
    const auto worker = [&]() {
        if (thread_start) {
            thread_start();
        }
        for (;;) {
            std::size_t task = 0;
            {
                std::lock_guard<std::mutex> guard(lock);
                if (stop || next >= order.size()) {
                    return;
                }
                task = order[next++];
            }
            try {
                std::string bytes = work(task);
                std::lock_guard<std::mutex> guard(lock);
                if (!deliver(task, std::move(bytes))) {
                    stop = true;
                }
            } catch (...) {
                std::lock_guard<std::mutex> guard(lock);
                if (!failure) {
                    failure = std::current_exception();
                }
                stop = true;
            }
        }
    };
    if (jobs <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < jobs; ++t) {
            pool.emplace_back(worker);
        }
        for (auto& t : pool) {
            t.join();
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

/// The meeting before the batch (every rank calls it exactly once: in the batch with `status` -1 "ready", or
/// at the end of `distributed_main` with its exit status when it stopped earlier). Returns true when every rank
/// is ready. Rank 0 prints, once, why other ranks stopped when it was ready itself.
inline bool agree(int status)
{
#if defined(RG_HAVE_MPI)
    auto& s = session();
    s.met = true;
    const int tag_status = 7201;
    const int tag_decision = 7202;
    MPI_Status probe;
    if (s.rank != 0) {
        std::string message(reinterpret_cast<const char*>(&status), sizeof(int));
        message += s.captured_err.str();
        mpi::detail::send_bytes(message, 0, tag_status);
        return mpi::detail::wait_bytes(0, tag_decision, probe) == "go";
    }
    bool all_ready = status == -1;
    std::vector<std::string> stopped;
    for (int r = 1; r < s.size; ++r) {
        const std::string message = mpi::detail::wait_bytes(MPI_ANY_SOURCE, tag_status, probe);
        int other = 0;
        std::memcpy(&other, message.data(), sizeof(int));
        if (other != -1) {
            all_ready = false;
            stopped.push_back("rank " + std::to_string(probe.MPI_SOURCE) + " stopped before the batch (status " +
                              std::to_string(other) + "): " + one_line(message.substr(sizeof(int))));
        }
    }
    for (int r = 1; r < s.size; ++r) {
        mpi::detail::send_bytes(all_ready ? "go" : "stop", r, tag_decision);
    }
    if (status == -1 && !all_ready) {
        std::string text;
        for (const auto& line : stopped) {
            text += (text.empty() ? "" : "; ") + line;
        }
        raise<error>("pyradiomics.run_batch_distributed", text, " Nothing was extracted: every rank must read the "
                     "same inputs (a shared file system).");
    }
    return all_ready;
#else
    static_cast<void>(status);
    return true;
#endif
}

}  // namespace detail

/// `run_batch` over MPI ranks and/or with a journal (`--resume`); exactly `run_batch` otherwise. Returns the
/// results (row i = case i) on rank 0, nothing on the other ranks (they have no output to write).
inline std::optional<std::vector<case_result>> run_batch_distributed(const std::vector<case_input>& cases,
                                                                     const parameter_set& params,
                                                                     const batch_options& options,
                                                                     distributed_options& distributed,
                                                                     const std::string& out)
{
    auto& s = detail::session();
    if (!s.active && !distributed.resume) {
        return run_batch(cases, params, options);
    }
    const bool root = s.rank == 0;
    std::vector<case_result> results;
    std::vector<bool> done(cases.size(), false);
    std::vector<std::size_t> order;
    std::size_t done_count = 0;
    std::size_t failed_count = 0;
    if (root) {
        results.resize(cases.size());
        try {
            if (distributed.resume) {
                distributed.journal = std::make_shared<io::record_journal>(out + ".journal",
                                                                           batch_journal_key(cases, params));
                for (const auto& record : distributed.journal->records()) {
                    detail::byte_reader in{record};
                    const auto i = static_cast<std::size_t>(in.u64());
                    if (i >= cases.size() || done[i]) {
                        continue;  // cannot happen with a matching key; a repeated case keeps its first record
                    }
                    results[i] = decode_case_result(std::string_view(record).substr(8));
                    done[i] = true;
                    ++done_count;
                    failed_count += results[i].ok() ? 0 : 1;
                }
                if (options.progress && (done_count > 0 || distributed.journal->dropped_bytes() > 0)) {
                    std::cerr << s.program << ": resuming from " << distributed.journal->path() << ": " << done_count
                              << " of " << cases.size() << " cases done"
                              << (distributed.journal->dropped_bytes() > 0
                                      ? ", an incomplete last record (" +
                                            std::to_string(distributed.journal->dropped_bytes()) + " bytes) dropped"
                                      : std::string())
                              << "\n";
                }
            }
            order = largest_first(cases, done);
        } catch (...) {
            if (s.active) {
                detail::agree(1);  // tell the others to stop, then report this rank's error
            }
            throw;
        }
    }
    if (s.active && !detail::agree(-1)) {
        return std::nullopt;  // rank 0 stopped before the batch and said why
    }
    if (s.active && !root && s.real_err != nullptr) {
        std::cerr.rdbuf(s.real_err);  // the cases' warnings are shown, as one process shows them
    }
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(cases.size(), 1))));
    const int threads_per_case = std::max(1, max_threads() / jobs);
    const auto thread_start = [jobs, threads_per_case]() {
        if (jobs > 1) {
            set_num_threads(threads_per_case);
        }
    };
    const auto work = [&](std::size_t i) {
        case_result r;
        try {
            r.output = run_case(cases[i], params);
        } catch (const std::exception& e) {  // as run_batch: the case's error row
            r.error = one_line(e.what());
            if (r.error.empty()) {
                r.error = "unknown error";
            }
        }
        return encode_case_result(r);
    };
    if (root && options.progress && done_count > 0) {
        options.progress(done_count, failed_count, cases.size());
    }
    const auto deliver = [&](std::size_t i, std::string&& bytes) {
        results[i] = decode_case_result(bytes);
        if (distributed.journal) {
            std::string record(8, '\0');
            const auto index = static_cast<std::uint64_t>(i);
            std::memcpy(record.data(), &index, 8);
            record += bytes;
            distributed.journal->append(record);
        }
        ++done_count;
        const bool failed = !results[i].ok();
        failed_count += failed ? 1 : 0;
        if (options.progress) {
            options.progress(done_count, failed_count, cases.size());
        }
        return !(failed && options.strict);
    };
#if defined(RG_HAVE_MPI)
    if (s.active) {
        mpi::farm_options farm;
        farm.threads = jobs;
        farm.program = s.program;
        farm.thread_start = thread_start;
        // ranks > 0 know the cases but not the order (only rank 0 looked at sizes): they only need its length
        std::vector<std::size_t> handout = root ? order : std::vector<std::size_t>();
        const auto stats = mpi::run_task_farm(*s.env, handout, work, deliver, farm);
        if (!root) {
            return std::nullopt;
        }
        if (options.progress) {  // where the time went, for the job's log (not with -q)
            struct rusage usage {};
            ::getrusage(RUSAGE_SELF, &usage);
            std::ostringstream line;
            line.setf(std::ios::fixed);
            line.precision(2);
            line << s.program << ": " << s.size << " ranks ran " << order.size() << " cases in " << stats.wall_seconds
                 << " s; rank 0 peak memory " << usage.ru_maxrss / 1024 << " MB, writing the journal "
                 << stats.ranks[0].deliver_seconds << " s;";
            for (std::size_t r = 0; r < stats.ranks.size(); ++r) {
                line << " rank " << r << ": " << static_cast<long>(stats.ranks[r].tasks) << " cases, extracting " << stats.ranks[r].work_seconds
                     << " s, MPI " << stats.ranks[r].comm_seconds << " s" << (r + 1 < stats.ranks.size() ? ";" : "\n");
            }
            std::cerr << line.str() << std::flush;
        }
        return results;
    }
#endif
    detail::run_local(order, jobs, work, deliver, thread_start);
    return results;
}

/// After the output was written: deletes the journal (its job is complete).
inline void finish_distributed(distributed_options& distributed)
{
    if (distributed.journal) {
        distributed.journal->remove();
        distributed.journal.reset();
    }
}

/// `rg_cli::guarded_main` that also runs under an MPI launcher: starts MPI when launched with more than one rank,
/// keeps ranks > 0 quiet during setup, and makes every rank that stops before the batch meet the others, so
/// none waits forever. Alone (or in a build without MPI) it is `rg_cli::guarded_main`.
inline int distributed_main(const char* program, int argc, char** argv, int (*body)(int, char**))
{
#if defined(RG_HAVE_MPI)
    if (!mpi::launched_by_mpi()) {
        return rg_cli::guarded_main(program, argc, argv, body);
    }
    std::optional<mpi::environment> env;
    try {
        env.emplace();
    } catch (const std::exception& e) {
        return rg_cli::report_error(program, e);
    }
    if (env->size() == 1) {
        return rg_cli::guarded_main(program, argc, argv, body);
    }
    auto& s = detail::session();
    s.active = true;
    s.rank = env->rank();
    s.size = env->size();
    s.program = program;
    s.env = &*env;
    std::streambuf* err = std::cerr.rdbuf();
    std::streambuf* out = std::cout.rdbuf();
    if (s.rank != 0) {
        s.real_err = err;
        std::cerr.rdbuf(s.captured_err.rdbuf());
        std::cout.rdbuf(s.captured_out.rdbuf());
    }
    int status = rg_cli::guarded_main(program, argc, argv, body);
    if (!s.met) {
        try {
            detail::agree(status);
        } catch (const std::exception& e) {
            status = rg_cli::report_error(program, e);
        }
        if (s.rank != 0) {
            status = 0;  // rank 0 reported the failure (its own, or this rank's) and its status is the job's
        }
    }
    std::cerr.rdbuf(err);
    std::cout.rdbuf(out);
    return status;
#else
    return rg_cli::guarded_main(program, argc, argv, body);
#endif
}

}  // namespace radiogenomics::pyradiomics
