#pragma once
/// \file model_stage.hpp
/// \brief Pipeline step 5: the four single-source Transformer models and the combined model (four
/// sources + FIGO stage, lymph-node status, grade), each with an L2 logistic-regression baseline,
/// under the study's protocol (`learn::run_protocol`: stratified 9:1 split, stratified five-fold
/// cross-validation inside the training part, preprocessing fitted per fold, best-validation
/// weights); then the combined model's fold models applied to the test patients' features from the
/// automatic annotation (the study: "we employed nn-UNet for automatic tumor annotation and then
/// tested the classification model").
///
/// \par Tokens
/// Single-source models: one token per image-type family of the source (original incl. shape;
/// square/squareroot/logarithm/exponential/gradient; LBP3D; wavelet; LoG), each a learned
/// projection of that family's top-k Mann–Whitney columns. Combined model: one token per source
/// plus one clinical token (stage I–IV as 1–4 with "indeterminate" missing → training median,
/// lymph-node status 0/1, grade 0/1/2).
///
/// Every model uses the same protocol seed, hence the same train/test split and folds.

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "radiogenomics/core/parallel.hpp"

#include "radiogenomics/learn/cross_validation.hpp"
#include "radiogenomics/report/cohort_processing.hpp"
#include "radiogenomics/report/study_options.hpp"

