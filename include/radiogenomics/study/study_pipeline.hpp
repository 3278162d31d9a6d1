#pragma once
/// \file study_pipeline.hpp
/// \brief The study end to end (`run_study`): cohort → radiomics → statistics → models →
/// deep-feature clustering → report folder with `index.html` and the CSVs behind every table and
/// figure. `examples/reproduce_paper.cpp` is a thin command line over this function.
///
/// \par Output (stable names)
/// `index.html` (self-contained, inline SVG), `table1.csv`, `volcano_<source>_<subset>.csv`
/// (source tumour_ct / tumour_pet / bat_ct / bat_pet; subset endometrial / ovarian / cervical /
/// all), `metrics.csv`, `history.csv`, `deep_features.csv`, `tsne.csv`, `dbi.csv`, `clusters.csv`,
/// `cluster_tests.csv`, `volcano_deep_features.csv`, `timings.csv`, `patients_status.csv`,
/// `settings.json`, `report_files.txt`. Everything is written into a hidden sibling folder
/// `.NAME.partial-<pid>-<n>` and moved to NAME at the very end, so an interrupted run never leaves a
/// report that looks complete. An existing NAME must be empty or a previous report (holds
/// `report_files.txt`), whose listed files alone are replaced; `force` writes beside foreign files
/// without ever deleting or overwriting them (`report_folder.hpp`).
///
/// \par Automatic annotation
/// The study tested the trained combined model on automatic (nnU-Net) annotations of the test
/// patients. The first pass extracts manual-annotation and BAT features of every patient; the
/// test split is then fixed (`protocol_test_rows`) and a second pass extracts the tumour features
/// on the automatic annotation for the test patients only.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/study/clustering_stage.hpp"
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/manifest.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/statistics_stage.hpp"
#include "radiogenomics/study/study_options.hpp"
#include "radiogenomics/report/svg_plot.hpp"

