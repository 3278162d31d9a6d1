#pragma once
/// \file phantom_parameters.hpp
/// \brief The drawn anatomy of one synthetic patient (no voxels): body, bladder, tumour, BAT, PET dose.
///
/// \par Frame
/// Physical millimetres, LPS (x to the patient's left, y posterior, z superior), body axis at
/// x = y = 0. The phantom spans 300 mm of z from the lower pelvis (anatomical height
/// \f$ h = z + 150 \f$ mm, h = 0) to the base of the neck (h = 300): pelvis h < 150, abdomen
/// 150–210, chest 210–255 (lungs 205–262), shoulders/neck base above 262 with the
/// supraclavicular fat depots around h = 276. The anatomy is schematic — compressed in z so that
/// the pelvic tumour and the supraclavicular BAT fit in a modest number of 3.75 mm slices.
///
/// \par Tumour model (all values at signal s, TP53 indicator τ ∈ {0, 1})
/// - Diameter \f$ D = D_{stage} \cdot m_{type} \cdot e^{0.18 z} \cdot e^{s\,\delta_{size}\tau} \f$ with
///   \f$ D_{stage} \f$ = 32, 42, 52, 60, 42 mm (I, II, III, IV, indeterminate; typical largest
///   diameters of FIGO I–IV pelvic primaries) and \f$ m_{type} \f$ = 1.0 (EC), 1.25 (OC, large
///   adnexal masses), 0.95 (CC).
/// - Shape: a main ellipsoid (semi-axes \f$ R(1 \pm e) \f$, \f$ R\,U(0.85, 1.15) \f$, rotated in-plane)
///   united with 1–4 spherical lobes of radius \f$ R(0.35 + L) \f$ centred \f$ R(0.6 + 0.5 L) \f$ from
///   the centre in random directions; lobulation \f$ L \f$ = 0.12 (EC, CC) or 0.20 (OC), +0.05 for
///   poor grade, \f$ + s\,\delta_{lob}\tau \f$, + N(0, 0.04²), clamped to [0, 0.5]. The boundary is
///   roughened: a point is inside when \f$ \min(\rho_{main}, \rho_{lobes}) < 1 + \epsilon f_b \f$, with
///   \f$ f_b \f$ a smooth unit-variance random field (10 mm lattice) and \f$ \epsilon = 0.05 + 0.3 L \f$.
/// - Location: along a type-specific direction from the bladder centre, just outside it — cervix
///   posterior-inferior, uterine body posterior-superior, ovary lateral-superior (random side).
/// - Uptake: peak SUV = 10 (EC), 9 (OC), 12 (CC) × 0.75 / 0.9 / 1.1 (well / moderate / poor grade)
///   × (1 + 0.05 stage) × \f$ e^{0.28 z} \f$ × \f$ e^{s\,\delta_{uptake}\tau} \f$, at least 2.5. Viable
///   tissue: \f$ \mathrm{SUV} = \mathrm{peak}\,(0.65 + 0.35(1 - \rho^2))(1 + h_{PET} f_t) \f$ with
///   \f$ f_t \f$ a unit-variance texture field (6 mm lattice).
/// - Necrosis: core radius fraction 0.05 + 0.004 (D − 30 mm) + 0.06 [poor] + \f$ s\,\delta_{nec}\tau \f$
///   + N(0, 0.06²), clamped to [0, 0.65]; below 0.15 there is no necrotic core. Necrotic SUV
///   1 + 0.08 peak, HU 18 ± 4.
/// - CT: viable HU 42 + N(0, 5²) + \f$ s\,\delta_{HU}\tau \f$, texture amplitude 9 HU (× 1.2 for poor
///   grade) × \f$ e^{0.2 z} \f$ × \f$ e^{s\,\delta_{het}\tau} \f$; PET heterogeneity
///   \f$ h_{PET} \f$ = 0.12 with the same multipliers.
///
/// \par Brown adipose tissue
/// Two supraclavicular fat depots (ellipsoids, semi-axes 24 × 15 × 18 mm at x = ±58 mm). Inside a
/// depot a voxel is brown when a smooth field (8 mm lattice) exceeds \f$ \Phi^{-1}(1 - a) \f$, a the
/// activated fraction U(0.35, 0.65) + \f$ s\,\delta_{frac}\tau \f$. Brown fat: SUV
/// \f$ 3.2\,e^{0.3 z} e^{-0.01(\mathrm{age} - 55)} e^{-0.03(\mathrm{BMI} - 23)} \f$ clamped to [2.2, 12],
/// then \f$ \times e^{s\,\delta_{BAT}\tau} \f$; HU −62 + N(0, 8²) + \f$ s\,\delta_{BAT,HU}\tau \f$ clamped to
/// [−150, −25] — inside the study's BAT window [−190, −10] HU with SUV > 1.5. White fat: −105 HU,
/// SUV 0.35. Every patient has activated BAT (the study extracted BAT features for all patients);
/// set `bat_parameters::activated = false` to model a patient without.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/core/random.hpp"
#include "radiogenomics/synth/clinical.hpp"
#include "radiogenomics/synth/effect_sizes.hpp"
#include "radiogenomics/synth/pet_acquisition.hpp"

