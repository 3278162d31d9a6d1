#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "filters_test_support.hpp"
#include "radiogenomics/filters/gradient_magnitude.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_3d.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;
using rg_filters_test::read_volume;

namespace {

const std::array<std::size_t, 3> fixture_shape{9, 8, 7};

rg::image<float, 3> fixture_volume(const std::array<double, 3>& spacing = {1.0, 1.0, 1.0})
{
    return read_volume<float>(rg::io::read_csv(rg_test::fixture("filters/input_float32.csv")), "value", fixture_shape,
                              spacing);
}

rg::mask_image<3> fixture_mask()
{
    return read_volume<std::uint8_t>(rg::io::read_csv(rg_test::fixture("filters/input_mask.csv")), "value",
                                     fixture_shape, {1.0, 1.0, 1.0});
}

template <class TPixel>
void check_wavelet(const std::string& wavelet, const std::string& dtype, double tolerance)
{
    // Reference: PyWavelets 1.1.1 swtn as PyRadiomics' _swt3 calls it (generate_filters_fixtures.py).
    const auto table = rg::io::read_csv(rg_test::fixture("filters/wavelet_" + wavelet + "_" + dtype + ".csv"));
    const auto input = rg::cast_image<TPixel>(fixture_volume());
    rf::wavelet_options options;
    options.wavelet = wavelet;
    const auto bands = rf::wavelet_undecimated(input, options);
    BOOST_TEST_REQUIRE(bands.size() == 8u);
    const char* names[8] = {"LLH", "LHL", "LHH", "HLL", "HLH", "HHL", "HHH", "LLL"};
    for (std::size_t b = 0; b < 8; ++b) {
        BOOST_TEST(bands[b].name == names[b]);
        const auto expected = read_volume<double>(table, names[b], fixture_shape, {1.0, 1.0, 1.0});
        double worst = 0.0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            worst = std::max(worst, std::abs(static_cast<double>(bands[b].response[i]) - expected[i]) /
                                        std::max(1.0, std::abs(expected[i])));
        }
        BOOST_TEST(worst <= tolerance, wavelet << " " << dtype << " " << names[b] << " worst " << worst);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(peer_fixtures)

// float32 data: PyWavelets keeps float32 arithmetic; we reproduce its accumulation order, so exact equality.
BOOST_AUTO_TEST_CASE(wavelet_matches_pywavelets_float32_exactly)
{
    check_wavelet<float>("coif1", "float32", 0.0);
    check_wavelet<float>("db2", "float32", 0.0);
    check_wavelet<float>("sym3", "float32", 0.0);
}

BOOST_AUTO_TEST_CASE(wavelet_matches_pywavelets_float64)
{
    check_wavelet<double>("coif1", "float64", 0.0);
    check_wavelet<double>("haar", "float64", 0.0);
    check_wavelet<double>("db4", "float64", 0.0);
}

BOOST_AUTO_TEST_CASE(wavelet_filters_are_orthonormal)
{
    for (const auto& name : rf::wavelet_names()) {
        const auto w = rf::wavelet_by_name(name);
        double sum = 0.0;
        double norm = 0.0;
        double cross = 0.0;
        for (std::size_t k = 0; k < w.dec_lo.size(); ++k) {
            sum += w.dec_lo[k];
            norm += w.dec_lo[k] * w.dec_lo[k];
            cross += w.dec_lo[k] * w.dec_hi[k];
        }
        BOOST_TEST(sum == std::sqrt(2.0), boost::test_tools::tolerance(1e-12));
        BOOST_TEST(norm == 1.0, boost::test_tools::tolerance(1e-10));  // coif5 tables carry ~5e-12 error
        BOOST_TEST(std::abs(cross) < 1e-12);
    }
    BOOST_CHECK_THROW(rf::wavelet_by_name("bior1.3"), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(gradient_matches_numpy_central_differences)
{
    // Reference: NumPy central differences with edge padding / (2 spacing) (ITK zero-flux Neumann semantics).
    const std::array<double, 3> spacing{0.7, 1.1, 2.5};
    const auto expected = read_volume<double>(rg::io::read_csv(rg_test::fixture("filters/gradient.csv")), "value",
                                              fixture_shape, spacing);
    const auto out = rf::gradient_magnitude<double>(fixture_volume(spacing));
    for (std::size_t i = 0; i < out.size(); ++i) {
        BOOST_TEST(out[i] == expected[i], boost::test_tools::tolerance(1e-13));
    }
    const auto out32 = rf::gradient_magnitude(fixture_volume(spacing));
    for (std::size_t i = 0; i < out.size(); ++i) {
        BOOST_TEST(out32[i] == static_cast<float>(expected[i]));
    }
}

BOOST_AUTO_TEST_CASE(convolution_log_matches_scipy_gaussian_laplace)
{
    // Reference: scipy.ndimage.gaussian_laplace(sigma 2.5 mm in voxels per axis, mode='reflect', truncate=4.0),
    // which normalises the truncated Gaussian samples by their sum (normalise_discrete); 'reflect' is our mirror.
    const std::array<double, 3> spacing{0.7, 1.1, 2.5};
    const auto expected = read_volume<double>(rg::io::read_csv(rg_test::fixture("filters/gaussian_laplace.csv")),
                                              "value", fixture_shape, spacing);
    rf::log_convolution_options o;
    o.sigma_mm = 2.5;
    o.boundary = rf::boundary_mode::reflect;
    o.normalise_discrete = true;
    const auto out = rf::laplacian_of_gaussian_convolution(fixture_volume(spacing), o);
    double scale = 0.0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        scale = std::max(scale, std::abs(expected[i]));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        BOOST_TEST(std::abs(out[i] - expected[i]) <= 1e-12 * scale);
    }
}

BOOST_AUTO_TEST_CASE(lbp3d_matches_scipy_pipeline)
{
    // Reference: PyRadiomics' getLBP3DImage algorithm run with SciPy 1.10.1 (map_coordinates, sph_harm, kurtosis).
    const auto table = rg::io::read_csv(rg_test::fixture("filters/lbp3d.csv"));
    const auto input = fixture_volume();
    const auto result = rf::local_binary_pattern_3d(input, fixture_mask());
    BOOST_TEST_REQUIRE(result.levels.size() == 2u);
    const std::size_t ci = table.column("i");
    const std::size_t cj = table.column("j");
    const std::size_t ck = table.column("k");
    std::size_t kurtosis_exact = 0;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto i = static_cast<std::size_t>(table.number(r, ci));
        const auto j = static_cast<std::size_t>(table.number(r, cj));
        const auto k = static_cast<std::size_t>(table.number(r, ck));
        BOOST_TEST(result.levels[0](i, j, k) == table.number(r, table.column("m1")), boost::test_tools::tolerance(1e-12));
        BOOST_TEST(result.levels[1](i, j, k) == table.number(r, table.column("m2")), boost::test_tools::tolerance(1e-12));
        const double kref = table.number(r, table.column("kurtosis"));
        BOOST_TEST(result.kurtosis(i, j, k) == kref, boost::test_tools::tolerance(2e-6));
        kurtosis_exact += result.kurtosis(i, j, k) == kref ? 1 : 0;
    }
    BOOST_TEST_MESSAGE("lbp3d kurtosis bit-identical for " << kurtosis_exact << " of " << table.rows.size());
    BOOST_TEST(kurtosis_exact == table.rows.size());
}

BOOST_AUTO_TEST_SUITE_END()
