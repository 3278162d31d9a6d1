#pragma once
/// \file cross_validation.hpp
/// \brief The study's validation protocol: stratified 9:1 train/test split, stratified k-fold
/// cross-validation inside the training part, preprocessing fitted per fold, per-fold histories,
/// fold models evaluated on the test set individually and as an ensemble (mean probability).
///
/// \par Nothing reported is chosen on
/// Each fold's training part is split again (stratified, `protocol_options::selection_fraction`)
/// into the rows the model is fitted on (`fold_rows::train`: preprocessing and weights) and an inner
/// validation split (`fold_rows::selection`) that chooses the early-stopping epoch and, with
/// `youden_threshold`, the threshold. The fold's validation rows (`fold_rows::validation`) are only
/// predicted, so the pooled out-of-fold metrics are unbiased estimates; the test rows are used by
/// nothing but the test metrics. Every learner (Transformer, MLP, logistic regression) gets exactly
/// the same rows. With `selection_fraction` 0 there is no inner split: the model is fitted on the
/// whole training part of the fold for the full number of epochs (no early stopping).
///
/// \par Splits
/// `stratified_split`: each class is shuffled (seeded) and \f$\mathrm{round}(n_c f)\f$ of its members
/// (at least 1, at most \f$n_c-1\f$) go to the test set. `stratified_k_fold`: each class is shuffled
/// and dealt round-robin to the folds, continuing where the previous class stopped, so every fold
/// gets \f$\lfloor n_c/k\rfloor\f$ or \f$\lceil n_c/k\rceil\f$ of each class (as scikit-learn's
/// `StratifiedKFold(shuffle=True)` intends; the exact assignment differs). A class with fewer
/// members than needed throws: a validation fold must never hold a single class.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/learn/logistic_regression.hpp"
#include "radiogenomics/learn/metrics.hpp"
#include "radiogenomics/learn/mlp.hpp"
#include "radiogenomics/learn/preprocessing.hpp"
#include "radiogenomics/learn/training.hpp"
#include "radiogenomics/learn/transformer_encoder.hpp"

namespace radiogenomics::learn {

/// Row indices of a train/test split (each sorted).
struct split_indices {
    std::vector<index> train;
    std::vector<index> test;
};

namespace detail {

inline std::vector<std::vector<index>> members_by_class(const std::string& where, const std::vector<int>& labels)
{
    std::vector<std::vector<index>> members(2);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] != 0 && labels[i] != 1) {
            raise(where, "label of row ", i, ": got ", labels[i], ", expected 0 or 1.");
        }
        members[static_cast<std::size_t>(labels[i])].push_back(static_cast<index>(i));
    }
    return members;
}

}  // namespace detail

/// Stratified train/test split with test fraction `test_fraction` in (0, 1).
inline split_indices stratified_split(const std::vector<int>& labels, double test_fraction, std::uint64_t seed)
{
    const std::string where = "learn.stratified_split";
    if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
        raise(where, "test fraction: got ", test_fraction, ", expected 0 < f < 1.");
    }
    auto members = detail::members_by_class(where, labels);
    random_engine engine(seed);
    split_indices split;
    for (std::size_t c = 0; c < members.size(); ++c) {
        auto& m = members[c];
        if (m.size() < 2) {
            raise(where, "class ", c, ": got ", m.size(), " rows, expected at least 2 so both train and test hold it.");
        }
        shuffle(m, engine);
        const auto n = static_cast<index>(m.size());
        const index test = std::clamp<index>(static_cast<index>(std::llround(static_cast<double>(n) * test_fraction)), 1, n - 1);
        split.test.insert(split.test.end(), m.begin(), m.begin() + test);
        split.train.insert(split.train.end(), m.begin() + test, m.end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.test.begin(), split.test.end());
    return split;
}

/// One fold: training rows and validation rows (indices into the labels given).
struct fold_indices {
    std::vector<index> train;
    std::vector<index> validation;
};