namespace radiogenomics {
namespace synth {

using point3 = std::array<double, 3>;

/// An axis-aligned ellipsoid (mm).
struct ellipsoid {
    point3 centre{};
    point3 semi_axes{};
};

/// A spherical lobe of the tumour.
struct tumour_lobe {
    point3 centre{};
    double radius_mm = 0.0;
};

struct tumour_parameters {
    point3 centre{};
    point3 semi_axes{};                 ///< main ellipsoid before rotation
    double rotation_rad = 0.0;          ///< in-plane rotation of the main ellipsoid
    std::vector<tumour_lobe> lobes;
    double diameter_mm = 0.0;           ///< nominal diameter D
    double lobulation = 0.0;            ///< L
    double irregularity = 0.0;          ///< ε
    double peak_suv = 0.0;
    double necrosis_fraction = 0.0;     ///< 0 = no necrotic core
    double necrosis_suv = 0.0;
    double hu = 0.0;
    double necrosis_hu = 0.0;
    double ct_texture_hu = 0.0;
    double pet_heterogeneity = 0.0;
    double extent_mm = 0.0;             ///< half-size of a cube around `centre` that holds the tumour
};

struct bat_parameters {
    bool activated = true;
    std::array<ellipsoid, 2> depots{};  ///< right (x < 0) and left supraclavicular depot
    double fraction = 0.0;              ///< activated fraction of the depot
    double suv = 0.0;                   ///< brown fat SUV
    double hu = 0.0;                    ///< brown fat HU
    double white_suv = 0.35;
    double white_hu = -105.0;
    point3 region_low{};                ///< supraclavicular search box (both depots + 12 mm), mm
    point3 region_high{};
};

struct body_parameters {
    double scale = 1.0;                 ///< \f$ \sqrt{\mathrm{BMI}/23} \f$
    double fat_thickness_mm = 0.0;      ///< subcutaneous fat at the pelvis
    ellipsoid bladder;
    double bladder_suv = 0.0;
};

/// Everything drawn for one patient before rendering.
struct phantom_parameters {
    body_parameters body;
    tumour_parameters tumour;
    bat_parameters bat;
    pet_acquisition acquisition;
    double ct_noise_hu = 12.0;
    std::uint64_t texture_seed = 0;
    std::uint64_t boundary_seed = 0;
    std::uint64_t observer_seed = 0;
    std::uint64_t bat_seed = 0;
    std::uint64_t ct_noise_seed = 0;
    std::uint64_t pet_noise_seed = 0;
    double observer_bias_mm = 0.0;      ///< this patient's annotator dilation (+) / erosion (−)
};

namespace detail {

/// Height h = z + 150 mm of the phantom frame.
inline constexpr double frame_z_base = -150.0;
inline constexpr double frame_height = 300.0;

/// Body semi-axes (a: left-right, b: anterior-posterior) at anatomical height h (mm), before BMI scaling.
inline void body_axes(double h, double& a, double& b)
{
    static constexpr double hs[] = {0.0, 150.0, 210.0, 250.0, 268.0, 300.0};
    static constexpr double as[] = {165.0, 165.0, 158.0, 152.0, 185.0, 185.0};
    static constexpr double bs[] = {118.0, 118.0, 114.0, 108.0, 90.0, 90.0};
    if (h <= hs[0]) {
        a = as[0];
        b = bs[0];
        return;
    }
    for (std::size_t s = 1; s < 6; ++s) {
        if (h <= hs[s]) {
            const double t = (h - hs[s - 1]) / (hs[s] - hs[s - 1]);
            a = as[s - 1] + t * (as[s] - as[s - 1]);
            b = bs[s - 1] + t * (bs[s] - bs[s - 1]);
            return;
        }
    }
    a = as[5];
    b = bs[5];
}

/// Subcutaneous fat thickness (mm) at height h for a body with pelvic fat thickness `t`.
inline double fat_at(double h, double t) { return h > 255.0 ? 0.6 * t : t; }

inline double clamp(double v, double lo, double hi) { return std::min(hi, std::max(lo, v)); }

/// Sub-stream ids of one patient.
enum patient_stream : std::uint64_t {
    stream_body = 0,
    stream_tumour = 1,
    stream_bat = 2,
    stream_pet = 3,
    stream_texture = 4,
    stream_boundary = 5,
    stream_observer = 6,
    stream_bat_field = 7,
    stream_ct_noise = 8,
    stream_pet_noise = 9
};

}  // namespace detail

/// Draws one patient's phantom parameters from its clinical record (see the file comment).
/// `effects.signal` scales every TP53 effect; `patient_seed` fixes every random choice, and each
/// organ draws from its own sub-stream so the effects change nothing else.
inline phantom_parameters make_phantom_parameters(const clinical_record& patient, const effect_sizes& effects,
                                                  std::uint64_t patient_seed)
{
    using detail::clamp;
    effects.validate("synth.make_phantom_parameters");
    phantom_parameters out;
    const double tp53 = patient.tp53_positive ? 1.0 : 0.0;
    const auto stream = [patient_seed](std::uint64_t s) { return derive_seed(patient_seed, s); };
    out.texture_seed = stream(detail::stream_texture);
    out.boundary_seed = stream(detail::stream_boundary);
    out.observer_seed = stream(detail::stream_observer);
    out.bat_seed = stream(detail::stream_bat_field);
    out.ct_noise_seed = stream(detail::stream_ct_noise);
    out.pet_noise_seed = stream(detail::stream_pet_noise);

    // ----- body and bladder -----
    random_engine body_engine(stream(detail::stream_body));
    const double bmi = patient.bmi > 0.0 ? patient.bmi : 23.0;
    out.body.scale = std::sqrt(bmi / 23.0);
    out.body.fat_thickness_mm = clamp(5.0 + 2.4 * (bmi - 17.0), 4.0, 55.0);
    const double pelvis_b = 118.0 * out.body.scale - out.body.fat_thickness_mm;
    const double bladder_r = uniform(body_engine, 26.0, 40.0);
    out.body.bladder.semi_axes = {bladder_r, bladder_r * 0.85, bladder_r * 0.8};
    out.body.bladder.centre = {normal(body_engine, 0.0, 3.0), -pelvis_b + bladder_r + 14.0,
                               detail::frame_z_base + 70.0};
    out.body.bladder_suv = clamp(20.0 * std::exp(normal(body_engine, 0.0, 0.4)), 6.0, 60.0);
    out.ct_noise_hu = 12.0;
    out.observer_bias_mm = normal(body_engine, 0.0, 0.75);

    // ----- tumour -----
    random_engine engine(stream(detail::stream_tumour));
    tumour_parameters& tum = out.tumour;
    static constexpr double stage_diameter[] = {32.0, 42.0, 52.0, 60.0, 42.0};
    static constexpr double type_size[] = {1.0, 1.25, 0.95};
    static constexpr double type_suv[] = {10.0, 9.0, 12.0};
    static constexpr double grade_suv[] = {0.75, 0.9, 1.1};
    static constexpr double type_lobulation[] = {0.12, 0.20, 0.12};
    const auto type_index = static_cast<std::size_t>(patient.type);
    const auto stage_index = static_cast<std::size_t>(patient.stage);
    const bool poor = patient.grade == tumour_grade::poor;
    const double stage_number = patient.stage == figo_stage::indeterminate ? 1.5 : static_cast<double>(stage_index);

    tum.diameter_mm = stage_diameter[stage_index] * type_size[type_index] * std::exp(0.18 * standard_normal(engine)) *
                      std::exp(effects.scaled(effects.size_log_ratio) * tp53);
    tum.diameter_mm = clamp(tum.diameter_mm, 12.0, 110.0);
    const double r = 0.5 * tum.diameter_mm;
    const double e = uniform(engine, -0.15, 0.15);
    tum.semi_axes = {r * (1.0 + e), r * (1.0 - e), r * uniform(engine, 0.85, 1.15)};
    tum.rotation_rad = uniform(engine, 0.0, 3.14159265358979323846);
    tum.lobulation = clamp(type_lobulation[type_index] + (poor ? 0.05 : 0.0) +
                               effects.scaled(effects.lobulation_shift) * tp53 + normal(engine, 0.0, 0.04),
                           0.0, 0.5);
    tum.irregularity = 0.05 + 0.3 * tum.lobulation;
    const std::size_t n_lobes = 1 + static_cast<std::size_t>(uniform_index(engine, 4));
    std::vector<point3> lobe_dirs(n_lobes);
    std::vector<double> lobe_scale(n_lobes);
    for (std::size_t l = 0; l < n_lobes; ++l) {
        // Uniform direction on the sphere (Marsaglia-free: normal vector normalised).
        point3 d{standard_normal(engine), standard_normal(engine), standard_normal(engine)};
        const double norm = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) + 1e-12;
        for (auto& c : d) {
            c /= norm;
        }
        lobe_dirs[l] = d;
        lobe_scale[l] = uniform(engine, 0.85, 1.15);
    }
    double reach = std::max({tum.semi_axes[0], tum.semi_axes[1], tum.semi_axes[2]});
    for (std::size_t l = 0; l < n_lobes; ++l) {
        reach = std::max(reach, r * (0.6 + 0.5 * tum.lobulation) + r * (0.35 + tum.lobulation) * lobe_scale[l]);
    }

