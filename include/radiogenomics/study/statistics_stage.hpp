#pragma once
/// \file statistics_stage.hpp
/// \brief Pipeline step 4: the baseline table (the study's Table 1) and the per-feature TP53 tests
/// (the study's 16 volcano panels: 4 sources × {endometrial, ovarian, cervical, all}).
///
/// \par Table 1
/// Per cancer type and overall: n; age and BMI as median (Q1, Q3) (`stats::quantile`, linear
/// interpolation = NumPy's default) compared across types with Kruskal–Wallis (the study: "non-
/// normally distributed data were tested using the Kruskal–Wallis H test"); FIGO stage, lymph-node
/// status, grade and TP53 as n (%) compared across types with Pearson's chi-square test of
/// independence (`chi2_contingency`, Yates only for 2×2 — never here; all-zero levels dropped).
///
/// \par Volcano panels
/// For each source and each subset, every feature is compared between TP53− and TP53+ with the
/// two-sided Mann–Whitney U test (the study's "inter-group comparisons"), p-values adjusted by
/// Benjamini–Hochberg over the features of the panel, and log2 fold change of the group means
/// (NaN when a mean is not positive: `stats::volcano`).

#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/stats/chi_square.hpp"
#include "radiogenomics/stats/descriptives.hpp"
#include "radiogenomics/stats/kruskal_wallis.hpp"
#include "radiogenomics/stats/volcano.hpp"

