#pragma once
/// \file glrlm_matrix.hpp
/// \brief Grey-level run-length matrices, one per direction, as PyRadiomics builds them.
///
/// \f$P(i,j\,|\,\theta)\f$ counts maximal runs of j consecutive ROI voxels of level i along direction
/// \f$\theta\f$ (PyRadiomics radiomics/glrlm.py, C `calculate_glrlm`); a voxel outside the ROI ends a run.
/// Directions are the 13 offsets of distance 1 (4 in-plane with force2D), limited like PyRadiomics for a
/// thin image; a direction without runs is dropped when there is more than one, and so is a direction in which no
/// line holds two ROI voxels (PyRadiomics zeroes it). One pass per direction:
/// a run is walked from its first voxel only.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// Run-length matrices: sparse cells per direction.
struct glrlm_matrices {
    std::vector<std::int32_t> levels;                        ///< present grey levels
    std::vector<std::array<int, 3>> offsets;                 ///< kept directions (dx, dy, dz)
    std::vector<std::vector<detail::size_cell>> cells;       ///< non-zero cells per direction
    std::size_t max_run = 0;                                 ///< longest possible run
    std::size_t voxel_count = 0;                             ///< N_p
};

namespace detail {

/// PyRadiomics' C `calculate_glrlm` zeroes a direction in which no line through the ROI holds two ROI voxels
/// ("segmentation is 2D for this angle"; the `multiElement` flag), so that direction drops out of the mean over
/// directions when there are others. Small ROIs (a voxel-based kernel) hit this in any direction.
inline void drop_single_voxel_directions(const texture_grid& grid, glrlm_matrices& m)
{
    if (m.offsets.size() <= 1) {
        return;
    }
    const std::size_t margin = grid.margin;
    std::vector<std::array<int, 3>> offsets;
    std::vector<std::vector<detail::size_cell>> cells;
    for (std::size_t a = 0; a < m.offsets.size(); ++a) {
        const auto& delta = m.offsets[a];
        const std::ptrdiff_t step = grid.linear_offset(delta);
        bool multi = false;
        for (const auto& c : m.cells[a]) {
            multi = multi || c.size > 1;  // a run of two voxels: the line holds two
        }
        for (std::size_t n = 0; n < grid.roi_offsets.size() && !multi; ++n) {
            const std::size_t o = grid.roi_offsets[n];
            std::array<std::ptrdiff_t, 3> p{static_cast<std::ptrdiff_t>(o % grid.shape[0]),
                                            static_cast<std::ptrdiff_t>((o / grid.shape[0]) % grid.shape[1]),
                                            static_cast<std::ptrdiff_t>(o / (grid.shape[0] * grid.shape[1]))};
            auto q = static_cast<std::ptrdiff_t>(o);
            while (!multi) {
                bool inside = true;
                for (std::size_t d = 0; d < 3; ++d) {
                    p[d] += delta[d];
                    inside = inside && p[d] >= static_cast<std::ptrdiff_t>(margin) &&
                             p[d] < static_cast<std::ptrdiff_t>(grid.shape[d] - margin);
                }
                if (!inside) {
                    break;
                }
                q += step;
                multi = grid.levels[static_cast<std::size_t>(q)] > 0;
            }
        }
        if (multi) {
            offsets.push_back(delta);
            cells.push_back(std::move(m.cells[a]));
        }
    }
    // every direction zeroed (a one-voxel ROI): no direction left, features NaN as PyRadiomics'
    m.offsets = std::move(offsets);
    m.cells = std::move(cells);
}

}  // namespace detail

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
                runs += 1.0;
            }
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
    detail::drop_single_voxel_directions(grid, out);
    return out;
}

}  // namespace radiogenomics::features
