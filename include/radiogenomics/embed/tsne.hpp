#pragma once
/// \file tsne.hpp
/// \brief t-distributed stochastic neighbour embedding (t-SNE), exact and Barnes–Hut, following
/// scikit-learn 1.2's `sklearn.manifold.TSNE` step by step.
///
/// \par Algorithm
/// 1. Input affinities. For each row i a Gaussian precision \f$\beta_i\f$ is found by bisection so
///    that the conditional distribution \f$p_{j|i} \propto \exp(-\beta_i \|x_i - x_j\|^2)\f$ has
///    perplexity \f$2^{H(P_i)}\f$ equal to `perplexity` (entropy tolerance 1e-5, at most 100 steps;
///    scikit-learn `_binary_search_perplexity`). Exact: over all j; Barnes–Hut: over the
///    \f$\lfloor 3\,\mathrm{perplexity} + 1\rfloor\f$ nearest neighbours. Then
///    \f$P = (P_{cond} + P_{cond}^T) / \sum\f$ (exact additionally floors entries at machine epsilon).
/// 2. Output similarities \f$q_{ij} = (1 + \|y_i - y_j\|^2)^{-1} / Z\f$, Z the sum over all pairs
///    (Student t with one degree of freedom).
/// 3. Gradient \f$ \partial C/\partial y_i = 4 \sum_j (p_{ij} - q_{ij}) (1 + \|y_i-y_j\|^2)^{-1} (y_i - y_j)\f$;
///    Barnes–Hut splits it into attractive terms over the sparse P and repulsive terms from a
///    quadtree with the criterion \f$ w_{cell}/\|y_i - y_{cell}\| < \theta \f$.
/// 4. Gradient descent with momentum and gains (gain += 0.2 when the update and the gradient have
///    opposite signs, else × 0.8, floored at 0.01): `exaggeration_iterations` steps with P × 12 and
///    momentum 0.5, then momentum 0.8 until `iterations` (update and gains reset between the phases,
///    as in scikit-learn). Every 50 steps the KL divergence is evaluated; a phase stops early when it
///    did not improve for `iterations_without_progress` steps or the gradient norm falls below
///    `min_gradient_norm`.
/// 5. KL divergence \f$ \sum_{ij} p_{ij} \log(p_{ij}/q_{ij}) \f$ of the final embedding (evaluated, as in
///    scikit-learn, at the last iteration before its update).
///
/// \par Initialisation
/// `pca`: the first principal components scaled as scikit-learn does, \f$Y = Y_{pca} / \mathrm{sd}(Y_{pca,1})
/// \cdot 10^{-4}\f$, each component's sign chosen so that its largest-magnitude score is positive;
/// `random`: \f$10^{-4}\f$ × standard normal deviates from the seeded portable engine.
///
/// \par Determinism
/// Every per-point quantity (affinity row, neighbour list, gradient) is computed into its own slot;
/// sums over points are added in index order. The result is bit-identical for any thread count.
///
/// \par Degenerate input (documented choices)
/// - n < 2, no columns, or NaN/inf values: `invalid_argument`.
/// - n < 3·perplexity + 1: scikit-learn raises when perplexity >= n; we instead clamp the perplexity
///   to (n − 1)/3, report it in `tsne_result::perplexity` and log a warning through `options.log`.
/// - Zero-variance input (PCA scale 0): falls back to random initialisation with a warning.
/// - Duplicate points are allowed (distance 0; they share a quadtree leaf).
///
/// References: L. van der Maaten & G. Hinton, JMLR 9 (2008); L. van der Maaten, JMLR 15 (2014);
/// scikit-learn 1.2 `sklearn/manifold/_t_sne.py`, `_utils.pyx`, `_barnes_hut_tsne.pyx`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/embed/detail/nearest_neighbors.hpp"
#include "radiogenomics/embed/detail/quad_tree.hpp"


