#pragma once
/// \file roi.hpp
/// \brief The ROI as the feature classes see it: checked mask, intensities, grey levels, texture grid.
///
/// `make_roi` reproduces PyRadiomics' preparation (radiomics/imageoperations.py `checkMask`,
/// `resegmentMask`, `cropToTumorMask`, `binImage`): the label's voxels, optional range
/// re-segmentation, the bounding-box checks (`minimumROIDimensions`, `minimumROISize`), and the
/// discretised grey levels. Only ROI voxels are ever read. With `ibsi_compliant`, fixed bin width counts
/// bins from the re-segmentation lower bound (or the ROI minimum) as IBSI does (see discretize.hpp).
///
/// \par Texture grid
/// Grey levels are stored on the ROI bounding box with a zero border of `margin` voxels (0 = outside
/// the ROI, levels start at 1), so neighbour look-ups need no bounds checks. `crop_extent` is the size
/// of the image PyRadiomics hands to its texture classes (bounding box plus `padDistance`, clipped to the
/// image); it only limits the offsets of a very thin image (see `texture_offsets`).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/preprocess/discretize.hpp"

namespace radiogenomics::features {

/// Inclusive index bounding box (x, y, z).
struct bounding_box {
    std::array<std::size_t, 3> lower{};
    std::array<std::size_t, 3> upper{};
    std::size_t extent(std::size_t d) const { return upper[d] - lower[d] + 1; }
};

/// Discretised ROI on a zero-bordered grid (see the file comment).
struct texture_grid {
    std::array<std::size_t, 3> shape{};        ///< grid shape (x, y, z), bounding box + 2 * margin
    std::size_t margin = 1;                    ///< zero border width
    std::vector<std::int32_t> levels;          ///< grey level per grid voxel, 0 outside the ROI
    std::vector<std::size_t> roi_offsets;      ///< linear grid offsets of ROI voxels, x fastest
    std::vector<std::int32_t> present;         ///< sorted grey levels present in the ROI
    std::int32_t max_level = 0;                ///< PyRadiomics `Ng`: the largest level present
    std::array<std::size_t, 3> crop_extent{};  ///< PyRadiomics' cropped image size (x, y, z)

    std::size_t voxel_count() const { return roi_offsets.size(); }
    std::ptrdiff_t stride(std::size_t d) const
    {
        return d == 0 ? 1 : d == 1 ? static_cast<std::ptrdiff_t>(shape[0])
                                   : static_cast<std::ptrdiff_t>(shape[0] * shape[1]);
    }
    std::ptrdiff_t linear_offset(const std::array<int, 3>& delta) const
    {
        return delta[0] * stride(0) + delta[1] * stride(1) + delta[2] * stride(2);
    }
};

/// Everything the feature classes need for one image and mask.
struct roi_data {
    std::vector<double> values;          ///< ROI intensities after re-segmentation, x fastest
    std::vector<std::int32_t> levels;    ///< their grey levels (same order)
    std::vector<double> edges;           ///< discretisation edges
    texture_grid grid;                   ///< texture grid (re-segmented ROI)
    std::array<double, 3> spacing{};     ///< voxel spacing (x, y, z), mm
    bounding_box box;                    ///< bounding box of the re-segmented ROI
    bounding_box shape_box;              ///< bounding box of the label mask (shape uses it, not re-segmented)
    std::vector<std::uint8_t> shape_mask;  ///< label mask on `shape_box` (x fastest)
    /// Dimension of the image the ROI came from: 3, or 2 for an `image<TPixel, 2>`, held as a one-slice volume
    /// (z extent 1, `spacing[2]` = 1 so that TotalEnergy multiplies by the pixel area).
    std::size_t dimension = 3;
};

namespace detail {

template <class TMask>
bool in_label(TMask value, int label)
{
    return static_cast<long long>(value) == static_cast<long long>(label);
}

/// Index of the first voxel of the row `row` (length n) with value `label`, n if none (memchr for byte masks:
/// most rows of a large image hold no ROI voxel).
template <class TMask>
std::size_t find_label(const TMask* row, std::size_t n, int label)
{
    if constexpr (sizeof(TMask) == 1) {
        if (label < std::numeric_limits<TMask>::min() || label > std::numeric_limits<TMask>::max()) {
            return n;
        }
        const void* hit = std::memchr(row, static_cast<unsigned char>(static_cast<TMask>(label)), n);
        return hit == nullptr ? n : static_cast<std::size_t>(static_cast<const TMask*>(hit) - row);
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            if (in_label(row[i], label)) {
                return i;
            }
        }
        return n;
    }
}

inline void check_box(const bounding_box& box, std::size_t count, const settings& options, const char* where,
                      const char* what)
{
    int dims = 0;
    for (std::size_t d = 0; d < 3; ++d) {
        dims += box.extent(d) > 1 ? 1 : 0;
    }
    if (dims < options.minimum_roi_dimensions) {
        raise<mask_error>(where, what, " dimensionality: got ", dims, " axes longer than 1 voxel (", count,
                          " voxels), expected at least ", options.minimum_roi_dimensions,
                          " (minimumROIDimensions).");
    }
    if (options.minimum_roi_size && count < *options.minimum_roi_size) {
        raise<mask_error>(where, what, " size: got ", count, " voxels, expected at least ",
                          *options.minimum_roi_size, " (minimumROISize).");
    }
}

}  // namespace detail

