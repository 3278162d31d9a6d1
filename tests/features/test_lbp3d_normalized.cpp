// LBP3D on the normalised IBSI CT phantom: PyRadiomics' reference run normalised with
//   mu = S/N, sigma = sqrt((SS - S^2/N)/(N - 1)), f = (x - mu)/sigma * normalizeScale,
// S and SS NumPy pairwise sums of x and x^2 over the whole image in float64 (the ITK-style statistics of its
// SimpleITK stand-in). LBP3D binarises samples against the centre voxel, so on flat regions the last bits of
// mu and sigma decide ties: with exactly this normalisation, filtering the whole image (no crop: see below),
// every lbp-3D-* feature equals the reference to 1e-6.
// (preprocess::normalize computes sigma two-pass, equal to 1e-12 but not bit for bit; see
// tests/features/test_pyradiomics.cpp known_filter_deviation.)
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <map>
#include <string>
#include <vector>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

BOOST_AUTO_TEST_SUITE(lbp3d_normalized)

BOOST_AUTO_TEST_CASE(ct_phantom_lbp3d_with_the_reference_normalisation)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    const std::size_t n = img.size();
    std::vector<double> x(n);
    std::vector<double> x2(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(img[i]);
        x2[i] = x[i] * x[i];
    }
    const double s = rg::filters::detail::pairwise_sum(x.data(), n);
    const double ss = rg::filters::detail::pairwise_sum(x2.data(), n);
    const double count = static_cast<double>(n);
    const double mean = s / count;
    const double sd = std::sqrt((ss - s * s / count) / (count - 1.0));
    rg::image<double, 3> normalised(img.geometry());
    for (std::size_t i = 0; i < n; ++i) {
        normalised[i] = (x[i] - mean) / sd * 100.0;
    }
    rf::extractor_settings settings;
    settings.setting.bin_width = 25.0;
    rf::image_type_settings lbp;
    lbp.type = rg::filters::image_type::lbp3d;
    settings.image_types = {lbp};
    // Whole-image filtering: on a crop the B-spline prefilter differs by ~1e-13, which is enough to flip ties of
    // float64 samples (float32 samples are rounded and do not notice).
    settings.crop_filters = false;
    settings.classes = {{rf::feature_class::first_order, {}}, {rf::feature_class::glcm, {}},
                        {rf::feature_class::glrlm, {}},       {rf::feature_class::glszm, {}},
                        {rf::feature_class::gldm, {}},        {rf::feature_class::ngtdm, {}}};
    const auto got = rf::extract(normalised, mask, settings);
    const auto reference = rg_features_test::read_reference(
        rg_test::shared_reference("pyradiomics/ibsi_ct_phantom_paper_normalized.csv"));
    std::size_t compared = 0;
    for (const auto& f : got) {
        if (f.name.rfind("lbp-3D-", 0) != 0) {
            continue;
        }
        const auto it = reference.find(f.name);
        BOOST_TEST_REQUIRE((it != reference.end()), f.name);
        BOOST_TEST(rg_features_test::close(f.value, it->second),
                   f.name << ": got " << std::setprecision(17) << f.value << ", PyRadiomics " << it->second);
        ++compared;
    }
    BOOST_TEST(compared == 3u * 93u);
}

BOOST_AUTO_TEST_SUITE_END()