/// Stratified k-fold partition of `labels` (k >= 2).
inline std::vector<fold_indices> stratified_k_fold(const std::vector<int>& labels, index k, std::uint64_t seed)
{
    const std::string where = "learn.stratified_k_fold";
    if (k < 2) {
        raise(where, "folds: got ", k, ", expected >= 2.");
    }
    auto members = detail::members_by_class(where, labels);
    random_engine engine(seed);
    std::vector<index> fold_of(labels.size(), 0);
    index next = 0;
    for (std::size_t c = 0; c < members.size(); ++c) {
        auto& m = members[c];
        if (static_cast<index>(m.size()) < k) {
            raise(where, "class ", c, ": got ", m.size(), " rows for ", k,
                  " folds, expected at least one per fold. Use fewer folds; a fold with a single class cannot be validated.");
        }
        shuffle(m, engine);
        for (const index row : m) {
            fold_of[static_cast<std::size_t>(row)] = next;
            next = (next + 1) % k;
        }
    }
    std::vector<fold_indices> folds(static_cast<std::size_t>(k));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        for (index f = 0; f < k; ++f) {
            (fold_of[i] == f ? folds[static_cast<std::size_t>(f)].validation : folds[static_cast<std::size_t>(f)].train)
                .push_back(static_cast<index>(i));
        }
    }
    return folds;
}

/// Rows `rows` of `x`.
inline matrix<double> take_rows(const matrix<double>& x, const std::vector<index>& rows)
{
    matrix<double> out(static_cast<index>(rows.size()), x.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        out.row(static_cast<index>(i)) = x.row(rows[i]);
    }
    return out;
}

/// Entries `rows` of `labels`.
inline std::vector<int> take_labels(const std::vector<int>& labels, const std::vector<index>& rows)
{
    std::vector<int> out;
    out.reserve(rows.size());
    for (const index r : rows) {
        out.push_back(labels[static_cast<std::size_t>(r)]);
    }
    return out;
}

/// Preprocessed data of one fold, handed to a `learner`.
struct fold_data {
    matrix<double> x_train;       ///< rows the model is fitted on
    std::vector<int> y_train;
    matrix<double> x_validation;  ///< inner validation (selection) rows: early stopping only; may be empty
    std::vector<int> y_validation;
    std::vector<token_group> groups;
    std::uint64_t seed = 0;
    index fold = 0;  ///< 0-based
};

/// A trained fold model, type-erased.
struct fitted_model {
    training_history history;
    std::function<std::vector<double>(const matrix<double>&)> predict;  ///< P(class 1)
    std::function<matrix<double>(const matrix<double>&)> embed;         ///< deep features (may be empty)
    std::function<void(const std::string&)> save;                       ///< saves weights (may be empty)
    std::function<std::vector<double>()> weights;                       ///< every fitted weight, flattened
};

namespace detail {

/// The fold's double data in the model's real type: a reference for double, one converted copy for float.
template <class TReal>
decltype(auto) as_real(const matrix<double>& x)
{
    if constexpr (std::is_same_v<TReal, double>) {
        return (x);
    } else {
        return matrix<TReal>(x.template cast<TReal>());
    }
}

template <class TModel>
std::vector<double> flat_weights(TModel& model)
{
    std::vector<double> out;
    for (const auto* p : model.parameters()) {
        out.insert(out.end(), p->value.data(), p->value.data() + p->value.size());
    }
    return out;
}

}  // namespace detail

/// Trains a model on one fold.
using learner = std::function<fitted_model(const fold_data&)>;

