#pragma once
/// \file cli.hpp
/// \brief What every example program shares: one-line errors for every exception, `-q`, and progress on
/// stderr that redraws in place on a terminal and prints plain lines in logs (files, pipes, CI, Slurm).

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <new>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>

namespace rg_cli {

/// `text` on one line (newlines of nested messages become spaces).
inline std::string one_line(std::string text)
{
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    return text;
}

/// Prints "<program>: <message>" on one line of stderr and returns `exit_code`.
inline int report_error(const char* program, const std::exception& e, int exit_code = 1)
{
    std::string what = one_line(e.what());
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
        what = "out of memory (std::bad_alloc): the input or a setting asks for more memory than this machine has";
    }
    std::cerr << program << ": " << what << "\n";
    return exit_code;
}

/// Runs `body(argc, argv)`; any exception that escapes it (std::filesystem::filesystem_error, std::bad_alloc,
/// anything) becomes one line on stderr and exit status 1.
inline int guarded_main(const char* program, int argc, char** argv, int (*body)(int, char**))
{
    try {
        return body(argc, argv);
    } catch (const std::exception& e) {
        return report_error(program, e);
    } catch (...) {
        std::cerr << program << ": unknown error (a non-standard exception)\n";
        return 1;
    }
}

/// Parses the command line. Returns nothing to go on, or the exit status: 0 after --help / --version, 2 after a
/// usage error, reported as one line "<program>: <what> (see --help)".
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, const char* program)
{
    try {
        app.parse(argc, argv);
        return std::nullopt;
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << program << ": " << one_line(e.what()) << " (see --help)\n";
        return 2;
    }
}

/// std::cerr, or a stream that discards everything when `quiet` (the programs' -q).
inline std::ostream& info(bool quiet)
{
    struct null_buffer : std::streambuf {
        int overflow(int c) override { return c; }
    };
    static null_buffer buffer;
    static std::ostream null_stream(&buffer);
    return quiet ? null_stream : std::cerr;
}

/// Progress of named stages on stderr. On a terminal one line per stage is redrawn in place (carriage
/// return); otherwise (a file, a pipe, a batch system's log) a plain line is printed when a stage starts,
/// every 10 % and at least every 30 s, and when it ends, so logs stay readable.
class progress_printer {
public:
    explicit progress_printer(bool quiet = false) : m_quiet(quiet), m_terminal(::isatty(::fileno(stderr)) == 1) {}

    /// `stage` (done of total), an optional short message (a patient id).
    void update(const std::string& stage, std::size_t done, std::size_t total, const std::string& message = "")
    {
        if (m_quiet) {
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        const bool new_stage = stage != m_stage;
        if (new_stage) {
            if (!m_stage.empty() && m_terminal) {
                std::fputc('\n', stderr);
            }
            m_stage = stage;
            m_start = now;
            m_last_line = now;
            m_last_decile = -1;
        }
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
        char eta[32] = "--";
        if (done > 0 && done < total) {
            std::snprintf(eta, sizeof(eta), "%.0fs", elapsed / static_cast<double>(done) * static_cast<double>(total - done));
        } else if (done == total) {
            std::snprintf(eta, sizeof(eta), "done");
        }
        if (m_terminal) {
            const int width = 28;
            std::string bar(static_cast<std::size_t>(fraction * width), '#');
            bar.resize(static_cast<std::size_t>(width), '.');
            std::fprintf(stderr, "\r%-22s [%s] %zu/%zu  %6.1fs  ETA %-6s %-34.34s", stage.c_str(), bar.c_str(), done,
                         total, elapsed, eta, message.c_str());
            std::fflush(stderr);
            return;
        }
        const int decile = static_cast<int>(fraction * 10.0);
        const bool due = new_stage || done == total || decile > m_last_decile ||
                         std::chrono::duration<double>(now - m_last_line).count() >= 30.0;
        if (!due) {
            return;
        }
        m_last_decile = std::max(m_last_decile, decile);
        m_last_line = now;
        std::fprintf(stderr, "%s: %zu/%zu (%.0f%%), %.1fs elapsed, ETA %s%s%s\n", stage.c_str(), done, total,
                     100.0 * fraction, elapsed, eta, message.empty() ? "" : ", ", message.c_str());
        std::fflush(stderr);
    }

    /// Ends a redrawn line (terminal only).
    void finish()
    {
        if (!m_quiet && m_terminal && !m_stage.empty()) {
            std::fputc('\n', stderr);
        }
        m_stage.clear();
    }

    bool terminal() const { return m_terminal; }

private:
    bool m_quiet;
    bool m_terminal;
    std::string m_stage;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_last_line = m_start;
    int m_last_decile = -1;
};

}  // namespace rg_cli
