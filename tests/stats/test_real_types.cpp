// The statistics take float and double data (Eigen's habit: every test runs over the scalar types).
// For each SciPy fixture case the inputs are rounded to T; the result for the T data must equal, bit for bit,
// the result for the same values held as double — the tests compute in double, SciPy's precision, whatever the
// input type. With T = double this is the identity; the SciPy comparison itself is in the other files.
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "fixture.hpp"
#include "radiogenomics/stats.hpp"

namespace rs = radiogenomics::stats;

namespace {

using scalar_types = boost::mpl::list<float, double>;

template <class T>
using vector_t = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <class T>
vector_t<T> as(const Eigen::VectorXd& x)
{
    return x.cast<T>();
}

// The same values as double.
template <class T>
Eigen::VectorXd widened(const Eigen::VectorXd& x)
{
    return x.cast<T>().template cast<double>();
}

template <class T>
std::vector<vector_t<T>> as(const std::vector<Eigen::VectorXd>& groups)
{
    std::vector<vector_t<T>> out;
    for (const auto& g : groups) {
        out.push_back(as<T>(g));
    }
    return out;
}

template <class T>
std::vector<Eigen::VectorXd> widened(const std::vector<Eigen::VectorXd>& groups)
{
    std::vector<Eigen::VectorXd> out;
    for (const auto& g : groups) {
        out.push_back(widened<T>(g));
    }
    return out;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool same(const rs::test_result& a, const rs::test_result& b)
{
    return same(a.statistic, b.statistic) && same(a.p_value, b.p_value) && same(a.df, b.df);
}

bool same(const Eigen::VectorXd& a, const Eigen::VectorXd& b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        if (!same(a[i], b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_types)

BOOST_AUTO_TEST_CASE_TEMPLATE(rank_tests_equal_double_results, T, scalar_types)
{
    for (const auto* c : stats_fixture::cases_of("mannwhitneyu")) {
        rs::mann_whitney_options options;
        options.alt = rs::parse_alternative(c->text.at("alternative"));
        options.method = rs::parse_mann_whitney_method(c->text.at("method"));
        options.use_continuity = c->flags.at("use_continuity");
        const auto& x = c->vectors.at("x");
        const auto& y = c->vectors.at("y");
        const auto a = rs::mann_whitney(as<T>(x), as<T>(y), options);
        const auto b = rs::mann_whitney(widened<T>(x), widened<T>(y), options);
        BOOST_TEST((same(a, b) && same(a.rank_biserial, b.rank_biserial) && same(a.z, b.z)), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("kruskal")) {
        const auto& groups = c->lists.at("groups");
        BOOST_TEST(same(rs::kruskal_wallis(as<T>(groups)), rs::kruskal_wallis(widened<T>(groups))), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("rankdata")) {
        const auto& x = c->vectors.at("x");
        const auto a = rs::average_ranks(as<T>(x));
        const auto b = rs::average_ranks(widened<T>(x));
        BOOST_TEST((same(a.ranks, b.ranks) && a.tie_term == b.tie_term), c->id);
    }
    // Labelled overload: a column of a float matrix, bound in place.
    Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> m(7, 2);
    m.col(0) << T(3.1), T(1.2), T(4.3), T(1.2), T(5.5), T(9.25), T(2.0);
    m.col(1).setZero();
    Eigen::VectorXi codes(7);
    codes << 0, 1, 2, 0, 1, 2, 0;
    BOOST_TEST(same(rs::kruskal_wallis(m.col(0), codes, 3),
                    rs::kruskal_wallis(Eigen::VectorXd(m.col(0).template cast<double>()), codes, 3)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(parametric_tests_equal_double_results, T, scalar_types)
{
    for (const auto* c : stats_fixture::cases_of("ttest")) {
        const auto alt = rs::parse_alternative(c->text.at("alternative"));
        const auto& x = c->vectors.at("x");
        const auto& y = c->vectors.at("y");
        const std::string& kind = c->text.at("kind");
        const auto run = [&](const auto& u, const auto& v) {
            return kind == "student" ? rs::student_t_test(u, v, alt)
                   : kind == "welch" ? rs::welch_t_test(u, v, alt)
                                     : rs::paired_t_test(u, v, alt);
        };
        const rs::t_test_result a = run(as<T>(x), as<T>(y));
        const rs::t_test_result b = run(widened<T>(x), widened<T>(y));
        BOOST_TEST((same(a, b) && same(a.mean_difference, b.mean_difference)), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("f_oneway")) {
        const auto& groups = c->lists.at("groups");
        const auto a = rs::one_way_anova(as<T>(groups));
        const auto b = rs::one_way_anova(widened<T>(groups));
        BOOST_TEST((same(a, b) && same(a.ss_within, b.ss_within)), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("shapiro")) {
        const auto& x = c->vectors.at("x");
        BOOST_TEST(same(rs::shapiro_wilk(as<T>(x)), rs::shapiro_wilk(widened<T>(x))), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("correlation")) {
        const auto alt = rs::parse_alternative(c->text.at("alternative"));
        const auto& x = c->vectors.at("x");
        const auto& y = c->vectors.at("y");
        const bool pearson = c->text.at("kind") == "pearson";
        const auto a = pearson ? rs::pearson(as<T>(x), as<T>(y), alt) : rs::spearman(as<T>(x), as<T>(y), alt);
        const auto b = pearson ? rs::pearson(widened<T>(x), widened<T>(y), alt)
                               : rs::spearman(widened<T>(x), widened<T>(y), alt);
        BOOST_TEST(same(a, b), c->id);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(descriptives_and_adjustment_equal_double_results, T, scalar_types)
{
    for (const auto* c : stats_fixture::cases_of("quantile")) {
        const auto& x = c->vectors.at("x");
        for (const double q : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0}) {
            BOOST_TEST(same(rs::quantile(as<T>(x), q), rs::quantile(widened<T>(x), q)), c->id << " q " << q);
        }
        const auto a = rs::describe(as<T>(x));
        const auto b = rs::describe(widened<T>(x));
        BOOST_TEST((same(a.mean, b.mean) && same(a.sd, b.sd) && same(a.median, b.median) && same(a.q1, b.q1) &&
                    same(a.q3, b.q3) && a.n == b.n),
                   c->id);
    }
    for (const auto* c : stats_fixture::cases_of("compare_groups")) {
        const auto& groups = c->lists.at("groups");
        const auto a = rs::compare_groups(as<T>(groups));
        const auto b = rs::compare_groups(widened<T>(groups));
        BOOST_TEST((a.test_used == b.test_used && same(a.result, b.result)), c->id);
    }
    for (const auto* c : stats_fixture::cases_of("p_adjust")) {
        const auto& p = c->vectors.at("p");
        BOOST_TEST(same(rs::benjamini_hochberg(as<T>(p)), rs::benjamini_hochberg(widened<T>(p))), c->id);
        BOOST_TEST(same(rs::bonferroni(as<T>(p)), rs::bonferroni(widened<T>(p))), c->id);
    }
}

// A float patients x features matrix goes to volcano as it is (read in place, column by column).
BOOST_AUTO_TEST_CASE_TEMPLATE(volcano_on_a_matrix_equals_double_results, T, scalar_types)
{
    for (const auto* c : stats_fixture::cases_of("volcano")) {
        const auto& rows = c->lists.at("matrix");
        Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> x(static_cast<Eigen::Index>(rows.size()), rows[0].size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            x.row(static_cast<Eigen::Index>(r)) = rows[r].transpose().cast<T>();
        }
        const Eigen::VectorXi labels = c->vectors.at("labels").cast<int>();
        rs::volcano_options options;
        options.test = rs::parse_group_test(c->text.at("test"));
        const auto a = rs::volcano(x, labels, options);
        const Eigen::MatrixXd xd = x.template cast<double>();
        const auto b = rs::volcano(xd, labels, options);
        BOOST_TEST(same(a.statistic, b.statistic), c->id);
        BOOST_TEST(same(a.p_value, b.p_value), c->id);
        BOOST_TEST(same(a.p_adjusted, b.p_adjusted), c->id);
        BOOST_TEST(same(a.log2_fold_change, b.log2_fold_change), c->id);
        BOOST_TEST((a.significant == b.significant), c->id);
    }
}

BOOST_AUTO_TEST_SUITE_END()
