#pragma once
/// \file encoder_layer.hpp
/// \brief Pre-norm Transformer encoder layer, as
/// `torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation, batch_first=True, norm_first=True)`.
///
/// \f[ h = x + \mathrm{Dropout}_1(\mathrm{MHA}(\mathrm{LN}_1(x))),\qquad
///     y = h + \mathrm{Dropout}_2(\mathrm{FFN}(\mathrm{LN}_2(h))) \f]
/// (Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture"). The attention
/// weights use the same dropout rate, as PyTorch's layer does.
#include <string>

#include "radiogenomics/learn/dropout.hpp"
#include "radiogenomics/learn/feed_forward.hpp"
#include "radiogenomics/learn/layer_norm.hpp"
#include "radiogenomics/learn/multi_head_attention.hpp"

namespace radiogenomics::learn {

/// One pre-norm encoder layer with residual connections.
template <class TReal>
class encoder_layer {
public:
    encoder_layer() = default;

    encoder_layer(const std::string& name, index d_model, index n_heads, index d_feedforward, activation kind,
                  double dropout_rate, random_engine& engine)
        : m_norm1(name + ".norm1", d_model),
          m_attention(name + ".self_attn", d_model, n_heads, dropout_rate, engine),
          m_dropout1(dropout_rate),
          m_norm2(name + ".norm2", d_model),
          m_feed_forward(name + ".ff", d_model, d_feedforward, kind, dropout_rate, engine),
          m_dropout2(dropout_rate)
    {
    }

    /// What `backward` needs from the forward pass (one workspace per sub-layer).
    struct workspace {
        typename layer_norm<TReal>::workspace norm1;
        typename multi_head_attention<TReal>::workspace self_attention;
        typename dropout<TReal>::workspace dropout1;
        typename layer_norm<TReal>::workspace norm2;
        typename learn::feed_forward<TReal>::workspace ff;
        typename dropout<TReal>::workspace dropout2;
    };

    /// Forward pass; records activations in `w` unless it is null (inference).
    matrix<TReal> forward(const matrix<TReal>& x, index tokens, const forward_context& context, workspace* w) const
    {
        const bool keep = w != nullptr;
        matrix<TReal> h =
            x + m_dropout1.forward(m_attention.forward(m_norm1.forward(x, keep ? &w->norm1 : nullptr), tokens, context,
                                                       keep ? &w->self_attention : nullptr),
                                   context, keep ? &w->dropout1 : nullptr);
        matrix<TReal> y = m_dropout2.forward(m_feed_forward.forward(m_norm2.forward(h, keep ? &w->norm2 : nullptr),
                                                                    context, keep ? &w->ff : nullptr),
                                             context, keep ? &w->dropout2 : nullptr);
        y += h;
        return y;
    }

    /// Forward pass recording into the layer's own workspace (training).
    matrix<TReal> forward(const matrix<TReal>& x, index tokens, const forward_context& context)
    {
        return forward(x, tokens, context, &m_workspace);
    }

    /// Backward pass of the forward pass that filled `w`.
    matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        matrix<TReal> grad_h = grad_output;
        grad_h += m_norm2.backward(
            m_feed_forward.backward(dropout<TReal>::backward(grad_output, w.dropout2), w.ff), w.norm2);
        matrix<TReal> grad_x = grad_h;
        grad_x += m_norm1.backward(m_attention.backward(dropout<TReal>::backward(grad_h, w.dropout1), w.self_attention),
                                   w.norm1);
        return grad_x;
    }

    /// Backward pass of the last `forward(x, tokens, context)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) { return backward(grad_output, m_workspace); }

    parameter_list<TReal> parameters()
    {
        parameter_list<TReal> out = m_norm1.parameters();
        append_parameters(out, m_attention.parameters());
        append_parameters(out, m_norm2.parameters());
        append_parameters(out, m_feed_forward.parameters());
        return out;
    }

    multi_head_attention<TReal>& attention() { return m_attention; }

private:
    layer_norm<TReal> m_norm1;
    multi_head_attention<TReal> m_attention;
    dropout<TReal> m_dropout1;
    layer_norm<TReal> m_norm2;
    feed_forward<TReal> m_feed_forward;
    dropout<TReal> m_dropout2;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
