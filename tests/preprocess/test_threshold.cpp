#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "radiogenomics/preprocess/threshold.hpp"
#ifdef RG_HAVE_NIFTI
#include <algorithm>
#include <functional>
#include <vector>

#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"
#endif

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

BOOST_AUTO_TEST_CASE(index_region_equals_whole_grid_then_box)
{
    // With an index region only the box is read: the result must equal thresholding the whole grid, AND with the
    // box, then dropping small components (by definition), for boxes inside, overlapping and outside the grid.
    const rg::image_geometry<3> g({9, 7, 6}, {1.0, 2.0, 3.0}, {0.0, 0.0, 0.0});  // voxel 6 mm³
    rg::image<float, 3> suv(g, 0.0f);
    rg::image<float, 3> ct(g, 0.0f);
    for (std::size_t i = 0; i < suv.size(); ++i) {
        // deterministic pattern: about half the voxels pass each threshold
        suv[i] = static_cast<float>((i * 7919u) % 31u) / 10.0f;
        ct[i] = -200.0f + static_cast<float>((i * 104729u) % 23u) * 10.0f;
    }
    const std::vector<pp::bounding_box<3>> boxes{pp::bounding_box<3>{{2, 1, 1}, {6, 5, 4}},
                                                 pp::bounding_box<3>{{-3, 4, 2}, {3, 20, 9}},
                                                 pp::bounding_box<3>{{0, 0, 0}, {8, 6, 5}},
                                                 pp::bounding_box<3>{{10, 0, 0}, {12, 6, 5}}};
    for (const double min_volume : {0.0, 13.0}) {
        for (const auto& box : boxes) {
            pp::bat_options<3> o;
            o.min_component_volume_mm3 = min_volume;
            o.connectivity = 26;
            // threshold the whole grid, cut with the box, then filter components (the box cuts pieces)
            pp::bat_options<3> plain;
            plain.connectivity = 26;
            auto expected = pp::mask_and(pp::brown_adipose_tissue_mask(suv, ct, plain), pp::region_mask(g, box));
            if (min_volume > 0.0) {
                expected = pp::remove_small_components_by_volume(expected, min_volume, 26);
            }
            o.index_region = box;
            const auto got = pp::brown_adipose_tissue_mask(suv, ct, o);
            std::size_t mismatches = 0;
            for (std::size_t i = 0; i < got.size(); ++i) {
                mismatches += got[i] != expected[i];
            }
            BOOST_TEST(mismatches == 0u);
        }
    }
    // NaN outside the region is not read; inside it is refused with the voxel's whole-grid index.
    suv(0, 0, 0) = std::numeric_limits<float>::quiet_NaN();
    pp::bat_options<3> o;
    o.index_region = pp::bounding_box<3>{{2, 1, 1}, {6, 5, 4}};
    BOOST_CHECK_NO_THROW(pp::brown_adipose_tissue_mask(suv, ct, o));
    ct(3, 2, 1) = std::numeric_limits<float>::infinity();
    try {
        pp::brown_adipose_tissue_mask(suv, ct, o);
        BOOST_FAIL("expected invalid_argument");
    } catch (const rg::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("CT voxel (3, 2, 1): got inf") != std::string::npos);
    }
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

#ifdef RG_HAVE_NIFTI
BOOST_AUTO_TEST_CASE(synthetic_bat_case_matches_reference_mask)
{
    // shared/reference/pyradiomics/README.md, "synthetic_bat": mask.nii.gz is SUV > 1.5 AND −190 ≤ HU ≤ −10 on the
    // stored arrays: 12,050 voxels, 14 face-connected pieces, 10 with 26-connectivity of sizes
    // 5546, 3008, 1523, 1436, 532, 1, 1, 1, 1, 1 (also synthetic_cases.json).
    const auto pet = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/pet.nii.gz"));
    const auto ct = rg::io::read_nifti<std::int16_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/ct.nii.gz"));
    const auto ref = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/mask.nii.gz"));
    const auto bat = pp::brown_adipose_tissue_mask(pet, ct);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < bat.size(); ++i) {
        mismatches += (bat[i] != 0) != (ref[i] != 0);
    }
    BOOST_TEST(mismatches == 0u);
    BOOST_TEST(rg::count_label(bat) == 12050u);
    BOOST_TEST(pp::label_components(bat, 6).count == 14u);
    const auto cc = pp::label_components(bat, 26);
    std::vector<std::size_t> sizes(cc.sizes.begin() + 1, cc.sizes.end());
    std::sort(sizes.begin(), sizes.end(), std::greater<>());
    const std::vector<std::size_t> expected{5546, 3008, 1523, 1436, 532, 1, 1, 1, 1, 1};
    BOOST_TEST(sizes == expected, boost::test_tools::per_element());
    // keeping components of at least 2 voxels (7.5 mm³) drops the five single voxels
    pp::bat_options<3> o;
    o.connectivity = 26;
    o.min_component_volume_mm3 = 7.5;
    BOOST_TEST(rg::count_label(pp::brown_adipose_tissue_mask(pet, ct, o)) == 12045u);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
