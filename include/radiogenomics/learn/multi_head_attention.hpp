#pragma once
/// \file multi_head_attention.hpp
/// \brief Multi-head scaled dot-product self-attention (Vaswani et al. 2017), as
/// `torch.nn.MultiheadAttention(d_model, n_heads, batch_first=True)` called with `(x, x, x)`.
///
/// For each sample and head \f$h\f$ (head width \f$d_h = d/H\f$):
/// \f[ Q = xW_q^\top + b_q,\; K = xW_k^\top + b_k,\; V = xW_v^\top + b_v,\qquad
///     P_h = \mathrm{softmax}\!\Big(\frac{Q_h K_h^\top}{\sqrt{d_h}}\Big),\qquad
///     \mathrm{out} = [\,\mathrm{Dropout}(P_1)V_1, \dots\,]\, W_o^\top + b_o. \f]
/// PyTorch packs \f$W_q, W_k, W_v\f$ as the rows of `in_proj_weight`; we keep three `linear` layers.
/// Backward of the row softmax: \f$ \partial S = P \odot (\partial P - \mathrm{rowsum}(\partial P \odot P)) \f$.
#include <cmath>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/dropout.hpp"
#include "radiogenomics/learn/linear.hpp"

namespace radiogenomics::learn {

/// Self-attention over the `tokens` rows of each sample of a `(B*tokens) × d_model` batch.
template <class TReal>
class multi_head_attention {
public:
    multi_head_attention() = default;

    multi_head_attention(const std::string& name, index d_model, index n_heads, double attention_dropout,
                         random_engine& engine)
        : m_heads(n_heads), m_dropout_rate(attention_dropout)
    {
        if (n_heads <= 0 || d_model <= 0 || d_model % n_heads != 0) {
            raise("learn.multi_head_attention", "heads: got d_model ", d_model, " with ", n_heads,
                  " heads, expected d_model > 0 divisible by the head count.");
        }
        static_cast<void>(dropout<TReal>(attention_dropout));  // validates the rate
        m_q = linear<TReal>(name + ".q_proj", d_model, d_model, engine);
        m_k = linear<TReal>(name + ".k_proj", d_model, d_model, engine);
        m_v = linear<TReal>(name + ".v_proj", d_model, d_model, engine);
        m_out = linear<TReal>(name + ".out_proj", d_model, d_model, engine);
    }

    index heads() const { return m_heads; }

    /// What `backward` needs from the forward pass: projections, attention weights, dropout masks.
    struct workspace {
        index tokens = 1;
        bool use_mask = false;
        typename linear<TReal>::workspace q;
        typename linear<TReal>::workspace k;
        typename linear<TReal>::workspace v;
        typename linear<TReal>::workspace out;
        matrix<TReal> query;
        matrix<TReal> key;
        matrix<TReal> value;
        std::vector<matrix<TReal>> attention;
        std::vector<matrix<TReal>> masks;
    };

    /// `x` is `(B*tokens) × d_model`; returns the same shape. Records activations in `w` unless it is null
    /// (inference: nothing is kept).
    matrix<TReal> forward(const matrix<TReal>& x, index tokens, const forward_context& context, workspace* w) const
    {
        if (tokens <= 0 || x.rows() % tokens != 0) {
            raise("learn.multi_head_attention.forward", "rows: got ", x.rows(), " rows for ", tokens,
                  " tokens per sample, expected a multiple.");
        }
        workspace local;
        workspace& ws = w != nullptr ? *w : local;
        ws.tokens = tokens;
        const index batch = x.rows() / tokens;
        const index d = m_q.out_features();
        const index dh = d / m_heads;
        ws.query = m_q.forward(x, w != nullptr ? &ws.q : nullptr);
        ws.key = m_k.forward(x, w != nullptr ? &ws.k : nullptr);
        ws.value = m_v.forward(x, w != nullptr ? &ws.v : nullptr);
        const index slots = batch * m_heads;
        const bool keep = w != nullptr;
        ws.attention.assign(keep ? static_cast<std::size_t>(slots) : 0, matrix<TReal>());
        ws.masks.assign(static_cast<std::size_t>(slots), matrix<TReal>());
        ws.use_mask = context.training && m_dropout_rate > 0.0;
        if (ws.use_mask) {
            if (context.engine == nullptr) {
                raise("learn.multi_head_attention.forward",
                      "engine: got null, expected a random engine when training with dropout.");
            }
            for (index slot = 0; slot < slots; ++slot) {  // serial: masks depend on the seed only
                ws.masks[static_cast<std::size_t>(slot)] =
                    dropout<TReal>::make_mask(tokens, tokens, m_dropout_rate, *context.engine);
            }
        }
        const TReal scale = TReal(1) / std::sqrt(static_cast<TReal>(dh));
        matrix<TReal> heads_out(x.rows(), d);
        RG_PARALLEL_FOR_IF(static_cast<double>(slots) * static_cast<double>(tokens * tokens * dh) > detail::parallel_work / 4)
        for (index slot = 0; slot < slots; ++slot) {
            const index s = slot / m_heads;
            const index h = slot % m_heads;
            const auto q = ws.query.block(s * tokens, h * dh, tokens, dh);
            const auto k = ws.key.block(s * tokens, h * dh, tokens, dh);
            const auto v = ws.value.block(s * tokens, h * dh, tokens, dh);
            matrix<TReal> scores = (q * scale) * k.transpose();
            for (index r = 0; r < tokens; ++r) {
                const TReal top = scores.row(r).maxCoeff();
                scores.row(r) = (scores.row(r).array() - top).exp();
                scores.row(r) /= scores.row(r).sum();
            }
            if (keep) {
                ws.attention[static_cast<std::size_t>(slot)] = scores;
            }
            if (ws.use_mask) {
                scores = scores.cwiseProduct(ws.masks[static_cast<std::size_t>(slot)]);
            }
            heads_out.block(s * tokens, h * dh, tokens, dh).noalias() = scores * v;
        }
        return m_out.forward(heads_out, w != nullptr ? &ws.out : nullptr);
    }

