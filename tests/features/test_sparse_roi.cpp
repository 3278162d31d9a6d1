// Sparse ROIs in multi-label masks and random small volumes against PyRadiomics 3.1 (issue 17, items 2 and 4):
// every feature of every class of the Original image type, 1e-6 relative, no feature missing or extra.
// Reference values: tests/fixtures/features/generate_sparse_roi.py, which runs the PyRadiomics oracle
// (../shared/tools/pyradiomics-oracle, bit-identical to PyRadiomics 3.1) on the committed inputs.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

/// case name -> (feature name -> PyRadiomics value) from a wide *_expected.csv.
std::map<std::string, std::map<std::string, double>> read_expected(const std::string& file)
{
    const auto table = rg::io::read_csv(rg_test::fixture("features/" + file));
    std::map<std::string, std::map<std::string, double>> out;
    for (const auto& row : table.rows) {
        auto& values = out[row[0]];
        for (std::size_t c = 1; c < table.header.size(); ++c) {
            values[table.header[c]] = std::strtod(row[c].c_str(), nullptr);  // "nan" parses as NaN
        }
    }
    return out;
}

/// Per-class tally of matches over all cases (printed with --log_level=message).
using tally_map = std::map<std::string, std::pair<int, int>>;

void compare_case(const rf::feature_list& got, const std::map<std::string, double>& expected, const std::string& name,
                  tally_map& tally)
{
    std::map<std::string, double> mine;
    for (const auto& f : got) {
        mine[f.name] = f.value;
    }
    BOOST_TEST(mine.size() == expected.size(), name << ": " << mine.size() << " features, PyRadiomics "
                                                    << expected.size());
    for (const auto& [feature, value] : expected) {
        const std::string cls = feature.substr(9, feature.find('_', 9) - 9);  // "original_<class>_<Name>"
        auto& t = tally[cls];
        ++t.second;
        const auto it = mine.find(feature);
        BOOST_TEST_CONTEXT(name << ": " << feature)
        {
            BOOST_TEST_REQUIRE((it != mine.end()), "feature missing from the extractor output");
            const bool ok = rg_features_test::close(it->second, value);
            t.first += ok ? 1 : 0;
            BOOST_TEST(ok, "got " << std::setprecision(17) << it->second << ", PyRadiomics " << value);
        }
    }
}

void report(const std::string& what, const tally_map& tally)
{
    for (const auto& [cls, t] : tally) {
        BOOST_TEST_MESSAGE(what << " " << cls << ": " << t.first << "/" << t.second << " equal to 1e-6");
    }
}

rf::settings case_settings(int label, const std::string& bin_width, const std::string& bin_count)
{
    rf::settings s;
    s.label = label;
    if (bin_count != "-") {
        s.bin_count = std::stoi(bin_count);
    } else {
        s.bin_width = std::stod(bin_width);
    }
    return s;
}

/// One random case of random_roi_cases.txt (format in generate_sparse_roi.py).
struct random_case {
    std::string name;
    rg::image<float, 3> image;
    rg::image<std::uint8_t, 3> mask;
    rf::settings setting;
};

std::vector<random_case> read_random_cases()
{
    std::ifstream in(rg_test::fixture("features/random_roi_cases.txt"));
    BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open random_roi_cases.txt");
    std::vector<random_case> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            continue;
        }
        std::istringstream fields(line);
        std::string name, bin_width, bin_count, values, digits;
        std::size_t nx = 0, ny = 0, nz = 0;
        double sx = 0, sy = 0, sz = 0;
        int label = 0;
        fields >> name >> nx >> ny >> nz >> sx >> sy >> sz >> label >> bin_width >> bin_count >> values >> digits;
        const rg::image_geometry<3> geometry({nx, ny, nz}, {sx, sy, sz}, {0.0, 0.0, 0.0});
        random_case c{name, rg::image<float, 3>(geometry), rg::image<std::uint8_t, 3>(geometry),
                      case_settings(label, bin_width, bin_count)};
        const std::size_t n = nx * ny * nz;
        BOOST_TEST_REQUIRE(digits.size() == n, name << ": mask length");
        const char* p = values.c_str();
        for (std::size_t i = 0; i < n; ++i) {
            char* end = nullptr;
            c.image[i] = std::strtof(p, &end);  // shortest decimal of a float32: reads back exactly
            p = *end == ',' ? end + 1 : end;
            c.mask[i] = static_cast<std::uint8_t>(digits[i] - '0');
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sparse_roi)

