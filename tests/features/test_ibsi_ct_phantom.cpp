// IBSI 1 CT phantom (shared/reference/ibsi1/README.md, configurations A-E): the fraction of PyRadiomics-mapped
// features (ibsi1/pyradiomics_mapping.csv) within the IBSI consensus (reference_values.csv, |x - value| <=
// tolerance) per configuration and family, with `ibsi_compliant` (IBSI definitions) and without (PyRadiomics').
// The per-family table is printed (BOOST_TEST_MESSAGE, run with --log_level=message) and written in
// docs/radiomics_agreement.md. The test asserts that every feature with a reference value is within the IBSI
// tolerance, except the expected misses listed by name with their reason (`expected_misses`), and that those
// miss: the counts follow from the reference and the list, never from our own output.
//
// Pipeline per configuration (README "Processing configurations A-E"):
//   interpolation onto the IBSI grid (grid centres aligned, preprocess::ibsi_resampled_grid), image (bi/tri)linear
//   (E: cubic B-spline) then rounded to integers, mask linear + partial-volume threshold 0.5; range
//   re-segmentation; outlier re-segmentation mu +- 3 sigma (D, E; E intersects it with the range) expressed as a
//   resegmentRange computed from the ROI; fixed bin size 25 (A, C; with ibsi_compliant counted from the range's
//   lower bound) or fixed bin number 32 (B, D, E); 2D configurations (A, B) with force2D, paired with IBSI's 2.5D
//   aggregations as in the mapping file.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;
namespace rp = radiogenomics::preprocess;

namespace {

struct ct_config {
    char name;
    bool two_d;
    std::optional<std::array<double, 3>> spacing;  // (x, y, z) mm; none: native grid
    rp::interpolator image_interpolator;
    std::optional<std::array<double, 2>> range;
    bool outliers;
    std::optional<int> bin_count;  // none: bin width 25
};

const ct_config configs[] = {
    {'A', true, std::nullopt, rp::interpolator::linear, std::array<double, 2>{-500.0, 400.0}, false, std::nullopt},
    {'B', true, std::array<double, 3>{2.0, 2.0, 3.0}, rp::interpolator::linear, std::array<double, 2>{-500.0, 400.0},
     false, 32},
    {'C', false, std::array<double, 3>{2.0, 2.0, 2.0}, rp::interpolator::linear,
     std::array<double, 2>{-1000.0, 400.0}, false, std::nullopt},
    {'D', false, std::array<double, 3>{2.0, 2.0, 2.0}, rp::interpolator::linear, std::nullopt, true, 32},
    {'E', false, std::array<double, 3>{2.0, 2.0, 2.0}, rp::interpolator::bspline,
     std::array<double, 2>{-1000.0, 400.0}, true, 32},
};

using rg_features_test::all_features;

struct reference_row {
    std::string family;
    double value;
    double tolerance;  // NaN: none printed
};

/// (dataset, tag, aggregation) -> reference.
std::map<std::array<std::string, 3>, reference_row> reference_values()
{
    const auto t = rg::io::read_csv(rg_test::shared_reference("ibsi1/reference_values.csv"));
    const auto fam = t.column("family"), tag = t.column("tag"), agg = t.column("aggregation"),
               ds = t.column("dataset"), val = t.column("value"), tol = t.column("tolerance");
    std::map<std::array<std::string, 3>, reference_row> out;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        out[{t.rows[r][ds], t.rows[r][tag], t.rows[r][agg]}] = {
            t.rows[r][fam], t.number(r, val), t.rows[r][tol].empty() ? std::nan("") : t.number(r, tol)};
    }
    return out;
}

bool within(double x, const reference_row& ref)
{
    return rg_features_test::within_ibsi(x, ref.value, ref.tolerance);
}

using rg_features_test::aggregation_label;

/// The configuration's image and masks on its grid.
struct prepared {
    rg::image<double, 3> image;
    rg::mask_image<3> mask;
};

prepared prepare(const ct_config& c, const rg::image<float, 3>& img, const rg::mask_image<3>& mask)
{
    if (!c.spacing) {
        return {rg::cast_image<double>(img), mask};
    }
    const auto grid = rp::ibsi_resampled_grid(img.geometry(), {(*c.spacing)[0], (*c.spacing)[1], (*c.spacing)[2]});
    auto out = rp::resample_as<double>(img, grid, c.image_interpolator, 0.0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = std::round(out[i]);  // IBSI: intensities rounded to integers after interpolation
    }
    rp::mask_resample_options<std::uint8_t> o;
    o.method = rp::interpolator::linear;
    o.partial_volume_threshold = 0.5;
    o.label = 1;
    return {std::move(out), rp::resample_mask(mask, grid, o)};
}

