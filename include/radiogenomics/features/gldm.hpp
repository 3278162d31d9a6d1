#pragma once
/// \file gldm.hpp
/// \brief GLDM features, PyRadiomics class `gldm` (14 default features) = IBSI NGLDM.
///
/// Symbols (PyRadiomics docs): \f$P(i,j)\f$ voxels of level i with dependence size j,
/// \f$N_z=\sum P = N_p\f$, \f$p_g(i)=\sum_j P(i,j)\f$, \f$p_d(j)=\sum_i P(i,j)\f$, \f$p(i,j)=P(i,j)/N_z\f$.
/// IBSI aggregation "3D" (KOBO); `gldm_a` is IBSI's coarseness parameter \f$\alpha\f$.
///
/// \par Degenerate input
/// One voxel: dependence size 1, DependenceVariance 0, GrayLevelVariance 0.

#include <array>
#include <cstddef>

#include "radiogenomics/features/gldm_matrix.hpp"

namespace radiogenomics::features {

/// GLDM features in PyRadiomics' output order.
enum class gldm_feature : std::size_t {
    /// \brief DependenceEntropy: \f$-\sum p(i,j)\log_2(p(i,j)+\epsilon)\f$. IBSI `ngl_dc_entr` (FCBV).
    dependence_entropy,
    /// \brief DependenceNonUniformity: \f$\sum_j p_d(j)^2/N_z\f$. IBSI `ngl_dcnu` (Z87G).
    dependence_non_uniformity,
    /// \brief DependenceNonUniformityNormalized: \f$\sum_j p_d(j)^2/N_z^2\f$. IBSI `ngl_dcnu_norm` (OKJI).
    dependence_non_uniformity_normalized,
    /// \brief DependenceVariance: \f$\sum_j (p_d(j)/N_z)(j-\mu_d)^2\f$. IBSI `ngl_dc_var` (DNX2).
    dependence_variance,
    /// \brief GrayLevelNonUniformity: \f$\sum_i p_g(i)^2/N_z\f$. IBSI `ngl_glnu` (FP8K).
    gray_level_non_uniformity,
    /// \brief GrayLevelVariance: \f$\sum_i (p_g(i)/N_z)(i-\mu)^2\f$. IBSI `ngl_gl_var` (1PFV).
    gray_level_variance,
    /// \brief HighGrayLevelEmphasis: \f$\sum p_g(i)i^2/N_z\f$. IBSI `ngl_hgce` (OAE7).
    high_gray_level_emphasis,
    /// \brief LargeDependenceEmphasis: \f$\sum p_d(j)j^2/N_z\f$. IBSI `ngl_hde` (IMOQ).
    large_dependence_emphasis,
    /// \brief LargeDependenceHighGrayLevelEmphasis: \f$\sum P i^2j^2/N_z\f$. IBSI `ngl_hdhge` (6DJU).
    large_dependence_high_gray_level_emphasis,
    /// \brief LargeDependenceLowGrayLevelEmphasis: \f$\sum P j^2/i^2/N_z\f$. IBSI `ngl_hdlge` (TDDO).
    large_dependence_low_gray_level_emphasis,
    /// \brief LowGrayLevelEmphasis: \f$\sum p_g(i)/i^2/N_z\f$. IBSI `ngl_lgce` (TL9H).
    low_gray_level_emphasis,
    /// \brief SmallDependenceEmphasis: \f$\sum p_d(j)/j^2/N_z\f$. IBSI `ngl_lde` (SODN).
    small_dependence_emphasis,
    /// \brief SmallDependenceHighGrayLevelEmphasis: \f$\sum P i^2/j^2/N_z\f$. IBSI `ngl_ldhge` (JA6D).
    small_dependence_high_gray_level_emphasis,
    /// \brief SmallDependenceLowGrayLevelEmphasis: \f$\sum P/(i^2j^2)/N_z\f$. IBSI `ngl_ldlge` (EQ3F).
    small_dependence_low_gray_level_emphasis,
    count
};

using gldm_values = std::array<double, static_cast<std::size_t>(gldm_feature::count)>;

/// Computes the GLDM features.
inline gldm_values gldm_features(const gldm_matrix_data& m)
{
    const auto s = detail::size_sums(m.cells, m.levels, m.max_size);
    gldm_values out{};
    const auto put = [&](gldm_feature f, double v) { out[static_cast<std::size_t>(f)] = v; };
    put(gldm_feature::dependence_entropy, s.entropy);
    put(gldm_feature::dependence_non_uniformity, s.size_nonuniformity);
    put(gldm_feature::dependence_non_uniformity_normalized, s.size_nonuniformity / s.total);
    put(gldm_feature::dependence_variance, s.size_variance);
    put(gldm_feature::gray_level_non_uniformity, s.level_nonuniformity);
    put(gldm_feature::gray_level_variance, s.level_variance);
    put(gldm_feature::high_gray_level_emphasis, s.high);
    put(gldm_feature::large_dependence_emphasis, s.large);
    put(gldm_feature::large_dependence_high_gray_level_emphasis, s.large_high);
    put(gldm_feature::large_dependence_low_gray_level_emphasis, s.large_low);
    put(gldm_feature::low_gray_level_emphasis, s.low);
    put(gldm_feature::small_dependence_emphasis, s.small);
    put(gldm_feature::small_dependence_high_gray_level_emphasis, s.small_high);
    put(gldm_feature::small_dependence_low_gray_level_emphasis, s.small_low);
    return out;
}

}  // namespace radiogenomics::features
