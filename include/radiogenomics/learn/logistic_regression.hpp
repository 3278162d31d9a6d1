#pragma once
/// \file logistic_regression.hpp
/// \brief L2-regularised logistic regression (the baseline beside the Transformer), fitted by L-BFGS.
///
/// Same objective as scikit-learn's `LogisticRegression(penalty='l2', C=C)` (intercept not penalised):
/// \f[ \min_{w,b}\ \tfrac12\|w\|^2 + C\sum_i \log\big(1 + e^{-\tilde y_i (x_i^\top w + b)}\big),\qquad
///     \tilde y_i = 2y_i - 1. \f]
/// The problem is strictly convex, so L-BFGS (Nocedal & Wright 2006, Alg. 7.4, with a backtracking
/// Armijo line search) reaches the same optimum as scikit-learn's solvers. `fit` and `predict_probability` take
/// float or double rows (the layers' `TReal`); the optimisation runs in double, as scikit-learn's lbfgs does, so
/// float rows give the fit of the same values as double.
#include <cmath>
#include <deque>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"

namespace radiogenomics::learn {

/// Settings of `logistic_regression`.
struct logistic_options {
    double c = 1.0;                  ///< inverse regularisation strength (scikit-learn's `C`)
    int max_iterations = 1000;       ///< L-BFGS iterations
    double tolerance = 1e-10;        ///< stop when max |gradient| < tolerance × max(1, |objective|)
    int history = 10;                ///< L-BFGS memory
};

/// Binary L2 logistic regression.
class logistic_regression {
public:
    explicit logistic_regression(const logistic_options& options = {}) : m_options(options)
    {
        if (!(options.c > 0) || options.max_iterations <= 0 || options.history <= 0) {
            raise("learn.logistic_regression", "settings: got C ", options.c, ", max iterations ",
                  options.max_iterations, ", expected C > 0 and positive counts.");
        }
    }

    /// Fits on `x` (n × p, finite) and 0/1 `labels`. Returns true when the gradient test converged.
    bool fit(const matrix<double>& x, const std::vector<int>& labels)
    {
        const std::string where = "learn.logistic_regression.fit";
        if (static_cast<index>(labels.size()) != x.rows() || x.rows() == 0) {
            raise(where, "labels: got ", labels.size(), " for ", x.rows(), " rows, expected the same non-zero count.");
        }
        if (!x.allFinite()) {
            raise(where, "features: got NaN or Inf, expected finite values. Impute first.");
        }
        vector<double> sign(x.rows());
        for (index i = 0; i < x.rows(); ++i) {
            const int y = labels[static_cast<std::size_t>(i)];
            if (y != 0 && y != 1) {
                raise(where, "label ", i, ": got ", y, ", expected 0 or 1.");
            }
            sign(i) = y == 1 ? 1.0 : -1.0;
        }
        const index p = x.cols();
        vector<double> theta = vector<double>::Zero(p + 1);  // [w; b]
        vector<double> grad(p + 1);
        double f = objective(x, sign, theta, grad);
        std::deque<vector<double>> s_list;
        std::deque<vector<double>> y_list;
        m_converged = false;
        m_iterations = 0;
        for (int it = 0; it < m_options.max_iterations; ++it) {
            if (grad.cwiseAbs().maxCoeff() < m_options.tolerance * std::max(1.0, std::abs(f))) {
                m_converged = true;
                break;
            }
            // two-loop recursion
            vector<double> q = grad;
            std::vector<double> alpha(s_list.size());
            for (std::size_t k = s_list.size(); k-- > 0;) {
                alpha[k] = s_list[k].dot(q) / y_list[k].dot(s_list[k]);
                q -= alpha[k] * y_list[k];
            }
            if (!s_list.empty()) {
                q *= s_list.back().dot(y_list.back()) / y_list.back().squaredNorm();
            } else {
                q /= std::max(1.0, grad.norm());
            }
            for (std::size_t k = 0; k < s_list.size(); ++k) {
                const double beta = y_list[k].dot(q) / y_list[k].dot(s_list[k]);
                q += (alpha[k] - beta) * s_list[k];
            }
            vector<double> direction = -q;
            double slope = grad.dot(direction);
            if (slope >= 0) {  // not a descent direction: restart with steepest descent
                s_list.clear();
                y_list.clear();
                direction = -grad / std::max(1.0, grad.norm());
                slope = grad.dot(direction);
            }
            double step = 1.0;
            vector<double> next_grad(p + 1);
            vector<double> next = theta + step * direction;
            double next_f = objective(x, sign, next, next_grad);
            int backtracks = 0;
            while (!(next_f <= f + 1e-4 * step * slope) && backtracks < 60) {
                step *= 0.5;
                next = theta + step * direction;
                next_f = objective(x, sign, next, next_grad);
                ++backtracks;
            }
            if (backtracks == 60) {
                break;  // no progress possible at double precision
            }
            vector<double> s = next - theta;
            vector<double> y = next_grad - grad;
            if (s.dot(y) > 1e-300) {
                s_list.push_back(s);
                y_list.push_back(y);
                if (static_cast<int>(s_list.size()) > m_options.history) {
                    s_list.pop_front();
                    y_list.pop_front();
                }
            }
            theta = next;
            grad = next_grad;
            f = next_f;
            m_iterations = it + 1;
        }
        if (!m_converged && grad.cwiseAbs().maxCoeff() < m_options.tolerance * std::max(1.0, std::abs(f))) {
            m_converged = true;
        }
        m_coefficients = theta.head(p);
        m_intercept = theta(p);
        return m_converged;
    }

