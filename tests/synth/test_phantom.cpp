#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <cstring>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/synth/cohort.hpp"
#include "synth_test_helpers.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::synth;

namespace {

template <class TPixel>
bool identical(const rg::image<TPixel, 3>& a, const rg::image<TPixel, 3>& b)
{
    return a.geometry().same_grid(b.geometry(), 0.0) && a.size() == b.size() &&
           std::memcmp(a.begin_pointer(), b.begin_pointer(), a.size() * sizeof(TPixel)) == 0;
}

rs::cohort_options small_options(std::uint64_t seed = 42)
{
    rs::cohort_options o;
    o.seed = seed;
    o.scale = rs::cohort_scale::small;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(phantom)

BOOST_AUTO_TEST_CASE(pet_has_its_own_coarser_grid_covering_the_ct)
{
    for (const auto& s : {rs::phantom_settings::full(), rs::phantom_settings::small()}) {
        const auto ct = s.ct_geometry();
        const auto pet = s.pet_geometry();
        BOOST_TEST(!ct.same_grid(pet));
        BOOST_TEST(pet.spacing()[0] > ct.spacing()[0]);
        for (std::size_t d = 0; d < 3; ++d) {
            const double ct_lo = ct.origin()[d];
            const double ct_hi = ct.origin()[d] + static_cast<double>(ct.shape()[d] - 1) * ct.spacing()[d];
            const double pet_lo = pet.origin()[d];
            const double pet_hi = pet.origin()[d] + static_cast<double>(pet.shape()[d] - 1) * pet.spacing()[d];
            BOOST_TEST(pet_lo < ct_lo);
            BOOST_TEST(pet_hi > ct_hi);
            // Origins differ by a non-integer number of PET voxels: resampling is needed.
            const double shift = (ct_lo - pet_lo) / pet.spacing()[d];
            BOOST_TEST(std::abs(shift - std::round(shift)) > 1e-3);
        }
    }
    // The study's CT: 512 × 512 in-plane, 3.75 mm slices (paper, section 2.3).
    const auto full = rs::phantom_settings::full().ct_geometry();
    BOOST_TEST(full.shape()[0] == 512u);
    BOOST_TEST(full.shape()[1] == 512u);
    BOOST_TEST(full.spacing()[2] == 3.75);
}

BOOST_AUTO_TEST_CASE(same_seed_same_volumes_other_seed_other_volumes)
{
    const auto a = rs::generate_patient(small_options(7), 3);
    const auto b = rs::generate_patient(small_options(7), 3);
    const auto c = rs::generate_patient(small_options(8), 3);
    BOOST_TEST(identical(a.ct, b.ct));
    BOOST_TEST(identical(a.pet, b.pet));
    BOOST_TEST(identical(a.tumour_truth, b.tumour_truth));
    BOOST_TEST(identical(a.tumour_manual, b.tumour_manual));
    BOOST_TEST(!identical(a.ct, c.ct));
    BOOST_TEST(!identical(a.pet, c.pet));
}

BOOST_AUTO_TEST_CASE(identical_with_one_or_many_threads)
{
    rs::synthetic_patient one;
    rs::synthetic_patient many;
    {
        rg::thread_count_guard guard(1);
        one = rs::generate_patient(small_options(), 5);
    }
    {
        rg::thread_count_guard guard(3);
        many = rs::generate_patient(small_options(), 5);
    }
    BOOST_TEST(identical(one.ct, many.ct));
    BOOST_TEST(identical(one.pet, many.pet));
    BOOST_TEST(identical(one.tumour_manual, many.tumour_manual));
}

BOOST_AUTO_TEST_CASE(reusing_buffers_gives_the_same_patient)
{
    const auto options = small_options();
    const auto table = rs::clinical_table(options);
    rs::synthetic_patient reused;
    rs::generate_patient(options, table[0], reused);
    rs::generate_patient(options, table[1], reused);
    const auto fresh = rs::generate_patient(options, table[1]);
    BOOST_TEST(identical(reused.ct, fresh.ct));
    BOOST_TEST(identical(reused.pet, fresh.pet));
    BOOST_TEST(identical(reused.tumour_truth, fresh.tumour_truth));
    BOOST_TEST(identical(reused.tumour_manual, fresh.tumour_manual));
}

// The study's BAT rule: SUV > 1.5 and −190 ≤ HU ≤ −10 (paper, section 2.4), inside the
// supraclavicular box; every synthetic patient has activated BAT.
BOOST_AUTO_TEST_CASE(bat_voxels_exist_in_the_supraclavicular_region)
{
    const auto options = small_options();
    const auto table = rs::clinical_table(options);
    rs::synthetic_patient p;
    for (std::size_t n = 0; n < 12; ++n) {
        rs::generate_patient(options, table[n], p);
        BOOST_REQUIRE(p.parameters.bat.activated);
        const auto& box = p.supraclavicular_region;
        std::size_t bat = 0;
        for (std::size_t k = 0; k < box.size[2]; ++k) {
            for (std::size_t j = 0; j < box.size[1]; ++j) {
                for (std::size_t i = 0; i < box.size[0]; ++i) {
                    const std::size_t x = static_cast<std::size_t>(box.start[0]) + i;
                    const std::size_t y = static_cast<std::size_t>(box.start[1]) + j;
                    const std::size_t z = static_cast<std::size_t>(box.start[2]) + k;
                    const double hu = p.ct(x, y, z);
                    if (hu >= -190.0 && hu <= -10.0 && synth_test::suv_at_ct_voxel(p, x, y, z) > 1.5) {
                        ++bat;
                    }
                }
            }
        }
        // A depot is ≥ 4/3 π 21.6 × 13.5 × 16.2 mm ≈ 19.8 mL, ≥ 35 % activated, two depots; at
        // 3.9 × 3.9 × 7.5 mm = 0.114 mL voxels that is > 100 voxels before PSF/partial-volume losses.
        BOOST_TEST(bat >= 20u, "patient " << n << ": " << bat << " BAT voxels");
        // The box lies in the upper (neck) part of the volume.
        BOOST_TEST(static_cast<std::size_t>(box.start[2]) > p.ct.shape()[2] / 2);
    }
}

BOOST_AUTO_TEST_CASE(manual_mask_is_close_to_the_true_tumour)
{
    const auto options = small_options();
    const auto table = rs::clinical_table(options);
    rs::synthetic_patient p;
    double sum_ratio = 0.0;
    for (const auto& record : table) {
        rs::generate_patient(options, record, p);
        const double truth = static_cast<double>(rg::count_label(p.tumour_truth));
        const double manual = static_cast<double>(rg::count_label(p.tumour_manual));
        BOOST_REQUIRE(truth > 0.0);
        const double ratio = manual / truth;
        // Observer bias b ~ N(0, 0.75²) mm on radii ≥ 6 mm plus ±1.5 mm local disagreement.
        BOOST_TEST(ratio > 0.5);
        BOOST_TEST(ratio < 1.6);
        sum_ratio += ratio;
    }
    // On average the annotators neither grow nor shrink the tumour (within 10 %).
    BOOST_TEST(std::abs(sum_ratio / static_cast<double>(table.size()) - 1.0) < 0.1);
}

BOOST_AUTO_TEST_CASE(intensities_follow_the_parameters)
{
    const auto options = small_options();
    const auto p = rs::generate_patient(options, 2);
    // Air outside the body: −1000 HU ± noise (12 HU; 6σ bound).
    BOOST_TEST(std::abs(p.ct(0, 0, 0) + 1000.0f) < 72.0f);
    BOOST_TEST(p.pet(0, 0, 0) * p.pet_info.suv_per_bq_ml() < 0.5);
    // Tumour SUV (from Bq/mL with the stored acquisition) is of the order of the drawn peak: blur
    // and partial volume lower it, heterogeneity and noise raise it locally.
    const double mean_suv = synth_test::mean_tumour_suv(p);
    BOOST_TEST(mean_suv > 0.2 * p.parameters.tumour.peak_suv);
    BOOST_TEST(mean_suv < 1.2 * p.parameters.tumour.peak_suv);
    // Dose within the study's 3.70–5.55 MBq/kg, uptake about an hour, F-18 half-life.
    const double per_kg = p.pet_info.injected_dose_bq / p.pet_info.patient_weight_kg;
    BOOST_TEST(per_kg >= 3.70e6);
    BOOST_TEST(per_kg <= 5.55e6);
    BOOST_TEST(std::abs(p.pet_info.uptake_time_s - 3600.0) <= 900.0);
    BOOST_TEST(p.pet_info.half_life_s == 6586.2);
    BOOST_TEST(p.pet_info.patient_weight_kg == p.clinical.weight_kg);
}

// SUVbw = C W / (D 2^(−Δt/T½)): 70 kg, 350 MBq, 60 min → decayed dose 350e6 × 2^(−3600/6586.2)
// = 240.7 MBq, so 1 Bq/mL ↔ 70000 / 240.7e6 = 2.908e-4 SUV.
BOOST_AUTO_TEST_CASE(suv_conversion_factor)
{
    rs::pet_acquisition a;
    a.patient_weight_kg = 70.0;
    a.injected_dose_bq = 350e6;
    a.uptake_time_s = 3600.0;
    BOOST_TEST(a.decayed_dose_bq() == 350e6 * std::pow(2.0, -3600.0 / 6586.2), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(a.suv_per_bq_ml() == 70000.0 / (350e6 * std::pow(2.0, -3600.0 / 6586.2)),
               boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_settings_throw)
{
    auto options = small_options();
    options.use_custom_settings = true;
    options.custom_settings = rs::phantom_settings::small();
    options.custom_settings.ct_spacing[0] = 0.0;
    BOOST_CHECK_THROW(rs::generate_patient(options, 0), rg::invalid_argument);
    options.custom_settings = rs::phantom_settings::small();
    options.custom_settings.pet_shape[2] = 0;
    BOOST_CHECK_THROW(rs::generate_patient(options, 0), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
