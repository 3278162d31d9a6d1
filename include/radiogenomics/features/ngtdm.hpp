#pragma once
/// \file ngtdm.hpp
/// \brief NGTDM features, PyRadiomics class `ngtdm` (5 features).
///
/// Symbols (PyRadiomics docs): \f$n_i, s_i\f$ from the matrix, \f$N_{v,p}=\sum n_i\f$,
/// \f$p_i=n_i/N_{v,p}\f$, \f$N_{g,p}\f$ the number of levels with \f$p_i>0\f$. Sums run over those levels.
/// IBSI aggregation "3D" (KOBO).
///
/// \par Degenerate input
/// Flat ROI: Coarseness \f$10^6\f$, Busyness, Complexity, Contrast, Strength 0 (PyRadiomics' values).

#include <array>
#include <cmath>
#include <cstddef>

#include "radiogenomics/features/ngtdm_matrix.hpp"

namespace radiogenomics::features {

/// NGTDM features in PyRadiomics' output order.
enum class ngtdm_feature : std::size_t {
    /// \brief Busyness: \f$\frac{\sum p_is_i}{\sum_{i,j}|ip_i - jp_j|}\f$ (0 when the denominator is 0).
    /// IBSI `ngt_busyness` (NQ30).
    busyness,
    /// \brief Coarseness: \f$1/\sum p_is_i\f$ (\f$10^6\f$ when the sum is 0). IBSI `ngt_coarseness` (QCDE).
    coarseness,
    /// \brief Complexity: \f$\frac1{N_{v,p}}\sum_{i,j}|i-j|\frac{p_is_i+p_js_j}{p_i+p_j}\f$.
    /// IBSI `ngt_complexity` (HDEZ).
    complexity,
    /// \brief Contrast: \f$\frac{1}{N_{g,p}(N_{g,p}-1)}\sum_{i,j}p_ip_j(i-j)^2\cdot\frac{\sum s_i}{N_{v,p}}\f$
    /// (0 when \f$N_{g,p}=1\f$). IBSI `ngt_contrast` (65HE).
    contrast,
    /// \brief Strength: \f$\frac{\sum_{i,j}(p_i+p_j)(i-j)^2}{\sum s_i}\f$ (0 when \f$\sum s_i=0\f$).
    /// IBSI `ngt_strength` (1X9X).
    strength,
    count
};

using ngtdm_values = std::array<double, static_cast<std::size_t>(ngtdm_feature::count)>;

/// Computes the NGTDM features.
inline ngtdm_values ngtdm_features(const ngtdm_matrix_data& m)
{
    ngtdm_values out{};
    const std::size_t k = m.level.size();
    double nvp = 0.0, sum_s = 0.0, sum_ps = 0.0;
    for (std::size_t a = 0; a < k; ++a) {
        nvp += m.n[a];
        sum_s += m.s[a];
    }
    std::vector<double> p(k);
    for (std::size_t a = 0; a < k; ++a) {
        p[a] = m.n[a] / nvp;
        sum_ps += p[a] * m.s[a];
    }
    double contrast_sum = 0.0, busy_den = 0.0, complexity = 0.0, strength = 0.0;
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
            const double d = m.level[a] - m.level[b];
            contrast_sum += p[a] * p[b] * d * d;
            busy_den += std::fabs(m.level[a] * p[a] - m.level[b] * p[b]);
            complexity += std::fabs(d) * (p[a] * m.s[a] + p[b] * m.s[b]) / (p[a] + p[b]);
            strength += (p[a] + p[b]) * d * d;
        }
    }
    const auto ngp = static_cast<double>(k);
    const double div = ngp * (ngp - 1.0);
    const auto put = [&](ngtdm_feature f, double v) { out[static_cast<std::size_t>(f)] = v; };
    if (k == 0) {
        for (double& v : out) {
            v = std::nan("");
        }
        return out;
    }
    put(ngtdm_feature::busyness, busy_den != 0.0 ? sum_ps / busy_den : 0.0);
    put(ngtdm_feature::coarseness, sum_ps != 0.0 ? 1.0 / sum_ps : 1e6);
    put(ngtdm_feature::complexity, complexity / nvp);
    put(ngtdm_feature::contrast, div != 0.0 ? contrast_sum * sum_s / nvp / div : 0.0);
    put(ngtdm_feature::strength, sum_s != 0.0 ? strength / sum_s : 0.0);
    return out;
}

}  // namespace radiogenomics::features