namespace radiogenomics::study {

/// One row of Table 1: a variable level with its cells for EC, OC, CC and all, and the test.
struct table1_row {
    std::string variable;
    std::string level;
    std::array<std::string, 4> cells;  ///< endometrial, ovarian, cervical, all
    std::string test;                  ///< on the variable's first row only
    double statistic = std::numeric_limits<double>::quiet_NaN();
    double p_value = std::numeric_limits<double>::quiet_NaN();
};

/// One volcano panel (all-NaN when a TP53 group of the subset is empty).
struct volcano_panel {
    feature_source source = feature_source::tumour_ct;
    std::string subset;            ///< "endometrial", "ovarian", "cervical" or "all"
    std::size_t negatives = 0;
    std::size_t positives = 0;
    std::vector<std::string> names;
    stats::volcano_result result;  ///< empty when a group has fewer than 2 patients
    std::size_t significant = 0;   ///< BH-adjusted p < 0.05
};

/// Result of `run_statistics`.
struct statistics_result {
    std::vector<table1_row> table1;
    std::vector<volcano_panel> volcanos;  ///< source-major, subsets EC, OC, CC, all
};

namespace detail {

inline std::string median_iqr(std::vector<double> values)
{
    std::vector<double> finite;
    for (const double v : values) {
        if (std::isfinite(v)) {
            finite.push_back(v);
        }
    }
    if (finite.empty()) {
        return "n/a";
    }
    const Eigen::Map<const Eigen::VectorXd> x(finite.data(), static_cast<Eigen::Index>(finite.size()));
    char buffer[96];
    std::snprintf(buffer, sizeof(buffer), "%.2f (%.2f, %.2f)", stats::quantile(x, 0.5), stats::quantile(x, 0.25),
                  stats::quantile(x, 0.75));
    return buffer;
}

inline std::string count_percent(std::size_t count, std::size_t total)
{
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%zu (%.1f%%)", count,
                  total > 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(total) : 0.0);
    return buffer;
}

/// Chi-square across types of a categorical code (levels × 3 types), all-zero levels dropped.
inline stats::chi_square_result chi_square_by_type(const std::vector<int>& codes, const std::vector<int>& types,
                                                   int levels)
{
    Eigen::MatrixXd table = Eigen::MatrixXd::Zero(levels, 3);
    for (std::size_t i = 0; i < codes.size(); ++i) {
        table(codes[i], types[i]) += 1.0;
    }
    std::vector<Eigen::Index> keep_rows;
    std::vector<Eigen::Index> keep_cols;
    for (Eigen::Index r = 0; r < table.rows(); ++r) {
        if (table.row(r).sum() > 0) {
            keep_rows.push_back(r);
        }
    }
    for (Eigen::Index c = 0; c < table.cols(); ++c) {
        if (table.col(c).sum() > 0) {
            keep_cols.push_back(c);
        }
    }
    if (keep_rows.size() < 2 || keep_cols.size() < 2) {
        return stats::chi_square_result{};
    }
    Eigen::MatrixXd reduced(static_cast<Eigen::Index>(keep_rows.size()), static_cast<Eigen::Index>(keep_cols.size()));
    for (std::size_t r = 0; r < keep_rows.size(); ++r) {
        for (std::size_t c = 0; c < keep_cols.size(); ++c) {
            reduced(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = table(keep_rows[r], keep_cols[c]);
        }
    }
    return stats::chi_square_independence(reduced, true);
}

}  // namespace detail

/// Table 1 of the included patients.
inline std::vector<table1_row> make_table1(const std::vector<synth::clinical_record>& patients)
{
    std::vector<table1_row> rows;
    std::vector<int> types;
    for (const auto& p : patients) {
        types.push_back(static_cast<int>(p.type));
    }
    std::array<std::size_t, 4> n{};
    for (const int t : types) {
        ++n[static_cast<std::size_t>(t)];
        ++n[3];
    }
    {
        table1_row r;
        r.variable = "patients";
        r.level = "n";
        for (std::size_t c = 0; c < 4; ++c) {
            r.cells[c] = std::to_string(n[c]);
        }
        rows.push_back(r);
    }
    const auto continuous = [&](const std::string& name, auto get) {
        table1_row r;
        r.variable = name;
        r.level = "median (Q1, Q3)";
        std::array<std::vector<double>, 4> values;
        Eigen::VectorXd all(static_cast<Eigen::Index>(patients.size()));
        Eigen::VectorXi codes(static_cast<Eigen::Index>(patients.size()));
        bool any_nan = false;
        for (std::size_t i = 0; i < patients.size(); ++i) {
            const double v = get(patients[i]);
            values[static_cast<std::size_t>(types[i])].push_back(v);
            values[3].push_back(v);
            all[static_cast<Eigen::Index>(i)] = v;
            codes[static_cast<Eigen::Index>(i)] = types[i];
            any_nan = any_nan || !std::isfinite(v);
        }
        for (std::size_t c = 0; c < 4; ++c) {
            r.cells[c] = detail::median_iqr(values[c]);
        }
        r.test = "Kruskal-Wallis";
        if (!any_nan) {
            const auto k = stats::kruskal_wallis(all, codes, 3);
            r.statistic = k.statistic;
            r.p_value = k.p_value;
        }
        rows.push_back(r);
    };
    continuous("age (years)", [](const synth::clinical_record& p) { return p.age_years; });
    continuous("BMI (kg/m2)", [](const synth::clinical_record& p) { return p.bmi; });
    const auto categorical = [&](const std::string& name, int levels, auto code, auto level_name) {
        std::vector<int> codes;
        for (const auto& p : patients) {
            codes.push_back(code(p));
        }
        const auto chi = detail::chi_square_by_type(codes, types, levels);
        for (int l = 0; l < levels; ++l) {
            table1_row r;
            r.variable = name;
            r.level = level_name(l);
            std::array<std::size_t, 4> counts{};
            for (std::size_t i = 0; i < codes.size(); ++i) {
                if (codes[i] == l) {
                    ++counts[static_cast<std::size_t>(types[i])];
                    ++counts[3];
                }
            }
            for (std::size_t c = 0; c < 4; ++c) {
                r.cells[c] = detail::count_percent(counts[c], n[c]);
            }
            if (l == 0) {
                r.test = "chi-square";
                r.statistic = chi.statistic;
                r.p_value = chi.p_value;
            }
            rows.push_back(r);
        }
    };
    categorical("FIGO stage", 5, [](const synth::clinical_record& p) { return static_cast<int>(p.stage); },
                [](int l) { return std::string(synth::figo_stage_name(static_cast<synth::figo_stage>(l))); });
    categorical("lymph-node metastasis", 2, [](const synth::clinical_record& p) { return p.lymph_node_positive ? 0 : 1; },
                [](int l) { return std::string(l == 0 ? "positive" : "negative"); });
    categorical("grade", 3, [](const synth::clinical_record& p) { return static_cast<int>(p.grade); },
                [](int l) { return std::string(synth::tumour_grade_name(static_cast<synth::tumour_grade>(l))); });
    categorical("TP53", 2, [](const synth::clinical_record& p) { return p.tp53_positive ? 0 : 1; },
                [](int l) { return std::string(l == 0 ? "positive" : "negative"); });
    return rows;
}

/// The 16 volcano panels of `cohort` (manual annotation).
inline std::vector<volcano_panel> make_volcanos(const cohort_features& cohort)
{
    std::vector<volcano_panel> panels;
    const std::array<std::string, 4> subsets{"endometrial", "ovarian", "cervical", "all"};
    for (std::size_t s = 0; s < source_count; ++s) {
        for (std::size_t t = 0; t < 4; ++t) {
            volcano_panel panel;
            panel.source = static_cast<feature_source>(s);
            panel.subset = subsets[t];
            panel.names = cohort.names[s];
            std::vector<Eigen::Index> rows;
            for (std::size_t i = 0; i < cohort.clinical.size(); ++i) {
                if (t == 3 || static_cast<std::size_t>(cohort.clinical[i].type) == t) {
                    rows.push_back(static_cast<Eigen::Index>(i));
                }
            }
            Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), cohort.manual[s].cols());
            Eigen::VectorXi y(static_cast<Eigen::Index>(rows.size()));
            for (std::size_t r = 0; r < rows.size(); ++r) {
                x.row(static_cast<Eigen::Index>(r)) = cohort.manual[s].row(rows[r]);
                const bool positive = cohort.clinical[static_cast<std::size_t>(rows[r])].tp53_positive;
                y[static_cast<Eigen::Index>(r)] = positive ? 1 : 0;
                (positive ? panel.positives : panel.negatives) += 1;
            }
            if (panel.negatives == 0 || panel.positives == 0 || x.cols() == 0) {
                // One group is empty: every test is undefined (NaN rows keep the file's shape).
                const Eigen::Index m = x.cols();
                const double nan = std::numeric_limits<double>::quiet_NaN();
                auto& v = panel.result;
                v.statistic = v.p_value = v.p_adjusted = v.df = Eigen::VectorXd::Constant(m, nan);
                v.mean_negative = v.mean_positive = v.log2_fold_change = Eigen::VectorXd::Constant(m, nan);
                v.group_counts = Eigen::MatrixXi::Zero(m, 2);
                v.group_counts.col(0).setConstant(static_cast<int>(panel.negatives));
                v.group_counts.col(1).setConstant(static_cast<int>(panel.positives));
                v.significant.assign(static_cast<std::size_t>(m), false);
                v.test_used.assign(static_cast<std::size_t>(m), stats::group_test::mann_whitney);
                v.fc_status.assign(static_cast<std::size_t>(m), stats::fold_change_status::undefined);
            } else {
                stats::volcano_options options;
                options.test = stats::group_test::mann_whitney;
                options.adjust = stats::p_adjust::benjamini_hochberg;
                panel.result = stats::volcano(x, y, options);
                for (const bool b : panel.result.significant) {
                    panel.significant += b ? 1 : 0;
                }
            }
            panels.push_back(std::move(panel));
        }
    }
    return panels;
}

