#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>
#include <vector>

#include "fixture.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/report/svg_plot.hpp"
#include "radiogenomics/stats/descriptives.hpp"
#include "radiogenomics/stats/volcano.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::stats;
using stats_fixture::rel_tol;
using stats_fixture::statistic_floor;

namespace {
const double nan_value = std::numeric_limits<double>::quiet_NaN();

Eigen::MatrixXd matrix_of(const std::vector<Eigen::VectorXd>& rows)
{
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), rows[0].size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        m.row(static_cast<Eigen::Index>(r)) = rows[r].transpose();
    }
    return m;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(descriptives)

// Reference: numpy.quantile(x, [0.25, 0.5, 0.75]) (default method "linear"), mean, std(ddof=1).
BOOST_AUTO_TEST_CASE(quantiles_match_numpy)
{
    for (const auto* c : stats_fixture::cases_of("quantile")) {
        const auto& x = c->vectors.at("x");
        const auto& q = c->expected_vectors.at("q");
        const auto s = rs::describe(x);
        BOOST_TEST(stats_fixture::close(s.q1, q[0], rel_tol), c->id << " q1");
        BOOST_TEST(stats_fixture::close(s.median, q[1], rel_tol), c->id << " median");
        BOOST_TEST(stats_fixture::close(s.q3, q[2], rel_tol), c->id << " q3");
        BOOST_TEST(stats_fixture::close(rs::quantile(x, 0.25), q[0], rel_tol), c->id << " quantile()");
        RG_CHECK_REF(*c, "mean", s.mean, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "sd", s.sd, rel_tol, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(describe_skips_missing_values)
{
    Eigen::VectorXd x(5);
    x << 4.0, nan_value, 1.0, 3.0, 2.0;
    const auto s = rs::describe(x);
    BOOST_TEST(s.n == 4);
    BOOST_TEST(s.n_missing == 1);
    BOOST_TEST(s.median == 2.5);  // numpy.quantile([1,2,3,4], 0.5)
    BOOST_TEST(s.q1 == 1.75);     // 1 + 0.75 * (2 - 1)
    BOOST_TEST(s.minimum == 1.0);
    BOOST_TEST(s.maximum == 4.0);
    BOOST_TEST(std::isnan(rs::quantile(x, 0.5)));  // numpy propagates NaN
    BOOST_CHECK_THROW(rs::quantile(Eigen::VectorXd(), 0.5), rg::invalid_argument);
    BOOST_CHECK_THROW(rs::quantile(x, 1.5), rg::invalid_argument);
}

// Reference: chi2_contingency([[1,1],[2,2]]) -> statistic 0 (Yates moves every cell onto its
// expected count), p 1; row percentages by hand.
BOOST_AUTO_TEST_CASE(categorical_comparison)
{
    Eigen::VectorXi group(6);
    group << 0, 0, 1, 1, 1, 1;
    Eigen::VectorXi category(6);
    category << 0, 1, 0, 1, 0, 1;
    const auto r = rs::compare_categories(group, 2, category, 2);
    BOOST_TEST(r.counts(1, 1) == 2.0);
    BOOST_TEST(r.percent(0, 0) == 50.0);
    BOOST_TEST(r.chi_square.statistic == 0.0);
    BOOST_TEST(r.chi_square.p_value == 1.0);
    Eigen::VectorXd values(6);
    values << 1.0, 3.0, 2.0, 4.0, 6.0, nan_value;
    const auto by_group = rs::describe_by_group(values, group, 2);
    BOOST_TEST(by_group[0].median == 2.0);
    BOOST_TEST(by_group[1].n == 3);
    BOOST_TEST(by_group[1].n_missing == 1);
}

BOOST_AUTO_TEST_CASE(counts_and_cross_tabulation)
{
    Eigen::VectorXi a(6);
    a << 0, 1, 1, 2, 2, 2;
    Eigen::VectorXi b(6);
    b << 0, 0, 1, 1, 1, 0;
    const auto counts = rs::count_categories(a, 3);
    BOOST_TEST(counts[2].count == 3);
    BOOST_TEST(counts[2].percent == 50.0);
    const Eigen::MatrixXd t = rs::cross_tabulate(a, 3, b, 2);
    BOOST_TEST(t(2, 1) == 2.0);
    BOOST_TEST(t.sum() == 6.0);
    a[0] = 3;
    BOOST_CHECK_THROW(rs::count_categories(a, 3), rg::invalid_argument);
}

// Reference: the study's rule run with SciPy (fixture "compare_groups": shapiro per group, then
// ttest_ind / f_oneway when all p >= 0.05, else mannwhitneyu / kruskal).
BOOST_AUTO_TEST_CASE(automatic_choice_matches_study_rule)
{
    for (const auto* c : stats_fixture::cases_of("compare_groups")) {
        const auto r = rs::compare_groups(c->lists.at("groups"));
        BOOST_TEST(rs::to_string(r.test_used) == c->text.at("test"), c->id);
        RG_CHECK_REF(*c, "statistic", r.result.statistic, rel_tol, statistic_floor);
        RG_CHECK_REF(*c, "pvalue", r.result.p_value, rel_tol, 0.0);
    }
}

BOOST_AUTO_TEST_CASE(compare_groups_degenerate)
{
    const Eigen::VectorXd a = Eigen::VectorXd::LinSpaced(4, 1.0, 4.0);
    const Eigen::VectorXd all_nan = Eigen::VectorXd::Constant(3, nan_value);
    const auto r = rs::compare_groups({a, all_nan});  // empty after dropping NaN -> NaN, no throw
    BOOST_TEST(std::isnan(r.result.p_value));
    rs::group_comparison_options kw;
    kw.test = rs::group_test::kruskal_wallis;
    const Eigen::VectorXd same = Eigen::VectorXd::Constant(3, 2.0);
    BOOST_TEST(std::isnan(rs::compare_groups({same, same}, kw).result.p_value));  // all equal -> NaN
    rs::group_comparison_options mw;
    mw.test = rs::group_test::mann_whitney;
    BOOST_CHECK_THROW(rs::compare_groups({a, a, a}, mw), rg::invalid_argument);  // two-group test, 3 groups
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(volcano)

// Reference: per column SciPy mannwhitneyu / ttest_ind(equal_var=False) on complete cases,
// log2(mean_pos / mean_neg) with NumPy, and NumPy BH (fixture "volcano": negative means, a constant
// column, missing values).
BOOST_AUTO_TEST_CASE(matches_scipy_per_feature)
{
    for (const auto* c : stats_fixture::cases_of("volcano")) {
        const Eigen::MatrixXd x = matrix_of(c->lists.at("matrix"));
        const Eigen::VectorXi labels = c->vectors.at("labels").cast<int>();
        rs::volcano_options options;
        options.test = rs::parse_group_test(c->text.at("test"));
        const auto r = rs::volcano(x, labels, options);
        const auto& stat = c->expected_vectors.at("statistic");
        const auto& p = c->expected_vectors.at("pvalue");
        const auto& padj = c->expected_vectors.at("p_adjusted");
        const auto& fc = c->expected_vectors.at("log2fc");
        for (Eigen::Index j = 0; j < x.cols(); ++j) {
            BOOST_TEST(stats_fixture::close(r.statistic[j], stat[j], rel_tol, statistic_floor), c->id << " stat " << j);
            BOOST_TEST(stats_fixture::close(r.p_value[j], p[j], rel_tol), c->id << " p " << j);
            BOOST_TEST(stats_fixture::close(r.p_adjusted[j], padj[j], rel_tol), c->id << " p_adj " << j);
            BOOST_TEST(stats_fixture::close(r.log2_fold_change[j], fc[j], rel_tol, statistic_floor), c->id << " fc " << j);
            BOOST_TEST(r.significant[static_cast<std::size_t>(j)] == (padj[j] < 0.05), c->id << " significant " << j);
        }
        BOOST_TEST((r.fc_status[1] == rs::fold_change_status::non_positive_mean));
        BOOST_TEST((r.fc_status[0] == rs::fold_change_status::defined));
        BOOST_TEST(r.group_counts(4, 0) + r.group_counts(4, 1) == x.rows() - 2);  // two NaN cells
    }
}

BOOST_AUTO_TEST_CASE(same_result_with_one_or_many_threads)
{
    rg::random_engine engine(11);
    Eigen::MatrixXd x(259, 300);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        for (Eigen::Index i = 0; i < x.rows(); ++i) {
            x(i, j) = std::exp(rg::standard_normal(engine));
        }
    }
    Eigen::VectorXi labels(259);
    for (Eigen::Index i = 0; i < labels.size(); ++i) {
        labels[i] = rg::uniform01(engine) < 0.4 ? 1 : 0;
    }
    rs::volcano_options options;
    options.test = rs::group_test::automatic;
    rs::volcano_result one;
    {
        rg::thread_count_guard guard(1);
        one = rs::volcano(x, labels, options);
    }
    const auto many = rs::volcano(x, labels, options);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        BOOST_TEST(one.p_value[j] == many.p_value[j]);
        BOOST_TEST(one.p_adjusted[j] == many.p_adjusted[j]);
        BOOST_TEST(one.log2_fold_change[j] == many.log2_fold_change[j]);
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(4, 3);
    Eigen::VectorXi labels(4);
    labels << 0, 1, 2, 1;
    BOOST_CHECK_THROW(rs::volcano(x, labels), rg::invalid_argument);  // label 2 in a binary volcano
    BOOST_CHECK_THROW(rs::volcano(x, labels.head(3)), rg::invalid_argument);  // length mismatch
    rs::feature_test_options kw;
    kw.test = rs::group_test::kruskal_wallis;
    const auto r = rs::test_features(x, labels, 3, kw);  // constant features: NaN, no throw
    BOOST_TEST(std::isnan(r.p_value[0]));
    BOOST_TEST(r.significant[0] == false);
    BOOST_CHECK_THROW(rs::test_features(x, labels, 3, rs::feature_test_options{}), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(svg_plot)

BOOST_AUTO_TEST_CASE(scatter_draws_finite_points_and_escapes_text)
{
    std::vector<radiogenomics::report::svg_point> points{
        {0.5, 2.0, 1, "a<b"}, {-1.0, 0.1, 0, ""}, {nan_value, 1.0, 0, "skipped"}};
    radiogenomics::report::svg_scatter_options options;
    options.title = "TP53 & volcano";
    options.series_names = {"ns", "sig"};
    const std::string svg = radiogenomics::report::svg_scatter(points, options);
    std::size_t circles = 0;
    for (std::size_t pos = svg.find("<circle"); pos != std::string::npos; pos = svg.find("<circle", pos + 1)) {
        ++circles;
    }
    BOOST_TEST(circles == 2u + 2u);  // two finite points + two legend markers
    BOOST_TEST(svg.find("TP53 &amp; volcano") != std::string::npos);
    BOOST_TEST(svg.find("a&lt;b") != std::string::npos);
    BOOST_TEST(svg.find("1 point(s) with undefined coordinates") != std::string::npos);
    BOOST_TEST(svg.rfind("</svg>") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
