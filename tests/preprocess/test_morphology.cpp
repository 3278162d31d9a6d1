#include <boost/test/unit_test.hpp>

#include "preprocess_test_utils.hpp"
#include "radiogenomics/preprocess/morphology.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

BOOST_AUTO_TEST_SUITE(morphology)

BOOST_AUTO_TEST_CASE(matches_scipy_binary_morphology)
{
    // scipy.ndimage.binary_dilation / binary_erosion / binary_opening / binary_closing (border_value=0) with
    // ball(r) = {|d|² ≤ r²} and box(r) structuring elements (fixture section 4), 13 x 11 x 9 mask.
    const rg::image_geometry<3> g({13, 11, 9}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    const auto mask = rg_test::image_from_column<std::uint8_t, 3>(g, "morphology3d.csv", "mask");
    struct element {
        const char* name;
        std::size_t radius;
        pp::structuring_shape shape;
    };
    for (const auto& e : {element{"ball1", 1, pp::structuring_shape::ball},
                          element{"ball2", 2, pp::structuring_shape::ball},
                          element{"box1", 1, pp::structuring_shape::box}}) {
        const std::string s = e.name;
        const auto dil = rg_test::image_from_column<std::uint8_t, 3>(g, "morphology3d.csv", "dilate_" + s);
        const auto ero = rg_test::image_from_column<std::uint8_t, 3>(g, "morphology3d.csv", "erode_" + s);
        const auto opn = rg_test::image_from_column<std::uint8_t, 3>(g, "morphology3d.csv", "open_" + s);
        const auto cls = rg_test::image_from_column<std::uint8_t, 3>(g, "morphology3d.csv", "close_" + s);
        const auto d = pp::binary_dilate(mask, e.radius, e.shape);
        const auto r = pp::binary_erode(mask, e.radius, e.shape);
        const auto o = pp::binary_open(mask, e.radius, e.shape);
        const auto c = pp::binary_close(mask, e.radius, e.shape);
        std::size_t mismatches = 0;
        for (std::size_t i = 0; i < mask.size(); ++i) {
            mismatches += (d[i] != dil[i]) + (r[i] != ero[i]) + (o[i] != opn[i]) + (c[i] != cls[i]);
        }
        BOOST_TEST_CONTEXT(s) { BOOST_TEST(mismatches == 0u); }
        // the reference operations are not trivial
        BOOST_TEST(rg::count_label(dil) > rg::count_label(mask));
        BOOST_TEST(rg::count_label(ero) < rg::count_label(mask));
    }
}

BOOST_AUTO_TEST_CASE(hand_worked_ball_sizes_and_2d)
{
    // A single voxel dilated by a ball of radius r becomes the ball: 7 voxels (r = 1), 33 (r = 2, 3-D);
    // 2-D disc r = 2: 13 pixels; box r = 1: 27 voxels. Eroding the result by the same element gives the voxel back.
    const rg::image_geometry<3> g({9, 9, 9}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::mask_image<3> m(g, 0);
    m(4, 4, 4) = 1;
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, 1)) == 7u);
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, 2)) == 33u);
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, 1, pp::structuring_shape::box)) == 27u);
    BOOST_TEST(rg::count_label(pp::binary_erode(pp::binary_dilate(m, 2), 2)) == 1u);
    // anisotropic radius (2, 1, 0): ellipse in-plane, 2·2+1 + 2·1 = 7 voxels
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, std::array<std::size_t, 3>{2, 1, 0})) == 7u);
    const rg::image_geometry<2> g2({7, 7}, {1.0, 1.0}, {0.0, 0.0});
    rg::mask_image<2> m2(g2, 0);
    m2(3, 3) = 1;
    BOOST_TEST(rg::count_label(pp::binary_dilate(m2, 2)) == 13u);
    // radius 0 is the identity; erosion of a full image erodes from the border (outside = background)
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, 0)) == 1u);
    const rg::mask_image<2> full(g2, 1);
    BOOST_TEST(rg::count_label(pp::binary_erode(full, 1, pp::structuring_shape::box)) == 25u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<2> g2({7, 7}, {1.0, 1.0}, {0.0, 0.0});
    const rg::mask_image<2> m(g2, 0);
    BOOST_CHECK_THROW(pp::binary_dilate(m, 5000), rg::invalid_argument);
    BOOST_TEST(rg::count_label(pp::binary_dilate(m, 2)) == 0u);  // empty stays empty
}

BOOST_AUTO_TEST_SUITE_END()
