#pragma once
/// \file transformer_encoder.hpp
/// \brief Transformer classifier for tabular inputs: tokeniser → [CLS] + tokens → pre-norm encoder
/// layers → final layer norm → linear head on the CLS token.
///
/// \par Tokeniser
/// The feature vector is split into contiguous groups (`token_group`, e.g. tumour CT radiomics,
/// tumour PET radiomics, ..., clinical variables).
/// - `tokenizer_kind::group_projection`: group \f$g\f$ becomes one token \f$t_g = x_g W_g^\top + b_g\f$
///   (its own learned linear projection, which also tells the tokens apart, so no positional encoding).
/// - `tokenizer_kind::per_feature` (FT-Transformer, Gorishniy et al. 2021): feature \f$j\f$ becomes
///   the token \f$t_j = x_j w_j + b_j\f$ with \f$w_j, b_j \in \mathbb R^{d}\f$.
/// Token biases are initialised \f$U(\pm 1/\sqrt d)\f$. A learned CLS token (init \f$N(0, 0.02^2)\f$) is prepended. The model equals PyTorch's
/// `nn.TransformerEncoder(nn.TransformerEncoderLayer(..., batch_first=True, norm_first=True), L,
/// norm=nn.LayerNorm(d))` followed by `nn.Linear(d, classes)` on output token 0 — see
/// `tests/fixtures/learn/generate_learn_fixtures.py`.
///
/// `embed(x)` returns the CLS representation after the final layer norm (the input of the head):
/// the deep features used for clustering.
#include <sstream>
#include <utility>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/encoder_layer.hpp"
#include "radiogenomics/learn/serialization.hpp"

namespace radiogenomics::learn {

/// A contiguous block of input columns that forms one modality (one token in group mode).
struct token_group {
    std::string name;
    index begin = 0;
    index count = 0;
};

/// One group covering all `features` columns.
inline std::vector<token_group> single_group(index features)
{
    return {token_group{"all", 0, features}};
}

/// How input features become tokens.
enum class tokenizer_kind { group_projection, per_feature };

/// Architecture of a `transformer_encoder` (documented defaults).
struct transformer_options {
    index d_model = 64;                             ///< token width
    index heads = 4;                                ///< attention heads (must divide d_model)
    index layers = 2;                               ///< encoder layers
    index d_feedforward = 128;                      ///< hidden width of the feed-forward block
    double dropout = 0.1;                           ///< dropout rate (residual, attention and FFN)
    activation ffn_activation = activation::gelu;   ///< GELU (exact) or ReLU
    tokenizer_kind tokenizer = tokenizer_kind::group_projection;
    index classes = 2;                              ///< output classes
    std::uint64_t seed = 0;                         ///< initialisation seed
};

/// The Transformer classifier. `forward` gives logits (B × classes); `backward` accumulates
/// the gradients of every parameter from \f$\partial L/\partial\,\mathrm{logits}\f$.
///
/// Activations live in a `workspace`, never in the layers' parameters: training uses the model's own
/// workspace (`forward(x, context)` then `backward(grad)`), while `predict` and `embed` are `const`, keep
/// nothing, and may be called on one trained model from several threads at once.
template <class TReal>
class transformer_encoder {
public:
    transformer_encoder(const transformer_options& options, std::vector<token_group> groups)
        : m_options(options), m_groups(std::move(groups))
    {
        const std::string where = "learn.transformer_encoder";
        if (m_groups.empty()) {
            raise(where, "groups: got none, expected at least one token group.");
        }
        index expected_begin = 0;
        for (const auto& g : m_groups) {
            if (g.begin != expected_begin || g.count < 0) {
                raise(where, "group '", g.name, "': got columns [", g.begin, ", ", g.begin + g.count,
                      "), expected contiguous groups starting at column ", expected_begin, ".");
            }
            expected_begin += g.count;
        }
        m_features = expected_begin;
        if (options.classes < 2) {
            raise(where, "classes: got ", options.classes, ", expected >= 2.");
        }
        if (options.layers < 0 || options.d_feedforward <= 0) {
            raise(where, "layers/feed-forward width: got ", options.layers, "/", options.d_feedforward,
                  ", expected >= 0 / > 0.");
        }
        random_engine engine(options.seed);
        const index d = options.d_model;
        if (d <= 0) {
            raise(where, "d_model: got ", d, ", expected > 0.");
        }
        m_cls.resize("cls_token", 1, d);
        for (index j = 0; j < d; ++j) {
            m_cls.value(0, j) = static_cast<TReal>(normal(engine, 0.0, 0.02));
        }
        if (options.tokenizer == tokenizer_kind::group_projection) {
            const double limit = 1.0 / std::sqrt(static_cast<double>(d));
            for (std::size_t g = 0; g < m_groups.size(); ++g) {
                m_group_projections.emplace_back("tokenizer." + std::to_string(g), m_groups[g].count, d, engine);
                // Token biases U(±1/√d) as FT-Transformer's tokeniser: a group left without columns
                // is then a learned constant token rather than a zero vector (where layer norm is singular).
                auto& bias = m_group_projections.back().bias().value;
                for (index j = 0; j < d; ++j) {
                    bias(0, j) = static_cast<TReal>(uniform(engine, -limit, limit));
                }
            }
            m_tokens = 1 + static_cast<index>(m_groups.size());
        } else {
            if (m_features == 0) {
                raise(where, "features: got 0, expected at least one for per-feature tokens.");
            }
            m_feature_weight.resize("tokenizer.feature_weight", m_features, d);
            m_feature_bias.resize("tokenizer.feature_bias", m_features, d);
            const double limit = 1.0 / std::sqrt(static_cast<double>(d));
            for (index j = 0; j < d; ++j) {
                for (index f = 0; f < m_features; ++f) {
                    m_feature_weight.value(f, j) = static_cast<TReal>(uniform(engine, -limit, limit));
                    m_feature_bias.value(f, j) = static_cast<TReal>(uniform(engine, -limit, limit));
                }
            }
            m_tokens = 1 + m_features;
        }
        for (index l = 0; l < options.layers; ++l) {
            m_layers.emplace_back("layers." + std::to_string(l), d, options.heads, options.d_feedforward,
                                  options.ffn_activation, options.dropout, engine);
        }
        m_norm = layer_norm<TReal>("norm", d);
        m_head = linear<TReal>("head", d, options.classes, engine);
    }

