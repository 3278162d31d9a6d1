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
/// report that looks complete (a run killed outright leaves that hidden folder, and the next run for
/// NAME removes it once its process is gone). An existing NAME must be empty or a previous report (holds
/// `report_files.txt`), whose listed files alone are replaced; `force` writes beside foreign files
/// without ever deleting or overwriting them (`report_folder.hpp`).
///
/// \par Stages
/// `run_study` is a short sequence of typed stages, each in its own header with its own test
/// (tests/paper/test_study_stages.cpp): `run_cohort_stage` (cohort_stage.hpp: steps 1-3 and the
/// automatic annotation of the test patients) → `run_statistics` (statistics_stage.hpp: Table 1 and
/// the volcano panels) → `run_models` (model_stage.hpp) → `run_clustering` (clustering_stage.hpp). Each
/// stage's `write_*` writes its CSV files and its `add_*_section` writes its part of `index.html`, so
/// the prose of a section lives in one place; the data, timings and settings sections are here.

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/clustering_stage.hpp"
#include "radiogenomics/study/cohort_stage.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/statistics_stage.hpp"
#include "radiogenomics/study/study_options.hpp"

namespace radiogenomics::study {

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

namespace detail {

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

/// The headline numbers of a finished run (the rest of `study_summary` is filled by `run_study`).
inline study_summary summarize(const cohort_stage_result& cohort, const model_result& models,
                               const clustering_result& clusters)
{
    study_summary summary;
    summary.patients = cohort.patients;
    summary.included = cohort.included();
    summary.excluded = cohort.excluded();
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
    return summary;
}

/// The opening of the report (all its prose is here): the synthetic-data note, the data, imaging,
/// radiomics and model settings, and the validation scheme.
inline void add_data_section(report::html_report& html, const study_options& options, const cohort_stage_result& cohort)
{
    if (options.manifest.empty()) {
        html.raw("<p class=\"note\"><b>Synthetic data.</b> Every number computed here comes from a seeded synthetic "
                 "cohort that follows the study's published design (Table 1), not from the study's private patients. "
                 "The study's published values are shown beside ours for orientation only; agreement or disagreement "
                 "says nothing about the original data, and the synthetic TP53 effect sizes were chosen so that the "
                 "single-source accuracies land near the study's. Signal strength " +
                 report::html_escape(fmt(options.cohort.signal, 2)) + " (0 = TP53 leaves no trace, 1 = default).</p>\n");
    }
    const auto& r = options.radiomics;
    const auto& m = options.model;
    html.heading("Data and settings", 2, "data");
    html.paragraph("Source: " + cohort.cohort.source_description + ". Included patients: " +
                   std::to_string(cohort.included()) + " of " + std::to_string(cohort.patients) + " (excluded: " +
                   std::to_string(cohort.excluded()) + ", see patients_status.csv).");
    html.paragraph("Imaging: PET converted to SUVbw (body weight, decay to injection) and resampled onto the CT grid "
                   "with cubic B-spline interpolation; grids wider than " +
                   std::to_string(r.crop_size) + " voxels centre-cropped to " + std::to_string(r.crop_size) + "x" +
                   std::to_string(r.crop_size) + ". BAT: SUV > " + fmt(r.bat_suv_threshold, 2) + " and CT in [" +
                   fmt(r.bat_hu_lower, 0) + ", " + fmt(r.bat_hu_upper, 0) +
                   "] HU within the supraclavicular region, components below " + fmt(r.bat_min_component_mm3, 0) +
                   " mm3 dropped.");
    html.paragraph(std::string("Radiomics (PyRadiomics names and definitions): ") +
                   (r.paper_image_types
                        ? "the study's 19 image types (Original, Square, SquareRoot, Logarithm, Exponential, Gradient, "
                          "LBP3D levels 1-2 and kurtosis, 8 wavelet bands, LoG sigma 1 and 3 mm): "
                        : "original image only (fast test setting): ") +
                   std::to_string(cohort.cohort.names[0].size()) + " tumour features and " +
                   std::to_string(cohort.cohort.names[2].size()) +
                   " first-order BAT features per modality. Grey levels: fixed bin width " + fmt(r.ct_bin_width, 2) +
                   " HU for CT and " + fmt(r.pet_bin_width, 2) +
                   " SUV for PET, without z-score normalisation (the study normalised; a per-modality bin width "
                   "in absolute units gives meaningful bins for HU and SUV without depending on the field of view).");
    html.paragraph("Models: Transformer encoder (d_model " + std::to_string(m.d_model) + ", " +
                   std::to_string(m.heads) + " heads, " + std::to_string(m.layers) + " layers, feed-forward " +
                   std::to_string(m.d_feedforward) + ", dropout " + fmt(m.dropout, 2) + "), AdamW lr " +
                   fmt_p(m.learning_rate) + ", up to " + std::to_string(m.epochs) + " epochs. Stratified " +
                   fmt(1.0 - m.test_fraction, 1) + ":" + fmt(m.test_fraction, 1) + " split, " +
                   std::to_string(m.folds) + "-fold CV inside the training part; test "
                   "metrics of the ensemble (mean probability of the fold models). Baseline: L2 logistic regression (C = " +
                   fmt(m.logistic_c, 3) + ") on the same columns. Seed " + std::to_string(options.model_seed) +
                   "; exact settings in settings.json.");
    html.paragraph("Validation scheme: in each fold, " + fmt(100.0 * m.selection_fraction, 0) +
                   " % of the fold's training rows (stratified) form an inner validation split that chooses the "
                   "early-stopping epoch (patience " + std::to_string(m.patience) +
                   " epochs, best inner-validation weights kept); the rest are the only rows the model and its "
                   "preprocessing (median imputation, constant columns dropped, top " + std::to_string(m.top_k) +
                   " Mann-Whitney columns per token, z-scores) are fitted on. The fold's own validation rows choose "
                   "nothing: they are only predicted, so the pooled cross-validated metrics are out-of-fold estimates "
                   "free of selection bias, and the test patients are used by the test metrics alone. The logistic "
                   "baseline is fitted on exactly the same rows (it has no epoch to choose). A training epoch whose "
                   "loss is NaN or infinite is never selected; such a fold is flagged as diverged.");
}

/// The timings section (wall-clock seconds per stage and the per-patient steps summed over workers).
inline void add_timings_section(report::html_report& html, const std::vector<stage_timing>& timings,
                                const std::array<double, step_count>& step_seconds)
{
    html.heading("Timings", 2, "timings");
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : timings) {
        rows.push_back({t.stage, fmt(t.seconds, 2), t.note});
    }
    for (std::size_t k = 0; k < step_count; ++k) {
        rows.push_back({std::string("  per-patient step: ") + step_name(k), fmt(step_seconds[k], 2),
                        "summed over patients and workers"});
    }
    html.table({"stage", "seconds (wall)", "note"}, rows,
               "Wall-clock time of each stage on this machine with " + std::to_string(max_threads()) +
                   " thread(s) (timings.csv).");
}

/// Writes `timings.csv`.
inline void write_timings(const std::vector<stage_timing>& timings, const std::array<double, step_count>& step_seconds,
                          const report_folder& out)
{
    io::csv_writer w({"stage", "seconds", "note"});
    for (const auto& t : timings) {
        w.add_row({t.stage, num(t.seconds), t.note});
    }
    for (std::size_t k = 0; k < step_count; ++k) {
        w.add_row({std::string("per-patient step: ") + step_name(k), num(step_seconds[k]),
                   "summed over patients and workers"});
    }
    w.save(out.file("timings.csv"));
}

}  // namespace detail

