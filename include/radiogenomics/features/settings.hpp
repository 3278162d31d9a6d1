#pragma once
/// \file settings.hpp
/// \brief Feature-extraction settings mirroring PyRadiomics' `setting` keys (snake_case members).
///
/// Defaults are PyRadiomics' built-in defaults (radiomics/featureextractor.py and the feature classes,
/// AIM-Harvard/pyradiomics 3.1): binWidth 25, distances [1], symmetricalGLCM true, gldm_a 0,
/// minimumROIDimensions 2, padDistance 5, label 1, voxelArrayShift 0, force2D false.

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

namespace radiogenomics::features {

/// Settings shared by all feature classes. Each member names its PyRadiomics key.
struct settings {
    /// `binWidth`: fixed bin width; edges at multiples of the width counted from floor(min / w) * w.
    double bin_width = 25.0;
    /// `binCount`: when set, fixed bin number over [min, max] of the ROI (overrides `bin_width`).
    std::optional<int> bin_count;
    /// `resegmentRange`: [lower, upper] (inclusive) intensity range; ROI voxels outside are removed
    /// from every class except shape (PyRadiomics `resegmentShape` false). Use +-infinity for an open side.
    std::optional<std::array<double, 2>> resegment_range;
    /// `voxelArrayShift`: added to intensities before Energy, TotalEnergy and RootMeanSquared.
    double voxel_array_shift = 0.0;
    /// `label`: mask value that marks the ROI.
    int label = 1;
    /// `minimumROIDimensions`: the ROI bounding box must have at least this many axes longer than 1.
    int minimum_roi_dimensions = 2;
    /// `minimumROISize`: minimum number of ROI voxels (unset = no check).
    std::optional<std::size_t> minimum_roi_size;
    /// `padDistance`: voxels added around the bounding box when cropping filtered images; it also bounds
    /// the texture angles of a very thin image (PyRadiomics limits offsets by the cropped size).
    int pad_distance = 5;
    /// `distances`: GLCM / GLDM / NGTDM neighbour distances (Chebyshev norm).
    std::vector<int> distances{1};
    /// `symmetricalGLCM`: add the transpose to every GLCM.
    bool symmetrical_glcm = true;
    /// `gldm_a`: GLDM dependence tolerance alpha (|i - j| <= alpha is dependent).
    double gldm_a = 0.0;
    /// `force2D`: texture in-plane only (no offsets along `force_2d_dimension`).
    bool force_2d = false;
    /// `force2Ddimension`: the axis treated as "out of plane". The one convention, used everywhere this setting is
    /// read: PyRadiomics' numpy axis order (z, y, x), i.e. 0 = z (axial slices, the x-y planes), 1 = y, 2 = x; our
    /// image index axis is `2 - force_2d_dimension` (`image` indexes (x, y, z)).
    int force_2d_dimension = 0;
    /// `normalize`: z-score the whole image ((x - mean) / sd, sd with N - 1) before any filter.
    bool normalize = false;
    /// `normalizeScale`: factor applied after normalisation.
    double normalize_scale = 1.0;
    /// Not a PyRadiomics key (`ibsiCompliant`): switch the features whose PyRadiomics definition
    /// differs from IBSI to the IBSI definition, keeping PyRadiomics names: fixed-bin-width discretisation
    /// from the re-segmentation lower bound (IBSI 3.4.3) and PCA axis lengths from the sample covariance.
    /// Kurtosis keeps PyRadiomics' (non-excess) convention: IBSI `stat_kurt` = Kurtosis - 3.
    bool ibsi_compliant = false;
};

}  // namespace radiogenomics::features
