#pragma once
/// \file texture_aggregation.hpp
/// \brief IBSI 1 texture-matrix aggregation methods for the GLCM and the GLRLM (an option beside
/// PyRadiomics' default "3D averaged").
///
/// IBSI 1 reference manual, chapter "Image features" (theibsi/ibsi-doc docs/03_Image_features.rst): the texture
/// feature-aggregation methods and the GLCM / GLRLM "aggregating features" paragraphs (Zwanenburg et al.,
/// Radiology 2020;295:328, arXiv:1612.07003); method ids as in shared/reference/ibsi1/README.md. A texture matrix is built per direction \f$\delta\f$ (and, for
/// 2D/2.5D methods, per slice s, with in-plane directions only: 4 for distance 1; 13 directions in 3D).
/// "Merging" sums matrices cell by cell before computing features; "averaging" computes the features of
/// each matrix and takes their mean. With \f$F(M)\f$ a feature of matrix M:
///
/// | mode | IBSI id | definition |
/// |---|---|---|
/// | `average_3d` | ITBB | \f$\frac1{N_\delta}\sum_\delta F(M_\delta)\f$, 13 3D directions (PyRadiomics) |
/// | `merged_3d` | IAZD | \f$F(\sum_\delta M_\delta)\f$ |
/// | `average_2d` | BTW3 | \f$\frac1{N_sN_\delta}\sum_s\sum_\delta F(M_{s,\delta})\f$, in-plane directions |
/// | `slice_merged_2d` | SUJT | \f$\frac1{N_s}\sum_s F(\sum_\delta M_{s,\delta})\f$ |
/// | `direction_merged_2_5d` | JJUI | \f$\frac1{N_\delta}\sum_\delta F(\sum_s M_{s,\delta})\f$ |
/// | `merged_2_5d` | ZW7Z | \f$F(\sum_s\sum_\delta M_{s,\delta})\f$ |
///
/// Slices are planes perpendicular to `settings::force_2d_dimension` (numpy order, 0 = z = axial); the
/// mode decides the dimensionality, `settings::force_2d` is ignored. Matrices with no pair / no run (a slice
/// without ROI voxels) are left out of means and sums. Features are the PyRadiomics definitions of
/// glcm.hpp / glrlm.hpp computed on each (merged) matrix; grey levels \f$N_g\f$ are those of the whole ROI.
///
/// \par GLRLM run percentage
/// IBSI (GLRLM section, run percentage 9ZK5): for merged matrices \f$N_v\f$ is the number of voxels times the
/// number of merged matrices, so \f$N_v\f$ of a merged matrix here is the sum of the voxel counts of its parts
/// (slice voxels for a 2D matrix, ROI voxels for a 3D one).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glcm_matrix.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glrlm_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// IBSI 1 texture-matrix aggregation method (see the file comment for the definitions).
enum class texture_aggregation {
    average_3d,             ///< 3D averaged (ITBB): PyRadiomics' behaviour without force2D
    merged_3d,              ///< 3D merged (IAZD)
    average_2d,             ///< 2D averaged (BTW3)
    slice_merged_2d,        ///< 2D slice-merged (SUJT)
    direction_merged_2_5d,  ///< 2.5D direction-merged (JJUI): PyRadiomics with force2D
    merged_2_5d             ///< 2.5D merged (ZW7Z)
};

/// All six methods, in enum order.
inline constexpr std::array<texture_aggregation, 6> texture_aggregations{
    texture_aggregation::average_3d,      texture_aggregation::merged_3d,
    texture_aggregation::average_2d,      texture_aggregation::slice_merged_2d,
    texture_aggregation::direction_merged_2_5d, texture_aggregation::merged_2_5d};

