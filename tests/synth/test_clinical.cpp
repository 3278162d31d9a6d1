#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "radiogenomics/synth/clinical.hpp"
#include "synth_test_helpers.hpp"

namespace rs = radiogenomics::synth;

namespace {

struct type_counts {
    std::array<std::size_t, 5> figo{};
    std::array<std::size_t, 3> grade{};
    std::size_t patients = 0;
    std::size_t node_positive = 0;
    std::size_t tp53 = 0;
    std::array<std::size_t, 3> tp53_by_grade{};
    std::vector<double> age;
    std::vector<double> bmi;
};

std::array<type_counts, 3> count(const std::vector<rs::clinical_record>& table)
{
    std::array<type_counts, 3> out{};
    for (const auto& r : table) {
        auto& c = out[static_cast<std::size_t>(r.type)];
        ++c.patients;
        ++c.figo[static_cast<std::size_t>(r.stage)];
        ++c.grade[static_cast<std::size_t>(r.grade)];
        c.node_positive += r.lymph_node_positive ? 1 : 0;
        c.tp53 += r.tp53_positive ? 1 : 0;
        c.tp53_by_grade[static_cast<std::size_t>(r.grade)] += r.tp53_positive ? 1 : 0;
        c.age.push_back(r.age_years);
        c.bmi.push_back(r.bmi);
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(clinical)

// Every Table-1 count is reproduced exactly, for several seeds and both signal strengths.
BOOST_AUTO_TEST_CASE(table_1_counts_are_exact)
{
    const auto& design = rs::study_design();
    for (const std::uint64_t seed : {1ULL, 42ULL, 987654321ULL}) {
        for (const double signal : {0.0, 1.0, 3.0}) {
            rs::effect_sizes effects;
            effects.signal = signal;
            const auto table = rs::make_clinical_table(design, effects, seed);
            BOOST_REQUIRE(table.size() == 259u);
            const auto counts = count(table);
            for (std::size_t t = 0; t < 3; ++t) {
                BOOST_TEST(counts[t].patients == design.types[t].patients);
                BOOST_TEST(counts[t].figo == design.types[t].figo);
                BOOST_TEST(counts[t].grade == design.types[t].grade);
                BOOST_TEST(counts[t].node_positive == design.types[t].lymph_node_positive);
            }
        }
    }
}

// Sample median and quartiles (numpy.percentile, linear) vs Table 1. Tolerance: one year of age
// (ages are whole years and each Latin-hypercube stratum spans < 0.5 year at the quartiles), and
// 0.25 kg/m² of BMI (a stratum of 1/45 at the steepest quartile slope, 9 kg/m² per unit p, is 0.2).
BOOST_AUTO_TEST_CASE(age_and_bmi_quartiles_match_table_1)
{
    const auto& design = rs::study_design();
    for (const std::uint64_t seed : {3ULL, 42ULL, 2024ULL, 77777ULL}) {
        const auto counts = count(rs::make_clinical_table(design, rs::effect_sizes{}, seed));
        for (std::size_t t = 0; t < 3; ++t) {
            const auto& q_age = design.types[t].age;
            const auto& q_bmi = design.types[t].bmi;
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].age, 0.25) - q_age.q1) <= 1.0);
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].age, 0.50) - q_age.median) <= 1.0);
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].age, 0.75) - q_age.q3) <= 1.0);
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].bmi, 0.25) - q_bmi.q1) <= 0.25);
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].bmi, 0.50) - q_bmi.median) <= 0.25);
            BOOST_TEST(std::abs(synth_test::percentile(counts[t].bmi, 0.75) - q_bmi.q3) <= 0.25);
            for (const double a : counts[t].age) {
                BOOST_TEST(a >= 18.0);
                BOOST_TEST(a == std::round(a));
            }
        }
    }
}

// Documented prevalences (cohort_design.hpp): expected positives EC 1.9 + 7.5 + 42.6 = 52.0,
// OC 0.2 + 0 + 37.4 = 37.6 → 38, CC 5 + 24.8 + 7.2 = 37.0; sampling without replacement makes
// them exact. Poor grade is more often positive than well-differentiated in every type.
BOOST_AUTO_TEST_CASE(tp53_prevalence_is_as_documented)
{
    const auto counts = count(rs::make_clinical_table(rs::study_design(), rs::effect_sizes{}, 42));
    BOOST_TEST(counts[0].tp53 == 52u);
    BOOST_TEST(counts[1].tp53 == 38u);
    BOOST_TEST(counts[2].tp53 == 37u);
    const double total = static_cast<double>(counts[0].tp53 + counts[1].tp53 + counts[2].tp53) / 259.0;
    BOOST_TEST(std::abs(total - 0.5) < 0.05);  // "about half positive", as the study's test set
    for (std::size_t t = 0; t < 3; ++t) {
        const auto& c = counts[t];
        const double well = c.grade[0] ? double(c.tp53_by_grade[0]) / double(c.grade[0]) : 0.0;
        const double poor = double(c.tp53_by_grade[2]) / double(c.grade[2]);
        BOOST_TEST(poor > well);
    }
    // EC cells: 19 × 0.10 = 1.9, 30 × 0.25 = 7.5, 71 × 0.60 = 42.6 → floors 1, 7, 42 plus the two
    // largest remainders (0.9, 0.6) → 2, 7, 43.
    BOOST_TEST((counts[0].tp53_by_grade == std::array<std::size_t, 3>{2, 7, 43}));
}

