// PyRadiomics equality: every original_* feature of PyRadiomics' own output (shared/reference/pyradiomics,
// a faithful PyRadiomics 3.1 run, see its README) must be reproduced to 1e-6 relative.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <iomanip>
#include <map>
#include <string>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

/// Compares every reference row starting with `prefix`; prints the per-class fraction matched. `csv` is a file of
/// shared/reference/pyradiomics, or a path when `path` is set.
void compare(const rf::feature_list& got, const std::string& csv, const std::string& prefix, bool path = false)
{
    const auto reference =
        rg_features_test::read_reference(path ? csv : rg_test::shared_reference("pyradiomics/" + csv));
    std::map<std::string, double> mine;
    for (const auto& f : got) {
        mine[f.name] = f.value;
    }
    std::map<std::string, std::pair<int, int>> per_class;  // matched, total
    for (const auto& [name, value] : reference) {
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::string cls = name.substr(prefix.size(), name.find('_', prefix.size()) - prefix.size());
        auto& tally = per_class[cls];
        ++tally.second;
        const auto it = mine.find(name);
        BOOST_TEST_CONTEXT(csv << ": " << name)
        {
            BOOST_TEST_REQUIRE((it != mine.end()), "feature missing from the extractor output");
            const bool ok = rg_features_test::close(it->second, value);
            tally.first += ok ? 1 : 0;
            BOOST_TEST(ok, "got " << std::setprecision(17) << it->second << ", PyRadiomics " << value);
        }
    }
    for (const auto& [cls, tally] : per_class) {
        BOOST_TEST_MESSAGE(csv << " " << prefix << cls << ": " << tally.first << "/" << tally.second
                               << " equal to 1e-6");
    }
    // no extra features either
    for (const auto& f : got) {
        BOOST_TEST((reference.count(f.name) == 1), f.name << " is not in the PyRadiomics output");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pyradiomics_equality)

BOOST_AUTO_TEST_CASE(ct_phantom_original_bin_width_25)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 25.0;
    compare(rf::extract_original(img, mask, s), "ibsi_ct_phantom_paper.csv", "original_");
}

BOOST_AUTO_TEST_CASE(synthetic_pet_original_bin_width_025)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 0.25;
    compare(rf::extract_original(img, mask, s), "synthetic_pet_paper_bw025.csv", "original_");
}

BOOST_AUTO_TEST_CASE(synthetic_bat_ct_original_first_order)
{
    const auto img = rg::io::read_nifti<std::int16_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/ct.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 25.0;
    compare(rf::extract_original(img, mask, s, {{rf::feature_class::first_order, {}}}),
            "synthetic_bat_ct_firstorder.csv", "original_");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pyradiomics_paper_set)

// The study's 1,781 features (19 image types x 7 classes) against PyRadiomics.
BOOST_AUTO_TEST_CASE(ct_phantom_all_image_types)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.image_types = rf::paper_image_types();
    const auto got = rf::extract(img, mask, s);
    BOOST_TEST(got.size() == 1781u);
    compare(got, "ibsi_ct_phantom_paper.csv", "");
}

BOOST_AUTO_TEST_CASE(synthetic_pet_all_image_types)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 0.25;
    s.image_types = rf::paper_image_types();
    const auto got = rf::extract(img, mask, s);
    BOOST_TEST(got.size() == 1781u);
    compare(got, "synthetic_pet_paper_bw025.csv", "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pyradiomics_other_settings)

// normalize: True, normalizeScale 100, binWidth 25 (whole-image z-score before the filters). Every row, LBP3D
// included. These references were made with a NumPy stand-in for SimpleITK whose Normalize computes (x - mu)/sigma
// (shared/reference/pyradiomics/README.md), not SimpleITK's (x - mu) * (1/sigma); the last bits decide LBP3D ties,
// so the runs select that arithmetic (preprocess::normalize_arithmetic). The default, SimpleITK's, is checked
// against ITK itself in tests/preprocess/test_normalize.cpp.
BOOST_AUTO_TEST_CASE(ct_phantom_normalized_all_image_types)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.setting.normalize = true;
    s.setting.normalize_scale = 100.0;
    s.normalize_arithmetic = rg::preprocess::normalize_arithmetic::numpy_stand_in;
    s.image_types = rf::paper_image_types();
    compare(rf::extract(img, mask, s), "ibsi_ct_phantom_paper_normalized.csv", "");
}

