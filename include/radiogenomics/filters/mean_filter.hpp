#pragma once
/// \file mean_filter.hpp
/// \brief IBSI 2 mean filter (a normalised box), used for the IBSI 2 phase-1 tests 1.a / 1.b.

#include <cstddef>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/boundary.hpp"
#include "radiogenomics/filters/detail/lines.hpp"

namespace radiogenomics::filters {

/// \brief Mean filter: \f$ g(\mathbf{i}) = \frac{1}{M^D} \sum_{\|\mathbf{k}\|_\infty \le (M-1)/2} f(\mathbf{i}+\mathbf{k}) \f$
/// (IBSI 2, "mean filter"), with odd support `support` = M voxels per axis, applied separably.
///
/// 2-D or 3-D. `two_dimensional` filters each slice k of a volume in the i-j plane only (D = 2), as IBSI 2's 2D
/// configurations; a 2-D image is filtered along its two axes (D = 2) and gives the values of its one-slice volume
/// with `two_dimensional`.
/// \par Boundary handling
/// `boundary` (SciPy mode names: constant, nearest, reflect, mirror, wrap; see `boundary.hpp`). The output keeps `input`'s geometry.
/// \par Degenerate input
/// An even or non-positive support throws `invalid_argument`; NaN/Inf voxels throw.
template <class TPixel, std::size_t VDim>
image<double, VDim> mean_filter(const image<TPixel, VDim>& input, std::size_t support, boundary_mode boundary,
                                bool two_dimensional = false)
{
    static_assert(VDim == 2 || VDim == 3, "filters::mean_filter: 2-D or 3-D images");
    if (support == 0 || support % 2 == 0) {
        raise<invalid_argument>("filters.mean_filter", "support: got ", support, ", expected an odd number >= 1.");
    }
    require_finite(input, "filters.mean_filter");
    const std::vector<double> w(support, 1.0 / static_cast<double>(support));
    image<double, VDim> out = detail::correlate_axis(input, 0, w, boundary);
    out = detail::correlate_axis(out, 1, w, boundary);
    if constexpr (VDim == 3) {
        if (!two_dimensional) {
            out = detail::correlate_axis(out, 2, w, boundary);
        }
    }
    return out;
}

}  // namespace radiogenomics::filters
