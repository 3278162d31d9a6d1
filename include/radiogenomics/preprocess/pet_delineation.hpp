#pragma once
/// \file pet_delineation.hpp
/// \brief Automatic PET tumour delineation by relative-threshold region growing (stands in for the study's
///        nnU-Net segmentation).
///
/// \par Method
/// 1. Find SUVmax inside the search box (ties: the first voxel in scan order).
/// 2. Threshold \f$T = \max(f \cdot \mathrm{SUV_{max}},\ T_{abs})\f$ with \f$f\f$ = 0.41 by default (the EANM
///    41 % isocontour; Boellaard et al., EJNMMI 2015;42:328) and an optional absolute floor \f$T_{abs}\f$
///    (e.g. SUV 2.5).
/// 3. Grow the region of voxels with SUV ≥ T connected to the SUVmax voxel (breadth-first flood fill), inside
///    the search box unless `restrict_to_search_box` is false.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/crop.hpp"

namespace radiogenomics::preprocess {

/// Settings of `delineate_pet_tumour`.
template <std::size_t VDim>
struct pet_delineation_options {
    double fraction = 0.41;                       ///< fraction of the local SUVmax, in (0, 1]
    std::optional<double> absolute_threshold;     ///< absolute SUV floor (e.g. 2.5); unset = none
    std::optional<bounding_box<VDim>> search_box; ///< where to look for SUVmax; unset = whole image
    bool restrict_to_search_box = true;           ///< the grown region stays inside the search box
    int connectivity = full_connectivity<VDim>(); ///< 8 / 26 by default (a tumour may touch at corners)
};

/// Result of `delineate_pet_tumour`.
template <std::size_t VDim>
struct pet_delineation {
    mask_image<VDim> mask;                            ///< 1 = tumour
    double suv_max = 0.0;                             ///< local SUVmax
    typename image_geometry<VDim>::index_type peak{}; ///< index of SUVmax
    double threshold = 0.0;                           ///< SUV threshold used
    std::size_t voxel_count = 0;
    double volume_ml = 0.0;                           ///< voxel_count × voxel volume / 1000
};

/// Delineates the tumour around the hottest voxel of the search box.
/// \throws invalid_argument for NaN/Inf voxels or bad options; geometry_error for a search box outside the image;
///         mask_error when SUVmax is below the absolute threshold (no tumour to delineate).
template <class TPixel, std::size_t VDim>
pet_delineation<VDim> delineate_pet_tumour(const image<TPixel, VDim>& suv,
                                           const pet_delineation_options<VDim>& options = {})
{
    const char* where = "preprocess.delineate_pet_tumour";
    if (!(options.fraction > 0.0 && options.fraction <= 1.0)) {
        raise<invalid_argument>(where, "fraction: got ", options.fraction, ", expected a value in (0, 1].");
    }
    if (options.absolute_threshold && !std::isfinite(*options.absolute_threshold)) {
        raise<invalid_argument>(where, "absolute_threshold: got ", *options.absolute_threshold,
                                ", expected a finite SUV.");
    }
    static_cast<void>(detail::connectivity_order<VDim>(options.connectivity, where));
    if (suv.empty()) {
        raise<invalid_argument>(where, "image: got 0 voxels, expected at least 1.");
    }
    require_finite(suv, where, "PET SUV");
    bounding_box<VDim> box;
    for (std::size_t d = 0; d < VDim; ++d) {
        box.upper[d] = static_cast<std::ptrdiff_t>(suv.shape()[d]) - 1;
    }
    if (options.search_box) {
        box = *options.search_box;
        for (std::size_t d = 0; d < VDim; ++d) {
            if (box.lower[d] < 0 || box.upper[d] < box.lower[d] ||
                box.upper[d] >= static_cast<std::ptrdiff_t>(suv.shape()[d])) {
                raise<geometry_error>(where, "search box ", detail::describe_box(box), ": got axis ", d,
                                      " outside the image, expected 0 <= lower <= upper < ", suv.shape()[d], ".");
            }
        }
    }

    pet_delineation<VDim> result;
    bool found = false;
    for (std::size_t i = 0; i < suv.size(); ++i) {
        const auto index = suv.index_of(i);
        if (box.contains(index) && (!found || static_cast<double>(suv[i]) > result.suv_max)) {
            result.suv_max = static_cast<double>(suv[i]);
            result.peak = index;
            found = true;
        }
    }
    result.threshold = options.fraction * result.suv_max;
    if (options.absolute_threshold) {
        if (result.suv_max < *options.absolute_threshold) {
            raise<mask_error>(where, "SUVmax in the search box: got ", result.suv_max, ", expected >= the absolute "
                              "threshold ", *options.absolute_threshold, ". No tumour to delineate.");
        }
        result.threshold = std::max(result.threshold, *options.absolute_threshold);
    }

    // breadth-first flood fill from the peak over voxels >= threshold
    result.mask = mask_image<VDim>(suv.geometry(), 0);
    const int order = detail::connectivity_order<VDim>(options.connectivity, where);
    std::vector<typename image_geometry<VDim>::index_type> offsets;
    {
        typename image_geometry<VDim>::index_type o{};
        std::size_t total = 1;
        for (std::size_t d = 0; d < VDim; ++d) {
            total *= 3;
        }
        for (std::size_t code = 0; code < total; ++code) {
            std::size_t c = code;
            int l1 = 0;
            for (std::size_t d = 0; d < VDim; ++d) {
                o[d] = static_cast<std::ptrdiff_t>(c % 3) - 1;
                c /= 3;
                l1 += o[d] != 0;
            }
            if (l1 > 0 && l1 <= order) {
                offsets.push_back(o);
            }
        }
    }
    std::vector<std::size_t> queue;
    queue.push_back(suv.offset(result.peak));
    result.mask[queue.front()] = 1;
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const auto index = suv.index_of(queue[head]);
        for (const auto& o : offsets) {
            auto next = index;
            bool inside = true;
            for (std::size_t d = 0; d < VDim; ++d) {
                next[d] += o[d];
                inside = inside && next[d] >= 0 && next[d] < static_cast<std::ptrdiff_t>(suv.shape()[d]);
            }
            if (!inside || (options.restrict_to_search_box && !box.contains(next))) {
                continue;
            }
            const std::size_t linear = suv.offset(next);
            if (result.mask[linear] == 0 && static_cast<double>(suv[linear]) >= result.threshold) {
                result.mask[linear] = 1;
                queue.push_back(linear);
            }
        }
    }
    result.voxel_count = queue.size();
    result.volume_ml = static_cast<double>(result.voxel_count) * suv.geometry().voxel_volume() / 1000.0;
    return result;
}

}  // namespace radiogenomics::preprocess
