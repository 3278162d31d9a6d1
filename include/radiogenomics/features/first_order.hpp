#pragma once
/// \file first_order.hpp
/// \brief First-order (intensity) features, PyRadiomics class `firstorder`.
///
/// Symbols (PyRadiomics docs, radiomics/firstorder.py): \f$\mathbf{X}\f$ the \f$N_p\f$ ROI intensities,
/// \f$\bar X\f$ their mean, \f$c\f$ = voxelArrayShift, \f$V_{vox}\f$ the voxel volume,
/// \f$P(i)\f$ the histogram of discretised grey levels and \f$p(i) = P(i)/N_p\f$,
/// \f$\epsilon\f$ = machine epsilon (numpy.spacing(1)). Percentiles are numpy's linear interpolation
/// (`numpy.nanpercentile`), moments are population moments.
///
/// \par Degenerate input
/// A flat ROI gives Variance 0, Skewness 0 and Kurtosis 0 (PyRadiomics' flat-region values), Entropy
/// \f$-\log_2(1+\epsilon) \approx -3.2\times10^{-16}\f$ and Uniformity 1.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "radiogenomics/core/percentile.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// First-order features in PyRadiomics' output order.
enum class first_order_feature : std::size_t {
    /// \brief 10Percentile: \f$P_{10}\f$ of X. IBSI `stat_p10` (QG58).
    percentile_10,
    /// \brief 90Percentile: \f$P_{90}\f$ of X. IBSI `stat_p90` (8DWT).
    percentile_90,
    /// \brief Energy: \f$\sum (X(i) + c)^2\f$. IBSI `stat_energy` (N8CA) when c = 0.
    energy,
    /// \brief Entropy: \f$-\sum_i p(i)\log_2(p(i)+\epsilon)\f$ on discretised levels. IBSI `ih_entropy` (TLU2).
    entropy,
    /// \brief InterquartileRange: \f$P_{75} - P_{25}\f$. IBSI `stat_iqr` (SALO).
    interquartile_range,
    /// \brief Kurtosis: \f$\mu_4/\sigma^4\f$ (not excess). IBSI `stat_kurt` (IPH6) is this minus 3 (kept
    /// PyRadiomics' convention even with ibsi_compliant). Flat ROI: 0.
    kurtosis,
    /// \brief Maximum: \f$\max X\f$. IBSI `stat_max` (84IY).
    maximum,
    /// \brief MeanAbsoluteDeviation: \f$\frac1{N_p}\sum|X(i)-\bar X|\f$. IBSI `stat_mad` (4FUA).
    mean_absolute_deviation,
    /// \brief Mean: \f$\bar X\f$. IBSI `stat_mean` (Q4LE).
    mean,
    /// \brief Median of X. IBSI `stat_median` (Y12H).
    median,
    /// \brief Minimum: \f$\min X\f$. IBSI `stat_min` (1GSF).
    minimum,
    /// \brief Range: \f$\max X - \min X\f$. IBSI `stat_range` (2OJQ).
    range,
    /// \brief RobustMeanAbsoluteDeviation: mean absolute deviation of the voxels with
    /// \f$P_{10} \le X \le P_{90}\f$ from their own mean. IBSI `stat_rmad` (1128).
    robust_mean_absolute_deviation,
    /// \brief RootMeanSquared: \f$\sqrt{\frac1{N_p}\sum (X(i)+c)^2}\f$. IBSI `stat_rms` (5ZWQ) when c = 0.
    root_mean_squared,
    /// \brief Skewness: \f$\mu_3/\sigma^3\f$. IBSI `stat_skew` (KE2A). Flat ROI: 0.
    skewness,
    /// \brief StandardDeviation: \f$\sigma\f$ (population); not enabled by default. No IBSI tag.
    standard_deviation,
    /// \brief TotalEnergy: \f$V_{vox}\sum (X(i)+c)^2\f$, \f$V_{vox}\f$ the voxel volume in mm^3 — for a 2-D image
    /// (`roi_data::dimension` 2) the pixel area in mm^2, as PyRadiomics multiplies the image's spacing. No IBSI
    /// counterpart.
    total_energy,
    /// \brief Uniformity: \f$\sum_i p(i)^2\f$ on discretised levels. IBSI `ih_uniformity` (BJ5W).
    uniformity,
    /// \brief Variance: \f$\sigma^2 = \frac1{N_p}\sum (X(i)-\bar X)^2\f$. IBSI `stat_var` (ECT3).
    variance,
    count
};

