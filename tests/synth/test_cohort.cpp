#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "radiogenomics/synth.hpp"
#include "synth_test_helpers.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::synth;

BOOST_AUTO_TEST_SUITE(cohort)

BOOST_AUTO_TEST_CASE(sizes_of_the_two_scales)
{
    rs::cohort_options options;
    BOOST_TEST(rs::patient_count(options) == 259u);
    BOOST_TEST(rs::clinical_table(options).size() == 259u);
    options.scale = rs::cohort_scale::small;
    BOOST_TEST(rs::patient_count(options) == rs::small_cohort_patients);
    BOOST_TEST(rs::parse_cohort_scale("small") == rs::cohort_scale::small);
    BOOST_CHECK_THROW(rs::parse_cohort_scale("medium"), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(patient_by_index_equals_patient_by_record)
{
    rs::cohort_options options;
    options.scale = rs::cohort_scale::small;
    options.seed = 99;
    const auto table = rs::clinical_table(options);
    const auto a = rs::generate_patient(options, 11);
    const auto b = rs::generate_patient(options, table[11]);
    BOOST_TEST(a.clinical.id == table[11].id);
    BOOST_TEST(a.ct.size() == b.ct.size());
    BOOST_TEST(std::memcmp(a.ct.begin_pointer(), b.ct.begin_pointer(), a.ct.size() * sizeof(float)) == 0);
    BOOST_TEST(std::memcmp(a.pet.begin_pointer(), b.pet.begin_pointer(), a.pet.size() * sizeof(float)) == 0);
    BOOST_CHECK_THROW(rs::generate_patient(options, table.size()), rg::invalid_argument);
    options.signal = -0.5;
    BOOST_CHECK_THROW(rs::generate_patient(options, 0), rg::invalid_argument);
}

// Parameter level over the full 259-patient cohort (no images needed): every TP53 effect vanishes
// at signal 0 (|Welch t| < 3) and is clearly present at signal 1 (t > 3 in the documented direction).
BOOST_AUTO_TEST_CASE(signal_controls_every_parameter_effect)
{
    struct measure {
        const char* name;
        double (*get)(const rs::phantom_parameters&);
    };
    const measure measures[] = {
        {"log peak SUV", [](const rs::phantom_parameters& p) { return std::log(p.tumour.peak_suv); }},
        {"log diameter", [](const rs::phantom_parameters& p) { return std::log(p.tumour.diameter_mm); }},
        {"necrosis", [](const rs::phantom_parameters& p) { return p.tumour.necrosis_fraction; }},
        {"heterogeneity", [](const rs::phantom_parameters& p) { return std::log(p.tumour.pet_heterogeneity); }},
        {"lobulation", [](const rs::phantom_parameters& p) { return p.tumour.lobulation; }},
        {"BAT log SUV", [](const rs::phantom_parameters& p) { return std::log(p.bat.suv); }},
        {"BAT HU", [](const rs::phantom_parameters& p) { return p.bat.hu; }},
        {"BAT fraction", [](const rs::phantom_parameters& p) { return p.bat.fraction; }},
    };
    for (const double signal : {0.0, 1.0}) {
        rs::cohort_options options;
        options.seed = 2024;
        options.signal = signal;
        const auto table = rs::clinical_table(options);
        std::vector<rs::phantom_parameters> params;
        for (const auto& r : table) {
            params.push_back(rs::patient_parameters(options, r));
        }
        for (const auto& m : measures) {
            std::vector<double> pos, neg;
            for (std::size_t i = 0; i < table.size(); ++i) {
                (table[i].tp53_positive ? pos : neg).push_back(m.get(params[i]));
            }
            const auto d = synth_test::welch(pos, neg);
            if (signal == 0.0) {
                BOOST_TEST(std::abs(d.t) < 3.0, m.name << " at signal 0: t = " << d.t);
            } else {
                BOOST_TEST(d.t > 3.0, m.name << " at signal 1: t = " << d.t);
            }
        }
    }
}

// Image level on the small cohort (two seeds, 80 patients): mean tumour SUV measured in the PET
// (after PSF, noise and Bq/mL → SUV) differs between TP53 groups only when the signal is on.
BOOST_AUTO_TEST_CASE(signal_controls_measured_tumour_uptake)
{
    for (const double signal : {0.0, 1.0}) {
        std::vector<double> pos, neg;
        rs::synthetic_patient p;
        for (const std::uint64_t seed : {42ULL, 1ULL}) {
            rs::cohort_options options;
            options.scale = rs::cohort_scale::small;
            options.seed = seed;
            options.signal = signal;
            for (const auto& r : rs::clinical_table(options)) {
                rs::generate_patient(options, r, p);
                (r.tp53_positive ? pos : neg).push_back(std::log(synth_test::mean_tumour_suv(p)));
            }
        }
        BOOST_REQUIRE(pos.size() >= 30u);
        BOOST_REQUIRE(neg.size() >= 30u);
        const auto d = synth_test::welch(pos, neg);
        if (signal == 0.0) {
            // Expected difference 0; 80 patients give an SE of ~0.07 in log SUV.
            BOOST_TEST(std::abs(d.t) < 3.0, "signal 0: t = " << d.t << ", log ratio " << d.difference);
        } else {
            // Expected log ratio ≈ uptake_log_ratio = 0.30 (plus the grade association): t ≈ 4.
            BOOST_TEST(d.t > 2.5, "signal 1: t = " << d.t << ", log ratio " << d.difference);
            BOOST_TEST(d.difference > 0.15);
        }
    }
}

// The same patient rendered as TP53− and as TP53+ (every other draw is shared: each organ has its
// own random sub-stream). Signal 0: bit-identical images, TP53 leaves no trace at all. Signal 1:
// the tumour is hotter by about the uptake ratio exp(0.30).
BOOST_AUTO_TEST_CASE(flipping_tp53_changes_images_only_with_signal)
{
    for (const double signal : {0.0, 1.0}) {
        rs::cohort_options options;
        options.scale = rs::cohort_scale::small;
        options.signal = signal;
        const auto table = rs::clinical_table(options);
        double sum_log_ratio = 0.0;
        const std::size_t n = 8;
        for (std::size_t i = 0; i < n; ++i) {
            auto negative = table[i];
            negative.tp53_positive = false;
            auto positive = table[i];
            positive.tp53_positive = true;
            const auto a = rs::generate_patient(options, negative);
            const auto b = rs::generate_patient(options, positive);
            const bool same_ct = std::memcmp(a.ct.begin_pointer(), b.ct.begin_pointer(), a.ct.size() * sizeof(float)) == 0;
            const bool same_pet =
                std::memcmp(a.pet.begin_pointer(), b.pet.begin_pointer(), a.pet.size() * sizeof(float)) == 0;
            if (signal == 0.0) {
                BOOST_TEST(same_ct);
                BOOST_TEST(same_pet);
            } else {
                BOOST_TEST(!same_ct);
                BOOST_TEST(!same_pet);
                sum_log_ratio += std::log(synth_test::mean_tumour_suv(b) / synth_test::mean_tumour_suv(a));
            }
        }
        if (signal == 1.0) {
            // Uptake ×exp(0.30); larger necrotic cores and partial volume move the mean a little.
            BOOST_TEST(std::abs(sum_log_ratio / static_cast<double>(n) - 0.30) < 0.12,
                       "mean log ratio " << sum_log_ratio / static_cast<double>(n));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
