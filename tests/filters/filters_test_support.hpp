#pragma once
// Helpers shared by the filter tests: fixture volumes, PyRadiomics reference maps, ROI statistics.
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg_filters_test {

namespace rg = radiogenomics;

/// Reads a fixture with columns i,j,k,<value columns...> into an image of `shape` (value column `column`).
template <class TPixel>
rg::image<TPixel, 3> read_volume(const rg::io::csv_table& table, const std::string& column,
                                 const std::array<std::size_t, 3>& shape, const std::array<double, 3>& spacing)
{
    rg::image<TPixel, 3> img(rg::image_geometry<3>(shape, spacing, {0.0, 0.0, 0.0}));
    const std::size_t ci = table.column("i");
    const std::size_t cj = table.column("j");
    const std::size_t ck = table.column("k");
    const std::size_t cv = table.column(column);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        img(static_cast<std::size_t>(table.number(r, ci)), static_cast<std::size_t>(table.number(r, cj)),
            static_cast<std::size_t>(table.number(r, ck))) = static_cast<TPixel>(table.number(r, cv));
    }
    return img;
}

/// PyRadiomics output CSV (`name,value`) as a map.
inline std::map<std::string, double> read_pyradiomics(const std::string& relative)
{
    const rg::io::csv_table table = rg::io::read_csv(rg_test::shared_reference(relative));
    std::map<std::string, double> values;
    const std::size_t cn = table.column("name");
    const std::size_t cv = table.column("value");
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        values[table.rows[r][cn]] = table.number(r, cv);
    }
    return values;
}

/// Mean, minimum, maximum and population variance (PyRadiomics' firstorder definitions) inside the mask.
struct roi_stats {
    double mean = 0;
    double minimum = std::numeric_limits<double>::infinity();
    double maximum = -std::numeric_limits<double>::infinity();
    double variance = 0;
    std::size_t count = 0;
};

template <class TPixel>
roi_stats stats_in_mask(const rg::image<TPixel, 3>& img, const rg::mask_image<3>& mask, std::uint8_t label = 1)
{
    roi_stats s;
    double sum = 0;
    for (std::size_t i = 0; i < img.size(); ++i) {
        if (mask[i] == label) {
            const double v = static_cast<double>(img[i]);
            sum += v;
            s.minimum = std::min(s.minimum, v);
            s.maximum = std::max(s.maximum, v);
            ++s.count;
        }
    }
    s.mean = sum / static_cast<double>(s.count);
    double ss = 0;
    for (std::size_t i = 0; i < img.size(); ++i) {
        if (mask[i] == label) {
            const double d = static_cast<double>(img[i]) - s.mean;
            ss += d * d;
        }
    }
    s.variance = ss / static_cast<double>(s.count);
    return s;
}

/// |a - b| / max(|b|, floor): relative difference with a floor for values near 0.
inline double relative_difference(double a, double b, double floor = 1e-300)
{
    return std::abs(a - b) / std::max(std::abs(b), floor);
}

}  // namespace rg_filters_test
