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

    matrix<TReal> forward(const matrix<TReal>& x, index tokens, const forward_context& context)
    {
        matrix<TReal> h = x + m_dropout1.forward(m_attention.forward(m_norm1.forward(x), tokens, context), context);
        matrix<TReal> y = m_dropout2.forward(m_feed_forward.forward(m_norm2.forward(h), context), context);
        y += h;
        return y;
    }

    matrix<TReal> backward(const matrix<TReal>& grad_output)
    {
        matrix<TReal> grad_h = grad_output;
        grad_h += m_norm2.backward(m_feed_forward.backward(m_dropout2.backward(grad_output)));
        matrix<TReal> grad_x = grad_h;
        grad_x += m_norm1.backward(m_attention.backward(m_dropout1.backward(grad_h)));
        return grad_x;
    }

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
};

}  // namespace radiogenomics::learn