/// Prepares the ROI of `label` (settings `label`) for feature extraction; see the file comment.
///
/// Throws `geometry_error` if the grids differ, `mask_error` for an absent label, an ROI emptied by
/// re-segmentation or one failing `minimumROIDimensions` / `minimumROISize`, and `invalid_argument` for
/// NaN/Inf inside the ROI or too many bins.
template <class TPixel, class TMask>
roi_data make_roi(const image<TPixel, 3>& img, const image<TMask, 3>& mask, const settings& options)
{
    const char* where = "features.make_roi";
    if (!img.geometry().same_grid(mask.geometry())) {
        raise<geometry_error>(where, "mask grid: got ", mask.geometry().describe(), ", expected the image grid ",
                              img.geometry().describe(), ".");
    }
    const auto& shape = img.shape();
    roi_data out;
    for (std::size_t d = 0; d < 3; ++d) {
        out.spacing[d] = img.spacing()[d];
    }
    const double lower = options.resegment_range ? (*options.resegment_range)[0] : std::nan("");
    const double upper = options.resegment_range ? (*options.resegment_range)[1] : std::nan("");
    if (options.resegment_range && upper < lower) {
        raise<invalid_argument>(where, "resegmentRange: got [", lower, ", ", upper, "], expected lower <= upper.");
    }

    // Pass 1: bounding boxes of the label and of the re-segmented ROI.
    bounding_box label_box{{shape[0], shape[1], shape[2]}, {0, 0, 0}};
    bounding_box box = label_box;
    std::size_t label_count = 0;
    std::size_t count = 0;
    const std::size_t nx = shape[0];
    const std::size_t ny = shape[1];
    const TMask* mask_data = mask.begin_pointer();
    const auto extend = [](bounding_box& b, std::size_t first, std::size_t last, std::size_t j, std::size_t k) {
        b.lower[0] = std::min(b.lower[0], first);
        b.upper[0] = std::max(b.upper[0], last);
        b.lower[1] = std::min(b.lower[1], j);
        b.upper[1] = std::max(b.upper[1], j);
        b.lower[2] = std::min(b.lower[2], k);
        b.upper[2] = std::max(b.upper[2], k);
    };
    for (std::size_t k = 0; k < shape[2]; ++k) {
        for (std::size_t j = 0; j < ny; ++j) {
            const std::size_t row = nx * (j + ny * k);
            const std::size_t first = detail::find_label(mask_data + row, nx, options.label);
            if (first == nx) {
                continue;
            }
            std::size_t last = first;
            std::size_t kept_first = nx;
            std::size_t kept_last = 0;
            for (std::size_t i = first; i < nx; ++i) {
                if (!detail::in_label(mask_data[row + i], options.label)) {
                    continue;
                }
                const double v = static_cast<double>(img[row + i]);
                if (!std::isfinite(v)) {
                    raise<invalid_argument>(where, "ROI voxel (", i, ", ", j, ", ", k, "): got ", v,
                                            ", expected a finite intensity. Replace NaN/Inf before extraction.");
                }
                ++label_count;
                last = i;
                if ((std::isnan(lower) || v >= lower) && (std::isnan(upper) || v <= upper)) {
                    ++count;
                    kept_first = std::min(kept_first, i);
                    kept_last = i;
                }
            }
            extend(label_box, first, last, j, k);
            if (kept_first < nx) {
                extend(box, kept_first, kept_last, j, k);
            }
        }
    }
    if (label_count == 0) {
        raise<mask_error>(where, "voxels with label ", options.label, ": got 0, expected at least 1. "
                          "Check the label setting and that the mask belongs to this image.");
    }
    detail::check_box(label_box, label_count, options, where, "ROI");
    if (count == 0) {
        raise<mask_error>(where, "ROI voxels after resegmentRange [", lower, ", ", upper,
                          "]: got 0, expected at least 1.");
    }
    detail::check_box(box, count, options, where, "re-segmented ROI");
    out.box = box;
    out.shape_box = label_box;

    // Shape mask on the label bounding box.
    {
        const auto ex = label_box.extent(0);
        const auto ey = label_box.extent(1);
        const auto ez = label_box.extent(2);
        out.shape_mask.assign(ex * ey * ez, 0);
        for (std::size_t k = 0; k < ez; ++k) {
            for (std::size_t j = 0; j < ey; ++j) {
                const std::size_t row = label_box.lower[0] + nx * (label_box.lower[1] + j + ny * (label_box.lower[2] + k));
                for (std::size_t i = 0; i < ex; ++i) {
                    out.shape_mask[i + ex * (j + ey * k)] = detail::in_label(mask[row + i], options.label) ? 1 : 0;
                }
            }
        }
    }

    // Texture grid and values.
    std::size_t margin = 1;
    for (int d : options.distances) {
        if (d < 1) {
            raise<invalid_argument>(where, "distances: got ", d, ", expected integers >= 1.");
        }
        margin = std::max(margin, static_cast<std::size_t>(d));
    }
    texture_grid& grid = out.grid;
    grid.margin = margin;
    for (std::size_t d = 0; d < 3; ++d) {
        grid.shape[d] = box.extent(d) + 2 * margin;
        const auto pad = static_cast<std::size_t>(std::max(options.pad_distance, 0));
        const std::size_t lo = box.lower[d] >= pad ? box.lower[d] - pad : 0;
        const std::size_t hi = std::min(box.upper[d] + pad, shape[d] - 1);
        grid.crop_extent[d] = hi - lo + 1;
    }
    grid.levels.assign(grid.shape[0] * grid.shape[1] * grid.shape[2], 0);
    out.values.reserve(count);
    grid.roi_offsets.reserve(count);
    for (std::size_t k = box.lower[2]; k <= box.upper[2]; ++k) {
        for (std::size_t j = box.lower[1]; j <= box.upper[1]; ++j) {
            const std::size_t row = nx * (j + ny * k);
            const std::size_t grow = margin + grid.shape[0] * (j - box.lower[1] + margin +
                                                               grid.shape[1] * (k - box.lower[2] + margin));
            for (std::size_t i = box.lower[0]; i <= box.upper[0]; ++i) {
                if (!detail::in_label(mask[row + i], options.label)) {
                    continue;
                }
                const double v = static_cast<double>(img[row + i]);
                if ((std::isnan(lower) || v >= lower) && (std::isnan(upper) || v <= upper)) {
                    out.values.push_back(v);
                    grid.roi_offsets.push_back(grow + (i - box.lower[0]));
                }
            }
        }
    }
    std::optional<double> ibsi_minimum;
    if (options.ibsi_compliant) {
        ibsi_minimum = options.resegment_range && std::isfinite(lower)
                           ? lower
                           : *std::min_element(out.values.begin(), out.values.end());
    }
    auto disc = preprocess::discretize_values(out.values, options.bin_width, options.bin_count,
                                              std::is_same_v<TPixel, float>, ibsi_minimum);
    out.levels = std::move(disc.levels);
    out.edges = std::move(disc.edges);
    grid.max_level = disc.max_level;
    std::vector<char> seen(static_cast<std::size_t>(grid.max_level) + 1, 0);
    for (std::size_t n = 0; n < out.levels.size(); ++n) {
        grid.levels[grid.roi_offsets[n]] = out.levels[n];
        seen[static_cast<std::size_t>(out.levels[n])] = 1;
    }
    for (std::size_t g = 1; g < seen.size(); ++g) {
        if (seen[g]) {
            grid.present.push_back(static_cast<std::int32_t>(g));
        }
    }
    return out;
}

