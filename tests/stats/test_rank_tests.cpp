#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>
#include <vector>

#include "fixture.hpp"
#include "radiogenomics/stats/kruskal_wallis.hpp"
#include "radiogenomics/stats/mann_whitney.hpp"
#include "radiogenomics/stats/ranks.hpp"

namespace rs = radiogenomics::stats;
using stats_fixture::rel_tol;
using stats_fixture::statistic_floor;

BOOST_AUTO_TEST_SUITE(ranks)

// Reference: scipy.stats.rankdata(x) and tiecorrect(rankdata(x)) (fixture "rankdata").
BOOST_AUTO_TEST_CASE(average_ranks_match_scipy_rankdata)
{
    for (const auto* c : stats_fixture::cases_of("rankdata")) {
        const auto r = rs::average_ranks(c->vectors.at("x"));
        const Eigen::VectorXd& expected = c->expected_vectors.at("ranks");
        BOOST_TEST_REQUIRE(r.ranks.size() == expected.size());
        for (Eigen::Index i = 0; i < expected.size(); ++i) {
            BOOST_TEST(r.ranks[i] == expected[i], c->id << " rank " << i);
        }
        RG_CHECK_REF(*c, "tiecorrect", rs::tie_correction(r.tie_term, r.ranks.size()), rel_tol, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(nan_throws_and_small_inputs_are_defined)
{
    Eigen::VectorXd x(3);
    x << 1.0, std::numeric_limits<double>::quiet_NaN(), 2.0;
    BOOST_CHECK_THROW(rs::average_ranks(x), radiogenomics::invalid_argument);
    BOOST_TEST(rs::average_ranks(Eigen::VectorXd()).ranks.size() == 0);
    BOOST_TEST(rs::tie_correction(0.0, 1) == 1.0);  // scipy.stats.tiecorrect([1]) == 1.0
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(mann_whitney)

// Reference: scipy.stats.mannwhitneyu(x, y, alternative, method, use_continuity) (fixture
// "mannwhitneyu": exact and asymptotic, ties, tiny and unequal samples, all-equal data, p to 1e-297).
BOOST_AUTO_TEST_CASE(matches_scipy_mannwhitneyu)
{
    for (const auto* c : stats_fixture::cases_of("mannwhitneyu")) {
        rs::mann_whitney_options options;
        options.alt = rs::parse_alternative(c->text.at("alternative"));
        options.method = rs::parse_mann_whitney_method(c->text.at("method"));
        options.use_continuity = c->flags.at("use_continuity");
        const auto r = rs::mann_whitney(c->vectors.at("x"), c->vectors.at("y"), options);
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
        RG_CHECK_REF(*c, "rank_biserial", r.rank_biserial, rel_tol, statistic_floor);
    }
}

BOOST_AUTO_TEST_CASE(automatic_method_follows_scipy_rule)
{
    Eigen::VectorXd x(3);
    Eigen::VectorXd y(12);
    x << 1.5, 2.5, 9.25;
    y.setLinSpaced(12, 0.0, 11.0);
    BOOST_TEST((rs::mann_whitney(x, y).method_used == rs::mann_whitney_method::exact));  // min size 3, no ties
    x[0] = 1.0;  // tie with y
    BOOST_TEST((rs::mann_whitney(x, y).method_used == rs::mann_whitney_method::asymptotic));
    const Eigen::VectorXd big = Eigen::VectorXd::LinSpaced(9, 0.5, 8.5);
    BOOST_TEST((rs::mann_whitney(big, y).method_used == rs::mann_whitney_method::asymptotic));  // both > 8
}

// The exact null distribution is symmetric and sums to one: P(U >= 0) = 1, and
// P(U >= k) + P(U <= k - 1) = 1 with P(U <= k-1) = P(U >= mn - k + 1).
BOOST_AUTO_TEST_CASE(exact_distribution_is_a_distribution)
{
    for (long long m : {1, 3, 7, 20}) {
        for (long long n : {1, 4, 11, 30}) {
            BOOST_TEST(rs::mann_whitney_exact_sf(0, m, n) == 1.0);
            for (long long k = 1; k <= m * n; k += 1 + m * n / 7) {
                const double upper = rs::mann_whitney_exact_sf(k, m, n);
                const double lower = rs::mann_whitney_exact_sf(m * n - k + 1, m, n);
                BOOST_TEST(upper + lower == 1.0, boost::test_tools::tolerance(1e-12));
            }
        }
    }
    // Large sizes: counts near 1e88 go through the subtractions of the Gaussian-binomial product;
    // the two halves must still add up to one, and the upper tail must be close to the normal one.
    const long long m = 150;
    for (long long k : {11250LL, 11500LL, 12000LL, 13000LL}) {
        const double upper = rs::mann_whitney_exact_sf(k, m, m);
        const double lower = rs::mann_whitney_exact_sf(m * m - k + 1, m, m);
        BOOST_TEST(upper + lower == 1.0, boost::test_tools::tolerance(1e-11));
        const double z = (static_cast<double>(k) - 0.5 - m * m / 2.0) / std::sqrt(m * m * (2.0 * m + 1.0) / 12.0);
        BOOST_TEST(upper == rs::normal_sf(z), boost::test_tools::tolerance(0.05));  // CLT, continuity-corrected
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    const Eigen::VectorXd empty;
    Eigen::VectorXd x(2);
    x << 1.0, 2.0;
    BOOST_CHECK_THROW(rs::mann_whitney(empty, x), radiogenomics::invalid_argument);  // SciPy raises
    BOOST_CHECK_THROW(rs::mann_whitney(x, empty), radiogenomics::invalid_argument);
    Eigen::VectorXd with_nan = x;
    with_nan[1] = std::numeric_limits<double>::quiet_NaN();
    const auto r = rs::mann_whitney(with_nan, x);  // SciPy nan_policy="propagate": (nan, nan)
    BOOST_TEST(std::isnan(r.statistic));
    BOOST_TEST(std::isnan(r.p_value));
    // Sizes 1 and 1 (mannwhitneyu([1], [2]) -> U = 0, p = 1).
    const auto single = rs::mann_whitney(Eigen::VectorXd::Constant(1, 1.0), Eigen::VectorXd::Constant(1, 2.0));
    BOOST_TEST(single.statistic == 0.0);
    BOOST_TEST(single.p_value == 1.0);
    // Exact method for samples whose binomial coefficient overflows a double throws.
    rs::mann_whitney_options exact;
    exact.method = rs::mann_whitney_method::exact;
    const Eigen::VectorXd a = Eigen::VectorXd::LinSpaced(600, 0.0, 599.0);
    const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(600, 0.5, 599.5);
    BOOST_CHECK_THROW(rs::mann_whitney(a, b, exact), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(kruskal_wallis)

// Reference: scipy.stats.kruskal(*groups) (fixture "kruskal": ties, size-1 groups, 2–5 groups,
// p to 1e-295).
BOOST_AUTO_TEST_CASE(matches_scipy_kruskal)
{
    for (const auto* c : stats_fixture::cases_of("kruskal")) {
        const auto r = rs::kruskal_wallis(c->lists.at("groups"));
        RG_CHECK_REF(*c, "statistic", r.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.p_value, rel_tol, 0.0);
        BOOST_TEST(r.df == static_cast<double>(c->lists.at("groups").size() - 1));
    }
}

BOOST_AUTO_TEST_CASE(labelled_overload_equals_group_overload)
{
    Eigen::VectorXd values(7);
    values << 3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0;
    Eigen::VectorXi codes(7);
    codes << 0, 1, 2, 0, 1, 2, 0;
    const auto a = rs::kruskal_wallis(values, codes, 3);
    const auto b = rs::kruskal_wallis(rs::split_groups(values, codes, 3));
    BOOST_TEST(a.statistic == b.statistic);
    BOOST_TEST(a.p_value == b.p_value);
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    const Eigen::VectorXd a = Eigen::VectorXd::LinSpaced(3, 1.0, 3.0);
    BOOST_CHECK_THROW(rs::kruskal_wallis(std::vector<Eigen::VectorXd>{a}), radiogenomics::invalid_argument);
    // All values identical: SciPy raises "All numbers are identical in kruskal".
    const std::vector<Eigen::VectorXd> same{Eigen::VectorXd::Constant(2, 1.0), Eigen::VectorXd::Constant(3, 1.0)};
    BOOST_CHECK_THROW(rs::kruskal_wallis(same), radiogenomics::invalid_argument);
    // Empty group and NaN: SciPy returns (nan, nan).
    const auto empty = rs::kruskal_wallis(std::vector<Eigen::VectorXd>{a, Eigen::VectorXd()});
    BOOST_TEST(std::isnan(empty.statistic));
    BOOST_TEST(std::isnan(empty.p_value));
    Eigen::VectorXd with_nan = a;
    with_nan[0] = std::numeric_limits<double>::quiet_NaN();
    BOOST_TEST(std::isnan(rs::kruskal_wallis(std::vector<Eigen::VectorXd>{a, with_nan}).p_value));
    Eigen::VectorXi bad_codes(3);
    bad_codes << 0, 1, 2;
    BOOST_CHECK_THROW(rs::kruskal_wallis(a, bad_codes, 2), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
