#pragma once
/// \file correlation.hpp
/// \brief Pearson and Spearman correlation with p-values, as `scipy.stats.pearsonr` /
///        `scipy.stats.spearmanr` (SciPy 1.10).
///
/// Pearson: \f$ r = \frac{(x-\bar{x})\cdot(y-\bar{y})}{\lVert x-\bar{x}\rVert\,\lVert y-\bar{y}\rVert} \f$,
/// clipped to [-1, 1]. Under independence of normal samples, \f$ (r+1)/2 \sim
/// \mathrm{Beta}(n/2-1, n/2-1) \f$, so two-sided \f$ p = 2\,P(B \ge (|r|+1)/2) \f$, less
/// \f$ P(B \le (r+1)/2) \f$, greater \f$ P(B \ge (r+1)/2) \f$ (SciPy `pearsonr` notes).
///
/// Spearman: \f$ r_s \f$ = Pearson correlation of the average ranks (computed as `numpy.corrcoef`);
/// \f$ t = r_s\sqrt{(n-2)/((1+r_s)(1-r_s))} \f$ with n - 2 df (SciPy `spearmanr`).
///
/// \par Degenerate input
/// Pearson (as SciPy): lengths differ or n < 2 throws; NaN throws (SciPy raises); a constant input
/// gives r = p = NaN; n = 2 gives r = ±1 and p = 1.
/// Spearman (as SciPy): lengths differ throws; n < 2, a constant input or NaN gives NaN; n = 2
/// gives r = ±1 and p = NaN (0 degrees of freedom).

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/ranks.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Result of a correlation test: `statistic` = coefficient, `df` = n - 2.
struct correlation_result : test_result {
    Eigen::Index n = 0;  ///< number of pairs
};

namespace detail {

inline bool is_constant(const Eigen::Ref<const Eigen::VectorXd>& x)
{
    return (x.array() == x[0]).all();
}

/// Pearson r of centred vectors divided by their norms, clipped to [-1, 1] (no checks).
inline double pearson_r(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y)
{
    const Eigen::VectorXd xm = x.array() - x.mean();
    const Eigen::VectorXd ym = y.array() - y.mean();
    const double r = (xm / xm.norm()).dot(ym / ym.norm());
    return std::clamp(r, -1.0, 1.0);
}

/// Correlation as `numpy.corrcoef`: \f$ c_{xy} / \sqrt{c_{xx}} / \sqrt{c_{yy}} \f$ with covariances
/// \f$ c \f$ (ddof = 1), clipped to [-1, 1]; used by Spearman so that perfectly monotone data
/// give exactly ±1 as in SciPy.
inline double corrcoef(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y)
{
    const double n1 = static_cast<double>(x.size() - 1);
    const Eigen::VectorXd xm = x.array() - x.mean();
    const Eigen::VectorXd ym = y.array() - y.mean();
    const double r = xm.dot(ym) / n1 / std::sqrt(xm.squaredNorm() / n1) / std::sqrt(ym.squaredNorm() / n1);
    return std::clamp(r, -1.0, 1.0);
}

/// Pearson product-moment correlation and its p-value (double data).
inline correlation_result pearson(const Eigen::Ref<const Eigen::VectorXd>& x,
                                  const Eigen::Ref<const Eigen::VectorXd>& y,
                                  alternative alt = alternative::two_sided)
{
    constexpr const char* where = "stats.pearson";
    if (x.size() != y.size()) {
        raise(where, "sample sizes: got ", x.size(), " and ", y.size(), ", expected equal lengths.");
    }
    if (x.size() < 2) {
        raise(where, "sample size: got ", x.size(), ", expected >= 2.");
    }
    if (detail::has_nan(x) || detail::has_nan(y)) {
        raise(where, "data: got NaN, expected finite values. Drop incomplete pairs first.");
    }
    correlation_result out;
    out.n = x.size();
    out.df = static_cast<double>(x.size() - 2);
    if (detail::is_constant(x) || detail::is_constant(y)) {
        return out;
    }
    if (x.size() == 2) {
        const auto sign = [](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); };
        out.statistic = sign(x[1] - x[0]) * sign(y[1] - y[0]);
        out.p_value = 1.0;
        return out;
    }
    const double r = detail::pearson_r(x, y);
    out.statistic = r;
    const double ab = static_cast<double>(x.size()) / 2.0 - 1.0;
    switch (alt) {
    case alternative::less:
        out.p_value = beta_cdf(ab, ab, (r + 1.0) / 2.0);
        break;
    case alternative::greater:
        out.p_value = beta_sf(ab, ab, (r + 1.0) / 2.0);
        break;
    default:
        out.p_value = 2.0 * beta_sf(ab, ab, (std::abs(r) + 1.0) / 2.0);
        break;
    }
    return out;
}

/// Spearman rank correlation and its p-value (t approximation, as SciPy) (double data).
inline correlation_result spearman(const Eigen::Ref<const Eigen::VectorXd>& x,
                                   const Eigen::Ref<const Eigen::VectorXd>& y,
                                   alternative alt = alternative::two_sided)
{
    if (x.size() != y.size()) {
        raise("stats.spearman", "sample sizes: got ", x.size(), " and ", y.size(), ", expected equal lengths.");
    }
    correlation_result out;
    out.n = x.size();
    if (x.size() < 2 || detail::is_constant(x) || detail::is_constant(y) || detail::has_nan(x) ||
        detail::has_nan(y)) {
        return out;
    }
    const double dof = static_cast<double>(x.size() - 2);
    out.df = dof;
    const double rs = detail::corrcoef(average_ranks(x).ranks, average_ranks(y).ranks);
    out.statistic = rs;
    const double ratio = dof / ((rs + 1.0) * (1.0 - rs));
    const double t = rs * std::sqrt(ratio < 0.0 ? 0.0 : ratio);
    out.p_value = t_p_value(dof, t, alt);
    return out;
}

}  // namespace detail

/// Pearson product-moment correlation and its p-value (`scipy.stats.pearsonr`); float or double samples,
/// computed in double.
template <class TX, class TY>
correlation_result pearson(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                           alternative alt = alternative::two_sided)
{
    using real = detail::real_t<TX, TY>;
    return detail::pearson(detail::as_double<real>(x.derived()), detail::as_double<real>(y.derived()), alt);
}

/// Spearman rank correlation and its p-value (`scipy.stats.spearmanr`, t approximation); float or double
/// samples, ranked as the same doubles.
template <class TX, class TY>
correlation_result spearman(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                            alternative alt = alternative::two_sided)
{
    using real = detail::real_t<TX, TY>;
    return detail::spearman(detail::as_double<real>(x.derived()), detail::as_double<real>(y.derived()), alt);
}

}  // namespace radiogenomics::stats
