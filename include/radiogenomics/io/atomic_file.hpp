#pragma once
/// \file atomic_file.hpp
/// \brief Writes a file under a temporary name and renames it into place, so an interrupted run
/// never leaves a half-written output that looks complete.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/temporary_name.hpp"

namespace radiogenomics::io {

/// Writes `content` to `path` atomically: a same-folder temporary `path.partial-<pid>-<n>` (unique, so
/// concurrent writers of one output never share it), then `std::rename`. Throws `io_error` naming the
/// path and the operating system's reason ("Permission denied", "No space left on device").
inline void write_file_atomic(const std::string& path, const std::string& content)
{
    const char* where = "io.write_file_atomic";
    const std::string temporary = temporary_name(path);
    std::FILE* out = std::fopen(temporary.c_str(), "wb");
    if (out == nullptr) {
        const int reason = errno;
        raise<io_error>(where, "'", path, "': cannot open '", temporary, "' for writing: ", std::strerror(reason),
                        ". Check that the folder exists and is writable.");
    }
    const std::size_t written = content.empty() ? 0 : std::fwrite(content.data(), 1, content.size(), out);
    int reason = written == content.size() ? 0 : errno;
    if (std::fflush(out) != 0 && reason == 0) {
        reason = errno;
    }
    if (std::fclose(out) != 0 && reason == 0) {
        reason = errno;
    }
    if (written != content.size() || reason != 0) {
        std::remove(temporary.c_str());
        raise<io_error>(where, "'", path, "': writing ", content.size(), " bytes failed: ",
                        std::strerror(reason != 0 ? reason : EIO), ".");
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        const int rename_reason = errno;
        std::remove(temporary.c_str());
        raise<io_error>(where, "'", path, "': cannot rename '", temporary, "' into place: ",
                        std::strerror(rename_reason), ".");
    }
}

}  // namespace radiogenomics::io
