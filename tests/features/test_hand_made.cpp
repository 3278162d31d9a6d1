// Small hand-made volumes: matrices and features worked out by hand (the arithmetic is in the comments),
// degenerate inputs, bad input, and thread-count independence.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/extractor.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;
namespace tt = boost::test_tools;

namespace {

rg::image<double, 3> volume(std::size_t nx, std::size_t ny, std::size_t nz, const std::vector<double>& values,
                            double spacing = 1.0)
{
    rg::image<double, 3> img(rg::image_geometry<3>({nx, ny, nz}, {spacing, spacing, spacing}, {0.0, 0.0, 0.0}));
    for (std::size_t i = 0; i < values.size(); ++i) {
        img[i] = values[i];
    }
    return img;
}

rg::mask_image<3> full_mask(const rg::image<double, 3>& img)
{
    return rg::make_image_like<std::uint8_t>(img, std::uint8_t{1});
}

template <class TValues, class TEnum>
double at(const TValues& v, TEnum f)
{
    return v[static_cast<std::size_t>(f)];
}

/// The line 1 2 2 3 1 along x (a 5x1x1 image): only offset (1,0,0) exists.
struct line_fixture {
    rg::image<double, 3> img = volume(5, 1, 1, {1, 2, 2, 3, 1});
    rg::mask_image<3> mask = full_mask(img);
    rf::settings s = [] {
        rf::settings o;
        o.bin_width = 1.0;  // levels = values (min 1 is a multiple of 1)
        o.minimum_roi_dimensions = 1;
        return o;
    }();
    rf::roi_data roi = rf::make_roi(img, mask, s);
};

}  // namespace

BOOST_AUTO_TEST_SUITE(hand_made)

BOOST_FIXTURE_TEST_CASE(line_first_order, line_fixture)
{
    const auto v = rf::first_order_features(roi, s);
    using f = rf::first_order_feature;
    // mean 9/5; deviations -.8 .2 .2 1.2 -.8 -> sum of squares 2.8 -> variance 0.56
    BOOST_TEST(at(v, f::mean) == 1.8, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::variance) == 0.56, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::energy) == 19.0);  // 1+4+4+9+1
    BOOST_TEST(at(v, f::root_mean_squared) == std::sqrt(3.8), tt::tolerance(1e-14));
    // sorted 1 1 2 2 3: P10 at index 0.4 -> 1; P90 at 3.6 -> 2 + 0.6 = 2.6 (numpy linear)
    BOOST_TEST(at(v, f::percentile_10) == 1.0, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::percentile_90) == 2.6, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::median) == 2.0);
    // p = (0.4, 0.4, 0.2): entropy 0.8 log2(2.5) + 0.2 log2(5) = 1.5219281; uniformity 0.36
    BOOST_TEST(at(v, f::entropy) == 1.5219280948873621, tt::tolerance(1e-12));
    BOOST_TEST(at(v, f::uniformity) == 0.36, tt::tolerance(1e-14));
}

BOOST_FIXTURE_TEST_CASE(line_glcm, line_fixture)
{
    const auto m = rf::glcm_matrix(roi.grid, s);
    BOOST_TEST_REQUIRE(m.offsets.size() == 1u);
    // pairs (1,2) (2,2) (2,3) (3,1); symmetric: P = [[0,1,1],[1,2,1],[1,1,0]], sum 8
    const std::vector<double> expected{0, 1, 1, 1, 2, 1, 1, 1, 0};
    const std::vector<double> got(m.matrix(0), m.matrix(0) + 9);
    BOOST_TEST(got == expected, tt::per_element());
    const auto v = rf::glcm_features(m);
    using f = rf::glcm_feature;
    BOOST_TEST(at(v, f::contrast) == 1.5, tt::tolerance(1e-14));         // (4*1 + 2*4)/8
    BOOST_TEST(at(v, f::joint_average) == 2.0, tt::tolerance(1e-14));    // (1*2 + 2*4 + 3*2)/8
    BOOST_TEST(at(v, f::joint_energy) == 0.15625, tt::tolerance(1e-14)); // (6*1 + 4)/64
    BOOST_TEST(at(v, f::maximum_probability) == 0.25, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::difference_average) == 1.0, tt::tolerance(1e-14)); // p_{x-y} = (2,4,2)/8
    BOOST_TEST(at(v, f::id) == 0.25 + 0.25 + 0.25 / 3.0, tt::tolerance(1e-14));
    BOOST_TEST(at(v, f::sum_squares) == 0.5, tt::tolerance(1e-14));      // (2*1 + 2*1)/8
    BOOST_TEST(at(v, f::autocorrelation) == 3.75, tt::tolerance(1e-14)); // (2+2+8+6+6+3+3)/8
}

