#pragma once
/// \file multiple_testing.hpp
/// \brief Adjusted p-values: Bonferroni and Benjamini–Hochberg.
///
/// For m p-values \f$ p_{(1)} \le \dots \le p_{(m)} \f$:
/// - Bonferroni: \f$ \tilde{p}_i = \min(1, m\,p_i) \f$;
/// - Benjamini–Hochberg (1995, JRSS B 57:289–300), step-up:
///   \f$ \tilde{p}_{(i)} = \min\left(1, \min_{j \ge i} \frac{m}{j} p_{(j)}\right) \f$
///   (R `p.adjust(method = "BH")`, SciPy 1.11 `false_discovery_control`).
/// NaN p-values are left NaN and not counted in m (as R's `p.adjust`).
///
/// \par Degenerate input
/// A p-value outside [0, 1] (or ±inf) throws. An empty vector gives an empty vector.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Multiple-testing adjustment method.
enum class p_adjust {
    none,               ///< p-values unchanged
    bonferroni,         ///< Bonferroni (family-wise error rate)
    benjamini_hochberg  ///< Benjamini–Hochberg (false discovery rate)
};

/// Parses "none" / "bonferroni" / "bh" (also "fdr_bh", "benjamini_hochberg").
inline p_adjust parse_p_adjust(const std::string& text)
{
    if (text == "none") {
        return p_adjust::none;
    }
    if (text == "bonferroni") {
        return p_adjust::bonferroni;
    }
    if (text == "bh" || text == "fdr_bh" || text == "benjamini_hochberg" || text == "BH") {
        return p_adjust::benjamini_hochberg;
    }
    raise("stats.parse_p_adjust", "adjustment: got '", text, "', expected 'none', 'bonferroni' or 'bh'.");
}

namespace detail {

inline std::vector<Eigen::Index> finite_p_indices(const Eigen::Ref<const Eigen::VectorXd>& p, const char* where)
{
    std::vector<Eigen::Index> idx;
    idx.reserve(static_cast<std::size_t>(p.size()));
    for (Eigen::Index i = 0; i < p.size(); ++i) {
        if (std::isnan(p[i])) {
            continue;
        }
        if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
            raise(where, "p[", i, "]: got ", p[i], ", expected a p-value in [0, 1] (or NaN).");
        }
        idx.push_back(i);
    }
    return idx;
}

/// Bonferroni-adjusted p-values \f$ \min(1, m p_i) \f$.
inline Eigen::VectorXd bonferroni(const Eigen::Ref<const Eigen::VectorXd>& p)
{
    const auto idx = detail::finite_p_indices(p, "stats.bonferroni");
    const double m = static_cast<double>(idx.size());
    Eigen::VectorXd out = p;
    for (const Eigen::Index i : idx) {
        out[i] = std::min(1.0, m * p[i]);
    }
    return out;
}

/// Benjamini–Hochberg adjusted p-values (ties keep their input order; the result does not depend on it).
inline Eigen::VectorXd benjamini_hochberg(const Eigen::Ref<const Eigen::VectorXd>& p)
{
    auto idx = detail::finite_p_indices(p, "stats.benjamini_hochberg");
    std::stable_sort(idx.begin(), idx.end(), [&p](Eigen::Index a, Eigen::Index b) { return p[a] < p[b]; });
    const double m = static_cast<double>(idx.size());
    Eigen::VectorXd out = p;
    double running = 1.0;
    for (std::size_t k = idx.size(); k-- > 0;) {
        const double candidate = m / static_cast<double>(k + 1) * p[idx[k]];
        running = std::min(running, candidate);
        out[idx[k]] = running;
    }
    return out;
}

/// Applies `method` to `p`.
inline Eigen::VectorXd adjust_p_values(const Eigen::Ref<const Eigen::VectorXd>& p, p_adjust method)
{
    switch (method) {
    case p_adjust::bonferroni:
        return bonferroni(p);
    case p_adjust::benjamini_hochberg:
        return benjamini_hochberg(p);
    default:
        return p;
    }
}

}  // namespace detail

/// Bonferroni-adjusted p-values \f$ \min(1, m p_i) \f$ of float or double `p` (NaN entries stay NaN and are
/// not counted in m), computed in double (`statsmodels.stats.multitest.multipletests(method="bonferroni")`).
template <class TDerived>
Eigen::VectorXd bonferroni(const Eigen::DenseBase<TDerived>& p)
{
    return detail::bonferroni(detail::as_double<detail::real_t<TDerived>>(p.derived()));
}

/// Benjamini–Hochberg adjusted p-values of float or double `p`, computed in double (ties keep their input
/// order; the result does not depend on it).
template <class TDerived>
Eigen::VectorXd benjamini_hochberg(const Eigen::DenseBase<TDerived>& p)
{
    return detail::benjamini_hochberg(detail::as_double<detail::real_t<TDerived>>(p.derived()));
}

/// Applies `method` to float or double `p`; the result is double.
template <class TDerived>
Eigen::VectorXd adjust_p_values(const Eigen::DenseBase<TDerived>& p, p_adjust method)
{
    return detail::adjust_p_values(detail::as_double<detail::real_t<TDerived>>(p.derived()), method);
}

}  // namespace radiogenomics::stats
