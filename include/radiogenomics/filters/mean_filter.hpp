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
/// `two_dimensional` filters each slice k in the i-j plane only (D = 2), as IBSI 2's 2D configurations.
/// \par Boundary handling
/// `boundary` (zero, nearest, mirror, periodic; see `boundary.hpp`). The output keeps `input`'s geometry.
/// \par Degenerate input
/// An even or non-positive support throws `invalid_argument`; NaN/Inf voxels throw.
template <class TPixel>
image<double, 3> mean_filter(const image<TPixel, 3>& input, std::size_t support, boundary_mode boundary,
                             bool two_dimensional = false)
{
    if (support == 0 || support % 2 == 0) {
        raise<invalid_argument>("filters.mean_filter", "support: got ", support, ", expected an odd number >= 1.");
    }
    require_finite(input, "filters.mean_filter");
    const std::vector<double> w(support, 1.0 / static_cast<double>(support));
    image<double, 3> out = detail::correlate_axis(input, 0, w, boundary);
    out = detail::correlate_axis(out, 1, w, boundary);
    if (!two_dimensional) {
        out = detail::correlate_axis(out, 2, w, boundary);
    }
    return out;
}

}  // namespace radiogenomics::filters
