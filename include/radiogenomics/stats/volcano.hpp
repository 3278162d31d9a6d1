#pragma once
/// \file volcano.hpp
/// \brief Feature-by-feature group tests over a patients × features matrix, and volcano-plot data.
///
/// `test_features` runs one group test per feature column (descriptives.hpp: Student, Welch,
/// Mann–Whitney, ANOVA, Kruskal–Wallis, or the study's automatic choice) and adjusts the p-values
/// over features (multiple_testing.hpp). Columns are processed in parallel with OpenMP; each
/// feature writes its own slot, so results do not depend on the thread count.
///
/// Orientation: group 0 is the first sample, so the statistic is SciPy's `test(group0, group1)`
/// (Mann–Whitney U of group 0; t of mean0 - mean1).
///
/// `volcano` adds, for a binary label (0 = negative, 1 = positive, e.g. TP53 status), the
/// log2 fold change of the group means
/// \f[ \mathrm{log_2FC} = \log_2\frac{\bar{x}_{pos}}{\bar{x}_{neg}}, \f]
/// defined only when both means are positive (radiomic features can be negative or zero: then the
/// value is NaN and `fold_change_status` says why), and a significance call:
/// `p_adjusted < alpha` and, when `min_abs_log2_fold_change > 0`, a finite
/// \f$ |\mathrm{log_2FC}| \ge \f$ that threshold.
///
/// \par Missing values
/// NaN cells are dropped feature by feature (each feature uses its complete cases; `group_counts`
/// reports the counts used). A feature whose test is undefined (empty group, all values equal, ...)
/// gets NaN statistic and p; NaN p-values are left out of the adjustment.
///
/// \par Errors
/// Labels outside `0 .. n_groups-1`, a label vector whose length differs from the number of rows,
/// or (volcano) a label other than 0/1 throw `invalid_argument`.

#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/stats/descriptives.hpp"
#include "radiogenomics/stats/multiple_testing.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Options of `test_features` and `volcano`.
struct feature_test_options {
    group_test test = group_test::mann_whitney;   ///< per-feature test
    p_adjust adjust = p_adjust::benjamini_hochberg;  ///< adjustment over features
    double alpha = 0.05;                          ///< significance level for `significant`
    double normality_alpha = 0.05;                ///< Shapiro–Wilk level of the automatic choice
    bool welch = false;                           ///< automatic choice uses Welch instead of Student
    mann_whitney_options mann_whitney;            ///< Mann–Whitney options
};

/// Per-feature results of `test_features` (vectors have one entry per feature column).
struct feature_test_table {
    Eigen::VectorXd statistic;             ///< test statistic
    Eigen::VectorXd p_value;               ///< raw p-value
    Eigen::VectorXd p_adjusted;            ///< adjusted p-value (= raw for p_adjust::none)
    Eigen::VectorXd df;                    ///< degrees of freedom (NaN when none)
    Eigen::MatrixXi group_counts;          ///< features × groups: non-missing values used
    std::vector<group_test> test_used;     ///< test run on each feature
    std::vector<bool> significant;         ///< p_adjusted < alpha
};

namespace detail {

/// See the public `test_features`.
template <class TReal>
feature_test_table test_features(const matrix_view<TReal>& features, const Eigen::Ref<const Eigen::VectorXi>& codes,
                                 int n_groups, const feature_test_options& options)
{
    constexpr const char* where = "stats.test_features";
    if (codes.size() != features.rows()) {
        raise(where, "labels: got ", codes.size(), ", expected ", features.rows(), " (one per row of the matrix).");
    }
    if (n_groups < 2) {
        raise(where, "number of groups: got ", n_groups, ", expected >= 2.");
    }
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
        if (codes[i] < 0 || codes[i] >= n_groups) {
            raise(where, "labels[", i, "]: got ", codes[i], ", expected 0 <= label < ", n_groups, ".");
        }
    }
    const bool two_group = options.test == group_test::student || options.test == group_test::welch ||
                           options.test == group_test::mann_whitney;
    if (two_group && n_groups != 2) {
        raise(where, "number of groups: got ", n_groups, ", expected 2 for test '", to_string(options.test),
              "'. Use anova or kruskal.");
    }
    const Eigen::Index n_features = features.cols();
    const Eigen::Index n_rows = features.rows();
    feature_test_table out;
    out.statistic.setConstant(n_features, detail::nan_value);
    out.p_value.setConstant(n_features, detail::nan_value);
    out.df.setConstant(n_features, detail::nan_value);
    out.group_counts.setZero(n_features, n_groups);
    out.test_used.assign(static_cast<std::size_t>(n_features), options.test);
    group_comparison_options compare;
    compare.test = options.test;
    compare.normality_alpha = options.normality_alpha;
    compare.welch = options.welch;
    compare.mann_whitney = options.mann_whitney;
    std::vector<std::string> errors(static_cast<std::size_t>(n_features));

