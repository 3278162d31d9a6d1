// reproduce_paper: the study end to end on the synthetic cohort (default) or on your own data
// (--manifest), writing a self-contained report folder (index.html + CSVs + settings.json).
//
//   reproduce_paper                       # 259 synthetic patients, full-size grids, report/
//   reproduce_paper --scale small         # 40 patients on small grids (seconds)
//   reproduce_paper --signal 0            # TP53 leaves no trace: models should be at chance
//   reproduce_paper --write-cohort cohort/ --scale small   # also save the cohort as NIfTI + manifest
//   reproduce_paper --manifest cohort/manifest.csv         # run on files listed in a manifest
//
// A thin main over radiogenomics::study::run_study (include/radiogenomics/study/study_pipeline.hpp).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/study/study_pipeline.hpp"
#include "support/cli.hpp"

namespace rg = radiogenomics;

namespace {

int run(int argc, char** argv)
{
    CLI::App app{"Reproduce the PET/CT radiogenomics study (TP53) end to end and write a report"};
    rg::study::study_options options;
    std::string scale = "full";
    options.out_dir = "report";
    app.add_option("--seed", options.cohort.seed, "Seed of the synthetic cohort")->capture_default_str();
    app.add_option("--signal", options.cohort.signal, "TP53 signal strength (0 = none, 1 = default)")
        ->capture_default_str();
    app.add_option("--scale", scale, "Synthetic cohort: full (259 patients, study grids) or small (40, coarse)")
        ->check(CLI::IsMember({"full", "small"}))
        ->capture_default_str();
    app.add_option("--patients", options.max_patients, "Use only the first N patients (0 = all)");
    app.add_option("--out", options.out_dir, "Report folder")->capture_default_str();
    app.add_option("--manifest", options.manifest, "Run on real data listed in this manifest CSV")
        ->check(CLI::ExistingFile);
    app.add_option("--write-cohort", options.write_cohort, "Also write the synthetic cohort as NIfTI + manifest here");
    app.add_flag("--force", options.force, "Accept a non-empty --out folder that is not a previous report "
                 "(its files are never deleted or overwritten)");
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress output");
    app.add_flag("--strict", options.strict, "Stop at the first unusable patient instead of excluding it");
    app.add_option("--threads", options.threads, "Threads (0 = all cores); results do not depend on it");
    app.add_option("--epochs", options.model.epochs, "Maximum Transformer epochs per fold")->capture_default_str();
    app.add_option("--model-seed", options.model_seed, "Seed of splits, initialisation and t-SNE")
        ->capture_default_str();
    app.add_option("--top-k", options.model.top_k, "Columns kept per token (Mann-Whitney, per fold)")
        ->capture_default_str();
    bool original_only = false;
    app.add_flag("--original-only", original_only, "Radiomics on the original image only (fast; not the study's set)");
    bool no_automatic = false;
    app.add_flag("--no-automatic", no_automatic, "Skip the automatic-annotation evaluation");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "reproduce_paper")) {
        return *code;
    }

    options.cohort.scale = rg::synth::parse_cohort_scale(scale);
    options.radiomics.paper_image_types = !original_only;
    options.radiomics.automatic_masks = !no_automatic;
    rg_cli::progress_printer bar(quiet);
    options.progress = [&bar](const rg::study::progress_event& e) { bar.update(e.stage, e.done, e.total, e.message); };
    try {
        const auto summary = rg::study::run_study(options);
        bar.finish();
        std::printf("radiogenomics %s — %s\n", rg::version_string,
                    options.manifest.empty() ? "SYNTHETIC cohort (not the study's patients)" : "manifest data");
        std::printf("  patients: %zu included, %zu excluded (patients_status.csv)\n", summary.included,
                    summary.excluded);
        std::printf("  test accuracy (Transformer, ensemble of folds) vs the study's published value:\n");
        for (const auto& [model, accuracy] : summary.test_accuracy) {
            const auto published = rg::study::published_test_metrics(model, rg::study::annotation::manual);
            std::printf("    %-11s %.4f   (study %.4f)\n", model.c_str(), accuracy, published.accuracy);
        }
        if (summary.automatic_test_accuracy == summary.automatic_test_accuracy) {
            const auto published = rg::study::published_test_metrics(rg::study::study_models().back().name,
                                                                      rg::study::annotation::automatic);
            std::printf("    %-11s %.4f   (study %.4f)  combined model on automatic annotations\n", "automatic",
                        summary.automatic_test_accuracy, published.accuracy);
        }
        if (options.manifest.empty()) {
            std::printf("  (the synthetic TP53 effect sizes were chosen so that single-source accuracies land near the "
                        "study's)\n");
        }
        std::printf("  cross-validated AUC (Transformer, pooled out-of-fold; epochs chosen on inner splits):");
        for (const auto& [model, auc] : summary.cv_auc) {
            std::printf(" %s %.3f", model.c_str(), auc);
        }
        std::printf("\n  combined model: test AUC %.3f, cross-validated AUC %.3f (logistic baseline %.3f)\n",
                    summary.combined_test_auc, summary.combined_cv_auc, summary.combined_logistic_cv_auc);
        if (summary.diverged_folds > 0) {
            std::printf("  WARNING: %zu fold(s) diverged (NaN/Inf loss); see the report\n", summary.diverged_folds);
        }
        std::printf("  deep features (out-of-fold): best k = %zu (DBI), clusters vs TP53 chi-square p = %.3g "
                    "(t-SNE), %.3g (raw), ARI t-SNE vs raw %.3f\n",
                    summary.best_k, summary.tp53_cluster_p, summary.tp53_deep_cluster_p, summary.ari);
        std::printf("  total time %.1f s\n", summary.timings.empty() ? 0.0 : summary.timings.back().seconds);
        std::printf("Report: %s/index.html\n", summary.report_dir.c_str());
    } catch (const std::exception& e) {
        bar.finish();
        return rg_cli::report_error("reproduce_paper", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("reproduce_paper", argc, argv, run); }
