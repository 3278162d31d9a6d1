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

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/report/csv.hpp"

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

/// Runs `radiomics_extract <arguments>` (arguments already quoted where needed).
inline run_result run(const std::string& arguments, const temp_folder& folder)
{
    const std::string out = folder.file("stdout.txt");
    const std::string err = folder.file("stderr.txt");
    const std::string command = quote(RG_EXTRACT_BINARY) + " " + arguments + " > " + quote(out) + " 2> " + quote(err);
    const int status = std::system(command.c_str());
    run_result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
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

}  // namespace rg_extract_test