/// The IBSI compliance-tag suffix of a method: "3D_avg", "3D_comb", "2D_avg", "2D_comb", "2_5D_avg", "2_5D_comb".
inline const char* texture_aggregation_tag(texture_aggregation mode)
{
    switch (mode) {
    case texture_aggregation::average_3d: return "3D_avg";
    case texture_aggregation::merged_3d: return "3D_comb";
    case texture_aggregation::average_2d: return "2D_avg";
    case texture_aggregation::slice_merged_2d: return "2D_comb";
    case texture_aggregation::direction_merged_2_5d: return "2_5D_avg";
    case texture_aggregation::merged_2_5d: return "2_5D_comb";
    }
    return "";
}

namespace detail {

/// Matrices of one aggregation: blocks indexed slice * directions + direction (one slice in 3D).
struct aggregation_layout {
    std::vector<std::array<int, 3>> offsets;  ///< directions
    std::size_t slices = 1;                   ///< number of slices (1 for the 3D methods)
    std::size_t slice_axis = 2;               ///< grid axis perpendicular to the slices
    bool per_slice = false;
};

inline bool is_2d_aggregation(texture_aggregation mode)
{
    return mode != texture_aggregation::average_3d && mode != texture_aggregation::merged_3d;
}

inline aggregation_layout make_layout(const texture_grid& grid, const settings& options, texture_aggregation mode,
                                      const std::vector<int>& distances, const char* where)
{
    if (options.force_2d_dimension < 0 || options.force_2d_dimension > 2) {
        raise<invalid_argument>(where, "force2Ddimension: got ", options.force_2d_dimension,
                                ", expected 0, 1 or 2.");
    }
    aggregation_layout out;
    out.per_slice = is_2d_aggregation(mode);
    out.offsets = texture_offsets(grid.crop_extent, distances, false, out.per_slice, options.force_2d_dimension);
    out.slice_axis = static_cast<std::size_t>(2 - options.force_2d_dimension);
    out.slices = out.per_slice ? grid.shape[out.slice_axis] : 1;
    return out;
}

/// Slice index of a grid offset (0 for the 3D methods).
inline std::size_t slice_of(const texture_grid& grid, const aggregation_layout& layout, std::size_t offset)
{
    if (!layout.per_slice) {
        return 0;
    }
    switch (layout.slice_axis) {
    case 0: return offset % grid.shape[0];
    case 1: return (offset / grid.shape[0]) % grid.shape[1];
    default: return offset / (grid.shape[0] * grid.shape[1]);
    }
}

/// Groups of block indices whose matrices are merged; each group gives one feature vector, averaged.
inline std::vector<std::vector<std::size_t>> aggregation_groups(texture_aggregation mode, std::size_t slices,
                                                                std::size_t directions)
{
    std::vector<std::vector<std::size_t>> groups;
    const auto block = [directions](std::size_t s, std::size_t d) { return s * directions + d; };
    switch (mode) {
    case texture_aggregation::average_3d:
    case texture_aggregation::average_2d:
        for (std::size_t b = 0; b < slices * directions; ++b) {
            groups.push_back({b});
        }
        break;
    case texture_aggregation::merged_3d:
    case texture_aggregation::merged_2_5d:
        groups.emplace_back();
        for (std::size_t b = 0; b < slices * directions; ++b) {
            groups.back().push_back(b);
        }
        break;
    case texture_aggregation::slice_merged_2d:
        for (std::size_t s = 0; s < slices; ++s) {
            groups.emplace_back();
            for (std::size_t d = 0; d < directions; ++d) {
                groups.back().push_back(block(s, d));
            }
        }
        break;
    case texture_aggregation::direction_merged_2_5d:
        for (std::size_t d = 0; d < directions; ++d) {
            groups.emplace_back();
            for (std::size_t s = 0; s < slices; ++s) {
                groups.back().push_back(block(s, d));
            }
        }
        break;
    }
    return groups;
}

template <std::size_t N>
std::array<double, N> mean_of(const std::vector<std::array<double, N>>& rows)
{
    std::array<double, N> out{};
    std::vector<double> column(rows.size());
    for (std::size_t f = 0; f < N; ++f) {
        for (std::size_t r = 0; r < rows.size(); ++r) {
            column[r] = rows[r][f];
        }
        out[f] = nanmean(column);
    }
    return out;
}

}  // namespace detail