BOOST_FIXTURE_TEST_CASE(line_glrlm_glszm, line_fixture)
{
    // runs / zones: (1,len 1) (2,len 2) (3,len 1) (1,len 1): Nr = 4, Np = 5
    const auto r = rf::glrlm_features(rf::glrlm_matrix(roi.grid, s));
    using fr = rf::glrlm_feature;
    BOOST_TEST(at(r, fr::run_percentage) == 0.8, tt::tolerance(1e-14));
    BOOST_TEST(at(r, fr::short_run_emphasis) == 0.8125, tt::tolerance(1e-14));  // (3 + 1/4)/4
    BOOST_TEST(at(r, fr::long_run_emphasis) == 1.75, tt::tolerance(1e-14));     // (3 + 4)/4
    BOOST_TEST(at(r, fr::gray_level_non_uniformity) == 1.5, tt::tolerance(1e-14));  // (4+1+1)/4
    BOOST_TEST(at(r, fr::run_length_non_uniformity) == 2.5, tt::tolerance(1e-14));  // (9+1)/4
    const auto z = rf::glszm_features(rf::glszm_matrix(roi.grid, s));
    using fz = rf::glszm_feature;
    BOOST_TEST(at(z, fz::zone_percentage) == 0.8, tt::tolerance(1e-14));
    BOOST_TEST(at(z, fz::small_area_emphasis) == 0.8125, tt::tolerance(1e-14));
    BOOST_TEST(at(z, fz::large_area_emphasis) == 1.75, tt::tolerance(1e-14));
    BOOST_TEST(at(z, fz::size_zone_non_uniformity) == 2.5, tt::tolerance(1e-14));
}

BOOST_FIXTURE_TEST_CASE(line_gldm, line_fixture)
{
    // alpha 0, neighbours x-1, x+1: dependences 0 1 1 0 0 -> j = 1 2 2 1 1;
    // P: level 1 -> j1 x2, level 2 -> j2 x2, level 3 -> j1 x1; Nz = 5
    const auto v = rf::gldm_features(rf::gldm_matrix(roi.grid, s));
    using f = rf::gldm_feature;
    BOOST_TEST(at(v, f::small_dependence_emphasis) == 0.7, tt::tolerance(1e-14));  // (3 + 2/4)/5
    BOOST_TEST(at(v, f::large_dependence_emphasis) == 2.2, tt::tolerance(1e-14));  // (3 + 8)/5
    BOOST_TEST(at(v, f::dependence_non_uniformity) == 2.6, tt::tolerance(1e-14));  // (9 + 4)/5
    BOOST_TEST(at(v, f::gray_level_non_uniformity) == 1.8, tt::tolerance(1e-14));  // (4+4+1)/5
    // alpha 1: every neighbour differs by <= 1 except 3-1: dependences 1 2 2 1 0 -> j = 2 3 3 2 1
    s.gldm_a = 1.0;
    const auto w = rf::gldm_features(rf::gldm_matrix(roi.grid, s));
    BOOST_TEST(at(w, f::large_dependence_emphasis) == (4.0 + 9 + 9 + 4 + 1) / 5.0, tt::tolerance(1e-14));
}