// Label maps holding {1, 7, 8, 9}: label 1 is a sparse ROI (isolated voxels, small components, voxels touching
// only along an edge) spanning every slice and the image border, other labels next to it; runs for label 1 and
// for the block labels 8 and 9, binWidth 25/10/40 and binCount 16, three spacings.
BOOST_AUTO_TEST_CASE(multi_label_maps_equal_pyradiomics)
{
    const auto expected = read_expected("sparse_roi_expected.csv");
    const auto cases = rg::io::read_csv(rg_test::fixture("features/sparse_roi_cases.csv"));
    BOOST_TEST_REQUIRE(cases.row_count() == expected.size());
    tally_map tally;
    for (const auto& row : cases.rows) {
        const std::string& name = row[cases.column("case")];
        const auto img = rg::io::read_nifti<float, 3>(rg_test::fixture("features/" + row[cases.column("image")]));
        const auto mask =
            rg::io::read_nifti<std::uint8_t, 3>(rg_test::fixture("features/" + row[cases.column("mask")]));
        const rf::settings s = case_settings(std::stoi(row[cases.column("label")]), row[cases.column("binWidth")],
                                             row[cases.column("binCount")]);
        compare_case(rf::extract_original(img, mask, s), expected.at(name), name, tally);
    }
    report("sparse multi-label ROIs", tally);
}

// Property test: random small volumes (random labels 1-9, isolated voxels, blobs, ROIs on an image face, thin
// images, four spacings, few or many grey levels, binWidth or binCount), fixed seed in the generator.
BOOST_AUTO_TEST_CASE(random_small_volumes_equal_pyradiomics)
{
    const auto expected = read_expected("random_roi_expected.csv");
    const auto cases = read_random_cases();
    BOOST_TEST_REQUIRE(cases.size() == expected.size());
    tally_map tally;
    for (const auto& c : cases) {
        compare_case(rf::extract_original(c.image, c.mask, c.setting), expected.at(c.name), c.name, tally);
    }
    report("random small volumes", tally);
}

