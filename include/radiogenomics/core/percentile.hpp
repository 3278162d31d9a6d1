#pragma once
/// \file percentile.hpp
/// \brief The one NumPy-linear quantile of the library (`numpy.quantile` / `numpy.percentile`, default
/// method "linear", Hyndman & Fan type 7), written as NumPy 1.24 evaluates it so that results agree bit for bit.
///
/// For n sorted values \f$ x_{(0)} \le \dots \le x_{(n-1)} \f$ and a fraction q in [0, 1], the virtual index is
/// \f$ h = (n-1)\,q \f$ (numpy/lib/function_base.py, `_QuantileMethods["linear"]`); `numpy.percentile(x, p)` is
/// `numpy.quantile(x, p / 100)`, so its index is \f$ (n-1)(p/100) \f$ — the division comes first, as NumPy does it
/// (the Hyndman–Fan form \f$ nq + (1 + q(1-1-1)) - 1 \f$ is the same number mathematically but rounds differently:
/// n = 101, p = 10 gives 10.000000000000002). The value interpolates between ranks \f$ \lfloor h \rfloor \f$ and
/// \f$ \lfloor h \rfloor + 1 \f$ with NumPy's `_lerp`: \f$ a + (b-a)\gamma \f$ for \f$ \gamma < 0.5 \f$ and
/// \f$ b - (b-a)(1-\gamma) \f$ otherwise, \f$ \gamma = h - \lfloor h \rfloor \f$. Indices at or past the ends
/// give the first or last value. Callers: features/first_order.hpp (PyRadiomics percentiles) and
/// stats/descriptives.hpp (baseline-table quartiles).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "radiogenomics/core/config.hpp"

namespace radiogenomics {

/// NumPy's virtual index \f$ (n-1)\,q \f$ of quantile fraction `q` among `n` sorted values.
inline double numpy_quantile_position(std::size_t n, double q)
{
    return static_cast<double>(n - 1) * q;
}

/// The lower of the two ranks NumPy's linear quantile interpolates between (`rank` and `rank + 1`), clamped to
/// [0, n - 1]. `n` must be >= 1.
inline std::size_t numpy_quantile_rank(std::size_t n, double q)
{
    RG_ASSERT(n >= 1);
    const double position = numpy_quantile_position(n, q);
    if (position >= static_cast<double>(n - 1)) {
        return n - 1;
    }
    if (position < 0.0) {
        return 0;
    }
    return static_cast<std::size_t>(std::floor(position));
}

/// NumPy's linear quantile from the order statistics `a` (rank `numpy_quantile_rank(n, q)`) and `b` (the next
/// rank; ignored when the rank is the last).
inline double numpy_quantile_from(std::size_t n, double q, double a, double b)
{
    const double position = numpy_quantile_position(n, q);
    if (position >= static_cast<double>(n - 1) || position < 0.0) {
        return a;
    }
    const double gamma = position - std::floor(position);
    const double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

/// `numpy.quantile(sorted, q)` of sorted, NaN-free, non-empty values; q a fraction in [0, 1].
inline double numpy_quantile_sorted(const std::vector<double>& sorted, double q)
{
    const std::size_t n = sorted.size();
    RG_ASSERT(std::is_sorted(sorted.begin(), sorted.end()));
    const std::size_t rank = numpy_quantile_rank(n, q);
    return numpy_quantile_from(n, q, sorted[rank], sorted[rank + 1 < n ? rank + 1 : rank]);
}

/// `numpy.percentile(sorted, p)` of sorted, NaN-free, non-empty values; p in percent (index \f$ (n-1)(p/100) \f$).
inline double numpy_percentile_sorted(const std::vector<double>& sorted, double p)
{
    return numpy_quantile_sorted(sorted, p / 100.0);
}

}  // namespace radiogenomics