/// Runs the whole study and writes the report; see the file comment. Throws `invalid_argument`
/// for bad options, `io_error` when the report cannot be written, and (with `strict`) the first
/// patient error.
inline study_summary run_study(const study_options& options)
{
    const thread_count_guard threads(options.threads);
    detail::stage_clock total_clock;
    const auto run_start = std::chrono::steady_clock::now();
    const stage_progress progress = [&](const std::string& stage, std::size_t done, std::size_t total,
                                        const std::string& message) {
        if (options.progress) {
            options.progress(progress_event{stage, done, total, detail::seconds_since(run_start), message});
        }
    };
    // Written in a private staging folder, moved into place at the end (report_folder.hpp).
    report_folder out(options.out_dir, options.force, "study.run_study");

    // The stages.
    const study_sources sources = open_sources(options);
    const cohort_stage_result cohort = run_cohort_stage(options, sources, progress);
    std::vector<stage_timing> timings = cohort.timings;
    detail::stage_clock clock;

    progress("statistics", 0, 1, "Table 1 and 16 volcano panels");
    const statistics_result statistics = run_statistics(cohort.cohort);
    progress("statistics", 1, 1, "");
    timings.push_back({"step 4: Table 1 and volcano tests", clock.lap(), "16 panels"});

    const model_result models = run_models(cohort.cohort, options.model, options.model_seed,
                                           [&](std::size_t done, std::size_t total, const std::string& name) {
                                               progress("models", done, total, name + " trained");
                                           });
    timings.push_back({"step 5: Transformer and logistic models (5-fold CV)", clock.lap(), "5 models x 2 classifiers"});

    progress("clustering", 0, 1, "t-SNE, linkage, DBI scan");
    const clustering_result clusters =
        run_clustering(models.deep_features, cohort.labels, cancer_type_codes(cohort.cohort), options.clustering,
                       derive_seed(options.model_seed, 300), models.test_rows);
    progress("clustering", 1, 1, "");
    timings.push_back({"step 6: t-SNE, agglomerative clustering, tests", clock.lap(), ""});

    // Their files and report sections, in report order.
    write_statistics(statistics, out);
    write_models(models, cohort.cohort, out);
    write_clustering(clusters, cohort.cohort.clinical, out);
    write_patient_status(cohort.cohort, out);
    nlohmann::json settings = detail::settings_json(options, cohort.cohort.source_description,
                                                    static_cast<std::size_t>(models.deep_features.cols()));
    study_summary summary = detail::summarize(cohort, models, clusters);

    report::html_report html("TP53 status from PET/CT radiogenomics: reproduction of the study's pipeline");
    detail::add_data_section(html, options, cohort);
    add_statistics_sections(html, statistics);
    add_models_section(html, models, options.manifest.empty());
    add_clustering_section(html, clusters, models, cohort.cohort.clinical, options.clustering);
    timings.push_back({"CSV files and figures", clock.lap(), ""});
    detail::add_timings_section(html, timings, cohort.cohort.step_seconds);
    add_patients_section(html, cohort);
    html.heading("Settings", 2, "settings");
    html.raw("<pre>" + report::html_escape(settings.dump(2)) + "</pre>\n");
    io::write_file_atomic(out.file("index.html"), html.str());
    timings.push_back({"HTML report", clock.lap(), ""});
    timings.push_back({"total", total_clock.lap(), ""});
    settings["timings_seconds"] = nlohmann::json::object();
    detail::write_timings(timings, cohort.cohort.step_seconds, out);
    io::write_file_atomic(out.file("settings.json"), settings.dump(2) + "\n");

    // Move into place (replaces only the files of a previous report).
    out.commit(std::string("radiogenomics ") + version_string + " study::run_study");
    summary.report_dir = out.target().string();
    summary.timings = std::move(timings);
    return summary;
}

}  // namespace radiogenomics::study