namespace radiogenomics::embed {

/// Gradient computation.
enum class tsne_method {
    exact,      ///< O(n²) per iteration; any output dimension
    barnes_hut  ///< O(n log n) per iteration; 2-D output only
};

/// Initial embedding.
enum class tsne_init {
    pca,    ///< principal components, scaled to sd 1e-4 (scikit-learn's default since 1.2)
    random  ///< 1e-4 × N(0, 1)
};

/// Options of `tsne`; defaults are scikit-learn 1.2's `TSNE` defaults.
struct tsne_options {
    std::size_t dimensions = 2;                ///< output dimension (`n_components`); Barnes–Hut needs 2
    double perplexity = 30.0;                  ///< effective number of neighbours (`perplexity`)
    std::size_t iterations = 1000;             ///< total iterations incl. exaggeration (`n_iter`, >= 250)
    double early_exaggeration = 12.0;          ///< P multiplier in the first phase (`early_exaggeration`)
    std::size_t exaggeration_iterations = 250; ///< length of the first phase (scikit-learn's fixed 250)
    double learning_rate = 0.0;                ///< <= 0 means 'auto': max(n / early_exaggeration / 4, 50)
    double theta = 0.5;                        ///< Barnes–Hut opening angle (`angle`)
    tsne_method method = tsne_method::barnes_hut;  ///< `method`
    tsne_init init = tsne_init::pca;           ///< `init`
    std::uint64_t seed = 0;                    ///< seed for random initialisation
    double min_gradient_norm = 1e-7;           ///< `min_grad_norm`
    std::size_t iterations_without_progress = 300;  ///< `n_iter_without_progress` (second phase)
    std::size_t parallel_threshold = 1000;     ///< run the per-iteration loops in parallel from this n on
    std::function<void(const std::string&)> log;    ///< optional progress/warning sink (e.g. stderr)
};

/// Result of `tsne`.
struct tsne_result {
    Eigen::MatrixXd embedding;        ///< n × dimensions
    double kl_divergence = 0.0;       ///< KL(P‖Q) at the last evaluated iteration (`kl_divergence_`)
    std::size_t iterations = 0;       ///< index of the last iteration run (`n_iter_`)
    double perplexity = 0.0;          ///< perplexity actually used (after clamping)
    double learning_rate = 0.0;       ///< learning rate actually used
    std::vector<std::string> warnings;  ///< clamping / fallback notes
};

namespace detail {

constexpr double machine_epsilon = 2.220446049250313e-16;  // np.finfo(np.double).eps
constexpr double float32_tiny = 1.1754943508222875e-38;    // np.finfo(np.float32).tiny (Barnes-Hut KL floor)

/// Bisection for one row: fills `p` (length m) with the conditional probabilities for `d2`.
inline void perplexity_row(const double* d2, std::size_t m, double desired_entropy, double* p,
                           std::ptrdiff_t skip)
{
    constexpr int steps = 100;
    constexpr double tolerance = 1e-5;
    double beta_min = -std::numeric_limits<double>::infinity();
    double beta_max = std::numeric_limits<double>::infinity();
    double beta = 1.0;
    for (int step = 0; step < steps; ++step) {
        double sum_p = 0.0;
        for (std::size_t j = 0; j < m; ++j) {
            if (static_cast<std::ptrdiff_t>(j) == skip) {
                p[j] = 0.0;
                continue;
            }
            p[j] = std::exp(-d2[j] * beta);
            sum_p += p[j];
        }
        if (sum_p == 0.0) {
            sum_p = 1e-8;
        }
        double sum_dp = 0.0;
        for (std::size_t j = 0; j < m; ++j) {
            p[j] /= sum_p;
            sum_dp += d2[j] * p[j];
        }
        const double entropy = std::log(sum_p) + beta * sum_dp;
        const double difference = entropy - desired_entropy;
        if (std::abs(difference) <= tolerance) {
            break;
        }
        if (difference > 0.0) {
            beta_min = beta;
            beta = beta_max == std::numeric_limits<double>::infinity() ? beta * 2.0 : (beta + beta_max) / 2.0;
        } else {
            beta_max = beta;
            beta = beta_min == -std::numeric_limits<double>::infinity() ? beta / 2.0 : (beta + beta_min) / 2.0;
        }
    }
}

/// Sparse symmetric P in compressed rows (row i: columns col[row_start[i]..row_start[i+1]) ).
struct sparse_p {
    std::vector<std::size_t> row_start;
    std::vector<std::uint32_t> col;
    std::vector<double> value;
};

/// P for Barnes–Hut: conditional P over k neighbours, symmetrised and normalised.
inline sparse_p neighbor_affinities(const row_matrix& x, double perplexity, std::size_t k)
{
    const auto n = static_cast<std::size_t>(x.rows());
    const neighbor_graph graph = k_nearest_neighbors(x, k);
    std::vector<double> conditional(n * k);
    const double desired = std::log(perplexity);
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR
    for (std::int64_t i = 0; i < n_signed; ++i) {
        const auto row = static_cast<std::size_t>(i) * k;
        perplexity_row(graph.squared_distance.data() + row, k, desired, conditional.data() + row, -1);
    }
    // Symmetrise: P_ij = c_ij + c_ji. Collect (i, j, value) for both directions, merge duplicates.
    std::vector<std::size_t> counts(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t m = 0; m < k; ++m) {
            ++counts[i + 1];
            ++counts[static_cast<std::size_t>(graph.index[i * k + m]) + 1];
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        counts[i + 1] += counts[i];
    }
    std::vector<std::pair<std::uint32_t, double>> entries(counts[n]);
    std::vector<std::size_t> fill(counts.begin(), counts.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t m = 0; m < k; ++m) {
            const std::uint32_t j = graph.index[i * k + m];
            const double c = conditional[i * k + m];
            entries[fill[i]++] = {j, c};
            entries[fill[j]++] = {static_cast<std::uint32_t>(i), c};
        }
    }
    sparse_p p;
    p.row_start.assign(n + 1, 0);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        auto first = entries.begin() + static_cast<std::ptrdiff_t>(counts[i]);
        auto last = entries.begin() + static_cast<std::ptrdiff_t>(counts[i + 1]);
        std::stable_sort(first, last, [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto it = first; it != last;) {
            const std::uint32_t j = it->first;
            double v = 0.0;
            for (; it != last && it->first == j; ++it) {
                v += it->second;
            }
            p.col.push_back(j);
            p.value.push_back(v);
            total += v;
        }
        p.row_start[i + 1] = p.col.size();
    }
    total = std::max(total, machine_epsilon);
    for (double& v : p.value) {
        v /= total;
    }
    return p;
}

/// Dense P for the exact method (n × n, row-major, zero diagonal).
inline std::vector<double> dense_affinities(const row_matrix& x, double perplexity)
{
    const auto n = static_cast<std::size_t>(x.rows());
    const auto dims = static_cast<std::size_t>(x.cols());
    std::vector<double> d2(n * n, 0.0);
    std::vector<double> conditional(n * n, 0.0);
    const double desired = std::log(perplexity);
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        for (std::size_t j = 0; j < n; ++j) {
            double sum = 0.0;
            for (std::size_t d = 0; d < dims; ++d) {
                const double diff = x.data()[i * dims + d] - x.data()[j * dims + d];
                sum += diff * diff;
            }
            d2[i * n + j] = sum;
        }
        perplexity_row(d2.data() + i * n, n, desired, conditional.data() + i * n, static_cast<std::ptrdiff_t>(i));
    }
    std::vector<double> p(n * n, 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            p[i * n + j] = conditional[i * n + j] + conditional[j * n + i];
            total += p[i * n + j];
        }
    }
    total = std::max(total, machine_epsilon);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            p[i * n + j] = i == j ? 0.0 : std::max(p[i * n + j] / total, machine_epsilon);
        }
    }
    return p;
}

