#pragma once
/// \file intensity.hpp
/// \brief Internal helpers of the voxel-wise filters (square, square root, logarithm, exponential).

#include <cmath>
#include <cstddef>
#include <string>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::filters {

/// \brief `max |x|` over every voxel, as a double (PyRadiomics' scale reference of the voxel-wise filters).
///
/// PyRadiomics takes it over the **whole image**, so a caller that filters a crop must compute it on the
/// whole image and pass it to the filter's second overload. Throws `invalid_argument` for an empty image or a
/// NaN/Inf voxel.
template <class TPixel, std::size_t VDim>
double max_abs(const image<TPixel, VDim>& input)
{
    if (input.empty()) {
        raise<invalid_argument>("filters.max_abs", "image size: got 0 voxels, expected at least 1.");
    }
    require_finite(input, "filters.max_abs");
    double m = 0.0;
    const std::size_t n = input.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double v = std::abs(static_cast<double>(input[i]));
        m = v > m ? v : m;
    }
    return m;
}

namespace detail {

/// Applies `f(double)` to every voxel (converted to double first, as PyRadiomics' `astype('float64')`).
template <class TOut, class TPixel, std::size_t VDim, class TFunction>
image<TOut, VDim> map_voxels(const image<TPixel, VDim>& input, const std::string& where, TFunction f)
{
    require_finite(input, where);
    image<TOut, VDim> out(input.geometry());
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(input.size());
    RG_PARALLEL_FOR
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<TOut>(f(static_cast<double>(input[static_cast<std::size_t>(i)])));
    }
    return out;
}

inline void require_scale(double max_abs_value, const char* where)
{
    if (!(max_abs_value >= 0.0) || !std::isfinite(max_abs_value)) {
        raise<invalid_argument>(where, "max_abs: got ", max_abs_value,
                                ", expected a finite value >= 0 (max |x| over the whole image).");
    }
}

}  // namespace detail
}  // namespace radiogenomics::filters
