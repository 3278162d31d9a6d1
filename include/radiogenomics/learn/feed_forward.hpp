#pragma once
/// \file feed_forward.hpp
/// \brief Position-wise feed-forward block \f$ \mathrm{Linear}_2(\mathrm{Dropout}(\phi(\mathrm{Linear}_1 x))) \f$
/// as inside `torch.nn.TransformerEncoderLayer`, with \f$\phi\f$ = GELU or ReLU.
///
/// GELU is the exact form (PyTorch's default `approximate='none'`, Hendrycks & Gimpel 2016):
/// \f[ \mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\big(1+\mathrm{erf}(x/\sqrt2)\big),\qquad
///     \mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x). \f]
#include <cmath>
#include <string>
#include <utility>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/dropout.hpp"
#include "radiogenomics/learn/linear.hpp"

namespace radiogenomics::learn {

/// Non-linearity of the feed-forward block.
enum class activation { gelu, relu };

/// Parses `"gelu"` / `"relu"`.
inline activation parse_activation(const std::string& name)
{
    if (name == "gelu") {
        return activation::gelu;
    }
    if (name == "relu") {
        return activation::relu;
    }
    raise("learn.parse_activation", "activation: got '", name, "', expected 'gelu' or 'relu'.");
}

namespace detail {

template <class TReal>
TReal apply_activation(activation kind, TReal x)
{
    if (kind == activation::relu) {
        return x > TReal(0) ? x : TReal(0);
    }
    return TReal(0.5) * x * (TReal(1) + std::erf(x * TReal(0.70710678118654752440084436210485)));
}

template <class TReal>
TReal activation_derivative(activation kind, TReal x)
{
    if (kind == activation::relu) {
        return x > TReal(0) ? TReal(1) : TReal(0);
    }
    const TReal cdf = TReal(0.5) * (TReal(1) + std::erf(x * TReal(0.70710678118654752440084436210485)));
    const TReal pdf = TReal(0.39894228040143267793994605993438) * std::exp(TReal(-0.5) * x * x);
    return cdf + x * pdf;
}

}  // namespace detail

/// `linear2(dropout(act(linear1(x))))`.
template <class TReal>
class feed_forward {
public:
    feed_forward() = default;

    feed_forward(const std::string& name, index d_model, index d_hidden, activation kind, double dropout_rate,
                 random_engine& engine)
        : m_linear1(name + ".linear1", d_model, d_hidden, engine),
          m_linear2(name + ".linear2", d_hidden, d_model, engine),
          m_dropout(dropout_rate),
          m_activation(kind)
    {
    }

    /// What `backward` needs from the forward pass.
    struct workspace {
        typename linear<TReal>::workspace linear1;
        typename linear<TReal>::workspace linear2;
        typename learn::dropout<TReal>::workspace drop;
        matrix<TReal> pre_activation;
    };

    /// Forward pass; records activations in `w` unless it is null (inference).
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context, workspace* w) const
    {
        matrix<TReal> pre_activation = m_linear1.forward(x, w != nullptr ? &w->linear1 : nullptr);
        matrix<TReal> hidden =
            pre_activation.unaryExpr([kind = m_activation](TReal v) { return detail::apply_activation(kind, v); });
        hidden = m_dropout.forward(hidden, context, w != nullptr ? &w->drop : nullptr);
        if (w != nullptr) {
            w->pre_activation = std::move(pre_activation);
        }
        return m_linear2.forward(hidden, w != nullptr ? &w->linear2 : nullptr);
    }

    /// Forward pass recording into the block's own workspace (training).
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        return forward(x, context, &m_workspace);
    }

    /// Backward pass of the forward pass that filled `w`.
    matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        matrix<TReal> grad_hidden = learn::dropout<TReal>::backward(m_linear2.backward(grad_output, w.linear2), w.drop);
        grad_hidden.array() *= w.pre_activation
                                   .unaryExpr([kind = m_activation](TReal v) {
                                       return detail::activation_derivative(kind, v);
                                   })
                                   .array();
        return m_linear1.backward(grad_hidden, w.linear1);
    }

    /// Backward pass of the last `forward(x, context)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) { return backward(grad_output, m_workspace); }

    parameter_list<TReal> parameters()
    {
        parameter_list<TReal> out = m_linear1.parameters();
        append_parameters(out, m_linear2.parameters());
        return out;
    }

    linear<TReal>& linear1() { return m_linear1; }
    linear<TReal>& linear2() { return m_linear2; }

private:
    linear<TReal> m_linear1;
    linear<TReal> m_linear2;
    dropout<TReal> m_dropout;
    activation m_activation = activation::gelu;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
