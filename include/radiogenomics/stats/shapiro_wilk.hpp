#pragma once
/// \file shapiro_wilk.hpp
/// \brief Shapiro–Wilk W test of normality by Royston's algorithm AS R94 (the algorithm behind
///        `scipy.stats.shapiro`), written from the published description in double precision.
///
/// Source: P. Royston (1995), "Remark AS R94: A remark on algorithm AS 181: the W-test for
/// normality", Applied Statistics 44(4):547–551; P. Royston (1992), Statistics and Computing
/// 2:117–119.
///
/// For sorted data \f$ x_{(1)} \le \dots \le x_{(n)} \f$, with \f$ m_i = \Phi^{-1}((i - 3/8)/(n + 1/4)) \f$,
/// \f$ \hat{m} = \lVert m \rVert \f$ and \f$ u = 1/\sqrt{n} \f$, the coefficients are
/// \f$ a_n = -a_1 = c_1(u) - m_1/\hat{m} \f$,
/// \f$ a_{n-1} = -a_2 = c_2(u) - m_2/\hat{m} \f$ (n > 5), \f$ a_i = -m_i/\varepsilon \f$ otherwise, with
/// \f$ c_1(u) = 0.221157u - 0.147981u^2 - 2.071190u^3 + 4.434685u^4 - 2.706056u^5 \f$,
/// \f$ c_2(u) = 0.042981u - 0.293762u^2 - 1.752461u^3 + 5.682633u^4 - 3.582633u^5 \f$ and
/// \f$ \varepsilon \f$ chosen so that \f$ \sum a_i^2 = 1 \f$ (for n = 3, \f$ a_3 = \sqrt{1/2} \f$).
/// W is the squared correlation of a and x: \f$ W = (\sum a_i x_{(i)})^2 / \sum (x_i - \bar{x})^2 \f$.
///
/// p-value: n = 3: \f$ p = \frac{6}{\pi}(\arcsin\sqrt{W} - \arcsin\sqrt{3/4}) \f$ (clipped at 0);
/// 4 <= n <= 11: \f$ \gamma = 0.459n - 2.273 \f$, \f$ y = -\ln(\gamma - \ln(1-W)) \f$,
/// \f$ \mu = 0.5440 - 0.39978n + 0.025054n^2 - 0.0006714n^3 \f$,
/// \f$ \sigma = \exp(1.3822 - 0.77857n + 0.062767n^2 - 0.0020322n^3) \f$ (p = 1e-19 when
/// \f$ \ln(1-W) \ge \gamma \f$); n >= 12: \f$ y = \ln(1-W) \f$, with \f$ v = \ln n \f$,
/// \f$ \mu = -1.5861 - 0.31082v - 0.083751v^2 + 0.0038915v^3 \f$,
/// \f$ \sigma = \exp(-0.4803 - 0.082676v + 0.0030302v^2) \f$; \f$ p = 1 - \Phi((y - \mu)/\sigma) \f$.
///
/// \par Accuracy against SciPy
/// SciPy 1.10 runs AS R94 in single precision (`REAL` in swilk.f; W and p are float32 values), so
/// our double-precision result agrees with `scipy.stats.shapiro` only to float32 accuracy (about
/// 1e-6 relative in W; p-values within a few 1e-5 relative where SciPy's p exceeds float32's range
/// of 1e-37). The tests check that and, to 1e-10, a double-precision NumPy transcription of the same
/// published formulas.
///
/// \par Degenerate input
/// n < 3 throws (SciPy raises); NaN throws (SciPy returns a meaningless W); all values equal gives
/// W = 1, p = 1 (SciPy's result, with a warning). For n > 5000 W is accurate but p may not be.

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

namespace detail {

/// \f$ c_0 + c_1 x + \dots \f$ (Horner).
template <std::size_t VN>
double polynomial(const double (&c)[VN], double x)
{
    double r = 0.0;
    for (std::size_t i = VN; i-- > 0;) {
        r = r * x + c[i];
    }
    return r;
}

}  // namespace detail