/// `options` as the texture classes apply them to a 2-D image: force2D on, force2Ddimension 0 (numpy order: the
/// z axis of the one-slice volume a plane is held in, see `make_roi` for `image<TPixel, 2>`).
inline settings planar_settings(settings options)
{
    options.force_2d = true;
    options.force_2d_dimension = 0;
    return options;
}

/// Prepares the ROI of a 2-D image: the pixels as a one-slice volume (`to_slice_volume`, spacing[2] = 1) with
/// PyRadiomics' 2-D semantics (its texture classes on a 2-D SimpleITK image, equal to `force2D` on one slice):
/// 4 GLCM/GLRLM directions, 8-connected GLSZM zones, 8 GLDM/NGTDM neighbours (distance 1). The result's
/// `dimension` is 2: shape features are `shape2D` and TotalEnergy multiplies by the pixel area (mm^2).
///
/// Throws what the 3-D `make_roi` throws; `minimumROIDimensions` counts the two in-plane axes.
template <class TPixel, class TMask>
roi_data make_roi(const image<TPixel, 2>& img, const image<TMask, 2>& mask, const settings& options)
{
    roi_data out = make_roi(to_slice_volume(img), to_slice_volume(mask), planar_settings(options));
    out.dimension = 2;
    return out;
}

/// Re-targets `roi.grid.crop_extent` for an ROI made on a crop that starts at `start` inside an image of
/// `full_shape`: the extent PyRadiomics would see (bounding box + padDistance, clipped to the whole image).
inline void set_crop_extent(roi_data& roi, const std::array<std::ptrdiff_t, 3>& start,
                            const std::array<std::size_t, 3>& full_shape, int pad_distance)
{
    const auto pad = static_cast<std::ptrdiff_t>(std::max(pad_distance, 0));
    for (std::size_t d = 0; d < 3; ++d) {
        const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(roi.box.lower[d]) + start[d] - pad, 0);
        const std::ptrdiff_t hi = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(roi.box.upper[d]) + start[d] + pad,
                                                           static_cast<std::ptrdiff_t>(full_shape[d]) - 1);
        roi.grid.crop_extent[d] = static_cast<std::size_t>(hi - lo + 1);
    }
}

