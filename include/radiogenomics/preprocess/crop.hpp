#pragma once
/// \file crop.hpp
/// \brief Bounding boxes of masks, cropping to a box or to a mask (PyRadiomics `cropToTumorMask`),
///        and centred crop/pad to a fixed in-plane size (the study crops CT/PET to 512 × 512).
///
/// Every crop returns an image whose geometry follows the voxels: spacing and direction are kept and
/// the origin moves to the physical point of the first kept voxel, so physical positions are unchanged.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/image_geometry.hpp"
#include "radiogenomics/preprocess/detail/allocation.hpp"

namespace radiogenomics::preprocess {

/// An axis-aligned box of voxel indices, both bounds inclusive (PyRadiomics' `(L_x, U_x, L_y, U_y, …)`).
template <std::size_t VDim>
struct bounding_box {
    using index_type = typename image_geometry<VDim>::index_type;
    using size_type = typename image_geometry<VDim>::size_type;

    index_type lower{};  ///< first voxel inside, per axis
    index_type upper{};  ///< last voxel inside, per axis (inclusive)

    /// Number of voxels per axis, `upper - lower + 1`.
    size_type size() const
    {
        size_type s{};
        for (std::size_t d = 0; d < VDim; ++d) {
            s[d] = upper[d] >= lower[d] ? static_cast<std::size_t>(upper[d] - lower[d] + 1) : 0;
        }
        return s;
    }

    /// True when `index` lies inside the box.
    bool contains(const index_type& index) const
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (index[d] < lower[d] || index[d] > upper[d]) {
                return false;
            }
        }
        return true;
    }
};

namespace detail {

template <std::size_t VDim>
std::string describe_box(const bounding_box<VDim>& box)
{
    std::string text = "[";
    for (std::size_t d = 0; d < VDim; ++d) {
        text += (d ? ", " : "") + std::to_string(box.lower[d]) + ".." + std::to_string(box.upper[d]);
    }
    return text + "]";
}

template <class TMask>
bool mask_selects(TMask value, TMask label)
{
    return label == TMask{} ? value != TMask{} : value == label;
}

}  // namespace detail

/// Bounding box of the voxels equal to `label` (of every non-zero voxel when `label == 0`).
///
/// \par PyRadiomics
/// `imageoperations.checkMask` → `LabelStatisticsImageFilter.GetBoundingBox(label)`.
/// \throws mask_error when the mask is empty or holds no voxel with that label.
template <class TMask, std::size_t VDim>
bounding_box<VDim> mask_bounding_box(const image<TMask, VDim>& mask, TMask label = TMask{})
{
    static_assert(std::is_integral_v<TMask>, "masks hold integer labels");
    bounding_box<VDim> box;
    bool found = false;
    const std::size_t n = mask.size();
    for (std::size_t linear = 0; linear < n; ++linear) {
        if (!detail::mask_selects(mask[linear], label)) {
            continue;
        }
        const auto index = mask.index_of(linear);
        if (!found) {
            box.lower = index;
            box.upper = index;
            found = true;
        } else {
            for (std::size_t d = 0; d < VDim; ++d) {
                box.lower[d] = std::min(box.lower[d], index[d]);
                box.upper[d] = std::max(box.upper[d], index[d]);
            }
        }
    }
    if (!found) {
        if (label == TMask{}) {
            raise<mask_error>("preprocess.mask_bounding_box", "mask: got no non-zero voxel among ", n,
                              ", expected at least one. The mask is empty.");
        }
        raise<mask_error>("preprocess.mask_bounding_box", "label: got ", +label,
                          ", expected a label present in the mask. No voxel carries it.");
    }
    return box;
}

/// Grows `box` by `pad` voxels on every side and clips it to `shape` (PyRadiomics `padDistance`).
template <std::size_t VDim>
bounding_box<VDim> pad_bounding_box(const bounding_box<VDim>& box, std::size_t pad,
                                    const typename image_geometry<VDim>::size_type& shape)
{
    bounding_box<VDim> out;
    const auto p = static_cast<std::ptrdiff_t>(pad);
    for (std::size_t d = 0; d < VDim; ++d) {
        out.lower[d] = std::max<std::ptrdiff_t>(box.lower[d] - p, 0);
        out.upper[d] = std::min<std::ptrdiff_t>(box.upper[d] + p, static_cast<std::ptrdiff_t>(shape[d]) - 1);
    }
    return out;
}