    tum.peak_suv = std::max(2.5, type_suv[type_index] * grade_suv[static_cast<std::size_t>(patient.grade)] *
                                     (1.0 + 0.05 * stage_number) * std::exp(0.28 * standard_normal(engine)) *
                                     std::exp(effects.scaled(effects.uptake_log_ratio) * tp53));
    tum.necrosis_fraction = clamp(0.05 + 0.004 * (tum.diameter_mm - 30.0) + (poor ? 0.06 : 0.0) +
                                      effects.scaled(effects.necrosis_shift) * tp53 + normal(engine, 0.0, 0.06),
                                  0.0, 0.65);
    if (tum.necrosis_fraction < 0.15) {
        tum.necrosis_fraction = 0.0;
    }
    tum.necrosis_suv = 1.0 + 0.08 * tum.peak_suv;
    tum.necrosis_hu = normal(engine, 18.0, 4.0);
    tum.hu = normal(engine, 42.0, 5.0) + effects.scaled(effects.tumour_hu_shift) * tp53;
    const double texture_scale = (poor ? 1.2 : 1.0) * std::exp(0.2 * standard_normal(engine)) *
                                 std::exp(effects.scaled(effects.heterogeneity_log_ratio) * tp53);
    tum.ct_texture_hu = 9.0 * texture_scale;
    tum.pet_heterogeneity = 0.12 * texture_scale;