/// Step 4.
inline statistics_result run_statistics(const cohort_features& cohort)
{
    statistics_result out;
    out.table1 = make_table1(cohort.clinical);
    out.volcanos = make_volcanos(cohort);
    return out;
}

/// Writes `table1.csv` and `volcano_<source>_<subset>.csv` (one per panel) into `out`.
inline void write_statistics(const statistics_result& statistics, const report_folder& out)
{
    io::csv_writer t({"variable", "level", "endometrial", "ovarian", "cervical", "all", "test", "statistic", "p_value"});
    for (const auto& r : statistics.table1) {
        t.add_row({r.variable, r.level, r.cells[0], r.cells[1], r.cells[2], r.cells[3], r.test,
                   r.test.empty() ? "" : detail::num(r.statistic), r.test.empty() ? "" : detail::num(r.p_value)});
    }
    t.save(out.file("table1.csv"));
    for (const auto& panel : statistics.volcanos) {
        detail::write_volcano_csv(
            out.file("volcano_" + std::string(source_name(panel.source)) + "_" + panel.subset + ".csv"), panel.names,
            panel.result);
    }
}

/// The report sections of step 4: Table 1 and the volcano panels (all their prose is here).
inline void add_statistics_sections(report::html_report& html, const statistics_result& statistics)
{
    html.heading("Table 1: clinical characteristics", 2, "table1");
    {
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : statistics.table1) {
            rows.push_back({r.variable, r.level, r.cells[0], r.cells[1], r.cells[2], r.cells[3], r.test,
                            r.test.empty() ? "" : detail::fmt(r.statistic, 3), r.test.empty() ? "" : detail::fmt_p(r.p_value)});
        }
        html.table({"variable", "level", "endometrial", "ovarian", "cervical", "all", "test", "statistic", "p"}, rows,
                   "Table 1. Clinical characteristics by cancer type; continuous variables median (Q1, Q3) with "
                   "Kruskal-Wallis, categorical n (%) with Pearson chi-square across types (table1.csv).");
    }

    html.heading("Radiomic features and TP53 (volcano panels)", 2, "volcano");
    std::vector<std::vector<std::string>> rows;
    for (const auto& panel : statistics.volcanos) {
        rows.push_back({source_title(panel.source), panel.subset, std::to_string(panel.negatives),
                        std::to_string(panel.positives), std::to_string(panel.names.size()),
                        std::to_string(panel.significant)});
    }
    html.table({"source", "patients", "TP53-", "TP53+", "features", "BH-significant (q < 0.05)"}, rows,
               "Per-feature Mann-Whitney tests, TP53- vs TP53+, Benjamini-Hochberg over the features of each panel "
               "(volcano_<source>_<subset>.csv).");
    for (std::size_t s = 0; s < source_count; ++s) {
        std::vector<std::string> svgs;
        for (const auto& panel : statistics.volcanos) {
            if (panel.source == static_cast<feature_source>(s) && panel.result.p_value.size() > 0) {
                svgs.push_back(detail::volcano_svg(panel.names, panel.result,
                                                   std::string(source_title(s)) + ", " + panel.subset, true));
            }
        }
        html.figure_row(svgs, std::string("Volcano plots of ") + source_title(s) +
                                  " features by cancer type and pooled: log2 fold change of the group means (x; "
                                  "features with a non-positive mean have none and are not drawn) against -log10 of "
                                  "the Mann-Whitney p-value (y); red = BH-adjusted q < 0.05; dashed line p = 0.05.");
    }
}

}  // namespace radiogenomics::study