// Signal 0: one prevalence p̄ = 126.6/259 everywhere: EC round(120 p̄) = 59, OC round(45 p̄) = 22,
// CC round(94 p̄) = 46, independent of grade.
BOOST_AUTO_TEST_CASE(signal_zero_removes_the_type_and_grade_dependence)
{
    rs::effect_sizes effects;
    effects.signal = 0.0;
    const auto counts = count(rs::make_clinical_table(rs::study_design(), effects, 42));
    BOOST_TEST(counts[0].tp53 == 59u);
    BOOST_TEST(counts[1].tp53 == 22u);
    BOOST_TEST(counts[2].tp53 == 46u);
    // EC: the poor-grade cell gets 71 p̄ = 34.7 positives of 71, the well cell 19 p̄ = 9.3 of 19.
    const double well = double(counts[0].tp53_by_grade[0]) / 19.0;
    const double poor = double(counts[0].tp53_by_grade[2]) / 71.0;
    BOOST_TEST(std::abs(well - poor) < 0.06);
}

BOOST_AUTO_TEST_CASE(lymph_nodes_follow_tp53_only_with_signal)
{
    // Pooled over many seeds: fraction of node-positive among TP53+ minus among TP53−.
    const auto association = [](double signal) {
        rs::effect_sizes effects;
        effects.signal = signal;
        double pos_ln = 0, pos = 0, neg_ln = 0, neg = 0;
        for (std::uint64_t seed = 0; seed < 40; ++seed) {
            for (const auto& r : rs::make_clinical_table(rs::study_design(), effects, seed)) {
                if (r.type == rs::cancer_type::ovarian) {
                    continue;  // 84 % TP53+ at signal 1: the comparison is between types otherwise
                }
                (r.tp53_positive ? pos : neg) += 1;
                (r.tp53_positive ? pos_ln : neg_ln) += r.lymph_node_positive ? 1 : 0;
            }
        }
        return pos_ln / pos - neg_ln / neg;
    };
    // 40 cohorts × 214 patients: the standard error of a difference of proportions near 0.12 is
    // about 0.007, so 0.03 is > 4 SE.
    BOOST_TEST(std::abs(association(0.0)) < 0.03);
    BOOST_TEST(association(1.0) > 0.03);
}

BOOST_AUTO_TEST_CASE(deterministic_and_seed_dependent)
{
    const auto a = rs::make_clinical_table(rs::study_design(), rs::effect_sizes{}, 5);
    const auto b = rs::make_clinical_table(rs::study_design(), rs::effect_sizes{}, 5);
    const auto c = rs::make_clinical_table(rs::study_design(), rs::effect_sizes{}, 6);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        BOOST_TEST(a[i].id == b[i].id);
        BOOST_TEST(a[i].age_years == b[i].age_years);
        BOOST_TEST(a[i].bmi == b[i].bmi);
        BOOST_TEST(a[i].tp53_positive == b[i].tp53_positive);
        BOOST_TEST(a[i].weight_kg == a[i].bmi * a[i].height_m * a[i].height_m, boost::test_tools::tolerance(1e-12));
        differ += (a[i].type != c[i].type || a[i].bmi != c[i].bmi) ? 1 : 0;
    }
    BOOST_TEST(differ > 100u);
    BOOST_TEST(a.front().id == "SYN-001");
    BOOST_TEST(a.back().id == "SYN-259");
}

BOOST_AUTO_TEST_CASE(bad_input_throws)
{
    rs::effect_sizes effects;
    effects.signal = -1.0;
    BOOST_CHECK_THROW(rs::make_clinical_table(rs::study_design(), effects, 1), radiogenomics::invalid_argument);
    effects.signal = std::nan("");
    BOOST_CHECK_THROW(rs::make_clinical_table(rs::study_design(), effects, 1), radiogenomics::invalid_argument);
    auto design = rs::study_design();
    design.types[0].figo[0] += 1;  // margins no longer sum to the patient count
    BOOST_CHECK_THROW(rs::make_clinical_table(design, rs::effect_sizes{}, 1), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
