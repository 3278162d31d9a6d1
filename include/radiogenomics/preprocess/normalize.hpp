#pragma once
/// \file normalize.hpp
/// \brief Intensity normalisation: PyRadiomics `normalize` (z-score over the whole image, `normalizeScale`,
///        `removeOutliers`), z-score with statistics from a mask, and min–max rescaling.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/preprocess/crop.hpp"

namespace radiogenomics::preprocess {

/// Last-bit arithmetic of the z-score. Both use μ and σ as ITK `StatisticsImageFilter` computes them; they differ
/// in the final operation, which decides ties of LBP3D on the normalised image.
enum class normalize_arithmetic {
    /// SimpleITK `Normalize` = ITK 5.2 `NormalizeImageFilter`: \f$(x + (-\mu)) \cdot (1/\sigma)\f$ (what PyRadiomics
    /// runs with real SimpleITK; checked bit for bit against ITK).
    simpleitk,
    /// \f$(x - \mu)/\sigma\f$: the NumPy stand-in for SimpleITK with which the PyRadiomics references in
    /// shared/reference/pyradiomics were made (their README). Reproduces those runs on integer-valued images,
    /// whose sums are exact in any order; on fractional images the stand-in's summation order is not known.
    numpy_stand_in
};

/// Settings of PyRadiomics' image normalisation.
struct normalize_options {
    double scale = 1.0;                     ///< PyRadiomics `normalizeScale` (s)
    std::optional<double> remove_outliers;  ///< PyRadiomics `removeOutliers` (n, in σ); unset = keep all
    /// Final operation (not a PyRadiomics key; see `normalize_arithmetic`).
    normalize_arithmetic arithmetic = normalize_arithmetic::simpleitk;
};

/// Mean and standard deviation of a set of voxels.
struct intensity_statistics {
    double mean = 0.0;
    double sd = 0.0;         ///< sample standard deviation (divides by N − 1), as ITK `StatisticsImageFilter`
    std::size_t count = 0;
};

namespace detail {

/// Running sum with Kahan compensation, step for step as ITK `CompensatedSummation::AddElement`
/// (Kahan, Comm. ACM 8(1):40, 1965): the compensation holds the rounding error of the last addition, with the sign
/// ITK gives it (subtracted from the next element).
struct compensated_sum {
    double sum = 0.0;
    double compensation = 0.0;

