#pragma once
/// \file automatic_mask.hpp
/// \brief The "automatic" tumour annotation of a synthetic patient (stands in for the study's nnU-Net).
///
/// \par Method
/// A trained network knows where a pelvic tumour is and draws its boundary from the image; we
/// mimic both halves separately:
/// 1. **Localisation** — the region of interest is the bounding box of the manual annotation
///    grown by `margin_mm` on every side (clipped to the CT grid).
/// 2. **Boundary** — the PET is resampled (linear) onto that CT sub-grid and converted to SUVbw
///    (`preprocess::suv_body_weight`); the seed is the hottest voxel inside the manual annotation,
///    and the mask is the region of SUV ≥ `fraction` × that SUV connected to it (26-connectivity)
///    within the region of interest: the EANM 41 % isocontour
///    (`preprocess::delineate_pet_tumour`; Boellaard et al., EJNMMI 2015;42:328).
/// Seeding inside the annotation keeps the hotter bladder out; the 41 % contour excludes cold
/// necrotic cores, and the PSF makes small tumours look larger — the systematic differences an
/// automatic PET segmentation has from a manual one.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/preprocess/pet_delineation.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/synth/cohort.hpp"

namespace radiogenomics {
namespace synth {

/// Settings of `automatic_tumour_mask`.
struct automatic_mask_options {
    double fraction = 0.41;   ///< fraction of the seed SUV (EANM 41 %)
    double margin_mm = 15.0;  ///< growth of the manual annotation's bounding box
};

/// The automatic tumour mask on the CT grid (see the file comment).
/// \throws mask_error when the manual annotation is empty; invalid_argument for bad options.
inline mask_image<3> automatic_tumour_mask(const synthetic_patient& patient, const automatic_mask_options& options = {})
{
    constexpr const char* where = "synth.automatic_tumour_mask";
    if (!(options.fraction > 0.0 && options.fraction <= 1.0) || !(options.margin_mm >= 0.0) ||
        !std::isfinite(options.margin_mm)) {
        raise<invalid_argument>(where, "options: got fraction ", options.fraction, " and margin ", options.margin_mm,
                                " mm, expected a fraction in (0, 1] and a finite margin >= 0.");
    }
    const auto& manual = patient.tumour_manual;
    const auto& shape = manual.shape();
    std::array<std::ptrdiff_t, 3> low{};
    std::array<std::ptrdiff_t, 3> high{};
    for (std::size_t d = 0; d < 3; ++d) {
        low[d] = static_cast<std::ptrdiff_t>(shape[d]);
        high[d] = -1;
    }
    for (std::size_t k = 0; k < shape[2]; ++k) {
        for (std::size_t j = 0; j < shape[1]; ++j) {
            for (std::size_t i = 0; i < shape[0]; ++i) {
                if (manual(i, j, k) != 0) {
                    const std::ptrdiff_t idx[3] = {static_cast<std::ptrdiff_t>(i), static_cast<std::ptrdiff_t>(j),
                                                   static_cast<std::ptrdiff_t>(k)};
                    for (std::size_t d = 0; d < 3; ++d) {
                        low[d] = std::min(low[d], idx[d]);
                        high[d] = std::max(high[d], idx[d]);
                    }
                }
            }
        }
    }
    if (high[0] < 0) {
        raise<mask_error>(where, "manual annotation of ", patient.clinical.id,
                          ": got 0 voxels, expected a tumour to localise the automatic annotation.");
    }
    image_geometry<3>::index_type start{};
    image_geometry<3>::size_type size{};
    for (std::size_t d = 0; d < 3; ++d) {
        const auto grow = static_cast<std::ptrdiff_t>(std::ceil(options.margin_mm / manual.spacing()[d]));
        start[d] = std::max<std::ptrdiff_t>(0, low[d] - grow);
        const std::ptrdiff_t end = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(shape[d]) - 1, high[d] + grow);
        size[d] = static_cast<std::size_t>(end - start[d] + 1);
    }
    const image_geometry<3> roi = manual.geometry().region(start, size);
    auto suv = preprocess::resample_as<float>(patient.pet, roi, preprocess::interpolator::linear, 0.0);
    const double factor = preprocess::suv_bw_factor(patient.pet_info);
    for (std::size_t n = 0; n < suv.size(); ++n) {
        suv[n] = static_cast<float>(suv[n] * factor);
    }
    // Seed: the hottest ROI voxel inside the manual annotation (first in scan order on ties).
    image_geometry<3>::index_type seed{};
    double best = -1.0;
    for (std::size_t n = 0; n < suv.size(); ++n) {
        const auto local = suv.index_of(n);
        if (manual(static_cast<std::size_t>(local[0] + start[0]), static_cast<std::size_t>(local[1] + start[1]),
                   static_cast<std::size_t>(local[2] + start[2])) != 0 &&
            suv[n] > best) {
            best = suv[n];
            seed = local;
        }
    }
    preprocess::pet_delineation_options<3> delineation;
    delineation.fraction = options.fraction;
    preprocess::bounding_box<3> seed_box;
    seed_box.lower = seed;
    seed_box.upper = seed;
    delineation.search_box = seed_box;
    delineation.restrict_to_search_box = false;
    const auto grown = preprocess::delineate_pet_tumour(suv, delineation);

    mask_image<3> out(manual.geometry(), 0);
    for (std::size_t n = 0; n < grown.mask.size(); ++n) {
        if (grown.mask[n] != 0) {
            const auto local = grown.mask.index_of(n);
            out(static_cast<std::size_t>(local[0] + start[0]), static_cast<std::size_t>(local[1] + start[1]),
                static_cast<std::size_t>(local[2] + start[2])) = 1;
        }
    }
    return out;
}

}  // namespace synth
}  // namespace radiogenomics
