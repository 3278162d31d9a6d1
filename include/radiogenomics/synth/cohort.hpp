#pragma once
/// \file cohort.hpp
/// \brief The synthetic cohort: options, the clinical table, and one patient on demand.
///
/// \par Determinism
/// Patient `index` is a pure function of (`seed`, `signal`, `scale`, `effects`, `index`): its
/// clinical record comes from the cohort's clinical table (`make_clinical_table` with
/// `derive_seed(seed, 0)`), its images from `derive_seed(derive_seed(seed, 1), index)`. Patients
/// can therefore be generated one at a time, released, regenerated, or generated in parallel, with
/// identical results for any order and thread count.
///
/// \par Scales
/// `full`: the study's 259 patients (Table 1 exactly) on the study's grids
/// (`phantom_settings::full()`). `small`: 40 patients (the design shrunk by largest remainder,
/// `scaled_design`) on coarse grids (`phantom_settings::small()`), for tests and CI.

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/synth/clinical.hpp"
#include "radiogenomics/synth/cohort_design.hpp"
#include "radiogenomics/synth/effect_sizes.hpp"
#include "radiogenomics/synth/phantom.hpp"
#include "radiogenomics/synth/phantom_parameters.hpp"

namespace radiogenomics {
namespace synth {

/// Cohort size and grid resolution.
enum class cohort_scale { full, small };

/// "full" / "small".
inline const char* cohort_scale_name(cohort_scale scale) { return scale == cohort_scale::full ? "full" : "small"; }

inline std::ostream& operator<<(std::ostream& out, cohort_scale scale) { return out << cohort_scale_name(scale); }

/// Parses "full" / "small"; throws `invalid_argument` otherwise.
inline cohort_scale parse_cohort_scale(const std::string& text)
{
    if (text == "full") {
        return cohort_scale::full;
    }
    if (text == "small") {
        return cohort_scale::small;
    }
    raise<invalid_argument>("synth.parse_cohort_scale", "scale: got '", text, "', expected 'full' or 'small'.");
}

/// Number of patients of the small scale.
inline constexpr std::size_t small_cohort_patients = 40;

/// Options of the synthetic cohort (the CLI's `--seed`, `--signal`, `--scale`).
struct cohort_options {
    std::uint64_t seed = 42;
    /// Overall TP53 signal strength: 1 = default effect sizes, 0 = TP53 leaves no trace. It
    /// multiplies `effects.signal` (which stays 1 unless you want a second knob).
    double signal = 1.0;
    cohort_scale scale = cohort_scale::full;
    /// Effect sizes at signal 1 (`effect_sizes.hpp`).
    effect_sizes effects{};
    /// Grids and noise; `settings_for(scale)` when not overridden (`use_custom_settings`).
    phantom_settings custom_settings{};
    bool use_custom_settings = false;
};

/// The effect sizes actually applied: `options.effects` with signal `options.signal × effects.signal`.
inline effect_sizes effective_effects(const cohort_options& options)
{
    effect_sizes e = options.effects;
    e.signal = options.signal * options.effects.signal;
    e.validate("synth.cohort_options");
    return e;
}

/// The design of this scale: Table 1 (full) or Table 1 shrunk to 40 patients (small).
inline cohort_design design_for(const cohort_options& options)
{
    return options.scale == cohort_scale::full ? study_design()
                                               : scaled_design(study_design(), small_cohort_patients);
}

/// Grids of this scale (or the custom ones).
inline phantom_settings settings_for(const cohort_options& options)
{
    if (options.use_custom_settings) {
        return options.custom_settings;
    }
    return options.scale == cohort_scale::full ? phantom_settings::full() : phantom_settings::small();
}

/// Number of patients.
inline std::size_t patient_count(const cohort_options& options) { return design_for(options).patients(); }

/// The whole cohort's clinical variables, without images (cheap: microseconds).
inline std::vector<clinical_record> clinical_table(const cohort_options& options)
{
    return make_clinical_table(design_for(options), effective_effects(options), derive_seed(options.seed, 0));
}

/// One synthetic patient: clinical record, drawn parameters (ground truth) and images.
struct synthetic_patient {
    clinical_record clinical;
    phantom_parameters parameters;
    image<float, 3> ct;                ///< HU
    image<float, 3> pet;               ///< Bq/mL; SUV inputs in `pet_info`
    pet_acquisition pet_info;
    mask_image<3> tumour_truth;        ///< the true tumour (CT grid)
    mask_image<3> tumour_manual;       ///< simulated manual annotation (CT grid)
    preprocess::bounding_box<3> supraclavicular_region;  ///< CT-grid search box for the BAT mask (inclusive)
};

/// Seed of patient `index`'s images.
inline std::uint64_t patient_seed(const cohort_options& options, std::size_t index)
{
    return derive_seed(derive_seed(options.seed, 1), static_cast<std::uint64_t>(index));
}

/// Phantom parameters of a patient whose record came from `clinical_table(options)`.
inline phantom_parameters patient_parameters(const cohort_options& options, const clinical_record& record)
{
    return make_phantom_parameters(record, effective_effects(options), patient_seed(options, record.index));
}

/// Generates the patient whose record `record` came from `clinical_table(options)` into `out`,
/// reusing `out`'s image buffers when the grids match (iterate over a cohort with one
/// `synthetic_patient` per worker to avoid re-allocating ~130 MB per full-size patient).
inline void generate_patient(const cohort_options& options, const clinical_record& record, synthetic_patient& out)
{
    out.clinical = record;
    out.parameters = patient_parameters(options, record);
    phantom_volumes volumes;
    volumes.ct = std::move(out.ct);
    volumes.pet = std::move(out.pet);
    volumes.tumour_truth = std::move(out.tumour_truth);
    volumes.tumour_manual = std::move(out.tumour_manual);
    render_phantom(out.parameters, settings_for(options), volumes);
    out.ct = std::move(volumes.ct);
    out.pet = std::move(volumes.pet);
    out.pet_info = out.parameters.acquisition;
    out.tumour_truth = std::move(volumes.tumour_truth);
    out.tumour_manual = std::move(volumes.tumour_manual);
    out.supraclavicular_region = volumes.supraclavicular_region;
}

/// Generates the patient whose record `record` came from `clinical_table(options)`.
inline synthetic_patient generate_patient(const cohort_options& options, const clinical_record& record)
{
    synthetic_patient out;
    generate_patient(options, record, out);
    return out;
}

/// Generates patient `index` (0-based) deterministically; throws `invalid_argument` when the index
/// is out of range or the options are invalid.
inline synthetic_patient generate_patient(const cohort_options& options, std::size_t index)
{
    const auto table = clinical_table(options);
    if (index >= table.size()) {
        raise<invalid_argument>("synth.generate_patient", "index: got ", index, ", expected 0..", table.size() - 1,
                                " (", table.size(), " patients at scale ", cohort_scale_name(options.scale), ").");
    }
    return generate_patient(options, table[index]);
}

}  // namespace synth
}  // namespace radiogenomics
