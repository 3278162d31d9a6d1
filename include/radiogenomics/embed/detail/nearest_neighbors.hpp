#pragma once
/// \file nearest_neighbors.hpp
/// \brief Exact k-nearest-neighbour search (brute force, blocked matrix products) for t-SNE.
///
/// Candidates are ranked with \f$\|x_i\|^2 + \|x_j\|^2 - 2 x_i\cdot x_j\f$ computed block by block
/// (fixed block size, so results never depend on the thread count), the best `k + slack` per row are
/// kept, their squared distances are recomputed exactly as \f$\sum_d (x_{id} - x_{jd})^2\f$ and the
/// final k are ordered by (distance, index). The point itself is excluded; duplicates are neighbours
/// at distance 0.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::embed::detail {

/// k nearest neighbours of every row: `index[i*k + m]`, `squared_distance[i*k + m]`, m = 0..k−1.
struct neighbor_graph {
    std::size_t k = 0;
    std::vector<std::uint32_t> index;
    std::vector<double> squared_distance;
};

using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline neighbor_graph k_nearest_neighbors(const row_matrix& x, std::size_t k)
{
    const auto n = static_cast<std::size_t>(x.rows());
    const auto dims = static_cast<std::size_t>(x.cols());
    neighbor_graph graph;
    graph.k = k;
    graph.index.resize(n * k);
    graph.squared_distance.resize(n * k);
    if (k == 0) {
        return graph;
    }
    const Eigen::VectorXd norms = x.rowwise().squaredNorm();
    const std::size_t keep = std::min(n - 1, k + 8);  // slack against rounding in the ranking formula
    constexpr std::size_t block = 64;
    const auto blocks = static_cast<std::int64_t>((n + block - 1) / block);
    RG_PARALLEL_FOR_DYNAMIC
    for (std::int64_t b = 0; b < blocks; ++b) {
        const std::size_t start = static_cast<std::size_t>(b) * block;
        const std::size_t rows = std::min(block, n - start);
        // rows × n block of inner products (Eigen runs single-threaded inside a parallel region).
        const Eigen::MatrixXd dots = x.middleRows(static_cast<Eigen::Index>(start), static_cast<Eigen::Index>(rows)) *
                                     x.transpose();
        std::vector<std::pair<double, std::uint32_t>> candidates(n);
        std::vector<std::pair<double, std::uint32_t>> exact(keep);
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t i = start + r;
            std::size_t m = 0;
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i) {
                    continue;
                }
                const double approx = norms[static_cast<Eigen::Index>(i)] + norms[static_cast<Eigen::Index>(j)] -
                                      2.0 * dots(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j));
                candidates[m++] = {approx, static_cast<std::uint32_t>(j)};
            }
            std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                             candidates.begin() + static_cast<std::ptrdiff_t>(m));
            const double* a = x.data() + i * dims;
            for (std::size_t c = 0; c < keep; ++c) {
                const std::uint32_t j = candidates[c].second;
                const double* bj = x.data() + static_cast<std::size_t>(j) * dims;
                double sum = 0.0;
                for (std::size_t d = 0; d < dims; ++d) {
                    const double diff = a[d] - bj[d];
                    sum += diff * diff;
                }
                exact[c] = {sum, j};
            }
            std::sort(exact.begin(), exact.end());
            for (std::size_t c = 0; c < k; ++c) {
                graph.squared_distance[i * k + c] = exact[c].first;
                graph.index[i * k + c] = exact[c].second;
            }
        }
    }
    return graph;
}

}  // namespace radiogenomics::embed::detail