    RG_PARALLEL_FOR_DYNAMIC
    for (Eigen::Index j = 0; j < n_features; ++j) {
        try {
            std::vector<Eigen::Index> counts(static_cast<std::size_t>(n_groups), 0);
            for (Eigen::Index i = 0; i < n_rows; ++i) {
                if (!std::isnan(features(i, j))) {
                    ++counts[static_cast<std::size_t>(codes[i])];
                }
            }
            std::vector<Eigen::VectorXd> groups(static_cast<std::size_t>(n_groups));
            for (int g = 0; g < n_groups; ++g) {
                groups[static_cast<std::size_t>(g)].resize(counts[static_cast<std::size_t>(g)]);
                out.group_counts(j, g) = static_cast<int>(counts[static_cast<std::size_t>(g)]);
                counts[static_cast<std::size_t>(g)] = 0;
            }
            for (Eigen::Index i = 0; i < n_rows; ++i) {
                const double v = static_cast<double>(features(i, j));
                if (!std::isnan(v)) {
                    const auto g = static_cast<std::size_t>(codes[i]);
                    groups[g][counts[g]++] = v;
                }
            }
            const group_comparison result = compare_groups_complete(groups, compare);
            out.statistic[j] = result.result.statistic;
            out.p_value[j] = result.result.p_value;
            out.df[j] = result.result.df;
            out.test_used[static_cast<std::size_t>(j)] = result.test_used;
        } catch (const std::exception& e) {
            errors[static_cast<std::size_t>(j)] = e.what();
        }
    }
    for (const auto& message : errors) {
        if (!message.empty()) {
            throw invalid_argument(message);
        }
    }
    out.p_adjusted = adjust_p_values(out.p_value, options.adjust);
    out.significant.resize(static_cast<std::size_t>(n_features));
    for (Eigen::Index j = 0; j < n_features; ++j) {
        out.significant[static_cast<std::size_t>(j)] = out.p_adjusted[j] < options.alpha;
    }
    return out;
}

}  // namespace detail

/// Runs `options.test` on every column of the float or double matrix `features` (rows: patients) with groups
/// `codes`. The matrix is read in place (a float matrix is not copied); each column's groups are gathered
/// in double, the precision of SciPy's tests, so float input gives the results of the same values as double.
template <class TDerived>
feature_test_table test_features(const Eigen::DenseBase<TDerived>& features, const Eigen::Ref<const Eigen::VectorXi>& codes,
                                 int n_groups, const feature_test_options& options = {})
{
    return detail::test_features<detail::real_t<TDerived>>(features.derived(), codes, n_groups, options);
}

/// Why a log2 fold change is or is not defined.
enum class fold_change_status {
    defined,            ///< both group means positive
    non_positive_mean,  ///< a group mean is <= 0 (ratio of means not a fold change): NaN
    undefined           ///< a group has no non-missing value: NaN
};

/// Options of `volcano`.
struct volcano_options : feature_test_options {
    double min_abs_log2_fold_change = 0.0;  ///< extra significance threshold on |log2FC| (0: none)
};

/// Volcano data per feature (see file comment).
struct volcano_result : feature_test_table {
    Eigen::VectorXd mean_negative;                 ///< mean of label-0 rows (non-missing)
    Eigen::VectorXd mean_positive;                 ///< mean of label-1 rows (non-missing)
    Eigen::VectorXd log2_fold_change;              ///< \f$ \log_2(\bar{x}_{pos}/\bar{x}_{neg}) \f$ or NaN
    std::vector<fold_change_status> fc_status;     ///< why log2FC is NaN
};

namespace detail {

/// See the public `volcano`.
template <class TReal>
volcano_result volcano(const matrix_view<TReal>& features, const Eigen::Ref<const Eigen::VectorXi>& labels,
                       const volcano_options& options)
{
    for (Eigen::Index i = 0; i < labels.size(); ++i) {
        if (labels[i] != 0 && labels[i] != 1) {
            raise("stats.volcano", "labels[", i, "]: got ", labels[i], ", expected 0 (negative) or 1 (positive).");
        }
    }
    volcano_result out;
    static_cast<feature_test_table&>(out) = detail::test_features<TReal>(features, labels, 2, options);
    const Eigen::Index n_features = features.cols();
    out.mean_negative.resize(n_features);
    out.mean_positive.resize(n_features);
    out.log2_fold_change.resize(n_features);
    out.fc_status.resize(static_cast<std::size_t>(n_features));
    RG_PARALLEL_FOR
    for (Eigen::Index j = 0; j < n_features; ++j) {
        double sums[2] = {0.0, 0.0};
        Eigen::Index counts[2] = {0, 0};
        for (Eigen::Index i = 0; i < features.rows(); ++i) {
            const double v = static_cast<double>(features(i, j));
            if (!std::isnan(v)) {
                sums[labels[i]] += v;
                ++counts[labels[i]];
            }
        }
        const double neg = counts[0] > 0 ? sums[0] / static_cast<double>(counts[0]) : detail::nan_value;
        const double pos = counts[1] > 0 ? sums[1] / static_cast<double>(counts[1]) : detail::nan_value;
        out.mean_negative[j] = neg;
        out.mean_positive[j] = pos;
        fold_change_status status = fold_change_status::defined;
        if (std::isnan(neg) || std::isnan(pos)) {
            status = fold_change_status::undefined;
        } else if (!(neg > 0.0) || !(pos > 0.0)) {
            status = fold_change_status::non_positive_mean;
        }
        out.fc_status[static_cast<std::size_t>(j)] = status;
        out.log2_fold_change[j] = status == fold_change_status::defined ? std::log2(pos / neg) : detail::nan_value;
    }
    for (Eigen::Index j = 0; j < n_features; ++j) {
        if (options.min_abs_log2_fold_change > 0.0) {
            const double fc = out.log2_fold_change[j];
            out.significant[static_cast<std::size_t>(j)] = out.significant[static_cast<std::size_t>(j)] &&
                                                           std::isfinite(fc) &&
                                                           std::abs(fc) >= options.min_abs_log2_fold_change;
        }
    }
    return out;
}

}  // namespace detail

/// Tests every feature of the float or double matrix `features` between label 0 and label 1 and computes the
/// volcano coordinates (in double; the matrix is read in place).
template <class TDerived>
volcano_result volcano(const Eigen::DenseBase<TDerived>& features, const Eigen::Ref<const Eigen::VectorXi>& labels,
                       const volcano_options& options = {})
{
    return detail::volcano<detail::real_t<TDerived>>(features.derived(), labels, options);
}

}  // namespace radiogenomics::stats