/// The Transformer as a `learner` (model seed and training seed derived from the fold seed), trained and
/// evaluated in `TReal` (`float` is faster; the protocol, seeds and early stopping are the same).
template <class TReal = double>
learner transformer_learner(transformer_options model_options, training_options train_options)
{
    return [model_options, train_options](const fold_data& data) {
        transformer_options mo = model_options;
        mo.seed = derive_seed(data.seed, 10);
        training_options to = train_options;
        to.seed = derive_seed(data.seed, 11);
        auto model = std::make_shared<transformer_encoder<TReal>>(mo, data.groups);
        fitted_model out;
        out.history = train_classifier(*model, detail::as_real<TReal>(data.x_train), data.y_train,
                                       detail::as_real<TReal>(data.x_validation), data.y_validation, to);
        out.predict = [model](const matrix<double>& x) { return predict_probability(*model, detail::as_real<TReal>(x)); };
        out.embed = [model](const matrix<double>& x) -> matrix<double> {
            return model->embed(detail::as_real<TReal>(x)).template cast<double>();
        };
        out.save = [model](const std::string& path) { model->save(path); };
        out.weights = [model] { return detail::flat_weights(*model); };
        return out;
    };
}

/// The MLP baseline as a `learner` (same training loop, early stopping and seeds as the Transformer), in `TReal`.
template <class TReal = double>
learner mlp_learner(mlp_options model_options, training_options train_options)
{
    return [model_options, train_options](const fold_data& data) {
        mlp_options mo = model_options;
        mo.seed = derive_seed(data.seed, 10);
        training_options to = train_options;
        to.seed = derive_seed(data.seed, 11);
        auto model = std::make_shared<mlp<TReal>>(data.x_train.cols(), mo);
        fitted_model out;
        out.history = train_classifier(*model, detail::as_real<TReal>(data.x_train), data.y_train,
                                       detail::as_real<TReal>(data.x_validation), data.y_validation, to);
        out.predict = [model](const matrix<double>& x) { return predict_probability(*model, detail::as_real<TReal>(x)); };
        out.weights = [model] { return detail::flat_weights(*model); };
        return out;
    };
}

/// L2 logistic regression as a `learner`, fitted on the same rows as the Transformer (history holds
/// its training and inner-validation log loss once; nothing is chosen on them).
inline learner logistic_learner(logistic_options options)
{
    return [options](const fold_data& data) {
        auto model = std::make_shared<logistic_regression>(options);
        model->fit(data.x_train, data.y_train);
        fitted_model out;
        auto log_loss = [](const std::vector<int>& y, const std::vector<double>& p) {
            double s = 0.0;
            for (std::size_t i = 0; i < y.size(); ++i) {
                const double q = std::clamp(y[i] == 1 ? p[i] : 1.0 - p[i], 1e-15, 1.0);
                s -= std::log(q);
            }
            return y.empty() ? 0.0 : s / static_cast<double>(y.size());
        };
        out.history.train_loss.push_back(log_loss(data.y_train, model->predict_probability(data.x_train)));
        if (data.x_validation.rows() > 0) {
            out.history.validation_loss.push_back(log_loss(data.y_validation, model->predict_probability(data.x_validation)));
            out.history.best_validation_loss = out.history.validation_loss.back();
        }
        out.history.best_epoch = 0;
        out.predict = [model](const matrix<double>& x) { return model->predict_probability(x); };
        out.weights = [model] {
            std::vector<double> w(model->coefficients().data(), model->coefficients().data() + model->coefficients().size());
            w.push_back(model->intercept());
            return w;
        };
        return out;
    };
}

/// Protocol settings (documented defaults follow the study).
struct protocol_options {
    double test_fraction = 0.1;  ///< 9:1 split
    index folds = 5;
    /// Share of each fold's training part held out (stratified) to choose the early-stopping epoch
    /// and threshold; 0: no inner split, the model trains on the whole part for every epoch.
    double selection_fraction = 0.2;
    std::uint64_t seed = 0;
    preprocessing_options preprocessing;
    bool youden_threshold = false;  ///< per fold, choose the threshold on the inner validation split (else 0.5)
    std::function<void(const std::string&)> progress;  ///< optional progress messages
};

