#pragma once
/// \file anova.hpp
/// \brief One-way ANOVA F test, as `scipy.stats.f_oneway` (SciPy 1.10).
///
/// With grand mean \f$ \bar{x} \f$, group means \f$ \bar{x}_i \f$, N observations in k groups:
/// \f[ SS_b = \sum_i n_i (\bar{x}_i - \bar{x})^2, \quad SS_w = \sum_i \sum_j (x_{ij} - \bar{x}_i)^2,
///     \quad F = \frac{SS_b/(k-1)}{SS_w/(N-k)}, \quad p = P(F_{k-1, N-k} \ge F). \f]
/// \f$ SS_w \f$ is summed directly (not as \f$ SS_t - SS_b \f$) for accuracy when F is large.
///
/// \par Degenerate input
/// Fewer than two groups throws. As SciPy: an empty group, or every group of size 1, gives
/// F = p = NaN; NaN in the data gives NaN; every group constant gives F = inf, p = 0, unless all
/// values are equal (F = p = NaN).

#include <cmath>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/groups.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Result of `one_way_anova`: `statistic` = F, `df` = between-groups df (k - 1).
struct anova_result : test_result {
    double df_within = detail::nan_value;  ///< N - k
    double ss_between = detail::nan_value; ///< \f$ SS_b \f$
    double ss_within = detail::nan_value;  ///< \f$ SS_w \f$
};

namespace detail {

/// One-way ANOVA over double `groups` (k >= 2).
inline anova_result one_way_anova(const std::vector<Eigen::VectorXd>& groups)
{
    const auto k = groups.size();
    if (k < 2) {
        raise("stats.one_way_anova", "number of groups: got ", k, ", expected >= 2.");
    }
    anova_result out;
    Eigen::Index total = 0;
    bool all_size_one = true;
    bool any_nan = false;
    for (const auto& g : groups) {
        if (g.size() == 0) {
            return out;
        }
        all_size_one = all_size_one && g.size() == 1;
        any_nan = any_nan || detail::has_nan(g);
        total += g.size();
    }
    out.df = static_cast<double>(k - 1);
    out.df_within = static_cast<double>(total - static_cast<Eigen::Index>(k));
    if (all_size_one || any_nan) {
        return out;
    }
    double grand = 0.0;
    for (const auto& g : groups) {
        grand += g.sum();
    }
    grand /= static_cast<double>(total);
    double ss_between = 0.0;
    double ss_within = 0.0;
    bool all_constant = true;
    bool all_same = true;
    const double first = groups[0][0];
    for (const auto& g : groups) {
        const double m = g.mean();
        ss_between += static_cast<double>(g.size()) * (m - grand) * (m - grand);
        ss_within += (g.array() - m).square().sum();
        all_constant = all_constant && (g.array() == g[0]).all();
        all_same = all_same && (g.array() == first).all();
    }
    out.ss_between = ss_between;
    out.ss_within = ss_within;
    if (all_same) {
        return out;  // F = p = NaN
    }
    if (all_constant) {
        out.statistic = detail::inf_value;
        out.p_value = 0.0;
        return out;
    }
    out.statistic = (ss_between / out.df) / (ss_within / out.df_within);
    out.p_value = f_sf(out.df, out.df_within, out.statistic);
    return out;
}

}  // namespace detail

/// One-way ANOVA over `groups` (k >= 2) of double values.
inline anova_result one_way_anova(const std::vector<Eigen::VectorXd>& groups) { return detail::one_way_anova(groups); }

/// One-way ANOVA over `groups` (k >= 2) of float or double values, computed in double.
template <class TReal>
anova_result one_way_anova(const std::vector<Eigen::Matrix<TReal, Eigen::Dynamic, 1>>& groups)
{
    static_assert(std::is_same_v<TReal, double> || std::is_same_v<TReal, float>, "float or double groups");
    if constexpr (std::is_same_v<TReal, double>) {
        return detail::one_way_anova(groups);
    } else {
        std::vector<Eigen::VectorXd> promoted;
        promoted.reserve(groups.size());
        for (const auto& g : groups) {
            promoted.emplace_back(g.template cast<double>());
        }
        return detail::one_way_anova(promoted);
    }
}

/// One-way ANOVA over float or double `values` labelled by `codes` in `0 .. n_groups-1`.
template <class TDerived>
anova_result one_way_anova(const Eigen::DenseBase<TDerived>& values, const Eigen::Ref<const Eigen::VectorXi>& codes,
                           int n_groups)
{
    return detail::one_way_anova(split_groups(values, codes, n_groups));
}

}  // namespace radiogenomics::stats
