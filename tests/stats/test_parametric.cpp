#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>
#include <vector>

#include "fixture.hpp"
#include "radiogenomics/stats/anova.hpp"
#include "radiogenomics/stats/shapiro_wilk.hpp"
#include "radiogenomics/stats/t_test.hpp"

namespace rs = radiogenomics::stats;
using stats_fixture::rel_tol;
using stats_fixture::statistic_floor;

namespace {
const double nan_value = std::numeric_limits<double>::quiet_NaN();
}

BOOST_AUTO_TEST_SUITE(t_test)

// Reference: scipy.stats.ttest_ind(x, y, equal_var=True/False, alternative) and
// ttest_rel(x, y, alternative) (fixture "ttest": n = 2..1000, p to 1e-245, constant groups -> inf).
BOOST_AUTO_TEST_CASE(matches_scipy_ttest)
{
    for (const auto* c : stats_fixture::cases_of("ttest")) {
        const auto alt = rs::parse_alternative(c->text.at("alternative"));
        const auto& x = c->vectors.at("x");
        const auto& y = c->vectors.at("y");
        const std::string& kind = c->text.at("kind");
        const rs::t_test_result r = kind == "student" ? rs::student_t_test(x, y, alt)
                                    : kind == "welch" ? rs::welch_t_test(x, y, alt)
                                                      : rs::paired_t_test(x, y, alt);
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
        RG_CHECK_REF(*c, "df", r.df, rel_tol, 0.0);
    }
}

// SciPy 1.10 outcomes for degenerate input (documented in t_test.hpp).
BOOST_AUTO_TEST_CASE(degenerate_input_as_scipy)
{
    const Eigen::VectorXd one = Eigen::VectorXd::Constant(1, 1.0);
    const Eigen::VectorXd three = Eigen::VectorXd::LinSpaced(3, 2.0, 4.0);
    BOOST_TEST(std::isnan(rs::student_t_test(one, three).statistic));  // ttest_ind([1], [2,3,4]) -> nan
    BOOST_TEST(std::isnan(rs::welch_t_test(one, three).p_value));
    BOOST_TEST(std::isnan(rs::student_t_test(Eigen::VectorXd(), three).p_value));  // empty -> nan
    Eigen::VectorXd with_nan = three;
    with_nan[1] = nan_value;
    BOOST_TEST(std::isnan(rs::welch_t_test(with_nan, three).p_value));  // nan_policy propagate
    const Eigen::VectorXd same = Eigen::VectorXd::Constant(2, 1.0);
    BOOST_TEST(std::isnan(rs::student_t_test(same, same).statistic));  // ttest_ind([1,1],[1,1]) -> nan
    BOOST_TEST(std::isnan(rs::paired_t_test(three, three).statistic));  // zero differences -> nan
    BOOST_CHECK_THROW(rs::paired_t_test(three, one), radiogenomics::invalid_argument);  // SciPy raises
    BOOST_TEST(rs::paired_t_test(one, one).df == 0.0);  // ttest_rel([1],[2]) -> df 0, t nan
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(anova)

// Reference: scipy.stats.f_oneway(*groups) (fixture "f_oneway").
BOOST_AUTO_TEST_CASE(matches_scipy_f_oneway)
{
    for (const auto* c : stats_fixture::cases_of("f_oneway")) {
        const auto r = rs::one_way_anova(c->lists.at("groups"));
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
        RG_CHECK_REF(*c, "df", r.df, 0.0, 0.0);
        RG_CHECK_REF(*c, "df_within", r.df_within, 0.0, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(degenerate_input_as_scipy)
{
    const Eigen::VectorXd a = Eigen::VectorXd::LinSpaced(3, 1.0, 3.0);
    BOOST_CHECK_THROW(rs::one_way_anova(std::vector<Eigen::VectorXd>{a}), radiogenomics::invalid_argument);
    BOOST_TEST(std::isnan(rs::one_way_anova(std::vector<Eigen::VectorXd>{a, Eigen::VectorXd()}).statistic));
    const Eigen::VectorXd s1 = Eigen::VectorXd::Constant(1, 1.0);
    const Eigen::VectorXd s2 = Eigen::VectorXd::Constant(1, 2.0);
    BOOST_TEST(std::isnan(rs::one_way_anova(std::vector<Eigen::VectorXd>{s1, s2}).statistic));  // all size 1
    const Eigen::VectorXd c1 = Eigen::VectorXd::Constant(2, 1.0);
    BOOST_TEST(std::isnan(rs::one_way_anova(std::vector<Eigen::VectorXd>{c1, c1}).p_value));  // all the same
    Eigen::VectorXd with_nan = a;
    with_nan[2] = nan_value;
    BOOST_TEST(std::isnan(rs::one_way_anova(std::vector<Eigen::VectorXd>{a, with_nan}).p_value));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shapiro_wilk)

// SciPy's shapiro runs AS R94 in float32, so against scipy.stats.shapiro(x) we check float32
// accuracy; against the float64 NumPy transcription of the same published formulas
// (statistic_double / pvalue_double in the fixture) we check 1e-10.
BOOST_AUTO_TEST_CASE(matches_scipy_shapiro)
{
    for (const auto* c : stats_fixture::cases_of("shapiro")) {
        const auto r = rs::shapiro_wilk(c->vectors.at("x"));
        RG_CHECK_REF(*c, "statistic_double", r.statistic, rel_tol, 0.0);
        RG_CHECK_REF(*c, "pvalue_double", r.p_value, rel_tol, 0.0);
        RG_CHECK_REF(*c, "statistic", r.statistic, 2e-6, 0.0);
        const double p32 = c->expected.at("pvalue");
        // float32 W (relative error ~1e-7) moves log(1 - W) by ~1e-7/(1 - W), i.e. p by up to a few 1e-3
        // relative for n in the thousands; below 1e-30 SciPy's float32 p loses digits (0 below 1e-45).
        if (p32 > 1e-30) {
            RG_CHECK_REF(*c, "pvalue", r.p_value, 5e-3, 2e-6);
        }
    }
}

BOOST_AUTO_TEST_CASE(coefficients_are_antisymmetric_unit_vector)
{
    for (Eigen::Index n : {3, 4, 5, 6, 11, 12, 50, 259}) {
        const Eigen::VectorXd a = rs::shapiro_wilk_coefficients(n);
        BOOST_TEST(2.0 * a.squaredNorm() == 1.0, boost::test_tools::tolerance(1e-12));  // sum a_i^2 = 1
        for (Eigen::Index i = 1; i < a.size(); ++i) {
            BOOST_TEST(a[i] < a[i - 1]);  // decreasing from the extremes inwards
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    BOOST_CHECK_THROW(rs::shapiro_wilk(Eigen::VectorXd::LinSpaced(2, 0.0, 1.0)), radiogenomics::invalid_argument);
    Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(5, 0.0, 1.0);
    x[2] = nan_value;
    BOOST_CHECK_THROW(rs::shapiro_wilk(x), radiogenomics::invalid_argument);
    const auto flat = rs::shapiro_wilk(Eigen::VectorXd::Constant(6, 3.0));  // SciPy: (1.0, 1.0) + warning
    BOOST_TEST(flat.statistic == 1.0);
    BOOST_TEST(flat.p_value == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