/// A copy of the voxels inside `box` (geometry follows the voxels).
/// \throws geometry_error when the box is empty or leaves the image.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> crop(const image<TPixel, VDim>& img, const bounding_box<VDim>& box)
{
    for (std::size_t d = 0; d < VDim; ++d) {
        if (box.lower[d] < 0 || box.upper[d] < box.lower[d] ||
            box.upper[d] >= static_cast<std::ptrdiff_t>(img.shape()[d])) {
            raise<geometry_error>("preprocess.crop", "box ", detail::describe_box(box), ": got axis ", d,
                                  " outside the image, expected 0 <= lower <= upper < ", img.shape()[d], ".");
        }
    }
    return img.region(box.lower, box.size());
}

/// The block of `size` voxels starting at `start` (which may be negative or run past the end):
/// voxels outside the input are set to `pad_value`. Geometry: origin = physical point of `start`.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> crop_or_pad(const image<TPixel, VDim>& img, const typename image<TPixel, VDim>::index_type& start,
                                const typename image<TPixel, VDim>::size_type& size, TPixel pad_value = TPixel{})
{
    for (std::size_t d = 0; d < VDim; ++d) {
        if (size[d] == 0) {
            raise<geometry_error>("preprocess.crop_or_pad", "size[", d, "]: got 0, expected at least 1 voxel.");
        }
    }
    image<TPixel, VDim> out(img.geometry().region(start, size), pad_value);
    const std::size_t n = out.size();
    typename image<TPixel, VDim>::index_type source{};
    for (std::size_t linear = 0; linear < n; ++linear) {
        const auto local = out.index_of(linear);
        bool inside = true;
        for (std::size_t d = 0; d < VDim; ++d) {
            source[d] = local[d] + start[d];
            inside = inside && source[d] >= 0 && source[d] < static_cast<std::ptrdiff_t>(img.shape()[d]);
        }
        if (inside) {
            out[linear] = img.unchecked(source);
        }
    }
    return out;
}

/// Crops or pads the in-plane axes (x, y) to `nx × ny`, centred on the image; z is kept (3D).
///
/// Along an axis of `n` voxels and target `t`: cropping keeps voxels `[⌊(n−t)/2⌋, ⌊(n−t)/2⌋ + t)`; padding puts
/// `⌊(t−n)/2⌋` voxels of `pad_value` before the data and the rest after. Physical positions are kept (the origin
/// moves). `pad_value` is what the scanner shows outside the field of view: −1024 HU (air) for CT, 0 for PET.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> crop_or_pad_center(const image<TPixel, VDim>& img, std::size_t nx, std::size_t ny,
                                       TPixel pad_value = TPixel{})
{
    static_assert(VDim == 2 || VDim == 3, "in-plane crop needs a 2D or 3D image");
    if (nx == 0 || ny == 0) {
        raise<geometry_error>("preprocess.crop_or_pad_center", "target size: got ", nx, " x ", ny,
                              ", expected at least 1 x 1.");
    }
    typename image<TPixel, VDim>::index_type start{};
    typename image<TPixel, VDim>::size_type size = img.shape();
    const std::array<std::size_t, 2> target{nx, ny};
    for (std::size_t d = 0; d < 2; ++d) {
        const auto n = static_cast<std::ptrdiff_t>(img.shape()[d]);
        const auto t = static_cast<std::ptrdiff_t>(target[d]);
        // crop: start = floor((n - t) / 2) >= 0; pad: start = -floor((t - n) / 2) <= 0
        start[d] = n >= t ? (n - t) / 2 : -((t - n) / 2);
        size[d] = target[d];
    }
    return crop_or_pad(img, start, size, pad_value);
}

/// An image and its mask cropped to the same box.
template <class TPixel, class TMask, std::size_t VDim>
struct cropped_pair {
    image<TPixel, VDim> image_part;
    image<TMask, VDim> mask_part;
    bounding_box<VDim> box;  ///< the box cropped to, in the input's indices
};

/// Crops image and mask to the mask's bounding box grown by `pad_distance` voxels (clipped to the image).
///
/// \par PyRadiomics
/// `imageoperations.cropToTumorMask(image, mask, boundingBox, padDistance=…)`: lower bound `L − pad`, upper bound
/// `U + pad`, clipped to the image. The feature extractor uses `padDistance = 0` for features and 5 when filters
/// follow.
/// \throws geometry_error when the grids differ; mask_error when the label is absent.
template <class TPixel, class TMask, std::size_t VDim>
cropped_pair<TPixel, TMask, VDim> crop_to_mask(const image<TPixel, VDim>& img, const image<TMask, VDim>& mask,
                                               TMask label = TMask{}, std::size_t pad_distance = 0)
{
    require_same_grid(img.geometry(), mask.geometry(), "preprocess.crop_to_mask");
    const auto box = pad_bounding_box(mask_bounding_box(mask, label), pad_distance, img.shape());
    return {crop(img, box), crop(mask, box), box};
}

}  // namespace radiogenomics::preprocess
