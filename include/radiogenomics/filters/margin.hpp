#pragma once
/// \file margin.hpp
/// \brief What each filter needs around a region so that filtering a crop equals filtering the whole image
/// there (the extractor filters only the mask's bounding box plus this margin).

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_2d.hpp"
#include "radiogenomics/filters/local_binary_pattern_3d.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"

namespace radiogenomics::filters {

/// The context a filter needs for a crop.
struct filter_margin {
    std::array<std::size_t, 3> voxels{};  ///< margin per axis (voxels) on each side
    /// true when an axis whose crop touches the image border must be taken whole (periodic wavelet wrap).
    bool full_axis_at_border = false;
    /// true when the filter scales by max|x| of the whole image (square, squareroot, logarithm, exponential):
    /// compute `max_abs` on the whole image and pass it to the filter.
    bool needs_whole_image_max_abs = false;
};

/// Parameters of the filters whose margin depends on them.
struct filter_margin_parameters {
    double log_sigma_mm = 1.0;       ///< for image_type::log
    wavelet_options wavelet{};       ///< for image_type::wavelet
    lbp3d_options lbp{};             ///< for image_type::lbp3d
    lbp2d_options lbp2d{};           ///< for image_type::lbp2d
    /// Relative boundary influence accepted for the recursive LoG: 1e-9 of the image's dynamic range, far below
    /// the float32 output's own rounding (6e-8 relative) and the 1e-6 agreement required with PyRadiomics
    /// (tests/filters crop-vs-whole, tests/features `log_block_matches_whole_image`).
    double log_tolerance = 1e-9;
};

/// \brief The margin `type` needs on a grid of `spacing` (mm).
/// - original: 0; square/squareroot/logarithm/exponential: 0 but the whole-image max|x|;
/// - gradient: 1 voxel (central differences);
/// - LoG (recursive): `recursive_log_margin` (IIR decay below `log_tolerance`);
/// - wavelet: `wavelet_margin`, whole axis where the crop reaches the border (periodic wrap);
/// - LBP3D: `lbp3d_margin` (sampling radius, spline support, prefilter decay).
/// - LBP2D: `lbp2d_margin` (sampling radius; outside the image reads 0, so a crop clamped at the border is exact).
/// A crop clamped at the image border is exact for every filter except the wavelet, whose wrap needs the far side.
inline filter_margin required_margin(image_type type, const std::array<double, 3>& spacing,
                                     const filter_margin_parameters& parameters = {})
{
    filter_margin m;
    switch (type) {
    case image_type::original: break;
    case image_type::square:
    case image_type::square_root:
    case image_type::logarithm:
    case image_type::exponential: m.needs_whole_image_max_abs = true; break;
    case image_type::gradient: m.voxels = {1, 1, 1}; break;
    case image_type::log:
        m.voxels = recursive_log_margin(spacing, parameters.log_sigma_mm, parameters.log_tolerance);
        break;
    case image_type::wavelet: {
        const std::size_t w = wavelet_margin(parameters.wavelet);
        m.voxels = {w, w, w};
        m.full_axis_at_border = true;
        break;
    }
    case image_type::lbp3d: {
        const std::size_t w = lbp3d_margin(parameters.lbp);
        m.voxels = {w, w, w};
        break;
    }
    case image_type::lbp2d: {
        const std::size_t w = lbp2d_margin(parameters.lbp2d);
        m.voxels = {w, w, w};
        break;
    }
    }
    return m;
}

/// A crop: start index and size.
struct crop_box {
    std::array<std::ptrdiff_t, 3> start{};
    std::array<std::size_t, 3> size{};
};

/// Bounding box of the voxels of `mask` equal to `label`; throws `mask_error` if there are none.
inline crop_box label_bounding_box(const mask_image<3>& mask, std::uint8_t label = 1)
{
    std::array<std::size_t, 3> lo{mask.shape()};
    std::array<std::size_t, 3> hi{};
    bool found = false;
    for (std::size_t k = 0; k < mask.shape()[2]; ++k) {
        for (std::size_t j = 0; j < mask.shape()[1]; ++j) {
            for (std::size_t i = 0; i < mask.shape()[0]; ++i) {
                if (mask(i, j, k) == label) {
                    const std::array<std::size_t, 3> p{i, j, k};
                    for (std::size_t d = 0; d < 3; ++d) {
                        lo[d] = std::min(lo[d], p[d]);
                        hi[d] = std::max(hi[d], p[d]);
                    }
                    found = true;
                }
            }
        }
    }
    if (!found) {
        raise<mask_error>("filters.label_bounding_box", "voxels with label ", static_cast<int>(label),
                          ": got 0, expected at least 1.");
    }
    crop_box box;
    for (std::size_t d = 0; d < 3; ++d) {
        box.start[d] = static_cast<std::ptrdiff_t>(lo[d]);
        box.size[d] = hi[d] - lo[d] + 1;
    }
    return box;
}

/// `box` grown by `margin` and clamped to `shape`; an axis that reaches the border becomes whole when
/// `margin.full_axis_at_border`.
inline crop_box expand_crop(const crop_box& box, const filter_margin& margin, const std::array<std::size_t, 3>& shape)
{
    crop_box out;
    for (std::size_t d = 0; d < 3; ++d) {
        const std::ptrdiff_t m = static_cast<std::ptrdiff_t>(margin.voxels[d]);
        std::ptrdiff_t lo = box.start[d] - m;
        std::ptrdiff_t hi = box.start[d] + static_cast<std::ptrdiff_t>(box.size[d]) - 1 + m;
        const std::ptrdiff_t last = static_cast<std::ptrdiff_t>(shape[d]) - 1;
        const bool touches = lo <= 0 || hi >= last;
        lo = std::max<std::ptrdiff_t>(lo, 0);
        hi = std::min(hi, last);
        if (touches && margin.full_axis_at_border) {
            lo = 0;
            hi = last;
        }
        out.start[d] = lo;
        out.size[d] = static_cast<std::size_t>(hi - lo + 1);
    }
    return out;
}

}  // namespace radiogenomics::filters
