#pragma once
/// \file glszm_matrix.hpp
/// \brief Grey-level size-zone matrix (26-connected zones), as PyRadiomics builds it.
///
/// \f$P(i,j)\f$ counts zones of level i with j voxels, a zone being a maximal set of ROI voxels of the
/// same level connected through the 26 neighbour offsets (8 in-plane with force2D; PyRadiomics
/// radiomics/glszm.py, C `calculate_glszm`). Zones are grown with an explicit stack (no recursion, no
/// allocation per voxel).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// Size-zone matrix as sparse cells.
struct glszm_matrix_data {
    std::vector<std::int32_t> levels;        ///< present grey levels
    std::vector<detail::size_cell> cells;    ///< non-zero cells (level index, zone size, count)
    std::size_t max_size = 0;                ///< largest zone
    std::size_t voxel_count = 0;             ///< N_p
};

/// Builds the GLSZM of `grid`.
inline glszm_matrix_data glszm_matrix(const texture_grid& grid, const settings& options)
{
    glszm_matrix_data out;
    out.levels = grid.present;
    out.voxel_count = grid.voxel_count();
    std::vector<std::uint32_t> index(static_cast<std::size_t>(grid.max_level) + 1, 0);
    for (std::size_t a = 0; a < out.levels.size(); ++a) {
        index[static_cast<std::size_t>(out.levels[a])] = static_cast<std::uint32_t>(a);
    }
    const auto offsets = texture_offsets(grid.crop_extent, {1}, true, options.force_2d, options.force_2d_dimension);
    std::vector<std::ptrdiff_t> steps;
    for (const auto& d : offsets) {
        steps.push_back(grid.linear_offset(d));
    }
    // Flood fill on a copy of the grid: a voxel joins a zone by being reset to 0 (outside), so one load per
    // neighbour tells both "same level" and "not yet visited".
    std::vector<std::int32_t> remaining(grid.levels);
    std::vector<std::ptrdiff_t> stack;
    stack.reserve(1024);
    std::vector<std::uint64_t> zones;  // (level index << 32) | size
    std::int32_t* levels = remaining.data();
    for (std::size_t start : grid.roi_offsets) {
        const std::int32_t g = levels[start];
        if (g == 0) {
            continue;  // already in a zone
        }
        levels[start] = 0;
        stack.clear();
        stack.push_back(static_cast<std::ptrdiff_t>(start));
        std::uint64_t size = 0;
        while (!stack.empty()) {
            const std::ptrdiff_t v = stack.back();
            stack.pop_back();
            ++size;
            for (std::ptrdiff_t s : steps) {
                const std::ptrdiff_t w = v + s;
                if (levels[w] == g) {
                    levels[w] = 0;
                    stack.push_back(w);
                }
            }
        }
        out.max_size = std::max<std::size_t>(out.max_size, size);
        zones.push_back((static_cast<std::uint64_t>(index[static_cast<std::size_t>(g)]) << 32) | size);
    }
    std::sort(zones.begin(), zones.end());
    for (std::size_t a = 0; a < zones.size();) {
        std::size_t b = a;
        while (b < zones.size() && zones[b] == zones[a]) {
            ++b;
        }
        out.cells.push_back({static_cast<std::uint32_t>(zones[a] >> 32),
                             static_cast<std::uint32_t>(zones[a] & 0xffffffffu), static_cast<double>(b - a)});
        a = b;
    }
    return out;
}

}  // namespace radiogenomics::features