/// Re-segmentation range: the configuration's range, intersected with mu +- 3 sigma of the ROI for D and E.
std::optional<std::array<double, 2>> resegmentation(const ct_config& c, const prepared& p)
{
    if (!c.outliers) {
        return c.range;
    }
    double sum = 0.0, count = 0.0;
    for (std::size_t i = 0; i < p.mask.size(); ++i) {
        if (p.mask[i] == 1) {
            sum += p.image[i];
            count += 1.0;
        }
    }
    const double mean = sum / count;
    double ss = 0.0;
    for (std::size_t i = 0; i < p.mask.size(); ++i) {
        if (p.mask[i] == 1) {
            ss += (p.image[i] - mean) * (p.image[i] - mean);
        }
    }
    const double sd = std::sqrt(ss / count);
    std::array<double, 2> r{mean - 3.0 * sd, mean + 3.0 * sd};
    if (c.range) {
        r = {std::max(r[0], (*c.range)[0]), std::min(r[1], (*c.range)[1])};
    }
    return r;
}

/// family -> (passed, total) for one configuration and mode, the IBSI tags (without aggregation) that
/// missed; also counts voxels.
struct tally {
    std::map<std::string, std::pair<int, int>> per_family;
    std::set<std::string> misses;
    std::size_t intensity_voxels = 0;
    std::size_t morphological_voxels = 0;
};

tally evaluate(const ct_config& c, const prepared& p, bool ibsi_compliant)
{
    rf::settings s;
    s.resegment_range = resegmentation(c, p);
    if (c.bin_count) {
        s.bin_count = c.bin_count;
    } else {
        s.bin_width = 25.0;
    }
    s.ibsi_compliant = ibsi_compliant;
    s.force_2d = c.two_d;
    const rf::roi_data roi = rf::make_roi(p.image, p.mask, s);
    const auto values = all_features(roi, s);
    static const auto reference = reference_values();
    const auto mapping = rg::io::read_csv(rg_test::shared_reference("ibsi1/pyradiomics_mapping.csv"));
    const std::string dataset = std::string("config_") + c.name;
    tally out;
    out.intensity_voxels = roi.values.size();
    for (const auto v : roi.shape_mask) {
        out.morphological_voxels += v;
    }
    for (std::size_t r = 0; r < mapping.row_count(); ++r) {
        const std::string tag_full = mapping.rows[r][0];
        const std::string name = mapping.rows[r][1];
        const bool name_3d = name.rfind("3D_original_", 0) == 0;
        const bool name_2d = name.rfind("2D_original_", 0) == 0;
        if (!name_3d && !name_2d) {
            continue;
        }
        const std::string feature = name.substr(12);
        const bool per_slice_class = feature.rfind("shape_", 0) != 0 && feature.rfind("firstorder_", 0) != 0;
        // 2D configurations: texture from the force2D rows (IBSI 2.5D); shape and first order from the 3D rows.
        if (per_slice_class ? (c.two_d != name_2d) : !name_3d) {
            continue;
        }
        const auto [tag, aggregation] = rg_features_test::split_ibsi_tag(tag_full);
        const auto ref = reference.find({dataset, tag, aggregation});
        if (ref == reference.end()) {
            continue;  // e.g. morph_comp_1 has no config C value
        }
        BOOST_TEST_REQUIRE((values.count(feature) == 1), "no computed value for " << feature);
        double x = values.at(feature);
        if (feature == "firstorder_Kurtosis") {
            x -= 3.0;  // IBSI stat_kurt is excess kurtosis
        }
        const bool ok = within(x, ref->second);
        auto& t = out.per_family[ref->second.family];
        t.first += ok ? 1 : 0;
        ++t.second;
        if (!ok) {
            out.misses.insert(tag);
            BOOST_TEST_MESSAGE("config " << c.name << (ibsi_compliant ? " ibsi " : " pyradiomics ") << tag_full << " ("
                                         << feature << "): " << std::setprecision(6) << x << " vs IBSI "
                                         << ref->second.value << " +- " << ref->second.tolerance);
        }
    }
    return out;
}

/// The features expected to miss the IBSI consensus, by configuration and mode (true: ibsi_compliant), with
/// the reason. Everything else must be within tolerance.
const std::string fixed_bin_origin =
    "fixed bin size: PyRadiomics counts bins from floor(min/w)*w of the ROI, IBSI from the re-segmentation "
    "bound -1000 HU, so grey levels are ~2 bins lower and features weighting by the grey level itself miss";