/// Exact objective: gradient into `grad`; KL (if requested) returned.
inline double exact_gradient(const std::vector<double>& p, const std::vector<double>& y, std::size_t n,
                             std::size_t dims, double exaggeration, bool compute_error, std::vector<double>& grad,
                             bool parallel)
{
    // Row sums of the Student-t kernel, then Z in index order.
    std::vector<double> row_sum(n, 0.0);
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR_IF(parallel)
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        double s = 0.0;
        for (std::size_t j = 0; j < n; ++j) {
            if (j == i) {
                continue;
            }
            double d2 = 0.0;
            for (std::size_t d = 0; d < dims; ++d) {
                const double diff = y[i * dims + d] - y[j * dims + d];
                d2 += diff * diff;
            }
            s += 1.0 / (1.0 + d2);
        }
        row_sum[i] = s;
    }
    double z = 0.0;
    for (const double s : row_sum) {
        z += s;
    }
    std::vector<double> row_error(n, 0.0);
    RG_PARALLEL_FOR_IF(parallel)
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        double error = 0.0;
        for (std::size_t d = 0; d < dims; ++d) {
            grad[i * dims + d] = 0.0;
        }
        for (std::size_t j = 0; j < n; ++j) {
            if (j == i) {
                continue;
            }
            double d2 = 0.0;
            for (std::size_t d = 0; d < dims; ++d) {
                const double diff = y[i * dims + d] - y[j * dims + d];
                d2 += diff * diff;
            }
            const double kernel = 1.0 / (1.0 + d2);
            const double q = std::max(kernel / z, machine_epsilon);
            const double pij = exaggeration * p[i * n + j];
            const double mult = (pij - q) * kernel;
            for (std::size_t d = 0; d < dims; ++d) {
                grad[i * dims + d] += mult * (y[i * dims + d] - y[j * dims + d]);
            }
            if (compute_error) {
                error += pij * std::log(std::max(pij, machine_epsilon) / q);
            }
        }
        for (std::size_t d = 0; d < dims; ++d) {
            grad[i * dims + d] *= 4.0;
        }
        row_error[i] = error;
    }
    double kl = 0.0;
    for (const double e : row_error) {
        kl += e;
    }
    return kl;
}