    /// Fits on float rows: the same fit as for the same values as double.
    bool fit(const matrix<float>& x, const std::vector<int>& labels)
    {
        return fit(matrix<double>(x.cast<double>()), labels);
    }

    /// P(class 1) for each float row of `x` (computed in double).
    std::vector<double> predict_probability(const matrix<float>& x) const
    {
        return predict_probability(matrix<double>(x.cast<double>()));
    }

    /// P(class 1) for each row of `x`.
    std::vector<double> predict_probability(const matrix<double>& x) const
    {
        if (x.cols() != m_coefficients.size()) {
            raise("learn.logistic_regression.predict_probability", "input width: got ", x.cols(), ", expected ",
                  m_coefficients.size(), ". Fit first.");
        }
        const vector<double> z = (x * m_coefficients).array() + m_intercept;
        std::vector<double> out(static_cast<std::size_t>(x.rows()));
        for (index i = 0; i < x.rows(); ++i) {
            out[static_cast<std::size_t>(i)] = 1.0 / (1.0 + std::exp(-z(i)));
        }
        return out;
    }

    const vector<double>& coefficients() const { return m_coefficients; }
    double intercept() const { return m_intercept; }
    bool converged() const { return m_converged; }
    int iterations() const { return m_iterations; }

private:
    /// Objective and gradient at `theta` = [w; b]; \f$\log(1+e^{-t})\f$ evaluated stably.
    double objective(const matrix<double>& x, const vector<double>& sign, const vector<double>& theta,
                     vector<double>& grad) const
    {
        const index p = x.cols();
        const vector<double> margin = sign.cwiseProduct((x * theta.head(p)).array().matrix() +
                                                        vector<double>::Constant(x.rows(), theta(p)));
        double loss = 0.0;
        vector<double> coef(x.rows());
        for (index i = 0; i < x.rows(); ++i) {
            const double t = margin(i);
            loss += t > 0 ? std::log1p(std::exp(-t)) : -t + std::log1p(std::exp(t));
            const double sigma_neg = t > 0 ? std::exp(-t) / (1.0 + std::exp(-t)) : 1.0 / (1.0 + std::exp(t));
            coef(i) = -m_options.c * sign(i) * sigma_neg;
        }
        grad.head(p) = x.transpose() * coef + theta.head(p);
        grad(p) = coef.sum();
        return 0.5 * theta.head(p).squaredNorm() + m_options.c * loss;
    }

    logistic_options m_options;
    vector<double> m_coefficients;
    double m_intercept = 0.0;
    bool m_converged = false;
    int m_iterations = 0;
};

}  // namespace radiogenomics::learn
