#include <boost/test/unit_test.hpp>

#include <cmath>

#include "radiogenomics/preprocess/pet_delineation.hpp"
#ifdef RG_HAVE_NIFTI
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"
#endif

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

namespace {

constexpr double pi = 3.14159265358979323846;

/// Adds `uptake` × (fraction of each voxel inside a sphere), supersampled 4³ per voxel (partial volume).
void add_sphere(rg::image<float, 3>& img, const std::array<double, 3>& centre, double radius, double uptake)
{
    for (std::size_t n = 0; n < img.size(); ++n) {
        const auto index = img.index_of(n);
        const auto p = img.index_to_physical(index);
        double far = 0.0;
        for (std::size_t d = 0; d < 3; ++d) {
            far += (p[d] - centre[d]) * (p[d] - centre[d]);
        }
        if (std::sqrt(far) > radius + 4.0) {
            continue;
        }
        int inside = 0;
        for (int a = 0; a < 4; ++a) {
            for (int b = 0; b < 4; ++b) {
                for (int c = 0; c < 4; ++c) {
                    const double dx = p[0] + img.spacing()[0] * ((a + 0.5) / 4.0 - 0.5) - centre[0];
                    const double dy = p[1] + img.spacing()[1] * ((b + 0.5) / 4.0 - 0.5) - centre[1];
                    const double dz = p[2] + img.spacing()[2] * ((c + 0.5) / 4.0 - 0.5) - centre[2];
                    inside += dx * dx + dy * dy + dz * dz <= radius * radius;
                }
            }
        }
        img[n] += static_cast<float>(uptake * inside / 64.0);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pet_delineation)

BOOST_AUTO_TEST_CASE(uniform_sphere_volume_is_recovered)
{
    // Uniform sphere (SUV 20, r = 15 mm) on background 1, 2 mm voxels, with partial-volume edges; a hotter sphere
    // (SUV 30) outside the search box must be ignored. Analytic volume 4/3 π r³ = 14.137 mL. With background 1 the
    // 41 % isocontour keeps voxels at least (0.41·20 − 1)/19 = 38 % filled, close to the 50 % that preserves volume.
    const rg::image_geometry<3> g({60, 40, 40}, {2.0, 2.0, 2.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> suv(g, 1.0f);
    add_sphere(suv, {40.0, 40.0, 40.0}, 15.0, 19.0);
    add_sphere(suv, {100.0, 40.0, 40.0}, 8.0, 29.0);
    pp::pet_delineation_options<3> o;
    o.search_box = pp::bounding_box<3>{{0, 0, 0}, {39, 39, 39}};
    const auto r = pp::delineate_pet_tumour(suv, o);
    const double expected_ml = 4.0 / 3.0 * pi * 15.0 * 15.0 * 15.0 / 1000.0;
    BOOST_TEST(r.suv_max == 20.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(r.threshold == 0.41 * 20.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(std::abs(r.volume_ml - expected_ml) / expected_ml < 0.05);  // measured +4.1 %
    // with no background the 50 % isocontour of a partial-volume sphere is nearly exact (voxelisation: −1.4 %)
    rg::image<float, 3> clean(g, 0.0f);
    add_sphere(clean, {40.0, 40.0, 40.0}, 15.0, 10.0);
    pp::pet_delineation_options<3> half;
    half.fraction = 0.5;
    BOOST_TEST(std::abs(pp::delineate_pet_tumour(clean, half).volume_ml - expected_ml) / expected_ml < 0.02);
    BOOST_TEST(r.voxel_count == rg::count_label(r.mask));
    BOOST_TEST(+r.mask(50, 20, 20) == 0);  // the hot sphere is not part of it
    // without a search box the hot sphere is found instead (r = 8 mm: 2.145 mL)
    const auto hot = pp::delineate_pet_tumour(suv);
    BOOST_TEST(hot.suv_max == 30.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(std::abs(hot.volume_ml - 4.0 / 3.0 * pi * 512.0 / 1000.0) / (4.0 / 3.0 * pi * 0.512) < 0.05);
}

BOOST_AUTO_TEST_CASE(growth_is_connected_and_absolute_threshold_applies)
{
    // Two touching-by-value regions: a bright core (SUV 10) and an adjacent plateau (SUV 5) that only joins
    // through a bridge; a separate plateau at SUV 5 that is not connected must stay out.
    const rg::image_geometry<3> g({20, 10, 10}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> suv(g, 0.5f);
    for (int i = 2; i < 5; ++i) {
        for (int j = 3; j < 6; ++j) {
            for (int k = 3; k < 6; ++k) {
                suv(i, j, k) = 10.0f;
                suv(i + 12, j, k) = 5.0f;  // separate plateau
            }
        }
    }
    suv(5, 4, 4) = 4.5f;  // bridge
    suv(6, 4, 4) = 4.5f;
    const auto r = pp::delineate_pet_tumour(suv);  // threshold 4.1
    BOOST_TEST(r.voxel_count == 27u + 2u);
    BOOST_TEST(+r.mask(14, 4, 4) == 0);
    // absolute floor 4.8 > 0.41·10: the bridge drops out
    pp::pet_delineation_options<3> o;
    o.absolute_threshold = 4.8;
    const auto a = pp::delineate_pet_tumour(suv, o);
    BOOST_TEST(a.threshold == 4.8);
    BOOST_TEST(a.voxel_count == 27u);
    // 2-D as well, 4-connectivity: diagonal neighbour excluded
    const rg::image_geometry<2> g2({4, 4}, {1.0, 1.0}, {0.0, 0.0});
    rg::image<double, 2> s2(g2, 0.0);
    s2(1, 1) = 10.0;
    s2(2, 2) = 9.0;
    o.absolute_threshold.reset();
    pp::pet_delineation_options<2> o2;
    o2.connectivity = 4;
    BOOST_TEST(pp::delineate_pet_tumour(s2, o2).voxel_count == 1u);
    o2.connectivity = 8;
    BOOST_TEST(pp::delineate_pet_tumour(s2, o2).voxel_count == 2u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<3> g({4, 4, 4}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> suv(g, 1.0f);
    pp::pet_delineation_options<3> o;
    o.absolute_threshold = 2.5;
    try {
        pp::delineate_pet_tumour(suv, o);
        BOOST_FAIL("expected mask_error");
    } catch (const rg::mask_error& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.preprocess.delineate_pet_tumour] SUVmax in the search "
                                              "box: got 1") == 0u);
    }
    o = {};
    o.fraction = 0.0;
    BOOST_CHECK_THROW(pp::delineate_pet_tumour(suv, o), rg::invalid_argument);
    o = {};
    o.search_box = pp::bounding_box<3>{{0, 0, 0}, {4, 3, 3}};
    BOOST_CHECK_THROW(pp::delineate_pet_tumour(suv, o), rg::geometry_error);
    suv(0, 0, 0) = std::numeric_limits<float>::infinity();
    BOOST_CHECK_THROW(pp::delineate_pet_tumour(suv), rg::invalid_argument);
}

#ifdef RG_HAVE_NIFTI
BOOST_AUTO_TEST_CASE(synthetic_pet_case_matches_reference_mask)
{
    // shared/reference/pyradiomics/README.md, "synthetic_pet": mask.nii.gz holds the voxels > 40 % of SUVmax
    // (11.833, at index (55, 46, 26)) face-connected to the SUVmax voxel: 3,503 voxels; the hot node above the
    // threshold is excluded. Our region growing with fraction 0.4 and 6-connectivity must give the same mask.
    const auto suv = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto ref = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    pp::pet_delineation_options<3> o;
    o.fraction = 0.4;
    o.connectivity = 6;
    const auto r = pp::delineate_pet_tumour(suv, o);
    BOOST_TEST(r.suv_max == 11.83317756652832, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r.peak[0] == 55);
    BOOST_TEST(r.peak[1] == 46);
    BOOST_TEST(r.peak[2] == 26);
    BOOST_TEST(r.voxel_count == 3503u);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < suv.size(); ++i) {
        mismatches += (r.mask[i] != 0) != (ref[i] != 0);
    }
    BOOST_TEST(mismatches == 0u);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
