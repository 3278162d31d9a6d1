#pragma once
/// \file kruskal_wallis.hpp
/// \brief Kruskal–Wallis H test with tie correction, as `scipy.stats.kruskal` (SciPy 1.10).
///
/// With N observations in k groups, \f$ R_i \f$ the rank sum of group i (average ranks of the
/// pooled sample) and C the tie correction of ranks.hpp,
/// \f[ H = \frac{1}{C}\left(\frac{12}{N(N+1)} \sum_{i=1}^{k} \frac{R_i^2}{n_i} - 3(N+1)\right),
///     \qquad p = P(\chi^2_{k-1} \ge H) . \f]
/// Source: Kruskal & Wallis (1952), JASA 47:583–621; SciPy `kruskal` documentation.
///
/// \par Degenerate input
/// Fewer than two groups throws; an empty group gives H = p = NaN and NaN in the data gives
/// H = p = NaN (SciPy); all values identical throws (SciPy raises "All numbers are identical").

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/groups.hpp"
#include "radiogenomics/stats/ranks.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

namespace detail {

/// H test from (value, group) pairs (NaN-free, every group non-empty); sorts `work`.
inline test_result kruskal_from_pairs(std::vector<std::pair<double, std::size_t>>& work,
                                      const std::vector<Eigen::Index>& sizes)
{
    const std::size_t k = sizes.size();
    const auto total = static_cast<Eigen::Index>(work.size());
    test_result out;
    out.df = static_cast<double>(k - 1);
    // Each tie group credits its average rank to its members' groups.
    std::sort(work.begin(), work.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> rank_sums(k, 0.0);
    const double tie_term = for_each_tie_group(
        work, [](const auto& item) { return item.first; },
        [&](std::size_t begin, std::size_t end, double average) {
            for (std::size_t q = begin; q < end; ++q) {
                rank_sums[work[q].second] += average;
            }
        });
    const double correction = tie_correction(tie_term, total);
    if (correction == 0.0) {
        raise("stats.kruskal_wallis", "data: got ", total, " identical values, expected at least two distinct values.");
    }
    double ssbn = 0.0;
    for (std::size_t g = 0; g < k; ++g) {
        ssbn += rank_sums[g] * rank_sums[g] / static_cast<double>(sizes[g]);
    }
    const double n = static_cast<double>(total);
    const double h = (12.0 / (n * (n + 1.0)) * ssbn - 3.0 * (n + 1.0)) / correction;
    out.statistic = h;
    out.p_value = chi_squared_sf(out.df, h);
    return out;
}

}  // namespace detail

/// Kruskal–Wallis H test over `groups` (k >= 2) of float or double values. `df` = k - 1.
template <class TReal>
test_result kruskal_wallis(const std::vector<Eigen::Matrix<TReal, Eigen::Dynamic, 1>>& groups)
{
    const auto k = groups.size();
    if (k < 2) {
        raise("stats.kruskal_wallis", "number of groups: got ", k, ", expected >= 2.");
    }
    test_result undefined;
    undefined.df = static_cast<double>(k - 1);
    std::vector<Eigen::Index> sizes(k);
    Eigen::Index total = 0;
    for (std::size_t g = 0; g < k; ++g) {
        if (groups[g].size() == 0) {
            undefined.df = detail::nan_value;
            return undefined;  // SciPy returns (nan, nan) for an empty group
        }
        sizes[g] = groups[g].size();
        total += sizes[g];
    }
    for (const auto& g : groups) {
        if (detail::has_nan(g)) {
            return undefined;  // nan_policy="propagate"
        }
    }
    std::vector<std::pair<double, std::size_t>> work;
    work.reserve(static_cast<std::size_t>(total));
    for (std::size_t g = 0; g < k; ++g) {
        for (Eigen::Index i = 0; i < groups[g].size(); ++i) {
            work.emplace_back(static_cast<double>(groups[g][i]), g);
        }
    }
    return detail::kruskal_from_pairs(work, sizes);
}

/// Kruskal–Wallis H test over `groups` (k >= 2) of double values (braced lists of `VectorXd` bind here).
inline test_result kruskal_wallis(const std::vector<Eigen::VectorXd>& groups)
{
    return kruskal_wallis<double>(groups);
}

namespace detail {

/// See the public `kruskal_wallis(values, codes, n_groups)`.
template <class TReal>
test_result kruskal_wallis(const vector_view<TReal>& values, const Eigen::Ref<const Eigen::VectorXi>& codes, int n_groups)
{
    if (values.size() != codes.size() || n_groups < 2) {
        return stats::kruskal_wallis(detail::split_groups<TReal>(values, codes, n_groups));  // throws the matching error
    }
    std::vector<Eigen::Index> sizes(static_cast<std::size_t>(n_groups), 0);
    bool any_nan = false;
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
        if (codes[i] < 0 || codes[i] >= n_groups) {
            raise("stats.kruskal_wallis", "codes[", i, "]: got ", codes[i], ", expected 0 <= code < ", n_groups, ".");
        }
        ++sizes[static_cast<std::size_t>(codes[i])];
        any_nan = any_nan || std::isnan(values[i]);
    }
    test_result undefined;
    undefined.df = static_cast<double>(n_groups - 1);
    for (const Eigen::Index size : sizes) {
        if (size == 0) {
            undefined.df = detail::nan_value;
            return undefined;
        }
    }
    if (any_nan) {
        return undefined;
    }
    std::vector<std::pair<double, std::size_t>> work(static_cast<std::size_t>(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        work[static_cast<std::size_t>(i)] = {static_cast<double>(values[i]), static_cast<std::size_t>(codes[i])};
    }
    return detail::kruskal_from_pairs(work, sizes);
}

}  // namespace detail

/// Kruskal–Wallis over float or double `values` labelled by `codes` in `0 .. n_groups-1` (same result as
/// splitting with `split_groups`, without the copies; float values are ranked as the same doubles).
template <class TDerived>
test_result kruskal_wallis(const Eigen::DenseBase<TDerived>& values, const Eigen::Ref<const Eigen::VectorXi>& codes,
                           int n_groups)
{
    return detail::kruskal_wallis<detail::real_t<TDerived>>(values.derived(), codes, n_groups);
}

}  // namespace radiogenomics::stats
