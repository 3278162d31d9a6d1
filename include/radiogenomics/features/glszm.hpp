#pragma once
/// \file glszm.hpp
/// \brief GLSZM features, PyRadiomics class `glszm` (16 default features).
///
/// Symbols (PyRadiomics docs): \f$P(i,j)\f$ zones of level i and size j, \f$N_z=\sum P\f$ zones,
/// \f$N_p\f$ ROI voxels, \f$p_g(i)=\sum_j P(i,j)\f$, \f$p_s(j)=\sum_i P(i,j)\f$, \f$p(i,j)=P(i,j)/N_z\f$.
/// IBSI aggregation: "3D" (KOBO); with force2D PyRadiomics pairs with "2.5D".
///
/// \par Degenerate input
/// One zone (flat ROI, connected): GrayLevelVariance 0, ZoneVariance 0, ZoneEntropy
/// \f$-\log_2(1+\epsilon)\f$, ZonePercentage \f$1/N_p\f$.

#include <array>
#include <cstddef>

#include "radiogenomics/features/glszm_matrix.hpp"

namespace radiogenomics::features {

/// GLSZM features in PyRadiomics' output order.
enum class glszm_feature : std::size_t {
    /// \brief GrayLevelNonUniformity: \f$\sum_i p_g(i)^2/N_z\f$. IBSI `szm_glnu` (JNSA).
    gray_level_non_uniformity,
    /// \brief GrayLevelNonUniformityNormalized: \f$\sum_i p_g(i)^2/N_z^2\f$. IBSI `szm_glnu_norm` (Y1RO).
    gray_level_non_uniformity_normalized,
    /// \brief GrayLevelVariance: \f$\sum_i (p_g(i)/N_z)(i-\mu)^2\f$. IBSI `szm_gl_var` (BYLV).
    gray_level_variance,
    /// \brief HighGrayLevelZoneEmphasis: \f$\sum p_g(i)i^2/N_z\f$. IBSI `szm_hgze` (5GN9).
    high_gray_level_zone_emphasis,
    /// \brief LargeAreaEmphasis: \f$\sum p_s(j)j^2/N_z\f$. IBSI `szm_lze` (48P8).
    large_area_emphasis,
    /// \brief LargeAreaHighGrayLevelEmphasis: \f$\sum P i^2j^2/N_z\f$. IBSI `szm_lzhge` (J17V).
    large_area_high_gray_level_emphasis,
    /// \brief LargeAreaLowGrayLevelEmphasis: \f$\sum P j^2/i^2/N_z\f$. IBSI `szm_lzlge` (24ZE).
    large_area_low_gray_level_emphasis,
    /// \brief LowGrayLevelZoneEmphasis: \f$\sum p_g(i)/i^2/N_z\f$. IBSI `szm_lgze` (XMSY).
    low_gray_level_zone_emphasis,
    /// \brief SizeZoneNonUniformity: \f$\sum_j p_s(j)^2/N_z\f$. IBSI `szm_zsnu` (4JP3).
    size_zone_non_uniformity,
    /// \brief SizeZoneNonUniformityNormalized: \f$\sum_j p_s(j)^2/N_z^2\f$. IBSI `szm_zsnu_norm` (VB3A).
    size_zone_non_uniformity_normalized,
    /// \brief SmallAreaEmphasis: \f$\sum p_s(j)/j^2/N_z\f$. IBSI `szm_sze` (5QRC).
    small_area_emphasis,
    /// \brief SmallAreaHighGrayLevelEmphasis: \f$\sum P i^2/j^2/N_z\f$. IBSI `szm_szhge` (HW1V).
    small_area_high_gray_level_emphasis,
    /// \brief SmallAreaLowGrayLevelEmphasis: \f$\sum P/(i^2j^2)/N_z\f$. IBSI `szm_szlge` (5RAI).
    small_area_low_gray_level_emphasis,
    /// \brief ZoneEntropy: \f$-\sum p(i,j)\log_2(p(i,j)+\epsilon)\f$. IBSI `szm_zs_entr` (GU8N).
    zone_entropy,
    /// \brief ZonePercentage: \f$N_z/N_p\f$. IBSI `szm_z_perc` (P30P).
    zone_percentage,
    /// \brief ZoneVariance: \f$\sum_j (p_s(j)/N_z)(j-\mu_s)^2\f$. IBSI `szm_zs_var` (3NSA).
    zone_variance,
    count
};

using glszm_values = std::array<double, static_cast<std::size_t>(glszm_feature::count)>;

/// Computes the GLSZM features.
inline glszm_values glszm_features(const glszm_matrix_data& m)
{
    const auto s = detail::size_sums(m.cells, m.levels, m.max_size);
    glszm_values out{};
    const auto put = [&](glszm_feature f, double v) { out[static_cast<std::size_t>(f)] = v; };
    put(glszm_feature::gray_level_non_uniformity, s.level_nonuniformity);
    put(glszm_feature::gray_level_non_uniformity_normalized, s.level_nonuniformity / s.total);
    put(glszm_feature::gray_level_variance, s.level_variance);
    put(glszm_feature::high_gray_level_zone_emphasis, s.high);
    put(glszm_feature::large_area_emphasis, s.large);
    put(glszm_feature::large_area_high_gray_level_emphasis, s.large_high);
    put(glszm_feature::large_area_low_gray_level_emphasis, s.large_low);
    put(glszm_feature::low_gray_level_zone_emphasis, s.low);
    put(glszm_feature::size_zone_non_uniformity, s.size_nonuniformity);
    put(glszm_feature::size_zone_non_uniformity_normalized, s.size_nonuniformity / s.total);
    put(glszm_feature::small_area_emphasis, s.small);
    put(glszm_feature::small_area_high_gray_level_emphasis, s.small_high);
    put(glszm_feature::small_area_low_gray_level_emphasis, s.small_low);
    put(glszm_feature::zone_entropy, s.entropy);
    put(glszm_feature::zone_percentage, s.total / static_cast<double>(m.voxel_count));
    put(glszm_feature::zone_variance, s.size_variance);
    return out;
}

}  // namespace radiogenomics::features
