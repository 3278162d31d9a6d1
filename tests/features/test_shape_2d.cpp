// features/shape_2d.hpp (PyRadiomics shape2D): hand-worked contours (square, L, single pixel), a frozen
// NumPy fixture computed by counting 2x2 square configurations (tests/fixtures/features/generate_shape_2d.py,
// independent of the contour tracing), geometric properties (disc area -> pi r^2, transpose invariance),
// the force2Ddimension plumbing from a 3D ROI, and bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "feature_test_util.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/shape_2d.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;
namespace tt = boost::test_tools;

namespace {

using f2 = rf::shape_2d_feature;

double at(const rf::shape_2d_values& v, f2 f) { return v[static_cast<std::size_t>(f)]; }

std::vector<std::uint8_t> bits(const std::string& text)
{
    std::vector<std::uint8_t> out;
    for (char c : text) {
        out.push_back(c == 'x' ? 1 : 0);
    }
    return out;
}

/// A 3D image (x, y, z) with the given mask voxels set (linear x-fastest offsets).
struct volume_case {
    rg::image<double, 3> img;
    rg::mask_image<3> mask;
    volume_case(std::array<std::size_t, 3> shape, std::array<double, 3> spacing)
        : img(rg::image_geometry<3>(shape, spacing, {0.0, 0.0, 0.0})), mask(rg::make_image_like<std::uint8_t>(img, std::uint8_t{0}))
    {
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(shape_2d)

BOOST_AUTO_TEST_CASE(square_by_hand)
{
    // 4 x 4 pixels, spacing 1: the contour is the square's outline with the 4 corners cut by half-diagonals.
    // A = 16 - 4 * 1/8 = 15.5; P = 4 * 3 + 4 * sqrt(0.5) = 12 + 2 sqrt(2); diameter between (-0.5, 0) and
    // (3.5, 3) (pixel-centre coordinates): sqrt(16 + 9) = 5. PCA: variance (n^2 - 1)/12 = 1.25 per axis,
    // axis length 4 sqrt(1.25), Elongation 1.
    const auto v = rf::shape_2d_plane_features(std::vector<std::uint8_t>(16, 1), {4, 4}, {1.0, 1.0});
    BOOST_TEST(at(v, f2::mesh_surface) == 15.5, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::perimeter) == 12.0 + 2.0 * std::sqrt(2.0), tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::maximum_diameter) == 5.0, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::pixel_surface) == 16.0);
    BOOST_TEST(at(v, f2::major_axis_length) == 4.0 * std::sqrt(1.25), tt::tolerance(1e-12));
    BOOST_TEST(at(v, f2::minor_axis_length) == 4.0 * std::sqrt(1.25), tt::tolerance(1e-12));
    BOOST_TEST(at(v, f2::elongation) == 1.0, tt::tolerance(1e-12));
    const double sphericity = 2.0 * std::sqrt(3.14159265358979323846 * 15.5) / (12.0 + 2.0 * std::sqrt(2.0));
    BOOST_TEST(at(v, f2::sphericity) == sphericity, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::spherical_disproportion) == 1.0 / sphericity, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::perimeter_surface_ratio) == (12.0 + 2.0 * std::sqrt(2.0)) / 15.5, tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(anisotropic_rectangle_by_hand)
{
    // 3 rows x 6 columns, spacing (row 0.8, column 1.3): A = 0.8 * 1.3 * (18 - 0.5) = 18.2;
    // P = 2 * 5 * 1.3 + 2 * 2 * 0.8 + 4 * 0.5 * hypot(0.8, 1.3).
    const auto c = rf::contour_measures(std::vector<std::uint8_t>(18, 1), {3, 6}, {0.8, 1.3});
    BOOST_TEST(c.surface == 18.2, tt::tolerance(1e-13));
    BOOST_TEST(c.perimeter == 13.0 + 3.2 + 2.0 * std::hypot(0.8, 1.3), tt::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(l_shape_by_hand)
{
    // x . .
    // x . .      5 pixels. Squares with 1 ROI corner: 5 (area 1/8 each, half-diagonal each), with 3: the
    // x x x      inner elbow (7/8, half-diagonal), side-by-side pairs: 6 (unit lines).
    // A = 5 - 5/8 + 1/8 = 4.5; P = 6 + 6 sqrt(0.5) = 6 + 3 sqrt(2). Vertices (pixel-centre coordinates):
    // the farthest pair is (-0.5, 0)-(2.5, 2) (or (0, -0.5)-(2, 2.5)): sqrt(9 + 4) = sqrt(13).
    const auto v = rf::shape_2d_plane_features(bits("x..x..xxx"), {3, 3}, {1.0, 1.0});
    BOOST_TEST(at(v, f2::mesh_surface) == 4.5, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::perimeter) == 6.0 + 3.0 * std::sqrt(2.0), tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::maximum_diameter) == std::sqrt(13.0), tt::tolerance(1e-14));
    // PCA: rows {0,1,2,2,2}, cols {0,0,0,1,2}: var_r = var_c = 3.2/5 = 0.64, cov = 1.8/5 = 0.36
    // -> lambda = 0.64 +- 0.36 = 1.0, 0.28
    BOOST_TEST(at(v, f2::major_axis_length) == 4.0, tt::tolerance(1e-12));
    BOOST_TEST(at(v, f2::minor_axis_length) == 4.0 * std::sqrt(0.28), tt::tolerance(1e-12));
    BOOST_TEST(at(v, f2::elongation) == std::sqrt(0.28), tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(single_pixel_and_saddles)
{
    // One pixel: a diamond through the 4 edge midpoints, A = 1/2, P = 4 sqrt(0.5), diameter 1, PCA 0 -> the
    // axis lengths are 0 and Elongation 0/0 = NaN (PyRadiomics' value).
    const auto v = rf::shape_2d_plane_features({1}, {1, 1}, {1.0, 1.0});
    BOOST_TEST(at(v, f2::mesh_surface) == 0.5, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::perimeter) == 2.0 * std::sqrt(2.0), tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::maximum_diameter) == 1.0, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f2::major_axis_length) == 0.0);
    BOOST_TEST(std::isnan(at(v, f2::elongation)));
    // Diagonal neighbours are not connected (both saddle cases cut off the ROI corners): two diamonds.
    for (const char* m : {"x..x", ".xx."}) {
        const auto c = rf::contour_measures(bits(m), {2, 2}, {1.0, 1.0});
        BOOST_TEST(c.surface == 1.0, tt::tolerance(1e-14));
        BOOST_TEST(c.perimeter == 4.0 * std::sqrt(2.0), tt::tolerance(1e-14));
    }
}