/// GLCM features of `roi` under the IBSI aggregation `mode` (distances, symmetricalGLCM from `options`).
///
/// `average_3d` is exactly `glcm_features(glcm_matrix(roi.grid, options))` with force2D off. The other
/// methods count \f$P_{s,\delta}(i,j)\f$ (symmetrised as in glcm_matrix.hpp) per slice and direction, merge
/// them per the file comment and average the features of the merged matrices ignoring NaN. Throws
/// `invalid_argument` like `glcm_matrix` for too many grey levels or a bad force2Ddimension. A ROI without any
/// pair gives NaN features.
inline glcm_values glcm_features_aggregated(const roi_data& roi, const settings& options, texture_aggregation mode)
{
    const char* where = "features.glcm_features_aggregated";
    const texture_grid& grid = roi.grid;
    if (mode == texture_aggregation::average_3d) {
        settings s = options;
        s.force_2d = false;
        return glcm_features(glcm_matrix(grid, s));
    }
    if (grid.present.size() > glcm_max_levels) {
        raise<invalid_argument>(where, "grey levels present: got ", grid.present.size(), ", expected at most ",
                                glcm_max_levels, ". Use a larger binWidth or binCount.");
    }
    const auto layout = detail::make_layout(grid, options, mode, options.distances, where);
    const std::size_t n = grid.present.size();
    const std::size_t nd = layout.offsets.size();
    std::vector<std::int32_t> index(static_cast<std::size_t>(grid.max_level) + 1, -1);
    for (std::size_t a = 0; a < n; ++a) {
        index[static_cast<std::size_t>(grid.present[a])] = static_cast<std::int32_t>(a);
    }
    // counts[block] : n x n, row-major, not yet symmetrised
    std::vector<std::vector<double>> counts(layout.slices * nd, std::vector<double>(n * n, 0.0));
    const std::int32_t* levels = grid.levels.data();
    for (std::size_t d = 0; d < nd; ++d) {
        const std::ptrdiff_t step = grid.linear_offset(layout.offsets[d]);
        for (std::size_t offset : grid.roi_offsets) {
            const std::int32_t b = levels[static_cast<std::ptrdiff_t>(offset) + step];
            if (b > 0) {
                const auto i = static_cast<std::size_t>(index[static_cast<std::size_t>(levels[offset])]);
                const auto j = static_cast<std::size_t>(index[static_cast<std::size_t>(b)]);
                counts[detail::slice_of(grid, layout, offset) * nd + d][i * n + j] += 1.0;
            }
        }
    }
    std::vector<glcm_values> rows;
    for (const auto& group : detail::aggregation_groups(mode, layout.slices, nd)) {
        glcm_matrices m;
        m.levels = grid.present;
        m.max_level = grid.max_level;
        m.offsets.push_back(layout.offsets[group.front() % nd]);
        m.counts.assign(n * n, 0.0);
        double total = 0.0;
        for (std::size_t b : group) {
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t j = 0; j < n; ++j) {
                    const double c = counts[b][i * n + j] + (options.symmetrical_glcm ? counts[b][j * n + i] : 0.0);
                    m.counts[i * n + j] += c;
                    total += c;
                }
            }
        }
        if (total > 0.0) {
            rows.push_back(glcm_features(m));
        }
    }
    if (rows.empty()) {
        glcm_values nan_values{};
        nan_values.fill(std::nan(""));
        return nan_values;
    }
    return detail::mean_of(rows);
}

