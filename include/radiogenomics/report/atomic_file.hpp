#pragma once
/// \file atomic_file.hpp
/// \brief Writes a file under a temporary name and renames it into place, so an interrupted run
/// never leaves a half-written output that looks complete.

#include <cstdio>
#include <fstream>
#include <string>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::report {

/// Writes `content` to `path` atomically (same-directory temporary `path + ".partial"`, then
/// `std::rename`). Throws `io_error` naming the path when the file cannot be written.
inline void write_file_atomic(const std::string& path, const std::string& content)
{
    const std::string temporary = path + ".partial";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) {
            raise<io_error>("report.write_file_atomic", "cannot open '", temporary, "' for writing");
        }
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::remove(temporary.c_str());
            raise<io_error>("report.write_file_atomic", "write to '", temporary, "' failed (disk full?)");
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        raise<io_error>("report.write_file_atomic", "cannot rename '", temporary, "' to '", path, "'");
    }
}

}  // namespace radiogenomics::report
