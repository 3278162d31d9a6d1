#pragma once
/// \file exponential.hpp
/// \brief PyRadiomics' Exponential image type (`imageoperations.getExponentialImage`).

#include <cmath>
#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/detail/intensity.hpp"

namespace radiogenomics::filters {

/// \brief Exponential filter with PyRadiomics' scaling: \f$ f(x) = e^{c\,x},\; c = \log(\max|x|)/\max|x| \f$.
///
/// The largest intensity maps to \f$\max|x|\f$; a CT image in HU maps to [0, ~1000) with most tissue near 0-25
/// (PyRadiomics' reference then puts the ROI in one bin of width 25). `max_abs_value` is \f$\max|x|\f$ over the
/// whole image (pass it for a crop).
/// \par Boundary handling
/// None needed: voxel-wise. The output keeps `input`'s geometry.
/// \par Degenerate input
/// An all-zero image gives NaN everywhere (PyRadiomics: `exp(-inf * 0)`). NaN/Inf voxels throw `invalid_argument`.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> exponential(const image<TPixel, VDim>& input, double max_abs_value)
{
    detail::require_scale(max_abs_value, "filters.exponential");
    const double coeff = std::log(max_abs_value) / max_abs_value;
    return detail::map_voxels<TOut>(input, "filters.exponential", [coeff](double x) { return std::exp(coeff * x); });
}

/// Exponential filter scaled by the image's own \f$\max|x|\f$.
template <class TOut = double, class TPixel, std::size_t VDim>
image<TOut, VDim> exponential(const image<TPixel, VDim>& input)
{
    return exponential<TOut>(input, max_abs(input));
}

}  // namespace radiogenomics::filters