/// GLRLM features of `roi` under the IBSI aggregation `mode` (directions of distance 1).
///
/// `average_3d` is exactly `glrlm_features(glrlm_matrix(roi.grid, options))` with force2D off. The other
/// methods count runs \f$P_{s,\delta}(i,j)\f$ per slice and direction (a run along an in-plane direction stays
/// in its slice), merge them per the file comment (\f$N_v\f$ summed likewise) and average the features of the
/// merged matrices ignoring NaN. A ROI without any run gives NaN features.
inline glrlm_values glrlm_features_aggregated(const roi_data& roi, const settings& options, texture_aggregation mode)
{
    const char* where = "features.glrlm_features_aggregated";
    const texture_grid& grid = roi.grid;
    if (mode == texture_aggregation::average_3d) {
        settings s = options;
        s.force_2d = false;
        return glrlm_features(glrlm_matrix(grid, s));
    }
    const auto layout = detail::make_layout(grid, options, mode, {1}, where);
    const std::size_t n = grid.present.size();
    const std::size_t nd = layout.offsets.size();
    std::size_t max_run = 0;
    for (std::size_t d = 0; d < 3; ++d) {
        max_run = std::max(max_run, grid.shape[d] - 2 * grid.margin);
    }
    const std::size_t row = max_run + 1;
    std::vector<std::uint32_t> index(static_cast<std::size_t>(grid.max_level) + 1, 0);
    for (std::size_t a = 0; a < n; ++a) {
        index[static_cast<std::size_t>(grid.present[a])] = static_cast<std::uint32_t>(a);
    }
    std::vector<double> slice_voxels(layout.slices, 0.0);
    for (std::size_t offset : grid.roi_offsets) {
        slice_voxels[detail::slice_of(grid, layout, offset)] += 1.0;
    }
    std::vector<std::vector<double>> dense(layout.slices * nd, std::vector<double>(n * row, 0.0));
    const std::int32_t* levels = grid.levels.data();
    for (std::size_t d = 0; d < nd; ++d) {
        const std::ptrdiff_t step = grid.linear_offset(layout.offsets[d]);
        for (std::size_t offset : grid.roi_offsets) {
            const auto o = static_cast<std::ptrdiff_t>(offset);
            const std::int32_t g = levels[o];
            if (levels[o - step] == g) {
                continue;  // not the first voxel of its run (the zero border ends every run)
            }
            std::size_t length = 1;
            while (levels[o + static_cast<std::ptrdiff_t>(length) * step] == g) {
                ++length;
            }
            dense[detail::slice_of(grid, layout, offset) * nd + d][index[static_cast<std::size_t>(g)] * row + length] +=
                1.0;
        }
    }
    std::vector<glrlm_values> rows;
    for (const auto& group : detail::aggregation_groups(mode, layout.slices, nd)) {
        std::vector<double> merged(n * row, 0.0);
        double voxels = 0.0;
        double runs = 0.0;
        for (std::size_t b : group) {
            voxels += slice_voxels[b / nd];
            for (std::size_t c = 0; c < merged.size(); ++c) {
                merged[c] += dense[b][c];
                runs += dense[b][c];
            }
        }
        if (runs == 0.0) {
            continue;  // no ROI voxel in this slice
        }
        glrlm_matrices m;
        m.levels = grid.present;
        m.offsets.push_back(layout.offsets[group.front() % nd]);
        m.max_run = max_run;
        m.voxel_count = static_cast<std::size_t>(voxels);
        std::vector<detail::size_cell> cells;
        for (std::size_t a = 0; a < n; ++a) {
            for (std::size_t j = 1; j <= max_run; ++j) {
                const double c = merged[a * row + j];
                if (c != 0.0) {
                    cells.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(j), c});
                }
            }
        }
        m.cells.push_back(std::move(cells));
        rows.push_back(glrlm_features(m));
    }
    if (rows.empty()) {
        glrlm_values nan_values{};
        nan_values.fill(std::nan(""));
        return nan_values;
    }
    return detail::mean_of(rows);
}

}  // namespace radiogenomics::features