namespace radiogenomics::study {

/// One timed stage.
struct stage_timing {
    std::string stage;
    double seconds = 0.0;
    std::string note;
};

/// What `run_study` returns (everything is also in the report folder).
struct study_summary {
    std::string report_dir;           ///< final folder
    std::size_t patients = 0;         ///< in the source
    std::size_t included = 0;
    std::size_t excluded = 0;
    double combined_test_accuracy = 0.0;  ///< Transformer, ensemble of the fold models, manual annotation
    double combined_test_auc = 0.0;
    double combined_cv_auc = 0.0;         ///< pooled out-of-fold validation AUC
    double combined_logistic_cv_auc = 0.0;
    double automatic_test_accuracy = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::pair<std::string, double>> test_accuracy;  ///< per model (Transformer ensemble)
    std::vector<std::pair<std::string, double>> cv_auc;         ///< per model (Transformer, pooled out-of-fold)
    std::size_t diverged_folds = 0;   ///< Transformer and logistic folds whose training diverged, all models
    std::size_t best_k = 0;
    double tp53_cluster_p = std::numeric_limits<double>::quiet_NaN();       ///< t-SNE clusters vs TP53
    double tp53_deep_cluster_p = std::numeric_limits<double>::quiet_NaN();  ///< raw deep-feature clusters vs TP53
    double ari = std::numeric_limits<double>::quiet_NaN();
    std::vector<stage_timing> timings;
};

/// Keeps only rows `rows` of a subset of a source (the automatic-annotation pass).
class subset_source : public patient_source {
public:
    subset_source(const patient_source& base, std::vector<std::size_t> indices)
        : m_base(base), m_indices(std::move(indices))
    {
    }
    std::size_t size() const override { return m_indices.size(); }
    synth::clinical_record record(std::size_t i) const override { return m_base.record(m_indices[i]); }
    void load(std::size_t i, patient_data& out) const override { m_base.load(m_indices[i], out); }
    std::string description() const override { return m_base.description(); }

private:
    const patient_source& m_base;
    std::vector<std::size_t> m_indices;
};

namespace detail {

inline std::string fmt(double v, int digits = 4)
{
    if (!std::isfinite(v)) {
        return std::isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf");
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.*f", digits, v);
    return buffer;
}

inline std::string fmt_p(double p)
{
    if (!std::isfinite(p)) {
        return "n/a";
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), p < 1e-4 ? "%.2e" : "%.4f", p);
    return buffer;
}

inline std::string num(double v) { return io::format_number(v, 10); }

class stage_clock {
public:
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

inline nlohmann::json settings_json(const study_options& o, const std::string& source, std::size_t d_model)
{
    nlohmann::json j;
    j["generator"] = "radiogenomics reproduce_paper";
    j["data"] = o.manifest.empty() ? "synthetic" : "manifest";
    j["source"] = source;
    j["manifest"] = o.manifest;
    j["cohort"] = {{"seed", o.cohort.seed},
                   {"signal", o.cohort.signal},
                   {"scale", synth::cohort_scale_name(o.cohort.scale)},
                   {"max_patients", o.max_patients}};
    const auto& e = o.cohort.effects;
    j["cohort"]["effect_sizes_at_signal_1"] = {{"prevalence_contrast", e.prevalence_contrast},
                                               {"lymph_node_shift", e.lymph_node_shift},
                                               {"stage_shift", e.stage_shift},
                                               {"uptake_log_ratio", e.uptake_log_ratio},
                                               {"size_log_ratio", e.size_log_ratio},
                                               {"necrosis_shift", e.necrosis_shift},
                                               {"heterogeneity_log_ratio", e.heterogeneity_log_ratio},
                                               {"lobulation_shift", e.lobulation_shift},
                                               {"tumour_hu_shift", e.tumour_hu_shift},
                                               {"bat_uptake_log_ratio", e.bat_uptake_log_ratio},
                                               {"bat_hu_shift", e.bat_hu_shift},
                                               {"bat_fraction_shift", e.bat_fraction_shift}};
    const auto& r = o.radiomics;
    j["radiomics"] = {{"image_types", r.paper_image_types ? "paper (Original, Square, SquareRoot, Logarithm, "
                                                            "Exponential, Gradient, LBP3D, Wavelet, LoG sigma 1 and 3 mm)"
                                                          : "Original"},
                      {"ct_binWidth_HU", r.ct_bin_width},
                      {"pet_binWidth_SUV", r.pet_bin_width},
                      {"normalize", false},
                      {"pet_interpolation", "B-spline onto the CT grid"},
                      {"suv", "body weight (SUVbw), decay-corrected to injection"},
                      {"crop", std::to_string(r.crop_size) + "x" + std::to_string(r.crop_size) + " centre"},
                      {"bat", {{"suv_above", r.bat_suv_threshold},
                               {"hu_range", {r.bat_hu_lower, r.bat_hu_upper}},
                               {"min_component_mm3", r.bat_min_component_mm3},
                               {"classes", "firstorder"}}},
                      {"automatic_annotation", r.automatic_masks}};
    const auto& m = o.model;
    j["model"] = {{"architecture", "Transformer encoder, pre-norm, group-projection tokens, CLS head"},
                  {"d_model", m.d_model}, {"heads", m.heads}, {"layers", m.layers},
                  {"d_feedforward", m.d_feedforward}, {"dropout", m.dropout}, {"epochs", m.epochs},
                  {"batch_size", m.batch_size}, {"learning_rate", m.learning_rate},
                  {"weight_decay", m.weight_decay}, {"patience", m.patience},
                  {"top_k_per_token", m.top_k}, {"folds", m.folds}, {"test_fraction", m.test_fraction},
                  {"logistic_C", m.logistic_c}, {"seed", o.model_seed}, {"deep_feature_width", d_model}};
    j["clustering"] = {{"k_min", o.clustering.k_min}, {"k_max", o.clustering.k_max},
                       {"perplexity", o.clustering.perplexity}, {"tsne_iterations", o.clustering.tsne_iterations},
                       {"linkage", cluster::to_string(o.clustering.method)}};
    j["threads"] = o.threads;
    j["strict"] = o.strict;
    return j;
}

inline std::string volcano_svg(const std::vector<std::string>& names, const stats::volcano_result& v,
                               const std::string& title, bool fold_change_axis)
{
    std::vector<report::svg_point> points;
    for (Eigen::Index j = 0; j < v.p_value.size(); ++j) {
        report::svg_point pt;
        pt.x = fold_change_axis ? v.log2_fold_change[j] : v.mean_positive[j] - v.mean_negative[j];
        pt.y = v.p_value[j] > 0 ? -std::log10(v.p_value[j]) : std::numeric_limits<double>::quiet_NaN();
        pt.series = v.significant[static_cast<std::size_t>(j)] ? 1 : 0;
        if (static_cast<std::size_t>(j) < names.size()) {
            pt.label = names[static_cast<std::size_t>(j)];
        }
        points.push_back(pt);
    }
    report::svg_scatter_options o;
    o.title = title;
    o.x_label = fold_change_axis ? "log2 fold change (TP53+ / TP53-)" : "mean difference (TP53+ - TP53-)";
    o.y_label = "-log10 p (Mann-Whitney)";
    o.width = 360;
    o.height = 280;
    o.point_radius = 2.0;
    o.horizontal_lines = {-std::log10(0.05)};
    o.vertical_lines = {0.0};
    return report::svg_scatter(points, o);
}

/// "Ward", "single", ... for captions.
inline std::string linkage_title(cluster::linkage_method method)
{
    std::string name = cluster::to_string(method);
    if (name == "ward") {
        return "Ward";
    }
    return name;
}

inline std::string loss_svg(const model_outcome& m)
{
    static const std::vector<std::string> palette{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    std::vector<report::svg_series> series;
    for (std::size_t f = 0; f < m.transformer.folds.size(); ++f) {
        const auto& h = m.transformer.folds[f].model.history;
        report::svg_series train;
        report::svg_series validation;
        train.name = "fold " + std::to_string(f + 1) + " train";
        validation.name = "fold " + std::to_string(f + 1) + " validation";
        train.color = validation.color = palette[f % palette.size()];
        validation.dashed = true;
        for (std::size_t e = 0; e < h.train_loss.size(); ++e) {
            train.x.push_back(static_cast<double>(e + 1));
            train.y.push_back(h.train_loss[e]);
        }
        for (std::size_t e = 0; e < h.validation_loss.size(); ++e) {
            validation.x.push_back(static_cast<double>(e + 1));
            validation.y.push_back(h.validation_loss[e]);
        }
        series.push_back(train);
        series.push_back(validation);
    }
    report::svg_scatter_options o;
    o.title = m.spec.title + ": loss per fold";
    o.x_label = "epoch";
    o.y_label = "weighted cross-entropy";
    o.width = 560;
    o.height = 340;
    return report::svg_line_plot(series, o);
}

/// "N patients excluded: <id>: <reason>; ..." (the first three), or "No patient was excluded." -- for
/// errors raised before any report file exists.
inline std::string exclusion_summary(const std::vector<patient_status>& status)
{
    std::size_t excluded = 0;
    std::string first;
    for (const auto& s : status) {
        if (!s.included) {
            if (excluded < 3) {
                first += (excluded ? "; " : "") + s.clinical.id + ": " + s.reason;
            }
            ++excluded;
        }
    }
    if (excluded == 0) {
        return "No patient was excluded.";
    }
    return std::to_string(excluded) + " patient(s) excluded (" + first + (excluded > 3 ? "; ..." : "") + ").";
}

inline std::string confusion_svg(const learn::binary_metrics& m, const std::string& title)
{
    const auto& c = m.confusion;
    report::svg_confusion_options o;
    o.title = title;
    o.class_names = {"TP53-", "TP53+"};
    o.size = 190;
    return report::svg_confusion_matrix({{c.tn, c.fp}, {c.fn, c.tp}}, o);
}

}  // namespace detail

/// Runs the whole study and writes the report; see the file comment. Throws `invalid_argument`
/// for bad options, `io_error` when the report cannot be written, and (with `strict`) the first
/// patient error.
inline study_summary run_study(const study_options& options)
{
    namespace fs = std::filesystem;
    constexpr const char* where = "study.run_study";
    const thread_count_guard threads(options.threads);
    detail::stage_clock total_clock;
    detail::stage_clock clock;
    study_summary summary;
    const auto run_start = std::chrono::steady_clock::now();
    const auto report = [&](const std::string& stage, std::size_t done, std::size_t total, const std::string& message) {
        if (options.progress) {
            options.progress(progress_event{stage, done, total, detail::seconds_since(run_start), message});
        }
    };

    // Output folder: written in a private staging folder, moved into place at the end (report_folder.hpp).
    report_folder report_out(options.out_dir, options.force, where);
    const auto file = [&](const std::string& name) { return report_out.file(name); };

    // Source.
    std::unique_ptr<patient_source> source;
    std::unique_ptr<patient_source> automatic_source;
    if (!options.manifest.empty()) {
        source = std::make_unique<manifest_source>(options.manifest);
    } else {
        const bool auto_for_writing = !options.write_cohort.empty();
        source = std::make_unique<synthetic_source>(options.cohort, options.max_patients, auto_for_writing);
        automatic_source = std::make_unique<synthetic_source>(options.cohort, options.max_patients, true);
    }
    summary.patients = source->size();

    // Steps 1-3, first pass: manual annotation and BAT for every patient.
    std::vector<std::vector<std::string>> manifest_rows(source->size());
    std::mutex write_mutex;
    patient_hook hook;
    if (!options.write_cohort.empty()) {
        if (!options.manifest.empty()) {
            raise<invalid_argument>(where, "--write-cohort: got it with --manifest, expected it with the synthetic cohort only.");
        }
        fs::create_directories(options.write_cohort);
        hook = [&](std::size_t i, const patient_data& p) { manifest_rows[i] = write_patient_files(options.write_cohort, p); };
    }
    radiomics_options first = options.radiomics;
    first.automatic_only = false;
    // The test split depends only on the TP53 labels of the included patients. Predict it from the
    // records (every patient included), so the first pass also extracts the automatic annotation of
    // the predicted test patients and no patient has to be loaded twice; the second pass below only
    // covers test patients the prediction missed (when patients were excluded).
    std::vector<std::uint8_t> predicted_test(source->size(), 0);
    if (first.automatic_masks) {
        std::vector<int> assumed;
        for (std::size_t i = 0; i < source->size(); ++i) {
            assumed.push_back(source->record(i).tp53_positive ? 1 : 0);
        }
        try {
            for (const auto r : protocol_test_rows(assumed, options.model, options.model_seed)) {
                predicted_test[static_cast<std::size_t>(r)] = 1;
            }
        } catch (const error&) {
            first.automatic_masks = false;  // degenerate labels: the checks below report them
        }
    }
    cohort_features cohort = process_cohort(
        *source, first, options.strict, options.threads,
        [&](std::size_t done, std::size_t total, const std::string& id) {
            report("radiomics", done, total, id);
        },
        hook, predicted_test);
    summary.timings.push_back({"steps 1-3: load/generate, SUV, resample, crop, BAT, radiomics", clock.lap(),
                               std::to_string(source->size()) + " patients"});
    if (!options.write_cohort.empty()) {
        write_manifest(options.write_cohort, manifest_rows);
    }
    summary.included = cohort.clinical.size();
    summary.excluded = summary.patients - summary.included;
    const std::vector<int> labels = detail::tp53_labels(cohort);
    std::size_t positives = 0;
    for (const int y : labels) {
        positives += static_cast<std::size_t>(y);
    }
    const std::size_t needed = static_cast<std::size_t>(2 * std::max<long>(options.model.folds, 2));
    if (positives < needed || labels.size() - positives < needed) {
        raise<invalid_argument>(where, "usable patients: got ", positives, " TP53+ and ", labels.size() - positives,
                                " TP53-, expected at least ", needed, " of each for the split and ",
                                options.model.folds, "-fold cross-validation. ",
                                detail::exclusion_summary(cohort.status),
                                " No report was written.");
    }

    // Automatic annotation of the test patients: from the first pass where the test split was
    // predicted right, from a second pass otherwise.
    const auto test_rows = protocol_test_rows(labels, options.model, options.model_seed);
    if (options.radiomics.automatic_masks) {
        std::vector<std::size_t> status_index;
        for (std::size_t i = 0; i < cohort.status.size(); ++i) {
            if (cohort.status[i].included) {
                status_index.push_back(i);
            }
        }
        std::vector<std::uint8_t> is_test(cohort.status.size(), 0);
        std::vector<std::size_t> subset;       // status indices of test patients not done in the first pass
        std::vector<learn::index> subset_rows;  // their rows in the feature tables
        bool any_automatic = false;
        for (const auto r : test_rows) {
            const std::size_t i = status_index[static_cast<std::size_t>(r)];
            is_test[i] = 1;
            if (predicted_test[i] != 0 && first.automatic_masks) {
                any_automatic = any_automatic || cohort.status[i].automatic_voxels > 0;
            } else {
                subset.push_back(i);
                subset_rows.push_back(r);
            }
        }
        // Predicted but not a test patient (only when patients were excluded): drop its automatic features.
        for (std::size_t r = 0; r < status_index.size(); ++r) {
            auto& st = cohort.status[status_index[r]];
            if (is_test[status_index[r]] == 0 && predicted_test[status_index[r]] != 0) {
                for (std::size_t s = 0; s < 2; ++s) {
                    cohort.automatic[s].row(static_cast<Eigen::Index>(r)).setConstant(
                        std::numeric_limits<double>::quiet_NaN());
                }
                st.automatic_voxels = 0;
                st.dice = std::numeric_limits<double>::quiet_NaN();
            }
        }
        if (!subset.empty()) {
            const patient_source& base = automatic_source ? *automatic_source : *source;
            const subset_source test_source(base, subset);
            radiomics_options second = options.radiomics;
            second.automatic_masks = true;
            second.automatic_only = true;
            const cohort_features automatic = process_cohort(
                test_source, second, false, options.threads,
                [&](std::size_t done, std::size_t total, const std::string& id) {
                    report("automatic annotation", done, total, id);
                });
            for (std::size_t s = 0; s < 2; ++s) {
                if (cohort.automatic[s].cols() != static_cast<Eigen::Index>(cohort.names[s].size())) {
                    cohort.automatic[s] = Eigen::MatrixXd::Constant(
                        cohort.automatic[s].rows(), static_cast<Eigen::Index>(cohort.names[s].size()),
                        std::numeric_limits<double>::quiet_NaN());
                }
                for (std::size_t k = 0; k < subset.size(); ++k) {
                    if (!automatic.status[k].included) {
                        continue;
                    }
                    // row of patient k in `automatic` = number of included patients before it
                    Eigen::Index arow = 0;
                    for (std::size_t q = 0; q < k; ++q) {
                        arow += automatic.status[q].included ? 1 : 0;
                    }
                    const auto row = static_cast<Eigen::Index>(subset_rows[k]);
                    for (std::size_t c = 0; c < cohort.names[s].size(); ++c) {
                        for (std::size_t a = 0; a < automatic.automatic_names[s].size(); ++a) {
                            const std::size_t probe = (c + a) % automatic.automatic_names[s].size();
                            if (automatic.automatic_names[s][probe] == cohort.names[s][c]) {
                                cohort.automatic[s](row, static_cast<Eigen::Index>(c)) =
                                    automatic.automatic[s](arow, static_cast<Eigen::Index>(probe));
                                break;
                            }
                        }
                    }
                    if (s == 0) {
                        auto& st = cohort.status[subset[k]];
                        st.automatic_voxels = automatic.status[k].automatic_voxels;
                        st.dice = automatic.status[k].dice;
                    }
                }
            }
            any_automatic = any_automatic || automatic.has_automatic;
            for (std::size_t k = 0; k < step_count; ++k) {
                cohort.step_seconds[k] += automatic.step_seconds[k];
            }
        }
        cohort.automatic_names = {cohort.names[0], cohort.names[1]};
        cohort.has_automatic = any_automatic;
        summary.timings.push_back({"automatic annotation pass (test patients)", clock.lap(),
                                   std::to_string(subset.size()) + " patients loaded again (" +
                                       std::to_string(test_rows.size() - subset.size()) +
                                       " done in the first pass)"});
    }

    // Step 4.
    report("statistics", 0, 1, "Table 1 and 16 volcano panels");
    const statistics_result statistics = run_statistics(cohort);
    report("statistics", 1, 1, "");
    summary.timings.push_back({"step 4: Table 1 and volcano tests", clock.lap(), "16 panels"});

    // Step 5.
    const model_result models = run_models(cohort, options.model, options.model_seed,
                                           [&](std::size_t done, std::size_t total, const std::string& name) {
                                               report("models", done, total, name + " trained");
                                           });
    summary.timings.push_back({"step 5: Transformer and logistic models (5-fold CV)", clock.lap(), "5 models x 2 classifiers"});

    // Step 6.
    report("clustering", 0, 1, "t-SNE, linkage, DBI scan");
    std::vector<int> types;
    for (const auto& p : cohort.clinical) {
        types.push_back(static_cast<int>(p.type));
    }
    const clustering_result clusters = run_clustering(models.deep_features, labels, types, options.clustering,
                                                      derive_seed(options.model_seed, 300), models.test_rows);
    report("clustering", 1, 1, "");
    summary.timings.push_back({"step 6: t-SNE, agglomerative clustering, tests", clock.lap(), ""});

    // ---------------------------------------------------------------- CSV files
    const std::array<std::string, 4> subsets{"endometrial", "ovarian", "cervical", "all"};
    {
        io::csv_writer t({"variable", "level", "endometrial", "ovarian", "cervical", "all", "test", "statistic", "p_value"});
        for (const auto& r : statistics.table1) {
            t.add_row({r.variable, r.level, r.cells[0], r.cells[1], r.cells[2], r.cells[3], r.test,
                       r.test.empty() ? "" : detail::num(r.statistic), r.test.empty() ? "" : detail::num(r.p_value)});
        }
        t.save(file("table1.csv"));
    }
    const auto write_volcano = [&](const std::string& name, const std::vector<std::string>& features,
                                   const stats::volcano_result& v) {
        io::csv_writer w({"feature", "mean_negative", "mean_positive", "log2_fold_change", "statistic", "p_value",
                      "p_adjusted", "significant", "n_negative", "n_positive"});
        for (Eigen::Index j = 0; j < v.p_value.size(); ++j) {
            w.add_row({features[static_cast<std::size_t>(j)], detail::num(v.mean_negative[j]),
                       detail::num(v.mean_positive[j]), detail::num(v.log2_fold_change[j]),
                       detail::num(v.statistic[j]), detail::num(v.p_value[j]), detail::num(v.p_adjusted[j]),
                       v.significant[static_cast<std::size_t>(j)] ? "1" : "0",
                       std::to_string(v.group_counts(j, 0)), std::to_string(v.group_counts(j, 1))});
        }
        w.save(file(name));
    };
    for (const auto& panel : statistics.volcanos) {
        write_volcano("volcano_" + std::string(source_name(panel.source)) + "_" + panel.subset + ".csv", panel.names,
                      panel.result);
    }
    {
        io::csv_writer w({"model", "annotation", "fold", "split", "accuracy", "precision", "recall", "specificity", "f1",
                      "auc", "classifier", "threshold", "tn", "fp", "fn", "tp", "published_accuracy",
                      "published_precision", "published_recall", "published_f1", "diverged"});
        for (const auto& r : models.metrics) {
            const bool headline =
                r.classifier_kind == classifier::transformer && r.fold == fold_kind::ensemble && r.split == data_split::test;
            const published_metrics pub =
                headline ? published_test_metrics(r.model, r.annotation_kind) : published_metrics{};
            const auto& m = r.metrics;
            const auto opt = [](double v) { return std::isnan(v) ? std::string() : io::format_number(v, 6); };
            // a fold without a usable model has no metrics
            const auto value = [&](double v) { return r.available ? detail::num(v) : std::string("nan"); };
            w.add_row({r.model, to_string(r.annotation_kind), r.fold_name(), to_string(r.split), value(m.accuracy),
                       value(m.precision), value(m.recall), value(m.specificity), value(m.f1), value(m.auc),
                       to_string(r.classifier_kind), detail::num(m.threshold), std::to_string(m.confusion.tn),
                       std::to_string(m.confusion.fp), std::to_string(m.confusion.fn), std::to_string(m.confusion.tp),
                       opt(pub.accuracy), opt(pub.precision), opt(pub.recall), opt(pub.f1), r.diverged ? "1" : "0"});
        }
        w.save(file("metrics.csv"));
    }
    {
        io::csv_writer w({"model", "classifier", "fold", "epoch", "train_loss", "validation_loss", "kept"});
        for (const auto& m : models.models) {
            for (const auto* r : {&m.transformer, &m.logistic}) {
                const std::string classifier = r == &m.transformer ? "transformer" : "logistic";
                for (std::size_t f = 0; f < r->folds.size(); ++f) {
                    const auto& h = r->folds[f].model.history;
                    for (std::size_t e = 0; e < h.train_loss.size(); ++e) {
                        w.add_row({m.spec.name, classifier, std::to_string(f + 1), std::to_string(e + 1),
                                   detail::num(h.train_loss[e]),
                                   e < h.validation_loss.size() ? detail::num(h.validation_loss[e]) : "nan",
                                   static_cast<long>(e) == h.best_epoch ? "1" : "0"});
                    }
                }
            }
        }
        w.save(file("history.csv"));
    }
    const auto patient_cells = [&](std::size_t i) {
        const auto& p = cohort.clinical[i];
        return std::vector<std::string>{p.id, synth::cancer_type_name(p.type), p.tp53_positive ? "1" : "0"};
    };
    {
        std::vector<std::string> header{"id", "cancer_type", "tp53", "origin"};
        for (Eigen::Index c = 0; c < models.deep_features.cols(); ++c) {
            header.push_back("deep_" + std::to_string(c + 1));
        }
        io::csv_writer w(header);
        for (std::size_t i = 0; i < cohort.clinical.size(); ++i) {
            auto row = patient_cells(i);
            const deep_feature_origin origin = models.deep_origin[i];
            row.push_back(origin == deep_feature_origin::out_of_fold     ? "out_of_fold"
                          : origin == deep_feature_origin::test_ensemble ? "test_ensemble"
                                                                         : "seen_fallback");
            for (Eigen::Index c = 0; c < models.deep_features.cols(); ++c) {
                row.push_back(detail::num(models.deep_features(static_cast<Eigen::Index>(i), c)));
            }
            w.add_row(row);
        }
        w.save(file("deep_features.csv"));
        std::vector<std::string> deep_names(header.begin() + 4, header.end());
        write_volcano("volcano_deep_features.csv", deep_names, clusters.deep_volcano);
    }
    {
        io::csv_writer w({"id", "cancer_type", "tp53", "tsne_1", "tsne_2", "cluster"});
        io::csv_writer c({"id", "cancer_type", "tp53", "cluster_tsne", "cluster_deep", "cluster_deep_same_k"});
        for (std::size_t i = 0; i < cohort.clinical.size(); ++i) {
            auto row = patient_cells(i);
            auto row2 = row;
            row.push_back(detail::num(clusters.tsne(static_cast<Eigen::Index>(i), 0)));
            row.push_back(detail::num(clusters.tsne(static_cast<Eigen::Index>(i), 1)));
            row.push_back(std::to_string(clusters.clusters_tsne[i]));
            row2.push_back(std::to_string(clusters.clusters_tsne[i]));
            row2.push_back(std::to_string(clusters.clusters_deep[i]));
            row2.push_back(std::to_string(clusters.clusters_deep_same_k[i]));
            w.add_row(row);
            c.add_row(row2);
        }
        w.save(file("tsne.csv"));
        c.save(file("clusters.csv"));
    }
    {
        io::csv_writer w({"space", "k", "clusters", "davies_bouldin", "silhouette", "calinski_harabasz", "best"});
        for (const auto* scan : {&clusters.scan_tsne, &clusters.scan_deep}) {
            for (const auto& r : scan->rows) {
                w.add_row({scan == &clusters.scan_tsne ? "tsne" : "deep_features", std::to_string(r.k),
                           std::to_string(r.clusters), detail::num(r.davies_bouldin), detail::num(r.silhouette),
                           detail::num(r.calinski_harabasz), r.k == scan->best_k ? "1" : "0"});
            }
        }
        w.save(file("dbi.csv"));
    }
    {
        io::csv_writer w({"test", "clustering", "k", "statistic", "df", "p_value", "cramers_v"});
        const auto chi = [&](const std::string& test, const std::string& space, std::size_t k,
                             const stats::chi_square_result& r) {
            w.add_row({test, space, std::to_string(k), detail::num(r.statistic), detail::num(r.df),
                       detail::num(r.p_value), detail::num(r.cramers_v)});
        };
        chi("chi_square_tp53", "tsne", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters);
        chi("chi_square_cancer_type", "tsne", clusters.scan_tsne.best_k, clusters.type_vs_clusters);
        chi("chi_square_tp53", "deep_features", clusters.scan_deep.best_k, clusters.tp53_vs_deep_clusters);
        chi("chi_square_tp53_test_patients", "tsne", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters_test);
        chi("chi_square_tp53_test_patients", "deep_features", clusters.scan_deep.best_k,
            clusters.tp53_vs_deep_clusters_test);
        w.add_row({"adjusted_rand_index_same_k", "tsne_vs_deep_features", std::to_string(clusters.scan_tsne.best_k),
                   detail::num(clusters.ari_same_k), "", "", ""});
        w.add_row({"adjusted_rand_index_best_k", "tsne_vs_deep_features",
                   std::to_string(clusters.scan_tsne.best_k) + "/" + std::to_string(clusters.scan_deep.best_k),
                   detail::num(clusters.ari_best_k), "", "", ""});
        w.save(file("cluster_tests.csv"));
    }
    {
        io::csv_writer w({"id", "cancer_type", "tp53", "status", "reason", "tumour_voxels", "tumour_ml",
                      "automatic_voxels", "dice_manual_automatic", "bat_voxels", "bat_ml"});
        for (const auto& s : cohort.status) {
            w.add_row({s.clinical.id, synth::cancer_type_name(s.clinical.type), s.clinical.tp53_positive ? "1" : "0",
                       s.included ? "included" : "excluded", s.reason, std::to_string(s.tumour_voxels),
                       detail::num(s.tumour_ml), std::to_string(s.automatic_voxels), detail::num(s.dice),
                       std::to_string(s.bat_voxels), detail::num(s.bat_ml)});
        }
        w.save(file("patients_status.csv"));
    }
    nlohmann::json settings =
        detail::settings_json(options, cohort.source_description, static_cast<std::size_t>(models.deep_features.cols()));

    // ---------------------------------------------------------------- summary
    const std::string combined_name = study_models().back().name;
    for (const auto& r : models.metrics) {
        const bool transformer = r.classifier_kind == classifier::transformer;
        const bool combined = r.model == combined_name;
        if (transformer && r.fold == fold_kind::ensemble && r.annotation_kind == annotation::manual) {
            summary.test_accuracy.push_back({r.model, r.metrics.accuracy});
            if (combined) {
                summary.combined_test_accuracy = r.metrics.accuracy;
                summary.combined_test_auc = r.metrics.auc;
            }
        }
        if (transformer && r.fold == fold_kind::pooled) {
            summary.cv_auc.push_back({r.model, r.metrics.auc});
        }
        if (r.fold == fold_kind::single && r.split == data_split::test && r.annotation_kind == annotation::manual &&
            r.diverged) {
            ++summary.diverged_folds;
        }
        if (combined && r.fold == fold_kind::pooled) {
            (transformer ? summary.combined_cv_auc : summary.combined_logistic_cv_auc) = r.metrics.auc;
        }
        if (combined && r.annotation_kind == annotation::automatic && transformer && r.fold == fold_kind::ensemble) {
            summary.automatic_test_accuracy = r.metrics.accuracy;
        }
    }
    summary.best_k = clusters.scan_tsne.best_k;
    summary.tp53_cluster_p = clusters.tp53_vs_clusters.p_value;
    summary.tp53_deep_cluster_p = clusters.tp53_vs_deep_clusters.p_value;
    summary.ari = clusters.ari_same_k;

    // ---------------------------------------------------------------- HTML
    report::html_report html("TP53 status from PET/CT radiogenomics: reproduction of the study's pipeline");
    const bool synthetic = options.manifest.empty();
    if (synthetic) {
        html.raw("<p class=\"note\"><b>Synthetic data.</b> Every number computed here comes from a seeded synthetic "
                 "cohort that follows the study's published design (Table 1), not from the study's private patients. "
                 "The study's published values are shown beside ours for orientation only; agreement or disagreement "
                 "says nothing about the original data, and the synthetic TP53 effect sizes were chosen so that the "
                 "single-source accuracies land near the study's. Signal strength " +
                 report::html_escape(detail::fmt(options.cohort.signal, 2)) + " (0 = TP53 leaves no trace, 1 = default).</p>\n");
    }
    html.heading("Data and settings", 2, "data");
    html.paragraph("Source: " + cohort.source_description + ". Included patients: " + std::to_string(summary.included) +
                   " of " + std::to_string(summary.patients) + " (excluded: " + std::to_string(summary.excluded) +
                   ", see patients_status.csv).");
    html.paragraph("Imaging: PET converted to SUVbw (body weight, decay to injection) and resampled onto the CT grid "
                   "with cubic B-spline interpolation; grids wider than " +
                   std::to_string(options.radiomics.crop_size) + " voxels centre-cropped to " +
                   std::to_string(options.radiomics.crop_size) + "x" + std::to_string(options.radiomics.crop_size) +
                   ". BAT: SUV > " + detail::fmt(options.radiomics.bat_suv_threshold, 2) + " and CT in [" +
                   detail::fmt(options.radiomics.bat_hu_lower, 0) + ", " + detail::fmt(options.radiomics.bat_hu_upper, 0) +
                   "] HU within the supraclavicular region, components below " +
                   detail::fmt(options.radiomics.bat_min_component_mm3, 0) + " mm3 dropped.");
    html.paragraph(std::string("Radiomics (PyRadiomics names and definitions): ") +
                   (options.radiomics.paper_image_types
                        ? "the study's 19 image types (Original, Square, SquareRoot, Logarithm, Exponential, Gradient, "
                          "LBP3D levels 1-2 and kurtosis, 8 wavelet bands, LoG sigma 1 and 3 mm): "
                        : "original image only (fast test setting): ") +
                   std::to_string(cohort.names[0].size()) + " tumour features and " +
                   std::to_string(cohort.names[2].size()) +
                   " first-order BAT features per modality. Grey levels: fixed bin width " +
                   detail::fmt(options.radiomics.ct_bin_width, 2) + " HU for CT and " +
                   detail::fmt(options.radiomics.pet_bin_width, 2) +
                   " SUV for PET, without z-score normalisation (the study normalised; a per-modality bin width "
                   "in absolute units gives meaningful bins for HU and SUV without depending on the field of view).");
    html.paragraph("Models: Transformer encoder (d_model " + std::to_string(options.model.d_model) + ", " +
                   std::to_string(options.model.heads) + " heads, " + std::to_string(options.model.layers) +
                   " layers, feed-forward " + std::to_string(options.model.d_feedforward) + ", dropout " +
                   detail::fmt(options.model.dropout, 2) + "), AdamW lr " + detail::fmt_p(options.model.learning_rate) +
                   ", up to " + std::to_string(options.model.epochs) + " epochs. Stratified " +
                   detail::fmt(1.0 - options.model.test_fraction, 1) + ":" + detail::fmt(options.model.test_fraction, 1) +
                   " split, " + std::to_string(options.model.folds) + "-fold CV inside the training part; test "
                   "metrics of the ensemble (mean probability of the fold models). Baseline: L2 logistic regression (C = " +
                   detail::fmt(options.model.logistic_c, 3) + ") on the same columns. Seed " +
                   std::to_string(options.model_seed) + "; exact settings in settings.json.");
    html.paragraph("Validation scheme: in each fold, " + detail::fmt(100.0 * options.model.selection_fraction, 0) +
                   " % of the fold's training rows (stratified) form an inner validation split that chooses the "
                   "early-stopping epoch (patience " + std::to_string(options.model.patience) +
                   " epochs, best inner-validation weights kept); the rest are the only rows the model and its "
                   "preprocessing (median imputation, constant columns dropped, top " +
                   std::to_string(options.model.top_k) +
                   " Mann-Whitney columns per token, z-scores) are fitted on. The fold's own validation rows choose "
                   "nothing: they are only predicted, so the pooled cross-validated metrics are out-of-fold estimates "
                   "free of selection bias, and the test patients are used by the test metrics alone. The logistic "
                   "baseline is fitted on exactly the same rows (it has no epoch to choose). A training epoch whose "
                   "loss is NaN or infinite is never selected; such a fold is flagged as diverged.");

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
    {
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
                if (panel.source == s && panel.result.p_value.size() > 0) {
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

    html.heading("Models", 2, "models");
    {
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> diverged;
        for (const auto& r : models.metrics) {
            if (r.fold == fold_kind::single && r.split == data_split::test && r.diverged) {
                diverged.push_back(r.model + " " + to_string(r.classifier_kind) + " fold " + r.fold_name() +
                                   (r.annotation_kind == annotation::automatic ? " (automatic)" : "") +
                                   (r.available ? "" : ", no usable epoch: left out"));
            }
            if (r.fold == fold_kind::single) {
                continue;
            }
            const published_metrics pub = r.classifier_kind == classifier::transformer && r.fold == fold_kind::ensemble
                                              ? published_test_metrics(r.model, r.annotation_kind)
                                              : published_metrics{};
            const auto& m = r.metrics;
            rows.push_back({r.model, to_string(r.annotation_kind), to_string(r.classifier_kind),
                            std::string(r.fold == fold_kind::pooled ? "CV (pooled out-of-fold)" : "test") +
                                (r.diverged ? " (a fold diverged)" : ""),
                            detail::fmt(m.accuracy), detail::fmt(m.precision), detail::fmt(m.recall),
                            detail::fmt(m.specificity), detail::fmt(m.f1), detail::fmt(m.auc),
                            std::isnan(pub.accuracy) ? "" : detail::fmt(pub.accuracy)});
        }
        if (!diverged.empty()) {
            std::string list;
            for (const auto& d : diverged) {
                list += (list.empty() ? "" : "; ") + d;
            }
            html.raw("<p class=\"note\"><b>Diverged training.</b> A loss became NaN or infinite in: " +
                     report::html_escape(list) + ". The weights of the best finite epoch were kept (a fold without one is "
                     "left out of the ensemble and the pooled estimate).</p>\n");
        }
        html.table({"model", "annotation", "classifier", "split", "accuracy", "precision", "recall", "specificity", "F1",
                    "AUC", "study (published test accuracy)"},
                   rows,
                   std::string("Classification of TP53 status. Our values are computed on ") +
                       (synthetic ? "SYNTHETIC data" : "the manifest's data") +
                       "; the last column is the study's published test accuracy on its private cohort." +
                       (synthetic ? " The synthetic TP53 effect sizes were chosen so that the single-source accuracies "
                                    "land near the study's, so agreement in this column is by design, not a finding."
                                  : "") +
                       " CV rows pool each fold model's predictions on its own validation fold, which chose nothing "
                       "(see the validation scheme above). Per-fold rows are in metrics.csv.");
        for (const auto& m : models.models) {
            html.heading(m.spec.title, 3);
            html.figure(detail::loss_svg(m), m.spec.title + ": training (solid) and inner-validation (dashed) loss of "
                                                            "the Transformer in each cross-validation fold (history.csv). "
                                                            "Tokens: " + [&] {
                                                                std::string t;
                                                                for (const auto& n : m.token_names) {
                                                                    t += (t.empty() ? "" : ", ") + n;
                                                                }
                                                                return t;
                                                            }() + ".");
            std::vector<std::string> svgs;
            for (std::size_t f = 0; f < m.transformer.folds.size(); ++f) {
                svgs.push_back(detail::confusion_svg(m.transformer.folds[f].validation,
                                                     "fold " + std::to_string(f + 1) + " validation"));
            }
            svgs.push_back(detail::confusion_svg(m.transformer.ensemble_test, "test (ensemble)"));
            for (const auto& r : models.metrics) {
                if (r.model == m.spec.name && r.annotation_kind == annotation::automatic &&
                    r.classifier_kind == classifier::transformer && r.fold == fold_kind::ensemble) {
                    svgs.push_back(detail::confusion_svg(r.metrics, "test, automatic masks"));
                }
            }
            html.figure_row(svgs, m.spec.title + ": confusion matrices (rows true, columns predicted) of each fold's "
                                                 "validation set and of the test set.");
        }
    }

    html.heading("Deep features: t-SNE and clustering", 2, "clusters");
    {
        const std::string linkage_title = detail::linkage_title(options.clustering.method);
        std::size_t out_of_fold = 0;
        std::size_t fallback = 0;
        for (const auto o : models.deep_origin) {
            out_of_fold += o == deep_feature_origin::out_of_fold ? 1 : 0;
            fallback += o == deep_feature_origin::seen_fallback ? 1 : 0;
        }
        std::string alignment;
        for (std::size_t f = 0; f < models.deep_alignment.size(); ++f) {
            alignment += (f == 0 ? "" : ", ") + detail::fmt(models.deep_alignment[f], 2);
        }
        html.paragraph(
            "Deep features are the combined Transformer's CLS representation, taken so that no patient's deep "
            "features come from a model that saw its TP53 label: each of the " +
            std::to_string(out_of_fold) + " training patients gets them from the fold model that had it in its "
            "validation fold (out-of-fold), each of the " + std::to_string(models.test_rows.size()) +
            " test patients from the mean of the fold models. Each fold model's space is first rotated "
            "(orthogonal Procrustes) onto the same label-free target, the leading principal components of the "
            "patients' features, so a training patient's deep features depend on its own fold model alone ("
            "agreement of the aligned fold models with the first, share of its variance reproduced: " + alignment +
            "). Clustering uses no label; "
            "the chi-square tests below are computed on all patients and, separately, on the test patients alone." +
            (fallback > 0 ? " " + std::to_string(fallback) + " training patients whose fold model diverged got the "
                                                             "ensemble's features, which saw their labels."
                          : ""));
        std::vector<report::svg_series> dbi;
        for (const auto* scan : {&clusters.scan_tsne, &clusters.scan_deep}) {
            report::svg_series s;
            s.name = scan == &clusters.scan_tsne ? "t-SNE embedding" : "raw deep features";
            s.markers = true;
            for (const auto& r : scan->rows) {
                s.x.push_back(static_cast<double>(r.k));
                s.y.push_back(r.davies_bouldin);
            }
            dbi.push_back(s);
        }
        report::svg_scatter_options o;
        o.title = "Davies-Bouldin index";
        o.x_label = "number of clusters k";
        o.y_label = "DBI (lower is better)";
        o.width = 560;
        o.height = 340;
        o.series_colors = {"#1f77b4", "#ff7f0e"};
        html.figure(report::svg_line_plot(dbi, o),
                    "Davies-Bouldin index of " + linkage_title + " agglomerative clusterings for k = " +
                        std::to_string(options.clustering.k_min) + ".." + std::to_string(options.clustering.k_max) +
                        " on the t-SNE embedding (best k = " + std::to_string(clusters.scan_tsne.best_k) +
                        ") and on the raw deep features (best k = " + std::to_string(clusters.scan_deep.best_k) +
                        ") (dbi.csv).");
        std::vector<report::svg_point> by_cluster;
        std::vector<report::svg_point> by_type;
        for (std::size_t i = 0; i < cohort.clinical.size(); ++i) {
            const double x = clusters.tsne(static_cast<Eigen::Index>(i), 0);
            const double y = clusters.tsne(static_cast<Eigen::Index>(i), 1);
            const auto& p = cohort.clinical[i];
            const std::string label = p.id + (p.tp53_positive ? " TP53+" : " TP53-");
            by_cluster.push_back({x, y, clusters.clusters_tsne[i] - 1, label});
            by_type.push_back({x, y, static_cast<int>(p.type), label});
        }
        report::svg_scatter_options a;
        a.title = "t-SNE of deep features, by cluster";
        a.x_label = "t-SNE 1";
        a.y_label = "t-SNE 2";
        a.series_colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
        for (std::size_t k = 1; k <= clusters.scan_tsne.best_k; ++k) {
            a.series_names.push_back("cluster " + std::to_string(k));
        }
        report::svg_scatter_options b = a;
        b.title = "t-SNE of deep features, by cancer type";
        b.series_names = {"endometrial", "ovarian", "cervical"};
        b.series_colors = {"#d62728", "#2ca02c", "#1f77b4"};
        html.figure_row({report::svg_scatter(by_cluster, a), report::svg_scatter(by_type, b)},
                        "t-SNE (perplexity " + detail::fmt(clusters.perplexity, 1) + ", KL " +
                            detail::fmt(clusters.kl_divergence, 3) + ") of the combined model's deep features "
                            "(out-of-fold for training patients, fold-model ensemble for test patients; see above), "
                            "coloured by " + linkage_title + " agglomerative cluster and by cancer type (tsne.csv, "
                            "deep_features.csv).");
        // Heatmap: z-scored deep features, rows by the raw-feature dendrogram.
        const Eigen::MatrixXd& d = models.deep_features;
        std::vector<std::vector<double>> z(static_cast<std::size_t>(d.rows()),
                                           std::vector<double>(static_cast<std::size_t>(d.cols())));
        for (Eigen::Index c = 0; c < d.cols(); ++c) {
            const double mean = d.col(c).mean();
            const double sd = std::sqrt((d.col(c).array() - mean).square().mean());
            for (Eigen::Index r = 0; r < d.rows(); ++r) {
                z[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = sd > 0 ? (d(r, c) - mean) / sd : 0.0;
            }
        }
        std::vector<std::array<double, 4>> merges;
        for (Eigen::Index i = 0; i < clusters.linkage_deep.rows(); ++i) {
            merges.push_back({clusters.linkage_deep(i, 0), clusters.linkage_deep(i, 1), clusters.linkage_deep(i, 2),
                              clusters.linkage_deep(i, 3)});
        }
        report::svg_heatmap_options h;
        h.title = "Deep features (z-scores), patients ordered by " + linkage_title + " linkage";
        h.x_label = "deep feature";
        h.y_label = "patients";
        for (const int c : clusters.clusters_tsne) {
            h.row_groups.push_back(c - 1);
        }
        for (std::size_t k = 1; k <= clusters.scan_tsne.best_k; ++k) {
            h.group_names.push_back("t-SNE cluster " + std::to_string(k));
        }
        html.figure(report::svg_heatmap(z, cluster::leaves_list(clusters.linkage_deep), merges, h),
                    "Heatmap of the deep features (columns, z-scored) of every patient (rows), ordered by the " +
                        linkage_title + " dendrogram of the raw deep features (left); the colour bar shows each patient's t-SNE cluster. "
                    "Adjusted Rand index between the t-SNE clusters and the raw-feature clusters at the same k: " +
                        detail::fmt(clusters.ari_same_k, 3) + " (clusters.csv).");
        std::vector<std::string> deep_names;
        for (Eigen::Index c = 0; c < d.cols(); ++c) {
            deep_names.push_back("deep_" + std::to_string(c + 1));
        }
        html.figure(detail::volcano_svg(deep_names, clusters.deep_volcano, "Deep features vs TP53", false),
                    "Deep-feature volcano plot: difference of the TP53+ and TP53- means (x; deep features are centred "
                    "by layer normalisation, so a fold change is undefined) against -log10 Mann-Whitney p (y); red = "
                    "BH q < 0.05 (volcano_deep_features.csv).");
        html.table({"test", "clustering", "k", "statistic", "df", "p"},
                   {{"chi-square: clusters vs TP53", "t-SNE", std::to_string(clusters.scan_tsne.best_k),
                     detail::fmt(clusters.tp53_vs_clusters.statistic, 3), detail::fmt(clusters.tp53_vs_clusters.df, 0),
                     detail::fmt_p(clusters.tp53_vs_clusters.p_value)},
                    {"chi-square: clusters vs cancer type", "t-SNE", std::to_string(clusters.scan_tsne.best_k),
                     detail::fmt(clusters.type_vs_clusters.statistic, 3), detail::fmt(clusters.type_vs_clusters.df, 0),
                     detail::fmt_p(clusters.type_vs_clusters.p_value)},
                    {"chi-square: clusters vs TP53", "raw deep features", std::to_string(clusters.scan_deep.best_k),
                     detail::fmt(clusters.tp53_vs_deep_clusters.statistic, 3),
                     detail::fmt(clusters.tp53_vs_deep_clusters.df, 0), detail::fmt_p(clusters.tp53_vs_deep_clusters.p_value)},
                    {"chi-square: clusters vs TP53, " + std::to_string(clusters.test_patients) + " test patients only",
                     "t-SNE", std::to_string(clusters.scan_tsne.best_k),
                     detail::fmt(clusters.tp53_vs_clusters_test.statistic, 3),
                     detail::fmt(clusters.tp53_vs_clusters_test.df, 0), detail::fmt_p(clusters.tp53_vs_clusters_test.p_value)},
                    {"chi-square: clusters vs TP53, " + std::to_string(clusters.test_patients) + " test patients only",
                     "raw deep features", std::to_string(clusters.scan_deep.best_k),
                     detail::fmt(clusters.tp53_vs_deep_clusters_test.statistic, 3),
                     detail::fmt(clusters.tp53_vs_deep_clusters_test.df, 0),
                     detail::fmt_p(clusters.tp53_vs_deep_clusters_test.p_value)},
                    {"adjusted Rand index, t-SNE vs raw (same k)", "both", std::to_string(clusters.scan_tsne.best_k),
                     detail::fmt(clusters.ari_same_k, 3), "", ""}},
                   "Cluster tests (cluster_tests.csv; n/a: fewer than two clusters or classes present). Every "
                   "patient's deep features come from a model that never saw its label, so an association here is "
                   "not built in by training. The study: best k = 3, clusters vs TP53 p = 0.001, t-SNE and raw "
                   "clusterings nearly identical (its deep features' provenance is not stated).");
    }

    summary.timings.push_back({"CSV files and figures", clock.lap(), ""});
    html.heading("Timings", 2, "timings");
    {
        std::vector<std::vector<std::string>> rows;
        for (const auto& t : summary.timings) {
            rows.push_back({t.stage, detail::fmt(t.seconds, 2), t.note});
        }
        for (std::size_t k = 0; k < step_count; ++k) {
            rows.push_back({std::string("  per-patient step: ") + step_name(k), detail::fmt(cohort.step_seconds[k], 2),
                            "summed over patients and workers"});
        }
        html.table({"stage", "seconds (wall)", "note"}, rows,
                   "Wall-clock time of each stage on this machine with " + std::to_string(max_threads()) +
                       " thread(s) (timings.csv).");
    }
    html.heading("Patients", 2, "patients");
    {
        std::vector<std::vector<std::string>> rows;
        for (const auto& s : cohort.status) {
            if (!s.included || !s.reason.empty()) {
                rows.push_back({s.clinical.id, s.included ? "included" : "excluded", s.reason});
            }
        }
        html.paragraph(std::to_string(summary.included) + " patients included, " + std::to_string(summary.excluded) +
                       " excluded. Every patient with its mask volumes and Dice (manual vs automatic) is in "
                       "patients_status.csv.");
        if (!rows.empty()) {
            html.table({"id", "status", "reason or note"}, rows, "Patients excluded or with notes.");
        }
    }
    html.heading("Settings", 2, "settings");
    html.raw("<pre>" + report::html_escape(settings.dump(2)) + "</pre>\n");
    io::write_file_atomic(file("index.html"), html.str());

    summary.timings.push_back({"HTML report", clock.lap(), ""});
    const double total_seconds = total_clock.lap();
    summary.timings.push_back({"total", total_seconds, ""});
    settings["timings_seconds"] = nlohmann::json::object();
    {
        io::csv_writer w({"stage", "seconds", "note"});
        for (const auto& t : summary.timings) {
            w.add_row({t.stage, detail::num(t.seconds), t.note});
        }
        for (std::size_t k = 0; k < step_count; ++k) {
            w.add_row({std::string("per-patient step: ") + step_name(k), detail::num(cohort.step_seconds[k]),
                       "summed over patients and workers"});
        }
        w.save(file("timings.csv"));
    }
    io::write_file_atomic(file("settings.json"), settings.dump(2) + "\n");

    // Move into place (replaces only the files of a previous report).
    report_out.commit(std::string("radiogenomics ") + version_string + " report::run_study");
    summary.report_dir = report_out.target().string();
    return summary;
}

}  // namespace radiogenomics::study