/// Barnes–Hut objective (2-D).
inline double barnes_hut_gradient(const sparse_p& p, const std::vector<double>& y, std::size_t n, double theta,
                                  double exaggeration, bool compute_error, std::vector<double>& grad, bool parallel)
{
    const quad_tree tree(y);
    std::vector<double> sum_q(n, 0.0);
    std::vector<double> negative(2 * n, 0.0);
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR_DYNAMIC_IF(64, parallel)
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        double force[2] = {0.0, 0.0};
        sum_q[i] = tree.repulsion(i, theta, force);
        negative[2 * i] = force[0];
        negative[2 * i + 1] = force[1];
    }
    double z = 0.0;
    for (const double s : sum_q) {
        z += s;
    }
    std::vector<double> row_error(n, 0.0);
    RG_PARALLEL_FOR_IF(parallel)
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        double fx = 0.0;
        double fy = 0.0;
        double error = 0.0;
        for (std::size_t e = p.row_start[i]; e < p.row_start[i + 1]; ++e) {
            const std::size_t j = p.col[e];
            const double dx = y[2 * i] - y[2 * j];
            const double dy = y[2 * i + 1] - y[2 * j + 1];
            const double kernel = 1.0 / (1.0 + dx * dx + dy * dy);
            const double pij = exaggeration * p.value[e];
            const double m = pij * kernel;
            fx += m * dx;
            fy += m * dy;
            if (compute_error) {
                error += pij * std::log(std::max(pij, float32_tiny) / std::max(kernel / z, float32_tiny));
            }
        }
        grad[2 * i] = 4.0 * (fx - negative[2 * i] / z);
        grad[2 * i + 1] = 4.0 * (fy - negative[2 * i + 1] / z);
        row_error[i] = error;
    }
    double kl = 0.0;
    for (const double e : row_error) {
        kl += e;
    }
    return kl;
}

