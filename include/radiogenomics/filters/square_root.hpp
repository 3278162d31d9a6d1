#pragma once
/// \file square_root.hpp
/// \brief PyRadiomics' SquareRoot image type (`imageoperations.getSquareRootImage`).

#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/detail/intensity.hpp"

namespace radiogenomics::filters {

/// \brief Square-root filter with PyRadiomics' scaling:
/// \f[ f(x) = \begin{cases} \sqrt{c\,x} & x > 0 \\ -\sqrt{-c\,x} & x < 0 \\ x & x = 0 \end{cases},
///     \quad c = \max|x| \f]
///
/// Negative intensities are allowed (PyRadiomics' rule: the sign is kept). `max_abs_value` is \f$\max|x|\f$ over the
/// whole image (pass it for a crop). Computed in double as `sqrt(x * c)`.
/// \par Boundary handling
/// None needed: voxel-wise. The output keeps `input`'s geometry.
/// \par Degenerate input
/// An all-zero image stays 0. NaN/Inf voxels throw `invalid_argument`.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> square_root(const image<TPixel, VDim>& input, double max_abs_value)
{
    detail::require_scale(max_abs_value, "filters.square_root");
    const double coeff = max_abs_value;
    return detail::map_voxels<TOut>(input, "filters.square_root", [coeff](double x) {
        if (x > 0.0) {
            return std::sqrt(x * coeff);
        }
        if (x < 0.0) {
            return -std::sqrt(-x * coeff);
        }
        return x;
    });
}

/// Square-root filter scaled by the image's own \f$\max|x|\f$.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> square_root(const image<TPixel, VDim>& input)
{
    return square_root<TOut>(input, max_abs(input));
}

}  // namespace radiogenomics::filters
