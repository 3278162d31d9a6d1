#pragma once
/// \file dropout.hpp
/// \brief Inverted dropout (Srivastava et al. 2014) with seeded masks, as `torch.nn.Dropout`.
///
/// In training each coefficient is kept with probability \f$1-p\f$ and scaled by \f$1/(1-p)\f$;
/// in evaluation the layer is the identity. The mask is drawn serially (column-major order) from
/// the context's engine, so it depends only on the seed, never on the thread count.
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

    matrix<TReal> forward(const matrix<TReal>& x, const forward_context& context)
    {
        m_active = context.training && m_rate > 0.0;
        if (!m_active) {
            return x;
        }
        if (context.engine == nullptr) {
            raise("learn.dropout.forward", "engine: got null, expected a random engine when training with dropout.");
        }
        m_mask = make_mask(x.rows(), x.cols(), m_rate, *context.engine);
        return x.cwiseProduct(m_mask);
    }

    matrix<TReal> backward(const matrix<TReal>& grad_output) const
    {
        return m_active ? matrix<TReal>(grad_output.cwiseProduct(m_mask)) : grad_output;
    }

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
    bool m_active = false;
    matrix<TReal> m_mask;
};

}  // namespace radiogenomics::learn
