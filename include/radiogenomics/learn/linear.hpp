#pragma once
/// \file linear.hpp
/// \brief Fully connected layer \f$ y = x W^\top + b \f$ with its hand-written backward pass.
///
/// Same parameterisation as PyTorch's `torch.nn.Linear`: `weight` is `out × in`, `bias` is `1 × out`.
/// \f[ \frac{\partial L}{\partial W} = \delta^\top x,\qquad
///     \frac{\partial L}{\partial b} = \textstyle\sum_{rows} \delta,\qquad
///     \frac{\partial L}{\partial x} = \delta W \f]
/// with \f$\delta = \partial L / \partial y\f$.
#include <cmath>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// `y = x W^T + b`. The const `forward(x, workspace*)` records its input in a caller's workspace for
/// `backward`, or nothing (inference); the one-argument `forward`/`backward` use the layer's own workspace.
template <class TReal>
class linear {
public:
    linear() = default;

    /// A layer mapping `in_features` to `out_features`, named `name` (`name.weight`, `name.bias`).
    /// Initialisation: weights Glorot-uniform \f$U(\pm\sqrt{6/(in+out)})\f$, bias zero.
    linear(const std::string& name, index in_features, index out_features, random_engine& engine)
    {
        if (in_features < 0 || out_features <= 0) {
            raise("learn.linear", "layer size: got ", in_features, " -> ", out_features,
                  ", expected in >= 0 and out > 0.");
        }
        m_weight.resize(name + ".weight", out_features, in_features);
        m_bias.resize(name + ".bias", 1, out_features);
        const double limit = std::sqrt(6.0 / static_cast<double>(in_features + out_features));
        for (index j = 0; j < in_features; ++j) {
            for (index i = 0; i < out_features; ++i) {
                m_weight.value(i, j) = static_cast<TReal>(uniform(engine, -limit, limit));
            }
        }
    }

    index in_features() const { return m_weight.value.cols(); }
    index out_features() const { return m_weight.value.rows(); }

    /// What `backward` needs from the forward pass.
    struct workspace {
        matrix<TReal> input;
    };

    /// Forward pass for a batch of rows `x` (n × in); records the input in `w` unless it is null (inference).
    matrix<TReal> forward(const matrix<TReal>& x, workspace* w) const
    {
        if (x.cols() != in_features()) {
            raise("learn.linear.forward", "input width: got ", x.cols(), ", expected ", in_features(), ".");
        }
        if (w != nullptr) {
            w->input = x;
        }
        matrix<TReal> y;
        detail::product_nt(x, m_weight.value, y);
        y.rowwise() += m_bias.value.row(0);
        return y;
    }

    /// Forward pass recording into the layer's own workspace (training).
    matrix<TReal> forward(const matrix<TReal>& x) { return forward(x, &m_workspace); }

    /// Backward pass: accumulates the parameter gradients and returns \f$\partial L/\partial x\f$.
    matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        accumulate_gradients(grad_output, w);
        matrix<TReal> grad_input;
        detail::product_nn(grad_output, m_weight.value, grad_input);
        return grad_input;
    }

    /// Backward pass of the last `forward(x)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) { return backward(grad_output, m_workspace); }

    /// Accumulates the parameter gradients only (for a first layer whose input needs no gradient).
    void accumulate_gradients(const matrix<TReal>& grad_output, const workspace& w)
    {
        detail::accumulate_tn(grad_output, w.input, m_weight.grad);
        m_bias.grad.row(0) += grad_output.colwise().sum();
    }

    /// `accumulate_gradients` for the last `forward(x)`.
    void accumulate_gradients(const matrix<TReal>& grad_output) { accumulate_gradients(grad_output, m_workspace); }

    parameter<TReal>& weight() { return m_weight; }
    parameter<TReal>& bias() { return m_bias; }
    parameter_list<TReal> parameters() { return {&m_weight, &m_bias}; }

private:
    parameter<TReal> m_weight;
    parameter<TReal> m_bias;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
