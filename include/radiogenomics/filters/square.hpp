#pragma once
/// \file square.hpp
/// \brief PyRadiomics' Square image type (`imageoperations.getSquareImage`).

#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/detail/intensity.hpp"

namespace radiogenomics::filters {

/// \brief Square filter with PyRadiomics' scaling: \f$ f(x) = (c\,x)^2,\; c = 1/\sqrt{\max|x|} \f$.
///
/// `max_abs_value` is \f$\max|x|\f$ over the whole image (see `max_abs`); pass it when `input` is a crop.
/// Computed in double as `(c * x) * (c * x)` (NumPy's `(coeff * im) ** 2`).
/// \par Boundary handling
/// None needed: voxel-wise. The output keeps `input`'s geometry.
/// \par Degenerate input
/// An all-zero image gives NaN everywhere (PyRadiomics: `1/sqrt(0) * 0`). NaN/Inf voxels throw `invalid_argument`.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> square(const image<TPixel, VDim>& input, double max_abs_value)
{
    detail::require_scale(max_abs_value, "filters.square");
    const double coeff = 1.0 / std::sqrt(max_abs_value);
    return detail::map_voxels<TOut>(input, "filters.square", [coeff](double x) {
        const double y = coeff * x;
        return y * y;
    });
}

/// Square filter scaled by the image's own \f$\max|x|\f$ (PyRadiomics on the whole image).
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> square(const image<TPixel, VDim>& input)
{
    return square<TOut>(input, max_abs(input));
}

}  // namespace radiogenomics::filters
