#pragma once
/// \file mlp.hpp
/// \brief A small multilayer perceptron baseline: \f$ \mathrm{Linear}(\mathrm{Dropout}(\phi(\mathrm{Linear}(x)))) \f$
/// → class logits, with the same training loop (`train_classifier`) as the Transformer, so the report can
/// say whether attention earns its keep.
#include <string>

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

    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        if (!x.allFinite()) {
            raise("learn.mlp.forward", "input: got NaN or Inf, expected finite values. Impute first.");
        }
        m_pre_activation = m_hidden.forward(x);
        const matrix<TReal> h = m_pre_activation.unaryExpr(
            [kind = m_options.hidden_activation](TReal v) { return detail::apply_activation(kind, v); });
        return m_output.forward(m_dropout.forward(h, context));
    }

    void backward(const matrix<TReal>& grad_logits)
    {
        matrix<TReal> g = m_dropout.backward(m_output.backward(grad_logits));
        g.array() *= m_pre_activation
                         .unaryExpr([kind = m_options.hidden_activation](TReal v) {
                             return detail::activation_derivative(kind, v);
                         })
                         .array();
        m_hidden.accumulate_gradients(g);
    }

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
    matrix<TReal> m_pre_activation;
};

}  // namespace radiogenomics::learn
