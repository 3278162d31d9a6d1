#pragma once
// Shared by every fuzz target (fuzz/target_*.cpp), the libFuzzer entry point (libfuzzer_main.cpp) and the
// corpus replay test (tests/fuzz/test_fuzz_replay.cpp).
//
// A target is one function `int f(const std::uint8_t* data, std::size_t size)` that hands the bytes to one
// parser the way a user's file reaches it (written to a scratch file when the parser takes a path). The
// only exceptions a target may see are `radiogenomics::error`s with the library's message prefix; anything
// else — another exception type, a message without the prefix, a crash, a leak, undefined behaviour —
// escapes and is a finding (libFuzzer aborts on it, the replay test fails).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "radiogenomics/core/error.hpp"

namespace rg_fuzz {

using target_function = int (*)(const std::uint8_t*, std::size_t);

struct target {
    const char* name;  ///< also the corpus folder fuzz/corpus/<name>
    target_function run;
};

/// Every target linked into this program (one in a libFuzzer binary, all in the replay test).
inline std::vector<target>& registry()
{
    static std::vector<target> targets;
    return targets;
}

struct registrar {
    registrar(const char* name, target_function run) { registry().push_back({name, run}); }
};

/// A folder of this process's own for the scratch files (removed at exit).
inline const std::filesystem::path& scratch_dir()
{
    struct owner {
        std::filesystem::path path;
        owner()
        {
            path = std::filesystem::temp_directory_path() / ("rg_fuzz_" + std::to_string(static_cast<long>(::getpid())));
            std::filesystem::remove_all(path);
            std::filesystem::create_directories(path);
        }
        ~owner()
        {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static const owner dir;
    return dir.path;
}

/// A fresh, empty sub-folder of the scratch folder.
inline std::filesystem::path fresh_folder(const std::string& name)
{
    const std::filesystem::path folder = scratch_dir() / name;
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder;
}

inline void write_file(const std::filesystem::path& path, const void* data, std::size_t size)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out.flush()) {
        throw std::runtime_error("fuzz: cannot write the scratch file " + path.string());
    }
}

/// Splits an input holding several files (e.g. the slices of a DICOM series) at `separator`.
inline std::vector<std::string_view> split_files(const std::uint8_t* data, std::size_t size, std::string_view separator)
{
    std::vector<std::string_view> parts;
    const std::string_view all(reinterpret_cast<const char*>(data), size);
    std::size_t begin = 0;
    while (true) {
        const std::size_t at = all.find(separator, begin);
        parts.push_back(all.substr(begin, at == std::string_view::npos ? std::string_view::npos : at - begin));
        if (at == std::string_view::npos) {
            return parts;
        }
        begin = at + separator.size();
    }
}

/// An error that is not the library's own kind of message (a finding).
class unclear_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

/// Runs `action`; a `radiogenomics::error` is the expected outcome of bad input, provided its message has the
/// library's prefix. Other exceptions propagate.
template <class TAction>
void attempt(TAction&& action)
{
    try {
        action();
    } catch (const radiogenomics::error& e) {
        const std::string what = e.what();
        if (what.rfind("[radiogenomics.", 0) != 0) {
            throw unclear_error("fuzz: a radiogenomics::error without the message prefix: " + what);
        }
    }
}

}  // namespace rg_fuzz

/// Defines `rg_fuzz_<name>` and registers it under `name`.
#define RG_FUZZ_TARGET(name)                                                                           \
    int rg_fuzz_##name(const std::uint8_t* data, std::size_t size);                                  \
    static const rg_fuzz::registrar rg_fuzz_registrar_##name(#name, &rg_fuzz_##name);                \
    int rg_fuzz_##name(const std::uint8_t* data, std::size_t size)