    /// Forward pass recording into the layer's own workspace (training; `attention` reads it).
    matrix<TReal> forward(const matrix<TReal>& x, index tokens, const forward_context& context)
    {
        return forward(x, tokens, context, &m_workspace);
    }

    /// Backward pass of the forward pass that filled `w`.
    matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        const matrix<TReal> grad_heads = m_out.backward(grad_output, w.out);
        const index tokens = w.tokens;
        const index batch = grad_heads.rows() / tokens;
        const index d = m_q.out_features();
        const index dh = d / m_heads;
        const TReal scale = TReal(1) / std::sqrt(static_cast<TReal>(dh));
        matrix<TReal> grad_q(grad_heads.rows(), d);
        matrix<TReal> grad_k(grad_heads.rows(), d);
        matrix<TReal> grad_v(grad_heads.rows(), d);
        const index slots = batch * m_heads;
        RG_PARALLEL_FOR_IF(static_cast<double>(slots) * static_cast<double>(tokens * tokens * dh) > detail::parallel_work / 4)
        for (index slot = 0; slot < slots; ++slot) {
            const index s = slot / m_heads;
            const index h = slot % m_heads;
            const auto q = w.query.block(s * tokens, h * dh, tokens, dh);
            const auto k = w.key.block(s * tokens, h * dh, tokens, dh);
            const auto v = w.value.block(s * tokens, h * dh, tokens, dh);
            const auto go = grad_heads.block(s * tokens, h * dh, tokens, dh);
            const matrix<TReal>& p = w.attention[static_cast<std::size_t>(slot)];
            matrix<TReal> p_used = p;
            if (w.use_mask) {
                p_used = p.cwiseProduct(w.masks[static_cast<std::size_t>(slot)]);
            }
            grad_v.block(s * tokens, h * dh, tokens, dh).noalias() = p_used.transpose() * go;
            matrix<TReal> grad_p = go * v.transpose();
            if (w.use_mask) {
                grad_p = grad_p.cwiseProduct(w.masks[static_cast<std::size_t>(slot)]);
            }
            matrix<TReal> grad_scores(tokens, tokens);
            for (index r = 0; r < tokens; ++r) {
                const TReal dot = grad_p.row(r).dot(p.row(r));
                grad_scores.row(r) = p.row(r).array() * (grad_p.row(r).array() - dot);
            }
            grad_q.block(s * tokens, h * dh, tokens, dh).noalias() = (grad_scores * k) * scale;
            grad_k.block(s * tokens, h * dh, tokens, dh).noalias() = (grad_scores.transpose() * q) * scale;
        }
        matrix<TReal> grad_input = m_q.backward(grad_q, w.q);
        grad_input += m_k.backward(grad_k, w.k);
        grad_input += m_v.backward(grad_v, w.v);
        return grad_input;
    }

    /// Backward pass of the last `forward(x, tokens, context)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) { return backward(grad_output, m_workspace); }

    parameter_list<TReal> parameters()
    {
        parameter_list<TReal> out = m_q.parameters();
        append_parameters(out, m_k.parameters());
        append_parameters(out, m_v.parameters());
        append_parameters(out, m_out.parameters());
        return out;
    }

    /// Attention weights (post-softmax, before dropout) of sample `s`, head `h` from the last forward.
    const matrix<TReal>& attention(index s, index h) const
    {
        return m_workspace.attention[static_cast<std::size_t>(s * m_heads + h)];
    }

private:
    index m_heads = 1;
    double m_dropout_rate = 0.0;
    linear<TReal> m_q;
    linear<TReal> m_k;
    linear<TReal> m_v;
    linear<TReal> m_out;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
