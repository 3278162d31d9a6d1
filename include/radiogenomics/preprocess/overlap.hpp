#pragma once
/// \file overlap.hpp
/// \brief Overlap of two segmentations: the Dice similarity coefficient.
///
/// \par Dice similarity coefficient (Dice 1945, Ecology 26(3):297–302; Sørensen 1948)
/// With A and B the sets of foreground (non-zero) voxels of two masks on one grid,
/// \f[ \mathrm{DSC}(A, B) = \frac{2\,|A \cap B|}{|A| + |B|} \in [0, 1], \f]
/// 1 for identical masks, 0 for disjoint ones. It equals `1 - scipy.spatial.distance.dice(a, b)` on the
/// flattened boolean masks and SimpleITK `LabelOverlapMeasuresImageFilter::GetDiceCoefficient` for label 1.
///
/// \par Degenerate input
/// Two empty masks agree exactly: DSC = 1 (SciPy's `dice` gives 0/0 = NaN there). Masks on different grids
/// throw `geometry_error`.

#include <cstddef>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/image_geometry.hpp"

namespace radiogenomics::preprocess {

/// Counts behind the Dice coefficient of two masks (non-zero = foreground).
struct overlap_counts {
    std::size_t first = 0;         ///< |A|
    std::size_t second = 0;        ///< |B|
    std::size_t intersection = 0;  ///< |A ∩ B|

    /// \f$2|A \cap B| / (|A| + |B|)\f$; 1 when both masks are empty.
    double dice() const
    {
        const std::size_t total = first + second;
        return total == 0 ? 1.0 : 2.0 * static_cast<double>(intersection) / static_cast<double>(total);
    }
};

/// |A|, |B| and |A ∩ B| of two masks on the same grid.
/// \throws geometry_error when the grids differ (the message prints both geometries).
template <class TA, class TB, std::size_t VDim>
overlap_counts mask_overlap(const image<TA, VDim>& a, const image<TB, VDim>& b)
{
    require_same_grid(a.geometry(), b.geometry(), "preprocess.mask_overlap", "first mask", "second mask");
    overlap_counts out;
    const std::size_t n = a.size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool in_a = a[i] != TA{};
        const bool in_b = b[i] != TB{};
        out.first += static_cast<std::size_t>(in_a);
        out.second += static_cast<std::size_t>(in_b);
        out.intersection += static_cast<std::size_t>(in_a && in_b);
    }
    return out;
}

/// Dice similarity coefficient of two masks on the same grid (see the file comment).
/// \throws geometry_error when the grids differ.
template <class TA, class TB, std::size_t VDim>
double dice_coefficient(const image<TA, VDim>& a, const image<TB, VDim>& b)
{
    return mask_overlap(a, b).dice();
}

}  // namespace radiogenomics::preprocess
