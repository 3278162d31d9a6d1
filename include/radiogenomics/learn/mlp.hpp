#pragma once
/// \file mlp.hpp
/// \brief A small multilayer perceptron baseline: \f$ \mathrm{Linear}(\mathrm{Dropout}(\phi(\mathrm{Linear}(x)))) \f$
/// → class logits, with the same training loop (`train_classifier`) as the Transformer, so the report can
/// say whether attention earns its keep.
#include <string>
#include <utility>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/dropout.hpp"
#include "radiogenomics/learn/feed_forward.hpp"
#include "radiogenomics/learn/linear.hpp"

namespace radiogenomics::learn {

/// Architecture of `mlp` (documented defaults).
struct mlp_options {
    index hidden = 64;
    double dropout = 0.1;
    activation hidden_activation = activation::gelu;
    index classes = 2;
    std::uint64_t seed = 0;
};

/// One-hidden-layer perceptron classifier (the `TModel` concept of training.hpp).
template <class TReal>
class mlp {
public:
    mlp(index features, const mlp_options& options) : m_options(options), m_dropout(options.dropout)
    {
        if (features < 0 || options.hidden <= 0 || options.classes < 2) {
            raise("learn.mlp", "sizes: got ", features, " features, ", options.hidden, " hidden, ", options.classes,
                  " classes, expected >= 0, > 0, >= 2.");
        }
        random_engine engine(options.seed);
        m_hidden = linear<TReal>("hidden", features, options.hidden, engine);
        m_output = linear<TReal>("output", options.hidden, options.classes, engine);
    }

    /// Everything `backward` needs from one forward pass.
    struct workspace {
        typename linear<TReal>::workspace hidden;
        typename linear<TReal>::workspace output;
        typename dropout<TReal>::workspace drop;
        matrix<TReal> pre_activation;
    };

    /// Logits of `x`; records activations in `w` unless it is null (inference).
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context, workspace* w) const
    {
        if (!x.allFinite()) {
            raise("learn.mlp.forward", "input: got NaN or Inf, expected finite values. Impute first.");
        }
        const bool keep = w != nullptr;
        matrix<TReal> pre_activation = m_hidden.forward(x, keep ? &w->hidden : nullptr);
        const matrix<TReal> h = pre_activation.unaryExpr(
            [kind = m_options.hidden_activation](TReal v) { return detail::apply_activation(kind, v); });
        if (keep) {
            w->pre_activation = std::move(pre_activation);
        }
        return m_output.forward(m_dropout.forward(h, context, keep ? &w->drop : nullptr), keep ? &w->output : nullptr);
    }

    /// Training forward pass into the model's own workspace.
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        return forward(x, context, &m_workspace);
    }

    /// Logits of `x` in evaluation mode; `const` and thread-safe.
    matrix<TReal> predict(const matrix<TReal>& x) const { return forward(x, forward_context{}, nullptr); }

    /// Backward pass of the forward pass that filled `w`.
    void backward(const matrix<TReal>& grad_logits, const workspace& w)
    {
        matrix<TReal> g = dropout<TReal>::backward(m_output.backward(grad_logits, w.output), w.drop);
        g.array() *= w.pre_activation
                         .unaryExpr([kind = m_options.hidden_activation](TReal v) {
                             return detail::activation_derivative(kind, v);
                         })
                         .array();
        m_hidden.accumulate_gradients(g, w.hidden);
    }

    /// Backward pass of the last training `forward(x, context)`.
    void backward(const matrix<TReal>& grad_logits) { backward(grad_logits, m_workspace); }

    parameter_list<TReal> parameters()
    {
        parameter_list<TReal> out = m_hidden.parameters();
        append_parameters(out, m_output.parameters());
        return out;
    }

private:
    mlp_options m_options;
    linear<TReal> m_hidden;
    linear<TReal> m_output;
    dropout<TReal> m_dropout;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
