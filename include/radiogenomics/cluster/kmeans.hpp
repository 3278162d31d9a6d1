#pragma once
/// \file kmeans.hpp
/// \brief k-means (Lloyd's algorithm) with greedy k-means++ initialisation and seeded restarts.
///
/// Minimises the inertia \f$ \sum_i \|x_i - c_{\ell_i}\|^2 \f$. Initialisation is scikit-learn's
/// greedy k-means++ (Arthur & Vassilvitskii, SODA 2007, with \f$2 + \lfloor\ln K\rfloor\f$ local trials
/// per centre); the run stops when labels no longer change or the total squared centre shift falls
/// below `tolerance` × mean feature variance (scikit-learn's rule). Empty clusters are re-seeded with
/// the point farthest from its centre. The run with the lowest inertia among `n_init` restarts wins
/// (first on ties). Restart r uses the engine seeded with `derive_seed(seed, r)`; the assignment
/// step is parallel over points and centre sums are accumulated in point order, so results do not
/// depend on the thread count. Random draws follow our portable `random.hpp`, so results match
/// scikit-learn only in distribution, not number for number.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"

namespace radiogenomics::cluster {

/// Options of `kmeans` (defaults as scikit-learn's `KMeans` where it has one).
struct kmeans_options {
    std::size_t n_init = 10;           ///< restarts (scikit-learn `n_init`, its pre-1.4 default 10)
    std::size_t max_iterations = 300;  ///< Lloyd iterations per restart (`max_iter`)
    double tolerance = 1e-4;           ///< relative centre-shift tolerance (`tol`)
    std::uint64_t seed = 0;            ///< seed of the portable engine
};

/// Result of `kmeans`.
struct kmeans_result {
    std::vector<int> labels;   ///< 0-based cluster of each row
    Eigen::MatrixXd centers;   ///< K × d
    double inertia = 0.0;      ///< sum of squared distances to the assigned centre
    std::size_t iterations = 0;  ///< Lloyd iterations of the winning restart
    bool converged = false;    ///< whether the winning restart met the stopping rule
};

namespace detail {

inline double squared_distance(const double* a, const double* b, std::size_t dims)
{
    double sum = 0.0;
    for (std::size_t k = 0; k < dims; ++k) {
        const double diff = a[k] - b[k];
        sum += diff * diff;
    }
    return sum;
}

using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Greedy k-means++ seeding (scikit-learn `_kmeans_plusplus`).
inline row_matrix kmeans_plus_plus(const row_matrix& x, std::size_t k, random_engine& engine)
{
    const auto n = static_cast<std::size_t>(x.rows());
    const auto dims = static_cast<std::size_t>(x.cols());
    row_matrix centers(static_cast<Eigen::Index>(k), x.cols());
    const std::size_t trials = 2 + static_cast<std::size_t>(std::log(static_cast<double>(k)));
    const std::size_t first = static_cast<std::size_t>(uniform_index(engine, n));
    centers.row(0) = x.row(static_cast<Eigen::Index>(first));
    std::vector<double> closest(n);
    double potential = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        closest[i] = squared_distance(x.data() + i * dims, centers.data(), dims);
        potential += closest[i];
    }
    std::vector<double> candidate_distance(n);
    std::vector<double> best_distance(n);
    for (std::size_t c = 1; c < k; ++c) {
        std::vector<double> cumulative(n);
        double running = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            running += closest[i];
            cumulative[i] = running;
        }
        double best_potential = std::numeric_limits<double>::infinity();
        std::size_t best_candidate = 0;
        for (std::size_t t = 0; t < trials; ++t) {
            const double target = uniform01(engine) * potential;
            // searchsorted (left): first index with cumulative >= target, clipped to n−1.
            std::size_t lo = 0;
            std::size_t hi = n;
            while (lo < hi) {
                const std::size_t mid = (lo + hi) / 2;
                if (cumulative[mid] < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            const std::size_t candidate = lo < n ? lo : n - 1;
            double candidate_potential = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                candidate_distance[i] = std::min(
                    closest[i], squared_distance(x.data() + i * dims, x.data() + candidate * dims, dims));
                candidate_potential += candidate_distance[i];
            }
            if (candidate_potential < best_potential) {
                best_potential = candidate_potential;
                best_candidate = candidate;
                best_distance.swap(candidate_distance);
            }
        }
        centers.row(static_cast<Eigen::Index>(c)) = x.row(static_cast<Eigen::Index>(best_candidate));
        closest.swap(best_distance);
        potential = best_potential;
    }
    return centers;
}

/// Assigns each row to its nearest centre (lowest index on ties); returns the inertia.
inline double assign(const row_matrix& x, const row_matrix& centers, std::vector<int>& labels,
                     std::vector<double>& distance)
{
    const auto n = static_cast<std::int64_t>(x.rows());
    const auto dims = static_cast<std::size_t>(x.cols());
    const auto k = static_cast<std::size_t>(centers.rows());
    RG_PARALLEL_FOR
    for (std::int64_t i = 0; i < n; ++i) {
        const double* point = x.data() + static_cast<std::size_t>(i) * dims;
        double best = std::numeric_limits<double>::infinity();
        int best_c = 0;
        for (std::size_t c = 0; c < k; ++c) {
            const double d = squared_distance(point, centers.data() + c * dims, dims);
            if (d < best) {
                best = d;
                best_c = static_cast<int>(c);
            }
        }
        labels[static_cast<std::size_t>(i)] = best_c;
        distance[static_cast<std::size_t>(i)] = best;
    }
    double inertia = 0.0;
    for (const double d : distance) {
        inertia += d;
    }
    return inertia;
}

}  // namespace detail

