#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "radiogenomics/core/image.hpp"

namespace rg = radiogenomics;

BOOST_AUTO_TEST_SUITE(image)

BOOST_AUTO_TEST_CASE(storage_is_column_major_with_x_fastest)
{
    rg::image_geometry<3> g({4, 3, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> img(g, 0.0f);
    img(1, 2, 1) = 5.0f;
    // offset = i + nx*(j + ny*k) = 1 + 4*(2 + 3*1) = 21
    BOOST_TEST(img[21] == 5.0f);
    BOOST_TEST(img.offset({1, 2, 1}) == 21u);
    const auto index = img.index_of(21);
    BOOST_TEST(index[0] == 1);
    BOOST_TEST(index[1] == 2);
    BOOST_TEST(index[2] == 1);
}

BOOST_AUTO_TEST_CASE(index_physical_round_trip_with_rotation)
{
    // 90-degree rotation about z: index axis 0 points along +y, axis 1 along -x.
    rg::image_geometry<3>::direction_type d{{{0.0, -1.0, 0.0}, {1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}}};
    rg::image_geometry<3> g({10, 10, 10}, {2.0, 3.0, 4.0}, {10.0, 20.0, 30.0}, d);
    const auto p = g.index_to_physical(rg::image_geometry<3>::point_type{1.0, 2.0, 3.0});
    // p = o + D diag(s) i = (10 - 3*2, 20 + 2*1, 30 + 4*3)
    BOOST_TEST(p[0] == 4.0);
    BOOST_TEST(p[1] == 22.0);
    BOOST_TEST(p[2] == 42.0);
    const auto i = g.physical_to_index(p);
    BOOST_TEST(i[0] == 1.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(i[1] == 2.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(i[2] == 3.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_geometry_is_refused)
{
    using g3 = rg::image_geometry<3>;
    BOOST_CHECK_THROW(g3({2, 2, 2}, {1.0, 0.0, 1.0}, {0.0, 0.0, 0.0}), rg::geometry_error);
    BOOST_CHECK_THROW(g3({2, 2, 2}, {1.0, -1.0, 1.0}, {0.0, 0.0, 0.0}), rg::geometry_error);
    BOOST_CHECK_THROW(g3({2, 2, 2}, {1.0, std::nan(""), 1.0}, {0.0, 0.0, 0.0}), rg::geometry_error);
    BOOST_CHECK_THROW(g3({2, 2, 2}, {1.0, 1.0, 1.0}, {0.0, std::numeric_limits<double>::infinity(), 0.0}),
                      rg::geometry_error);
    g3::direction_type skew{{{1.0, 0.1, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}};
    BOOST_CHECK_THROW(g3({2, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}, skew), rg::geometry_error);
    try {
        g3({2, 2, 2}, {1.0, 0.0, 1.0}, {0.0, 0.0, 0.0});
    } catch (const rg::geometry_error& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.core.image_geometry.set_spacing] spacing[1]: got 0") == 0);
    }
}

BOOST_AUTO_TEST_CASE(grid_mismatch_names_both_geometries)
{
    rg::image_geometry<3> a({4, 4, 4}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image_geometry<3> b({4, 4, 4}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.5});
    BOOST_TEST(a.same_grid(a));
    BOOST_TEST(!a.same_grid(b));
    try {
        rg::require_same_grid(a, b, "test.where");
        BOOST_FAIL("expected a geometry_error");
    } catch (const rg::geometry_error& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("origin (0, 0, 0.5)") != std::string::npos);
        BOOST_TEST(what.find("origin (0, 0, 0)") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(region_copies_values_and_moves_origin)
{
    rg::image_geometry<2> g({5, 4}, {2.0, 3.0}, {-1.0, 1.0});
    rg::image<int, 2> img(g);
    for (std::size_t n = 0; n < img.size(); ++n) {
        img[n] = static_cast<int>(n);
    }
    const auto sub = img.region({1, 2}, {3, 2});
    BOOST_TEST(sub.shape()[0] == 3u);
    BOOST_TEST(sub(0, 0) == img(1, 2));
    BOOST_TEST(sub(2, 1) == img(3, 3));
    BOOST_TEST(sub.origin()[0] == 1.0);  // -1 + 2*1
    BOOST_TEST(sub.origin()[1] == 7.0);  //  1 + 3*2
    BOOST_CHECK_THROW(img.region({3, 0}, {3, 1}), rg::geometry_error);
}

BOOST_AUTO_TEST_CASE(non_finite_voxels_are_named)
{
    rg::image<float, 3> img(rg::image_geometry<3>({2, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}), 1.0f);
    BOOST_CHECK_NO_THROW(rg::require_finite(img, "test"));
    img(1, 0, 1) = std::numeric_limits<float>::quiet_NaN();
    try {
        rg::require_finite(img, "test");
        BOOST_FAIL("expected invalid_argument");
    } catch (const rg::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("voxel (1, 0, 1)") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(at_checks_bounds_and_unchecked_does_not)
{
    rg::image<int, 3> img(rg::image_geometry<3>({3, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}), 0);
    img(2, 1, 1) = 7;
    BOOST_TEST(img.at({2, 1, 1}) == 7);
    BOOST_TEST(img.unchecked({2, 1, 1}) == 7);
    BOOST_TEST(img.contains({2, 1, 1}));
    BOOST_TEST(!img.contains({3, 0, 0}));
    BOOST_TEST(!img.contains({0, -1, 0}));
    try {
        static_cast<void>(img.at({0, 2, 0}));
        BOOST_ERROR("at() outside the shape did not throw");
    } catch (const rg::geometry_error& e) {
        BOOST_TEST(std::string(e.what()).find("index: got (0, 2, 0)") != std::string::npos);
    }
    const auto& constant = img;
    BOOST_CHECK_THROW(static_cast<void>(constant.at({-1, 0, 0})), rg::geometry_error);
}

BOOST_AUTO_TEST_CASE(plane_and_one_slice_volume_round_trip)
{
    const double c = std::cos(0.4), s = std::sin(0.4);
    rg::image<float, 2> plane(rg::image_geometry<2>({4, 3}, {0.5, 2.0}, {1.0, -3.0}, {{{c, -s}, {s, c}}}), 0.0f);
    for (std::size_t n = 0; n < plane.size(); ++n) {
        plane[n] = static_cast<float>(n) * 1.5f;
    }
    const auto volume = rg::to_slice_volume(plane, 3.0);
    BOOST_TEST(volume.shape()[2] == 1u);
    BOOST_TEST(volume.spacing()[2] == 3.0);
    BOOST_TEST(volume(3, 2, 0) == plane(3, 2));
    // the in-plane geometry is kept: index (3, 2) maps to the same point
    const auto p2 = plane.index_to_physical({3, 2});
    const auto p3 = volume.index_to_physical({3, 2, 0});
    BOOST_TEST(std::abs(p2[0] - p3[0]) < 1e-12);
    BOOST_TEST(std::abs(p2[1] - p3[1]) < 1e-12);
    const auto back = rg::to_plane(volume);
    BOOST_TEST(back.geometry().same_grid(plane.geometry()));
    for (std::size_t n = 0; n < plane.size(); ++n) {
        BOOST_TEST(back[n] == plane[n]);
    }
}

BOOST_AUTO_TEST_SUITE_END()
