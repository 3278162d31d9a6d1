#pragma once
/// \file mann_whitney.hpp
/// \brief Mann–Whitney U test (Wilcoxon rank-sum), as `scipy.stats.mannwhitneyu` (SciPy 1.10).
///
/// With \f$ R_1 \f$ the rank sum of `x` in the pooled sample (average ranks for ties),
/// \f[ U_1 = R_1 - \frac{n_1(n_1+1)}{2}, \qquad U_2 = n_1 n_2 - U_1 . \f]
/// The reported statistic is \f$ U_1 \f$. The p-value uses \f$ U = U_1 \f$ ("greater"),
/// \f$ U = U_2 \f$ ("less") or \f$ U = \max(U_1, U_2) \f$ doubled ("two-sided"), clipped to 1:
/// - exact: \f$ P(U' \ge \lfloor U \rfloor) \f$ under the null permutation distribution (no tie
///   correction), whose frequencies are the coefficients of the Gaussian binomial
///   \f$ \binom{n_1+n_2}{n_1}_q = \prod_{i=1}^{m} \frac{1 - q^{n+i}}{1 - q^i} \f$ (m = min size,
///   n = max size; Harding 1984, Appl. Statist. 33:1–6; Andreas Löffler 1983);
/// - asymptotic: \f$ z = (U - n_1 n_2/2 - c)/\sigma \f$ with \f$ c = 0.5 \f$ when `use_continuity`,
///   \f$ \sigma^2 = \frac{n_1 n_2}{12}\left((n+1) - \frac{T}{n(n-1)}\right) \f$, T the tie term
///   (ranks.hpp), p = \f$ 1 - \Phi(z) \f$.
/// `method::automatic` picks exact when min(n1, n2) <= 8 and there are no ties (SciPy's rule:
/// asymptotic when both sizes exceed 8 or any tie exists).
///
/// Effect size: the rank-biserial correlation \f$ r = 2U_1/(n_1 n_2) - 1 \f$ (Kerby 2014,
/// Compr. Psychol. 3:11.IT.3.1), positive when `x` tends to be larger than `y`.
///
/// \par Degenerate input
/// Empty `x` or `y` throws (SciPy raises). NaN in the data gives statistic and p-value NaN
/// (SciPy's default `nan_policy="propagate"`). All values equal: U1 = n1 n2/2, p = 1 with the
/// continuity correction and NaN without it (0/0), as SciPy.

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/ranks.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// How the Mann–Whitney p-value is computed (SciPy `method=`).
enum class mann_whitney_method {
    automatic,  ///< "auto": exact when min(n1, n2) <= 8 and no ties, else asymptotic
    exact,      ///< "exact": permutation distribution of U (not corrected for ties)
    asymptotic  ///< "asymptotic": normal approximation with tie correction
};

/// Parses "auto" / "exact" / "asymptotic".
inline mann_whitney_method parse_mann_whitney_method(const std::string& text)
{
    if (text == "auto" || text == "automatic") {
        return mann_whitney_method::automatic;
    }
    if (text == "exact") {
        return mann_whitney_method::exact;
    }
    if (text == "asymptotic") {
        return mann_whitney_method::asymptotic;
    }
    raise("stats.parse_mann_whitney_method", "method: got '", text, "', expected 'auto', 'exact' or 'asymptotic'.");
}

/// Options of `mann_whitney` (SciPy defaults).
struct mann_whitney_options {
    alternative alt = alternative::two_sided;                  ///< SciPy `alternative`
    mann_whitney_method method = mann_whitney_method::automatic;  ///< SciPy `method`
    bool use_continuity = true;                                ///< SciPy `use_continuity` (asymptotic only)
};

/// Result of `mann_whitney`: `statistic` is \f$ U_1 \f$ (SciPy's statistic); `df` is NaN.
struct mann_whitney_result : test_result {
    double u1 = detail::nan_value;             ///< \f$ U_1 \f$ (of `x`)
    double u2 = detail::nan_value;             ///< \f$ U_2 = n_1 n_2 - U_1 \f$
    double z = detail::nan_value;              ///< standardized statistic (asymptotic only)
    double rank_biserial = detail::nan_value;  ///< \f$ 2U_1/(n_1 n_2) - 1 \f$
    mann_whitney_method method_used = mann_whitney_method::asymptotic;  ///< exact or asymptotic
};

