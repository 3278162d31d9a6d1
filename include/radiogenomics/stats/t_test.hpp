#pragma once
/// \file t_test.hpp
/// \brief Student, Welch and paired t-tests, as `scipy.stats.ttest_ind` / `ttest_rel` (SciPy 1.10).
///
/// With sample means \f$ \bar{x}, \bar{y} \f$ and variances \f$ s_x^2, s_y^2 \f$ (ddof = 1):
/// - Student (equal variances): \f$ s_p^2 = \frac{(n_1-1)s_x^2 + (n_2-1)s_y^2}{n_1+n_2-2} \f$,
///   \f$ t = \frac{\bar{x}-\bar{y}}{\sqrt{s_p^2(1/n_1 + 1/n_2)}} \f$, df = \f$ n_1+n_2-2 \f$;
/// - Welch: \f$ t = \frac{\bar{x}-\bar{y}}{\sqrt{s_x^2/n_1 + s_y^2/n_2}} \f$,
///   \f$ df = \frac{(s_x^2/n_1 + s_y^2/n_2)^2}{(s_x^2/n_1)^2/(n_1-1) + (s_y^2/n_2)^2/(n_2-1)} \f$
///   (df = 1 when that is 0/0, i.e. both variances are zero, as SciPy);
/// - paired: \f$ d = x - y \f$, \f$ t = \bar{d}/(s_d/\sqrt{n}) \f$, df = n - 1.
/// p-values from the t distribution (distributions.hpp, `t_p_value`).
///
/// \par Degenerate input
/// As SciPy: an empty sample, a sample of size 1 (variance undefined) or NaN in the data gives
/// t = p = NaN; zero variance with different means gives t = ±inf and p = 0; zero variance with
/// equal means gives NaN. Paired samples of different lengths throw.

#include <cmath>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Result of a t-test: `statistic` = t, `df` = degrees of freedom.
struct t_test_result : test_result {
    double mean_difference = detail::nan_value;  ///< \f$ \bar{x} - \bar{y} \f$ (or \f$ \bar{d} \f$)
    double standard_error = detail::nan_value;   ///< denominator of t
};

namespace detail {

inline t_test_result finish_t_test(double difference, double standard_error, double df, alternative alt)
{
    t_test_result out;
    out.mean_difference = difference;
    out.standard_error = standard_error;
    out.df = df;
    out.statistic = difference / standard_error;
    out.p_value = t_p_value(df, out.statistic, alt);
    return out;
}

inline bool t_test_undefined(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y)
{
    return x.size() == 0 || y.size() == 0 || has_nan(x) || has_nan(y);
}

/// Student's two-sample t-test (equal variances; SciPy `ttest_ind(x, y, equal_var=True)`).
inline t_test_result student_t_test(const Eigen::Ref<const Eigen::VectorXd>& x,
                                    const Eigen::Ref<const Eigen::VectorXd>& y,
                                    alternative alt = alternative::two_sided)
{
    if (detail::t_test_undefined(x, y)) {
        return {};
    }
    const double n1 = static_cast<double>(x.size());
    const double n2 = static_cast<double>(y.size());
    const double df = n1 + n2 - 2.0;
    const double pooled = ((n1 - 1.0) * detail::variance(x) + (n2 - 1.0) * detail::variance(y)) / df;
    return detail::finish_t_test(detail::mean(x) - detail::mean(y), std::sqrt(pooled * (1.0 / n1 + 1.0 / n2)), df,
                                 alt);
}

/// Welch's unequal-variance t-test (SciPy `ttest_ind(x, y, equal_var=False)`).
inline t_test_result welch_t_test(const Eigen::Ref<const Eigen::VectorXd>& x,
                                  const Eigen::Ref<const Eigen::VectorXd>& y,
                                  alternative alt = alternative::two_sided)
{
    if (detail::t_test_undefined(x, y)) {
        return {};
    }
    const double n1 = static_cast<double>(x.size());
    const double n2 = static_cast<double>(y.size());
    const double vn1 = detail::variance(x) / n1;
    const double vn2 = detail::variance(y) / n2;
    double df = (vn1 + vn2) * (vn1 + vn2) / (vn1 * vn1 / (n1 - 1.0) + vn2 * vn2 / (n2 - 1.0));
    if (std::isnan(df)) {
        df = 1.0;  // SciPy: both variances zero, df irrelevant
    }
    return detail::finish_t_test(detail::mean(x) - detail::mean(y), std::sqrt(vn1 + vn2), df, alt);
}

/// Paired t-test on `x - y` (SciPy `ttest_rel(x, y)`). \throws invalid_argument on different lengths.
inline t_test_result paired_t_test(const Eigen::Ref<const Eigen::VectorXd>& x,
                                   const Eigen::Ref<const Eigen::VectorXd>& y,
                                   alternative alt = alternative::two_sided)
{
    if (x.size() != y.size()) {
        raise("stats.paired_t_test", "sample sizes: got ", x.size(), " and ", y.size(), ", expected equal lengths.");
    }
    if (detail::t_test_undefined(x, y)) {
        return {};
    }
    const Eigen::VectorXd d = x - y;
    const double n = static_cast<double>(d.size());
    return detail::finish_t_test(detail::mean(d), std::sqrt(detail::variance(d) / n), n - 1.0, alt);
}

}  // namespace detail

/// Student's two-sample t-test (equal variances; SciPy `ttest_ind(x, y, equal_var=True)`); float or double
/// samples, computed in double.
template <class TX, class TY>
t_test_result student_t_test(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                             alternative alt = alternative::two_sided)
{
    using real = detail::real_t<TX, TY>;
    return detail::student_t_test(detail::as_double<real>(x.derived()), detail::as_double<real>(y.derived()), alt);
}

/// Welch's unequal-variance t-test (SciPy `ttest_ind(x, y, equal_var=False)`); float or double samples.
template <class TX, class TY>
t_test_result welch_t_test(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                           alternative alt = alternative::two_sided)
{
    using real = detail::real_t<TX, TY>;
    return detail::welch_t_test(detail::as_double<real>(x.derived()), detail::as_double<real>(y.derived()), alt);
}

/// Paired t-test on `x - y` (SciPy `ttest_rel(x, y)`); float or double samples.
/// \throws invalid_argument on different lengths.
template <class TX, class TY>
t_test_result paired_t_test(const Eigen::DenseBase<TX>& x, const Eigen::DenseBase<TY>& y,
                            alternative alt = alternative::two_sided)
{
    using real = detail::real_t<TX, TY>;
    return detail::paired_t_test(detail::as_double<real>(x.derived()), detail::as_double<real>(y.derived()), alt);
}

}  // namespace radiogenomics::stats
