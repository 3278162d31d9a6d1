#pragma once
/// \file feature_table.hpp
/// \brief PyRadiomics feature names <-> computed slots <-> IBSI tags, per feature class.
///
/// The rows of each class are in PyRadiomics' output order (sorted by its `get<Name>FeatureValue`
/// method name) and in the order of the class's `*_feature` enum, so row r is slot r of the values array
/// the class computes. `default_enabled` marks the features PyRadiomics enables for `featureClass:
/// {<class>: null}` (deprecated and non-default ones are false). `ibsi_tag` is empty where IBSI has no
/// counterpart; the pairing follows `ibsi1/pyradiomics_mapping.csv`.

#include <array>
#include <cstddef>
#include <string_view>

namespace radiogenomics::features {

/// Feature classes, in the order PyRadiomics' extractor computes them for the study's settings; `shape_2d`
/// (PyRadiomics `shape2D`, only with force2D) comes last so the study's indices stay stable.
enum class feature_class : std::size_t { first_order, shape, glcm, glrlm, glszm, gldm, ngtdm, shape_2d, count };

/// PyRadiomics class names (`firstorder`, `shape`, ..., `shape2D`).
inline constexpr std::array<std::string_view, 8> feature_class_names{
    "firstorder", "shape", "glcm", "glrlm", "glszm", "gldm", "ngtdm", "shape2D"};

/// True for the classes computed once on the original image's mask (`shape`, `shape2D`), not per image type.
constexpr bool is_shape_class(feature_class c) noexcept
{
    return c == feature_class::shape || c == feature_class::shape_2d;
}

/// One row of the table.
struct feature_info {
    std::string_view name;      ///< PyRadiomics feature name, e.g. "JointEnergy"
    std::string_view ibsi_tag;  ///< IBSI compliance tag, e.g. "cm_energy", or empty
    bool default_enabled;       ///< enabled by PyRadiomics by default
};

inline constexpr std::array<feature_info, 19> first_order_table{{
    {"10Percentile", "stat_p10", true},
    {"90Percentile", "stat_p90", true},
    {"Energy", "stat_energy", true},
    {"Entropy", "ih_entropy", true},
    {"InterquartileRange", "stat_iqr", true},
    {"Kurtosis", "stat_kurt", true},
    {"Maximum", "stat_max", true},
    {"MeanAbsoluteDeviation", "stat_mad", true},
    {"Mean", "stat_mean", true},
    {"Median", "stat_median", true},
    {"Minimum", "stat_min", true},
    {"Range", "stat_range", true},
    {"RobustMeanAbsoluteDeviation", "stat_rmad", true},
    {"RootMeanSquared", "stat_rms", true},
    {"Skewness", "stat_skew", true},
    {"StandardDeviation", "", false},
    {"TotalEnergy", "", true},
    {"Uniformity", "ih_uniformity", true},
    {"Variance", "stat_var", true},
}};

inline constexpr std::array<feature_info, 17> shape_table{{
    {"Compactness1", "morph_comp_1", false},
    {"Compactness2", "morph_comp_2", false},
    {"Elongation", "morph_pca_elongation", true},
    {"Flatness", "morph_pca_flatness", true},
    {"LeastAxisLength", "morph_pca_least_axis", true},
    {"MajorAxisLength", "morph_pca_maj_axis", true},
    {"Maximum2DDiameterColumn", "", true},
    {"Maximum2DDiameterRow", "", true},
    {"Maximum2DDiameterSlice", "", true},
    {"Maximum3DDiameter", "morph_diam", true},
    {"MeshVolume", "morph_volume", true},
    {"MinorAxisLength", "morph_pca_min_axis", true},
    {"SphericalDisproportion", "morph_sph_dispr", false},
    {"Sphericity", "morph_sphericity", true},
    {"SurfaceArea", "morph_area_mesh", true},
    {"SurfaceVolumeRatio", "morph_av", true},
    {"VoxelVolume", "morph_vol_approx", true},
}};

inline constexpr std::array<feature_info, 24> glcm_table{{
    {"Autocorrelation", "cm_auto_corr", true},
    {"ClusterProminence", "cm_clust_prom", true},
    {"ClusterShade", "cm_clust_shade", true},
    {"ClusterTendency", "cm_clust_tend", true},
    {"Contrast", "cm_contrast", true},
    {"Correlation", "cm_corr", true},
    {"DifferenceAverage", "cm_diff_avg", true},
    {"DifferenceEntropy", "cm_diff_entr", true},
    {"DifferenceVariance", "cm_diff_var", true},
    {"Id", "cm_inv_diff", true},
    {"Idm", "cm_inv_diff_mom", true},
    {"Idmn", "cm_inv_diff_mom_norm", true},
    {"Idn", "cm_inv_diff_norm", true},
    {"Imc1", "cm_info_corr1", true},
    {"Imc2", "cm_info_corr2", true},
    {"InverseVariance", "cm_inv_var", true},
    {"JointAverage", "cm_joint_avg", true},
    {"JointEnergy", "cm_energy", true},
    {"JointEntropy", "cm_joint_entr", true},
    {"MCC", "", true},
    {"MaximumProbability", "cm_joint_max", true},
    {"SumAverage", "cm_sum_avg", true},
    {"SumEntropy", "cm_sum_entr", true},
    {"SumSquares", "cm_joint_var", true},
}};

inline constexpr std::array<feature_info, 16> glrlm_table{{
    {"GrayLevelNonUniformity", "rlm_glnu", true},
    {"GrayLevelNonUniformityNormalized", "rlm_glnu_norm", true},
    {"GrayLevelVariance", "rlm_gl_var", true},
    {"HighGrayLevelRunEmphasis", "rlm_hgre", true},
    {"LongRunEmphasis", "rlm_lre", true},
    {"LongRunHighGrayLevelEmphasis", "rlm_lrhge", true},
    {"LongRunLowGrayLevelEmphasis", "rlm_lrlge", true},
    {"LowGrayLevelRunEmphasis", "rlm_lgre", true},
    {"RunEntropy", "rlm_rl_entr", true},
    {"RunLengthNonUniformity", "rlm_rlnu", true},
    {"RunLengthNonUniformityNormalized", "rlm_rlnu_norm", true},
    {"RunPercentage", "rlm_r_perc", true},
    {"RunVariance", "rlm_rl_var", true},
    {"ShortRunEmphasis", "rlm_sre", true},
    {"ShortRunHighGrayLevelEmphasis", "rlm_srhge", true},
    {"ShortRunLowGrayLevelEmphasis", "rlm_srlge", true},
}};

inline constexpr std::array<feature_info, 16> glszm_table{{
    {"GrayLevelNonUniformity", "szm_glnu", true},
    {"GrayLevelNonUniformityNormalized", "szm_glnu_norm", true},
    {"GrayLevelVariance", "szm_gl_var", true},
    {"HighGrayLevelZoneEmphasis", "szm_hgze", true},
    {"LargeAreaEmphasis", "szm_lze", true},
    {"LargeAreaHighGrayLevelEmphasis", "szm_lzhge", true},
    {"LargeAreaLowGrayLevelEmphasis", "szm_lzlge", true},
    {"LowGrayLevelZoneEmphasis", "szm_lgze", true},
    {"SizeZoneNonUniformity", "szm_zsnu", true},
    {"SizeZoneNonUniformityNormalized", "szm_zsnu_norm", true},
    {"SmallAreaEmphasis", "szm_sze", true},
    {"SmallAreaHighGrayLevelEmphasis", "szm_szhge", true},
    {"SmallAreaLowGrayLevelEmphasis", "szm_szlge", true},
    {"ZoneEntropy", "szm_zs_entr", true},
    {"ZonePercentage", "szm_z_perc", true},
    {"ZoneVariance", "szm_zs_var", true},
}};

inline constexpr std::array<feature_info, 14> gldm_table{{
    {"DependenceEntropy", "ngl_dc_entr", true},
    {"DependenceNonUniformity", "ngl_dcnu", true},
    {"DependenceNonUniformityNormalized", "ngl_dcnu_norm", true},
    {"DependenceVariance", "ngl_dc_var", true},
    {"GrayLevelNonUniformity", "ngl_glnu", true},
    {"GrayLevelVariance", "ngl_gl_var", true},
    {"HighGrayLevelEmphasis", "ngl_hgce", true},
    {"LargeDependenceEmphasis", "ngl_hde", true},
    {"LargeDependenceHighGrayLevelEmphasis", "ngl_hdhge", true},
    {"LargeDependenceLowGrayLevelEmphasis", "ngl_hdlge", true},
    {"LowGrayLevelEmphasis", "ngl_lgce", true},
    {"SmallDependenceEmphasis", "ngl_lde", true},
    {"SmallDependenceHighGrayLevelEmphasis", "ngl_ldhge", true},
    {"SmallDependenceLowGrayLevelEmphasis", "ngl_ldlge", true},
}};

inline constexpr std::array<feature_info, 5> ngtdm_table{{
    {"Busyness", "ngt_busyness", true},
    {"Coarseness", "ngt_coarseness", true},
    {"Complexity", "ngt_complexity", true},
    {"Contrast", "ngt_contrast", true},
    {"Strength", "ngt_strength", true},
}};

/// Names of class `shape2D` in PyRadiomics' output order (row r is slot r of `shape_2d_values`).
inline constexpr std::array<feature_info, 10> shape_2d_table{{
    {"Elongation", "", true},
    {"MajorAxisLength", "", true},
    {"MaximumDiameter", "", true},
    {"MeshSurface", "", true},
    {"MinorAxisLength", "", true},
    {"Perimeter", "", true},
    {"PerimeterSurfaceRatio", "", true},
    {"PixelSurface", "", true},
    {"SphericalDisproportion", "", false},
    {"Sphericity", "", true},
}};

/// One feature class: its enum value, PyRadiomics name and table rows (row r = slot r of the values the class
/// computes). `feature_classes[c]` describes `feature_class(c)`: the one list the extractor, the parameter-file
/// reader, the batch runner and the tests read (no per-file `switch` over classes).
struct feature_class_info {
    feature_class which;
    std::string_view name;
    const feature_info* rows;
    std::size_t size;

