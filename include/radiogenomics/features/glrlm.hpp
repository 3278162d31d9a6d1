#pragma once
/// \file glrlm.hpp
/// \brief GLRLM features, PyRadiomics class `glrlm` (16 default features).
///
/// Symbols (PyRadiomics docs): \f$P(i,j)\f$ runs of level i and length j for one direction,
/// \f$N_r=\sum P\f$ runs, \f$N_p\f$ ROI voxels, \f$p_g(i)=\sum_j P(i,j)\f$, \f$p_r(j)=\sum_i P(i,j)\f$,
/// \f$p(i,j)=P(i,j)/N_r\f$. Every feature is computed per direction and averaged ignoring NaN
/// (IBSI "3D averaged", ITBB; with force2D "2.5D direction-merged" is the closest IBSI aggregation).
///
/// \par Degenerate input
/// One grey level: GrayLevelVariance 0, GrayLevelNonUniformityNormalized 1. One voxel (or no two ROI voxels on
/// any line): PyRadiomics empties every direction, so every feature is NaN; with `ibsi_compliant` every run has
/// length 1 (RunPercentage 1, RunVariance 0).

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "radiogenomics/features/glrlm_matrix.hpp"

namespace radiogenomics::features {

/// GLRLM features in PyRadiomics' output order.
enum class glrlm_feature : std::size_t {
    /// \brief GrayLevelNonUniformity: \f$\sum_i p_g(i)^2/N_r\f$. IBSI `rlm_glnu` (R5YN).
    gray_level_non_uniformity,
    /// \brief GrayLevelNonUniformityNormalized: \f$\sum_i p_g(i)^2/N_r^2\f$. IBSI `rlm_glnu_norm` (OVBL).
    gray_level_non_uniformity_normalized,
    /// \brief GrayLevelVariance: \f$\sum_i (p_g(i)/N_r)(i-\mu)^2\f$. IBSI `rlm_gl_var` (8CE5).
    gray_level_variance,
    /// \brief HighGrayLevelRunEmphasis: \f$\sum p_g(i)i^2/N_r\f$. IBSI `rlm_hgre` (G3QZ).
    high_gray_level_run_emphasis,
    /// \brief LongRunEmphasis: \f$\sum p_r(j)j^2/N_r\f$. IBSI `rlm_lre` (W4KF).
    long_run_emphasis,
    /// \brief LongRunHighGrayLevelEmphasis: \f$\sum P i^2j^2/N_r\f$. IBSI `rlm_lrhge` (3KUM).
    long_run_high_gray_level_emphasis,
    /// \brief LongRunLowGrayLevelEmphasis: \f$\sum P j^2/i^2/N_r\f$. IBSI `rlm_lrlge` (IVPO).
    long_run_low_gray_level_emphasis,
    /// \brief LowGrayLevelRunEmphasis: \f$\sum p_g(i)/i^2/N_r\f$. IBSI `rlm_lgre` (V3SW).
    low_gray_level_run_emphasis,
    /// \brief RunEntropy: \f$-\sum p(i,j)\log_2(p(i,j)+\epsilon)\f$. IBSI `rlm_rl_entr` (HJ9O).
    run_entropy,
    /// \brief RunLengthNonUniformity: \f$\sum_j p_r(j)^2/N_r\f$. IBSI `rlm_rlnu` (W92Y).
    run_length_non_uniformity,
    /// \brief RunLengthNonUniformityNormalized: \f$\sum_j p_r(j)^2/N_r^2\f$. IBSI `rlm_rlnu_norm` (IC23).
    run_length_non_uniformity_normalized,
    /// \brief RunPercentage: \f$N_r/N_p\f$. IBSI `rlm_r_perc` (9ZK5).
    run_percentage,
    /// \brief RunVariance: \f$\sum_j (p_r(j)/N_r)(j-\mu_r)^2\f$. IBSI `rlm_rl_var` (SXLW).
    run_variance,
    /// \brief ShortRunEmphasis: \f$\sum p_r(j)/j^2/N_r\f$. IBSI `rlm_sre` (22OV).
    short_run_emphasis,
    /// \brief ShortRunHighGrayLevelEmphasis: \f$\sum P i^2/j^2/N_r\f$. IBSI `rlm_srhge` (GD3A).
    short_run_high_gray_level_emphasis,
    /// \brief ShortRunLowGrayLevelEmphasis: \f$\sum P/(i^2j^2)/N_r\f$. IBSI `rlm_srlge` (HTZT).
    short_run_low_gray_level_emphasis,
    count
};

using glrlm_values = std::array<double, static_cast<std::size_t>(glrlm_feature::count)>;

/// Computes the GLRLM features (per direction, then NaN-ignoring mean).
inline glrlm_values glrlm_features(const glrlm_matrices& m)
{
    constexpr std::size_t nf = static_cast<std::size_t>(glrlm_feature::count);
    const std::size_t na = m.offsets.size();
    std::vector<std::vector<double>> per(nf, std::vector<double>(na));
    for (std::size_t a = 0; a < na; ++a) {
        const auto s = detail::size_sums(m.cells[a], m.levels, m.max_run);
        const auto put = [&](glrlm_feature f, double v) { per[static_cast<std::size_t>(f)][a] = v; };
        put(glrlm_feature::gray_level_non_uniformity, s.level_nonuniformity);
        put(glrlm_feature::gray_level_non_uniformity_normalized, s.level_nonuniformity / s.total);
        put(glrlm_feature::gray_level_variance, s.level_variance);
        put(glrlm_feature::high_gray_level_run_emphasis, s.high);
        put(glrlm_feature::long_run_emphasis, s.large);
        put(glrlm_feature::long_run_high_gray_level_emphasis, s.large_high);
        put(glrlm_feature::long_run_low_gray_level_emphasis, s.large_low);
        put(glrlm_feature::low_gray_level_run_emphasis, s.low);
        put(glrlm_feature::run_entropy, s.entropy);
        put(glrlm_feature::run_length_non_uniformity, s.size_nonuniformity);
        put(glrlm_feature::run_length_non_uniformity_normalized, s.size_nonuniformity / s.total);
        // N_r / N_p with N_p = sum_j j p_r(j) (PyRadiomics): the ROI voxel count, or 0 and NaN for an emptied direction
        put(glrlm_feature::run_percentage,
            s.total == 0.0 ? std::nan("") : s.total / static_cast<double>(m.voxel_count));
        put(glrlm_feature::run_variance, s.size_variance);
        put(glrlm_feature::short_run_emphasis, s.small);
        put(glrlm_feature::short_run_high_gray_level_emphasis, s.small_high);
        put(glrlm_feature::short_run_low_gray_level_emphasis, s.small_low);
    }
    glrlm_values out{};
    for (std::size_t f = 0; f < nf; ++f) {
        out[f] = detail::nanmean(per[f]);
    }
    return out;
}

}  // namespace radiogenomics::features
