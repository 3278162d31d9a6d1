#pragma once
/// \file distributions.hpp
/// \brief Tail probabilities of the reference distributions, from Boost.Math.
///
/// Thin wrappers that give SciPy's conventions at the edges of the domain (an infinite statistic
/// gives 0 or 1, NaN gives NaN) instead of Boost's exceptions. The names follow `scipy.special`:
/// `normal_sf` ↔ `ndtr(-x)`, `t_cdf` ↔ `stdtr`, `chi_squared_sf` ↔ `chdtrc`, `f_sf` ↔ `fdtrc`.
/// No special function is written by hand here.

#include <cmath>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/policies/policy.hpp>

#include "radiogenomics/core/normal_quantile.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

namespace detail {

using radiogenomics::detail::math_policy;  ///< NaN/inf instead of throwing (core/normal_quantile.hpp)

}  // namespace detail

/// Upper tail of the standard normal, \f$ 1 - \Phi(z) \f$ (`scipy.stats.norm.sf`).
inline double normal_sf(double z)
{
    if (std::isnan(z)) {
        return detail::nan_value;
    }
    if (std::isinf(z)) {
        return z > 0 ? 0.0 : 1.0;
    }
    return boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double, detail::math_policy>(), z));
}

/// Standard normal CDF \f$ \Phi(z) \f$.
inline double normal_cdf(double z) { return normal_sf(-z); }

/// Standard normal quantile \f$ \Phi^{-1}(p) \f$ (`scipy.special.ndtri`): the library's one owner,
/// core/normal_quantile.hpp.
using radiogenomics::normal_quantile;

/// Student t CDF \f$ P(T_{df} \le t) \f$ (`scipy.special.stdtr(df, t)`); NaN for `df <= 0`.
inline double t_cdf(double df, double t)
{
    if (std::isnan(df) || std::isnan(t) || !(df > 0.0)) {
        return detail::nan_value;
    }
    if (std::isinf(t)) {
        return t > 0 ? 1.0 : 0.0;
    }
    const boost::math::students_t_distribution<double, detail::math_policy> dist(df);
    return t < 0 ? boost::math::cdf(boost::math::complement(dist, -t)) : boost::math::cdf(dist, t);
}

/// p-value of a t statistic for the given alternative (SciPy's `_ttest_finish`):
/// less \f$ F(t) \f$, greater \f$ F(-t) \f$, two-sided \f$ 2F(-|t|) \f$.
inline double t_p_value(double df, double t, alternative alt)
{
    switch (alt) {
    case alternative::less:
        return t_cdf(df, t);
    case alternative::greater:
        return t_cdf(df, -t);
    default:
        return 2.0 * t_cdf(df, -std::abs(t));
    }
}

/// Chi-square upper tail \f$ Q(df/2, x/2) \f$ (`scipy.special.chdtrc`); 1 for `x <= 0`.
inline double chi_squared_sf(double df, double x)
{
    if (std::isnan(df) || std::isnan(x) || !(df > 0.0)) {
        return detail::nan_value;
    }
    if (x <= 0.0) {
        return 1.0;
    }
    if (std::isinf(x)) {
        return 0.0;
    }
    return boost::math::cdf(
        boost::math::complement(boost::math::chi_squared_distribution<double, detail::math_policy>(df), x));
}

/// F upper tail (`scipy.special.fdtrc(dfn, dfd, x)`); 1 for `x <= 0`.
inline double f_sf(double dfn, double dfd, double x)
{
    if (std::isnan(dfn) || std::isnan(dfd) || std::isnan(x) || !(dfn > 0.0) || !(dfd > 0.0)) {
        return detail::nan_value;
    }
    if (x <= 0.0) {
        return 1.0;
    }
    if (std::isinf(x)) {
        return 0.0;
    }
    return boost::math::cdf(
        boost::math::complement(boost::math::fisher_f_distribution<double, detail::math_policy>(dfn, dfd), x));
}

/// Beta(a, b) CDF at x in [0, 1].
inline double beta_cdf(double a, double b, double x)
{
    if (std::isnan(x)) {
        return detail::nan_value;
    }
    if (x <= 0.0) {
        return 0.0;
    }
    if (x >= 1.0) {
        return 1.0;
    }
    return boost::math::cdf(boost::math::beta_distribution<double, detail::math_policy>(a, b), x);
}

/// Beta(a, b) upper tail at x in [0, 1].
inline double beta_sf(double a, double b, double x)
{
    if (std::isnan(x)) {
        return detail::nan_value;
    }
    if (x <= 0.0) {
        return 1.0;
    }
    if (x >= 1.0) {
        return 0.0;
    }
    return boost::math::cdf(
        boost::math::complement(boost::math::beta_distribution<double, detail::math_policy>(a, b), x));
}

}  // namespace radiogenomics::stats
