#pragma once
/// \file grad_check.hpp
/// \brief Central finite-difference gradient check for any parameter list.
///
/// For each coefficient \f$\theta_k\f$: \f$ \hat g_k = \frac{L(\theta+h e_k) - L(\theta-h e_k)}{2h} \f$,
/// compared with the analytic gradient by the relative error
/// \f$ |g_k - \hat g_k| / \max(|g_k| + |\hat g_k|, \tau) \f$ (τ guards near-zero gradients).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Worst coefficient found by `check_gradients`.
struct grad_check_result {
    double max_relative_error = 0.0;
    double max_absolute_error = 0.0;
    std::string worst_parameter;
    index worst_row = 0;
    index worst_col = 0;
    index checked = 0;
};

/// Checks the gradients already stored in `parameters` (computed by the caller for `loss()` at the
/// current values) against central differences of `loss` with step `step`. `loss` must be a
/// deterministic function of the parameter values. At most `max_per_parameter` coefficients per
/// parameter are checked (spread evenly), so large layers stay cheap.
template <class TReal>
grad_check_result check_gradients(const parameter_list<TReal>& parameters, const std::function<double()>& loss,
                                  double step = 1e-6, index max_per_parameter = 64, double floor = 1e-8)
{
    grad_check_result result;
    for (auto* p : parameters) {
        const index size = p->value.size();
        const index stride = std::max<index>(1, size / std::max<index>(1, max_per_parameter));
        for (index k = 0; k < size; k += stride) {
            TReal& value = p->value.data()[k];
            const TReal saved = value;
            value = static_cast<TReal>(static_cast<double>(saved) + step);
            const double plus = loss();
            value = static_cast<TReal>(static_cast<double>(saved) - step);
            const double minus = loss();
            value = saved;
            const double numeric = (plus - minus) / (2.0 * step);
            const double analytic = static_cast<double>(p->grad.data()[k]);
            const double absolute = std::abs(numeric - analytic);
            const double relative = absolute / std::max(std::abs(numeric) + std::abs(analytic), floor);
            ++result.checked;
            if (relative > result.max_relative_error) {
                result.max_relative_error = relative;
                result.worst_parameter = p->name;
                result.worst_row = k % p->value.rows();
                result.worst_col = k / p->value.rows();
            }
            result.max_absolute_error = std::max(result.max_absolute_error, absolute);
        }
    }
    return result;
}

}  // namespace radiogenomics::learn