namespace detail {

/// \f$ P(U \le k) \f$ for the null distribution of U with sample sizes m and n (no ties).
/// Frequencies come from the Gaussian binomial product, truncated at degree k, then are divided by
/// \f$ \binom{m+n}{m} \f$. \throws invalid_argument when \f$ \binom{m+n}{m} \f$ overflows a double.
inline double mann_whitney_exact_cdf(long long k, long long m, long long n)
{
    if (k < 0) {
        return 0.0;
    }
    if (k >= m * n) {
        return 1.0;
    }
    if (m > n) {
        std::swap(m, n);
    }
    const double log_binom = std::lgamma(static_cast<double>(m + n + 1)) - std::lgamma(static_cast<double>(m + 1)) -
                             std::lgamma(static_cast<double>(n + 1));
    if (log_binom > 700.0) {
        raise("stats.mann_whitney", "exact method: got sample sizes ", m, " and ", n,
              ", expected C(n1+n2, n1) < 1e304. Use method asymptotic for samples this large.");
    }
    const std::size_t size = static_cast<std::size_t>(k) + 1;
    std::vector<double> c(size, 0.0);
    c[0] = 1.0;
    for (long long i = 1; i <= m; ++i) {
        // multiply by (1 - q^(n+i)), descending so that c[j - n - i] is still the old value
        const long long shift = n + i;
        for (long long j = static_cast<long long>(size) - 1; j >= shift; --j) {
            c[static_cast<std::size_t>(j)] -= c[static_cast<std::size_t>(j - shift)];
        }
        // divide by (1 - q^i): running sum with stride i, ascending
        for (long long j = i; j < static_cast<long long>(size); ++j) {
            c[static_cast<std::size_t>(j)] += c[static_cast<std::size_t>(j - i)];
        }
    }
    double total = 0.0;
    for (const double f : c) {
        total += f;
    }
    return std::min(1.0, total * std::exp(-log_binom));
}

}  // namespace detail

/// \f$ P(U \ge k) \f$ under the null (no ties), i.e. SciPy's `_mwu_state.sf(k, m, n)`; by symmetry
/// this is \f$ P(U \le mn - k) \f$.
inline double mann_whitney_exact_sf(long long k, long long m, long long n)
{
    return detail::mann_whitney_exact_cdf(m * n - k, m, n);
}

namespace detail {

/// See the public `mann_whitney`.
template <class TReal>
mann_whitney_result mann_whitney(const vector_view<TReal>& x, const vector_view<TReal>& y,
                                 const mann_whitney_options& options)
{
    const Eigen::Index n1 = x.size();
    const Eigen::Index n2 = y.size();
    if (n1 == 0 || n2 == 0) {
        raise("stats.mann_whitney", "sample sizes: got ", n1, " and ", n2, ", expected both >= 1.");
    }
    mann_whitney_result out;
    if (detail::has_nan(x) || detail::has_nan(y)) {
        return out;  // SciPy nan_policy="propagate"
    }
    // Rank sum of x: average ranks of the pooled sample (ranks.hpp, SciPy's rankdata), x's members first.
    std::vector<std::pair<double, Eigen::Index>> work(static_cast<std::size_t>(n1 + n2));
    for (Eigen::Index i = 0; i < n1; ++i) {
        work[static_cast<std::size_t>(i)] = {static_cast<double>(x[i]), i};
    }
    for (Eigen::Index i = 0; i < n2; ++i) {
        work[static_cast<std::size_t>(n1 + i)] = {static_cast<double>(y[i]), n1 + i};
    }
    std::vector<double> ranks(work.size());
    const double tie_term = detail::rank_pairs(work, ranks.data());
    double r1 = 0.0;
    for (Eigen::Index i = 0; i < n1; ++i) {
        r1 += ranks[static_cast<std::size_t>(i)];
    }
    const double d1 = static_cast<double>(n1);
    const double d2 = static_cast<double>(n2);
    const double u1 = r1 - d1 * (d1 + 1.0) / 2.0;
    const double u2 = d1 * d2 - u1;
    out.statistic = u1;
    out.u1 = u1;
    out.u2 = u2;
    out.rank_biserial = 2.0 * u1 / (d1 * d2) - 1.0;

    mann_whitney_method method = options.method;
    if (method == mann_whitney_method::automatic) {
        method = (n1 > 8 && n2 > 8) || tie_term > 0.0 ? mann_whitney_method::asymptotic : mann_whitney_method::exact;
    }
    out.method_used = method;
    double u = 0.0;
    double factor = 1.0;
    switch (options.alt) {
    case alternative::greater:
        u = u1;
        break;
    case alternative::less:
        u = u2;
        break;
    default:
        u = std::max(u1, u2);
        factor = 2.0;
        break;
    }
    double p = 0.0;
    if (method == mann_whitney_method::exact) {
        p = stats::mann_whitney_exact_sf(static_cast<long long>(std::floor(u)), n1, n2);
    } else {
        const double n = d1 + d2;
        const double sigma = std::sqrt(d1 * d2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0))));
        double numerator = u - d1 * d2 / 2.0;
        if (options.use_continuity) {
            numerator -= 0.5;
        }
        out.z = numerator / sigma;
        p = normal_sf(out.z);
    }
    p *= factor;
    out.p_value = std::isnan(p) ? p : std::clamp(p, 0.0, 1.0);
    return out;
}

}  // namespace detail

/// Mann–Whitney U test of `x` against `y` (see the file comment for formulas and edge cases); float or
/// double samples, ranked as the same doubles (ranks.hpp).
template <class TX, class TY>
mann_whitney_result mann_whitney(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                                 const mann_whitney_options& options = {})
{
    return detail::mann_whitney<detail::real_t<TX, TY>>(x.derived(), y.derived(), options);
}

}  // namespace radiogenomics::stats