/// The rows of one fold (indices into the full data set, each sorted); disjoint.
struct fold_rows {
    std::vector<index> train;       ///< preprocessing and weights are fitted on these
    std::vector<index> selection;   ///< inner validation split: epoch and threshold chosen here
    std::vector<index> validation;  ///< the fold: predicted only (out-of-fold estimate)
};

/// Everything one fold produced.
struct fold_outcome {
    fold_rows rows;
    feature_preprocessor preprocessor;
    fitted_model model;
    double threshold = 0.5;
    std::vector<double> validation_probability;  ///< of `rows.validation` (NaN when the model is unusable)
    std::vector<double> test_probability;
    binary_metrics validation;
    binary_metrics test;
    /// Kept weights come from finite losses (false: training diverged before any usable epoch;
    /// the fold is left out of the ensemble and of the pooled estimate).
    bool usable() const { return model.history.usable(); }
};

/// Result of `run_protocol`.
struct protocol_result {
    split_indices split;
    std::vector<fold_outcome> folds;
    std::vector<double> ensemble_probability;  ///< mean of the usable fold models' test probabilities
    double ensemble_threshold = 0.5;           ///< mean of the usable fold thresholds
    binary_metrics ensemble_test;
    std::vector<int> fold_of;  ///< per row of the data: 0-based fold whose validation rows hold it, -1 for test rows

    /// Number of folds whose training diverged at some epoch.
    std::size_t diverged_folds() const
    {
        return static_cast<std::size_t>(std::count_if(folds.begin(), folds.end(),
                                                      [](const fold_outcome& f) { return f.model.history.diverged; }));
    }
};

/// The rows of the protocol for `labels` (split, folds and their inner validation splits), without
/// training anything. `run_protocol` uses exactly these.
inline std::pair<split_indices, std::vector<fold_rows>> protocol_rows(const std::vector<int>& labels,
                                                                      const protocol_options& options)
{
    std::pair<split_indices, std::vector<fold_rows>> out;
    out.first = stratified_split(labels, options.test_fraction, derive_seed(options.seed, 100));
    const auto& rest = out.first.train;
    const std::vector<int> y_rest = take_labels(labels, rest);
    const std::vector<fold_indices> folds = stratified_k_fold(y_rest, options.folds, derive_seed(options.seed, 101));
    for (std::size_t f = 0; f < folds.size(); ++f) {
        fold_rows rows;
        std::vector<index> part;
        for (const index r : folds[f].train) {
            part.push_back(rest[static_cast<std::size_t>(r)]);
        }
        for (const index r : folds[f].validation) {
            rows.validation.push_back(rest[static_cast<std::size_t>(r)]);
        }
        if (options.selection_fraction > 0.0) {
            const split_indices inner = stratified_split(take_labels(labels, part), options.selection_fraction,
                                                         derive_seed(options.seed, 400 + f));
            for (const index r : inner.train) {
                rows.train.push_back(part[static_cast<std::size_t>(r)]);
            }
            for (const index r : inner.test) {
                rows.selection.push_back(part[static_cast<std::size_t>(r)]);
            }
        } else {
            rows.train = part;
        }
        out.second.push_back(std::move(rows));
    }
    return out;
}

