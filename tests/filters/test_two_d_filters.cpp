// 2-D filters (`image<TPixel, 2>`; every 2-D filter instantiation lives in this TU):
// - LBP 2D (PyRadiomics `lbp-2D`) against scikit-image 0.19.3 `local_binary_pattern` (every method, several P and
//   R), and PyRadiomics' slice loop over a volume for force2Ddimension 0, 1, 2 (float64, and int8 where the codes
//   take the input dtype);
// - the undecimated wavelet of a 2-D image against PyWavelets `swtn` over the two axes, PyRadiomics' `_swt3`
//   procedure, two levels;
// - mean and LoG of a 2-D image equal the in-plane filters of the same pixels held as volumes.
// Fixtures: tests/fixtures/filters/generate_two_d_fixtures.py.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "filters_test_support.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_2d.hpp"
#include "radiogenomics/filters/mean_filter.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rfl = radiogenomics::filters;

namespace {

/// Column `column` of a fixture with columns i,j,... as a 2-D image of `shape`.
rg::image<double, 2> read_plane(const rg::io::csv_table& table, const std::string& column,
                                const std::array<std::size_t, 2>& shape)
{
    rg::image<double, 2> img(rg::image_geometry<2>(shape, {1.0, 1.0}, {0.0, 0.0}));
    const std::size_t ci = table.column("i"), cj = table.column("j"), cv = table.column(column);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        img(static_cast<std::size_t>(table.number(r, ci)), static_cast<std::size_t>(table.number(r, cj))) =
            table.number(r, cv);
    }
    return img;
}

