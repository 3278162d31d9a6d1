#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstddef>
#include <algorithm>
#include <cstring>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/synth/automatic_mask.hpp"
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
        const auto size = box.size();
        std::size_t bat = 0;
        for (std::size_t k = 0; k < size[2]; ++k) {
            for (std::size_t j = 0; j < size[1]; ++j) {
                for (std::size_t i = 0; i < size[0]; ++i) {
                    const std::size_t x = static_cast<std::size_t>(box.lower[0]) + i;
                    const std::size_t y = static_cast<std::size_t>(box.lower[1]) + j;
                    const std::size_t z = static_cast<std::size_t>(box.lower[2]) + k;
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
        BOOST_TEST(static_cast<std::size_t>(box.lower[2]) > p.ct.shape()[2] / 2);
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
    BOOST_TEST(p.pet(0, 0, 0) * rg::preprocess::suv_bw_factor(p.pet_info) < 0.5);
    // Tumour SUV (from Bq/mL with the stored acquisition) is of the order of the drawn peak: blur
    // and partial volume lower it, heterogeneity and noise raise it locally.
    const double mean_suv = synth_test::mean_tumour_suv(p);
    BOOST_TEST(mean_suv > 0.2 * p.parameters.tumour.peak_suv);
    BOOST_TEST(mean_suv < 1.2 * p.parameters.tumour.peak_suv);
    // Dose within the study's 3.70–5.55 MBq/kg, uptake about an hour, F-18 half-life.
    const double per_kg = p.pet_info.injected_dose_bq / p.pet_info.patient_weight_kg;
    BOOST_TEST(per_kg >= 3.70e6);
    BOOST_TEST(per_kg <= 5.55e6);
    BOOST_TEST(std::abs(p.pet_info.injection_to_scan_seconds - 3600.0) <= 900.0);
    BOOST_TEST(p.pet_info.half_life_seconds == 6586.2);
    BOOST_TEST(p.pet_info.patient_weight_kg == p.clinical.weight_kg);
}

// The stored acquisition turns the Bq/mL volume back into the intended SUV with the preprocess
// module's SUVbw: the bladder (uniform, large) reaches its drawn SUV in its centre, up to noise.
BOOST_AUTO_TEST_CASE(preprocess_suv_recovers_the_drawn_uptake)
{
    const auto p = rs::generate_patient(small_options(), 4);
    const auto suv = rg::preprocess::suv_body_weight(p.pet, p.pet_info);
    const auto& c = p.parameters.body.bladder.centre;
    const auto index = p.pet.geometry().physical_to_index({c[0], c[1], c[2]});
    double sum = 0.0;
    int n = 0;
    for (int dk = -1; dk <= 1; ++dk) {
        for (int dj = -1; dj <= 1; ++dj) {
            for (int di = -1; di <= 1; ++di) {
                sum += suv(static_cast<std::size_t>(std::lround(index[0]) + di),
                           static_cast<std::size_t>(std::lround(index[1]) + dj),
                           static_cast<std::size_t>(std::lround(index[2]) + dk));
                ++n;
            }
        }
    }
    // 27 voxels of noise σ = 0.1 √SUV + 0.02 average to < 2 % of the SUV; the centre is > 26 mm
    // from the bladder wall, far beyond the PSF (σ = 2.8 mm), so the blur does not lower it.
    BOOST_TEST(sum / n == p.parameters.body.bladder_suv, boost::test_tools::tolerance(0.03));
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

BOOST_AUTO_TEST_SUITE(automatic_mask)

namespace {

double dice(const rg::mask_image<3>& a, const rg::mask_image<3>& b)
{
    double both = 0.0, na = 0.0, nb = 0.0;
    for (std::size_t n = 0; n < a.size(); ++n) {
        both += (a[n] != 0 && b[n] != 0) ? 1.0 : 0.0;
        na += a[n] != 0 ? 1.0 : 0.0;
        nb += b[n] != 0 ? 1.0 : 0.0;
    }
    return 2.0 * both / (na + nb);
}

}  // namespace

// The automatic (PET 41 %) annotation overlaps the truth but is not identical to it: necrotic
// cores fall below 41 % of the peak and the PSF spreads small tumours.
BOOST_AUTO_TEST_CASE(automatic_mask_overlaps_the_tumour)
{
    rs::cohort_options options;
    options.scale = rs::cohort_scale::small;
    const auto table = rs::clinical_table(options);
    rs::synthetic_patient p;
    double sum = 0.0;
    const std::size_t n = 12;
    for (std::size_t i = 0; i < n; ++i) {
        rs::generate_patient(options, table[i], p);
        const auto automatic = rs::automatic_tumour_mask(p);
        const double d = dice(automatic, p.tumour_truth);
        BOOST_TEST(d > 0.2, p.clinical.id << ": Dice " << d);
        BOOST_TEST(d < 0.999);
        // Nothing from the bladder (SUV ~20): the mask stays near the tumour.
        BOOST_TEST(rg::count_label(automatic) < 4 * rg::count_label(p.tumour_truth) + 50);
        sum += d;
    }
    BOOST_TEST(sum / static_cast<double>(n) > 0.5, "mean Dice " << sum / static_cast<double>(n));
    rs::synthetic_patient empty = p;
    std::fill(empty.tumour_manual.begin_pointer(), empty.tumour_manual.begin_pointer() + empty.tumour_manual.size(),
              std::uint8_t{0});
    BOOST_CHECK_THROW(rs::automatic_tumour_mask(empty), rg::mask_error);
}

BOOST_AUTO_TEST_SUITE_END()