BOOST_AUTO_TEST_CASE(synthetic_pet_normalized_all_image_types)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.setting.normalize = true;
    s.setting.normalize_scale = 100.0;
    s.normalize_arithmetic = rg::preprocess::normalize_arithmetic::numpy_stand_in;
    s.image_types = rf::paper_image_types();
    compare(rf::extract(img, mask, s), "synthetic_pet_paper_normalized.csv", "");
}

// force2D: True, force2Ddimension 0 (in-plane texture), binWidth 25, no shape.
BOOST_AUTO_TEST_CASE(ct_phantom_force2d_original)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.setting.force_2d = true;
    s.setting.force_2d_dimension = 0;
    s.classes = {{rf::feature_class::first_order, {}}, {rf::feature_class::glcm, {}}, {rf::feature_class::glrlm, {}},
                 {rf::feature_class::glszm, {}},       {rf::feature_class::gldm, {}}, {rf::feature_class::ngtdm, {}}};
    compare(rf::extract(img, mask, s), "ibsi_ct_phantom_force2d.csv", "");
}

// force2D on a volume: PyRadiomics' getWaveletImage drops force2Ddimension from the axes given to pywt.swtn, so the
// wavelet is in-plane (LH, HL, HH, LL per level). References: tests/fixtures/features/generate_wavelet_force2d.py
// (PyRadiomics 3.1 through ../shared/tools/pyradiomics-oracle), every force2Ddimension, and db2 at level 2.
BOOST_AUTO_TEST_CASE(ct_phantom_force2d_wavelet)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.setting.force_2d = true;
    rf::image_type_settings wavelet;
    wavelet.type = rg::filters::image_type::wavelet;
    s.image_types = {wavelet};
    s.classes = {{rf::feature_class::first_order, {}}, {rf::feature_class::glcm, {}}};
    for (int dimension = 0; dimension < 3; ++dimension) {
        s.setting.force_2d_dimension = dimension;
        const auto got = rf::extract(img, mask, s);
        BOOST_TEST(got.size() == 4u * (18u + 24u));  // 4 bands, not 8
        compare(got, rg_test::fixture("features/wavelet_force2d/dim" + std::to_string(dimension) + ".csv"), "",
                true);
    }
    s.setting.force_2d_dimension = 0;
    s.image_types[0].wavelet.wavelet = "db2";
    s.image_types[0].wavelet.level = 2;
    s.classes = {{rf::feature_class::first_order, {}}};
    compare(rf::extract(img, mask, s), rg_test::fixture("features/wavelet_force2d/dim0_db2_level2.csv"), "", true);
}

// The BAT case: first order only, int16 CT and float32 PET, all 19 image types.
BOOST_AUTO_TEST_CASE(synthetic_bat_first_order_all_image_types)
{
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/mask.nii.gz"));
    rf::extractor_settings s;
    s.image_types = rf::paper_image_types();
    s.classes = {{rf::feature_class::first_order, {}}};
    s.setting.bin_width = 25.0;
    const auto ct = rg::io::read_nifti<std::int16_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/ct.nii.gz"));
    compare(rf::extract(ct, mask, s), "synthetic_bat_ct_firstorder.csv", "");
    s.setting.bin_width = 0.25;
    const auto pet = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/pet.nii.gz"));
    compare(rf::extract(pet, mask, s), "synthetic_bat_pet_firstorder.csv", "");
}

BOOST_AUTO_TEST_SUITE_END()
