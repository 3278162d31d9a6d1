#pragma once
/// \file suv_options.hpp
/// \brief What a caller asks of a DICOM PET series' SUV (`io/dicom.hpp`, QIBA FDG-PET/CT Profile Appendix G):
/// which normalisation, and values that replace or supply the scanner's tags. Dependency-free, so programs
/// can carry the request without including DCMTK.

#include <optional>
#include <string>

namespace radiogenomics::io {

/// Which SUV normalisation: body weight (SUVbw, QIBA's and the study's), lean body mass (SUL, Janmahasatian)
/// or body surface area (SUVbsa, Du Bois).
enum class suv_type { body_weight, lean_body_mass, body_surface_area };

/// Values that replace (or supply missing) PET tags for SUV.
struct suv_overrides {
    std::optional<double> weight_kg;       ///< PatientWeight (0010,1030)
    std::optional<double> height_m;        ///< PatientSize (0010,1020)
    std::optional<char> sex;               ///< PatientSex (0010,0040): 'M' or 'F'
    std::optional<double> dose_bq;         ///< RadionuclideTotalDose (0018,1074)
    std::optional<double> half_life_s;     ///< RadionuclideHalfLife (0018,1075)
    std::optional<std::string> injection;  ///< injection time, "YYYYMMDDHHMMSS" or "HHMMSS" (scan date)
};

}  // namespace radiogenomics::io
