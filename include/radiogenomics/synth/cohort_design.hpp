#pragma once
/// \file cohort_design.hpp
/// \brief The published design of the study (Table 1) as data, plus the TP53 prevalences we chose.
///
/// \par Source
/// Table 1 ("Clinical information of the samples") of the study reproduced by this toolkit:
/// *Prediction of TP53 mutations across female reproductive system pan-cancers using deep
/// multimodal PET/CT radiogenomics* (259 patients, Shengjing Hospital, 2016–2023). Column order
/// there, and everywhere in this module, is endometrial (EC), ovarian (OC), cervical (CC).
///
/// | | EC | OC | CC |
/// |---|---|---|---|
/// | patients | 120 | 45 | 94 |
/// | FIGO I / II / III / IV / indeterminate | 83/15/11/4/7 | 2/1/29/12/1 | 57/21/14/0/2 |
/// | age, median (Q1, Q3) | 55 (50, 60.25) | 55 (50, 62) | 53.5 (46, 59) |
/// | BMI, median (Q1, Q3) | 24.80 (23.05, 27.55) | 23.51 (21.23, 26.18) | 22.66 (21.00, 24.79) |
/// | lymph-node metastasis positive / negative | 10/110 | 20/25 | 15/79 |
/// | grade well / moderate / poor | 19/30/71 | 1/0/44 | 20/62/12 |
///
/// \par TP53 prevalence (our choice; not published)
/// The study defines "TP53 mutation" as p53 immunohistochemistry with > 5 % stained nuclei and does
/// not report prevalences per cancer type; its 29-patient test set was about half positive
/// (the published test recall/precision are only consistent with roughly 14–15 positives).
/// We therefore choose P(TP53+ | type, grade) so that the whole cohort is about half positive and
/// the ordering follows the biology:
/// - **Ovarian**: high-grade serous carcinoma, 44 of the 45 ovarian tumours here being poorly
///   differentiated, carries a TP53 mutation in more than 90 % of cases (TCGA 2011, Nature 474:609);
///   we use 0.85 for poor grade (IHC misses some null mutations), 0.20 well, 0.40 moderate.
/// - **Endometrial**: aberrant p53 defines the copy-number-high/serous-like group, which holds all
///   serous carcinomas and about a quarter of grade-3 endometrioid tumours (TCGA 2013, Nature
///   497:67); the "poorly differentiated" group here mixes both, so 0.60 poor, 0.25 moderate,
///   0.10 well.
/// - **Cervical**: HPV E6 degrades p53, so true TP53 mutations are rare, but p53 over-expression
///   above a 5 % IHC cut-off is reported in roughly a third of cases and rises with grade:
///   0.25 well, 0.40 moderate, 0.60 poor.
///
/// Expected positives at the published grade counts: EC 52.0 / 120 (43 %), OC 37.6 / 45 (84 %),
/// CC 37.0 / 94 (39 %), all 126.6 / 259 (48.9 %). Poor grade → more TP53 in every type.
/// How strongly TP53 follows type and grade is scaled by the signal knob (`clinical.hpp`).

#include <array>
#include <cmath>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics {
namespace synth {

/// Cancer type, in the study's Table-1 column order.
enum class cancer_type { endometrial = 0, ovarian = 1, cervical = 2 };

/// FIGO stage as recorded in Table 1.
enum class figo_stage { stage_i = 0, stage_ii = 1, stage_iii = 2, stage_iv = 3, indeterminate = 4 };

/// Histological grade (differentiation).
enum class tumour_grade { well = 0, moderate = 1, poor = 2 };

inline constexpr std::size_t cancer_type_count = 3;
inline constexpr std::size_t figo_stage_count = 5;
inline constexpr std::size_t tumour_grade_count = 3;

/// "endometrial", "ovarian", "cervical".
inline const char* cancer_type_name(cancer_type type)
{
    static const char* const names[] = {"endometrial", "ovarian", "cervical"};
    return names[static_cast<std::size_t>(type)];
}

/// "EC", "OC", "CC".
inline const char* cancer_type_abbreviation(cancer_type type)
{
    static const char* const names[] = {"EC", "OC", "CC"};
    return names[static_cast<std::size_t>(type)];
}

/// "I", "II", "III", "IV", "indeterminate".
inline const char* figo_stage_name(figo_stage stage)
{
    static const char* const names[] = {"I", "II", "III", "IV", "indeterminate"};
    return names[static_cast<std::size_t>(stage)];
}

/// "well", "moderate", "poor".
inline const char* tumour_grade_name(tumour_grade grade)
{
    static const char* const names[] = {"well", "moderate", "poor"};
    return names[static_cast<std::size_t>(grade)];
}

inline std::ostream& operator<<(std::ostream& out, cancer_type type) { return out << cancer_type_name(type); }
inline std::ostream& operator<<(std::ostream& out, figo_stage stage) { return out << figo_stage_name(stage); }
inline std::ostream& operator<<(std::ostream& out, tumour_grade grade) { return out << tumour_grade_name(grade); }

/// Parses the names above (case-sensitive); throws `invalid_argument` otherwise.
inline cancer_type parse_cancer_type(const std::string& text)
{
    for (std::size_t t = 0; t < cancer_type_count; ++t) {
        const auto type = static_cast<cancer_type>(t);
        if (text == cancer_type_name(type) || text == cancer_type_abbreviation(type)) {
            return type;
        }
    }
    raise<invalid_argument>("synth.parse_cancer_type", "cancer type: got '", text,
                            "', expected endometrial, ovarian, cervical, EC, OC or CC.");
}

/// Median and quartiles of a continuous variable (as Table 1 reports them).
struct quartiles {
    double q1 = 0.0;
    double median = 0.0;
    double q3 = 0.0;
};

/// The Table-1 column of one cancer type plus our TP53 prevalence choice.
struct cancer_type_design {
    cancer_type type = cancer_type::endometrial;
    std::size_t patients = 0;
    std::array<std::size_t, figo_stage_count> figo{};        ///< I, II, III, IV, indeterminate
    std::size_t lymph_node_positive = 0;                      ///< the rest are negative
    std::array<std::size_t, tumour_grade_count> grade{};      ///< well, moderate, poor
    quartiles age;                                            ///< years
    quartiles bmi;                                            ///< kg/m²
    std::array<double, tumour_grade_count> tp53_given_grade{};  ///< P(TP53+ | type, grade), our choice
};

/// A cohort design: one column per cancer type (EC, OC, CC order).
struct cohort_design {
    std::array<cancer_type_design, cancer_type_count> types{};

