#pragma once
/// \file ranks.hpp
/// \brief Average ranks with tie groups, and the tie-correction terms of rank tests.
///
/// Ranks are 1-based; tied values share the mean of the ranks they span
/// (`scipy.stats.rankdata(method="average")`). For tie groups of sizes \f$ t_g \f$ the tie term is
/// \f[ T = \sum_g (t_g^3 - t_g), \f]
/// and the correction factor of Kruskal–Wallis (`scipy.stats.tiecorrect`) is
/// \f[ C = 1 - \frac{T}{n^3 - n}. \f]

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Average ranks of a sample and its tie term.
struct ranking {
    Eigen::VectorXd ranks;  ///< 1-based average ranks, in input order
    double tie_term = 0.0;  ///< \f$ \sum_g (t_g^3 - t_g) \f$ over tie groups
    bool has_ties() const { return tie_term > 0.0; }
};

namespace detail {

/// Walks the tie groups of `sorted` (ascending, NaN-free): calls `visit(begin, end, average_rank)`
/// for each run [begin, end) of equal values and returns the tie term.
template <class TValue, class TKey, class TVisit>
double for_each_tie_group(const std::vector<TValue>& sorted, TKey key, TVisit visit)
{
    const std::size_t n = sorted.size();
    RG_ASSERT(std::is_sorted(sorted.begin(), sorted.end(),
                             [&key](const TValue& a, const TValue& b) { return key(a) < key(b); }));
    double tie_term = 0.0;
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i + 1;
        while (j < n && key(sorted[j]) == key(sorted[i])) {
            ++j;
        }
        visit(i, j, 0.5 * static_cast<double>(i + 1 + j));  // mean of ranks i+1 .. j
        const double t = static_cast<double>(j - i);
        tie_term += t * t * t - t;
        i = j;
    }
    return tie_term;
}

/// Ranks `n` values given as (value, index) pairs; sorts `work` in place. Writes average ranks to
/// `ranks[index]` and returns the tie term. Values must not be NaN.
inline double rank_pairs(std::vector<std::pair<double, Eigen::Index>>& work, double* ranks)
{
    std::sort(work.begin(), work.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return for_each_tie_group(work, [](const auto& item) { return item.first; },
                              [&](std::size_t begin, std::size_t end, double average) {
                                  for (std::size_t k = begin; k < end; ++k) {
                                      ranks[work[k].second] = average;
                                  }
                              });
}

}  // namespace detail

namespace detail {

/// See the public `average_ranks`.
template <class TReal>
ranking average_ranks(const vector_view<TReal>& values)
{
    std::vector<std::pair<double, Eigen::Index>> work(static_cast<std::size_t>(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) {
            raise("stats.average_ranks", "values[", i, "]: got NaN, expected a number. Drop missing values first.");
        }
        work[static_cast<std::size_t>(i)] = {static_cast<double>(values[i]), i};
    }
    ranking out;
    out.ranks.resize(values.size());
    out.tie_term = detail::rank_pairs(work, out.ranks.data());
    return out;
}

}  // namespace detail

/// Average ranks of float or double `values` (SciPy `rankdata`, method "average") and the tie term.
/// \throws invalid_argument when a value is NaN (SciPy would return all-NaN ranks).
template <class TDerived>
ranking average_ranks(const Eigen::DenseBase<TDerived>& values)
{
    return detail::average_ranks<detail::real_t<TDerived>>(values.derived());
}

/// Kruskal–Wallis tie correction \f$ C = 1 - T/(n^3 - n) \f$ (`scipy.stats.tiecorrect`); 1 for n < 2.
inline double tie_correction(double tie_term, Eigen::Index n)
{
    if (n < 2) {
        return 1.0;
    }
    const double dn = static_cast<double>(n);
    return 1.0 - tie_term / (dn * dn * dn - dn);
}

}  // namespace radiogenomics::stats
