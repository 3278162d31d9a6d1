#pragma once
/// \file normal_quantile.hpp
/// \brief The one inverse standard-normal CDF of the library, \f$ \Phi^{-1}(p) \f$, through Boost.Math.
///
/// Every layer that needs a normal quantile (stats' Shapiro–Wilk and tests, learn's DeLong confidence
/// interval, synth's noise table and tissue thresholds) calls `radiogenomics::normal_quantile`.
/// Boost.Math's `quantile(normal_distribution)` is an inverse of `erfc` accurate to a few ulp
/// (`scipy.special.ndtri` is the reference in the tests).

#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/policies/policy.hpp>

namespace radiogenomics {

namespace detail {

/// Boost.Math policy shared by the library's distributions: NaN/inf instead of throwing for out-of-domain
/// arguments, poles and overflow.
using math_policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;

}  // namespace detail

/// Standard normal quantile \f$ \Phi^{-1}(p) \f$ (`scipy.special.ndtri`): −inf at p = 0, +inf at p = 1,
/// NaN for NaN or p outside [0, 1].
inline double normal_quantile(double p)
{
    if (std::isnan(p) || p < 0.0 || p > 1.0) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    if (p == 0.0) {
        return -std::numeric_limits<double>::infinity();
    }
    if (p == 1.0) {
        return std::numeric_limits<double>::infinity();
    }
    return boost::math::quantile(boost::math::normal_distribution<double, detail::math_policy>(), p);
}

}  // namespace radiogenomics
