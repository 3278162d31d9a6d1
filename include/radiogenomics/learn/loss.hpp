#pragma once
/// \file loss.hpp
/// \brief Cross-entropy with optional class weights, with PyTorch's weighted-mean semantics.
///
/// For logits \f$z_i\f$, labels \f$y_i\f$ and class weights \f$w_c\f$ (`torch.nn.CrossEntropyLoss(weight=w)`,
/// `reduction='mean'`):
/// \f[ L = \frac{\sum_i w_{y_i}\,\big(-\log \mathrm{softmax}(z_i)_{y_i}\big)}{\sum_i w_{y_i}},\qquad
///     \frac{\partial L}{\partial z_i} = \frac{w_{y_i}}{\sum_k w_{y_k}}\big(\mathrm{softmax}(z_i) - e_{y_i}\big). \f]
/// Without weights every \f$w_c = 1\f$ (plain mean).
#include <cmath>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Loss value and its gradient with respect to the logits.
template <class TReal>
struct loss_result {
    TReal value = 0;
    matrix<TReal> grad_logits;
};

/// Row-wise softmax, computed stably (max subtracted).
template <class TReal>
matrix<TReal> softmax_rows(const matrix<TReal>& logits)
{
    matrix<TReal> p(logits.rows(), logits.cols());
    for (index r = 0; r < logits.rows(); ++r) {
        const TReal top = logits.row(r).maxCoeff();
        p.row(r) = (logits.row(r).array() - top).exp();
        p.row(r) /= p.row(r).sum();
    }
    return p;
}

/// Weighted cross-entropy of `logits` (n × C) against integer `labels` in [0, C).
/// `class_weights` empty means all ones.
template <class TReal>
loss_result<TReal> cross_entropy(const matrix<TReal>& logits, const std::vector<int>& labels,
                                 const std::vector<double>& class_weights = {})
{
    const std::string where = "learn.cross_entropy";
    const index n = logits.rows();
    const index classes = logits.cols();
    if (static_cast<index>(labels.size()) != n || n == 0) {
        raise(where, "labels: got ", labels.size(), " for ", n, " logit rows, expected the same non-zero count.");
    }
    if (!class_weights.empty() && static_cast<index>(class_weights.size()) != classes) {
        raise(where, "class weights: got ", class_weights.size(), ", expected ", classes, ".");
    }
    loss_result<TReal> result;
    result.grad_logits = softmax_rows(logits);
    TReal total = 0;
    TReal weight_sum = 0;
    for (index i = 0; i < n; ++i) {
        const int y = labels[static_cast<std::size_t>(i)];
        if (y < 0 || y >= classes) {
            raise(where, "label ", i, ": got ", y, ", expected 0..", classes - 1, ".");
        }
        const TReal w = class_weights.empty() ? TReal(1) : static_cast<TReal>(class_weights[static_cast<std::size_t>(y)]);
        const TReal top = logits.row(i).maxCoeff();
        const TReal log_sum = top + std::log((logits.row(i).array() - top).exp().sum());
        total += w * (log_sum - logits(i, y));
        weight_sum += w;
        result.grad_logits(i, y) -= TReal(1);
        result.grad_logits.row(i) *= w;
    }
    if (!(weight_sum > 0)) {
        raise(where, "weight sum: got ", weight_sum, ", expected > 0.");
    }
    result.value = total / weight_sum;
    result.grad_logits /= weight_sum;
    return result;
}

/// "Balanced" class weights \f$ w_c = n / (C\, n_c) \f$ (scikit-learn's `class_weight='balanced'`);
/// a class absent from `labels` gets weight 0.
inline std::vector<double> balanced_class_weights(const std::vector<int>& labels, int classes = 2)
{
    std::vector<double> counts(static_cast<std::size_t>(classes), 0.0);
    for (const int y : labels) {
        if (y < 0 || y >= classes) {
            raise("learn.balanced_class_weights", "label: got ", y, ", expected 0..", classes - 1, ".");
        }
        counts[static_cast<std::size_t>(y)] += 1.0;
    }
    std::vector<double> weights(counts.size(), 0.0);
    for (std::size_t c = 0; c < counts.size(); ++c) {
        if (counts[c] > 0) {
            weights[c] = static_cast<double>(labels.size()) / (classes * counts[c]);
        }
    }
    return weights;
}

}  // namespace radiogenomics::learn