    const transformer_options& options() const { return m_options; }
    const std::vector<token_group>& groups() const { return m_groups; }
    index features() const { return m_features; }
    /// Tokens per sample including CLS.
    index tokens() const { return m_tokens; }

    /// Everything `backward` needs from one forward pass.
    struct workspace {
        index batch = 0;
        matrix<TReal> input;
        std::vector<typename linear<TReal>::workspace> projections;
        std::vector<typename encoder_layer<TReal>::workspace> layers;
        typename layer_norm<TReal>::workspace norm;
        typename linear<TReal>::workspace head;
        matrix<TReal> embedding;  ///< CLS representation after the final norm
    };

    /// Logits (B × classes) of a batch `x` (B × features); records activations in `w` unless it is null.
    /// `embedding`, when not null, receives the CLS representation after the final norm.
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context, workspace* w,
                          matrix<TReal>* embedding = nullptr) const
    {
        const index batch = x.rows();
        if (x.cols() != m_features) {
            raise("learn.transformer_encoder.forward", "input width: got ", x.cols(), ", expected ", m_features, ".");
        }
        if (!x.allFinite()) {
            raise("learn.transformer_encoder.forward", "input: got NaN or Inf, expected finite values. Impute first.");
        }
        const bool keep = w != nullptr;
        if (keep) {
            w->batch = batch;
            w->projections.resize(m_group_projections.size());
            w->layers.resize(m_layers.size());
        }
        const index d = m_options.d_model;
        const index t = m_tokens;
        matrix<TReal> hidden(batch * t, d);
        for (index s = 0; s < batch; ++s) {
            hidden.row(s * t) = m_cls.value.row(0);
        }
        if (m_options.tokenizer == tokenizer_kind::group_projection) {
            for (std::size_t g = 0; g < m_groups.size(); ++g) {
                const matrix<TReal> part = x.middleCols(m_groups[g].begin, m_groups[g].count);
                const matrix<TReal> projected = m_group_projections[g].forward(part, keep ? &w->projections[g] : nullptr);
                for (index s = 0; s < batch; ++s) {
                    hidden.row(s * t + 1 + static_cast<index>(g)) = projected.row(s);
                }
            }
        } else {
            if (keep) {
                w->input = x;
            }
            for (index s = 0; s < batch; ++s) {
                for (index f = 0; f < m_features; ++f) {
                    hidden.row(s * t + 1 + f) = x(s, f) * m_feature_weight.value.row(f) + m_feature_bias.value.row(f);
                }
            }
        }
        for (std::size_t l = 0; l < m_layers.size(); ++l) {
            hidden = m_layers[l].forward(hidden, t, context, keep ? &w->layers[l] : nullptr);
        }
        matrix<TReal> cls(batch, d);
        for (index s = 0; s < batch; ++s) {
            cls.row(s) = hidden.row(s * t);
        }
        matrix<TReal> normed = m_norm.forward(cls, keep ? &w->norm : nullptr);
        matrix<TReal> logits = m_head.forward(normed, keep ? &w->head : nullptr);
        if (embedding != nullptr) {
            *embedding = normed;
        }
        if (keep) {
            w->embedding = std::move(normed);
        }
        return logits;
    }

