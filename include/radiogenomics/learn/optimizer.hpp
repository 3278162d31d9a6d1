#pragma once
/// \file optimizer.hpp
/// \brief SGD with momentum and AdamW with PyTorch's exact update rules, plus a warm-up + cosine
/// learning-rate schedule.
///
/// \par SGD (torch.optim.SGD, dampening 0)
/// \f[ g \leftarrow g + \lambda\theta,\quad b \leftarrow \mu b + g\ (b_1 = g),\quad
///     \theta \leftarrow \theta - \eta\,(\text{nesterov} ? g + \mu b : b) \f]
/// \par AdamW (torch.optim.AdamW, Loshchilov & Hutter 2019; amsgrad off)
/// \f[ \theta \leftarrow \theta(1-\eta\lambda),\quad m \leftarrow \beta_1 m + (1-\beta_1)g,\quad
///     v \leftarrow \beta_2 v + (1-\beta_2)g^2, \f]
/// \f[ \theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\,\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}. \f]
#include <cmath>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Which optimiser.
enum class optimizer_kind { sgd, adamw };

/// Optimiser settings (defaults: PyTorch's AdamW defaults, except the learning rate).
struct optimizer_options {
    optimizer_kind kind = optimizer_kind::adamw;
    double learning_rate = 1e-3;
    double weight_decay = 1e-2;  ///< decoupled (AdamW) or L2-in-gradient (SGD)
    double momentum = 0.9;       ///< SGD only
    bool nesterov = false;       ///< SGD only
    double beta1 = 0.9;          ///< AdamW only
    double beta2 = 0.999;        ///< AdamW only
    double epsilon = 1e-8;       ///< AdamW only
};

/// Stateful optimiser over a fixed parameter list.
template <class TReal>
class optimizer {
public:
    optimizer(parameter_list<TReal> parameters, const optimizer_options& options)
        : m_parameters(std::move(parameters)), m_options(options)
    {
        const std::string where = "learn.optimizer";
        if (!(options.learning_rate > 0) || !(options.weight_decay >= 0) || !(options.momentum >= 0) ||
            !(options.beta1 >= 0 && options.beta1 < 1) || !(options.beta2 >= 0 && options.beta2 < 1) ||
            !(options.epsilon > 0)) {
            raise(where, "settings: got lr ", options.learning_rate, ", weight decay ", options.weight_decay,
                  ", momentum ", options.momentum, ", betas (", options.beta1, ", ", options.beta2, "), eps ",
                  options.epsilon, ", expected lr > 0, decay >= 0, momentum >= 0, betas in [0,1), eps > 0.");
        }
        for (const auto* p : m_parameters) {
            m_first.push_back(matrix<TReal>::Zero(p->value.rows(), p->value.cols()));
            m_second.push_back(matrix<TReal>::Zero(p->value.rows(), p->value.cols()));
        }
    }

    /// One update with the current gradients at learning rate `learning_rate` (the schedule's value).
    void step(double learning_rate)
    {
        ++m_step;
        const TReal lr = static_cast<TReal>(learning_rate);
        const TReal decay = static_cast<TReal>(m_options.weight_decay);
        for (std::size_t i = 0; i < m_parameters.size(); ++i) {
            auto& p = *m_parameters[i];
            if (m_options.kind == optimizer_kind::sgd) {
                matrix<TReal> g = p.grad;
                if (decay != 0) {
                    g += decay * p.value;
                }
                const TReal mu = static_cast<TReal>(m_options.momentum);
                if (mu != 0) {
                    if (m_step == 1) {
                        m_first[i] = g;
                    } else {
                        m_first[i] = mu * m_first[i] + g;
                    }
                    if (m_options.nesterov) {
                        g += mu * m_first[i];
                    } else {
                        g = m_first[i];
                    }
                }
                p.value -= lr * g;
            } else {
                const TReal b1 = static_cast<TReal>(m_options.beta1);
                const TReal b2 = static_cast<TReal>(m_options.beta2);
                p.value *= TReal(1) - lr * decay;
                m_first[i] = b1 * m_first[i] + (TReal(1) - b1) * p.grad;
                m_second[i] = b2 * m_second[i] + (TReal(1) - b2) * p.grad.cwiseProduct(p.grad);
                const TReal correction1 = TReal(1) - static_cast<TReal>(std::pow(m_options.beta1, m_step));
                const TReal correction2 = TReal(1) - static_cast<TReal>(std::pow(m_options.beta2, m_step));
                const TReal step_size = lr / correction1;
                const TReal sqrt_c2 = std::sqrt(correction2);
                const TReal eps = static_cast<TReal>(m_options.epsilon);
                p.value.array() -= step_size * m_first[i].array() / (m_second[i].array().sqrt() / sqrt_c2 + eps);
            }
        }
    }

    /// One update at the base learning rate.
    void step() { step(m_options.learning_rate); }

    void zero_grad() { learn::zero_grad(m_parameters); }
    long step_count() const { return m_step; }
    const optimizer_options& options() const { return m_options; }

private:
    parameter_list<TReal> m_parameters;
    optimizer_options m_options;
    std::vector<matrix<TReal>> m_first;
    std::vector<matrix<TReal>> m_second;
    long m_step = 0;
};

/// Learning rate at optimiser step `step` (0-based) of `total` steps: linear warm-up from
/// \f$\eta/W\f$ to \f$\eta\f$ over the first `warmup` steps, then (when `cosine`) cosine decay
/// \f$\eta_{min} + \tfrac12(\eta-\eta_{min})(1+\cos(\pi\,\tfrac{s-W}{S-W}))\f$, else constant.
inline double scheduled_learning_rate(double base, long step, long total, long warmup, bool cosine,
                                      double minimum = 0.0)
{
    if (warmup > 0 && step < warmup) {
        return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
    }
    if (!cosine || total <= warmup) {
        return base;
    }
    const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(total - warmup));
    constexpr double pi = 3.14159265358979323846;
    return minimum + 0.5 * (base - minimum) * (1.0 + std::cos(pi * progress));
}

}  // namespace radiogenomics::learn
