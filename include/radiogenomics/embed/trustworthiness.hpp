#pragma once
/// \file trustworthiness.hpp
/// \brief Trustworthiness of an embedding (scikit-learn `sklearn.manifold.trustworthiness`).
///
/// \f[ T(k) = 1 - \frac{2}{n k (2n - 3k - 1)} \sum_{i=1}^{n} \sum_{j \in N_i^{k}} \max(0, r(i, j) - k) \f]
/// where \f$N_i^k\f$ are the k nearest neighbours of i in the embedding and r(i, j) is the rank of j
/// among i's neighbours in the input space (1 = nearest). Euclidean distances in both spaces; ties are
/// ranked by index (scikit-learn's `argsort` leaves their order unspecified, so with exactly tied
/// distances the two may differ slightly). Reference: J. Venna & S. Kaski, ICANN 2001;
/// scikit-learn 1.2 `sklearn/manifold/_t_sne.py`.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::embed {

namespace detail {

/// Squared Euclidean distances from row i to every row, summed in feature order.
template <class TMatrix>
void squared_distances_from(const TMatrix& x, Eigen::Index i, std::vector<std::pair<double, std::size_t>>& out)
{
    const auto n = static_cast<std::size_t>(x.rows());
    out.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (Eigen::Index d = 0; d < x.cols(); ++d) {
            const double diff = x(i, d) - x(static_cast<Eigen::Index>(j), d);
            sum += diff * diff;
        }
        out[j] = {sum, j};
    }
}

}  // namespace detail

/// \brief Trustworthiness T(k) of `embedding` (rows = points) with respect to `x`; 1 is perfect.
/// O(n² (d + log n)); parallel over points, identical for any thread count.
/// \throws invalid_argument when the row counts differ or k >= n/2 (scikit-learn's limit).
template <class TDerivedX, class TDerivedY>
double trustworthiness(const Eigen::MatrixBase<TDerivedX>& x, const Eigen::MatrixBase<TDerivedY>& embedding,
                       std::size_t k = 5)
{
    const auto n = static_cast<std::size_t>(x.rows());
    if (static_cast<std::size_t>(embedding.rows()) != n) {
        raise("embed.trustworthiness", "embedding rows: got ", embedding.rows(), ", expected ", n, ".");
    }
    if (k < 1 || static_cast<double>(k) >= static_cast<double>(n) / 2.0) {
        raise("embed.trustworthiness", "n_neighbors: got ", k, ", expected 1 <= k < n_samples / 2 = ",
              static_cast<double>(n) / 2.0, ".");
    }
    const Eigen::MatrixXd xd = x.template cast<double>();
    const Eigen::MatrixXd yd = embedding.template cast<double>();
    std::vector<double> penalty(n, 0.0);
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR_DYNAMIC
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        std::vector<std::pair<double, std::size_t>> dist;
        detail::squared_distances_from(xd, static_cast<Eigen::Index>(i), dist);
        dist[i].first = std::numeric_limits<double>::infinity();
        std::sort(dist.begin(), dist.end());
        std::vector<std::size_t> rank(n);
        for (std::size_t r = 0; r < n; ++r) {
            rank[dist[r].second] = r + 1;
        }
        std::vector<std::pair<double, std::size_t>> near;
        detail::squared_distances_from(yd, static_cast<Eigen::Index>(i), near);
        near.erase(near.begin() + static_cast<std::ptrdiff_t>(i));
        std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end());
        double p = 0.0;
        for (std::size_t m = 0; m < k; ++m) {
            const double excess = static_cast<double>(rank[near[m].second]) - static_cast<double>(k);
            if (excess > 0.0) {
                p += excess;
            }
        }
        penalty[i] = p;
    }
    double total = 0.0;
    for (const double p : penalty) {
        total += p;
    }
    const auto nd = static_cast<double>(n);
    const auto kd = static_cast<double>(k);
    return 1.0 - total * (2.0 / (nd * kd * (2.0 * nd - 3.0 * kd - 1.0)));
}

}  // namespace radiogenomics::embed
