#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>

#include "fixture.hpp"
#include "radiogenomics/stats/chi_square.hpp"
#include "radiogenomics/stats/fisher_exact.hpp"

namespace rs = radiogenomics::stats;
using stats_fixture::rel_tol;
using stats_fixture::statistic_floor;

BOOST_AUTO_TEST_SUITE(chi_square)

// Reference: scipy.stats.chi2_contingency(table, correction) and
// scipy.stats.contingency.association(table, method="cramer") (fixture "chi2_contingency":
// 2x2 with/without Yates, r x c, 1 x c (dof 0), non-integer counts, p to 1e-206).
BOOST_AUTO_TEST_CASE(matches_scipy_chi2_contingency)
{
    for (const auto* c : stats_fixture::cases_of("chi2_contingency")) {
        const Eigen::MatrixXd table = c->table();
        const auto r = rs::chi_square_independence(table, c->flags.at("correction"));
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
        RG_CHECK_REF(*c, "df", r.df, 0.0, 0.0);
        const double v = c->expected.at("cramers_v");
        if (!std::isnan(v)) {  // NaN marks tables SciPy's association() refuses (non-integer, 1 x c)
            RG_CHECK_REF(*c, "cramers_v", r.cramers_v, rel_tol, statistic_floor);
            BOOST_TEST(rs::cramers_v(table) == r.cramers_v);
        }
        const Eigen::MatrixXd& expected = c->expected_matrices.at("expected");
        BOOST_TEST_REQUIRE(expected.rows() == r.expected.rows());
        for (Eigen::Index i = 0; i < expected.size(); ++i) {
            BOOST_TEST(stats_fixture::close(r.expected(i), expected(i), rel_tol), c->id << " expected count " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    Eigen::MatrixXd t(2, 2);
    t << 1, -1, 2, 3;  // SciPy: "All values in `observed` must be nonnegative."
    BOOST_CHECK_THROW(rs::chi_square_independence(t), radiogenomics::invalid_argument);
    t << 0, 0, 2, 3;  // SciPy: "expected frequencies has a zero element"
    BOOST_CHECK_THROW(rs::chi_square_independence(t), radiogenomics::invalid_argument);
    t << 1, std::numeric_limits<double>::quiet_NaN(), 2, 3;  // SciPy returns nan; we refuse a NaN count
    BOOST_CHECK_THROW(rs::chi_square_independence(t), radiogenomics::invalid_argument);
    BOOST_CHECK_THROW(rs::chi_square_independence(Eigen::MatrixXd(0, 2)), radiogenomics::invalid_argument);
    try {
        t << 1, 2, 0, 0;
        rs::chi_square_independence(t);
        BOOST_FAIL("expected an exception");
    } catch (const radiogenomics::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).rfind("[radiogenomics.stats.chi_square_independence]", 0) == 0);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fisher_exact)

// Reference: scipy.stats.fisher_exact(table, alternative) (fixture "fisher_exact": zero cells,
// zero rows (p = 1, odds ratio NaN), balanced tables at the mode, p to 3e-265).
BOOST_AUTO_TEST_CASE(matches_scipy_fisher_exact)
{
    for (const auto* c : stats_fixture::cases_of("fisher_exact")) {
        const auto r = rs::fisher_exact(c->table(), rs::parse_alternative(c->text.at("alternative")));
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, 0.0);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    Eigen::MatrixXd t(2, 2);
    t << 1, -1, 2, 3;
    BOOST_CHECK_THROW(rs::fisher_exact(t), radiogenomics::invalid_argument);  // SciPy raises too
    t << 1.7, 1, 2, 3;  // SciPy truncates to 1; we refuse non-integer counts
    BOOST_CHECK_THROW(rs::fisher_exact(t), radiogenomics::invalid_argument);
    BOOST_CHECK_THROW(rs::fisher_exact(Eigen::MatrixXd::Ones(2, 3)), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