/// PCA scores of the centred data on the top `dims` components (largest |score| positive per column).
inline Eigen::MatrixXd pca_scores(const row_matrix& x, std::size_t dims)
{
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    // Coefficient-wise product: Eigen's blocked GEMM picks its blocking from the thread count, which
    // would change the rounding (and the embedding) with the number of threads.
    const Eigen::MatrixXd covariance = centred.transpose().lazyProduct(centred);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const Eigen::Index d = x.cols();
    Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(x.rows(), static_cast<Eigen::Index>(dims));
    for (std::size_t c = 0; c < dims && static_cast<Eigen::Index>(c) < d; ++c) {
        const Eigen::VectorXd v = solver.eigenvectors().col(d - 1 - static_cast<Eigen::Index>(c));
        scores.col(static_cast<Eigen::Index>(c)) = centred * v;
        Eigen::Index arg = 0;
        scores.col(static_cast<Eigen::Index>(c)).cwiseAbs().maxCoeff(&arg);
        if (scores(arg, static_cast<Eigen::Index>(c)) < 0.0) {
            scores.col(static_cast<Eigen::Index>(c)) *= -1.0;
        }
    }
    return scores;
}

inline void emit(const tsne_options& options, tsne_result& result, const std::string& message, bool warning)
{
    if (warning) {
        result.warnings.push_back(message);
    }
    if (options.log) {
        options.log(message);
    }
}

}  // namespace detail

