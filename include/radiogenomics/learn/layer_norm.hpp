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

    /// What `backward` needs from the forward pass.
    struct workspace {
        matrix<TReal> normalized;
        vector<TReal> inverse_std;
    };

    /// Forward pass; records the normalised rows in `w` unless it is null (inference).
    matrix<TReal> forward(const matrix<TReal>& x, workspace* w) const
    {
        const index d = m_gamma.value.cols();
        if (x.cols() != d) {
            raise("learn.layer_norm.forward", "input width: got ", x.cols(), ", expected ", d, ".");
        }
        const index n = x.rows();
        workspace local;
        workspace& out = w != nullptr ? *w : local;
        matrix<TReal>& normalized = out.normalized;
        vector<TReal>& inverse_std = out.inverse_std;
        normalized.resize(n, d);
        inverse_std.resize(n);
        matrix<TReal> y(n, d);
        const TReal eps = static_cast<TReal>(m_epsilon);
        RG_PARALLEL_FOR_IF(static_cast<double>(n) * static_cast<double>(d) > detail::parallel_work / 16)
        for (index r = 0; r < n; ++r) {
            const TReal mean = x.row(r).mean();
            const TReal variance = (x.row(r).array() - mean).square().mean();
            const TReal inv = TReal(1) / std::sqrt(variance + eps);
            inverse_std(r) = inv;
            normalized.row(r) = (x.row(r).array() - mean) * inv;
            y.row(r) = normalized.row(r).array() * m_gamma.value.row(0).array() + m_beta.value.row(0).array();
        }
        return y;
    }

    /// Forward pass recording into the layer's own workspace (training).
    matrix<TReal> forward(const matrix<TReal>& x) { return forward(x, &m_workspace); }

    /// Backward pass of the forward pass that filled `w`.
    matrix<TReal> backward(const matrix<TReal>& grad_output, const workspace& w)
    {
        const matrix<TReal>& normalized = w.normalized;
        const vector<TReal>& inverse_std = w.inverse_std;
        const index n = grad_output.rows();
        const index d = grad_output.cols();
        m_gamma.grad.row(0) += (grad_output.array() * normalized.array()).matrix().colwise().sum();
        m_beta.grad.row(0) += grad_output.colwise().sum();
        matrix<TReal> grad_input(n, d);
        RG_PARALLEL_FOR_IF(static_cast<double>(n) * static_cast<double>(d) > detail::parallel_work / 16)
        for (index r = 0; r < n; ++r) {
            const auto g = (grad_output.row(r).array() * m_gamma.value.row(0).array()).eval();
            const TReal g_mean = g.mean();
            const TReal gx_mean = (g * normalized.row(r).array()).mean();
            grad_input.row(r) = inverse_std(r) * (g - g_mean - normalized.row(r).array() * gx_mean);
        }
        return grad_input;
    }

    /// Backward pass of the last `forward(x)`.
    matrix<TReal> backward(const matrix<TReal>& grad_output) { return backward(grad_output, m_workspace); }

    parameter_list<TReal> parameters() { return {&m_gamma, &m_beta}; }

private:
    double m_epsilon = 1e-5;
    parameter<TReal> m_gamma;
    parameter<TReal> m_beta;
    workspace m_workspace;
};

}  // namespace radiogenomics::learn