    const feature_info* begin() const { return rows; }
    const feature_info* end() const { return rows + size; }
};

inline constexpr std::array<feature_class_info, static_cast<std::size_t>(feature_class::count)> feature_classes{{
    {feature_class::first_order, "firstorder", first_order_table.data(), first_order_table.size()},
    {feature_class::shape, "shape", shape_table.data(), shape_table.size()},
    {feature_class::glcm, "glcm", glcm_table.data(), glcm_table.size()},
    {feature_class::glrlm, "glrlm", glrlm_table.data(), glrlm_table.size()},
    {feature_class::glszm, "glszm", glszm_table.data(), glszm_table.size()},
    {feature_class::gldm, "gldm", gldm_table.data(), gldm_table.size()},
    {feature_class::ngtdm, "ngtdm", ngtdm_table.data(), ngtdm_table.size()},
    {feature_class::shape_2d, "shape2D", shape_2d_table.data(), shape_2d_table.size()},
}};

namespace detail {

constexpr bool feature_class_table_matches_enum()
{
    for (std::size_t c = 0; c < feature_classes.size(); ++c) {
        if (static_cast<std::size_t>(feature_classes[c].which) != c || feature_classes[c].name != feature_class_names[c]) {
            return false;
        }
    }
    return true;
}

}  // namespace detail

static_assert(detail::feature_class_table_matches_enum(),
              "feature_classes must list every feature_class in enum order with feature_class_names' names");

/// The table entry of a class (`feature_classes[c]`).
constexpr const feature_class_info& class_info(feature_class c)
{
    return feature_classes[static_cast<std::size_t>(c)];
}

/// The class named `name` (PyRadiomics' `firstorder`, ..., `shape2D`), or `feature_class::count` when unknown.
constexpr feature_class parse_feature_class(std::string_view name)
{
    for (const auto& info : feature_classes) {
        if (info.name == name) {
            return info.which;
        }
    }
    return feature_class::count;
}

}  // namespace radiogenomics::features
