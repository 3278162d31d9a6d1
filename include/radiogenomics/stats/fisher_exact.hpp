#pragma once
/// \file fisher_exact.hpp
/// \brief Fisher's exact test on a 2 × 2 table, as `scipy.stats.fisher_exact` (SciPy 1.10).
///
/// For the table \f$ \begin{pmatrix} a & b \\ c & d \end{pmatrix} \f$ with margins fixed, a follows
/// the hypergeometric distribution \f$ H(N = a+b+c+d,\ K = a+b,\ n = a+c) \f$ (pmf from
/// Boost.Math). The statistic is the sample odds ratio \f$ ad/(bc) \f$ (inf when bc = 0).
/// - less: \f$ P(X \le a) \f$; greater: \f$ P(X \le b) \f$ under \f$ H(N, a+b, b+d) \f$;
/// - two-sided: sum of \f$ P(X = x) \f$ over all x with
///   \f$ P(X = x) \le P(X = a)(1 + 10^{-14}) \f$ (the two tails of the unimodal pmf), clipped to 1, and exactly 1 when a is at the
///   mode \f$ \lfloor (n+1)(K+1)/(N+2) \rfloor \f$ up to the same relative tolerance (SciPy's rule).
///
/// \par Degenerate input
/// A table that is not 2 × 2, or with a negative, NaN or non-integer count throws (SciPy raises for
/// negatives and silently truncates non-integers; we refuse them). A zero row or column gives odds
/// ratio NaN and p = 1, as SciPy.

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/hypergeometric.hpp>
#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Result of `fisher_exact`: `statistic` = sample odds ratio; `df` NaN.
struct fisher_exact_result : test_result {
    double odds_ratio = detail::nan_value;  ///< \f$ ad/(bc) \f$, same as `statistic`
};

namespace detail {

/// \f$ P(X \le k) \f$ for \f$ X \sim H(N, K, n) \f$: sums the pmf up to k, or 1 minus the upper
/// tail when k is past the mode (fewer terms, no loss of relative accuracy in the small tail).
inline double hypergeometric_cdf(unsigned k, unsigned population, unsigned successes, unsigned draws)
{
    const boost::math::hypergeometric_distribution<double, math_policy> dist(successes, draws, population);
    const unsigned lo = draws + successes > population ? draws + successes - population : 0u;
    const unsigned hi = std::min(draws, successes);
    if (k >= hi) {
        return 1.0;
    }
    const auto mode = static_cast<unsigned>(static_cast<double>(draws + 1) * (successes + 1) / (population + 2.0));
    double sum = 0.0;
    if (k <= mode) {
        for (unsigned x = lo; x <= k; ++x) {
            sum += boost::math::pdf(dist, x);
        }
        return std::min(sum, 1.0);
    }
    for (unsigned x = hi; x > k; --x) {
        sum += boost::math::pdf(dist, x);
    }
    return std::max(0.0, 1.0 - sum);
}

}  // namespace detail

/// Fisher's exact test of a 2 × 2 table of counts.
inline fisher_exact_result fisher_exact(const Eigen::Ref<const Eigen::MatrixXd>& table,
                                        alternative alt = alternative::two_sided)
{
    constexpr const char* where = "stats.fisher_exact";
    if (table.rows() != 2 || table.cols() != 2) {
        raise(where, "table shape: got ", table.rows(), " x ", table.cols(), ", expected 2 x 2.");
    }
    for (Eigen::Index j = 0; j < 2; ++j) {
        for (Eigen::Index i = 0; i < 2; ++i) {
            const double v = table(i, j);
            if (!std::isfinite(v) || v < 0.0 || v != std::floor(v) || v > 1e8) {
                raise(where, "count (", i, ", ", j, "): got ", v, ", expected a non-negative integer count (at most 1e8).");
            }
        }
    }
    const auto a = static_cast<unsigned>(table(0, 0));
    const auto b = static_cast<unsigned>(table(0, 1));
    const auto c = static_cast<unsigned>(table(1, 0));
    const auto d = static_cast<unsigned>(table(1, 1));
    fisher_exact_result out;
    if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) {
        out.p_value = 1.0;  // odds ratio NaN
        return out;
    }
    out.odds_ratio = (c > 0 && b > 0) ? (static_cast<double>(a) * d) / (static_cast<double>(c) * b) : detail::inf_value;
    out.statistic = out.odds_ratio;
    const unsigned n1 = a + b;
    const unsigned n2 = c + d;
    const unsigned n = a + c;
    const unsigned total = n1 + n2;
    double p = 0.0;
    switch (alt) {
    case alternative::less:
        p = detail::hypergeometric_cdf(a, total, n1, n);
        break;
    case alternative::greater:
        p = detail::hypergeometric_cdf(b, total, n1, b + d);
        break;
    default: {
        const boost::math::hypergeometric_distribution<double, detail::math_policy> dist(n1, n, total);
        const auto mode = static_cast<unsigned>(static_cast<double>(n + 1) * (n1 + 1) / (total + 2.0));
        const double p_exact = boost::math::pdf(dist, a);
        const double p_mode = boost::math::pdf(dist, mode);
        constexpr double epsilon = 1e-14;
        if (std::abs(p_exact - p_mode) / std::max(p_exact, p_mode) <= epsilon) {
            p = 1.0;
            break;
        }
        // The pmf is unimodal: walk in from both ends while the pmf stays <= threshold.
        const double threshold = p_exact * (1.0 + epsilon);
        const unsigned lo = n + n1 > total ? n + n1 - total : 0u;
        const unsigned hi = std::min(n, n1);
        unsigned x = lo;
        for (; x <= hi; ++x) {
            const double px = boost::math::pdf(dist, x);
            if (px > threshold) {
                break;
            }
            p += px;
        }
        for (unsigned y = hi; y > x; --y) {
            const double py = boost::math::pdf(dist, y);
            if (py > threshold) {
                break;
            }
            p += py;
        }
        break;
    }
    }
    out.p_value = std::min(p, 1.0);
    return out;
}

}  // namespace radiogenomics::stats