const std::map<std::pair<char, bool>, std::map<std::string, std::string>> expected_misses{
    {{'C', false},
     {{"cm_joint_avg", fixed_bin_origin},  {"cm_sum_avg", fixed_bin_origin},   {"cm_auto_corr", fixed_bin_origin},
      {"rlm_lgre", fixed_bin_origin},      {"rlm_hgre", fixed_bin_origin},     {"rlm_srlge", fixed_bin_origin},
      {"rlm_srhge", fixed_bin_origin},     {"rlm_lrlge", fixed_bin_origin},    {"rlm_lrhge", fixed_bin_origin},
      {"szm_lgze", fixed_bin_origin},      {"szm_hgze", fixed_bin_origin},     {"szm_szlge", fixed_bin_origin},
      {"szm_szhge", fixed_bin_origin},     {"szm_lzlge", fixed_bin_origin},    {"szm_lzhge", fixed_bin_origin},
      {"ngt_busyness", fixed_bin_origin},  {"ngl_lgce", fixed_bin_origin},     {"ngl_hgce", fixed_bin_origin},
      {"ngl_ldlge", fixed_bin_origin},     {"ngl_ldhge", fixed_bin_origin},    {"ngl_hdlge", fixed_bin_origin},
      {"ngl_hdhge", fixed_bin_origin}}},
};

/// The expected misses of one configuration and mode (empty when none are listed).
std::set<std::string> expected_miss_tags(char config, bool ibsi_compliant)
{
    std::set<std::string> out;
    const auto e = expected_misses.find({config, ibsi_compliant});
    if (e != expected_misses.end()) {
        for (const auto& [tag, reason] : e->second) {
            out.insert(tag);
        }
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ibsi_ct_phantom)

BOOST_AUTO_TEST_CASE(configurations_a_to_e)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    // Intensity-mask voxel counts after re-segmentation and morphological-mask counts: the IBSI team modes
    // (ibsi1/diagnostics_team_mode.csv, README "Diagnostic features").
    const std::map<char, std::pair<double, double>> counts{
        {'A', {114596, 125256}}, {'B', {27359, 0}}, {'C', {45981, 45985}}, {'D', {44465, 45985}}, {'E', {44484, 45985}}};
    std::ostringstream table;
    for (const auto& c : configs) {
        const prepared p = prepare(c, img, mask);
        const tally ibsi = evaluate(c, p, true);
        const tally pyr = evaluate(c, p, false);
        BOOST_TEST_CONTEXT("config " << c.name)
        {
            BOOST_TEST(std::fabs(static_cast<double>(ibsi.intensity_voxels) - counts.at(c.name).first) <=
                       0.002 * counts.at(c.name).first);
            if (counts.at(c.name).second > 0) {
                BOOST_TEST(std::fabs(static_cast<double>(ibsi.morphological_voxels) - counts.at(c.name).second) <=
                           0.002 * counts.at(c.name).second);
            }
            BOOST_TEST_MESSAGE("config " << c.name << ": intensity mask " << ibsi.intensity_voxels
                                         << " voxels, morphological mask " << ibsi.morphological_voxels);
            for (const auto& [family, t] : ibsi.per_family) {
                const auto& q = pyr.per_family.at(family);
                table << "| " << c.name << " | " << family << " | " << t.first << "/" << t.second << " | " << q.first
                      << "/" << q.second << " |\n";
            }
            // Exactly the listed features miss, in each mode.
            for (const bool ibsi_compliant : {true, false}) {
                const auto& misses = (ibsi_compliant ? ibsi : pyr).misses;
                const auto expected = expected_miss_tags(c.name, ibsi_compliant);
                BOOST_TEST_CONTEXT((ibsi_compliant ? "ibsi_compliant" : "PyRadiomics definitions"))
                {
                    for (const auto& tag : misses) {
                        BOOST_TEST(expected.count(tag) == 1u, tag << " misses the IBSI consensus unexpectedly");
                    }
                    for (const auto& tag : expected) {
                        BOOST_TEST(misses.count(tag) == 1u, tag << " is listed as an expected miss but agrees now");
                    }
                }
            }
        }
    }
    BOOST_TEST_MESSAGE("| config | family | ibsi_compliant | PyRadiomics definitions |\n" << table.str());
}

BOOST_AUTO_TEST_SUITE_END()