namespace radiogenomics::report {

/// Which columns a model sees.
struct model_spec {
    std::string name;                 ///< "tumour_ct", ..., "combined"
    std::string title;                ///< "tumour CT", ..., "combined"
    std::vector<std::size_t> sources; ///< feature sources
    bool clinical = false;            ///< + stage, lymph nodes, grade
};

/// The study's five models.
inline std::vector<model_spec> study_models()
{
    std::vector<model_spec> out;
    for (std::size_t s = 0; s < source_count; ++s) {
        out.push_back({source_name(s), source_title(s), {s}, false});
    }
    out.push_back({"combined", "combined (4 sources + clinical)", {0, 1, 2, 3}, true});
    return out;
}

/// The study's published test metrics (accuracy, precision, recall, F1; NaN where not published).
struct published_metrics {
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    double precision = std::numeric_limits<double>::quiet_NaN();
    double recall = std::numeric_limits<double>::quiet_NaN();
    double f1 = std::numeric_limits<double>::quiet_NaN();
};

/// Published test-set values (the study, sections 3.3.1–3.3.3) for model `name` and annotation.
inline published_metrics published_test_metrics(const std::string& name, const std::string& annotation)
{
    if (annotation == "automatic") {
        return name == "combined" ? published_metrics{0.8000, 0.7885, 0.8200, 0.8040} : published_metrics{};
    }
    if (name == "tumour_ct") return {0.7931, 0.8462, 0.7333, 0.7857};
    if (name == "tumour_pet") return {0.8276, 0.8462, 0.7857, 0.8148};
    if (name == "bat_ct") return {0.7241, 0.7333, 0.7333, 0.7333};
    if (name == "bat_pet") return {0.7931, 0.8333, 0.7143, 0.7692};
    if (name == "combined") return {0.8620, 0.8235, 0.9333, 0.8750};
    return {};
}

/// One metrics row (`metrics.csv`).
struct metrics_row {
    std::string model;
    std::string annotation;  ///< manual / automatic
    std::string classifier;  ///< transformer / logistic
    std::string fold;        ///< 1..k, "ensemble" (mean probability of the fold models), "pooled" (out-of-fold)
    std::string split;       ///< validation / test
    learn::binary_metrics metrics;
};

/// One model's outcome.
struct model_outcome {
    model_spec spec;
    learn::protocol_result transformer;
    learn::protocol_result logistic;
    std::vector<std::string> token_names;
};

/// Result of `run_models`.
struct model_result {
    std::vector<model_outcome> models;
    std::vector<metrics_row> metrics;
    Eigen::MatrixXd deep_features;       ///< all included patients × d_model (combined model, best fold)
    std::size_t deep_fold = 0;           ///< 0-based fold whose model gave the deep features
    std::vector<learn::index> test_rows; ///< rows of the test split
    bool automatic_evaluated = false;
};

namespace detail {

/// Image-type family of a PyRadiomics feature name (contiguous in extractor order).
inline int feature_family(const std::string& name)
{
    const auto starts = [&](const char* p) { return name.rfind(p, 0) == 0; };
    if (starts("original_")) return 0;
    if (starts("lbp-3D")) return 2;
    if (starts("wavelet")) return 3;
    if (starts("log-sigma")) return 4;
    return 1;  // square, squareroot, logarithm, exponential, gradient
}

inline const char* family_name(int f)
{
    static const char* const names[] = {"original", "intensity filters", "LBP3D", "wavelet", "LoG"};
    return names[f];
}

/// Design matrix of `spec` with its token groups; `automatic` swaps in the tumour features of the
/// automatic annotation.
inline learn::matrix<double> design_matrix(const cohort_features& c, const model_spec& spec, bool automatic,
                                           std::vector<learn::token_group>& groups)
{
    groups.clear();
    const auto rows = static_cast<learn::index>(c.clinical.size());
    learn::index cols = 0;
    for (const std::size_t s : spec.sources) {
        cols += c.manual[s].cols();
    }
    if (spec.clinical) {
        cols += 3;
    }
    learn::matrix<double> x(rows, cols);
    learn::index at = 0;
    for (const std::size_t s : spec.sources) {
        const Eigen::MatrixXd& block = automatic && s < 2 ? c.automatic[s] : c.manual[s];
        x.middleCols(at, block.cols()) = block;
        if (spec.sources.size() == 1) {
            // one token per contiguous family
            learn::index begin = 0;
            while (begin < block.cols()) {
                const int family = feature_family(c.names[s][static_cast<std::size_t>(begin)]);
                learn::index end = begin;
                while (end < block.cols() && feature_family(c.names[s][static_cast<std::size_t>(end)]) == family) {
                    ++end;
                }
                groups.push_back({std::string(source_name(s)) + ":" + family_name(family), at + begin, end - begin});
                begin = end;
            }
        } else {
            groups.push_back({source_name(s), at, block.cols()});
        }
        at += block.cols();
    }
    if (spec.clinical) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (learn::index r = 0; r < rows; ++r) {
            const auto& p = c.clinical[static_cast<std::size_t>(r)];
            x(r, at) = p.stage == synth::figo_stage::indeterminate ? nan : static_cast<double>(p.stage) + 1.0;
            x(r, at + 1) = p.lymph_node_positive ? 1.0 : 0.0;
            x(r, at + 2) = static_cast<double>(p.grade);
        }
        groups.push_back({"clinical", at, 3});
    }
    return x;
}

inline std::vector<int> tp53_labels(const cohort_features& c)
{
    std::vector<int> y;
    for (const auto& p : c.clinical) {
        y.push_back(p.tp53_positive ? 1 : 0);
    }
    return y;
}

inline learn::protocol_options protocol_for(const model_options& m, std::uint64_t seed)
{
    learn::protocol_options p;
    p.test_fraction = m.test_fraction;
    p.folds = m.folds;
    p.seed = seed;
    p.preprocessing.top_k = m.top_k;
    return p;
}

inline void add_protocol_rows(std::vector<metrics_row>& out, const learn::protocol_result& r, const std::string& model,
                              const std::string& classifier, const std::vector<int>& labels)
{
    std::vector<int> pooled_y;
    std::vector<double> pooled_p;
    for (std::size_t f = 0; f < r.folds.size(); ++f) {
        const auto& fold = r.folds[f];
        out.push_back({model, "manual", classifier, std::to_string(f + 1), "validation", fold.validation});
        out.push_back({model, "manual", classifier, std::to_string(f + 1), "test", fold.test});
        for (std::size_t i = 0; i < fold.rows.validation.size(); ++i) {
            pooled_y.push_back(labels[static_cast<std::size_t>(fold.rows.validation[i])]);
            pooled_p.push_back(fold.validation_probability[i]);
        }
    }
    out.push_back({model, "manual", classifier, "pooled", "validation", learn::evaluate_binary(pooled_y, pooled_p)});
    out.push_back({model, "manual", classifier, "ensemble", "test", r.ensemble_test});
}

}  // namespace detail

/// The rows of the test split the protocol will use for labels `labels` (for the automatic pass).
inline std::vector<learn::index> protocol_test_rows(const std::vector<int>& labels, const model_options& m,
                                                    std::uint64_t seed)
{
    return learn::stratified_split(labels, m.test_fraction, derive_seed(seed, 100)).test;
}