    /// Training forward pass: records into the model's own workspace for `backward` and `last_embedding`.
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        return forward(x, context, &m_workspace);
    }

    /// Logits of `x` in evaluation mode. `const` and thread-safe: nothing is recorded.
    matrix<TReal> predict(const matrix<TReal>& x) const { return forward(x, forward_context{}, nullptr); }

    /// Backward pass of the forward pass that filled `w`.
    void backward(const matrix<TReal>& grad_logits, const workspace& w)
    {
        const index d = m_options.d_model;
        const index t = m_tokens;
        const index batch = w.batch;
        const matrix<TReal> grad_cls = m_norm.backward(m_head.backward(grad_logits, w.head), w.norm);
        matrix<TReal> grad_hidden = matrix<TReal>::Zero(batch * t, d);
        for (index s = 0; s < batch; ++s) {
            grad_hidden.row(s * t) = grad_cls.row(s);
        }
        for (std::size_t l = m_layers.size(); l-- > 0;) {
            grad_hidden = m_layers[l].backward(grad_hidden, w.layers[l]);
        }
        for (index s = 0; s < batch; ++s) {
            m_cls.grad.row(0) += grad_hidden.row(s * t);
        }
        if (m_options.tokenizer == tokenizer_kind::group_projection) {
            for (std::size_t g = 0; g < m_groups.size(); ++g) {
                matrix<TReal> grad_token(batch, d);
                for (index s = 0; s < batch; ++s) {
                    grad_token.row(s) = grad_hidden.row(s * t + 1 + static_cast<index>(g));
                }
                m_group_projections[g].accumulate_gradients(grad_token, w.projections[g]);
            }
        } else {
            for (index s = 0; s < batch; ++s) {
                for (index f = 0; f < m_features; ++f) {
                    m_feature_weight.grad.row(f) += w.input(s, f) * grad_hidden.row(s * t + 1 + f);
                    m_feature_bias.grad.row(f) += grad_hidden.row(s * t + 1 + f);
                }
            }
        }
    }

    /// Backward pass from \f$\partial L/\partial\,\mathrm{logits}\f$ of the last `forward(x, context)`.
    void backward(const matrix<TReal>& grad_logits) { backward(grad_logits, m_workspace); }

    /// Deep features: the CLS representation after the final norm (B × d_model), evaluation mode. `const` and
    /// thread-safe.
    matrix<TReal> embed(const matrix<TReal>& x) const
    {
        matrix<TReal> embedding;
        forward(x, forward_context{}, nullptr, &embedding);
        return embedding;
    }

    /// CLS representation from the last training `forward(x, context)`.
    const matrix<TReal>& last_embedding() const { return m_workspace.embedding; }

    /// All parameters in a fixed order (tokeniser, CLS, layers, final norm, head).
    parameter_list<TReal> parameters()
    {
        parameter_list<TReal> out;
        if (m_options.tokenizer == tokenizer_kind::group_projection) {
            for (auto& projection : m_group_projections) {
                append_parameters(out, projection.parameters());
            }
        } else {
            out.push_back(&m_feature_weight);
            out.push_back(&m_feature_bias);
        }
        out.push_back(&m_cls);
        for (auto& layer : m_layers) {
            append_parameters(out, layer.parameters());
        }
        append_parameters(out, m_norm.parameters());
        append_parameters(out, m_head.parameters());
        return out;
    }

    encoder_layer<TReal>& layer(index l) { return m_layers[static_cast<std::size_t>(l)]; }

    /// The `model` line of the weight file: kind and every structural setting.
    std::string model_line() const
    {
        std::ostringstream out;
        out << "transformer_encoder d_model=" << m_options.d_model << " heads=" << m_options.heads
            << " layers=" << m_options.layers << " d_feedforward=" << m_options.d_feedforward << " activation="
            << (m_options.ffn_activation == activation::gelu ? "gelu" : "relu") << " tokenizer="
            << (m_options.tokenizer == tokenizer_kind::group_projection ? "group_projection" : "per_feature")
            << " classes=" << m_options.classes << " groups=";
        for (std::size_t g = 0; g < m_groups.size(); ++g) {
            out << (g == 0 ? "" : ",") << m_groups[g].count;
        }
        return out.str();
    }

    /// Saves the weights (format: `serialization.hpp`).
    void save(const std::string& path) { save_parameters(path, model_line(), parameters()); }
    /// Loads weights saved from a model of the same configuration; throws `io_error` otherwise.
    void load(const std::string& path) { load_parameters(path, model_line(), parameters()); }

private:
    transformer_options m_options;
    std::vector<token_group> m_groups;
    index m_features = 0;
    index m_tokens = 1;
    std::vector<linear<TReal>> m_group_projections;
    parameter<TReal> m_feature_weight;
    parameter<TReal> m_feature_bias;
    parameter<TReal> m_cls;
    std::vector<encoder_layer<TReal>> m_layers;
    layer_norm<TReal> m_norm;
    linear<TReal> m_head;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
