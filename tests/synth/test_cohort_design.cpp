#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>

#include "radiogenomics/synth/cohort_design.hpp"

namespace rs = radiogenomics::synth;

BOOST_AUTO_TEST_SUITE(cohort_design)

// Reference: the study's Table 1 ("Clinical information of the samples"), columns EC, OC, CC.
BOOST_AUTO_TEST_CASE(study_design_is_table_1)
{
    const auto& d = rs::study_design();
    BOOST_TEST(d.patients() == 259u);
    const auto& ec = d.of(rs::cancer_type::endometrial);
    const auto& oc = d.of(rs::cancer_type::ovarian);
    const auto& cc = d.of(rs::cancer_type::cervical);
    BOOST_TEST(ec.patients == 120u);
    BOOST_TEST(oc.patients == 45u);
    BOOST_TEST(cc.patients == 94u);
    BOOST_TEST((ec.figo == std::array<std::size_t, 5>{83, 15, 11, 4, 7}));
    BOOST_TEST((oc.figo == std::array<std::size_t, 5>{2, 1, 29, 12, 1}));
    BOOST_TEST((cc.figo == std::array<std::size_t, 5>{57, 21, 14, 0, 2}));
    BOOST_TEST(ec.lymph_node_positive == 10u);
    BOOST_TEST(oc.lymph_node_positive == 20u);
    BOOST_TEST(cc.lymph_node_positive == 15u);
    BOOST_TEST((ec.grade == std::array<std::size_t, 3>{19, 30, 71}));
    BOOST_TEST((oc.grade == std::array<std::size_t, 3>{1, 0, 44}));
    BOOST_TEST((cc.grade == std::array<std::size_t, 3>{20, 62, 12}));
    BOOST_TEST(ec.age.median == 55.0);
    BOOST_TEST(ec.age.q3 == 60.25);
    BOOST_TEST(cc.age.median == 53.5);
    BOOST_TEST(oc.bmi.q1 == 21.23);
    BOOST_TEST(cc.bmi.q3 == 24.79);
}

// The documented choice: EC 52.0, OC 37.6, CC 37.0 expected positives → 126.6 / 259 = 0.4888.
BOOST_AUTO_TEST_CASE(expected_prevalence_is_about_half)
{
    BOOST_TEST(rs::study_design().expected_tp53_prevalence() == 126.6 / 259.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(scaled_design_keeps_every_margin_consistent)
{
    const auto small = rs::scaled_design(rs::study_design(), 40);
    BOOST_TEST(small.patients() == 40u);
    // 40 × (120, 45, 94) / 259 = (18.53, 6.95, 14.52) → largest remainder (19, 7, 14).
    BOOST_TEST(small.of(rs::cancer_type::endometrial).patients == 19u);
    BOOST_TEST(small.of(rs::cancer_type::ovarian).patients == 7u);
    BOOST_TEST(small.of(rs::cancer_type::cervical).patients == 14u);
    for (const auto& column : small.types) {
        std::size_t figo = 0;
        std::size_t grade = 0;
        for (const auto c : column.figo) {
            figo += c;
        }
        for (const auto c : column.grade) {
            grade += c;
        }
        BOOST_TEST(figo == column.patients);
        BOOST_TEST(grade == column.patients);
        BOOST_TEST(column.lymph_node_positive <= column.patients);
    }
    BOOST_CHECK_THROW(rs::scaled_design(rs::study_design(), 0), radiogenomics::invalid_argument);
    BOOST_CHECK_THROW(rs::scaled_design(rs::study_design(), 260), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_CASE(names_round_trip)
{
    BOOST_TEST(rs::parse_cancer_type("ovarian") == rs::cancer_type::ovarian);
    BOOST_TEST(rs::parse_cancer_type("CC") == rs::cancer_type::cervical);
    BOOST_CHECK_THROW(rs::parse_cancer_type("lung"), radiogenomics::invalid_argument);
    BOOST_TEST(std::string(rs::figo_stage_name(rs::figo_stage::stage_iii)) == "III");
}

BOOST_AUTO_TEST_SUITE_END()
