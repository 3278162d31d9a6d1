#pragma once
/// \file temporary_name.hpp
/// \brief Names for temporary files and folders that two processes (or two threads) writing the same
/// output never share: `<stem>.partial-<pid>-<counter>`.
///
/// Writers create the temporary beside the final path and rename it into place, so an interrupted run
/// leaves only a `*.partial-*` file, never an output that looks complete.

#include <atomic>
#include <cstdint>
#include <string>

#include <unistd.h>

namespace radiogenomics {

/// `stem + ".partial-<pid>-<n>"`, where n counts the calls in this process (thread-safe).
inline std::string temporary_name(const std::string& stem)
{
    static std::atomic<std::uint64_t> counter{0};
    return stem + ".partial-" + std::to_string(static_cast<long long>(::getpid())) + "-" +
           std::to_string(counter.fetch_add(1));
}

}  // namespace radiogenomics
