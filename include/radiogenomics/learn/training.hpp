#pragma once
/// \file training.hpp
/// \brief Seeded mini-batch training of a classifier with early stopping on validation loss.
///
/// A `TModel` provides `matrix<TReal> forward(const matrix<TReal>&, const forward_context&)` (logits),
/// `void backward(const matrix<TReal>&)` and `parameter_list<TReal> parameters()`
/// (e.g. `transformer_encoder`). One seed fixes the batch order (stream 1) and the dropout masks
/// (stream 2) through `derive_seed`; initialisation is the model's own seed. Every parallel loop
/// inside the model writes per-index slots, so the trained weights are identical for any thread count.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/learn/loss.hpp"
#include "radiogenomics/learn/optimizer.hpp"

namespace radiogenomics::learn {

/// Training settings (documented defaults).
struct training_options {
    index epochs = 100;
    index batch_size = 32;
    optimizer_options optimizer;         ///< AdamW, lr 1e-3, weight decay 1e-2 by default
    index warmup_epochs = 0;             ///< linear warm-up length in epochs
    bool cosine = false;                 ///< cosine decay after the warm-up
    index patience = 20;                 ///< early-stopping patience in epochs (0: never stop early)
    bool balanced_class_weights = true;  ///< weights n/(C n_c) from the training labels
    std::vector<double> class_weights;   ///< explicit weights (override the balanced ones when non-empty)
    std::uint64_t seed = 0;              ///< shuffling and dropout
    /// Optional progress callback (epoch, train loss, validation loss or NaN).
    std::function<void(index, double, double)> progress;
};

/// Per-epoch losses and the epoch whose weights were kept.
///
/// \par Divergence
/// An epoch whose training or validation loss is not finite (NaN, ±Inf) is never an improvement:
/// training stops there (`diverged`), and the weights of the best finite-validation epoch are
/// restored. If no epoch had a finite validation loss (or, without validation, training diverged),
/// `best_epoch` is -1 and the model is unusable (`usable()` is false).
struct training_history {
    std::vector<double> train_loss;       ///< mean training loss of each epoch (training mode)
    std::vector<double> validation_loss;  ///< validation loss after each epoch (evaluation mode), if any
    index best_epoch = -1;                ///< 0-based epoch of the kept weights (last epoch without validation)
    double best_validation_loss = std::numeric_limits<double>::quiet_NaN();
    bool stopped_early = false;
    bool diverged = false;                ///< a loss became NaN or infinite; training stopped at that epoch
    index diverged_epoch = -1;            ///< 0-based epoch whose loss was not finite (-1: none)

    /// True when the kept weights come from an epoch with finite losses.
    bool usable() const { return best_epoch >= 0; }
};

namespace detail {

inline void check_labels(const std::string& where, const std::vector<int>& labels, index rows, int classes)
{
    if (static_cast<index>(labels.size()) != rows) {
        raise(where, "labels: got ", labels.size(), " labels for ", rows, " rows, expected one per row.");
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= classes) {
            raise(where, "label of row ", i, ": got ", labels[i], ", expected 0..", classes - 1, ".");
        }
    }
}

template <class TReal>
matrix<TReal> gather_rows(const matrix<TReal>& x, const std::vector<index>& rows, index begin, index count)
{
    matrix<TReal> out(count, x.cols());
    for (index i = 0; i < count; ++i) {
        out.row(i) = x.row(rows[static_cast<std::size_t>(begin + i)]);
    }
    return out;
}

}  // namespace detail

/// Logits of `x` in evaluation mode (the model's const, thread-safe `predict`), in chunks of 256 rows.
template <class TModel, class TReal>
matrix<TReal> predict_logits(const TModel& model, const matrix<TReal>& x)
{
    matrix<TReal> logits;
    const index chunk = 256;
    for (index begin = 0; begin < x.rows(); begin += chunk) {
        const index count = std::min(chunk, x.rows() - begin);
        const matrix<TReal> part = model.predict(matrix<TReal>(x.middleRows(begin, count)));
        if (begin == 0) {
            logits.resize(x.rows(), part.cols());
        }
        logits.middleRows(begin, count) = part;
    }
    return logits;
}

/// Probability of class 1 for each row of `x` (binary models), evaluation mode.
template <class TModel, class TReal>
std::vector<double> predict_probability(const TModel& model, const matrix<TReal>& x)
{
    const matrix<TReal> p = softmax_rows(predict_logits(model, x));
    std::vector<double> out(static_cast<std::size_t>(x.rows()));
    for (index i = 0; i < x.rows(); ++i) {
        out[static_cast<std::size_t>(i)] = static_cast<double>(p(i, 1));
    }
    return out;
}

