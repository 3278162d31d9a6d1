#pragma once
/// \file logarithm.hpp
/// \brief PyRadiomics' Logarithm image type (`imageoperations.getLogarithmImage`).

#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/detail/intensity.hpp"

namespace radiogenomics::filters {

/// \brief Logarithm filter with PyRadiomics' scaling:
/// \f[ f(x) = \begin{cases} c\log(x + 1) & x > 0 \\ -c\log(-x + 1) & x < 0 \\ 0 & x = 0\end{cases},
///     \quad c = \frac{\max|x|}{\log(\max|x| + 1)} \f]
///
/// PyRadiomics divides by the maximum of the transformed magnitudes, which is \f$\log(\max|x| + 1)\f$ because the
/// map is monotone; the product is taken as `y * (max / log(max + 1))` as NumPy does. `max_abs_value` is
/// \f$\max|x|\f$ over the whole image (pass it for a crop). Negative intensities keep their sign.
/// \par Boundary handling
/// None needed: voxel-wise. The output keeps `input`'s geometry.
/// \par Degenerate input
/// An all-zero image gives NaN everywhere (PyRadiomics: `0 * (0 / 0)`). NaN/Inf voxels throw `invalid_argument`.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> logarithm(const image<TPixel, VDim>& input, double max_abs_value)
{
    detail::require_scale(max_abs_value, "filters.logarithm");
    const double scale = max_abs_value / std::log(max_abs_value + 1.0);
    return detail::map_voxels<TOut>(input, "filters.logarithm", [scale](double x) {
        double y = x;
        if (x > 0.0) {
            y = std::log(x + 1.0);
        } else if (x < 0.0) {
            y = -std::log(-(x - 1.0));
        }
        return y * scale;
    });
}

/// Logarithm filter scaled by the image's own \f$\max|x|\f$.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> logarithm(const image<TPixel, VDim>& input)
{
    return logarithm<TOut>(input, max_abs(input));
}

}  // namespace radiogenomics::filters