/// \brief k-means clustering of the rows of `x` into `k` clusters.
/// \throws invalid_argument for k < 1, k > n, n_init < 1, an empty matrix or non-finite values.
template <class TDerived>
kmeans_result kmeans(const Eigen::MatrixBase<TDerived>& x_in, std::size_t k, const kmeans_options& options = {})
{
    const char* where = "cluster.kmeans";
    const auto n = static_cast<std::size_t>(x_in.rows());
    if (n == 0 || x_in.cols() == 0) {
        raise(where, "data shape: got ", x_in.rows(), "x", x_in.cols(), ", expected at least one row and column.");
    }
    if (k < 1 || k > n) {
        raise(where, "number of clusters k: got ", k, ", expected 1 <= k <= n_samples = ", n, ".");
    }
    if (options.n_init < 1) {
        raise(where, "n_init: got 0, expected at least 1.");
    }
    const detail::row_matrix x = x_in.template cast<double>();
    if (!x.allFinite()) {
        raise(where, "data: got a NaN or infinite value, expected finite values. Remove or impute those rows.");
    }
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const double mean_variance = (x.rowwise() - mean).array().square().colwise().mean().mean();
    const double tolerance = options.tolerance * mean_variance;

    kmeans_result best;
    best.inertia = std::numeric_limits<double>::infinity();
    std::vector<int> labels(n);
    std::vector<double> distance(n);
    for (std::size_t run = 0; run < options.n_init; ++run) {
        random_engine engine(derive_seed(options.seed, run));
        detail::row_matrix centers = detail::kmeans_plus_plus(x, k, engine);
        std::vector<int> previous(n, -1);
        double inertia = detail::assign(x, centers, labels, distance);
        std::size_t iteration = 0;
        bool converged = false;
        while (iteration < options.max_iterations) {
            ++iteration;
            // Update step: means of the assigned points, summed in row order.
            detail::row_matrix sums = detail::row_matrix::Zero(static_cast<Eigen::Index>(k), x.cols());
            std::vector<std::size_t> counts(k, 0);
            for (std::size_t i = 0; i < n; ++i) {
                sums.row(labels[i]) += x.row(static_cast<Eigen::Index>(i));
                ++counts[static_cast<std::size_t>(labels[i])];
            }
            for (std::size_t c = 0; c < k; ++c) {
                if (counts[c] == 0) {
                    // Empty cluster: move it to the point farthest from its centre (lowest index on ties).
                    std::size_t far = 0;
                    for (std::size_t i = 1; i < n; ++i) {
                        if (distance[i] > distance[far]) {
                            far = i;
                        }
                    }
                    sums.row(static_cast<Eigen::Index>(c)) = x.row(static_cast<Eigen::Index>(far));
                    counts[c] = 1;
                    distance[far] = 0.0;
                }
            }
            double shift = 0.0;
            for (std::size_t c = 0; c < k; ++c) {
                const auto ci = static_cast<Eigen::Index>(c);
                const Eigen::RowVectorXd updated = sums.row(ci) / static_cast<double>(counts[c]);
                shift += (updated - centers.row(ci)).squaredNorm();
                centers.row(ci) = updated;
            }
            previous = labels;
            inertia = detail::assign(x, centers, labels, distance);
            if (labels == previous) {
                converged = true;
                break;
            }
            if (shift <= tolerance) {
                converged = true;
                break;
            }
        }
        if (inertia < best.inertia) {
            best.inertia = inertia;
            best.labels = labels;
            best.centers = centers;
            best.iterations = iteration;
            best.converged = converged;
        }
    }
    return best;
}

}  // namespace radiogenomics::cluster