/// Texture offsets (dx, dy, dz) as PyRadiomics' C extension generates them (`generate_angles`): every
/// offset whose Chebyshev norm is one of `distances`, each axis limited to `crop_extent - 1`, none along
/// the `force_2d_dimension` axis (numpy order: 0 = z) when `force_2d`. Without `bidirectional` only one of
/// each opposite pair is kept (13 for distance 1 in 3D, 4 in 2D).
inline std::vector<std::array<int, 3>> texture_offsets(const std::array<std::size_t, 3>& crop_extent,
                                                       const std::vector<int>& distances, bool bidirectional,
                                                       bool force_2d, int force_2d_dimension)
{
    int max_distance = 1;
    for (int d : distances) {
        max_distance = std::max(max_distance, d);
    }
    // limits in numpy order (z, y, x)
    std::array<int, 3> limit{};
    for (int a = 0; a < 3; ++a) {
        const std::size_t extent = crop_extent[static_cast<std::size_t>(2 - a)];
        limit[static_cast<std::size_t>(a)] =
            std::min(max_distance, static_cast<int>(std::min<std::size_t>(extent, 1u << 20)) - 1);
        if (force_2d && a == force_2d_dimension) {
            limit[static_cast<std::size_t>(a)] = 0;
        }
    }
    std::vector<std::array<int, 3>> offsets;
    for (int z = -limit[0]; z <= limit[0]; ++z) {
        for (int y = -limit[1]; y <= limit[1]; ++y) {
            for (int x = -limit[2]; x <= limit[2]; ++x) {
                const int norm = std::max({std::abs(z), std::abs(y), std::abs(x)});
                if (norm == 0 || std::find(distances.begin(), distances.end(), norm) == distances.end()) {
                    continue;
                }
                if (!bidirectional) {
                    // keep the offset whose first non-zero component (z, y, x order) is positive
                    const int first = z != 0 ? z : (y != 0 ? y : x);
                    if (first < 0) {
                        continue;
                    }
                }
                offsets.push_back({x, y, z});
            }
        }
    }
    return offsets;
}

}  // namespace radiogenomics::features