    std::size_t patients() const
    {
        std::size_t n = 0;
        for (const auto& t : types) {
            n += t.patients;
        }
        return n;
    }

    const cancer_type_design& of(cancer_type type) const { return types[static_cast<std::size_t>(type)]; }

    /// Expected TP53 prevalence of the whole cohort at the chosen P(TP53+ | type, grade):
    /// \f$ \bar p = \sum_{t,g} n_{t,g}\, p_{t,g} / N \f$.
    double expected_tp53_prevalence() const
    {
        double positives = 0.0;
        for (const auto& t : types) {
            for (std::size_t g = 0; g < tumour_grade_count; ++g) {
                positives += static_cast<double>(t.grade[g]) * t.tp53_given_grade[g];
            }
        }
        const std::size_t n = patients();
        return n == 0 ? 0.0 : positives / static_cast<double>(n);
    }
};

/// The study's Table 1 (259 patients) with our TP53 prevalences (see the file comment).
inline const cohort_design& study_design()
{
    static const cohort_design design = [] {
        cohort_design d;
        d.types[0] = {cancer_type::endometrial, 120, {83, 15, 11, 4, 7}, 10, {19, 30, 71},
                      {50.0, 55.0, 60.25}, {23.05, 24.80, 27.55}, {0.10, 0.25, 0.60}};
        d.types[1] = {cancer_type::ovarian, 45, {2, 1, 29, 12, 1}, 20, {1, 0, 44},
                      {50.0, 55.0, 62.0}, {21.23, 23.51, 26.18}, {0.20, 0.40, 0.85}};
        d.types[2] = {cancer_type::cervical, 94, {57, 21, 14, 0, 2}, 15, {20, 62, 12},
                      {46.0, 53.5, 59.0}, {21.00, 22.66, 24.79}, {0.25, 0.40, 0.60}};
        return d;
    }();
    return design;
}

namespace detail {

/// Largest-remainder (Hamilton) apportionment of `total` seats proportionally to `weights`;
/// ties go to the lower index. Weights must be non-negative with a positive sum (or total 0).
inline std::vector<std::size_t> apportion(const std::vector<double>& weights, std::size_t total)
{
    std::vector<std::size_t> seats(weights.size(), 0);
    double sum = 0.0;
    for (const double w : weights) {
        sum += w;
    }
    if (total == 0 || !(sum > 0.0)) {
        return seats;
    }
    std::vector<double> remainder(weights.size(), 0.0);
    std::size_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double quota = weights[i] / sum * static_cast<double>(total);
        seats[i] = static_cast<std::size_t>(std::floor(quota));
        remainder[i] = quota - static_cast<double>(seats[i]);
        given += seats[i];
    }
    while (given < total) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < weights.size(); ++i) {
            if (remainder[i] > remainder[best]) {
                best = i;
            }
        }
        ++seats[best];
        remainder[best] = -1.0;
        ++given;
    }
    return seats;
}

template <std::size_t VCount>
std::array<std::size_t, VCount> apportion_counts(const std::array<std::size_t, VCount>& counts, std::size_t total)
{
    std::vector<double> weights(counts.begin(), counts.end());
    const auto seats = apportion(weights, total);
    std::array<std::size_t, VCount> out{};
    for (std::size_t i = 0; i < VCount; ++i) {
        out[i] = seats[i];
    }
    return out;
}

}  // namespace detail

/// The design shrunk to `patients` patients: type sizes, and within each type every Table-1 margin
/// (FIGO, lymph-node status, grade), by largest-remainder apportionment. Quartiles and TP53
/// prevalences are kept. Used by the small (CI) scale. Throws `invalid_argument` for 0 patients or
/// more than the design holds.
inline cohort_design scaled_design(const cohort_design& design, std::size_t patients)
{
    if (patients == 0 || patients > design.patients()) {
        raise<invalid_argument>("synth.scaled_design", "patients: got ", patients, ", expected 1..",
                                design.patients(), ".");
    }
    std::array<std::size_t, cancer_type_count> sizes{};
    for (std::size_t t = 0; t < cancer_type_count; ++t) {
        sizes[t] = design.types[t].patients;
    }
    const auto new_sizes = detail::apportion_counts(sizes, patients);
    cohort_design out = design;
    for (std::size_t t = 0; t < cancer_type_count; ++t) {
        auto& column = out.types[t];
        const std::size_t n = new_sizes[t];
        column.patients = n;
        column.figo = detail::apportion_counts(design.types[t].figo, n);
        column.grade = detail::apportion_counts(design.types[t].grade, n);
        const std::array<std::size_t, 2> nodes{design.types[t].lymph_node_positive,
                                               design.types[t].patients - design.types[t].lymph_node_positive};
        column.lymph_node_positive = detail::apportion_counts(nodes, n)[0];
    }
    return out;
}

}  // namespace synth
}  // namespace radiogenomics
