#pragma once
/// \file clinical.hpp
/// \brief Per-patient clinical variables that reproduce the design's Table-1 counts exactly.
///
/// \par How the table is drawn (per cancer type, each step from its own seeded sub-stream)
/// 1. **Grade**: the exact Table-1 counts, dealt to the type's patients by a seeded permutation.
/// 2. **TP53**: within each grade cell g of type t, \f$ m_{t,g} \f$ positives chosen by a seeded
///    permutation, where the expected counts \f$ n_{t,g}\,p_{t,g}(s) \f$ are rounded by largest
///    remainder so that the type's total is \f$ \mathrm{round}(\sum_g n_{t,g}\,p_{t,g}(s)) \f$, and
///    \f$ p_{t,g}(s) = \bar p + s\,c\,(p_{t,g} - \bar p) \f$ (s = signal, c =
///    `effect_sizes::prevalence_contrast`, \f$\bar p\f$ the design's expected prevalence, clamped
///    to [0, 1]). Sampling without replacement keeps the prevalence at its expectation; at s = 0
///    every type and grade has the same prevalence \f$\bar p\f$.
/// 3. **Lymph-node status**: a latent score \f$ z_i + s\,\delta_{LN}\,[\mathrm{TP53}_i] \f$
///    (\f$ z_i \sim N(0,1) \f$); the exact number of positives goes to the highest scores.
/// 4. **FIGO stage**: the indeterminate count goes to a random subset; the others are ranked by
///    \f$ z'_i + 1.0\,[\mathrm{LN+}_i] + s\,\delta_{stage}\,[\mathrm{TP53}_i] \f$ and dealt I, II,
///    III, IV in ascending score order with the exact counts. (Node-positive disease is staged
///    higher by FIGO — IIIC for cervix and endometrium, IIIA for ovary — hence the fixed coupling,
///    which does not involve TP53.)
/// 5. **Age and BMI**: Latin-hypercube draws \f$ x_i = Q((\pi_i + u_i)/n) \f$ with \f$\pi\f$ a
///    random permutation of 0..n−1 and \f$ u_i \sim U(0,1) \f$, through the piecewise-linear
///    quantile function Q with knots (0, Q1 − 1.5 IQR), (¼, Q1), (½, median), (¾, Q3),
///    (1, Q3 + 1.5 IQR): the tails end at Tukey's fences, so no synthetic value is an outlier by
///    Tukey's rule. Age is clamped to ≥ 18 years (inclusion criterion) and rounded to whole years;
///    BMI is rounded to 0.01 kg/m². One draw per stratum of width 1/n makes the sample quartiles
///    match Q's within about one stratum.
/// 6. **Height** (for the weight that SUV needs): \f$ N(1.58, 0.055^2) \f$ m clamped to
///    [1.45, 1.75] (adult Chinese women); weight = BMI × height².
///
/// The global patient order is a seeded permutation of the type labels, so any prefix of the
/// cohort mixes the three types.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/synth/cohort_design.hpp"
#include "radiogenomics/synth/effect_sizes.hpp"

