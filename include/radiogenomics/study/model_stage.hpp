#pragma once
/// \file model_stage.hpp
/// \brief Pipeline step 5: the four single-source Transformer models and the combined model (four
/// sources + FIGO stage, lymph-node status, grade), each with an L2 logistic-regression baseline,
/// under the study's protocol (`learn::run_protocol`: stratified 9:1 split, stratified five-fold
/// cross-validation inside the training part, each fold's early-stopping epoch chosen on an inner
/// validation split of its training rows, so the reported out-of-fold metrics were never used to
/// choose anything; the logistic baseline is fitted on the same rows); then the combined model's
/// fold models applied to the test patients' features from the automatic annotation (the study: "we
/// employed nn-UNet for automatic tumor annotation and then tested the classification model").
///
/// \par Deep features (`model_result::deep_features`)
/// Every patient's deep features come from a model that never saw that patient's label: a training
/// patient's from the fold model whose validation fold holds it (out-of-fold), a test patient's from
/// the ensemble (mean) of the fold models. The fold models' embedding spaces are put into one
/// coordinate system first: each model's embedding of all patients (centred) is rotated by an
/// orthogonal Procrustes rotation onto the same label-free target, the leading principal-component
/// scores of the design matrix (median-imputed, z-scored over all patients). A training patient's
/// deep features therefore depend on its own fold model and on label-free data only — no other
/// fold model, each of which saw its label, enters them.
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

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"

#include "radiogenomics/learn/cross_validation.hpp"
#include "radiogenomics/learn/preprocessing.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/study_options.hpp"

