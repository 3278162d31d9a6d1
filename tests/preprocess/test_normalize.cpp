#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <string>

#include "radiogenomics/preprocess/normalize.hpp"
#ifdef RG_HAVE_NIFTI
#include "radiogenomics/io/nifti.hpp"
#include "preprocess_test_utils.hpp"
#include "test_paths.hpp"
#endif

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
inline auto tt(double t) { return boost::test_tools::tolerance(t); }

BOOST_AUTO_TEST_SUITE(normalize)

BOOST_AUTO_TEST_CASE(hand_worked_z_score_and_outliers)
{
    // values 1 2 3 4 10: mean 4, sample variance (9 + 4 + 1 + 0 + 36)/4 = 12.5, σ = 3.5355339059327378
    const rg::image_geometry<2> g({5, 1}, {1.0, 1.0}, {0.0, 0.0});
    rg::image<int, 2> img(g);
    const int v[] = {1, 2, 3, 4, 10};
    for (int i = 0; i < 5; ++i) {
        img(i, 0) = v[i];
    }
    const double sd = std::sqrt(12.5);
    const auto z = pp::normalize(img);
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(z(i, 0) == (v[i] - 4.0) / sd, tt(1e-14));
    }
    // removeOutliers = 1.5: 10 → z = 1.697 clipped to 1.5; 1 → −0.849 kept; then × normalizeScale 100
    pp::normalize_options o;
    o.scale = 100.0;
    o.remove_outliers = 1.5;
    const auto c = pp::normalize<float>(img, o);
    BOOST_TEST(c(4, 0) == 150.0f, tt(1e-6));
    BOOST_TEST(c(0, 0) == static_cast<float>(100.0 * (1.0 - 4.0) / sd), tt(1e-6));
    const auto s = pp::image_statistics(img);
    BOOST_TEST(s.mean == 4.0);
    BOOST_TEST(s.sd == sd, tt(1e-15));
    // the two last-bit arithmetics, exactly: SimpleITK (x + (-mu)) * (1/sigma); the references' stand-in (x - mu)/sigma
    pp::normalize_options stand_in;
    stand_in.arithmetic = pp::normalize_arithmetic::numpy_stand_in;
    const auto d = pp::normalize(img, stand_in);
    for (int i = 0; i < 5; ++i) {
        BOOST_TEST(z(i, 0) == (v[i] + -4.0) * (1.0 / s.sd));
        BOOST_TEST(d(i, 0) == (v[i] - 4.0) / s.sd);
    }
}

BOOST_AUTO_TEST_CASE(z_score_with_mask_statistics_and_min_max)
{
    const rg::image_geometry<2> g({4, 1}, {1.0, 1.0}, {0.0, 0.0});
    rg::image<double, 2> img(g);
    rg::mask_image<2> mask(g, 0);
    img(0, 0) = 2.0;
    img(1, 0) = 4.0;
    img(2, 0) = 100.0;
    img(3, 0) = -6.0;
    mask(0, 0) = mask(1, 0) = 1;  // mean 3, σ = √2
    const auto z = pp::z_score(img, mask);
    BOOST_TEST(z(2, 0) == 97.0 / std::sqrt(2.0), tt(1e-14));
    BOOST_TEST(z(3, 0) == -9.0 / std::sqrt(2.0), tt(1e-14));
    const auto mm = pp::min_max(img, -1.0, 1.0);  // min −6 → −1, max 100 → 1, 2 → −1 + 2·8/106
    BOOST_TEST(mm(3, 0) == -1.0);
    BOOST_TEST(mm(2, 0) == 1.0);
    BOOST_TEST(mm(0, 0) == -1.0 + 16.0 / 106.0, tt(1e-14));
}

#ifdef RG_HAVE_NIFTI
BOOST_AUTO_TEST_CASE(ibsi_ct_phantom_matches_pyradiomics_normalize)
{
    // PyRadiomics normalize: True, normalizeScale: 100 on the IBSI 1 CT phantom; the ROI minimum (−1000 HU) and
    // maximum (723 HU) map to original_firstorder_Minimum/Maximum of
    // shared/reference/pyradiomics/ibsi_ct_phantom_paper_normalized.csv. A population σ (N) would be off by 2e-7.
    const auto img = rg::io::read_nifti<double, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    pp::normalize_options o;
    o.scale = 100.0;
    const auto n = pp::normalize(img, o);
    double lo = 1e300, hi = -1e300, sum = 0.0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (mask[i] == 1) {
            lo = std::min(lo, n[i]);
            hi = std::max(hi, n[i]);
            sum += n[i];
            ++count;
        }
    }
    BOOST_TEST(lo == -159.98161088279332, tt(1e-10));
    BOOST_TEST(hi == 215.8018656051177, tt(1e-10));
    BOOST_TEST(sum / static_cast<double>(count) == 47.891705952992396, tt(1e-10));  // original_firstorder_Mean
}