/// \brief Embeds the rows of `x` with t-SNE (see the file documentation for the algorithm and the
/// degenerate-input rules).
/// \throws invalid_argument for n < 2, no columns, NaN/inf values, bad options.
template <class TDerived>
tsne_result tsne(const Eigen::MatrixBase<TDerived>& x_in, const tsne_options& options = {})
{
    const char* where = "embed.tsne";
    const auto n = static_cast<std::size_t>(x_in.rows());
    if (n < 2 || x_in.cols() < 1) {
        raise(where, "data shape: got ", x_in.rows(), "x", x_in.cols(),
              ", expected at least 2 rows and 1 column. A single point has no neighbourhood to embed.");
    }
    if (options.dimensions < 1) {
        raise(where, "dimensions: got 0, expected at least 1.");
    }
    if (options.method == tsne_method::barnes_hut && options.dimensions != 2) {
        raise(where, "dimensions: got ", options.dimensions, ", expected 2 for Barnes-Hut. Use the exact method.");
    }
    if (!(options.perplexity > 0.0) || !std::isfinite(options.perplexity)) {
        raise(where, "perplexity: got ", options.perplexity, ", expected a finite value > 0.");
    }
    if (options.iterations < options.exaggeration_iterations) {
        raise(where, "iterations: got ", options.iterations, ", expected at least exaggeration_iterations = ",
              options.exaggeration_iterations, ".");
    }
    if (!(options.theta >= 0.0) || !(options.early_exaggeration > 0.0)) {
        raise(where, "theta / early_exaggeration: got ", options.theta, " / ", options.early_exaggeration,
              ", expected theta >= 0 and early_exaggeration > 0.");
    }
    const detail::row_matrix x = x_in.template cast<double>();
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        if (!x.row(r).allFinite()) {
            raise(where, "row ", r, ": got a NaN or infinite value, expected finite values. Remove or impute it.");
        }
    }
    tsne_result result;
    const std::size_t dims = options.dimensions;
    double perplexity = options.perplexity;
    if (static_cast<double>(n) < 3.0 * perplexity + 1.0) {
        perplexity = static_cast<double>(n - 1) / 3.0;
        std::ostringstream text;
        text.precision(6);
        text << "warning: perplexity " << options.perplexity << " needs at least 3*perplexity+1 = "
             << 3.0 * options.perplexity + 1.0 << " points, got " << n << "; using perplexity " << perplexity;
        detail::emit(options, result, text.str(), true);
    }
    result.perplexity = perplexity;
    result.learning_rate = options.learning_rate > 0.0
                               ? options.learning_rate
                               : std::max(static_cast<double>(n) / options.early_exaggeration / 4.0, 50.0);

    // --- affinities
    const bool exact = options.method == tsne_method::exact;
    std::vector<double> dense_p;
    detail::sparse_p sparse;
    if (exact) {
        dense_p = detail::dense_affinities(x, perplexity);
    } else {
        const std::size_t k = std::min(n - 1, static_cast<std::size_t>(3.0 * perplexity + 1.0));
        sparse = detail::neighbor_affinities(x, perplexity, k);
    }
    if (options.log) {
        options.log("t-SNE: affinities computed for " + std::to_string(n) + " points");
    }

    // --- initial embedding
    std::vector<double> y(n * dims, 0.0);
    bool use_random = options.init == tsne_init::random;
    if (!use_random) {
        const Eigen::MatrixXd scores = detail::pca_scores(x, dims);
        const double mean0 = scores.col(0).mean();
        const double sd0 = std::sqrt((scores.col(0).array() - mean0).square().mean());
        if (!(sd0 > 0.0) || !std::isfinite(sd0)) {
            detail::emit(options, result, "warning: zero-variance data, PCA initialisation undefined; using random", true);
            use_random = true;
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t d = 0; d < dims; ++d) {
                    y[i * dims + d] =
                        scores(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) / sd0 * 1e-4;
                }
            }
        }
    }
    if (use_random) {
        random_engine engine(options.seed);
        for (double& v : y) {
            v = 1e-4 * standard_normal(engine);
        }
    }

    // --- optimisation (scikit-learn `_gradient_descent`, two phases)
    std::vector<double> grad(n * dims, 0.0);
    const bool parallel = n >= options.parallel_threshold;
    auto objective = [&](double exaggeration, bool compute_error) {
        return exact ? detail::exact_gradient(dense_p, y, n, dims, exaggeration, compute_error, grad, parallel)
                     : detail::barnes_hut_gradient(sparse, y, n, options.theta, exaggeration, compute_error, grad,
                                                     parallel);
    };
    std::size_t iteration = 0;
    double error = std::numeric_limits<double>::max();
    auto run_phase = [&](std::size_t first, std::size_t last, double momentum, double exaggeration,
                         std::size_t without_progress) {
        std::vector<double> update(n * dims, 0.0);
        std::vector<double> gains(n * dims, 1.0);
        double best_error = std::numeric_limits<double>::max();
        std::size_t best_iteration = first;
        std::size_t i = first;
        for (; i < last; ++i) {
            const bool check = (i + 1) % 50 == 0;
            const bool compute_error = check || i + 1 == last;
            const double e = objective(exaggeration, compute_error);
            if (compute_error) {
                error = e;
            }
            double norm_sq = 0.0;
            for (std::size_t t = 0; t < y.size(); ++t) {
                if (update[t] * grad[t] < 0.0) {
                    gains[t] += 0.2;
                } else {
                    gains[t] *= 0.8;
                }
                gains[t] = std::max(gains[t], 0.01);
                grad[t] *= gains[t];
                norm_sq += grad[t] * grad[t];
                update[t] = momentum * update[t] - result.learning_rate * grad[t];
                y[t] += update[t];
            }
            if (check) {
                if (options.log) {
                    std::ostringstream text;
                    text << "t-SNE iteration " << i + 1 << ": KL divergence " << e;
                    options.log(text.str());
                }
                if (e < best_error) {
                    best_error = e;
                    best_iteration = i;
                } else if (i - best_iteration > without_progress) {
                    break;
                }
                if (std::sqrt(norm_sq) <= options.min_gradient_norm) {
                    break;
                }
            }
        }
        return std::min(i, last - 1);
    };
    const std::size_t phase1_end = options.exaggeration_iterations;
    if (phase1_end > 0) {
        iteration = run_phase(0, phase1_end, 0.5, options.early_exaggeration, phase1_end);
    }
    if (options.iterations > phase1_end || iteration + 1 < phase1_end) {
        const std::size_t start = phase1_end > 0 ? iteration + 1 : 0;
        if (start < options.iterations) {
            iteration = run_phase(start, options.iterations, 0.8, 1.0, options.iterations_without_progress);
        }
    }
    result.iterations = iteration;
    result.kl_divergence = error;
    result.embedding.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dims));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t d = 0; d < dims; ++d) {
            result.embedding(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d)) = y[i * dims + d];
        }
    }
    return result;
}

}  // namespace radiogenomics::embed