/// Step 5. `progress(done, total, name)` after each model (Transformer and baseline) is trained.
inline model_result run_models(const cohort_features& cohort, const model_options& m, std::uint64_t seed,
                               const std::function<void(std::size_t, std::size_t, const std::string&)>& progress = {})
{
    model_result out;
    const std::vector<int> labels = detail::tp53_labels(cohort);
    const auto specs = study_models();
    learn::transformer_options architecture;
    architecture.d_model = m.d_model;
    architecture.heads = m.heads;
    architecture.layers = m.layers;
    architecture.d_feedforward = m.d_feedforward;
    architecture.dropout = m.dropout;
    learn::training_options training;
    training.epochs = m.epochs;
    training.batch_size = m.batch_size;
    training.optimizer.learning_rate = m.learning_rate;
    training.optimizer.weight_decay = m.weight_decay;
    training.patience = m.patience;
    learn::logistic_options logistic;
    logistic.c = m.logistic_c;
    const learn::protocol_options protocol = detail::protocol_for(m, seed);
    // The models are independent: train them in parallel (one per thread, each single-threaded
    // inside — tiny matrices gain nothing from threads and OpenMP barriers would dominate).
    std::vector<model_outcome> outcomes(specs.size());
    std::vector<learn::matrix<double>> designs(specs.size());
    std::vector<std::exception_ptr> errors(specs.size());
    std::mutex progress_mutex;
    std::size_t done = 0;
    const auto total = specs.size();
    const auto count = static_cast<long>(specs.size());
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1)
#endif
    for (long i = 0; i < count; ++i) {
        const auto k = static_cast<std::size_t>(i);
        try {
            const thread_count_guard single(1);
            model_outcome& outcome = outcomes[k];
            outcome.spec = specs[k];
            std::vector<learn::token_group> groups;
            designs[k] = detail::design_matrix(cohort, specs[k], false, groups);
            for (const auto& g : groups) {
                outcome.token_names.push_back(g.name);
            }
            outcome.transformer = learn::run_protocol(designs[k], labels, groups, protocol,
                                                      learn::transformer_learner(architecture, training));
            outcome.logistic = learn::run_protocol(designs[k], labels, groups, protocol, learn::logistic_learner(logistic));
        } catch (...) {
            errors[k] = std::current_exception();
        }
        if (progress) {
            const std::lock_guard<std::mutex> lock(progress_mutex);
            progress(++done, total, specs[k].name);
        }
    }
    for (const auto& e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
    for (std::size_t k = 0; k < specs.size(); ++k) {
        const auto& spec = specs[k];
        model_outcome& outcome = outcomes[k];
        const learn::matrix<double>& x = designs[k];
        detail::add_protocol_rows(out.metrics, outcome.transformer, spec.name, "transformer", labels);
        detail::add_protocol_rows(out.metrics, outcome.logistic, spec.name, "logistic", labels);
        if (spec.name == "combined") {
            const thread_count_guard single(1);
            out.test_rows = outcome.transformer.split.test;
            // Deep features: the fold model with the lowest best-validation loss, on every patient.
            std::size_t best = 0;
            for (std::size_t f = 1; f < outcome.transformer.folds.size(); ++f) {
                if (outcome.transformer.folds[f].model.history.best_validation_loss <
                    outcome.transformer.folds[best].model.history.best_validation_loss) {
                    best = f;
                }
            }
            const auto& fold = outcome.transformer.folds[best];
            out.deep_fold = best;
            out.deep_features = fold.model.embed(fold.preprocessor.transform(x));
            // Automatic annotation: the manual-trained fold models on the test patients' automatic features.
            if (cohort.has_automatic) {
                std::vector<learn::token_group> auto_groups;
                const learn::matrix<double> xa = detail::design_matrix(cohort, spec, true, auto_groups);
                const learn::matrix<double> xa_test = learn::take_rows(xa, out.test_rows);
                const std::vector<int> y_test = learn::take_labels(labels, out.test_rows);
                const auto evaluate = [&](const learn::protocol_result& r, const std::string& classifier) {
                    std::vector<double> ensemble(y_test.size(), 0.0);
                    for (std::size_t f = 0; f < r.folds.size(); ++f) {
                        const auto p = r.folds[f].model.predict(r.folds[f].preprocessor.transform(xa_test));
                        out.metrics.push_back({spec.name, "automatic", classifier, std::to_string(f + 1), "test",
                                               learn::evaluate_binary(y_test, p, r.folds[f].threshold)});
                        for (std::size_t i = 0; i < p.size(); ++i) {
                            ensemble[i] += p[i] / static_cast<double>(r.folds.size());
                        }
                    }
                    out.metrics.push_back({spec.name, "automatic", classifier, "ensemble", "test",
                                           learn::evaluate_binary(y_test, ensemble, r.ensemble_threshold)});
                };
                evaluate(outcome.transformer, "transformer");
                evaluate(outcome.logistic, "logistic");
                out.automatic_evaluated = true;
            }
        }
        out.models.push_back(std::move(outcome));
    }
    return out;
}

}  // namespace radiogenomics::report
