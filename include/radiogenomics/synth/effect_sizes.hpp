#pragma once
/// \file effect_sizes.hpp
/// \brief Every trace TP53 leaves in the synthetic cohort, in one struct with one overall knob.
///
/// Each member is the size of one TP53 effect at `signal = 1`; the generator uses
/// `signal * member` (see `effect_sizes::scaled`). `signal = 0` removes every trace: TP53 is then
/// drawn independently of cancer type, grade, stage and lymph-node status, with the same prevalence
/// in every type, and no image parameter depends on it — so a classifier can only reach chance.
/// Values above 1 exaggerate every effect (useful for "a strong signal is found" tests).
///
/// The study reports *that* tumour CT/PET features and BAT CT/PET features differ between TP53
/// groups (its Figure 5 volcano plots, pooled and per type) but not by how much, nor in which
/// direction. The directions below follow the biology the study cites (TP53-mutant tumours are
/// more aggressive: higher FDG uptake, larger, more necrotic and heterogeneous, more lobulated; a
/// systemic effect on thermogenic fat), and the sizes were chosen so that each single source is
/// informative but far from separable, as the study's single-source accuracies of 0.72–0.83
/// suggest. Measured over ten 259-patient cohorts at signal 1, the TP53+ vs TP53− standardised
/// difference (Cohen's d, pooled over types, so including the type/grade association) of each
/// drawn parameter is: log peak SUV 1.2, log diameter 0.9, necrosis 1.4, log heterogeneity 1.2,
/// lobulation 1.35, BAT log SUV 1.0, BAT HU 1.3, BAT activated fraction 1.0; at signal 0 all
/// are within ±0.06. What the images show of them is noisier (PSF, noise, partial volume).

#include <cmath>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics {
namespace synth {

/// TP53 effect sizes at `signal = 1` and the overall signal-strength knob.
struct effect_sizes {
    /// Overall multiplier of every effect below (the CLI's `--signal`). 0 = no trace, 1 = default.
    double signal = 1.0;

    // ----- clinical variables ---------------------------------------------------------------
    /// Fraction of the type × grade contrast of TP53 prevalence (`cohort_design::tp53_given_grade`)
    /// that is applied: \f$ p_{t,g}(s) = \bar p + s\,c\,(p_{t,g} - \bar p) \f$ with \f$\bar p\f$
    /// the cohort's expected prevalence, s = signal, c = this value.
    double prevalence_contrast = 1.0;
    /// Shift (in SD of a latent normal score) towards lymph-node-positive status for TP53+.
    double lymph_node_shift = 0.6;
    /// Shift (SD of a latent normal score) towards advanced FIGO stage for TP53+.
    double stage_shift = 0.4;

    // ----- tumour -----------------------------------------------------------------------------
    /// Log ratio of the tumour's peak SUV, TP53+ vs TP53− (exp(0.30) = 1.35×).
    double uptake_log_ratio = 0.30;
    /// Log ratio of the tumour's linear size (radius); volume ratio is exp(3×) (exp(0.08) = 1.08×).
    double size_log_ratio = 0.08;
    /// Added necrotic-core radius, as a fraction of the tumour radius.
    double necrosis_shift = 0.06;
    /// Log ratio of the texture amplitude (CT HU and PET relative heterogeneity), exp(0.2) = 1.22×.
    double heterogeneity_log_ratio = 0.2;
    /// Added boundary irregularity / lobulation (relative radius modulation).
    double lobulation_shift = 0.04;
    /// Shift of the viable tumour's mean CT density (HU).
    double tumour_hu_shift = -6.0;

    // ----- brown adipose tissue (systemic effect) ----------------------------------------------
    /// Log ratio of activated BAT SUV (exp(0.3) = 1.35×).
    double bat_uptake_log_ratio = 0.3;
    /// Shift of activated BAT CT density (HU; denser = less lipid, more activation).
    double bat_hu_shift = 10.0;
    /// Added fraction of the supraclavicular depot that is activated.
    double bat_fraction_shift = 0.08;

    /// `signal * magnitude`: the effect actually applied.
    double scaled(double magnitude) const { return signal * magnitude; }

    /// Throws `invalid_argument` if the signal is negative or not finite, or any size is not finite.
    void validate(const char* where = "synth.effect_sizes") const
    {
        if (!(signal >= 0.0) || !std::isfinite(signal)) {
            raise<invalid_argument>(where, "signal: got ", signal,
                                    ", expected a finite value >= 0 (0 = no TP53 trace, 1 = default).");
        }
        const double values[] = {prevalence_contrast, lymph_node_shift,  stage_shift,          uptake_log_ratio,
                                 size_log_ratio,      necrosis_shift,    heterogeneity_log_ratio, lobulation_shift,
                                 tumour_hu_shift,     bat_uptake_log_ratio, bat_hu_shift,        bat_fraction_shift};
        for (const double v : values) {
            if (!std::isfinite(v)) {
                raise<invalid_argument>(where, "effect size: got ", v, ", expected a finite value.");
            }
        }
    }
};

}  // namespace synth
}  // namespace radiogenomics