    // Location relative to the bladder.
    point3 direction{};
    switch (patient.type) {
    case cancer_type::cervical:
        direction = {0.0, 0.8, -0.6};
        break;
    case cancer_type::endometrial:
        direction = {0.0, 0.5, 0.866};
        break;
    case cancer_type::ovarian: {
        const double side = uniform01(engine) < 0.5 ? -1.0 : 1.0;
        direction = {side * 0.8, 0.2, 0.566};
        break;
    }
    }
    const double distance = bladder_r + reach + 8.0;
    for (std::size_t d = 0; d < 3; ++d) {
        tum.centre[d] = out.body.bladder.centre[d] + direction[d] * distance + normal(engine, 0.0, 3.0);
    }
    // Keep the tumour above the bottom of the frame and below the abdomen.
    tum.centre[2] = clamp(tum.centre[2], detail::frame_z_base + reach + 4.0, detail::frame_z_base + 150.0);
    for (std::size_t l = 0; l < n_lobes; ++l) {
        tumour_lobe lobe;
        const double offset = r * (0.6 + 0.5 * tum.lobulation);
        for (std::size_t d = 0; d < 3; ++d) {
            lobe.centre[d] = tum.centre[d] + offset * lobe_dirs[l][d];
        }
        lobe.radius_mm = r * (0.35 + tum.lobulation) * lobe_scale[l];
        tum.lobes.push_back(lobe);
    }
    tum.extent_mm = reach * (1.0 + 4.0 * tum.irregularity) + 4.0 * (std::abs(out.observer_bias_mm) + 1.5) + 2.0;