namespace radiogenomics::study {

/// Which columns a model sees.
struct model_spec {
    std::string name;                      ///< "tumour_ct", ..., "combined"
    std::string title;                     ///< "tumour CT", ..., "combined"
    std::vector<feature_source> sources;   ///< feature sources
    bool clinical = false;                 ///< + stage, lymph nodes, grade
    bool combined = false;                 ///< the combined model (deep features, automatic annotation)
};

/// The study's five models.
inline std::vector<model_spec> study_models()
{
    std::vector<model_spec> out;
    for (std::size_t s = 0; s < source_count; ++s) {
        out.push_back({source_name(s), source_title(s), {static_cast<feature_source>(s)}, false, false});
    }
    out.push_back({"combined", "combined (4 sources + clinical)",
                   {feature_source::tumour_ct, feature_source::tumour_pet, feature_source::bat_ct, feature_source::bat_pet},
                   true, true});
    return out;
}

/// Tumour sources have an automatic annotation; BAT sources do not.
inline bool is_tumour_source(feature_source s)
{
    return s == feature_source::tumour_ct || s == feature_source::tumour_pet;
}

/// Which tumour annotation the features come from.
enum class annotation { manual, automatic };
/// Which classifier.
enum class classifier { transformer, logistic };
/// Which rows a metric is computed on.
enum class data_split { validation, test };
/// Which model(s) a metrics row describes.
enum class fold_kind {
    single,    ///< one fold model (`metrics_row::fold`)
    ensemble,  ///< mean probability of the usable fold models
    pooled     ///< out-of-fold predictions of the usable fold models, pooled
};

inline const char* to_string(annotation a) { return a == annotation::manual ? "manual" : "automatic"; }
inline const char* to_string(classifier c) { return c == classifier::transformer ? "transformer" : "logistic"; }
inline const char* to_string(data_split s) { return s == data_split::validation ? "validation" : "test"; }

/// The study's published test metrics (accuracy, precision, recall, F1; NaN where not published).
struct published_metrics {
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    double precision = std::numeric_limits<double>::quiet_NaN();
    double recall = std::numeric_limits<double>::quiet_NaN();
    double f1 = std::numeric_limits<double>::quiet_NaN();
};

/// Published test-set values (the study, sections 3.3.1–3.3.3) for model `name` and annotation.
inline published_metrics published_test_metrics(const std::string& name, annotation a)
{
    if (a == annotation::automatic) {
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
    annotation annotation_kind = annotation::manual;
    classifier classifier_kind = classifier::transformer;
    fold_kind fold = fold_kind::single;
    std::size_t fold_index = 0;  ///< 0-based, for `fold_kind::single`
    data_split split = data_split::validation;
    learn::binary_metrics metrics;
    bool diverged = false;  ///< single fold: its training diverged (kept weights from an earlier finite epoch,
                            ///< or none); ensemble/pooled: at least one fold diverged
    bool available = true;  ///< false: no usable model (metrics are placeholders)

    /// The `fold` column of metrics.csv: "1".."k", "ensemble" or "pooled".
    std::string fold_name() const
    {
        return fold == fold_kind::single ? std::to_string(fold_index + 1) : fold == fold_kind::ensemble ? "ensemble" : "pooled";
    }
};

/// Where a patient's deep features come from.
enum class deep_feature_origin {
    out_of_fold,    ///< training patient: the fold model that had it in its validation fold
    test_ensemble,  ///< test patient: mean of the (aligned) fold models
    seen_fallback   ///< training patient whose fold model diverged: the ensemble, which saw its label
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
    Eigen::MatrixXd deep_features;       ///< all included patients × d_model (combined model; see the file comment)
    std::vector<deep_feature_origin> deep_origin;  ///< per patient
    std::vector<double> deep_alignment;  ///< per fold: share of the first usable fold's aligned variance that the
                                         ///< aligned fold reproduces on all patients (1 = same; NaN: unusable fold)
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
    for (const feature_source source : spec.sources) {
        cols += c.manual[static_cast<std::size_t>(source)].cols();
    }
    if (spec.clinical) {
        cols += 3;
    }
    learn::matrix<double> x(rows, cols);
    learn::index at = 0;
    for (const feature_source source : spec.sources) {
        const auto s = static_cast<std::size_t>(source);
        const Eigen::MatrixXd& block = automatic && is_tumour_source(source) ? c.automatic[s] : c.manual[s];
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
    p.selection_fraction = m.selection_fraction;
    return p;
}

inline void add_protocol_rows(std::vector<metrics_row>& out, const learn::protocol_result& r, const std::string& model,
                              classifier c, const std::vector<int>& labels)
{
    std::vector<int> pooled_y;
    std::vector<double> pooled_p;
    const bool any_diverged = r.diverged_folds() > 0;
    for (std::size_t f = 0; f < r.folds.size(); ++f) {
        const auto& fold = r.folds[f];
        const bool diverged = fold.model.history.diverged;
        out.push_back({model, annotation::manual, c, fold_kind::single, f, data_split::validation, fold.validation,
                       diverged, fold.usable()});
        out.push_back({model, annotation::manual, c, fold_kind::single, f, data_split::test, fold.test, diverged,
                       fold.usable()});
        if (!fold.usable()) {
            continue;
        }
        for (std::size_t i = 0; i < fold.rows.validation.size(); ++i) {
            pooled_y.push_back(labels[static_cast<std::size_t>(fold.rows.validation[i])]);
            pooled_p.push_back(fold.validation_probability[i]);
        }
    }
    const bool pooled = !pooled_y.empty();
    out.push_back({model, annotation::manual, c, fold_kind::pooled, 0, data_split::validation,
                   pooled ? learn::evaluate_binary(pooled_y, pooled_p) : learn::binary_metrics{}, any_diverged, pooled});
    out.push_back({model, annotation::manual, c, fold_kind::ensemble, 0, data_split::test, r.ensemble_test, any_diverged,
                   pooled});
}

/// Orthogonal Procrustes: the rotation (or reflection) R minimising ||(a - mean a) R - (b - mean b)||_F.
inline Eigen::MatrixXd procrustes_rotation(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    const Eigen::MatrixXd ac = a.rowwise() - a.colwise().mean();
    const Eigen::MatrixXd bc = b.rowwise() - b.colwise().mean();
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(ac.transpose() * bc, Eigen::ComputeFullU | Eigen::ComputeFullV);
    return svd.matrixU() * svd.matrixV().transpose();
}

/// The label-free alignment target: the first `d` principal-component scores of `x` (n × p, NaN
/// allowed) after median imputation and z-scoring of each column over all rows (zero columns beyond
/// the rank). Uses no label.
inline Eigen::MatrixXd alignment_target(const learn::matrix<double>& x, Eigen::Index d)
{
    Eigen::MatrixXd z(x.rows(), x.cols());
    for (Eigen::Index c = 0; c < x.cols(); ++c) {
        const double median = learn::finite_median(x.col(c));
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
            z(r, c) = std::isfinite(x(r, c)) ? x(r, c) : median;
        }
        const double mean = z.col(c).mean();
        const double sd = std::sqrt((z.col(c).array() - mean).square().mean());
        if (sd > 0) {
            z.col(c) = (z.col(c).array() - mean) / sd;
        } else {
            z.col(c).setZero();
        }
    }
    // scores = U S from the eigen-decomposition of z z^T (n × n; cheaper than an SVD of the wide z)
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(z * z.transpose());
    Eigen::MatrixXd target = Eigen::MatrixXd::Zero(x.rows(), d);
    const Eigen::Index n = x.rows();
    for (Eigen::Index j = 0; j < std::min(d, n); ++j) {
        const double value = eigen.eigenvalues()[n - 1 - j];  // ascending order
        if (value > 1e-12 * std::max(1.0, eigen.eigenvalues()[n - 1])) {
            target.col(j) = eigen.eigenvectors().col(n - 1 - j) * std::sqrt(value);
        }
    }
    return target;
}

/// Deep features of every row of `x` from models that never saw that row's label (file comment).
inline void out_of_fold_deep_features(const learn::protocol_result& r, const learn::matrix<double>& x, model_result& out)
{
    const auto n = static_cast<std::size_t>(x.rows());
    std::vector<std::size_t> usable;
    for (std::size_t f = 0; f < r.folds.size(); ++f) {
        if (r.folds[f].usable() && r.folds[f].model.embed) {
            usable.push_back(f);
        }
    }
    out.deep_alignment.assign(r.folds.size(), std::numeric_limits<double>::quiet_NaN());
    if (usable.empty()) {
        raise("study.run_models", "combined Transformer: got no usable fold model (every fold diverged), expected at "
                                   "least one for the deep features.");
    }
    std::vector<Eigen::MatrixXd> aligned(r.folds.size());
    Eigen::MatrixXd target;
    for (const std::size_t f : usable) {
        const Eigen::MatrixXd own = r.folds[f].model.embed(r.folds[f].preprocessor.transform(x));
        if (target.size() == 0) {
            target = alignment_target(x, own.cols());
        }
        const Eigen::MatrixXd centred = own.rowwise() - own.colwise().mean();
        aligned[f] = centred * procrustes_rotation(centred, target);
    }
    const Eigen::MatrixXd& reference = aligned[usable.front()];
    const double reference_ss = reference.squaredNorm();
    for (const std::size_t f : usable) {
        out.deep_alignment[f] = reference_ss > 0 ? 1.0 - (aligned[f] - reference).squaredNorm() / reference_ss : 1.0;
    }
    Eigen::MatrixXd ensemble = Eigen::MatrixXd::Zero(x.rows(), reference.cols());
    for (const std::size_t f : usable) {
        ensemble += aligned[f] / static_cast<double>(usable.size());
    }
    out.deep_features.resize(x.rows(), reference.cols());
    out.deep_origin.assign(n, deep_feature_origin::test_ensemble);
    for (std::size_t i = 0; i < n; ++i) {
        const int f = r.fold_of[i];
        const auto row = static_cast<Eigen::Index>(i);
        if (f < 0) {
            out.deep_features.row(row) = ensemble.row(row);
        } else if (aligned[static_cast<std::size_t>(f)].size() > 0) {
            out.deep_features.row(row) = aligned[static_cast<std::size_t>(f)].row(row);
            out.deep_origin[i] = deep_feature_origin::out_of_fold;
        } else {
            out.deep_features.row(row) = ensemble.row(row);
            out.deep_origin[i] = deep_feature_origin::seen_fallback;
        }
    }
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
    RG_PARALLEL_FOR_DYNAMIC
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
        detail::add_protocol_rows(out.metrics, outcome.transformer, spec.name, classifier::transformer, labels);
        detail::add_protocol_rows(out.metrics, outcome.logistic, spec.name, classifier::logistic, labels);
        if (spec.combined) {
            const thread_count_guard single(1);
            out.test_rows = outcome.transformer.split.test;
            detail::out_of_fold_deep_features(outcome.transformer, x, out);
            // Automatic annotation: the manual-trained fold models on the test patients' automatic features.
            if (cohort.has_automatic) {
                std::vector<learn::token_group> auto_groups;
                const learn::matrix<double> xa = detail::design_matrix(cohort, spec, true, auto_groups);
                const learn::matrix<double> xa_test = learn::take_rows(xa, out.test_rows);
                const std::vector<int> y_test = learn::take_labels(labels, out.test_rows);
                const auto evaluate = [&](const learn::protocol_result& r, classifier c) {
                    std::vector<double> ensemble(y_test.size(), 0.0);
                    std::size_t usable = 0;
                    for (std::size_t f = 0; f < r.folds.size(); ++f) {
                        const auto& fold = r.folds[f];
                        const bool diverged = fold.model.history.diverged;
                        if (!fold.usable()) {
                            out.metrics.push_back({spec.name, annotation::automatic, c, fold_kind::single, f,
                                                   data_split::test, learn::binary_metrics{}, diverged, false});
                            continue;
                        }
                        const auto p = fold.model.predict(fold.preprocessor.transform(xa_test));
                        out.metrics.push_back({spec.name, annotation::automatic, c, fold_kind::single, f, data_split::test,
                                               learn::evaluate_binary(y_test, p, fold.threshold), diverged, true});
                        for (std::size_t i = 0; i < p.size(); ++i) {
                            ensemble[i] += p[i];
                        }
                        ++usable;
                    }
                    for (auto& v : ensemble) {
                        v /= static_cast<double>(std::max<std::size_t>(usable, 1));
                    }
                    out.metrics.push_back({spec.name, annotation::automatic, c, fold_kind::ensemble, 0, data_split::test,
                                           usable > 0 ? learn::evaluate_binary(y_test, ensemble, r.ensemble_threshold)
                                                      : learn::binary_metrics{},
                                           r.diverged_folds() > 0, usable > 0});
                };
                evaluate(outcome.transformer, classifier::transformer);
                evaluate(outcome.logistic, classifier::logistic);
                out.automatic_evaluated = true;
            }
        }
        out.models.push_back(std::move(outcome));
    }
    return out;
}

/// `out_of_fold`, `test_ensemble` or `seen_fallback` (the `origin` column of deep_features.csv).
inline const char* to_string(deep_feature_origin o)
{
    return o == deep_feature_origin::out_of_fold ? "out_of_fold"
         : o == deep_feature_origin::test_ensemble ? "test_ensemble"
                                                   : "seen_fallback";
}

/// Writes `metrics.csv` (with the study's published test metrics beside the headline rows), `history.csv`
/// (loss per epoch, the kept epoch marked) and `deep_features.csv` (with each row's origin) into `out`.
inline void write_models(const model_result& models, const cohort_features& cohort, const report_folder& out)
{
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
        w.save(out.file("metrics.csv"));
    }
    {
        io::csv_writer w({"model", "classifier", "fold", "epoch", "train_loss", "validation_loss", "kept"});
        for (const auto& m : models.models) {
            for (const auto kind : {classifier::transformer, classifier::logistic}) {
                const learn::protocol_result& r = kind == classifier::transformer ? m.transformer : m.logistic;
                for (std::size_t f = 0; f < r.folds.size(); ++f) {
                    const auto& h = r.folds[f].model.history;
                    for (std::size_t e = 0; e < h.train_loss.size(); ++e) {
                        w.add_row({m.spec.name, to_string(kind), std::to_string(f + 1), std::to_string(e + 1),
                                   detail::num(h.train_loss[e]),
                                   e < h.validation_loss.size() ? detail::num(h.validation_loss[e]) : "nan",
                                   static_cast<long>(e) == h.best_epoch ? "1" : "0"});
                    }
                }
            }
        }
        w.save(out.file("history.csv"));
    }
    std::vector<std::string> header{"id", "cancer_type", "tp53", "origin"};
    for (Eigen::Index c = 0; c < models.deep_features.cols(); ++c) {
        header.push_back("deep_" + std::to_string(c + 1));
    }
    io::csv_writer w(header);
    for (std::size_t i = 0; i < cohort.clinical.size(); ++i) {
        const auto& p = cohort.clinical[i];
        std::vector<std::string> row{p.id, synth::cancer_type_name(p.type), p.tp53_positive ? "1" : "0",
                                     to_string(models.deep_origin[i])};
        for (Eigen::Index c = 0; c < models.deep_features.cols(); ++c) {
            row.push_back(detail::num(models.deep_features(static_cast<Eigen::Index>(i), c)));
        }
        w.add_row(row);
    }
    w.save(out.file("deep_features.csv"));
}

namespace detail {

/// Training and inner-validation loss of the Transformer in each fold.
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

}  // namespace detail

/// The report section of step 5 (all its prose is here): the metrics table beside the study's published
/// test accuracies, diverged folds, and per model its loss curves and confusion matrices. `synthetic`
/// says whether the data are the synthetic cohort (the captions then say so).
inline void add_models_section(report::html_report& html, const model_result& models, bool synthetic)
{
    html.heading("Models", 2, "models");
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
        std::string tokens;
        for (const auto& n : m.token_names) {
            tokens += (tokens.empty() ? "" : ", ") + n;
        }
        html.figure(detail::loss_svg(m), m.spec.title + ": training (solid) and inner-validation (dashed) loss of "
                                                        "the Transformer in each cross-validation fold (history.csv). "
                                                        "Tokens: " + tokens + ".");
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

}  // namespace radiogenomics::study