/// Runs the protocol for one `learner` on features `x` (n × p, NaN allowed), 0/1 `labels` and the
/// column `groups`. Each fold fits its own preprocessing on its `train` rows only; see the file
/// comment for which rows choose what.
inline protocol_result run_protocol(const matrix<double>& x, const std::vector<int>& labels,
                                    const std::vector<token_group>& groups, const protocol_options& options,
                                    const learner& fit)
{
    const std::string where = "learn.run_protocol";
    if (static_cast<index>(labels.size()) != x.rows()) {
        raise(where, "labels: got ", labels.size(), " for ", x.rows(), " rows, expected one per row.");
    }
    if (!(options.selection_fraction >= 0.0 && options.selection_fraction < 1.0)) {
        raise(where, "selection fraction: got ", options.selection_fraction, ", expected 0 <= f < 1.");
    }
    protocol_result result;
    auto rows = protocol_rows(labels, options);
    result.split = std::move(rows.first);
    const std::vector<fold_rows>& folds = rows.second;
    result.fold_of.assign(labels.size(), -1);
    const matrix<double> x_test_raw = take_rows(x, result.split.test);
    const std::vector<int> y_test = take_labels(labels, result.split.test);
    for (std::size_t f = 0; f < folds.size(); ++f) {
        fold_outcome outcome;
        outcome.rows = folds[f];
        for (const index r : outcome.rows.validation) {
            result.fold_of[static_cast<std::size_t>(r)] = static_cast<int>(f);
        }
        const matrix<double> x_train_raw = take_rows(x, outcome.rows.train);
        fold_data data;
        data.y_train = take_labels(labels, outcome.rows.train);
        data.y_validation = take_labels(labels, outcome.rows.selection);
        outcome.preprocessor.fit(x_train_raw, data.y_train, groups, options.preprocessing);
        data.x_train = outcome.preprocessor.transform(x_train_raw);
        data.x_validation = outcome.preprocessor.transform(take_rows(x, outcome.rows.selection));
        data.groups = outcome.preprocessor.groups();
        data.seed = derive_seed(options.seed, 200 + f);
        data.fold = static_cast<index>(f);
        if (options.progress) {
            options.progress("fold " + std::to_string(f + 1) + "/" + std::to_string(folds.size()) + ": " +
                             std::to_string(data.x_train.rows()) + " train, " + std::to_string(data.x_validation.rows()) +
                             " inner validation, " + std::to_string(outcome.rows.validation.size()) +
                             " validation rows, " + std::to_string(data.x_train.cols()) + " features");
        }
        outcome.model = fit(data);
        const std::vector<int> y_validation = take_labels(labels, outcome.rows.validation);
        const matrix<double> x_validation = outcome.preprocessor.transform(take_rows(x, outcome.rows.validation));
        if (outcome.usable()) {
            outcome.validation_probability = outcome.model.predict(x_validation);
            outcome.test_probability = outcome.model.predict(outcome.preprocessor.transform(x_test_raw));
            if (options.youden_threshold) {
                outcome.threshold = data.x_validation.rows() > 0
                                        ? youden_threshold(data.y_validation, outcome.model.predict(data.x_validation))
                                        : youden_threshold(data.y_train, outcome.model.predict(data.x_train));
            }
            outcome.validation = evaluate_binary(y_validation, outcome.validation_probability, outcome.threshold);
            outcome.test = evaluate_binary(y_test, outcome.test_probability, outcome.threshold);
        } else {  // metrics stay at their "not available" defaults (AUC NaN)
            const double nan = std::numeric_limits<double>::quiet_NaN();
            outcome.validation_probability.assign(y_validation.size(), nan);
            outcome.test_probability.assign(y_test.size(), nan);
        }
        result.folds.push_back(std::move(outcome));
    }
    std::size_t usable = 0;
    for (const auto& f : result.folds) {
        usable += f.usable() ? 1 : 0;
    }
    result.ensemble_probability.assign(y_test.size(), usable == 0 ? std::numeric_limits<double>::quiet_NaN() : 0.0);
    result.ensemble_threshold = 0.5;
    for (const auto& f : result.folds) {
        if (!f.usable()) {
            continue;
        }
        for (std::size_t i = 0; i < y_test.size(); ++i) {
            result.ensemble_probability[i] += f.test_probability[i] / static_cast<double>(usable);
        }
        result.ensemble_threshold += (f.threshold - 0.5) / static_cast<double>(usable);
    }
    if (usable > 0) {
        result.ensemble_test = evaluate_binary(y_test, result.ensemble_probability, result.ensemble_threshold);
    }
    return result;
}

}  // namespace radiogenomics::learn
