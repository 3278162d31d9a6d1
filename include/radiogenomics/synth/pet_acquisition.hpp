#pragma once
/// \file pet_acquisition.hpp
/// \brief The SUV inputs of a synthetic PET scan (weight, injected dose, uptake time, half-life).
///
/// \par SUV (body weight)
/// \f[ \mathrm{SUV_{bw}} = \frac{C\,[\mathrm{Bq/mL}] \cdot W\,[\mathrm{g}]}
///        {D\,[\mathrm{Bq}] \cdot 2^{-\Delta t / T_{1/2}}} \f]
/// with C the activity concentration at scan time, W the body weight, D the injected dose and
/// \f$\Delta t\f$ the time from injection to scan start (decay correction of the dose to scan
/// time, as in the DICOM PET module / QIBA FDG profile). F-18 half-life \f$ T_{1/2} = 6586.2 \f$ s
/// (109.77 min; NNDC). The generator draws the intended SUV and stores
/// \f$ C = \mathrm{SUV} / \mathrm{suv\_per\_bq\_ml}() \f$, so the pipeline must convert back.
///
/// \par Protocol (the study, section 2.3)
/// 3.70–5.55 MBq/kg 18F-FDG, scan after 60 min.

#include <cmath>

namespace radiogenomics {
namespace synth {

/// SUV inputs of one synthetic PET scan. The preprocess module's SUV function takes its own
/// metadata struct; copy these fields into it.
struct pet_acquisition {
    double patient_weight_kg = 0.0;
    double injected_dose_bq = 0.0;       ///< at injection time
    double uptake_time_s = 3600.0;       ///< injection → scan start
    double half_life_s = 6586.2;         ///< F-18
    /// The voxels hold Bq/mL (not SUV) and are decay-corrected to scan start.
    static constexpr const char* units = "BQML";

    /// Dose decayed to scan start: \f$ D\,2^{-\Delta t/T_{1/2}} \f$ (Bq).
    double decayed_dose_bq() const { return injected_dose_bq * std::exp2(-uptake_time_s / half_life_s); }

    /// Factor that turns Bq/mL into SUVbw: \f$ W[g] / (D\,2^{-\Delta t/T_{1/2}}) \f$ (mL/Bq · g/mL).
    double suv_per_bq_ml() const { return patient_weight_kg * 1000.0 / decayed_dose_bq(); }
};

}  // namespace synth
}  // namespace radiogenomics
