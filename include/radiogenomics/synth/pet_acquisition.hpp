#pragma once
/// \file pet_acquisition.hpp
/// \brief The SUV inputs of a synthetic PET scan: the preprocess module's `pet_metadata`.
///
/// \par SUV (body weight), `preprocess/suv.hpp`
/// \f[ \mathrm{SUV_{bw}} = \frac{C\,[\mathrm{Bq/mL}] \cdot W\,[\mathrm{g}]}
///        {D\,[\mathrm{Bq}] \cdot 2^{-\Delta t / T_{1/2}}} \f]
/// F-18 half-life \f$ T_{1/2} = 6586.2 \f$ s. The generator draws the intended SUV and stores
/// \f$ C = \mathrm{SUV} / \mathrm{suv\_bw\_factor}(m) \f$, so `preprocess::suv_body_weight(pet, m)`
/// gives the SUV back.
///
/// \par Protocol drawn per patient (the study, section 2.3)
/// Weight from the clinical record (BMI × height²); injected dose U(3.70, 5.55) MBq/kg × weight;
/// injection-to-scan time N(60 min, 5²) clamped to [50, 75] min.

#include "radiogenomics/preprocess/suv.hpp"

namespace radiogenomics {
namespace synth {

/// SUV inputs of one synthetic scan (weight, dose, injection → scan time, half-life).
using pet_acquisition = preprocess::pet_metadata;

}  // namespace synth
}  // namespace radiogenomics