/// Coefficients \f$ a_1 .. a_{\lfloor n/2 \rfloor} \f$ (positive, for the upper half) of AS R94 for sample size n >= 3.
inline Eigen::VectorXd shapiro_wilk_coefficients(Eigen::Index n)
{
    if (n < 3) {
        raise("stats.shapiro_wilk_coefficients", "sample size: got ", n, ", expected >= 3.");
    }
    const Eigen::Index half = n / 2;
    Eigen::VectorXd a(half);
    if (n == 3) {
        a[0] = std::sqrt(0.5);
        return a;
    }
    static constexpr double c1[6] = {0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056};
    static constexpr double c2[6] = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
    const double dn = static_cast<double>(n);
    Eigen::VectorXd m(half);
    for (Eigen::Index i = 0; i < half; ++i) {
        m[i] = normal_quantile((static_cast<double>(i + 1) - 0.375) / (dn + 0.25));  // negative
    }
    const double summ2 = 2.0 * m.squaredNorm();
    const double ssumm2 = std::sqrt(summ2);
    const double rsn = 1.0 / std::sqrt(dn);
    const double a1 = detail::polynomial(c1, rsn) - m[0] / ssumm2;
    Eigen::Index first = 1;
    double fac = 0.0;
    if (n > 5) {
        const double a2 = -m[1] / ssumm2 + detail::polynomial(c2, rsn);
        fac = std::sqrt((summ2 - 2.0 * m[0] * m[0] - 2.0 * m[1] * m[1]) / (1.0 - 2.0 * a1 * a1 - 2.0 * a2 * a2));
        a[1] = a2;
        first = 2;
    } else {
        fac = std::sqrt((summ2 - 2.0 * m[0] * m[0]) / (1.0 - 2.0 * a1 * a1));
    }
    a[0] = a1;
    for (Eigen::Index i = first; i < half; ++i) {
        a[i] = -m[i] / fac;
    }
    return a;
}

namespace detail {

/// See the public `shapiro_wilk`.
template <class TReal>
test_result shapiro_wilk(const vector_view<TReal>& x)
{
    const Eigen::Index n = x.size();
    if (n < 3) {
        raise("stats.shapiro_wilk", "sample size: got ", n, ", expected >= 3.");
    }
    if (detail::has_nan(x)) {
        raise("stats.shapiro_wilk", "data: got NaN, expected finite values. Drop missing values first.");
    }
    std::vector<double> sorted(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
        sorted[static_cast<std::size_t>(i)] = static_cast<double>(x[i]);
    }
    std::sort(sorted.begin(), sorted.end());
    test_result out;
    const double range = sorted.back() - sorted.front();
    if (!(range > 0.0)) {
        out.statistic = 1.0;
        out.p_value = 1.0;
        return out;
    }
    const Eigen::VectorXd a = shapiro_wilk_coefficients(n);
    const Eigen::Index half = n / 2;
    // Full antisymmetric coefficient vector; W is its squared correlation with the sorted data.
    Eigen::VectorXd coef = Eigen::VectorXd::Zero(n);
    Eigen::VectorXd xs(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        xs[i] = sorted[static_cast<std::size_t>(i)] / range;
    }
    for (Eigen::Index i = 0; i < half; ++i) {
        coef[i] = -a[i];
        coef[n - 1 - i] = a[i];
    }
    const Eigen::VectorXd ca = coef.array() - coef.mean();
    const Eigen::VectorXd cx = xs.array() - xs.mean();
    const double ssa = ca.squaredNorm();
    const double ssx = cx.squaredNorm();
    const double sax = ca.dot(cx);
    const double root = std::sqrt(ssa * ssx);
    const double one_minus_w = (root - sax) * (root + sax) / (ssa * ssx);
    const double w = 1.0 - one_minus_w;
    out.statistic = w;
    const double dn = static_cast<double>(n);
    if (n == 3) {
        const double pi = 3.14159265358979323846;
        out.p_value = std::max(0.0, 6.0 / pi * (std::asin(std::sqrt(w)) - std::asin(std::sqrt(0.75))));
        return out;
    }
    const double w1 = std::log(one_minus_w);
    double y = 0.0;
    double mu = 0.0;
    double sigma = 0.0;
    if (n <= 11) {
        const double gamma = -2.273 + 0.459 * dn;
        if (w1 >= gamma) {
            out.p_value = 1e-19;  // AS R94's "small"
            return out;
        }
        static constexpr double c3[4] = {0.544, -0.39978, 0.025054, -6.714e-4};
        static constexpr double c4[4] = {1.3822, -0.77857, 0.062767, -0.0020322};
        y = -std::log(gamma - w1);
        mu = detail::polynomial(c3, dn);
        sigma = std::exp(detail::polynomial(c4, dn));
    } else {
        static constexpr double c5[4] = {-1.5861, -0.31082, -0.083751, 0.0038915};
        static constexpr double c6[3] = {-0.4803, -0.082676, 0.0030302};
        const double v = std::log(dn);
        y = w1;
        mu = detail::polynomial(c5, v);
        sigma = std::exp(detail::polynomial(c6, v));
    }
    out.p_value = normal_sf((y - mu) / sigma);
    return out;
}

}  // namespace detail

/// Shapiro–Wilk test (`scipy.stats.shapiro`): `statistic` = W, `p_value` from Royston's normalising
/// transformation; float or double data, sorted as the same doubles.
template <class TDerived>
test_result shapiro_wilk(const Eigen::DenseBase<TDerived>& x)
{
    return detail::shapiro_wilk<detail::real_t<TDerived>>(x.derived());
}

}  // namespace radiogenomics::stats
