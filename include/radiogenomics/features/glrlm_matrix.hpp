#pragma once
/// \file glrlm_matrix.hpp
/// \brief Grey-level run-length matrices, one per direction, as PyRadiomics builds them.
///
/// \f$P(i,j\,|\,\theta)\f$ counts maximal runs of j consecutive ROI voxels of level i along direction
/// \f$\theta\f$ (PyRadiomics radiomics/glrlm.py, C `calculate_glrlm`); a voxel outside the ROI ends a run.
/// Directions are the 13 offsets of distance 1 (4 in-plane with force2D), limited like PyRadiomics for a
/// thin image; a direction without runs is dropped when there is more than one (see below for the directions
/// PyRadiomics empties). One pass per direction: a run is walked from its first voxel only.
///
/// \par Directions PyRadiomics empties
/// PyRadiomics' C `calculate_glrlm` walks every line of the cropped image along a direction and zeroes the
/// direction's matrix when no line holds more than one ROI voxel (its "segmentation is 2D for this angle"
/// rule; the voxels need not be adjacent, voxels of other labels and background between them are just not
/// ROI). Its Python post-processing then deletes empty directions when more than one is left
/// (radiomics/glrlm.py `_calculateMatrix`). So on a sparse ROI of isolated voxels a direction along which no
/// two ROI voxels share a line is left out of the average, although its runs (all of length 1) exist. We
/// do the same by default; with `ibsi_compliant` such a direction is kept (IBSI 1 defines the matrix of
/// every direction; the rule is PyRadiomics' own). A lone direction that PyRadiomics empties gives NaN
/// features, as there.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

namespace detail {

/// Whether some line along `delta` (distance 1) holds two or more ROI voxels of `grid`, adjacent or not:
/// PyRadiomics' test for keeping a direction. Any run longer than 1 (from `counts`, n levels x `row` run
/// lengths) answers it at once; otherwise every line through the ROI bounding box is followed, from its far
/// end, with "an ROI voxel lies further along this line" carried voxel by voxel (the zero border ends a line).
inline bool line_holds_two_roi_voxels(const texture_grid& grid, const std::array<int, 3>& delta,
                                      const std::vector<std::uint32_t>& counts, std::size_t row)
{
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (c % row >= 2 && counts[c] != 0) {
            return true;
        }
    }
    const std::ptrdiff_t step = grid.linear_offset(delta);
    const std::size_t m = grid.margin;
    std::vector<std::uint8_t> ahead(grid.levels.size(), 0);
    const auto visit = [&](std::size_t o) {
        const auto next = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(o) + step);
        ahead[o] = static_cast<std::uint8_t>(ahead[next] != 0 || grid.levels[next] > 0);
        return grid.levels[o] > 0 && ahead[o] != 0;
    };
    // interior voxels, each visited after the voxel one step further along the line (o + step)
    const bool forward = step < 0;
    for (std::size_t kk = 0; kk < grid.shape[2] - 2 * m; ++kk) {
        const std::size_t k = forward ? m + kk : grid.shape[2] - 1 - m - kk;
        for (std::size_t jj = 0; jj < grid.shape[1] - 2 * m; ++jj) {
            const std::size_t j = forward ? m + jj : grid.shape[1] - 1 - m - jj;
            for (std::size_t ii = 0; ii < grid.shape[0] - 2 * m; ++ii) {
                const std::size_t i = forward ? m + ii : grid.shape[0] - 1 - m - ii;
                if (visit(i + grid.shape[0] * (j + grid.shape[1] * k))) {
                    return true;
                }
            }
        }
    }
    return false;
}

}  // namespace detail

/// Run-length matrices: sparse cells per direction.
struct glrlm_matrices {
    std::vector<std::int32_t> levels;                        ///< present grey levels
    std::vector<std::array<int, 3>> offsets;                 ///< kept directions (dx, dy, dz)
    std::vector<std::vector<detail::size_cell>> cells;       ///< non-zero cells per direction
    std::size_t max_run = 0;                                 ///< longest possible run
    std::size_t voxel_count = 0;                             ///< N_p
};

