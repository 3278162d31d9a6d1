#pragma once
/// \file layer_norm.hpp
/// \brief Layer normalisation over the last dimension (each row), as `torch.nn.LayerNorm`.
///
/// \f[ \hat x = \frac{x - \mu}{\sqrt{\sigma^2 + \varepsilon}},\qquad y = \gamma \odot \hat x + \beta \f]
/// with the biased variance \f$\sigma^2 = \frac1d\sum (x_j-\mu)^2\f$ and \f$\varepsilon = 10^{-5}\f$
/// (PyTorch's default). Backward (Ba, Kiros & Hinton 2016), with \f$g = \gamma\odot\delta\f$:
/// \f[ \frac{\partial L}{\partial x} = \frac{1}{\sigma_\varepsilon}\Big(g - \bar g - \hat x\,\overline{g\odot\hat x}\Big) \f]
/// where the bars are means over the row.
#include <cmath>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Row-wise layer norm with learned gain `weight` (γ, init 1) and `bias` (β, init 0).
template <class TReal>
class layer_norm {
public:
    layer_norm() = default;

    layer_norm(const std::string& name, index features, double epsilon = 1e-5) : m_epsilon(epsilon)
    {
        if (features <= 0) {
            raise("learn.layer_norm", "feature count: got ", features, ", expected > 0.");
        }
        m_gamma.resize(name + ".weight", 1, features);
        m_gamma.value.setOnes();
        m_beta.resize(name + ".bias", 1, features);
    }

    matrix<TReal> forward(const matrix<TReal>& x)
    {
        const index d = m_gamma.value.cols();
        if (x.cols() != d) {
            raise("learn.layer_norm.forward", "input width: got ", x.cols(), ", expected ", d, ".");
        }
        const index n = x.rows();
        m_normalized.resize(n, d);
        m_inverse_std.resize(n);
        matrix<TReal> y(n, d);
        const TReal eps = static_cast<TReal>(m_epsilon);
        RG_LEARN_PARALLEL_FOR_IF(static_cast<double>(n) * static_cast<double>(d) > detail::parallel_work / 16)
        for (index r = 0; r < n; ++r) {
            const TReal mean = x.row(r).mean();
            const TReal variance = (x.row(r).array() - mean).square().mean();
            const TReal inv = TReal(1) / std::sqrt(variance + eps);
            m_inverse_std(r) = inv;
            m_normalized.row(r) = (x.row(r).array() - mean) * inv;
            y.row(r) = m_normalized.row(r).array() * m_gamma.value.row(0).array() + m_beta.value.row(0).array();
        }
        return y;
    }

    matrix<TReal> backward(const matrix<TReal>& grad_output)
    {
        const index n = grad_output.rows();
        const index d = grad_output.cols();
        m_gamma.grad.row(0) += (grad_output.array() * m_normalized.array()).matrix().colwise().sum();
        m_beta.grad.row(0) += grad_output.colwise().sum();
        matrix<TReal> grad_input(n, d);
        RG_LEARN_PARALLEL_FOR_IF(static_cast<double>(n) * static_cast<double>(d) > detail::parallel_work / 16)
        for (index r = 0; r < n; ++r) {
            const auto g = (grad_output.row(r).array() * m_gamma.value.row(0).array()).eval();
            const TReal g_mean = g.mean();
            const TReal gx_mean = (g * m_normalized.row(r).array()).mean();
            grad_input.row(r) = m_inverse_std(r) * (g - g_mean - m_normalized.row(r).array() * gx_mean);
        }
        return grad_input;
    }

    parameter_list<TReal> parameters() { return {&m_gamma, &m_beta}; }

private:
    double m_epsilon = 1e-5;
    parameter<TReal> m_gamma;
    parameter<TReal> m_beta;
    matrix<TReal> m_normalized;
    vector<TReal> m_inverse_std;
};

}  // namespace radiogenomics::learn