using first_order_values = std::array<double, static_cast<std::size_t>(first_order_feature::count)>;

namespace detail {

/// numpy 1.24 `percentile(..., method="linear")` of sorted values, q in percent.
/// Order statistics of `x` (the k-th smallest values, `ranks` ascending) without a full sort: successive
/// `nth_element` calls, each on the part right of the previous rank. `x` is permuted.
template <std::size_t N>
std::array<double, N> order_statistics(std::vector<double>& x, const std::array<std::size_t, N>& ranks)
{
    std::array<double, N> out{};
    auto first = x.begin();
    for (std::size_t r = 0; r < N; ++r) {
        const auto nth = x.begin() + static_cast<std::ptrdiff_t>(ranks[r]);
        if (nth >= first) {
            std::nth_element(first, nth, x.end());
            first = nth + 1;
        }
        out[r] = *nth;
    }
    return out;
}

/// NumPy 1.24's linear percentile, q in percent: the library's one owner is core/percentile.hpp.
inline std::size_t numpy_percentile_rank(std::size_t n, double q) { return numpy_quantile_rank(n, q / 100.0); }
inline double numpy_percentile_from(std::size_t n, double q, double a, double b)
{
    return numpy_quantile_from(n, q / 100.0, a, b);
}
inline double numpy_percentile(const std::vector<double>& sorted, double q) { return numpy_percentile_sorted(sorted, q); }

inline double numpy_median(const std::vector<double>& sorted)
{
    const std::size_t n = sorted.size();
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

}  // namespace detail

/// Computes every first-order feature of `roi` (see `first_order_feature` for definitions).
inline first_order_values first_order_features(const roi_data& roi, const settings& options)
{
    first_order_values out{};
    const std::vector<double>& x = roi.values;
    const std::size_t n = x.size();
    const auto at = [&out](first_order_feature f) -> double& { return out[static_cast<std::size_t>(f)]; };
    const double nd = static_cast<double>(n);
    const double shift = options.voxel_array_shift;

    long double sum = 0.0L;
    long double sum_sq_shift = 0.0L;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (double v : x) {
        sum += v;
        const long double s = static_cast<long double>(v) + shift;
        sum_sq_shift += s * s;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const double mean = static_cast<double>(sum / static_cast<long double>(n));
    long double m2 = 0.0L;
    long double m3 = 0.0L;
    long double m4 = 0.0L;
    long double mad = 0.0L;
    for (double v : x) {
        const long double d = static_cast<long double>(v) - mean;
        const long double d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
        mad += std::fabs(d);
    }
    const double var = static_cast<double>(m2 / n);
    const double mu3 = static_cast<double>(m3 / n);
    const double mu4 = static_cast<double>(m4 / n);

    // Percentiles 10, 25, 50 (median), 75, 90 from order statistics (nth_element, no full sort): each
    // percentile needs ranks lo and lo + 1 (clamped to n - 1); the median ranks (n - 1) / 2 and n / 2.
    std::vector<double> work(x);
    const std::array<double, 5> qs{10.0, 25.0, 50.0, 75.0, 90.0};
    std::array<std::size_t, 12> ranks{};
    for (std::size_t q = 0; q < qs.size(); ++q) {
        const std::size_t lo = detail::numpy_percentile_rank(n, qs[q]);
        ranks[2 * q] = lo;
        ranks[2 * q + 1] = std::min(lo + 1, n - 1);
    }
    ranks[10] = (n - 1) / 2;
    ranks[11] = n / 2;
    std::array<std::size_t, 12> sorted_ranks = ranks;
    std::sort(sorted_ranks.begin(), sorted_ranks.end());
    const std::array<double, 12> stats = detail::order_statistics(work, sorted_ranks);
    const auto value_at = [&](std::size_t rank) {
        return stats[static_cast<std::size_t>(std::lower_bound(sorted_ranks.begin(), sorted_ranks.end(), rank) -
                                              sorted_ranks.begin())];
    };
    std::array<double, 5> percentile{};
    for (std::size_t q = 0; q < qs.size(); ++q) {
        percentile[q] = detail::numpy_percentile_from(n, qs[q], value_at(ranks[2 * q]), value_at(ranks[2 * q + 1]));
    }
    const double p10 = percentile[0];
    const double p90 = percentile[4];
    const double median = n % 2 == 1 ? value_at(n / 2) : (value_at(n / 2 - 1) + value_at(n / 2)) / 2.0;

    long double robust_sum = 0.0L;
    std::size_t robust_n = 0;
    for (double v : x) {
        if (v >= p10 && v <= p90) {
            robust_sum += v;
            ++robust_n;
        }
    }
    double robust_mad = std::nan("");
    if (robust_n > 0) {
        const double robust_mean = static_cast<double>(robust_sum / static_cast<long double>(robust_n));
        long double acc = 0.0L;
        for (double v : x) {
            if (v >= p10 && v <= p90) {
                acc += std::fabs(static_cast<long double>(v) - robust_mean);
            }
        }
        robust_mad = static_cast<double>(acc / static_cast<long double>(robust_n));
    }

    // Histogram of discretised levels.
    std::vector<std::size_t> hist(static_cast<std::size_t>(roi.grid.max_level) + 1, 0);
    for (std::int32_t g : roi.levels) {
        ++hist[static_cast<std::size_t>(g)];
    }
    const double eps = std::numeric_limits<double>::epsilon();
    double entropy = 0.0;
    double uniformity = 0.0;
    for (std::size_t g = 1; g < hist.size(); ++g) {
        const double p = static_cast<double>(hist[g]) / nd;
        entropy -= p * std::log2(p + eps);
        uniformity += p * p;
    }

    const double energy = static_cast<double>(sum_sq_shift);
    // PyRadiomics: np.multiply.reduce(spacing) — the voxel volume (mm^3), or the pixel area (mm^2) of a 2-D image
    const double voxel_volume =
        roi.dimension == 2 ? roi.spacing[0] * roi.spacing[1] : roi.spacing[0] * roi.spacing[1] * roi.spacing[2];
    const double sd = std::sqrt(var);

    at(first_order_feature::percentile_10) = p10;
    at(first_order_feature::percentile_90) = p90;
    at(first_order_feature::energy) = energy;
    at(first_order_feature::entropy) = entropy;
    at(first_order_feature::interquartile_range) =
        percentile[3] - percentile[1];
    at(first_order_feature::kurtosis) = var == 0.0 ? 0.0 : mu4 / (var * var);
    at(first_order_feature::maximum) = hi;
    at(first_order_feature::mean_absolute_deviation) = static_cast<double>(mad / n);
    at(first_order_feature::mean) = mean;
    at(first_order_feature::median) = median;
    at(first_order_feature::minimum) = lo;
    at(first_order_feature::range) = hi - lo;
    at(first_order_feature::robust_mean_absolute_deviation) = robust_mad;
    at(first_order_feature::root_mean_squared) = std::sqrt(energy / nd);
    at(first_order_feature::skewness) = var == 0.0 ? 0.0 : mu3 / std::pow(var, 1.5);
    at(first_order_feature::standard_deviation) = sd;
    at(first_order_feature::total_energy) = voxel_volume * energy;
    at(first_order_feature::uniformity) = uniformity;
    at(first_order_feature::variance) = sd * sd;
    return out;
}

}  // namespace radiogenomics::features
