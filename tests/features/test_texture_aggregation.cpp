// IBSI texture-matrix aggregation (texture_aggregation.hpp) on the IBSI 1 digital phantom: every GLCM (cm_*) and
// GLRLM (rlm_*) feature with a digital-phantom reference value in shared/reference/ibsi1/reference_values.csv
// must be within the IBSI consensus for each of the six aggregation methods (|x - value| <= tolerance, or 3
// significant digits where the manual gives none). IBSI tags are paired with PyRadiomics feature names through
// shared/reference/ibsi1/pyradiomics_mapping.csv (its 3D_avg rows; the feature definitions do not depend on
// the aggregation). The phantom is not discretised: binWidth 1, ibsi_compliant.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <map>
#include <string>

#include "feature_test_util.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/texture_aggregation.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

struct reference_value {
    double value;
    double tolerance;  // NaN: none given
};

const std::map<std::string, std::string>& aggregation_labels()
{
    static const std::map<std::string, std::string> labels{
        {"2D_avg", "2D averaged"},    {"2D_comb", "2D slice-merged"}, {"2_5D_avg", "2.5D direction-merged"},
        {"2_5D_comb", "2.5D merged"}, {"3D_avg", "3D averaged"},      {"3D_comb", "3D merged"}};
    return labels;
}

/// (tag, aggregation label) -> digital-phantom reference, GLCM and GLRLM rows only.
std::map<std::pair<std::string, std::string>, reference_value> phantom_reference()
{
    const auto t = rg::io::read_csv(rg_test::shared_reference("ibsi1/reference_values.csv"));
    const auto tag = t.column("tag"), agg = t.column("aggregation"), ds = t.column("dataset"),
               val = t.column("value"), tol = t.column("tolerance");
    std::map<std::pair<std::string, std::string>, reference_value> out;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string& name = t.rows[r][tag];
        if (t.rows[r][ds] != "digital_phantom" || (name.rfind("cm_", 0) != 0 && name.rfind("rlm_", 0) != 0)) {
            continue;
        }
        out[{name, t.rows[r][agg]}] = {t.number(r, val), t.rows[r][tol].empty() ? std::nan("") : t.number(r, tol)};
    }
    return out;
}

/// IBSI tag -> "glcm_<Name>" / "glrlm_<Name>" from the mapping's 3D_avg rows.
std::map<std::string, std::string> tag_to_feature()
{
    const auto t = rg::io::read_csv(rg_test::shared_reference("ibsi1/pyradiomics_mapping.csv"));
    const std::string suffix = "_3D_avg";
    const std::string prefix = "3D_original_";
    std::map<std::string, std::string> out;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string& tag = t.rows[r][0];
        const std::string& name = t.rows[r][1];
        if (tag.size() > suffix.size() && tag.compare(tag.size() - suffix.size(), suffix.size(), suffix) == 0 &&
            name.rfind(prefix, 0) == 0) {
            out[tag.substr(0, tag.size() - suffix.size())] = name.substr(prefix.size());
        }
    }
    return out;
}

bool within(double x, const reference_value& ref)
{
    return rg_features_test::within_ibsi(x, ref.value, ref.tolerance);
}

rf::roi_data phantom_roi(const rf::settings& s)
{
    const auto img = rg::io::read_nifti<double, 3>(rg_test::shared_reference("ibsi1/digital_phantom/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/digital_phantom/mask.nii.gz"));
    return rf::make_roi(img, mask, s);
}

rf::settings phantom_settings()
{
    rf::settings s;
    s.bin_width = 1.0;
    s.ibsi_compliant = true;
    return s;
}

std::map<std::string, double> aggregated(const rf::roi_data& roi, const rf::settings& s, rf::texture_aggregation mode)
{
    std::map<std::string, double> out;
    const auto glcm = rf::glcm_features_aggregated(roi, s, mode);
    for (std::size_t r = 0; r < rf::glcm_table.size(); ++r) {
        out["glcm_" + std::string(rf::glcm_table[r].name)] = glcm[r];
    }
    const auto glrlm = rf::glrlm_features_aggregated(roi, s, mode);
    for (std::size_t r = 0; r < rf::glrlm_table.size(); ++r) {
        out["glrlm_" + std::string(rf::glrlm_table[r].name)] = glrlm[r];
    }
    return out;
}

void check_mode(rf::texture_aggregation mode)
{
    const auto s = phantom_settings();
    const auto roi = phantom_roi(s);
    const auto values = aggregated(roi, s, mode);
    const auto reference = phantom_reference();
    const auto features = tag_to_feature();
    const std::string label = aggregation_labels().at(rf::texture_aggregation_tag(mode));
    int total = 0, passed = 0, glcm = 0, glrlm = 0;
    for (const auto& [key, ref] : reference) {
        if (key.second != label) {
            continue;
        }
        const auto feature = features.find(key.first);
        BOOST_TEST_REQUIRE((feature != features.end()), "no PyRadiomics feature mapped to " << key.first);
        BOOST_TEST_REQUIRE((values.count(feature->second) == 1), "no computed value for " << feature->second);
        const double x = values.at(feature->second);
        const bool ok = within(x, ref);
        ++total;
        passed += ok ? 1 : 0;
        (key.first.rfind("cm_", 0) == 0 ? glcm : glrlm) += 1;
        BOOST_TEST(ok, key.first << "_" << rf::texture_aggregation_tag(mode) << " (" << feature->second << "): got "
                                 << std::setprecision(6) << x << ", IBSI " << ref.value << " +- " << ref.tolerance);
    }
    BOOST_TEST_MESSAGE(rf::texture_aggregation_tag(mode) << ": " << passed << "/" << total
                                                         << " within the IBSI consensus");
    BOOST_TEST(glcm == 25);   // every IBSI GLCM feature has a digital-phantom value for every aggregation
    BOOST_TEST(glrlm == 16);  // and every GLRLM feature
}

}  // namespace