/// Trains `model` on (`x`, `labels`); with a validation set, tracks its loss every epoch, stops after
/// `patience` epochs without improvement and restores the best-validation weights. A NaN or
/// infinite loss stops training and is never selected (see `training_history`).
template <class TModel, class TReal>
training_history train_classifier(TModel& model, const matrix<TReal>& x, const std::vector<int>& labels,
                                  const matrix<TReal>& x_validation, const std::vector<int>& labels_validation,
                                  const training_options& options, int classes = 2)
{
    const std::string where = "learn.train_classifier";
    if (x.rows() == 0) {
        raise(where, "training rows: got 0, expected at least one.");
    }
    detail::check_labels(where, labels, x.rows(), classes);
    const bool has_validation = x_validation.rows() > 0;
    if (has_validation) {
        detail::check_labels(where, labels_validation, x_validation.rows(), classes);
    }
    if (options.epochs <= 0 || options.batch_size <= 0) {
        raise(where, "epochs/batch size: got ", options.epochs, "/", options.batch_size, ", expected > 0.");
    }
    const std::vector<double> weights = !options.class_weights.empty() ? options.class_weights
                                        : options.balanced_class_weights ? balanced_class_weights(labels, classes)
                                                                         : std::vector<double>{};
    auto parameters = model.parameters();
    optimizer<TReal> opt(parameters, options.optimizer);
    random_engine shuffle_engine(derive_seed(options.seed, 1));
    random_engine dropout_engine(derive_seed(options.seed, 2));
    const forward_context training_context{true, &dropout_engine};

    const index n = x.rows();
    const index batches = (n + options.batch_size - 1) / options.batch_size;
    const long total_steps = static_cast<long>(batches * options.epochs);
    const long warmup_steps = static_cast<long>(batches * options.warmup_epochs);
    std::vector<index> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), index{0});

    training_history history;
    std::vector<matrix<TReal>> best;
    index since_best = 0;
    for (index epoch = 0; epoch < options.epochs; ++epoch) {
        shuffle(order, shuffle_engine);
        double loss_sum = 0.0;
        for (index b = 0; b < batches; ++b) {
            const index begin = b * options.batch_size;
            const index count = std::min(options.batch_size, n - begin);
            const matrix<TReal> xb = detail::gather_rows(x, order, begin, count);
            std::vector<int> yb(static_cast<std::size_t>(count));
            for (index i = 0; i < count; ++i) {
                yb[static_cast<std::size_t>(i)] = labels[static_cast<std::size_t>(order[static_cast<std::size_t>(begin + i)])];
            }
            opt.zero_grad();
            const matrix<TReal> logits = model.forward(xb, training_context);
            const loss_result<TReal> loss = cross_entropy(logits, yb, weights);
            model.backward(loss.grad_logits);
            const long step = opt.step_count();
            opt.step(scheduled_learning_rate(options.optimizer.learning_rate, step, total_steps, warmup_steps,
                                             options.cosine));
            loss_sum += static_cast<double>(loss.value) * static_cast<double>(count);
        }
        history.train_loss.push_back(loss_sum / static_cast<double>(n));
        double validation = std::numeric_limits<double>::quiet_NaN();
        bool finite = std::isfinite(history.train_loss.back());
        if (has_validation) {
            validation = static_cast<double>(
                cross_entropy(predict_logits(model, x_validation), labels_validation, weights).value);
            history.validation_loss.push_back(validation);
            finite = finite && std::isfinite(validation);
            // A non-finite loss is never an improvement (NaN compares false with everything).
            if (finite && (history.best_epoch < 0 || validation < history.best_validation_loss)) {
                history.best_validation_loss = validation;
                history.best_epoch = epoch;
                since_best = 0;
                best.clear();
                for (const auto* p : parameters) {
                    best.push_back(p->value);
                }
            } else {
                ++since_best;
            }
        } else if (finite) {
            history.best_epoch = epoch;
        }
        if (options.progress) {
            options.progress(epoch, history.train_loss.back(), validation);
        }
        if (!finite) {
            history.diverged = true;
            history.diverged_epoch = epoch;
            if (!has_validation) {
                history.best_epoch = -1;  // the current weights produced the non-finite loss
            }
            break;
        }
        if (has_validation && options.patience > 0 && since_best >= options.patience) {
            history.stopped_early = epoch + 1 < options.epochs;
            break;
        }
    }
    if (has_validation && !best.empty()) {
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            parameters[i]->value = best[i];
        }
    }
    return history;
}

}  // namespace radiogenomics::learn
