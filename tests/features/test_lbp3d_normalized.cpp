// LBP3D on the normalised IBSI CT phantom, through the extractor's own path (normalize: True, normalizeScale 100,
// default crop settings). LBP3D binarises B-spline samples against the centre voxel, so on flat regions the last
// bits of the float64 normalised image decide ties. The reference run normalised with a NumPy stand-in for
// SimpleITK: mu and sigma by ITK's formula (sigma^2 = (SS - S^2/N)/(N - 1); the CT's integer HU make S and SS exact),
// then (x - mu)/sigma * 100, where SimpleITK computes (x - mu) * (1/sigma) * 100 (668,054 of 2,460,240 voxels differ
// in the last bit). With that arithmetic (normalize_arithmetic::numpy_stand_in) and LBP3D on the whole float64 image
// (a crop changes its B-spline prefilter by ~1e-13), all 279 lbp-3D-* rows match. The full 1,781-feature run is in
// tests/features/test_pyradiomics.cpp.
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

BOOST_AUTO_TEST_CASE(ct_phantom_lbp3d_of_the_normalised_image)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::extractor_settings settings;
    settings.setting.bin_width = 25.0;
    rf::image_type_settings lbp;
    lbp.type = rg::filters::image_type::lbp3d;
    settings.image_types = {lbp};
    settings.setting.normalize = true;
    settings.setting.normalize_scale = 100.0;
    settings.normalize_arithmetic = rg::preprocess::normalize_arithmetic::numpy_stand_in;
    settings.classes = {{rf::feature_class::first_order, {}}, {rf::feature_class::glcm, {}},
                        {rf::feature_class::glrlm, {}},       {rf::feature_class::glszm, {}},
                        {rf::feature_class::gldm, {}},        {rf::feature_class::ngtdm, {}}};
    const auto got = rf::extract(img, mask, settings);
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