template <std::size_t VDim>
void check_equal(const rg::image<double, VDim>& got, const rg::image<double, VDim>& expected, double tolerance,
                 const std::string& what)
{
    BOOST_TEST_REQUIRE(got.size() == expected.size());
    std::size_t bad = 0;
    for (std::size_t n = 0; n < got.size(); ++n) {
        const double a = got[n], b = expected[n];
        const bool ok = (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= tolerance * (1.0 + std::fabs(b));
        if (!ok && bad++ < 5) {
            BOOST_ERROR(what << " at linear " << n << ": got " << a << ", expected " << b);
        }
    }
    BOOST_TEST(bad == 0u, what << ": " << bad << " pixels differ");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(two_d_filters)

BOOST_AUTO_TEST_CASE(lbp2d_matches_scikit_image)
{
    const auto table = rg::io::read_csv(rg_test::fixture("filters/lbp2d.csv"));
    const auto input = read_plane(table, "value", {13, 11});
    struct lbp_case {
        int samples;
        double radius;
        const char* method;
        const char* column;
    };
    const lbp_case cases[] = {{8, 1.0, "uniform", "P8_R1.0_uniform"},     {8, 2.0, "uniform", "P8_R2.0_uniform"},
                              {16, 2.0, "uniform", "P16_R2.0_uniform"},   {12, 1.5, "uniform", "P12_R1.5_uniform"},
                              {8, 1.0, "default", "P8_R1.0_default"},     {8, 1.0, "ror", "P8_R1.0_ror"},
                              {8, 1.0, "nri_uniform", "P8_R1.0_nri_uniform"}, {8, 1.0, "VAR", "P8_R1.0_var"},
                              {6, 2.7, "uniform", "P6_R2.7_uniform"}};
    for (const auto& c : cases) {
        rfl::lbp2d_options options;
        options.samples = c.samples;
        options.radius = c.radius;
        options.method = rfl::parse_lbp2d_method(c.method);
        // codes are exact integers; `var` is a float sum in scikit-image's order
        check_equal(rfl::local_binary_pattern_2d(input, options), read_plane(table, c.column, {13, 11}),
                    std::string(c.method) == "VAR" ? 1e-12 : 0.0, c.column);
    }
}

BOOST_AUTO_TEST_CASE(lbp2d_of_a_volume_follows_force2d_dimension)
{
    const auto table = rg::io::read_csv(rg_test::fixture("filters/lbp2d_volume.csv"));
    const std::array<std::size_t, 3> shape{7, 6, 5};
    const auto input = rg_filters_test::read_volume<double>(table, "value", shape, {1.0, 1.0, 1.0});
    for (int d = 0; d < 3; ++d) {
        rfl::lbp2d_options options;
        options.force_2d_dimension = d;
        check_equal(rfl::local_binary_pattern_2d(input, options),
                    rg_filters_test::read_volume<double>(table, "d" + std::to_string(d), shape, {1.0, 1.0, 1.0}), 0.0,
                    "force2Ddimension " + std::to_string(d));
    }
}

BOOST_AUTO_TEST_CASE(lbp2d_of_an_int8_volume_takes_the_input_dtype)
{
    // PyRadiomics writes the codes back into the int8 array: `default` codes above 127 wrap (NumPy's cast).
    const auto table = rg::io::read_csv(rg_test::fixture("filters/lbp2d_volume_int8.csv"));
    const std::array<std::size_t, 3> shape{7, 6, 5};
    const auto values = rg_filters_test::read_volume<double>(table, "value", shape, {1.0, 1.0, 1.0});
    rg::image<std::int8_t, 3> input(values.geometry());
    std::transform(values.data().begin(), values.data().end(), input.data().begin(),
                   [](double v) { return static_cast<std::int8_t>(v); });
    rfl::lbp2d_options options;
    options.method = rfl::parse_lbp2d_method("default");
    check_equal(rfl::local_binary_pattern_2d(input, options),
                rg_filters_test::read_volume<double>(table, "d0", shape, {1.0, 1.0, 1.0}), 0.0, "int8 default");
}

BOOST_AUTO_TEST_CASE(lbp2d_bad_input)
{
    rg::image<double, 2> img(rg::image_geometry<2>({4, 4}, {1.0, 1.0}, {0.0, 0.0}), 1.0);
    rfl::lbp2d_options options;
    options.samples = 0;
    BOOST_CHECK_THROW(rfl::local_binary_pattern_2d(img, options), rg::invalid_argument);
    options = {};
    options.radius = -1.0;
    BOOST_CHECK_THROW(rfl::local_binary_pattern_2d(img, options), rg::invalid_argument);
    BOOST_CHECK_THROW(rfl::parse_lbp2d_method("uniformm"), rg::invalid_argument);
    img(1, 1) = std::nan("");
    BOOST_CHECK_THROW(rfl::local_binary_pattern_2d(img, rfl::lbp2d_options{}), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(wavelet_2d_matches_pywavelets)
{
    const auto table = rg::io::read_csv(rg_test::fixture("filters/wavelet2d_coif1.csv"));
    const auto input = read_plane(table, "value", {12, 9});
    rfl::wavelet_options options;
    options.level = 2;
    const auto bands = rfl::wavelet_undecimated(input, options);
    BOOST_TEST_REQUIRE(bands.size() == 7u);
    const char* names[] = {"LH", "HL", "HH", "LH", "HL", "HH", "LL"};
    const char* columns[] = {"LH", "HL", "HH", "LH2", "HL2", "HH2", "LL2"};
    for (std::size_t b = 0; b < 7; ++b) {
        BOOST_TEST(bands[b].name == names[b]);
        BOOST_TEST(bands[b].level == (b < 3 ? 1u : 2u));
        check_equal(bands[b].response, read_plane(table, columns[b], {12, 9}), 1e-12, columns[b]);
    }
}

// PyRadiomics' force2D wavelet of a volume (getWaveletImage: force2Ddimension, NumPy order, removed from the axes given
// to pywt.swtn): a volume whose every slice across the removed axis is the fixture's plane (its two axes in x, y, z
// order) must give, slice by slice, PyWavelets' swtn of that plane (the same fixture as above), with 2-letter names.
BOOST_AUTO_TEST_CASE(force_2d_wavelet_of_a_volume_matches_pywavelets_per_slice)
{
    const auto table = rg::io::read_csv(rg_test::fixture("filters/wavelet2d_coif1.csv"));
    const auto plane = read_plane(table, "value", {12, 9});
    const char* names[] = {"LH", "HL", "HH", "LH", "HL", "HH", "LL"};
    const char* columns[] = {"LH", "HL", "HH", "LH2", "HL2", "HH2", "LL2"};
    rfl::wavelet_options two_levels;
    two_levels.level = 2;
    for (int dimension = 0; dimension < 3; ++dimension) {
        const std::size_t unfiltered = static_cast<std::size_t>(2 - dimension);
        std::array<std::size_t, 2> in_plane{};
        for (std::size_t d = 0, p = 0; d < 3; ++d) {
            if (d != unfiltered) {
                in_plane[p++] = d;
            }
        }
        std::array<std::size_t, 3> shape{};
        shape[in_plane[0]] = 12;
        shape[in_plane[1]] = 9;
        shape[unfiltered] = 3;
        rg::image<double, 3> volume(rg::image_geometry<3>(shape, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}));
        for (std::size_t s = 0; s < 3; ++s) {
            for (std::size_t b = 0; b < 9; ++b) {
                for (std::size_t a = 0; a < 12; ++a) {
                    std::array<std::size_t, 3> index{};
                    index[in_plane[0]] = a;
                    index[in_plane[1]] = b;
                    index[unfiltered] = s;
                    volume(index[0], index[1], index[2]) = plane(a, b);
                }
            }
        }
        const auto options = rfl::force_2d_wavelet_options(two_levels, true, dimension);
        BOOST_TEST_REQUIRE((options.unfiltered_axis && *options.unfiltered_axis == unfiltered));
        const auto bands = rfl::wavelet_undecimated(volume, options);
        BOOST_TEST_REQUIRE(bands.size() == 7u);
        for (std::size_t band = 0; band < 7; ++band) {
            BOOST_TEST(bands[band].name == names[band]);
            const auto expected = read_plane(table, columns[band], {12, 9});
            double worst = 0.0;
            for (std::size_t s = 0; s < 3; ++s) {
                for (std::size_t b = 0; b < 9; ++b) {
                    for (std::size_t a = 0; a < 12; ++a) {
                        std::array<std::size_t, 3> index{};
                        index[in_plane[0]] = a;
                        index[in_plane[1]] = b;
                        index[unfiltered] = s;
                        worst = std::max(worst, std::abs(bands[band].response(index[0], index[1], index[2]) -
                                                         expected(a, b)));
                    }
                }
            }
            BOOST_TEST(worst <= 1e-12, "force2Ddimension " << dimension << " band " << columns[band] << ": " << worst);
        }
    }
    // without force2D the options are unchanged (3 axes); a bad dimension names the setting
    BOOST_TEST(!rfl::force_2d_wavelet_options(rfl::wavelet_options{}, false, 7).unfiltered_axis);
    BOOST_CHECK_THROW(rfl::force_2d_wavelet_options(rfl::wavelet_options{}, true, 3), rg::invalid_argument);
    BOOST_CHECK_THROW(rfl::force_2d_wavelet_options(rfl::wavelet_options{}, true, -1), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(mean_and_log_of_a_plane_equal_the_in_plane_volume_filters)
{
    const auto table = rg::io::read_csv(rg_test::fixture("filters/wavelet2d_coif1.csv"));
    auto input = read_plane(table, "value", {12, 9});
    input.set_geometry(rg::image_geometry<2>({12, 9}, {0.8, 1.4}, {0.0, 0.0}));
    // mean: the 2-D filter equals the one-slice volume's in-plane filter exactly
    const auto plane_mean = rfl::mean_filter(input, 3, rfl::boundary_mode::reflect);
    const auto volume_mean = rfl::mean_filter(rg::to_slice_volume(input), 3, rfl::boundary_mode::reflect, true);
    check_equal(plane_mean, rg::to_plane(volume_mean), 0.0, "mean 3x3");
    // LoG: the 2-D sum of second derivatives equals the 3-D LoG of a volume constant along z up to the z
    // smoothing of a constant (Deriche's recursive Gaussian is normalised, so ~1e-6 relative in float)
    rg::image<double, 3> stack(rg::image_geometry<3>({12, 9, 8}, {0.8, 1.4, 1.0}, {0.0, 0.0, 0.0}));
    for (std::size_t k = 0; k < 8; ++k) {
        for (std::size_t j = 0; j < 9; ++j) {
            for (std::size_t i = 0; i < 12; ++i) {
                stack(i, j, k) = input(i, j);
            }
        }
    }
    const auto plane_log = rfl::laplacian_of_gaussian<double>(input, 1.5);
    const auto volume_log = rfl::laplacian_of_gaussian<double>(stack, 1.5);
    double scale = 0.0;
    for (std::size_t n = 0; n < plane_log.size(); ++n) {
        scale = std::max(scale, std::fabs(plane_log[n]));
    }
    for (std::size_t j = 0; j < 9; ++j) {
        for (std::size_t i = 0; i < 12; ++i) {
            BOOST_TEST(std::fabs(plane_log(i, j) - volume_log(i, j, 4)) <= 1e-6 * scale, "LoG at " << i << "," << j);
        }
    }
    BOOST_TEST(rfl::pyradiomics_log_applicable(input.geometry(), 1.5));
    BOOST_TEST(!rfl::pyradiomics_log_applicable(rg::image_geometry<2>({3, 9}, {1.0, 1.0}, {0.0, 0.0}), 1.0));
}

BOOST_AUTO_TEST_SUITE_END()
