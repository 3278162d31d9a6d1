#pragma once
/// \file threshold.hpp
/// \brief Range thresholds to masks, logical combinations of masks, and the study's brown-adipose-tissue mask.
///
/// \par Brown adipose tissue (the study's definition)
/// A voxel is BAT when PET SUV > 1.5 **and** CT ∈ [−190, −10] HU (the adipose-tissue HU window), optionally
/// only inside a region (e.g. the supraclavicular box) and only in connected components of at least a given
/// volume. PET and CT must share one grid: resample PET onto CT first (`resample.hpp`).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/crop.hpp"

namespace radiogenomics::preprocess {

/// Mask (0/1) of voxels with \f$\mathrm{lower} \le x \le \mathrm{upper}\f$ (closed range; ±infinity allowed).
/// \throws invalid_argument for NaN bounds, lower > upper, or NaN/Inf voxels.
template <class TPixel, std::size_t VDim>
mask_image<VDim> threshold_range(const image<TPixel, VDim>& img, double lower, double upper)
{
    if (std::isnan(lower) || std::isnan(upper) || lower > upper) {
        raise<invalid_argument>("preprocess.threshold_range", "range: got [", lower, ", ", upper,
                                "], expected lower <= upper (not NaN).");
    }
    require_finite(img, "preprocess.threshold_range");
    mask_image<VDim> out(img.geometry(), 0);
    for (std::size_t i = 0; i < img.size(); ++i) {
        const double v = static_cast<double>(img[i]);
        out[i] = static_cast<std::uint8_t>(v >= lower && v <= upper);
    }
    return out;
}

/// Mask (0/1) of voxels with \f$x > t\f$ (strict).
/// \throws invalid_argument for a NaN threshold or NaN/Inf voxels.
template <class TPixel, std::size_t VDim>
mask_image<VDim> threshold_above(const image<TPixel, VDim>& img, double t)
{
    if (std::isnan(t)) {
        raise<invalid_argument>("preprocess.threshold_above", "threshold: got NaN, expected a number.");
    }
    require_finite(img, "preprocess.threshold_above");
    mask_image<VDim> out(img.geometry(), 0);
    for (std::size_t i = 0; i < img.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(static_cast<double>(img[i]) > t);
    }
    return out;
}

namespace detail {

template <class TA, class TB, std::size_t VDim, class TOp>
mask_image<VDim> combine_masks(const image<TA, VDim>& a, const image<TB, VDim>& b, TOp op, const char* where)
{
    require_same_grid(a.geometry(), b.geometry(), where, "first mask", "second mask");
    mask_image<VDim> out(a.geometry(), 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(op(a[i] != TA{}, b[i] != TB{}));
    }
    return out;
}

}  // namespace detail

/// Voxel-wise AND of two masks (non-zero = true); grids must match.
template <class TA, class TB, std::size_t VDim>
mask_image<VDim> mask_and(const image<TA, VDim>& a, const image<TB, VDim>& b)
{
    return detail::combine_masks(a, b, [](bool x, bool y) { return x && y; }, "preprocess.mask_and");
}

/// Voxel-wise OR of two masks.
template <class TA, class TB, std::size_t VDim>
mask_image<VDim> mask_or(const image<TA, VDim>& a, const image<TB, VDim>& b)
{
    return detail::combine_masks(a, b, [](bool x, bool y) { return x || y; }, "preprocess.mask_or");
}

/// Voxel-wise AND NOT (`a` without `b`).
template <class TA, class TB, std::size_t VDim>
mask_image<VDim> mask_and_not(const image<TA, VDim>& a, const image<TB, VDim>& b)
{
    return detail::combine_masks(a, b, [](bool x, bool y) { return x && !y; }, "preprocess.mask_and_not");
}

/// Voxel-wise NOT.
template <class TMask, std::size_t VDim>
mask_image<VDim> mask_not(const image<TMask, VDim>& a)
{
    mask_image<VDim> out(a.geometry(), 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(a[i] == TMask{});
    }
    return out;
}

/// An axis-aligned box in physical space (mm, LPS); a voxel is inside when its centre is (bounds inclusive).
template <std::size_t VDim>
struct physical_box {
    std::array<double, VDim> lower{};
    std::array<double, VDim> upper{};
};

/// Mask (0/1) of the voxels of `grid` inside an index box (clipped to the grid).
template <std::size_t VDim>
mask_image<VDim> region_mask(const image_geometry<VDim>& grid, const bounding_box<VDim>& box)
{
    mask_image<VDim> out(grid, 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(box.contains(out.index_of(i)));
    }
    return out;
}

/// Mask (0/1) of the voxels of `grid` whose centre lies in a physical box (the grid may be rotated).
/// \throws invalid_argument for NaN bounds or lower > upper.
template <std::size_t VDim>
mask_image<VDim> region_mask(const image_geometry<VDim>& grid, const physical_box<VDim>& box)
{
    for (std::size_t d = 0; d < VDim; ++d) {
        if (!(box.lower[d] <= box.upper[d])) {
            raise<invalid_argument>("preprocess.region_mask", "physical box axis ", d, ": got [", box.lower[d], ", ",
                                    box.upper[d], "], expected lower <= upper.");
        }
    }
    mask_image<VDim> out(grid, 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto p = grid.index_to_physical(out.index_of(i));
        bool inside = true;
        for (std::size_t d = 0; d < VDim; ++d) {
            inside = inside && p[d] >= box.lower[d] && p[d] <= box.upper[d];
        }
        out[i] = static_cast<std::uint8_t>(inside);
    }
    return out;
}

/// Settings of `brown_adipose_tissue_mask`; defaults are the study's definition.
template <std::size_t VDim>
struct bat_options {
    double suv_threshold = 1.5;     ///< SUV strictly greater than this
    double hu_lower = -190.0;       ///< CT window, inclusive
    double hu_upper = -10.0;        ///< CT window, inclusive
    std::optional<bounding_box<VDim>> index_region;     ///< keep only voxels in this index box
    std::optional<physical_box<VDim>> physical_region;  ///< keep only voxels whose centre is in this box (mm, LPS)
    double min_component_volume_mm3 = 0.0;  ///< drop connected components smaller than this (0 = keep all)
    int connectivity = face_connectivity<VDim>();  ///< for the component filter (4/8, 6/18/26)
};

namespace detail {

/// `box` clipped to the grid `shape`; `empty` is set when nothing is left.
template <std::size_t VDim>
bounding_box<VDim> clip_box(const bounding_box<VDim>& box, const std::array<std::size_t, VDim>& shape, bool& empty)
{
    bounding_box<VDim> out;
    empty = false;
    for (std::size_t d = 0; d < VDim; ++d) {
        out.lower[d] = std::max<std::ptrdiff_t>(box.lower[d], 0);
        out.upper[d] = std::min<std::ptrdiff_t>(box.upper[d], static_cast<std::ptrdiff_t>(shape[d]) - 1);
        empty = empty || out.upper[d] < out.lower[d];
    }
    return out;
}

/// Linear offset of the first voxel of row `row` (rows run along axis 0) of `box` in an image of `shape`.
template <std::size_t VDim>
std::size_t box_row_offset(const bounding_box<VDim>& box, const std::array<std::size_t, VDim>& shape, std::size_t row)
{
    std::size_t offset = 0;
    std::size_t stride = 1;
    for (std::size_t d = 0; d < VDim; ++d) {
        std::size_t index = static_cast<std::size_t>(box.lower[d]);
        if (d > 0) {
            const std::size_t extent = static_cast<std::size_t>(box.upper[d] - box.lower[d] + 1);
            index += row % extent;
            row /= extent;
        }
        offset += index * stride;
        stride *= shape[d];
    }
    return offset;
}

/// Throws the standard non-finite-voxel error (`require_finite`) for the first NaN/Inf voxel of `img` inside
/// `box`. Error path only: it checks a zero image holding the box's voxels, so the message names
/// whole-grid indices.
template <class TPixel, std::size_t VDim>
void require_finite_in_box(const image<TPixel, VDim>& img, const bounding_box<VDim>& box, const char* where,
                           const char* name)
{
    image<TPixel, VDim> inside(img.geometry(), TPixel{});
    std::size_t rows = 1;
    for (std::size_t d = 1; d < VDim; ++d) {
        rows *= static_cast<std::size_t>(box.upper[d] - box.lower[d] + 1);
    }
    const auto width = static_cast<std::ptrdiff_t>(box.upper[0] - box.lower[0] + 1);
    for (std::size_t r = 0; r < rows; ++r) {
        const auto first = static_cast<std::ptrdiff_t>(box_row_offset(box, img.shape(), r));
        std::copy(img.begin_pointer() + first, img.begin_pointer() + first + width, inside.begin_pointer() + first);
    }
    require_finite(inside, where, name);
}

}  // namespace detail

/// The study's BAT mask: \f$\mathrm{SUV} > 1.5 \wedge \mathrm{HU} \in [-190, -10]\f$ (+ region, + min volume).
///
/// With an `index_region` only the voxels of that box (clipped to the grid) are read, thresholded and
/// labelled into components; every voxel outside it is 0. The result is the same as thresholding the whole
/// grid and intersecting with the box, at the cost of the box only (the supraclavicular box is ~10 % of a
/// 512×512×80 CT). NaN/Inf voxels outside the region are therefore not an error.
/// \throws geometry_error when the PET and CT grids differ; invalid_argument for NaN/Inf voxels (inside the
/// region, if any) or bad options.
template <class TSuv, class TCt, std::size_t VDim>
mask_image<VDim> brown_adipose_tissue_mask(const image<TSuv, VDim>& suv, const image<TCt, VDim>& ct_hu,
                                           const bat_options<VDim>& options = {})
{
    const char* where = "preprocess.brown_adipose_tissue_mask";
    require_same_grid(suv.geometry(), ct_hu.geometry(), where, "PET SUV", "CT");
    if (std::isnan(options.suv_threshold) || std::isnan(options.hu_lower) || std::isnan(options.hu_upper) ||
        options.hu_lower > options.hu_upper) {
        raise<invalid_argument>(where, "thresholds: got SUV > ", options.suv_threshold, " and HU in [",
                                options.hu_lower, ", ", options.hu_upper, "], expected numbers with hu_lower <= hu_upper.");
    }
    if (!(options.min_component_volume_mm3 >= 0.0) || !std::isfinite(options.min_component_volume_mm3)) {
        raise<invalid_argument>(where, "min_component_volume_mm3: got ", options.min_component_volume_mm3,
                                ", expected a finite value >= 0.");
    }
    if (options.physical_region) {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (!(options.physical_region->lower[d] <= options.physical_region->upper[d])) {
                raise<invalid_argument>(where, "physical region axis ", d, ": got [", options.physical_region->lower[d],
                                        ", ", options.physical_region->upper[d], "], expected lower <= upper.");
            }
        }
    }
    static_cast<void>(detail::connectivity_order<VDim>(options.connectivity, where));
    const auto shape = suv.shape();
    bounding_box<VDim> box;
    for (std::size_t d = 0; d < VDim; ++d) {
        box.lower[d] = 0;
        box.upper[d] = static_cast<std::ptrdiff_t>(shape[d]) - 1;
    }
    bool empty = suv.size() == 0;
    if (options.index_region) {
        box = detail::clip_box(*options.index_region, shape, empty);
    }
    const bool whole = !options.index_region || box.size() == shape;
    // Outside the box every voxel is 0; a whole-grid box writes every voxel below.
    mask_image<VDim> out = whole ? detail::make_uninitialized_image<std::uint8_t>(suv.geometry())
                                 : mask_image<VDim>(suv.geometry(), 0);
    if (empty) {
        return out;
    }
    const auto width = static_cast<std::ptrdiff_t>(box.upper[0] - box.lower[0] + 1);
    std::size_t rows_count = 1;
    for (std::size_t d = 1; d < VDim; ++d) {
        rows_count *= static_cast<std::size_t>(box.upper[d] - box.lower[d] + 1);
    }
    const auto rows = static_cast<std::ptrdiff_t>(rows_count);
    const TSuv* s = suv.begin_pointer();
    const TCt* c = ct_hu.begin_pointer();
    std::uint8_t* o = out.begin_pointer();
    const double t = options.suv_threshold;
    const double lo = options.hu_lower;
    const double hi = options.hu_upper;
    // one pass over the box: threshold and (per block of rows) note any NaN/Inf, reported below
    const std::ptrdiff_t rows_per_block = std::max<std::ptrdiff_t>(1, (std::ptrdiff_t{1} << 16) / width);
    const std::ptrdiff_t blocks = (rows + rows_per_block - 1) / rows_per_block;
    std::vector<std::uint8_t> non_finite(static_cast<std::size_t>(blocks), 0);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t b = 0; b < blocks; ++b) {
        int bad = 0;
        const std::ptrdiff_t last = std::min(rows, (b + 1) * rows_per_block);
        for (std::ptrdiff_t r = b * rows_per_block; r < last; ++r) {
            const auto first = static_cast<std::ptrdiff_t>(detail::box_row_offset(box, shape, static_cast<std::size_t>(r)));
            for (std::ptrdiff_t i = first; i < first + width; ++i) {
                const double sv = static_cast<double>(s[i]);
                const double h = static_cast<double>(c[i]);
                bad |= static_cast<int>(!std::isfinite(sv)) | static_cast<int>(!std::isfinite(h));
                o[i] = static_cast<std::uint8_t>(sv > t && h >= lo && h <= hi);
            }
        }
        non_finite[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(bad != 0);
    }
    if (std::find(non_finite.begin(), non_finite.end(), std::uint8_t{1}) != non_finite.end()) {
        detail::require_finite_in_box(suv, box, where, "PET SUV");
        detail::require_finite_in_box(ct_hu, box, where, "CT");
    }
    if (options.physical_region) {
        const auto& p = *options.physical_region;
        for (std::ptrdiff_t r = 0; r < rows; ++r) {
            const auto first = static_cast<std::ptrdiff_t>(detail::box_row_offset(box, shape, static_cast<std::size_t>(r)));
            for (std::ptrdiff_t i = first; i < first + width; ++i) {
                if (o[i] != 0) {
                    const auto x = out.geometry().index_to_physical(out.index_of(static_cast<std::size_t>(i)));
                    bool inside = true;
                    for (std::size_t d = 0; d < VDim; ++d) {
                        inside = inside && x[d] >= p.lower[d] && x[d] <= p.upper[d];
                    }
                    o[i] = static_cast<std::uint8_t>(inside);
                }
            }
        }
    }
    if (options.min_component_volume_mm3 > 0.0) {
        if (whole) {
            return remove_small_components_by_volume(out, options.min_component_volume_mm3, options.connectivity);
        }
        // Components never leave the box (everything outside is 0): label the box only, paste it back.
        const mask_image<VDim> kept = remove_small_components_by_volume(
            out.region(box.lower, box.size()), options.min_component_volume_mm3, options.connectivity);
        const std::uint8_t* k = kept.begin_pointer();
        for (std::ptrdiff_t r = 0; r < rows; ++r) {
            const auto first = static_cast<std::ptrdiff_t>(detail::box_row_offset(box, shape, static_cast<std::size_t>(r)));
            std::copy(k + r * width, k + (r + 1) * width, o + first);
        }
    }
    return out;
}

}  // namespace radiogenomics::preprocess