BOOST_AUTO_TEST_SUITE(texture_aggregation)

BOOST_AUTO_TEST_CASE(ibsi_3d_averaged) { check_mode(rf::texture_aggregation::average_3d); }
BOOST_AUTO_TEST_CASE(ibsi_3d_merged) { check_mode(rf::texture_aggregation::merged_3d); }
BOOST_AUTO_TEST_CASE(ibsi_2d_averaged) { check_mode(rf::texture_aggregation::average_2d); }
BOOST_AUTO_TEST_CASE(ibsi_2d_slice_merged) { check_mode(rf::texture_aggregation::slice_merged_2d); }
BOOST_AUTO_TEST_CASE(ibsi_2_5d_direction_merged) { check_mode(rf::texture_aggregation::direction_merged_2_5d); }
BOOST_AUTO_TEST_CASE(ibsi_2_5d_merged) { check_mode(rf::texture_aggregation::merged_2_5d); }

// average_3d is PyRadiomics' default path, bit for bit; direction_merged_2_5d is PyRadiomics with force2D
// (its per-direction matrices summed over slices are exactly force2D's in-plane matrices).
BOOST_AUTO_TEST_CASE(average_3d_is_the_default_path)
{
    auto s = phantom_settings();
    const auto roi = phantom_roi(s);
    const auto glcm = rf::glcm_features(rf::glcm_matrix(roi.grid, s));
    const auto glcm_avg = rf::glcm_features_aggregated(roi, s, rf::texture_aggregation::average_3d);
    const auto glrlm = rf::glrlm_features(rf::glrlm_matrix(roi.grid, s));
    const auto glrlm_avg = rf::glrlm_features_aggregated(roi, s, rf::texture_aggregation::average_3d);
    for (std::size_t f = 0; f < glcm.size(); ++f) {
        BOOST_TEST(glcm[f] == glcm_avg[f], rf::glcm_table[f].name);
    }
    for (std::size_t f = 0; f < glrlm.size(); ++f) {
        BOOST_TEST(glrlm[f] == glrlm_avg[f], rf::glrlm_table[f].name);
    }
    s.force_2d = true;
    const auto glcm_2d = rf::glcm_features(rf::glcm_matrix(roi.grid, s));
    const auto glcm_jjui = rf::glcm_features_aggregated(roi, s, rf::texture_aggregation::direction_merged_2_5d);
    for (std::size_t f = 0; f < glcm.size(); ++f) {
        BOOST_TEST(glcm_2d[f] == glcm_jjui[f], rf::glcm_table[f].name);
    }
}

// Slices across another axis (force2Ddimension 2 = x): the phantom with x and z swapped, sliced across x, gives
// the same 2D / 2.5D features as the phantom sliced across z (same slices, same in-plane directions).
BOOST_AUTO_TEST_CASE(slice_axis_follows_force_2d_dimension)
{
    const auto s = phantom_settings();
    const auto img = rg::io::read_nifti<double, 3>(rg_test::shared_reference("ibsi1/digital_phantom/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/digital_phantom/mask.nii.gz"));
    const auto shape = img.shape();
    const rg::image_geometry<3> swapped_grid({shape[2], shape[1], shape[0]}, {2.0, 2.0, 2.0}, {0.0, 0.0, 0.0});
    rg::image<double, 3> img_swapped(swapped_grid, 0.0);
    rg::image<std::uint8_t, 3> mask_swapped(swapped_grid, 0);
    for (std::size_t k = 0; k < shape[2]; ++k) {
        for (std::size_t j = 0; j < shape[1]; ++j) {
            for (std::size_t i = 0; i < shape[0]; ++i) {
                img_swapped(k, j, i) = img(i, j, k);
                mask_swapped(k, j, i) = mask(i, j, k);
            }
        }
    }
    const auto roi = rf::make_roi(img, mask, s);
    auto s_swapped = s;
    s_swapped.force_2d_dimension = 2;
    const auto roi_swapped = rf::make_roi(img_swapped, mask_swapped, s_swapped);
    for (const auto mode : rf::texture_aggregations) {
        const auto a = aggregated(roi, s, mode);
        const auto b = aggregated(roi_swapped, s_swapped, mode);
        if (mode == rf::texture_aggregation::average_3d || mode == rf::texture_aggregation::merged_3d) {
            continue;  // 3D: the axis does not matter and is not looked at
        }
        for (const auto& [name, x] : a) {
            if (name == "glcm_MCC") {
                continue;  // eigenvalue path may differ by rounding; not an IBSI feature
            }
            BOOST_TEST(std::fabs(x - b.at(name)) <= 1e-12 * (1.0 + std::fabs(x)),
                       rf::texture_aggregation_tag(mode) << " " << name << ": " << x << " vs " << b.at(name));
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_force_2d_dimension_throws)
{
    auto s = phantom_settings();
    const auto roi = phantom_roi(s);
    s.force_2d_dimension = 3;
    BOOST_CHECK_THROW(rf::glcm_features_aggregated(roi, s, rf::texture_aggregation::average_2d), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::glrlm_features_aggregated(roi, s, rf::texture_aggregation::merged_2_5d),
                      rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
