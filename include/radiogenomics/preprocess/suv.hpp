#pragma once
/// \file suv.hpp
/// \brief Body-weight standardised uptake value (SUVbw) from activity concentration and PET metadata.
///
/// \f[ \mathrm{SUV_{bw}} = \frac{C \cdot W}{A_0 \cdot 2^{-\Delta t / T_{1/2}}} \f]
/// with \f$C\f$ the activity concentration (Bq/mL), \f$W\f$ the patient weight in grams, \f$A_0\f$ the injected
/// dose (Bq) and \f$\Delta t\f$ the time from injection to scan (s); the decay factor corrects the dose to scan
/// time (F-18: \f$T_{1/2}\f$ = 6586.2 s). Unit: g/mL (≈ 1 for a uniform distribution in a body of density 1).
/// Source: DICOM PS3.3 C.8.9.1 / QIBA FDG-PET profile; Kinahan & Fletcher, Semin Ultrasound CT MR 2010;31:496.

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"

namespace radiogenomics::preprocess {

/// PET acquisition metadata for SUV (explicit, never read from the image).
struct pet_metadata {
    double patient_weight_kg = 0.0;          ///< DICOM (0010,1030) Patient's Weight, kg
    double injected_dose_bq = 0.0;           ///< DICOM (0018,1074) Radionuclide Total Dose, Bq
    double injection_to_scan_seconds = 0.0;  ///< series time − (0018,1072) Radiopharmaceutical Start Time, s
    double half_life_seconds = 6586.2;       ///< DICOM (0018,1075) Radionuclide Half Life; F-18 default
};

/// Throws `invalid_argument` for a non-positive weight, dose or half-life, a negative time, or NaN/Inf.
inline void validate(const pet_metadata& m)
{
    const char* where = "preprocess.suv";
    if (!(m.patient_weight_kg > 0.0) || !std::isfinite(m.patient_weight_kg)) {
        raise<invalid_argument>(where, "patient_weight_kg: got ", m.patient_weight_kg, ", expected a finite value > 0.");
    }
    if (!(m.injected_dose_bq > 0.0) || !std::isfinite(m.injected_dose_bq)) {
        raise<invalid_argument>(where, "injected_dose_bq: got ", m.injected_dose_bq, ", expected a finite value > 0.");
    }
    if (!(m.injection_to_scan_seconds >= 0.0) || !std::isfinite(m.injection_to_scan_seconds)) {
        raise<invalid_argument>(where, "injection_to_scan_seconds: got ", m.injection_to_scan_seconds,
                                ", expected a finite value >= 0. The scan cannot precede the injection.");
    }
    if (!(m.half_life_seconds > 0.0) || !std::isfinite(m.half_life_seconds)) {
        raise<invalid_argument>(where, "half_life_seconds: got ", m.half_life_seconds, ", expected a finite value > 0.");
    }
}

/// Dose remaining at scan time, \f$A_0 \cdot 2^{-\Delta t / T_{1/2}}\f$ (Bq).
inline double decayed_dose_bq(const pet_metadata& m)
{
    validate(m);
    return m.injected_dose_bq * std::exp2(-m.injection_to_scan_seconds / m.half_life_seconds);
}

/// Factor turning Bq/mL into SUVbw: \f$W[\mathrm g] / (A_0 \cdot 2^{-\Delta t / T_{1/2}})\f$.
inline double suv_bw_factor(const pet_metadata& m)
{
    return m.patient_weight_kg * 1000.0 / decayed_dose_bq(m);
}

/// SUVbw image from an activity-concentration image (Bq/mL). Floating input keeps its type; integer input
/// gives `double`.
/// \throws invalid_argument for bad metadata or NaN/Inf voxels.
template <class TPixel, std::size_t VDim>
auto suv_body_weight(const image<TPixel, VDim>& activity_bq_per_ml, const pet_metadata& m)
{
    using out_type = std::conditional_t<std::is_floating_point_v<TPixel>, TPixel, double>;
    const double factor = suv_bw_factor(m);
    require_finite(activity_bq_per_ml, "preprocess.suv_body_weight", "activity");
    image<out_type, VDim> out(activity_bq_per_ml.geometry());
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<out_type>(static_cast<double>(activity_bq_per_ml[i]) * factor);
    }
    return out;
}

}  // namespace radiogenomics::preprocess
