#pragma once
/// \file gradient_magnitude.hpp
/// \brief PyRadiomics' Gradient image type: ITK/SimpleITK `GradientMagnitudeImageFilter`.

#include <array>
#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::filters {

/// \brief Gradient magnitude by central differences:
/// \f[ |\nabla f|(\mathbf{i}) = \sqrt{\sum_d \left(\frac{f(\mathbf{i} + \mathbf{e}_d) - f(\mathbf{i} - \mathbf{e}_d)}
///     {2\,s_d}\right)^2} \f]
/// with \f$s_d\f$ the spacing of axis d when `use_spacing` (PyRadiomics' `gradientUseSpacing`, default true),
/// else 1. This is ITK's `GradientMagnitudeImageFilter` (first-order `DerivativeOperator`, coefficients
/// ±0.5 scaled by 1/s_d, inner product in double), which SimpleITK runs with float32 output: use
/// `TOut = float` to reproduce PyRadiomics' image bit for bit, `double` to keep full precision.
/// \par Boundary handling
/// Zero-flux Neumann (ITK's default, `nearest`): a neighbour outside the image is the edge voxel, so the
/// derivative across an edge is the one-sided half difference. The direction cosines play no part (as ITK).
/// The output keeps `input`'s geometry.
/// \par Crops
/// Needs a margin of 1 voxel; a crop that touches the image border must keep that border (clamped crop).
/// \par Degenerate input
/// NaN/Inf voxels throw `invalid_argument`; an axis of length 1 has derivative 0.
template <class TOut = float, class TPixel, std::size_t VDim>
image<TOut, VDim> gradient_magnitude(const image<TPixel, VDim>& input, bool use_spacing = true)
{
    require_finite(input, "filters.gradient_magnitude");
    image<TOut, VDim> out(input.geometry());
    if (input.empty()) {
        return out;
    }
    const auto& shape = input.shape();
    std::array<std::size_t, VDim> stride{};
    std::array<double, VDim> c_minus{};
    std::array<double, VDim> c_plus{};
    std::size_t s = 1;
    for (std::size_t d = 0; d < VDim; ++d) {
        stride[d] = s;
        s *= shape[d];
        const double scale = use_spacing ? 1.0 / input.spacing()[d] : 1.0;
        c_minus[d] = -0.5 * scale;
        c_plus[d] = 0.5 * scale;
    }
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(input.size());
    RG_PARALLEL_FOR
    for (std::ptrdiff_t linear = 0; linear < n; ++linear) {
        const std::size_t at = static_cast<std::size_t>(linear);
        std::size_t rest = at;
        double sum_squares = 0.0;
        for (std::size_t d = 0; d < VDim; ++d) {
            const std::size_t i = rest % shape[d];
            rest /= shape[d];
            const std::size_t below = i > 0 ? at - stride[d] : at;
            const std::size_t above = i + 1 < shape[d] ? at + stride[d] : at;
            // ITK's inner product over the 3-voxel neighbourhood, in neighbourhood order.
            double g = 0.0;
            g += c_minus[d] * static_cast<double>(input[below]);
            g += 0.0 * static_cast<double>(input[at]);
            g += c_plus[d] * static_cast<double>(input[above]);
            sum_squares += g * g;
        }
        out[at] = static_cast<TOut>(std::sqrt(sum_squares));
    }
    return out;
}

}  // namespace radiogenomics::filters
