#pragma once
/// \file descriptives.hpp
/// \brief Baseline-table descriptives (median (Q1, Q3), mean ± SD, counts and percentages) and the
///        study's choice of group test.
///
/// Quantiles use NumPy's default ("linear", Hyndman & Fan type 7): for sorted
/// \f$ x_{(0)} \le \dots \le x_{(n-1)} \f$ and \f$ h = (n-1)q \f$,
/// \f$ Q(q) = x_{(\lfloor h \rfloor)} + (h - \lfloor h \rfloor)(x_{(\lfloor h \rfloor + 1)} - x_{(\lfloor h \rfloor)}) \f$
/// (`numpy.quantile(x, q)`), computed by the library's one NumPy quantile, core/percentile.hpp (NumPy's own
/// rounding). SD uses ddof = 1.
///
/// Group test "as the study did" (paper, Statistics): Shapiro–Wilk in every group; if all groups
/// look normal (every group has n >= 3, is not constant, and p >= `normality_alpha`), a t-test
/// (two groups; Student unless `welch`) or one-way ANOVA (more groups); otherwise Mann–Whitney U
/// (two groups) or Kruskal–Wallis H (more groups). Categorical variables: chi-square test of
/// independence on the group × category table (chi_square.hpp).
///
/// \par Missing values
/// NaN values are missing: `describe` counts them in `n_missing` and ignores them;
/// `compare_groups` drops them before testing.
///
/// \par Degenerate input
/// `quantile` of an empty vector throws; with NaN it returns NaN (as NumPy). `compare_groups`
/// returns NaN statistic/p (never throws) when a group is empty after dropping NaN or when every
/// value is equal.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/percentile.hpp"
#include "radiogenomics/stats/anova.hpp"
#include "radiogenomics/stats/chi_square.hpp"
#include "radiogenomics/stats/groups.hpp"
#include "radiogenomics/stats/kruskal_wallis.hpp"
#include "radiogenomics/stats/mann_whitney.hpp"
#include "radiogenomics/stats/shapiro_wilk.hpp"
#include "radiogenomics/stats/t_test.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

namespace detail {

/// See the public `quantile`.
template <class TReal>
double quantile(const vector_view<TReal>& x, double q)
{
    if (x.size() == 0) {
        raise("stats.quantile", "sample size: got 0, expected >= 1.");
    }
    if (!(q >= 0.0 && q <= 1.0)) {
        raise("stats.quantile", "q: got ", q, ", expected 0 <= q <= 1.");
    }
    if (detail::has_nan(x)) {
        return detail::nan_value;
    }
    std::vector<double> sorted(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        sorted[static_cast<std::size_t>(i)] = static_cast<double>(x[i]);
    }
    std::sort(sorted.begin(), sorted.end());
    return numpy_quantile_sorted(sorted, q);
}

}  // namespace detail

/// Quantile `q` in [0, 1] of float or double `x` (`numpy.quantile(x, q)`); NaN when `x` holds NaN.
template <class TDerived>
double quantile(const Eigen::DenseBase<TDerived>& x, double q)
{
    return detail::quantile<detail::real_t<TDerived>>(x.derived(), q);
}

/// One row of a baseline table for a continuous variable.
struct summary {
    Eigen::Index n = 0;                  ///< non-missing values
    Eigen::Index n_missing = 0;          ///< NaN values
    double mean = detail::nan_value;     ///< arithmetic mean
    double sd = detail::nan_value;       ///< standard deviation, ddof = 1 (NaN when n < 2)
    double median = detail::nan_value;   ///< 50 % quantile
    double q1 = detail::nan_value;       ///< 25 % quantile
    double q3 = detail::nan_value;       ///< 75 % quantile
    double minimum = detail::nan_value;  ///< smallest value
    double maximum = detail::nan_value;  ///< largest value
};