BOOST_AUTO_TEST_CASE(numpy_configuration_count_fixture)
{
    // Values from generate_shape_2d.py (NumPy; square-configuration counts, brute-force diameter, eigvalsh).
    const auto t = rg::io::read_csv(rg_test::fixture("features/shape_2d_cases.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 9u);
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string name = t.rows[r][t.column("case")];
        const std::array<std::size_t, 2> shape{static_cast<std::size_t>(t.number(r, t.column("rows"))),
                                               static_cast<std::size_t>(t.number(r, t.column("cols")))};
        const std::array<double, 2> spacing{t.number(r, t.column("spacing_row")), t.number(r, t.column("spacing_col"))};
        const auto v = rf::shape_2d_plane_features(bits(t.rows[r][t.column("mask")]), shape, spacing);
        for (std::size_t f = 0; f < rf::shape_2d_table.size(); ++f) {
            const std::string feature(rf::shape_2d_table[f].name);
            const double expected = t.number(r, t.column(feature));
            BOOST_TEST(rg_features_test::close(v[f], expected, 1e-12), name << " " << feature << ": " << v[f]
                                                                          << " vs " << expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(disc_and_transpose_properties)
{
    // A digital disc of radius 20: the contour area is within 1 % of pi r^2 and Sphericity near 1.
    const std::size_t n = 41;
    std::vector<std::uint8_t> disc(n * n, 0);
    for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t c = 0; c < n; ++c) {
            const double dr = static_cast<double>(r) - 20.0, dc = static_cast<double>(c) - 20.0;
            disc[c + n * r] = dr * dr + dc * dc <= 400.0 ? 1 : 0;
        }
    }
    const auto v = rf::shape_2d_plane_features(disc, {n, n}, {0.5, 0.5});
    const double pi = 3.14159265358979323846;
    BOOST_TEST(at(v, f2::mesh_surface) == pi * 100.0, tt::tolerance(0.01));
    BOOST_TEST(at(v, f2::sphericity) > 0.9);
    BOOST_TEST(at(v, f2::sphericity) < 1.0);
    BOOST_TEST(at(v, f2::maximum_diameter) == 20.5, tt::tolerance(0.01));
    // Transposing the plane and swapping the spacing changes no feature.
    const std::vector<std::uint8_t> l = bits("xx..x..xxxx.");  // 3 x 4
    std::vector<std::uint8_t> lt(12);
    for (std::size_t r = 0; r < 3; ++r) {
        for (std::size_t c = 0; c < 4; ++c) {
            lt[r + 3 * c] = l[c + 4 * r];
        }
    }
    const auto a = rf::shape_2d_plane_features(l, {3, 4}, {0.7, 1.9});
    const auto b = rf::shape_2d_plane_features(lt, {4, 3}, {1.9, 0.7});
    for (std::size_t f = 0; f < a.size(); ++f) {
        BOOST_TEST(rg_features_test::close(a[f], b[f], 1e-12), rf::shape_2d_table[f].name);
    }
}

BOOST_AUTO_TEST_CASE(from_roi_along_each_axis)
{
    // The same L (rows = slow axis, columns = fast axis of the kept pair) placed in an axial (z), coronal (y)
    // and sagittal (x) plane; the plane's rows/columns follow numpy order, e.g. (y, x) for force2Ddimension 0.
    const std::string l = "x..x..xxx";
    const std::array<double, 3> spacing{0.6, 0.9, 2.5};  // (x, y, z)
    rf::settings s;
    s.force_2d = true;
    for (int dim = 0; dim < 3; ++dim) {
        volume_case v({5, 6, 7}, spacing);
        for (std::size_t r = 0; r < 3; ++r) {
            for (std::size_t c = 0; c < 3; ++c) {
                if (l[c + 3 * r] != 'x') {
                    continue;
                }
                std::array<std::size_t, 3> idx{};  // (x, y, z)
                if (dim == 0) idx = {c + 1, r + 1, 3};
                if (dim == 1) idx = {c + 1, 2, r + 1};
                if (dim == 2) idx = {2, c + 1, r + 1};
                v.mask(idx[0], idx[1], idx[2]) = 1;
            }
        }
        s.force_2d_dimension = dim;
        const rf::roi_data roi = rf::make_roi(v.img, v.mask, s);
        const auto got = rf::shape_2d_features(roi, s);
        const std::array<double, 2> plane_spacing = dim == 0   ? std::array<double, 2>{0.9, 0.6}
                                                    : dim == 1 ? std::array<double, 2>{2.5, 0.6}
                                                               : std::array<double, 2>{2.5, 0.9};
        const auto expected = rf::shape_2d_plane_features(bits(l), {3, 3}, plane_spacing);
        for (std::size_t f = 0; f < got.size(); ++f) {
            BOOST_TEST(rg_features_test::close(got[f], expected[f], 1e-14), "dim " << dim << " " << rf::shape_2d_table[f].name);
        }
        BOOST_TEST(at(got, f2::pixel_surface) == 5.0 * plane_spacing[0] * plane_spacing[1], tt::tolerance(1e-14));
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    volume_case v({4, 4, 3}, {1.0, 1.0, 1.0});
    v.mask(1, 1, 0) = 1;
    v.mask(1, 2, 0) = 1;
    v.mask(1, 1, 1) = 1;  // two slices thick along z
    rf::settings s;
    s.force_2d = true;
    const rf::roi_data roi = rf::make_roi(v.img, v.mask, s);
    BOOST_CHECK_THROW(rf::shape_2d_features(roi, s), rg::mask_error);
    try {
        rf::shape_2d_features(roi, s);
    } catch (const rg::mask_error& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.features.shape_2d_features] mask size along "
                                              "force2Ddimension 0: got 2 slices, expected 1") == 0u);
    }
    s.force_2d_dimension = 2;  // one slice thick along x: fine
    BOOST_CHECK_NO_THROW(rf::shape_2d_features(roi, s));
    s.force_2d_dimension = 3;
    BOOST_CHECK_THROW(rf::shape_2d_features(roi, s), rg::invalid_argument);
    s.force_2d_dimension = 2;
    s.force_2d = false;
    BOOST_CHECK_THROW(rf::shape_2d_features(roi, s), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::contour_measures({1, 0}, {2, 2}, {1.0, 1.0}), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::shape_2d_plane_features({0, 0}, {1, 2}, {1.0, 1.0}), rg::mask_error);
}

BOOST_AUTO_TEST_CASE(extractor_emits_shape2d_after_shape_only_with_force2d)
{
    // One axial slice of an L: the extractor's original_shape2D_* values are the class's values, placed after
    // original_shape_* whatever order the classes are listed in; without force2D the class is skipped with a
    // warning (PyRadiomics' featureextractor.computeShape logs and skips).
    volume_case v({5, 6, 4}, {0.6, 0.9, 2.5});
    v.mask(1, 1, 2) = 1;
    v.mask(1, 2, 2) = 1;
    v.mask(1, 3, 2) = 1;
    v.mask(2, 3, 2) = 1;
    v.mask(3, 3, 2) = 1;
    v.mask(3, 2, 2) = 1;
    for (std::size_t i = 0; i < v.img.size(); ++i) {
        v.img[i] = static_cast<double>(i % 7) * 10.0;
    }
    rf::extractor_settings options;
    options.setting.force_2d = true;
    options.setting.minimum_roi_dimensions = 1;
    options.image_types.clear();
    options.classes = {{rf::feature_class::shape_2d, {}}, {rf::feature_class::shape, {}}};
    std::vector<std::string> warnings;
    options.on_warning = [&warnings](const std::string& m) { warnings.push_back(m); };
    const auto got = rf::extract(v.img, v.mask, options);
    const auto expected = rf::shape_2d_features(rf::make_roi(v.img, v.mask, options.setting), options.setting);
    std::size_t n_shape = 0;
    for (const auto& row : rf::shape_table) {
        n_shape += row.default_enabled ? 1 : 0;
    }
    std::vector<std::size_t> enabled_2d;
    for (std::size_t f = 0; f < rf::shape_2d_table.size(); ++f) {
        if (rf::shape_2d_table[f].default_enabled) {
            enabled_2d.push_back(f);
        }
    }
    BOOST_TEST(enabled_2d.size() == 9u);  // PyRadiomics: 9 default shape2D features (SphericalDisproportion deprecated)
    BOOST_TEST_REQUIRE(got.size() == n_shape + enabled_2d.size());
    for (std::size_t i = 0; i < n_shape; ++i) {
        BOOST_TEST(got[i].name.rfind("original_shape_", 0) == 0u, got[i].name);
    }
    const std::size_t first_2d = n_shape;
    for (std::size_t k = 0; k < enabled_2d.size(); ++k) {
        const auto& nv = got[first_2d + k];
        BOOST_TEST(nv.name == "original_shape2D_" + std::string(rf::shape_2d_table[enabled_2d[k]].name));
        BOOST_TEST(rg_features_test::close(nv.value, expected[enabled_2d[k]], 0.0), nv.name);
    }
    BOOST_TEST(warnings.empty());
    options.setting.force_2d = false;
    const auto without = rf::extract(v.img, v.mask, options);
    BOOST_TEST(without.size() == first_2d);
    BOOST_TEST_REQUIRE(warnings.size() == 1u);
    BOOST_TEST(warnings.front().find("shape2D: skipped, it needs force2D") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
