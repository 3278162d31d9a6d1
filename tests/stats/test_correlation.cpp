#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>

#include "fixture.hpp"
#include "radiogenomics/stats/correlation.hpp"
#include "radiogenomics/stats/multiple_testing.hpp"

namespace rs = radiogenomics::stats;
using stats_fixture::rel_tol;
using stats_fixture::statistic_floor;

namespace {
const double nan_value = std::numeric_limits<double>::quiet_NaN();
}

BOOST_AUTO_TEST_SUITE(correlation)

// Reference: scipy.stats.pearsonr / spearmanr(x, y, alternative) (fixture "correlation": n = 2..500,
// ties, r = ±1, constant input, p to 4e-182).
BOOST_AUTO_TEST_CASE(matches_scipy_pearsonr_and_spearmanr)
{
    for (const auto* c : stats_fixture::cases_of("correlation")) {
        const auto alt = rs::parse_alternative(c->text.at("alternative"));
        const auto& x = c->vectors.at("x");
        const auto& y = c->vectors.at("y");
        const auto r = c->text.at("kind") == "pearson" ? rs::pearson(x, y, alt) : rs::spearman(x, y, alt);
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(degenerate_input_as_scipy)
{
    Eigen::VectorXd x(3);
    x << 1.0, 2.0, 3.0;
    Eigen::VectorXd y(3);
    y << 2.0, nan_value, 1.0;
    BOOST_CHECK_THROW(rs::pearson(x, y), radiogenomics::invalid_argument);         // SciPy raises on NaN
    BOOST_TEST(std::isnan(rs::spearman(x, y).statistic));                          // SciPy propagates NaN
    BOOST_CHECK_THROW(rs::pearson(x, x.head(2)), radiogenomics::invalid_argument);  // length mismatch
    BOOST_CHECK_THROW(rs::pearson(x.head(1), x.head(1)), radiogenomics::invalid_argument);  // n < 2
    BOOST_TEST(std::isnan(rs::spearman(x.head(1), x.head(1)).statistic));           // SciPy: nan for n <= 1
    Eigen::VectorXd two(2);
    two << 3.0, 1.0;
    const auto sp = rs::spearman(x.head(2), two);  // spearmanr([1,2],[3,1]) -> (-1, nan)
    BOOST_TEST(sp.statistic == -1.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(std::isnan(sp.p_value));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(multiple_testing)

// Reference: step-up Benjamini–Hochberg and Bonferroni written with NumPy in the fixture script
// (SciPy 1.10 has no BH function; the formula is Benjamini & Hochberg 1995 / R p.adjust "BH").
BOOST_AUTO_TEST_CASE(matches_reference_adjustments)
{
    for (const auto* c : stats_fixture::cases_of("p_adjust")) {
        const auto& p = c->vectors.at("p");
        const Eigen::VectorXd bh = rs::benjamini_hochberg(p);
        const Eigen::VectorXd bonf = rs::adjust_p_values(p, rs::p_adjust::bonferroni);
        const auto& e_bh = c->expected_vectors.at("bh");
        const auto& e_bonf = c->expected_vectors.at("bonferroni");
        for (Eigen::Index i = 0; i < p.size(); ++i) {
            BOOST_TEST(stats_fixture::close(bh[i], e_bh[i], rel_tol), c->id << " bh " << i);
            BOOST_TEST(stats_fixture::close(bonf[i], e_bonf[i], rel_tol), c->id << " bonferroni " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(properties_and_bad_input)
{
    Eigen::VectorXd p(4);
    p << 0.04, 0.01, 0.03, 0.02;  // m/rank * p = 0.04 for all: BH gives 0.04 everywhere
    const Eigen::VectorXd bh = rs::benjamini_hochberg(p);
    for (Eigen::Index i = 0; i < 4; ++i) {
        BOOST_TEST(bh[i] == 0.04, boost::test_tools::tolerance(1e-15));
    }
    BOOST_TEST(rs::benjamini_hochberg(Eigen::VectorXd()).size() == 0);
    p[0] = 1.5;
    BOOST_CHECK_THROW(rs::benjamini_hochberg(p), radiogenomics::invalid_argument);
    p[0] = -0.1;
    BOOST_CHECK_THROW(rs::bonferroni(p), radiogenomics::invalid_argument);
    BOOST_CHECK_THROW(rs::parse_p_adjust("holm"), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
