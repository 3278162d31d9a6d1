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

/// Kruskal–Wallis H test over `groups` (k >= 2). `df` = k - 1.
inline test_result kruskal_wallis(const std::vector<Eigen::VectorXd>& groups)
{
    const auto k = groups.size();
    if (k < 2) {
        raise("stats.kruskal_wallis", "number of groups: got ", k, ", expected >= 2.");
    }
    test_result out;
    out.df = static_cast<double>(k - 1);
    Eigen::Index total = 0;
    for (const auto& g : groups) {
        if (g.size() == 0) {
            out.df = detail::nan_value;
            return out;  // SciPy returns (nan, nan) for an empty group
        }
        total += g.size();
    }
    for (const auto& g : groups) {
        if (detail::has_nan(g)) {
            return out;  // nan_policy="propagate"
        }
    }
    std::vector<std::pair<double, Eigen::Index>> work;
    work.reserve(static_cast<std::size_t>(total));
    for (const auto& g : groups) {
        for (Eigen::Index i = 0; i < g.size(); ++i) {
            work.emplace_back(g[i], static_cast<Eigen::Index>(work.size()));
        }
    }
    std::vector<double> ranks(work.size());
    const double tie_term = detail::rank_pairs(work, ranks.data());
    const double correction = tie_correction(tie_term, total);
    if (correction == 0.0) {
        raise("stats.kruskal_wallis", "data: got ", total, " identical values, expected at least two distinct values.");
    }
    double ssbn = 0.0;
    std::size_t offset = 0;
    for (const auto& g : groups) {
        double r = 0.0;
        for (Eigen::Index i = 0; i < g.size(); ++i) {
            r += ranks[offset++];
        }
        ssbn += r * r / static_cast<double>(g.size());
    }
    const double n = static_cast<double>(total);
    const double h = (12.0 / (n * (n + 1.0)) * ssbn - 3.0 * (n + 1.0)) / correction;
    out.statistic = h;
    out.p_value = chi_squared_sf(out.df, h);
    return out;
}

/// Kruskal–Wallis over `values` labelled by `codes` in `0 .. n_groups-1`.
inline test_result kruskal_wallis(const Eigen::Ref<const Eigen::VectorXd>& values,
                                  const Eigen::Ref<const Eigen::VectorXi>& codes, int n_groups)
{
    return kruskal_wallis(split_groups(values, codes, n_groups));
}

}  // namespace radiogenomics::stats