/// Builds the GLRLMs of `grid`.
inline glrlm_matrices glrlm_matrix(const texture_grid& grid, const settings& options)
{
    glrlm_matrices out;
    out.levels = grid.present;
    out.voxel_count = grid.voxel_count();
    const std::size_t n = out.levels.size();
    std::vector<std::uint32_t> index(static_cast<std::size_t>(grid.max_level) + 1, 0);
    for (std::size_t a = 0; a < n; ++a) {
        index[static_cast<std::size_t>(out.levels[a])] = static_cast<std::uint32_t>(a);
    }
    for (std::size_t d = 0; d < 3; ++d) {
        out.max_run = std::max(out.max_run, grid.shape[d] - 2 * grid.margin);
    }
    const auto all = texture_offsets(grid.crop_extent, {1}, false, options.force_2d, options.force_2d_dimension);
    std::vector<double> dense(n * (out.max_run + 1));
    std::vector<std::uint32_t> counts(n * (out.max_run + 1));
    std::vector<std::uint32_t> run_to_end(grid.levels.size());
    const std::int32_t* levels = grid.levels.data();
    const std::size_t row = out.max_run + 1;
    for (const auto& delta : all) {
        std::fill(dense.begin(), dense.end(), 0.0);
        const std::ptrdiff_t step = grid.linear_offset(delta);
        double runs = 0.0;
        if (step > 0) {
            // Voxels in decreasing offset order: run_to_end[o] = 1 + run_to_end[o + step] when o + step has the
            // same level (then it is an ROI voxel already visited), else 1. A voxel whose predecessor o - step
            // has another level starts a run of length run_to_end[o]. Branch-free; same counts as walking runs.
            std::fill(counts.begin(), counts.end(), 0u);
            std::uint32_t* length = run_to_end.data();
            std::uint32_t starts = 0;
            for (auto it = grid.roi_offsets.rbegin(); it != grid.roi_offsets.rend(); ++it) {
                const auto o = static_cast<std::ptrdiff_t>(*it);
                const std::int32_t g = levels[o];
                const std::uint32_t next = levels[o + step] == g ? length[o + step] : 0u;
                const std::uint32_t l = next + 1u;
                length[o] = l;
                const std::uint32_t is_start = levels[o - step] != g ? 1u : 0u;
                counts[index[static_cast<std::size_t>(g)] * row + l] += is_start;
                starts += is_start;
            }
            for (std::size_t c = 0; c < counts.size(); ++c) {
                dense[c] = static_cast<double>(counts[c]);
            }
            runs = static_cast<double>(starts);
        }
        if (step <= 0) {  // not produced by texture_offsets for a bordered grid; kept for safety
            std::fill(counts.begin(), counts.end(), 0u);
            for (std::size_t offset : grid.roi_offsets) {
                const auto o = static_cast<std::ptrdiff_t>(offset);
                const std::int32_t g = levels[o];
                if (levels[o - step] == g) {
                    continue;  // not the first voxel of its run
                }
                std::size_t length = 1;
                while (levels[o + static_cast<std::ptrdiff_t>(length) * step] == g) {
                    ++length;
                }
                dense[index[static_cast<std::size_t>(g)] * (out.max_run + 1) + length] += 1.0;
                counts[index[static_cast<std::size_t>(g)] * row + length] += 1u;
                runs += 1.0;
            }
        }
        if (runs != 0.0 && !options.ibsi_compliant && !detail::line_holds_two_roi_voxels(grid, delta, counts, row)) {
            std::fill(dense.begin(), dense.end(), 0.0);  // PyRadiomics zeroes this direction
            runs = 0.0;
        }
        if (runs == 0.0 && all.size() > 1) {
            continue;
        }
        out.offsets.push_back(delta);
        std::vector<detail::size_cell> cells;
        for (std::size_t a = 0; a < n; ++a) {
            for (std::size_t j = 1; j <= out.max_run; ++j) {
                const double c = dense[a * (out.max_run + 1) + j];
                if (c != 0.0) {
                    cells.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(j), c});
                }
            }
        }
        out.cells.push_back(std::move(cells));
    }
    return out;
}

}  // namespace radiogenomics::features
