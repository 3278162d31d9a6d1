#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/synth/detail/gaussian_blur.hpp"
#include "radiogenomics/synth/detail/fast_normal.hpp"
#include "radiogenomics/synth/detail/smooth_field.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rsd = radiogenomics::synth::detail;

BOOST_AUTO_TEST_SUITE(synth_detail)

// The library's one inverse normal CDF (core/normal_quantile.hpp), used by synth's noise table and thresholds.
// Reference: scipy.stats.norm.ppf (tests/fixtures/synth/generate_synth_fixtures.py).
BOOST_AUTO_TEST_CASE(normal_quantile_matches_scipy)
{
    const auto table = rg::io::read_csv(rg_test::fixture("synth/normal_quantile.csv"));
    BOOST_REQUIRE(table.row_count() > 10u);
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        const double p = table.number(r, table.column("p"));
        const double expected = table.number(r, table.column("quantile"));
        BOOST_TEST(rg::normal_quantile(p) == expected, boost::test_tools::tolerance(1e-14));  // Boost.Math: 3.5e-16
    }
    BOOST_TEST(std::isinf(rg::normal_quantile(0.0)));
    BOOST_TEST(std::isnan(rg::normal_quantile(1.5)));
}

// Reference: scipy.ndimage.gaussian_filter(v, 2.5 mm / spacing, mode='nearest', truncate=4).
BOOST_AUTO_TEST_CASE(gaussian_blur_matches_scipy)
{
    const auto table = rg::io::read_csv(rg_test::fixture("synth/gaussian_blur.csv"));
    rg::image<float, 3> img(rg::image_geometry<3>({9, 7, 5}, {1.5, 2.0, 3.0}, {0.0, 0.0, 0.0}));
    const std::size_t ci = table.column("i"), cj = table.column("j"), ck = table.column("k");
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        img(static_cast<std::size_t>(table.number(r, ci)), static_cast<std::size_t>(table.number(r, cj)),
            static_cast<std::size_t>(table.number(r, ck))) = static_cast<float>(table.number(r, table.column("input")));
    }
    rsd::gaussian_blur(img, 2.5);
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        const float got = img(static_cast<std::size_t>(table.number(r, ci)), static_cast<std::size_t>(table.number(r, cj)),
                              static_cast<std::size_t>(table.number(r, ck)));
        const double expected = table.number(r, table.column("blurred"));
        // float storage: absolute 1e-5 on values of order 1.
        BOOST_TEST(std::abs(got - expected) < 1e-5 * (1.0 + std::abs(expected)));
    }
}

// The table-driven normal source: mean 0, variance 1 (the table is rescaled to unit variance).
BOOST_AUTO_TEST_CASE(fast_normal_has_unit_variance)
{
    rsd::fast_normal noise(11);
    const int n = 500000;
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < n; ++i) {
        const double z = noise();
        sum += z;
        sum_sq += z * z;
    }
    const double mean = sum / n;
    // SE of the mean 1/sqrt(n) = 1.4e-3; of the variance sqrt(2/n) = 2e-3. Allow ~5 SE.
    BOOST_TEST(std::abs(mean) < 7e-3);
    BOOST_TEST(std::abs(sum_sq / n - mean * mean - 1.0) < 1e-2);
}

// Lattice values are N(0, 1)/sqrt(8/27): the field averaged over a large box has variance ≈ 1.
BOOST_AUTO_TEST_CASE(smooth_field_has_about_unit_variance)
{
    const rsd::smooth_field field({0.0, 0.0, 0.0}, {400.0, 400.0, 400.0}, 5.0, 3);
    double sum = 0.0, sum_sq = 0.0;
    int n = 0;
    for (double z = 0.3; z < 400.0; z += 3.7) {
        for (double y = 0.1; y < 400.0; y += 3.3) {
            for (double x = 0.2; x < 400.0; x += 2.9) {
                const double v = field(x, y, z);
                sum += v;
                sum_sq += v * v;
                ++n;
            }
        }
    }
    const double mean = sum / n;
    BOOST_TEST(std::abs(sum_sq / n - mean * mean - 1.0) < 0.1);
}

BOOST_AUTO_TEST_SUITE_END()