BOOST_FIXTURE_TEST_CASE(line_ngtdm, line_fixture)
{
    // |i - mean of neighbours|: 1 vs 2 -> 1; 2 vs 1.5 -> .5; 2 vs 2.5 -> .5; 3 vs 1.5 -> 1.5; 1 vs 3 -> 2
    // n = (2, 2, 1), s = (3, 1, 1.5), p = (.4, .4, .2), sum p s = 1.9
    const auto m = rf::ngtdm_matrix(roi.grid, s);
    BOOST_TEST(m.n == (std::vector<double>{2, 2, 1}), tt::per_element());
    BOOST_TEST(m.s == (std::vector<double>{3, 1, 1.5}), tt::per_element());
    const auto v = rf::ngtdm_features(m);
    using f = rf::ngtdm_feature;
    BOOST_TEST(at(v, f::coarseness) == 1.0 / 1.9, tt::tolerance(1e-14));
    // 2*(.16*1 + .08*4 + .08*1) * (5.5/5) / (3*2)
    BOOST_TEST(at(v, f::contrast) == 1.12 * 1.1 / 6.0, tt::tolerance(1e-14));
    // 1.9 / (2*(.4 + .2 + .2)) with i p_i = (.4, .8, .6)
    BOOST_TEST(at(v, f::busyness) == 1.1875, tt::tolerance(1e-14));
    // 2*((.8)*1 + (.6)*4 + (.6)*1) / 5.5
    BOOST_TEST(at(v, f::strength) == 7.6 / 5.5, tt::tolerance(1e-14));
    // 2*(1*1.6/.8 + 2*1.5/.6 + 1*.7/.6)/5
    BOOST_TEST(at(v, f::complexity) == 2.0 * (2.0 + 5.0 + 0.7 / 0.6) / 5.0, tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(single_voxel_mesh_is_an_octahedron)
{
    // One voxel: the marching-cubes surface joins the 6 face centres (distance r = s/2 from the centre),
    // an octahedron: V = 4 r^3 / 3, A = 4 sqrt(3) r^2, largest vertex distance 2r.
    for (double spacing : {1.0, 2.0}) {
        const double r = spacing / 2.0;
        const auto mesh = rf::mesh_measures({1}, {1, 1, 1}, {spacing, spacing, spacing});
        BOOST_TEST(mesh.volume == 4.0 * r * r * r / 3.0, tt::tolerance(1e-14));
        BOOST_TEST(mesh.surface_area == 4.0 * std::sqrt(3.0) * r * r, tt::tolerance(1e-14));
        BOOST_TEST(mesh.diameter_3d == 2.0 * r, tt::tolerance(1e-14));
        BOOST_TEST(mesh.diameter_slice == 2.0 * r, tt::tolerance(1e-14));
    }
}

BOOST_AUTO_TEST_CASE(cube_mesh_volume_area_and_diameter)
{
    // A 3x3x3 block of voxels (centres 0..2): the mesh is the box [-.5, 2.5]^3 with its 12 edges chamfered
    // (planes through the face midpoints, e.g. x + y = -.5 for z in [0, 2]) and its 8 corners cut by
    // x + y + z = -.5-type planes. Volume: 27 - 12 prisms (legs .5, area 1/8, length 2) - 8 corner pieces
    // ({u, v, w in [0, .5], u + v + w < 1} = 1/6 - 3/48 = 5/48) = 27 - 3 - 5/6 = 139/6.
    // Area: 6 faces 2x2 = 24, 12 chamfers 2 x (.5 sqrt 2) = 12 sqrt 2, 8 triangles of side .5 sqrt 2 = sqrt 3.
    // Largest vertex distance: (-.5, 0, 0) to (2.5, 2, 2) = sqrt(17).
    std::vector<std::uint8_t> cube(27, 1);
    const auto m1 = rf::mesh_measures(cube, {3, 3, 3}, {1.0, 1.0, 1.0});
    BOOST_TEST(m1.volume == 139.0 / 6.0, tt::tolerance(1e-14));
    BOOST_TEST(m1.surface_area == 24.0 + 12.0 * std::sqrt(2.0) + std::sqrt(3.0), tt::tolerance(1e-14));
    BOOST_TEST(m1.diameter_3d == std::sqrt(17.0), tt::tolerance(1e-14));
    const auto m2 = rf::mesh_measures(cube, {3, 3, 3}, {2.0, 2.0, 2.0});
    BOOST_TEST(m2.volume == 8.0 * m1.volume, tt::tolerance(1e-13));
    BOOST_TEST(m2.surface_area == 4.0 * m1.surface_area, tt::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(flat_roi_degenerate_values)
{
    // 3x3x3 ROI, one grey level: PyRadiomics' documented flat-region values.
    const auto img = volume(3, 3, 3, std::vector<double>(27, 5.0));
    const auto mask = full_mask(img);
    rf::settings s;
    const auto roi = rf::make_roi(img, mask, s);
    const auto fo = rf::first_order_features(roi, s);
    BOOST_TEST(at(fo, rf::first_order_feature::variance) == 0.0);
    BOOST_TEST(at(fo, rf::first_order_feature::skewness) == 0.0);
    BOOST_TEST(at(fo, rf::first_order_feature::kurtosis) == 0.0);
    BOOST_TEST(at(fo, rf::first_order_feature::entropy) == -std::log2(1.0 + std::numeric_limits<double>::epsilon()));
    const auto cm = rf::glcm_features(rf::glcm_matrix(roi.grid, s));
    BOOST_TEST(at(cm, rf::glcm_feature::contrast) == 0.0);
    BOOST_TEST(at(cm, rf::glcm_feature::correlation) == 1.0);
    BOOST_TEST(at(cm, rf::glcm_feature::mcc) == 1.0);
    BOOST_TEST(at(cm, rf::glcm_feature::joint_energy) == 1.0);
    BOOST_TEST(at(cm, rf::glcm_feature::imc2) == 0.0);
    const auto sz = rf::glszm_features(rf::glszm_matrix(roi.grid, s));
    BOOST_TEST(at(sz, rf::glszm_feature::zone_percentage) == 1.0 / 27.0, tt::tolerance(1e-15));  // one zone
    BOOST_TEST(at(sz, rf::glszm_feature::large_area_emphasis) == 729.0, tt::tolerance(1e-15));
    const auto nt = rf::ngtdm_features(rf::ngtdm_matrix(roi.grid, s));
    BOOST_TEST(at(nt, rf::ngtdm_feature::coarseness) == 1e6);
    BOOST_TEST(at(nt, rf::ngtdm_feature::contrast) == 0.0);
    BOOST_TEST(at(nt, rf::ngtdm_feature::busyness) == 0.0);
    const auto dm = rf::gldm_features(rf::gldm_matrix(roi.grid, s));
    // centre voxel 26 neighbours, face voxels 17, edge voxels 11, corners 7: j = count + 1
    const double lde = (1 * 27.0 * 27 + 6 * 18.0 * 18 + 12 * 12.0 * 12 + 8 * 8.0 * 8) / 27.0;
    BOOST_TEST(at(dm, rf::gldm_feature::large_dependence_emphasis) == lde, tt::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    auto img = volume(3, 3, 3, std::vector<double>(27, 1.0));
    auto mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{0});
    rf::settings s;
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::mask_error);  // empty mask
    mask(1, 1, 1) = 2;
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::mask_error);  // label 1 absent
    s.label = 2;
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::mask_error);  // one voxel: minimumROIDimensions 2
    mask(2, 1, 1) = 2;
    mask(1, 2, 1) = 2;
    BOOST_CHECK_NO_THROW(rf::make_roi(img, mask, s));
    s.minimum_roi_size = 4;
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::mask_error);
    s.minimum_roi_size.reset();
    img(2, 1, 1) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::invalid_argument);  // NaN inside the ROI
    img(2, 1, 1) = 1.0;
    img(0, 0, 0) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_NO_THROW(rf::make_roi(img, mask, s));  // NaN outside the ROI is never read
    s.resegment_range = std::array<double, 2>{5.0, 10.0};
    BOOST_CHECK_THROW(rf::make_roi(img, mask, s), rg::mask_error);  // re-segmentation empties the ROI
    s.resegment_range.reset();
    const auto other = rg::make_image_like<std::uint8_t>(volume(3, 3, 4, std::vector<double>(36, 1.0)), std::uint8_t{1});
    BOOST_CHECK_THROW(rf::make_roi(img, other, s), rg::geometry_error);
    try {
        rf::make_roi(img, rg::make_image_like<std::uint8_t>(img, std::uint8_t{0}), s);
    } catch (const rg::mask_error& e) {
        BOOST_TEST(std::string(e.what()).rfind("[radiogenomics.features.make_roi] voxels with label 2: got 0", 0) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(resegment_range_removes_voxels_from_texture_not_shape)
{
    auto img = volume(4, 4, 4, {});
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<double>(i % 7);
    }
    const auto mask = full_mask(img);
    rf::settings s;
    s.bin_width = 1.0;
    s.resegment_range = std::array<double, 2>{1.0, 5.0};
    const auto roi = rf::make_roi(img, mask, s);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < img.size(); ++i) {
        kept += (i % 7 >= 1 && i % 7 <= 5) ? 1 : 0;
    }
    BOOST_TEST(roi.values.size() == kept);
    const auto fo = rf::first_order_features(roi, s);
    BOOST_TEST(at(fo, rf::first_order_feature::minimum) == 1.0);
    BOOST_TEST(at(fo, rf::first_order_feature::maximum) == 5.0);
    const auto sh = rf::shape_features(roi, s);
    BOOST_TEST(at(sh, rf::shape_feature::voxel_volume) == 64.0);  // shape ignores the re-segmentation
}

