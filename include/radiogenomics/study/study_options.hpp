#pragma once
/// \file study_options.hpp
/// \brief Every setting of the end-to-end study (`run_study`, the `reproduce_paper` example), with
/// documented defaults, and the progress events the pipeline reports.
///
/// The target for the full default run (259 synthetic patients on the study's grids) is five
/// minutes on a 2-core machine; it takes 3 minutes (349 s of CPU, ~70 % of it feature extraction).
/// `benchmarks/README.md` (section "paper") records the measured stage times.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/synth/cohort.hpp"

namespace radiogenomics::study {

/// Imaging and radiomics settings (pipeline steps 1-3).
///
/// \par Radiomics settings (stated in the report)
/// The study z-scored CT and PET before PyRadiomics. Z-scoring a whole 512×512×80 volume costs a
/// 168 MB double copy per extraction and makes the bins depend on the field of view, so we use the
/// equivalent per-modality choice PyRadiomics documents for absolute units instead: a fixed bin
/// width of 25 HU for CT (PyRadiomics' default, about 40 bins over soft tissue) and 0.25 SUV for PET
/// (about 40 bins over an SUV range of 10), no normalisation, no resampling of voxels
/// (the CT grid is kept, PET is resampled onto it), filters on the mask's bounding box plus margin.
struct radiomics_options {
    /// true: the study's 19 image types (1,781 tumour / 342 BAT features per modality);
    /// false: the original image only (107 tumour / 18 BAT features) — for fast tests.
    bool paper_image_types = true;
    double ct_bin_width = 25.0;     ///< PyRadiomics `binWidth` for CT, HU
    double pet_bin_width = 0.25;    ///< PyRadiomics `binWidth` for PET, SUV
    std::size_t crop_size = 512;    ///< centre crop of larger in-plane grids (the study's 512×512)
    double bat_suv_threshold = 1.5; ///< BAT: SUV strictly above
    double bat_hu_lower = -190.0;   ///< BAT: CT window, inclusive
    double bat_hu_upper = -10.0;    ///< BAT: CT window, inclusive
    double bat_min_component_mm3 = 100.0;  ///< BAT components smaller than this are noise
    bool automatic_masks = true;    ///< also extract tumour features on the automatic annotation
    /// Internal second pass of `run_study`: only the automatic-annotation tumour features (the
    /// study tested the trained model on automatic annotations of the test patients).
    bool automatic_only = false;
};

/// Classifier settings (pipeline step 5). The Transformer is `learn::transformer_encoder` with one
/// token per feature group (group projection); the logistic baseline is L2 logistic regression on
/// the same preprocessed columns.
struct model_options {
    long epochs = 60;              ///< maximum epochs per fold
    long batch_size = 32;
    double learning_rate = 1e-3;   ///< AdamW
    double weight_decay = 1e-2;
    long patience = 20;            ///< early stopping on the inner validation loss; best weights kept
    /// Share of each fold's training rows held out to choose the early-stopping epoch (the fold's own
    /// validation rows choose nothing, so the cross-validated metrics are unbiased).
    double selection_fraction = 0.2;
    long d_model = 32;
    long heads = 4;
    long layers = 2;
    long d_feedforward = 64;
    double dropout = 0.1;
    long top_k = 24;               ///< Mann–Whitney top-k columns per token group, fitted per fold
    long folds = 5;                ///< cross-validation folds inside the training part
    double test_fraction = 0.1;    ///< 9:1 stratified split
    double logistic_c = 0.1;       ///< inverse L2 strength of the baseline
};

/// Deep-feature analysis settings (pipeline step 6).
struct clustering_options {
    std::size_t k_min = 2;          ///< the study scanned k = 2..9
    std::size_t k_max = 9;
    double perplexity = 30.0;       ///< t-SNE (clamped for small cohorts)
    std::size_t tsne_iterations = 1000;
    cluster::linkage_method method = cluster::linkage_method::ward;  ///< agglomerative criterion
};

/// One progress report: `done` of `total` units of `stage` after `elapsed_seconds`.
struct progress_event {
    std::string stage;
    std::size_t done = 0;
    std::size_t total = 0;
    double elapsed_seconds = 0.0;
    std::string message;  ///< optional detail (a patient id, a model name)
};

/// Everything `run_study` needs.
struct study_options {
    synth::cohort_options cohort{};     ///< synthetic cohort (ignored with a manifest): seed, signal, scale
    std::size_t max_patients = 0;       ///< use only the first n patients (0 = all); for tests
    std::string manifest;               ///< real-data manifest CSV (empty: synthetic cohort)
    std::string write_cohort;           ///< also write the synthetic cohort as NIfTI + manifest here
    std::string out_dir = "report";     ///< report folder (written to a temporary name, then renamed)
    bool force = false;                 ///< accept a non-empty out_dir that is not a previous report (its
                                        ///< files are never deleted or overwritten; see report_folder.hpp)
    bool strict = false;                ///< stop at the first unusable patient instead of excluding it
    int threads = 0;                    ///< threads (0 = OpenMP default); results do not depend on it
    std::uint64_t model_seed = 7;       ///< seed of splits, initialisation, batches, t-SNE
    radiomics_options radiomics{};
    model_options model{};
    clustering_options clustering{};
    std::function<void(const progress_event&)> progress;  ///< optional, called from one thread at a time
};

}  // namespace radiogenomics::study