namespace detail {

/// See the public `describe`.
template <class TReal>
summary describe(const vector_view<TReal>& x)
{
    summary out;
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        if (std::isnan(x[i])) {
            ++out.n_missing;
        } else {
            values.push_back(static_cast<double>(x[i]));
        }
    }
    out.n = static_cast<Eigen::Index>(values.size());
    if (values.empty()) {
        return out;
    }
    const Eigen::Map<const Eigen::VectorXd> v(values.data(), out.n);
    out.mean = detail::mean(v);
    out.sd = std::sqrt(detail::variance(v, 1));
    std::sort(values.begin(), values.end());
    out.median = numpy_quantile_sorted(values, 0.5);
    out.q1 = numpy_quantile_sorted(values, 0.25);
    out.q3 = numpy_quantile_sorted(values, 0.75);
    out.minimum = values.front();
    out.maximum = values.back();
    return out;
}

}  // namespace detail

/// Describes float or double `x` (statistics in double), ignoring NaN.
template <class TDerived>
summary describe(const Eigen::DenseBase<TDerived>& x)
{
    return detail::describe<detail::real_t<TDerived>>(x.derived());
}

/// Count and percentage of one category.
struct category_count {
    int code = 0;              ///< category code
    Eigen::Index count = 0;    ///< observations with that code
    double percent = 0.0;      ///< 100 · count / total (NaN for an empty input)
};

/// Counts of the codes `0 .. n_categories-1` in `codes`. \throws invalid_argument for a code out of range.
inline std::vector<category_count> count_categories(const Eigen::Ref<const Eigen::VectorXi>& codes, int n_categories)
{
    if (n_categories < 1) {
        raise("stats.count_categories", "n_categories: got ", n_categories, ", expected >= 1.");
    }
    std::vector<category_count> out(static_cast<std::size_t>(n_categories));
    for (int c = 0; c < n_categories; ++c) {
        out[static_cast<std::size_t>(c)].code = c;
    }
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
        if (codes[i] < 0 || codes[i] >= n_categories) {
            raise("stats.count_categories", "codes[", i, "]: got ", codes[i], ", expected 0 <= code < ", n_categories,
                  ".");
        }
        ++out[static_cast<std::size_t>(codes[i])].count;
    }
    for (auto& c : out) {
        c.percent = codes.size() == 0 ? detail::nan_value
                                      : 100.0 * static_cast<double>(c.count) / static_cast<double>(codes.size());
    }
    return out;
}

/// Contingency table (rows: codes_a in 0..n_a-1, columns: codes_b in 0..n_b-1).
inline Eigen::MatrixXd cross_tabulate(const Eigen::Ref<const Eigen::VectorXi>& codes_a, int n_a,
                                      const Eigen::Ref<const Eigen::VectorXi>& codes_b, int n_b)
{
    if (codes_a.size() != codes_b.size()) {
        raise("stats.cross_tabulate", "code vector sizes: got ", codes_a.size(), " and ", codes_b.size(),
              ", expected equal lengths.");
    }
    Eigen::MatrixXd table = Eigen::MatrixXd::Zero(n_a, n_b);
    for (Eigen::Index i = 0; i < codes_a.size(); ++i) {
        if (codes_a[i] < 0 || codes_a[i] >= n_a || codes_b[i] < 0 || codes_b[i] >= n_b) {
            raise("stats.cross_tabulate", "codes at ", i, ": got (", codes_a[i], ", ", codes_b[i],
                  "), expected within ", n_a, " x ", n_b, ".");
        }
        table(codes_a[i], codes_b[i]) += 1.0;
    }
    return table;
}

/// `describe` of each group of float or double `values` labelled by `codes` in `0 .. n_groups-1`
/// (baseline-table columns).
template <class TDerived>
std::vector<summary> describe_by_group(const Eigen::DenseBase<TDerived>& values,
                                       const Eigen::Ref<const Eigen::VectorXi>& codes, int n_groups)
{
    const std::vector<Eigen::VectorXd> groups = split_groups(values, codes, n_groups);
    std::vector<summary> out;
    out.reserve(groups.size());
    for (const auto& g : groups) {
        out.push_back(describe(g));
    }
    return out;
}