// MeshVolume: PyRadiomics' signed sum is negative on the edge-touching pairs (the fixture asserts the value); with
// ibsiCompliant the enclosed volume is positive, does not depend on where the ROI sits in the padded mask, and
// equals the signed sum wherever the mesh is closed.
BOOST_AUTO_TEST_CASE(mesh_volume_sign_and_ibsi_enclosed_volume)
{
    const auto expected = read_expected("sparse_roi_expected.csv");
    const double pyradiomics = expected.at("edge_pairs_label1_binwidth25").at("original_shape_MeshVolume");
    BOOST_TEST_REQUIRE(pyradiomics < 0.0);  // the case this test is about

    const auto img = rg::io::read_nifti<float, 3>(rg_test::fixture("features/sparse_roi/edge_pairs_image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::fixture("features/sparse_roi/edge_pairs_mask.nii.gz"));
    rf::settings s;
    const rf::roi_data roi = rf::make_roi(img, mask, s);
    const auto py = rf::shape_features(roi, s);
    const auto at = [](const rf::shape_values& v, rf::shape_feature f) { return v[static_cast<std::size_t>(f)]; };
    BOOST_TEST(rg_features_test::close(at(py, rf::shape_feature::mesh_volume), pyradiomics));
    s.ibsi_compliant = true;
    const auto ibsi = rf::shape_features(roi, s);
    const double enclosed = at(ibsi, rf::shape_feature::mesh_volume);
    BOOST_TEST(enclosed > 0.0);
    BOOST_TEST(at(ibsi, rf::shape_feature::surface_volume_ratio) > 0.0);
    BOOST_TEST(at(ibsi, rf::shape_feature::surface_area) == at(py, rf::shape_feature::surface_area));
    // Same voxels, one row (y) further from the bounding box's first voxel: the holes lie in planes of constant y,
    // so PyRadiomics' sum moves; the enclosed volume does not.
    const auto ext = [&](const rf::roi_data& r) {
        return std::array<std::size_t, 3>{r.shape_box.extent(0), r.shape_box.extent(1), r.shape_box.extent(2)};
    };
    const auto e = ext(roi);
    std::vector<std::uint8_t> moved(e[0] * (e[1] + 1) * e[2], 0);
    for (std::size_t k = 0; k < e[2]; ++k) {
        for (std::size_t j = 0; j < e[1]; ++j) {
            for (std::size_t i = 0; i < e[0]; ++i) {
                const bool in = roi.shape_mask[i + e[0] * (j + e[1] * k)] != 0;
                // the corner voxel stays, every other voxel moves one row on
                const std::size_t jj = (i == 0 && j == 0 && k == 0) ? 0 : j + 1;
                if (in) {
                    moved[i + e[0] * (jj + (e[1] + 1) * k)] = 1;
                }
            }
        }
    }
    const auto m0 = rf::mesh_measures(roi.shape_mask, e, roi.spacing);
    const auto m1 = rf::mesh_measures(moved, {e[0], e[1] + 1, e[2]}, roi.spacing);
    BOOST_TEST(m0.enclosed_volume == enclosed);
    BOOST_TEST(m1.enclosed_volume == m0.enclosed_volume, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(std::fabs(m1.volume - m0.volume) > 1.0);  // the open mesh's sum depends on the origin

    // Closed meshes: one voxel (octahedron, V = s^3 / 6), a 3x3x3 block (139/6, test_hand_made.cpp) and a hollow
    // 5x5x5 box with a 3x3x3 cavity (outer 5^3 block minus the inner block's mesh) give the same enclosed volume
    // as the signed sum.
    const auto one = rf::mesh_measures({1}, {1, 1, 1}, {2.0, 0.5, 3.0});
    BOOST_TEST(one.enclosed_volume == 3.0 / 6.0, boost::test_tools::tolerance(1e-14));
    BOOST_TEST(one.volume == 3.0 / 6.0, boost::test_tools::tolerance(1e-14));
    const auto block = rf::mesh_measures(std::vector<std::uint8_t>(27, 1), {3, 3, 3}, {1.0, 1.0, 1.0});
    BOOST_TEST(block.enclosed_volume == 139.0 / 6.0, boost::test_tools::tolerance(1e-14));
    std::vector<std::uint8_t> hollow(125, 1);
    for (std::size_t k = 1; k < 4; ++k) {
        for (std::size_t j = 1; j < 4; ++j) {
            for (std::size_t i = 1; i < 4; ++i) {
                hollow[i + 5 * (j + 5 * k)] = 0;
            }
        }
    }
    const auto box = rf::mesh_measures(hollow, {5, 5, 5}, {1.0, 1.0, 1.0});
    BOOST_TEST(box.volume == box.enclosed_volume, boost::test_tools::tolerance(1e-12));
}

// The two PyRadiomics rules for isolated voxels and what ibsiCompliant does instead, on ROI {(0,0,0), (2,1,0),
// (3,1,0)} of a 4x3x1 image (levels 1, 1, 2 with binWidth 25), worked out by hand from PyRadiomics' C code:
// - GLRLM (in-plane directions only, the crop is one slice thick): along x the row y = 1 holds two ROI voxels, so x
//   is kept; along y and both diagonals no line holds two, so PyRadiomics' calculate_glrlm zeroes them and
//   glrlm.py deletes them. IBSI keeps all four directions.
// - NGTDM: (0,0,0) has no neighbour in the ROI; PyRadiomics counts it in n_1 with difference 0 (n_1 = 2, s_1 = 1,
//   n_2 = 1, s_2 = 1); IBSI leaves it out (n_1 = 1).
BOOST_AUTO_TEST_CASE(isolated_voxels_pyradiomics_rules_and_ibsi)
{
    const rg::image_geometry<3> geometry({4, 3, 1}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> img(geometry);
    rg::image<std::uint8_t, 3> mask(geometry);
    const auto at = [](std::size_t i, std::size_t j) { return i + 4 * j; };
    img[at(0, 0)] = 10.0f;
    img[at(2, 1)] = 10.0f;
    img[at(3, 1)] = 40.0f;
    mask[at(0, 0)] = mask[at(2, 1)] = mask[at(3, 1)] = 1;
    mask[at(1, 0)] = 7;  // another label beside the isolated voxel: not a neighbour, does not join lines
    for (const bool ibsi : {false, true}) {
        BOOST_TEST_CONTEXT("ibsiCompliant " << ibsi)
        {
            rf::settings s;
            s.ibsi_compliant = ibsi;
            const rf::roi_data roi = rf::make_roi(img, mask, s);
            const auto runs = rf::glrlm_matrix(roi.grid, s);
            BOOST_TEST(runs.offsets.size() == (ibsi ? 4u : 1u));
            const auto ng = rf::ngtdm_matrix(roi.grid, s);
            BOOST_TEST_REQUIRE(ng.level.size() == 2u);
            BOOST_TEST(ng.n[0] == (ibsi ? 1.0 : 2.0));
            BOOST_TEST(ng.s[0] == 1.0);
            BOOST_TEST(ng.n[1] == 1.0);
            BOOST_TEST(ng.s[1] == 1.0);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
