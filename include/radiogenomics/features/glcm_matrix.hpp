#pragma once
/// \file glcm_matrix.hpp
/// \brief Grey-level co-occurrence matrices, one per offset, as PyRadiomics builds them.
///
/// \f$P(i,j\,|\,\delta)\f$ counts ROI voxel pairs \f$(\mathbf v, \mathbf v+\delta)\f$, both in the ROI, with
/// levels i and j (PyRadiomics radiomics/glcm.py and its C extension `calculate_glcm`). Offsets come from
/// `texture_offsets` (13 in 3D for distance 1). Rows/columns of levels absent from the ROI are dropped;
/// with `symmetrical_glcm` \f$P \leftarrow P + P^T\f$; an offset with no pair is dropped when there is more
/// than one offset (PyRadiomics' empty-angle rule), otherwise it stays and yields NaN features.
/// One pass over the ROI per offset, no allocation per voxel.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// The largest number of grey levels present in an ROI that the GLCM accepts (memory: levels^2 per offset).
inline constexpr std::size_t glcm_max_levels = 4096;

/// Per-offset co-occurrence counts over the grey levels present in the ROI.
struct glcm_matrices {
    std::vector<std::int32_t> levels;          ///< present grey levels (row/column values), increasing
    std::int32_t max_level = 0;                ///< PyRadiomics `Ng` (largest level present)
    std::vector<std::array<int, 3>> offsets;   ///< kept offsets (dx, dy, dz)
    std::vector<double> counts;                ///< offsets.size() blocks of levels.size()^2, row-major
    /// Grey levels of the discretisation left out of `levels` because they have no voxel here (voxel-based maps
    /// keep only a kernel's levels): their rows/columns would be zero, which changes no feature except MCC, whose
    /// eigenvalue list they extend with zeros (and whose one-level rule counts them).
    std::size_t absent_levels = 0;

    std::size_t size() const { return levels.size(); }
    const double* matrix(std::size_t angle) const { return counts.data() + angle * levels.size() * levels.size(); }
};

/// Builds the GLCMs of `grid` for `options.distances`, `symmetrical_glcm`, `force_2d`.
inline glcm_matrices glcm_matrix(const texture_grid& grid, const settings& options)
{
    if (grid.present.size() > glcm_max_levels) {
        raise<invalid_argument>("features.glcm_matrix", "grey levels present: got ", grid.present.size(),
                                ", expected at most ", glcm_max_levels, ". Use a larger binWidth or binCount.");
    }
    glcm_matrices out;
    out.levels = grid.present;
    out.max_level = grid.max_level;
    const std::size_t n = out.levels.size();
    std::vector<std::int32_t> index(static_cast<std::size_t>(grid.max_level) + 1, -1);
    for (std::size_t a = 0; a < n; ++a) {
        index[static_cast<std::size_t>(out.levels[a])] = static_cast<std::int32_t>(a);
    }
    const auto all = texture_offsets(grid.crop_extent, options.distances, false, options.force_2d,
                                     options.force_2d_dimension);
    std::vector<std::uint32_t> counts(n * n);
    const std::int32_t* levels = grid.levels.data();
    for (const auto& delta : all) {
        std::fill(counts.begin(), counts.end(), 0u);
        const std::ptrdiff_t step = grid.linear_offset(delta);
        std::size_t total = 0;
        for (std::size_t offset : grid.roi_offsets) {
            const std::int32_t b = levels[static_cast<std::ptrdiff_t>(offset) + step];
            if (b > 0) {
                const auto i = static_cast<std::size_t>(index[static_cast<std::size_t>(levels[offset])]);
                ++counts[i * n + static_cast<std::size_t>(index[static_cast<std::size_t>(b)])];
                ++total;
            }
        }
        if (total == 0 && all.size() > 1) {
            continue;  // empty angle: PyRadiomics deletes it
        }
        out.offsets.push_back(delta);
        const std::size_t base = out.counts.size();
        out.counts.resize(base + n * n);
        double* m = out.counts.data() + base;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                m[i * n + j] = static_cast<double>(counts[i * n + j]) +
                               (options.symmetrical_glcm ? static_cast<double>(counts[j * n + i]) : 0.0);
            }
        }
    }
    return out;
}

}  // namespace radiogenomics::features
