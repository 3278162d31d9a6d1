#pragma once
/// \file gldm_matrix.hpp
/// \brief Grey-level dependence matrix, as PyRadiomics builds it (IBSI NGLDM).
///
/// For each ROI voxel of level i, the dependence count is the number of neighbours (offsets of the
/// `distances` Chebyshev norms, both directions: 26 for distance 1) that are in the ROI and satisfy
/// \f$|g - i| \le \alpha\f$ (`gldm_a`). \f$P(i,j)\f$ counts voxels of level i with dependence size
/// j = count + 1 (PyRadiomics radiomics/gldm.py, C `calculate_gldm`).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// Dependence matrix as sparse cells.
struct gldm_matrix_data {
    std::vector<std::int32_t> levels;        ///< present grey levels
    std::vector<detail::size_cell> cells;    ///< non-zero cells (level index, dependence size, count)
    std::size_t max_size = 0;                ///< number of offsets + 1
};

/// Builds the GLDM of `grid` with `options.distances`, `gldm_a`, `force_2d`.
inline gldm_matrix_data gldm_matrix(const texture_grid& grid, const settings& options)
{
    gldm_matrix_data out;
    out.levels = grid.present;
    const std::size_t n = out.levels.size();
    std::vector<std::uint32_t> index(static_cast<std::size_t>(grid.max_level) + 1, 0);
    for (std::size_t a = 0; a < n; ++a) {
        index[static_cast<std::size_t>(out.levels[a])] = static_cast<std::uint32_t>(a);
    }
    const auto offsets = texture_offsets(grid.crop_extent, options.distances, true, options.force_2d,
                                         options.force_2d_dimension);
    std::vector<std::ptrdiff_t> steps;
    for (const auto& d : offsets) {
        steps.push_back(grid.linear_offset(d));
    }
    out.max_size = steps.size() + 1;
    std::vector<double> dense(n * (out.max_size + 1), 0.0);
    const std::int32_t* levels = grid.levels.data();
    const double alpha = options.gldm_a;
    for (std::size_t offset : grid.roi_offsets) {
        const auto o = static_cast<std::ptrdiff_t>(offset);
        const std::int32_t g = levels[o];
        std::size_t dependent = 0;
        for (std::ptrdiff_t s : steps) {
            const std::int32_t h = levels[o + s];
            if (h > 0 && std::fabs(static_cast<double>(h - g)) <= alpha) {
                ++dependent;
            }
        }
        dense[index[static_cast<std::size_t>(g)] * (out.max_size + 1) + dependent + 1] += 1.0;
    }
    for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t j = 1; j <= out.max_size; ++j) {
            const double c = dense[a * (out.max_size + 1) + j];
            if (c != 0.0) {
                out.cells.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(j), c});
            }
        }
    }
    return out;
}

}  // namespace radiogenomics::features
