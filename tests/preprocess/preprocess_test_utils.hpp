#pragma once
// Helpers shared by the preprocess tests: fixture columns and small synthetic images.
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg_test {

/// One numeric column of tests/fixtures/preprocess/<file>.
inline std::vector<double> preprocess_column(const std::string& file, const std::string& column)
{
    const auto table = radiogenomics::io::read_csv(fixture("preprocess/" + file));
    const std::size_t c = table.column(column);
    std::vector<double> out(table.row_count());
    for (std::size_t r = 0; r < out.size(); ++r) {
        out[r] = table.number(r, c);
    }
    return out;
}

/// An image on `geometry` whose voxels (column-major) come from a fixture column.
template <class TPixel, std::size_t VDim>
radiogenomics::image<TPixel, VDim> image_from_column(const radiogenomics::image_geometry<VDim>& geometry,
                                                     const std::string& file, const std::string& column)
{
    const auto values = preprocess_column(file, column);
    radiogenomics::image<TPixel, VDim> img(geometry);
    if (values.size() != img.size()) {
        throw std::runtime_error("fixture " + file + ":" + column + " has the wrong length");
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        img[i] = static_cast<TPixel>(values[i]);
    }
    return img;
}

/// FNV-1a (64 bit) of a buffer, as the ITK fixture generator (tests/fixtures/preprocess/itk) hashes ITK's outputs.
inline std::uint64_t fnv1a(const void* data, std::size_t bytes)
{
    std::uint64_t h = 14695981039346656037ull;
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/// A 64-bit hash as 16 lower-case hex digits (the fixtures' format).
inline std::string hex64(std::uint64_t h)
{
    std::ostringstream s;
    s << std::hex << std::setw(16) << std::setfill('0') << h;
    return s.str();
}

}  // namespace rg_test
