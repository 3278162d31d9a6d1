#pragma once
/// \file fcluster.hpp
/// \brief Flat clusters from a linkage matrix (SciPy `fcluster`) and the dendrogram leaf order
/// (SciPy `leaves_list`).
///
/// Labels are 1-based like SciPy's and numbered in SciPy's traversal order (depth first from the
/// root, inner children before leaf children, left before right), so they equal `fcluster`'s output.

#include <cmath>
#include <cstddef>
#include <vector>

#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/core/error.hpp"

namespace radiogenomics::cluster {

namespace detail {

/// Checks the shape and ids of a SciPy linkage matrix; returns n (number of observations).
inline std::size_t check_linkage(const linkage_matrix& z, const char* where)
{
    if (z.rows() < 1) {
        raise(where, "linkage matrix rows: got 0, expected n-1 >= 1 rows.");
    }
    const auto n = static_cast<std::size_t>(z.rows()) + 1;
    for (Eigen::Index r = 0; r < z.rows(); ++r) {
        for (int c = 0; c < 2; ++c) {
            const double id = z(r, c);
            if (!(id >= 0.0) || id != std::floor(id) || id >= static_cast<double>(n) + static_cast<double>(r)) {
                raise(where, "linkage row ", r, " cluster id: got ", id, ", expected an integer in [0, ",
                      n + static_cast<std::size_t>(r), ").");
            }
        }
        if (std::isnan(z(r, 2))) {
            raise(where, "linkage row ", r, " distance: got NaN, expected a number.");
        }
    }
    return n;
}

/// For each merge, the largest merge distance in its subtree (SciPy `get_max_dist_for_each_cluster`).
inline std::vector<double> max_dist_for_each_cluster(const linkage_matrix& z, std::size_t n)
{
    std::vector<double> result(n - 1);
    // Children always have smaller ids than their parent, so one forward pass is a post-order.
    for (std::size_t r = 0; r + 1 < n; ++r) {
        const auto ri = static_cast<Eigen::Index>(r);
        double m = z(ri, 2);
        for (int c = 0; c < 2; ++c) {
            const auto child = static_cast<std::size_t>(z(ri, c));
            if (child >= n && result[child - n] > m) {
                m = result[child - n];
            }
        }
        result[r] = m;
    }
    return result;
}

/// SciPy `cluster_monocrit`: subtrees whose criterion is <= cutoff become one cluster.
inline std::vector<int> cluster_monocrit(const linkage_matrix& z, const std::vector<double>& criterion,
                                         double cutoff, std::size_t n)
{
    std::vector<int> labels(n, 0);
    std::vector<std::size_t> stack(n);
    std::vector<char> visited(2 * n - 1, 0);
    int n_cluster = 0;
    std::ptrdiff_t leader = -1;
    std::ptrdiff_t k = 0;
    stack[0] = 2 * n - 2;
    while (k >= 0) {
        const std::size_t root = stack[static_cast<std::size_t>(k)] - n;
        const auto ri = static_cast<Eigen::Index>(root);
        const auto left = static_cast<std::size_t>(z(ri, 0));
        const auto right = static_cast<std::size_t>(z(ri, 1));
        if (leader == -1 && criterion[root] <= cutoff) {
            leader = static_cast<std::ptrdiff_t>(root);
            ++n_cluster;
        }
        if (left >= n && !visited[left]) {
            visited[left] = 1;
            stack[static_cast<std::size_t>(++k)] = left;
            continue;
        }
        if (right >= n && !visited[right]) {
            visited[right] = 1;
            stack[static_cast<std::size_t>(++k)] = right;
            continue;
        }
        if (left < n) {
            if (leader == -1) {
                ++n_cluster;
            }
            labels[left] = n_cluster;
        }
        if (right < n) {
            if (leader == -1) {
                ++n_cluster;
            }
            labels[right] = n_cluster;
        }
        if (leader == static_cast<std::ptrdiff_t>(root)) {
            leader = -1;
        }
        --k;
    }
    return labels;
}

/// Number of flat clusters `cluster_monocrit` would form at `threshold`.
inline std::size_t count_clusters(const std::vector<double>& criterion, double threshold, std::size_t n)
{
    // A merge is a cluster root when its criterion passes and its parent's does not; every leaf whose
    // parent fails is a singleton. Count: (#failing merges) + 1 flat clusters.
    std::size_t failing = 0;
    for (std::size_t r = 0; r + 1 < n; ++r) {
        if (!(criterion[r] <= threshold)) {
            ++failing;
        }
    }
    return failing + 1;
}

}  // namespace detail

/// \brief Flat clusters of at most `k` members each tree cut, like `fcluster(Z, k, 'maxclust')`.
///
/// Finds the smallest threshold t among the subtree maxima of the merge distances such that cutting
/// at t gives at most k clusters, then labels as `fcluster(Z, t, 'distance')`. `k >= n` gives every
/// observation its own cluster (labels 1..n).
///
/// \par SciPy version note
/// This is the behaviour SciPy documents and implements since 1.11 (the binary search includes the
/// lowest merge). SciPy 1.10's `maxclust` skipped the lowest merge, so for k >= n−1 it returned
/// fewer clusters than allowed; for k <= n−2 the two agree.
/// \throws invalid_argument when k < 1 or the linkage matrix is malformed.
inline std::vector<int> fcluster_maxclust(const linkage_matrix& z, std::size_t k)
{
    const std::size_t n = detail::check_linkage(z, "cluster.fcluster_maxclust");
    if (k < 1) {
        raise("cluster.fcluster_maxclust", "number of clusters k: got 0, expected at least 1.");
    }
    if (k >= n) {
        std::vector<int> labels(n);
        for (std::size_t i = 0; i < n; ++i) {
            labels[i] = static_cast<int>(i + 1);
        }
        return labels;
    }
    const std::vector<double> criterion = detail::max_dist_for_each_cluster(z, n);
    // Binary search over merge rows as SciPy does (index -1 stands for "below everything").
    std::ptrdiff_t lower = -1;
    auto upper = static_cast<std::ptrdiff_t>(n - 1);
    while (upper - lower > 1) {
        const std::ptrdiff_t i = (lower + upper) >> 1;
        if (detail::count_clusters(criterion, criterion[static_cast<std::size_t>(i)], n) > k) {
            lower = i;
        } else {
            upper = i;
        }
    }
    return detail::cluster_monocrit(z, criterion, criterion[static_cast<std::size_t>(upper)], n);
}

/// \brief Flat clusters by cutting at cophenetic distance `t`, like `fcluster(Z, t, 'distance')`:
/// observations whose subtree's largest merge distance is <= t share a cluster.
inline std::vector<int> fcluster_distance(const linkage_matrix& z, double t)
{
    const std::size_t n = detail::check_linkage(z, "cluster.fcluster_distance");
    if (std::isnan(t)) {
        raise("cluster.fcluster_distance", "threshold t: got NaN, expected a number.");
    }
    return detail::cluster_monocrit(z, detail::max_dist_for_each_cluster(z, n), t, n);
}

/// \brief Leaf order of the dendrogram, left to right (`scipy.cluster.hierarchy.leaves_list`):
/// a pre-order traversal visiting column 0 before column 1 of each merge.
inline std::vector<std::size_t> leaves_list(const linkage_matrix& z)
{
    const std::size_t n = detail::check_linkage(z, "cluster.leaves_list");
    std::vector<std::size_t> order;
    order.reserve(n);
    std::vector<std::size_t> stack{2 * n - 2};
    while (!stack.empty()) {
        const std::size_t node = stack.back();
        stack.pop_back();
        if (node < n) {
            order.push_back(node);
            continue;
        }
        const auto r = static_cast<Eigen::Index>(node - n);
        stack.push_back(static_cast<std::size_t>(z(r, 1)));
        stack.push_back(static_cast<std::size_t>(z(r, 0)));
    }
    return order;
}

}  // namespace radiogenomics::cluster
