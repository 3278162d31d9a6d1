#pragma once
/// \file ngtdm_matrix.hpp
/// \brief Neighbouring grey-tone difference matrix, as PyRadiomics builds it.
///
/// For each ROI voxel of level i, \f$\bar A\f$ is the mean level of its neighbours in the ROI (offsets of the
/// `distances` norms, both directions; voxels of other labels, background and the image border are not
/// neighbours), \f$s_i=\sum|i-\bar A|\f$ and \f$n_i\f$ counts the voxels (PyRadiomics radiomics/ngtdm.py, C
/// `calculate_ngtdm`). Levels with \f$n_i = 0\f$ are dropped.
///
/// \par Voxels without a neighbour
/// PyRadiomics counts them in \f$n_i\f$ (so in \f$N_{v,p}=\sum n_i\f$ and \f$p_i\f$) with a difference of 0:
/// its C code adds every ROI voxel and sets the difference to 0 when the neighbour count is 0. That is the
/// default here. IBSI 1 (NGTDM section) counts only voxels with a valid neighbourhood; `ibsi_compliant` leaves
/// isolated voxels out. The two agree whenever every ROI voxel has an ROI neighbour.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// NGTDM columns over the kept grey levels.
struct ngtdm_matrix_data {
    std::vector<double> level;  ///< grey level i
    std::vector<double> n;      ///< n_i
    std::vector<double> s;      ///< s_i
};

/// Builds the NGTDM of `grid`.
inline ngtdm_matrix_data ngtdm_matrix(const texture_grid& grid, const settings& options)
{
    const std::size_t ng = static_cast<std::size_t>(grid.max_level) + 1;
    std::vector<double> n(ng, 0.0), s(ng, 0.0);
    const auto offsets = texture_offsets(grid.crop_extent, options.distances, true, options.force_2d,
                                         options.force_2d_dimension);
    std::vector<std::ptrdiff_t> steps;
    for (const auto& d : offsets) {
        steps.push_back(grid.linear_offset(d));
    }
    const std::int32_t* levels = grid.levels.data();
    for (std::size_t offset : grid.roi_offsets) {
        const auto o = static_cast<std::ptrdiff_t>(offset);
        const std::int32_t g = levels[o];
        double sum = 0.0;
        std::size_t count = 0;
        for (std::ptrdiff_t st : steps) {
            const std::int32_t h = levels[o + st];
            if (h > 0) {
                sum += h;
                ++count;
            }
        }
        if (count > 0) {
            n[static_cast<std::size_t>(g)] += 1.0;
            s[static_cast<std::size_t>(g)] += std::fabs(static_cast<double>(g) - sum / static_cast<double>(count));
        } else if (!options.ibsi_compliant) {
            n[static_cast<std::size_t>(g)] += 1.0;  // PyRadiomics: counted, difference 0
        }
    }
    ngtdm_matrix_data out;
    for (std::size_t g = 1; g < ng; ++g) {
        if (n[g] > 0.0) {
            out.level.push_back(static_cast<double>(g));
            out.n.push_back(n[g]);
            out.s.push_back(s[g]);
        }
    }
    return out;
}

}  // namespace radiogenomics::features