BOOST_AUTO_TEST_CASE(same_values_with_one_or_two_threads)
{
    auto img = volume(12, 11, 9, {});
    auto mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{0});
    std::uint64_t state = 12345;
    for (std::size_t i = 0; i < img.size(); ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        img[i] = static_cast<double>(state >> 40) / 1e3;
        const auto idx = img.index_of(i);
        mask[i] = (idx[0] > 1 && idx[0] < 10 && idx[1] > 2 && idx[2] > 1) ? 1 : 0;
    }
    rf::extractor_settings s;
    s.setting.bin_width = 1000.0;
    s.image_types = rf::paper_image_types();
    rf::feature_list one, two;
    {
        rg::thread_count_guard guard(1);
        one = rf::extract(img, mask, s);
    }
    {
        rg::thread_count_guard guard(2);
        two = rf::extract(img, mask, s);
    }
    BOOST_TEST_REQUIRE(one.size() == two.size());
    BOOST_TEST(one.size() == 1781u);
    for (std::size_t i = 0; i < one.size(); ++i) {
        BOOST_TEST(one[i].name == two[i].name);
        BOOST_TEST((one[i].value == two[i].value || (std::isnan(one[i].value) && std::isnan(two[i].value))),
                   one[i].name);
    }
}

BOOST_AUTO_TEST_SUITE_END()
