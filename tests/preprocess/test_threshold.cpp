#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "radiogenomics/preprocess/threshold.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

BOOST_AUTO_TEST_SUITE(threshold)

BOOST_AUTO_TEST_CASE(ranges_and_logic)
{
    const rg::image_geometry<2> g({5, 1}, {1.0, 1.0}, {0.0, 0.0});
    rg::image<double, 2> img(g);
    const double v[] = {-190.0, -190.5, -10.0, -9.9, 0.0};
    for (int i = 0; i < 5; ++i) {
        img(i, 0) = v[i];
    }
    const auto r = pp::threshold_range(img, -190.0, -10.0);  // closed range
    BOOST_TEST(+r(0, 0) == 1);
    BOOST_TEST(+r(1, 0) == 0);
    BOOST_TEST(+r(2, 0) == 1);
    BOOST_TEST(+r(3, 0) == 0);
    const auto a = pp::threshold_above(img, -10.0);  // strict
    BOOST_TEST(+a(2, 0) == 0);
    BOOST_TEST(+a(3, 0) == 1);
    BOOST_TEST(rg::count_label(pp::mask_or(r, a)) == 4u);
    BOOST_TEST(rg::count_label(pp::mask_and(r, a)) == 0u);
    BOOST_TEST(rg::count_label(pp::mask_not(r)) == 3u);
    BOOST_TEST(rg::count_label(pp::mask_and_not(pp::mask_not(a), r)) == 1u);  // −190.5 only
}

BOOST_AUTO_TEST_CASE(brown_adipose_tissue_definition)
{
    // BAT = SUV > 1.5 AND HU in [−190, −10]; a 2 x 2 x 1 "blob" in a supraclavicular box and 1 stray voxel.
    const rg::image_geometry<3> g({6, 5, 4}, {2.0, 2.0, 2.0}, {-6.0, -5.0, 0.0});  // voxel 8 mm³
    rg::image<float, 3> suv(g, 0.8f);
    rg::image<short, 3> ct(g, short{40});
    const auto set = [&](int i, int j, int k, float s, short h) {
        suv(i, j, k) = s;
        ct(i, j, k) = h;
    };
    set(1, 1, 1, 2.0f, -100);
    set(2, 1, 1, 1.6f, -190);  // HU bound inclusive
    set(1, 2, 1, 3.0f, -10);
    set(2, 2, 1, 2.5f, -50);
    set(3, 3, 1, 1.5f, -50);   // SUV 1.5 is not > 1.5
    set(4, 4, 3, 4.0f, -9);    // HU −9 outside
    set(5, 0, 0, 2.0f, -60);   // stray single voxel
    auto bat = pp::brown_adipose_tissue_mask(suv, ct);
    BOOST_TEST(rg::count_label(bat) == 5u);
    BOOST_TEST(+bat(3, 3, 1) == 0);
    BOOST_TEST(+bat(4, 4, 3) == 0);
    // minimum component volume 16 mm³ (2 voxels) drops the stray voxel
    pp::bat_options<3> o;
    o.min_component_volume_mm3 = 16.0;
    BOOST_TEST(rg::count_label(pp::brown_adipose_tissue_mask(suv, ct, o)) == 4u);
    // index region x ≤ 1: keeps (1,1,1), (1,2,1)
    o = {};
    o.index_region = pp::bounding_box<3>{{0, 0, 0}, {1, 4, 3}};
    BOOST_TEST(rg::count_label(pp::brown_adipose_tissue_mask(suv, ct, o)) == 2u);
    // physical region: x in [−6, −2] mm = index 0..2 (x = −6 + 2 i), y ≥ −3 mm = index ≥ 1 → the 4-voxel blob
    o = {};
    o.physical_region = pp::physical_box<3>{{-6.0, -3.0, -100.0}, {-2.0, 100.0, 100.0}};
    BOOST_TEST(rg::count_label(pp::brown_adipose_tissue_mask(suv, ct, o)) == 4u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<3> g({3, 3, 3}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    const rg::image_geometry<3> h({3, 3, 3}, {1.0, 1.0, 1.5}, {0.0, 0.0, 0.0});
    rg::image<float, 3> suv(g, 2.0f);
    const rg::image<float, 3> ct_other(h, -50.0f);
    try {
        pp::brown_adipose_tissue_mask(suv, ct_other);
        BOOST_FAIL("expected geometry_error");
    } catch (const rg::geometry_error& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("[radiogenomics.preprocess.brown_adipose_tissue_mask] PET SUV and CT grids differ") == 0u);
        BOOST_TEST(what.find("spacing (1, 1, 1.5)") != std::string::npos);
    }
    const rg::image<float, 3> ct(g, -50.0f);
    suv(1, 1, 1) = std::numeric_limits<float>::quiet_NaN();
    BOOST_CHECK_THROW(pp::brown_adipose_tissue_mask(suv, ct), rg::invalid_argument);
    suv(1, 1, 1) = 2.0f;
    pp::bat_options<3> o;
    o.hu_lower = 0.0;
    BOOST_CHECK_THROW(pp::brown_adipose_tissue_mask(suv, ct, o), rg::invalid_argument);
    o = {};
    o.connectivity = 8;
    BOOST_CHECK_THROW(pp::brown_adipose_tissue_mask(suv, ct, o), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::threshold_range(ct, 1.0, 0.0), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::threshold_above(ct, std::nan("")), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::mask_and(pp::threshold_above(ct, 0.0), pp::threshold_above(ct_other, 0.0)),
                      rg::geometry_error);
}

BOOST_AUTO_TEST_SUITE_END()
