#pragma once
/// \file dropout.hpp
/// \brief Inverted dropout (Srivastava et al. 2014) with seeded masks, as `torch.nn.Dropout`.
///
/// In training each coefficient is kept with probability \f$1-p\f$ and scaled by \f$1/(1-p)\f$;
/// in evaluation the layer is the identity. The mask is drawn serially (column-major order) from
/// the context's engine, so it depends only on the seed, never on the thread count.
#include <utility>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Seeded inverted dropout with rate `p` in [0, 1).
template <class TReal>
class dropout {
public:
    explicit dropout(double rate = 0.0) : m_rate(rate)
    {
        if (!(rate >= 0.0 && rate < 1.0)) {
            raise("learn.dropout", "rate: got ", rate, ", expected 0 <= p < 1.");
        }
    }

    double rate() const { return m_rate; }

    /// What `backward` needs from the forward pass: whether a mask was applied, and the mask.
    struct workspace {
        bool active = false;
        matrix<TReal> mask;
    };

    /// Forward pass; records the mask in `w` unless it is null. Training with dropout needs `w` (the mask is
    /// drawn from the context's engine); evaluation is the identity and needs none.
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context, workspace* w) const
    {
        const bool active = context.training && m_rate > 0.0;
        if (w != nullptr) {
            w->active = active;
        }
        if (!active) {
            return x;
        }
        if (context.engine == nullptr) {
            raise("learn.dropout.forward", "engine: got null, expected a random engine when training with dropout.");
        }
        matrix<TReal> mask = make_mask(x.rows(), x.cols(), m_rate, *context.engine);
        matrix<TReal> y = x.cwiseProduct(mask);
        if (w != nullptr) {
            w->mask = std::move(mask);
        }
        return y;
    }

    /// Forward pass recording into the layer's own workspace (training).
    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        return forward(x, context, &m_workspace);
    }

    /// Backward pass of the forward pass that filled `w`.
    static matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        return w.active ? matrix<TReal>(grad_output.cwiseProduct(w.mask)) : grad_output;
    }

    /// Backward pass of the last `forward(x, context)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) const { return backward(grad_output, m_workspace); }

    /// A rows × cols mask of 0 and \f$1/(1-p)\f$ drawn serially from `engine`.
    static matrix<TReal> make_mask(index rows, index cols, double rate, random_engine& engine)
    {
        matrix<TReal> mask(rows, cols);
        const TReal scale = static_cast<TReal>(1.0 / (1.0 - rate));
        for (index j = 0; j < cols; ++j) {
            for (index i = 0; i < rows; ++i) {
                mask(i, j) = uniform01(engine) >= rate ? scale : TReal(0);
            }
        }
        return mask;
    }

private:
    double m_rate = 0.0;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