/// Categorical baseline row: counts (groups × categories), percentages within each group, and the
/// chi-square test of independence (SciPy `chi2_contingency` defaults, Yates for 2 × 2).
struct category_comparison {
    Eigen::MatrixXd counts;       ///< groups × categories
    Eigen::MatrixXd percent;      ///< 100 · count / group size (row percentages)
    chi_square_result chi_square; ///< test of independence (throws on a zero row/column, as SciPy)
};

/// Compares the distribution of categories between groups (e.g. FIGO stage by TP53 status).
/// Categories or groups absent from the data make a zero column/row: drop them (or use fewer codes)
/// before calling; `chi_square_independence` throws on them, as SciPy raises.
inline category_comparison compare_categories(const Eigen::Ref<const Eigen::VectorXi>& group_codes, int n_groups,
                                              const Eigen::Ref<const Eigen::VectorXi>& category_codes,
                                              int n_categories)
{
    category_comparison out;
    out.counts = cross_tabulate(group_codes, n_groups, category_codes, n_categories);
    out.percent = out.counts;
    for (Eigen::Index g = 0; g < out.counts.rows(); ++g) {
        const double size = out.counts.row(g).sum();
        out.percent.row(g) = size > 0.0 ? (100.0 * out.counts.row(g) / size).eval()
                                        : Eigen::RowVectorXd::Constant(out.counts.cols(), detail::nan_value);
    }
    out.chi_square = chi_square_independence(out.counts);
    return out;
}

/// A test comparing groups of a continuous variable.
enum class group_test {
    automatic,     ///< Shapiro–Wilk per group, then parametric or rank test (the study's rule)
    student,       ///< Student t (two groups)
    welch,         ///< Welch t (two groups)
    mann_whitney,  ///< Mann–Whitney U (two groups)
    anova,         ///< one-way ANOVA (any k >= 2)
    kruskal_wallis ///< Kruskal–Wallis H (any k >= 2)
};

/// Parses "auto", "student", "welch", "mannwhitney", "anova", "kruskal".
inline group_test parse_group_test(const std::string& text)
{
    if (text == "auto" || text == "automatic") {
        return group_test::automatic;
    }
    if (text == "student" || text == "ttest") {
        return group_test::student;
    }
    if (text == "welch") {
        return group_test::welch;
    }
    if (text == "mannwhitney" || text == "mann_whitney") {
        return group_test::mann_whitney;
    }
    if (text == "anova") {
        return group_test::anova;
    }
    if (text == "kruskal" || text == "kruskal_wallis") {
        return group_test::kruskal_wallis;
    }
    raise("stats.parse_group_test", "test: got '", text,
          "', expected one of auto, student, welch, mannwhitney, anova, kruskal.");
}

/// Short name of a group test ("student", "welch", "mannwhitney", "anova", "kruskal", "auto").
inline std::string to_string(group_test test)
{
    switch (test) {
    case group_test::student:
        return "student";
    case group_test::welch:
        return "welch";
    case group_test::mann_whitney:
        return "mannwhitney";
    case group_test::anova:
        return "anova";
    case group_test::kruskal_wallis:
        return "kruskal";
    default:
        return "auto";
    }
}

/// Options of `compare_groups`.
struct group_comparison_options {
    group_test test = group_test::automatic;  ///< test, or automatic choice
    double normality_alpha = 0.05;            ///< Shapiro–Wilk level for "normal"
    bool welch = false;                       ///< automatic choice uses Welch instead of Student
    mann_whitney_options mann_whitney;        ///< options of the Mann–Whitney test
};

