#pragma once
/// \file size_matrix.hpp
/// \brief Shared sums of the "grey level x size" matrices (GLRLM runs, GLSZM zones, GLDM dependences).
///
/// For a matrix \f$P(i,j)\f$ with grey level i, size j (run length, zone size, dependence count) and
/// \f$N_z=\sum P\f$, PyRadiomics' emphasis / non-uniformity / variance / entropy features are all weighted
/// sums of P and of its marginals \f$p_g(i)=\sum_j P(i,j)\f$, \f$p_s(j)=\sum_i P(i,j)\f$.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace radiogenomics::features::detail {

/// Mean of the non-NaN values (numpy.nanmean); NaN when there are none.
inline double nanmean(const std::vector<double>& v)
{
    double sum = 0.0;
    std::size_t n = 0;
    for (double x : v) {
        if (!std::isnan(x)) {
            sum += x;
            ++n;
        }
    }
    return n == 0 ? std::nan("") : sum / static_cast<double>(n);
}

/// One non-zero cell: level index into the present levels, size j >= 1, count.
struct size_cell {
    std::uint32_t level_index;
    std::uint32_t size;
    double count;
};

/// Weighted sums of one matrix (already divided by N_z where PyRadiomics divides).
struct size_matrix_sums {
    double total = 0.0;        ///< N_z
    double small = 0.0;        ///< sum P / j^2 / N_z
    double large = 0.0;        ///< sum P j^2 / N_z
    double low = 0.0;          ///< sum P / i^2 / N_z
    double high = 0.0;         ///< sum P i^2 / N_z
    double small_low = 0.0;    ///< sum P / (i^2 j^2) / N_z
    double small_high = 0.0;   ///< sum P i^2 / j^2 / N_z
    double large_low = 0.0;    ///< sum P j^2 / i^2 / N_z
    double large_high = 0.0;   ///< sum P i^2 j^2 / N_z
    double level_nonuniformity = 0.0;  ///< sum_i p_g(i)^2 / N_z
    double size_nonuniformity = 0.0;   ///< sum_j p_s(j)^2 / N_z
    double level_variance = 0.0;       ///< variance of i under p_g / N_z
    double size_variance = 0.0;        ///< variance of j under p_s / N_z
    double entropy = 0.0;              ///< -sum (P/N_z) log2(P/N_z + eps)
};

/// Computes the sums; `levels[level_index]` is the grey value, `max_size` the largest j.
inline size_matrix_sums size_sums(const std::vector<size_cell>& cells, const std::vector<std::int32_t>& levels,
                                  std::size_t max_size)
{
    size_matrix_sums s;
    std::vector<double> pg(levels.size(), 0.0);
    std::vector<double> ps(max_size + 1, 0.0);
    for (const auto& c : cells) {
        s.total += c.count;
        pg[c.level_index] += c.count;
        ps[c.size] += c.count;
    }
    if (s.total == 0.0) {
        const double nan = std::nan("");
        s = size_matrix_sums{0.0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan};
        return s;
    }
    const double nz = s.total;
    const double eps = std::numeric_limits<double>::epsilon();
    for (const auto& c : cells) {
        const double i = static_cast<double>(levels[c.level_index]);
        const double j = static_cast<double>(c.size);
        const double i2 = i * i;
        const double j2 = j * j;
        s.small_low += c.count / (i2 * j2);
        s.small_high += c.count * i2 / j2;
        s.large_low += c.count * j2 / i2;
        s.large_high += c.count * i2 * j2;
        const double p = c.count / nz;
        s.entropy -= p * std::log2(p + eps);
    }
    double mean_i = 0.0;
    for (std::size_t a = 0; a < pg.size(); ++a) {
        const double i = static_cast<double>(levels[a]);
        s.low += pg[a] / (i * i);
        s.high += pg[a] * i * i;
        s.level_nonuniformity += pg[a] * pg[a];
        mean_i += pg[a] / nz * i;
    }
    for (std::size_t a = 0; a < pg.size(); ++a) {
        const double d = static_cast<double>(levels[a]) - mean_i;
        s.level_variance += pg[a] / nz * d * d;
    }
    double mean_j = 0.0;
    for (std::size_t j = 1; j < ps.size(); ++j) {
        const double jd = static_cast<double>(j);
        s.small += ps[j] / (jd * jd);
        s.large += ps[j] * jd * jd;
        s.size_nonuniformity += ps[j] * ps[j];
        mean_j += ps[j] / nz * jd;
    }
    for (std::size_t j = 1; j < ps.size(); ++j) {
        const double d = static_cast<double>(j) - mean_j;
        s.size_variance += ps[j] / nz * d * d;
    }
    s.small /= nz;
    s.large /= nz;
    s.low /= nz;
    s.high /= nz;
    s.small_low /= nz;
    s.small_high /= nz;
    s.large_low /= nz;
    s.large_high /= nz;
    s.level_nonuniformity /= nz;
    s.size_nonuniformity /= nz;
    return s;
}

}  // namespace radiogenomics::features::detail