namespace radiogenomics {
namespace synth {

/// One synthetic patient's clinical variables.
struct clinical_record {
    std::size_t index = 0;           ///< position in the cohort (0-based)
    std::string id;                  ///< "SYN-001", ...
    cancer_type type = cancer_type::endometrial;
    figo_stage stage = figo_stage::stage_i;
    tumour_grade grade = tumour_grade::well;
    bool lymph_node_positive = false;
    double age_years = 0.0;
    double bmi = 0.0;                ///< kg/m²
    double height_m = 0.0;
    double weight_kg = 0.0;          ///< bmi × height²
    bool tp53_positive = false;
};

namespace detail {

/// Piecewise-linear quantile function through Table-1 quartiles with Tukey-fence tails (file comment).
inline double table1_quantile(const quartiles& q, double p, double lower_bound)
{
    const double iqr = q.q3 - q.q1;
    const double lo = std::max(lower_bound, q.q1 - 1.5 * iqr);
    const double hi = q.q3 + 1.5 * iqr;
    const double xs[5] = {lo, q.q1, q.median, q.q3, hi};
    const double t = std::min(std::max(p, 0.0), 1.0) * 4.0;
    const auto segment = static_cast<std::size_t>(std::min(3.0, std::floor(t)));
    const double frac = t - static_cast<double>(segment);
    return xs[segment] + frac * (xs[segment + 1] - xs[segment]);
}

/// Latin-hypercube sample of n values through `table1_quantile`.
inline std::vector<double> stratified_sample(const quartiles& q, std::size_t n, double lower_bound,
                                             random_engine& engine)
{
    std::vector<std::size_t> strata(n);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    shuffle(strata, engine);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double p = (static_cast<double>(strata[i]) + uniform01(engine)) / static_cast<double>(n);
        out[i] = table1_quantile(q, p, lower_bound);
    }
    return out;
}

/// Positions of `slots` sorted by decreasing score (ties: lower position first).
inline std::vector<std::size_t> order_by_score_descending(const std::vector<double>& score)
{
    std::vector<std::size_t> order(score.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&score](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    return order;
}

inline double round_to(double value, double step) { return std::round(value / step) * step; }

/// Sub-stream ids of the clinical table.
enum clinical_stream : std::uint64_t {
    stream_order = 0,
    stream_grade = 1,
    stream_tp53 = 2,
    stream_lymph = 3,
    stream_stage = 4,
    stream_age = 5,
    stream_bmi = 6,
    stream_height = 7
};

}  // namespace detail

/// The whole cohort's clinical table (see the file comment for the algorithm). Deterministic in
/// (design, effects, seed); Table-1 counts (FIGO, lymph node, grade, type sizes) are exact.
/// Throws `invalid_argument` for an inconsistent design or invalid effect sizes.
inline std::vector<clinical_record> make_clinical_table(const cohort_design& design, const effect_sizes& effects,
                                                        std::uint64_t seed)
{
    constexpr const char* where = "synth.make_clinical_table";
    effects.validate(where);
    for (const auto& column : design.types) {
        std::size_t figo = 0;
        std::size_t grade = 0;
        for (const auto c : column.figo) {
            figo += c;
        }
        for (const auto c : column.grade) {
            grade += c;
        }
        if (figo != column.patients || grade != column.patients || column.lymph_node_positive > column.patients) {
            raise<invalid_argument>(where, cancer_type_name(column.type), " design: got ", column.patients,
                                    " patients, ", figo, " FIGO stages, ", grade, " grades and ",
                                    column.lymph_node_positive,
                                    " node-positive, expected every margin to sum to the patient count.");
        }
        for (const double p : column.tp53_given_grade) {
            if (!(p >= 0.0 && p <= 1.0)) {
                raise<invalid_argument>(where, "tp53_given_grade: got ", p, ", expected a probability in [0, 1].");
            }
        }
    }
    const std::size_t n_total = design.patients();
    if (n_total == 0) {
        raise<invalid_argument>(where, "patients: got 0, expected at least one patient in the design.");
    }

    // Global order: a permutation of the type labels.
    std::vector<std::size_t> labels;
    labels.reserve(n_total);
    for (std::size_t t = 0; t < cancer_type_count; ++t) {
        labels.insert(labels.end(), design.types[t].patients, t);
    }
    {
        random_engine engine(derive_seed(seed, detail::stream_order));
        shuffle(labels, engine);
    }
    std::vector<clinical_record> table(n_total);
    std::array<std::vector<std::size_t>, cancer_type_count> members;
    for (std::size_t i = 0; i < n_total; ++i) {
        members[labels[i]].push_back(i);
        table[i].index = i;
        char id[32];
        std::snprintf(id, sizeof id, "SYN-%03zu", i + 1);
        table[i].id = id;
        table[i].type = static_cast<cancer_type>(labels[i]);
    }

    const double mean_prevalence = design.expected_tp53_prevalence();
    const double contrast = effects.scaled(effects.prevalence_contrast);

    for (std::size_t t = 0; t < cancer_type_count; ++t) {
        const cancer_type_design& column = design.types[t];
        const std::vector<std::size_t>& slot = members[t];
        const std::size_t n = slot.size();
        if (n == 0) {
            continue;
        }
        const std::uint64_t type_seed = derive_seed(seed, 100 + t);
        const auto engine_for = [type_seed](std::uint64_t stream) { return random_engine(derive_seed(type_seed, stream)); };

        // 1. grade
        std::vector<std::size_t> grades;
        for (std::size_t g = 0; g < tumour_grade_count; ++g) {
            grades.insert(grades.end(), column.grade[g], g);
        }
        {
            auto engine = engine_for(detail::stream_grade);
            shuffle(grades, engine);
        }
        for (std::size_t r = 0; r < n; ++r) {
            table[slot[r]].grade = static_cast<tumour_grade>(grades[r]);
        }

        // 2. TP53 by grade cell
        std::array<double, tumour_grade_count> expected{};
        double expected_sum = 0.0;
        for (std::size_t g = 0; g < tumour_grade_count; ++g) {
            const double p = std::min(1.0, std::max(0.0, mean_prevalence +
                                                             contrast * (column.tp53_given_grade[g] - mean_prevalence)));
            expected[g] = p * static_cast<double>(column.grade[g]);
            expected_sum += expected[g];
        }
        const auto target = static_cast<std::size_t>(std::llround(expected_sum));
        std::array<std::size_t, tumour_grade_count> positives{};
        std::array<double, tumour_grade_count> remainder{};
        std::size_t given = 0;
        for (std::size_t g = 0; g < tumour_grade_count; ++g) {
            positives[g] = static_cast<std::size_t>(std::floor(expected[g]));
            remainder[g] = expected[g] - static_cast<double>(positives[g]);
            given += positives[g];
        }
        while (given < target) {
            std::size_t best = tumour_grade_count;
            for (std::size_t g = 0; g < tumour_grade_count; ++g) {
                if (positives[g] < column.grade[g] && (best == tumour_grade_count || remainder[g] > remainder[best])) {
                    best = g;
                }
            }
            if (best == tumour_grade_count) {
                break;
            }
            ++positives[best];
            remainder[best] = -1.0;
            ++given;
        }
        {
            auto engine = engine_for(detail::stream_tp53);
            for (std::size_t g = 0; g < tumour_grade_count; ++g) {
                std::vector<std::size_t> cell;
                for (std::size_t r = 0; r < n; ++r) {
                    if (grades[r] == g) {
                        cell.push_back(r);
                    }
                }
                shuffle(cell, engine);
                for (std::size_t c = 0; c < cell.size(); ++c) {
                    table[slot[cell[c]]].tp53_positive = c < positives[g];
                }
            }
        }

        // 3. lymph-node status
        {
            auto engine = engine_for(detail::stream_lymph);
            const double shift = effects.scaled(effects.lymph_node_shift);
            std::vector<double> score(n);
            for (std::size_t r = 0; r < n; ++r) {
                score[r] = standard_normal(engine) + (table[slot[r]].tp53_positive ? shift : 0.0);
            }
            const auto order = detail::order_by_score_descending(score);
            for (std::size_t k = 0; k < n; ++k) {
                table[slot[order[k]]].lymph_node_positive = k < column.lymph_node_positive;
            }
        }

        // 4. FIGO stage
        {
            auto engine = engine_for(detail::stream_stage);
            std::vector<std::size_t> ranks(n);
            std::iota(ranks.begin(), ranks.end(), std::size_t{0});
            shuffle(ranks, engine);
            const std::size_t n_indeterminate = column.figo[4];
            std::vector<std::size_t> staged;
            for (std::size_t k = 0; k < n; ++k) {
                if (k < n_indeterminate) {
                    table[slot[ranks[k]]].stage = figo_stage::indeterminate;
                } else {
                    staged.push_back(ranks[k]);
                }
            }
            std::sort(staged.begin(), staged.end());
            const double shift = effects.scaled(effects.stage_shift);
            std::vector<double> score(staged.size());
            for (std::size_t k = 0; k < staged.size(); ++k) {
                const clinical_record& rec = table[slot[staged[k]]];
                score[k] = standard_normal(engine) + (rec.lymph_node_positive ? 1.0 : 0.0) +
                           (rec.tp53_positive ? shift : 0.0);
            }
            const auto order = detail::order_by_score_descending(score);  // highest first → stage IV first
            std::size_t k = 0;
            for (std::size_t s = 4; s-- > 0;) {
                for (std::size_t c = 0; c < column.figo[s]; ++c, ++k) {
                    table[slot[staged[order[k]]]].stage = static_cast<figo_stage>(s);
                }
            }
        }

        // 5. age and BMI, 6. height and weight
        {
            auto age_engine = engine_for(detail::stream_age);
            auto bmi_engine = engine_for(detail::stream_bmi);
            auto height_engine = engine_for(detail::stream_height);
            const auto ages = detail::stratified_sample(column.age, n, 18.0, age_engine);
            const auto bmis = detail::stratified_sample(column.bmi, n, 14.0, bmi_engine);
            for (std::size_t r = 0; r < n; ++r) {
                clinical_record& rec = table[slot[r]];
                rec.age_years = std::round(ages[r]);
                rec.bmi = detail::round_to(bmis[r], 0.01);
                rec.height_m = std::min(1.75, std::max(1.45, normal(height_engine, 1.58, 0.055)));
                rec.weight_kg = rec.bmi * rec.height_m * rec.height_m;
            }
        }
    }
    return table;
}

}  // namespace synth
}  // namespace radiogenomics