/// Outcome of `compare_groups`.
struct group_comparison {
    group_test test_used = group_test::automatic;  ///< the test actually run
    test_result result;                            ///< statistic, p, df
    bool all_normal = false;                       ///< every group passed Shapiro–Wilk (automatic only)
};

namespace detail {

inline bool looks_normal(const Eigen::VectorXd& g, double alpha)
{
    if (g.size() < 3 || (g.array() == g[0]).all()) {
        return false;
    }
    return stats::shapiro_wilk(g).p_value >= alpha;
}

}  // namespace detail

/// Compares NaN-free groups with the chosen (or automatically chosen) test; never throws for
/// degenerate data (NaN result instead), throws for a two-group test asked for k != 2 groups.
inline group_comparison compare_groups_complete(const std::vector<Eigen::VectorXd>& groups,
                                                const group_comparison_options& options = {})
{
    const std::size_t k = groups.size();
    if (k < 2) {
        raise("stats.compare_groups", "number of groups: got ", k, ", expected >= 2.");
    }
    group_comparison out;
    group_test test = options.test;
    if (test == group_test::automatic) {
        bool normal = true;
        for (const auto& g : groups) {
            normal = normal && detail::looks_normal(g, options.normality_alpha);
        }
        out.all_normal = normal;
        if (normal) {
            test = k == 2 ? (options.welch ? group_test::welch : group_test::student) : group_test::anova;
        } else {
            test = k == 2 ? group_test::mann_whitney : group_test::kruskal_wallis;
        }
    }
    out.test_used = test;
    const bool two_group = test == group_test::student || test == group_test::welch || test == group_test::mann_whitney;
    if (two_group && k != 2) {
        raise("stats.compare_groups", "number of groups: got ", k, ", expected 2 for test '", to_string(test),
              "'. Use anova or kruskal.");
    }
    bool empty = false;
    for (const auto& g : groups) {
        empty = empty || g.size() == 0;
    }
    if (empty) {
        return out;
    }
    bool all_equal = true;
    const double first = groups[0][0];
    for (const auto& g : groups) {
        all_equal = all_equal && (g.array() == first).all();
    }
    switch (test) {
    case group_test::student:
        out.result = student_t_test(groups[0], groups[1]);
        break;
    case group_test::welch:
        out.result = welch_t_test(groups[0], groups[1]);
        break;
    case group_test::mann_whitney:
        out.result = mann_whitney(groups[0], groups[1], options.mann_whitney);
        break;
    case group_test::anova:
        out.result = one_way_anova(groups);
        break;
    default:
        if (!all_equal) {
            out.result = kruskal_wallis(groups);
        } else {
            out.result.df = static_cast<double>(k - 1);
        }
        break;
    }
    return out;
}

/// Like `compare_groups_complete`, after dropping NaN values from each group of float or double values (the
/// kept values are promoted to double exactly, so float input gives the result of the same values as double).
template <class TReal>
group_comparison compare_groups(const std::vector<Eigen::Matrix<TReal, Eigen::Dynamic, 1>>& groups,
                                const group_comparison_options& options = {})
{
    std::vector<Eigen::VectorXd> complete(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::vector<double> kept;
        kept.reserve(static_cast<std::size_t>(groups[g].size()));
        for (Eigen::Index i = 0; i < groups[g].size(); ++i) {
            if (!std::isnan(groups[g][i])) {
                kept.push_back(static_cast<double>(groups[g][i]));
            }
        }
        complete[g] = Eigen::Map<const Eigen::VectorXd>(kept.data(), static_cast<Eigen::Index>(kept.size()));
    }
    return compare_groups_complete(complete, options);
}

/// Like `compare_groups_complete`, after dropping NaN values from each group.
inline group_comparison compare_groups(const std::vector<Eigen::VectorXd>& groups,
                                       const group_comparison_options& options = {})
{
    return compare_groups<double>(groups, options);
}

}  // namespace radiogenomics::stats