// sitk.Normalize bit for bit: ITK 5.2 NormalizeImageFilter<float, double> (and its StatisticsImageFilter) on the
// float32 IBSI CT phantom (integer HU: exact sums) and the float32 synthetic PET (fractional SUV: compensated sums
// matter), then PyRadiomics' `image *= 100`. Reference: tests/fixtures/preprocess/itk_normalize.txt (mean and σ as
// hex floats, FNV-1a of every output voxel), made by tests/fixtures/preprocess/itk/generate_itk_fixtures.cpp; ITK
// gave the same bits with 1, 2 and 8 work units.
BOOST_AUTO_TEST_CASE(normalize_equals_itk_normalize_image_filter_bit_for_bit)
{
    std::ifstream in(rg_test::fixture("preprocess/itk_normalize.txt"));
    BOOST_TEST_REQUIRE(in.good());
    std::map<std::string, std::map<std::string, std::string>> cases;  // input → key → first value
    std::string current;
    for (std::string line; std::getline(in, line);) {
        std::istringstream tokens(line);
        std::string key;
        std::string value;
        tokens >> key >> value;
        if (key == "case") {
            std::string units;
            tokens >> units >> units;
            current = units == "1" ? value : "";
        } else if (!current.empty() && !key.empty() && key[0] != '#') {
            cases[current][key] = value;
        }
    }
    BOOST_TEST_REQUIRE(cases.size() == 2u);
    for (const auto& [input, fields] : cases) {
        BOOST_TEST_CONTEXT(input)
        {
            const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference(input));
            const auto s = pp::image_statistics(img);
            BOOST_TEST(s.mean == std::strtod(fields.at("mean").c_str(), nullptr));  // hex floats: exact bits
            BOOST_TEST(s.sd == std::strtod(fields.at("sigma").c_str(), nullptr));
            const auto unscaled = pp::normalize<double>(img);
            BOOST_TEST(rg_test::hex64(rg_test::fnv1a(unscaled.data().data(), unscaled.size() * sizeof(double))) ==
                       fields.at("fnv1a_unscaled"));
            pp::normalize_options o;
            o.scale = 100.0;
            const auto scaled = pp::normalize<double>(img, o);
            BOOST_TEST(rg_test::hex64(rg_test::fnv1a(scaled.data().data(), scaled.size() * sizeof(double))) ==
                       fields.at("fnv1a_scale_100"));
        }
    }
}
#endif

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<2> g({3, 1}, {1.0, 1.0}, {0.0, 0.0});
    const rg::image<double, 2> flat(g, 5.0);
    BOOST_CHECK_THROW(pp::normalize(flat), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::min_max(flat), rg::invalid_argument);
    rg::image<double, 2> nan_img(g, 1.0);
    nan_img(1, 0) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(pp::normalize(nan_img), rg::invalid_argument);
    rg::image<double, 2> ok(g, 1.0);
    ok(0, 0) = 2.0;
    pp::normalize_options o;
    o.remove_outliers = -1.0;
    BOOST_CHECK_THROW(pp::normalize(ok, o), rg::invalid_argument);
    o.remove_outliers.reset();
    o.scale = 0.0;
    BOOST_CHECK_THROW(pp::normalize(ok, o), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::min_max(ok, 1.0, 1.0), rg::invalid_argument);
    const rg::mask_image<2> empty(g, 0);
    BOOST_CHECK_THROW(pp::z_score(ok, empty), rg::mask_error);
    const rg::mask_image<2> other(rg::image_geometry<2>({3, 1}, {2.0, 1.0}, {0.0, 0.0}), 1);
    BOOST_CHECK_THROW(pp::z_score(ok, other), rg::geometry_error);
}

BOOST_AUTO_TEST_SUITE_END()