    void add(double element)
    {
        const double corrected = element - compensation;
        const double next = sum + corrected;
        compensation = (next - sum) - corrected;
        sum = next;
    }
};

/// Mean and sample σ exactly as ITK `StatisticsImageFilter` (ITK 5.2) computes them for one work unit:
/// S and SS accumulated over the voxels in memory order (x fastest) in `compensated_sum`s, each then merged into a
/// zero accumulator the way ITK merges a work unit's partial sum (its compensation added first, then its sum),
/// and \f$\mu = S/N\f$, \f$\sigma^2 = (SS - S\cdot S/N)/(N - 1)\f$ in that operation order.
/// With several work units ITK merges partial sums in completion order; for integer-valued images S and SS are
/// exact (below 2^53) and every split gives these bits, otherwise ITK itself varies in the last bits.
template <class TPixel, std::size_t VDim, class TSelect>
intensity_statistics compute_statistics(const image<TPixel, VDim>& img, TSelect select, const char* where)
{
    require_finite(img, where);
    intensity_statistics s;
    compensated_sum part_sum;
    compensated_sum part_squares;
    for (std::size_t i = 0; i < img.size(); ++i) {
        if (select(i)) {
            const double x = static_cast<double>(img[i]);
            part_sum.add(x);
            part_squares.add(x * x);
            ++s.count;
        }
    }
    if (s.count < 2) {
        raise<invalid_argument>(where, "voxel count: got ", s.count,
                                ", expected at least 2 voxels to estimate a standard deviation.");
    }
    compensated_sum total_sum;
    total_sum.add(part_sum.compensation);
    total_sum.add(part_sum.sum);
    compensated_sum total_squares;
    total_squares.add(part_squares.compensation);
    total_squares.add(part_squares.sum);
    const double sum = total_sum.sum;
    const double squares = total_squares.sum;
    const double n = static_cast<double>(s.count);
    s.mean = sum / n;
    const double variance = (squares - sum * sum / n) / (n - 1.0);
    s.sd = std::sqrt(variance);
    if (!(s.sd > 0.0)) {
        raise<invalid_argument>(where, "standard deviation: got ", s.sd, " (intensities ", s.mean,
                                " nearly constant), expected > 0. A constant image cannot be normalised.");
    }
    return s;
}

/// \f$((x - \mu) \cdot \sigma^{-1})\f$, clipped to ±n, times s: ITK `NormalizeImageFilter` (a `ShiftScaleImageFilter`
/// with shift −μ and scale 1/σ, in double), then PyRadiomics' clipping and `image *= scale`; or
/// \f$(x - \mu)/\sigma\f$ for `normalize_arithmetic::numpy_stand_in`.
template <class TOut, class TPixel, std::size_t VDim>
image<TOut, VDim> apply_z_score(const image<TPixel, VDim>& img, const intensity_statistics& s,
                                const normalize_options& options)
{
    image<TOut, VDim> out(img.geometry());
    const double limit = options.remove_outliers ? *options.remove_outliers : 0.0;
    const double shift = -s.mean;
    const double scale = 1.0 / s.sd;
    const bool divide = options.arithmetic == normalize_arithmetic::numpy_stand_in;
    for (std::size_t i = 0; i < img.size(); ++i) {
        const double x = static_cast<double>(img[i]);
        double z = divide ? (x - s.mean) / s.sd : (x + shift) * scale;
        if (options.remove_outliers) {
            z = std::clamp(z, -limit, limit);
        }
        out[i] = static_cast<TOut>(z * options.scale);
    }
    return out;
}

inline void check_normalize_options(const normalize_options& options, const char* where)
{
    if (!std::isfinite(options.scale) || options.scale == 0.0) {
        raise<invalid_argument>(where, "scale (normalizeScale): got ", options.scale, ", expected a finite non-zero value.");
    }
    if (options.remove_outliers && !(*options.remove_outliers > 0.0 && std::isfinite(*options.remove_outliers))) {
        raise<invalid_argument>(where, "remove_outliers (removeOutliers): got ", *options.remove_outliers,
                                ", expected a finite value > 0 (standard deviations).");
    }
}

}  // namespace detail

/// Mean and sample standard deviation of every voxel (ITK `StatisticsImageFilter`, same arithmetic).
template <class TPixel, std::size_t VDim>
intensity_statistics image_statistics(const image<TPixel, VDim>& img)
{
    return detail::compute_statistics(img, [](std::size_t) { return true; }, "preprocess.image_statistics");
}

/// PyRadiomics image normalisation (`normalize: True`), over all voxels of the image (not only the ROI):
/// \f[ f(x) = s\,\frac{x - \mu_x}{\sigma_x}, \f]
/// with outliers (\f$|x - \mu_x| > n\sigma_x\f$) clipped to \f$\pm n\f$ before scaling when `remove_outliers = n`.
/// \f$\sigma_x\f$ is the sample standard deviation (N − 1), as `sitk.Normalize` (ITK `NormalizeImageFilter`).
/// Bit for bit as SimpleITK (ITK 5.2): μ and σ from compensated sums S, SS as `StatisticsImageFilter`
/// (\f$\sigma^2 = (SS - S^2/N)/(N-1)\f$, see `detail::compute_statistics`), then \f$(x - \mu)\cdot(1/\sigma)\f$ in
/// double, clipping, and the product with s (PyRadiomics `image *= scale`); `options.arithmetic` selects
/// \f$(x - \mu)/\sigma\f$ instead, as the shared PyRadiomics references' SimpleITK stand-in. Exact last bits matter:
/// LBP3D compares samples of the normalised image with its centre voxel, so flat regions tie on them.
/// \par PyRadiomics
/// `imageoperations.normalizeImage`, settings `normalize`, `normalizeScale`, `removeOutliers`.
/// \throws invalid_argument for NaN/Inf voxels, fewer than 2 voxels, a constant image or bad options.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> normalize(const image<TPixel, VDim>& img, const normalize_options& options = {})
{
    detail::check_normalize_options(options, "preprocess.normalize");
    const auto s = detail::compute_statistics(img, [](std::size_t) { return true; }, "preprocess.normalize");
    return detail::apply_z_score<TOut>(img, s, options);
}

/// z-score \f$(x - \mu)/\sigma\f$ of every voxel, with μ and σ (N − 1, computed as `normalize` does) taken over the
/// voxels of `mask` (non-zero, or equal to `label` when `label ≠ 0`).
/// \throws geometry_error for mismatched grids; mask_error for an empty mask/absent label.
template <class TOut = double, class TPixel, class TMask, std::size_t VDim>
image<TOut, VDim> z_score(const image<TPixel, VDim>& img, const image<TMask, VDim>& mask, TMask label = TMask{})
{
    require_same_grid(img.geometry(), mask.geometry(), "preprocess.z_score");
    if (count_label(mask, label) == 0) {
        raise<mask_error>("preprocess.z_score", "mask: got no voxel ",
                          label == TMask{} ? std::string("non-zero") : "with label " + std::to_string(+label),
                          ", expected at least 2. The mask is empty.");
    }
    const auto s = detail::compute_statistics(
        img, [&mask, label](std::size_t i) { return detail::mask_selects(mask[i], label); }, "preprocess.z_score");
    return detail::apply_z_score<TOut>(img, s, normalize_options{});
}

/// Min–max rescaling to `[new_min, new_max]`: \f$ f(x) = a + (b - a)\frac{x - \min x}{\max x - \min x} \f$
/// (ITK `RescaleIntensityImageFilter`).
/// \throws invalid_argument for NaN/Inf voxels, an empty or constant image, or `new_max <= new_min`.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> min_max(const image<TPixel, VDim>& img, double new_min = 0.0, double new_max = 1.0)
{
    if (!(new_max > new_min) || !std::isfinite(new_min) || !std::isfinite(new_max)) {
        raise<invalid_argument>("preprocess.min_max", "output range: got [", new_min, ", ", new_max,
                                "], expected finite new_min < new_max.");
    }
    if (img.empty()) {
        raise<invalid_argument>("preprocess.min_max", "image: got 0 voxels, expected at least 1.");
    }
    require_finite(img, "preprocess.min_max");
    double lo = static_cast<double>(img[0]);
    double hi = lo;
    for (std::size_t i = 1; i < img.size(); ++i) {
        lo = std::min(lo, static_cast<double>(img[i]));
        hi = std::max(hi, static_cast<double>(img[i]));
    }
    if (!(hi > lo)) {
        raise<invalid_argument>("preprocess.min_max", "intensity range: got a constant image (", lo,
                                "), expected max > min.");
    }
    image<TOut, VDim> out(img.geometry());
    const double scale = (new_max - new_min) / (hi - lo);
    for (std::size_t i = 0; i < img.size(); ++i) {
        out[i] = static_cast<TOut>(new_min + (static_cast<double>(img[i]) - lo) * scale);
    }
    return out;
}

}  // namespace radiogenomics::preprocess