    // ----- brown adipose tissue -----
    random_engine bat_engine(stream(detail::stream_bat));
    bat_parameters& bat = out.bat;
    const double h = 276.0;
    for (std::size_t side = 0; side < 2; ++side) {
        const double sign = side == 0 ? -1.0 : 1.0;
        bat.depots[side].centre = {sign * (58.0 + normal(bat_engine, 0.0, 2.0)), -8.0 + normal(bat_engine, 0.0, 2.0),
                                   detail::frame_z_base + h + normal(bat_engine, 0.0, 2.0)};
        bat.depots[side].semi_axes = {24.0 * uniform(bat_engine, 0.9, 1.1), 15.0 * uniform(bat_engine, 0.9, 1.1),
                                      18.0 * uniform(bat_engine, 0.9, 1.1)};
    }
    bat.fraction = clamp(uniform(bat_engine, 0.35, 0.65) + effects.scaled(effects.bat_fraction_shift) * tp53, 0.1,
                         0.95);
    const double age = patient.age_years > 0.0 ? patient.age_years : 55.0;
    bat.suv = clamp(3.2 * std::exp(0.3 * standard_normal(bat_engine)) * std::exp(-0.01 * (age - 55.0)) *
                        std::exp(-0.03 * (bmi - 23.0)),
                    2.2, 12.0) *
              std::exp(effects.scaled(effects.bat_uptake_log_ratio) * tp53);
    bat.hu = clamp(-62.0 + normal(bat_engine, 0.0, 8.0) + effects.scaled(effects.bat_hu_shift) * tp53, -150.0, -25.0);
    for (std::size_t d = 0; d < 3; ++d) {
        bat.region_low[d] = std::min(bat.depots[0].centre[d] - bat.depots[0].semi_axes[d],
                                     bat.depots[1].centre[d] - bat.depots[1].semi_axes[d]) - 12.0;
        bat.region_high[d] = std::max(bat.depots[0].centre[d] + bat.depots[0].semi_axes[d],
                                      bat.depots[1].centre[d] + bat.depots[1].semi_axes[d]) + 12.0;
    }

    // ----- PET acquisition (study protocol: 3.70–5.55 MBq/kg, ~60 min uptake) -----
    random_engine pet_engine(stream(detail::stream_pet));
    out.acquisition.patient_weight_kg = patient.weight_kg > 0.0 ? patient.weight_kg : 60.0;
    out.acquisition.injected_dose_bq = uniform(pet_engine, 3.70e6, 5.55e6) * out.acquisition.patient_weight_kg;
    out.acquisition.injection_to_scan_seconds = clamp(normal(pet_engine, 3600.0, 300.0), 3000.0, 4500.0);
    out.acquisition.half_life_seconds = 6586.2;
    return out;
}

}  // namespace synth
}  // namespace radiogenomics
