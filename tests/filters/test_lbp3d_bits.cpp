// filters/local_binary_pattern_3d.hpp: the pieces PyRadiomics' LBP3D depends on bit for bit.
// - spherical harmonics equal scipy.special.sph_harm (SciPy 1.10.1) exactly (fixture generate_sph_harm.py);
// - the NumPy AVX-512 angle table is within 1 ulp of libm and selected only for the default icosphere;
// - with lbp3d_angles::libm the m2 image differs from the default only at rounding-residue level.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "radiogenomics/filters/local_binary_pattern_3d.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;

BOOST_AUTO_TEST_SUITE(lbp3d_bits)

BOOST_AUTO_TEST_CASE(spherical_harmonics_equal_scipy_bit_for_bit)
{
    const auto t = rg::io::read_csv(rg_test::fixture("features/sph_harm.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 63u * 25u);
    const auto hex = [&t](std::size_t r, const char* c) { return std::strtod(t.rows[r][t.column(c)].c_str(), nullptr); };
    std::size_t mismatches = 0;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const int m = static_cast<int>(t.number(r, t.column("m")));
        const int n = static_cast<int>(t.number(r, t.column("n")));
        const auto y = rf::detail::spherical_harmonic(m, n, hex(r, "theta"), hex(r, "phi"));
        if (y.real() != hex(r, "real") || y.imag() != hex(r, "imag")) {
            ++mismatches;
            BOOST_TEST_MESSAGE("row " << r << " m " << m << " n " << n);
        }
    }
    BOOST_TEST(mismatches == 0u);
}

BOOST_AUTO_TEST_CASE(numpy_angle_table_is_within_one_ulp_of_libm)
{
    const auto v = rf::detail::icosphere_vertices(1, 1.0);
    BOOST_TEST_REQUIRE(v.size() == 42u);
    int differing = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double theta = std::acos(v[i][2]);
        const double phi = std::atan2(v[i][1], v[i][0]);
        const double t = rf::detail::numpy_avx512_icosphere_angles[i][0];
        const double p = rf::detail::numpy_avx512_icosphere_angles[i][1];
        BOOST_TEST((t == theta || t == std::nextafter(theta, 10.0) || t == std::nextafter(theta, -10.0)), i);
        BOOST_TEST((p == phi || p == std::nextafter(phi, 10.0) || p == std::nextafter(phi, -10.0)), i);
        differing += (t != theta) + (p != phi);
    }
    // NumPy 1.24.2 with AVX-512F: 4 polar + 12 azimuthal angles differ from the correctly rounded values.
    BOOST_TEST(differing == 16);
}

BOOST_AUTO_TEST_CASE(angle_source_changes_only_rounding_residues)
{
    // A flat block with a bright corner: flat voxels give m2 = rounding residue, the rest a real value.
    rg::image<float, 3> img(rg::image_geometry<3>({8, 8, 8}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}), 100.0f);
    for (std::size_t k = 4; k < 8; ++k) {
        for (std::size_t j = 4; j < 8; ++j) {
            for (std::size_t i = 5; i < 8; ++i) {
                img(i, j, k) = 300.0f;
            }
        }
    }
    rg::mask_image<3> mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{0});
    for (std::size_t k = 2; k < 6; ++k) {
        for (std::size_t j = 2; j < 6; ++j) {
            for (std::size_t i = 2; i < 6; ++i) {
                mask(i, j, k) = 1;
            }
        }
    }
    rf::lbp3d_options libm;
    libm.angles = rf::lbp3d_angles::libm;
    const auto a = rf::local_binary_pattern_3d(img, mask);
    const auto b = rf::local_binary_pattern_3d(img, mask, libm);
    for (std::size_t i = 0; i < mask.size(); ++i) {
        if (mask[i]) {
            BOOST_TEST(a.levels[0][i] == b.levels[0][i]);  // Y_0^0 does not depend on the angles
            BOOST_TEST(std::fabs(a.levels[1][i] - b.levels[1][i]) <= 1e-13);
            BOOST_TEST((a.kurtosis[i] == b.kurtosis[i] || (std::isnan(a.kurtosis[i]) && std::isnan(b.kurtosis[i]))));
        }
    }
    // A non-default icosphere uses libm in both modes.
    rf::lbp3d_options r2;
    r2.icosphere_radius = 2.0;
    rf::lbp3d_options r2_libm = r2;
    r2_libm.angles = rf::lbp3d_angles::libm;
    const auto c = rf::local_binary_pattern_3d(img, mask, r2);
    const auto d = rf::local_binary_pattern_3d(img, mask, r2_libm);
    for (std::size_t i = 0; i < mask.size(); ++i) {
        BOOST_TEST(c.levels[1][i] == d.levels[1][i]);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(integer_samples_round_half_away_and_saturate)
{
    // SciPy's map_coordinates rounds an integer output half away from zero; beyond the type's range the C cast
    // would be undefined, so the samples saturate (the nearest double of a 64-bit max() is itself out of range).
    namespace d = rf::detail;
    BOOST_TEST(d::to_pixel<std::int16_t>(2.5) == 3);
    BOOST_TEST(d::to_pixel<std::int16_t>(-2.5) == -3);
    BOOST_TEST(d::to_pixel<std::int16_t>(2.4999) == 2);
    BOOST_TEST(d::to_pixel<std::uint8_t>(300.0) == 255);
    BOOST_TEST(d::to_pixel<std::uint8_t>(-3.0) == 0);
    BOOST_TEST(d::to_pixel<std::uint64_t>(1.9e19) == std::numeric_limits<std::uint64_t>::max());
    BOOST_TEST(d::to_pixel<std::uint64_t>(18446744073709549568.0) == 18446744073709549568ULL);  // largest double < 2^64
    BOOST_TEST(d::to_pixel<std::int64_t>(9.3e18) == std::numeric_limits<std::int64_t>::max());
    BOOST_TEST(d::to_pixel<std::int64_t>(-9.3e18) == std::numeric_limits<std::int64_t>::lowest());
}
