#pragma once
/// \file linkage.hpp
/// \brief Agglomerative (hierarchical) clustering producing a SciPy-compatible linkage matrix.
///
/// \par Linkage matrix
/// `n − 1` rows `(a, b, distance, size)`: row `k` merges clusters `a < b` into the new cluster
/// `n + k`; ids below `n` are the original observations (0-based), exactly the convention of
/// `scipy.cluster.hierarchy.linkage`.
///
/// \par Algorithms (the ones SciPy 1.10 uses, so merges, ties and row order agree with it)
/// - `single`: minimum-spanning-tree (Prim) algorithm, O(n²) time, O(n) extra memory;
/// - `complete`, `average`, `weighted`, `ward`: nearest-neighbour chain, O(n²) time;
/// - `centroid`, `median`: Müllner's generic algorithm with a heap of nearest-neighbour lower bounds.
/// The MST and NN-chain results are stably sorted by distance and relabelled with a union–find,
/// as SciPy does; the generic algorithm's rows come out in merge order (they may be non-monotone).
/// Cluster–cluster distances are updated with the Lance–Williams formulas of
/// `scipy/cluster/_hierarchy_distance_update.pxi`, in the same floating-point evaluation order.
/// Reference: D. Müllner, "Modern hierarchical, agglomerative clustering algorithms",
/// arXiv:1109.2378 (2011); SciPy documentation of `scipy.cluster.hierarchy.linkage`.
///
/// \par Ties
/// Ties are broken by the lowest index exactly as SciPy's loops do (strict `<` comparisons in index
/// order; the NN chain prefers the previous chain element). Results are deterministic.
///
/// \par Memory
/// The condensed distance matrix (n(n−1)/2 doubles) is the only O(n²) allocation; `linkage_features` avoids it for
/// single, Ward, centroid and median (O(n·d) memory, distances computed from the observations).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::cluster {

/// The agglomeration criterion (SciPy's `method` argument).
enum class linkage_method {
    single,    ///< \f$ d(u,v) = \min d(u_i, v_j) \f$
    complete,  ///< \f$ d(u,v) = \max d(u_i, v_j) \f$
    average,   ///< UPGMA: mean of all pairwise distances
    weighted,  ///< WPGMA: \f$ d(u \cup v, w) = (d(u,w) + d(v,w))/2 \f$
    centroid,  ///< UPGMC: Euclidean distance between centroids (Euclidean input only)
    median,    ///< WPGMC: distance between "median" centres (Euclidean input only)
    ward       ///< Ward's minimum-variance criterion (Euclidean input only)
};

/// SciPy-format linkage matrix: one row per merge, columns (a, b, distance, size).
using linkage_matrix = Eigen::Matrix<double, Eigen::Dynamic, 4>;

/// The SciPy name of a method ("single", "complete", ...).
inline std::string to_string(linkage_method method)
{
    switch (method) {
    case linkage_method::single: return "single";
    case linkage_method::complete: return "complete";
    case linkage_method::average: return "average";
    case linkage_method::weighted: return "weighted";
    case linkage_method::centroid: return "centroid";
    case linkage_method::median: return "median";
    case linkage_method::ward: return "ward";
    }
    return "unknown";
}

/// Parses a SciPy method name; throws `invalid_argument` for anything else.
inline linkage_method parse_linkage_method(const std::string& name)
{
    for (const auto method : {linkage_method::single, linkage_method::complete, linkage_method::average,
                              linkage_method::weighted, linkage_method::centroid, linkage_method::median,
                              linkage_method::ward}) {
        if (to_string(method) == name) {
            return method;
        }
    }
    raise("cluster.parse_linkage_method", "linkage method: got '", name,
          "', expected one of single, complete, average, weighted, centroid, median, ward.");
}

namespace lance_williams {

/// \brief Lance–Williams updates: distance from cluster i to the union of x and y.
///
/// `d_xi`, `d_yi`, `d_xy` are the current distances, `n_x`, `n_y`, `n_i` cluster sizes. The
/// centroid, median and Ward forms act on (unsquared) Euclidean distances through their squares, as
/// in SciPy (`_hierarchy_distance_update.pxi`); the evaluation order is kept so that results agree to
/// the last bit.
inline double single(double d_xi, double d_yi, double, int, int, int) { return std::min(d_xi, d_yi); }

/// \f$ \max(d_{xi}, d_{yi}) \f$
inline double complete(double d_xi, double d_yi, double, int, int, int) { return std::max(d_xi, d_yi); }

/// \f$ (n_x d_{xi} + n_y d_{yi}) / (n_x + n_y) \f$
inline double average(double d_xi, double d_yi, double, int n_x, int n_y, int)
{
    return (n_x * d_xi + n_y * d_yi) / (n_x + n_y);
}

/// \f$ (d_{xi} + d_{yi}) / 2 \f$
inline double weighted(double d_xi, double d_yi, double, int, int, int) { return 0.5 * (d_xi + d_yi); }

/// \f$ \sqrt{(n_x d_{xi}^2 + n_y d_{yi}^2 - n_x n_y d_{xy}^2/(n_x+n_y)) / (n_x+n_y)} \f$
inline double centroid(double d_xi, double d_yi, double d_xy, int n_x, int n_y, int)
{
    return std::sqrt((((n_x * d_xi * d_xi) + (n_y * d_yi * d_yi)) -
                      (static_cast<double>(n_x * n_y) * d_xy * d_xy) / (n_x + n_y)) /
                     (n_x + n_y));
}

/// \f$ \sqrt{(d_{xi}^2 + d_{yi}^2)/2 - d_{xy}^2/4} \f$
inline double median(double d_xi, double d_yi, double d_xy, int, int, int)
{
    return std::sqrt(0.5 * (d_xi * d_xi + d_yi * d_yi) - 0.25 * d_xy * d_xy);
}

/// \f$ \sqrt{((n_i+n_x) d_{xi}^2 + (n_i+n_y) d_{yi}^2 - n_i d_{xy}^2) / (n_x+n_y+n_i)} \f$
inline double ward(double d_xi, double d_yi, double d_xy, int n_x, int n_y, int n_i)
{
    const double t = 1.0 / (n_x + n_y + n_i);
    return std::sqrt((n_i + n_x) * t * d_xi * d_xi + (n_i + n_y) * t * d_yi * d_yi - n_i * t * d_xy * d_xy);
}

}  // namespace lance_williams

namespace detail {

/// Index of (i, j), i != j, in a condensed matrix of n points (SciPy's `condensed_index`).
inline std::size_t condensed_index(std::size_t n, std::size_t i, std::size_t j)
{
    if (i > j) {
        std::swap(i, j);
    }
    return n * i - (i * (i + 1)) / 2 + (j - i - 1);
}

/// Number of points n with n(n−1)/2 == length; throws when none.
inline std::size_t points_from_condensed_length(std::size_t length, const char* where)
{
    const auto guess = static_cast<std::size_t>(std::ceil(std::sqrt(2.0 * static_cast<double>(length))));
    for (std::size_t n = (guess > 2 ? guess - 2 : 1); n <= guess + 2; ++n) {
        if (n * (n - 1) / 2 == length) {
            if (n < 2) {
                break;
            }
            return n;
        }
    }
    raise(where, "condensed distance vector length: got ", length,
          ", expected n(n-1)/2 for some n >= 2. Pass the upper triangle row by row (scipy pdist order).");
}

/// A Lance–Williams update \f$ d(i, x \cup y) \f$ from d(i,x), d(i,y), d(x,y) and the sizes of x, y, i.
using update_function = double (*)(double, double, double, int, int, int);

/// The update of `method` as a function pointer (for run-time choice, e.g. a naive reference implementation;
/// the linkage algorithms take it as a template argument).
inline update_function update_for(linkage_method method)
{
    switch (method) {
    case linkage_method::single: return &lance_williams::single;
    case linkage_method::complete: return &lance_williams::complete;
    case linkage_method::average: return &lance_williams::average;
    case linkage_method::weighted: return &lance_williams::weighted;
    case linkage_method::centroid: return &lance_williams::centroid;
    case linkage_method::median: return &lance_williams::median;
    case linkage_method::ward: return &lance_williams::ward;
    }
    return &lance_williams::single;
}

/// Ascending list of active cluster slots with O(1) removal (fastcluster's doubly linked list).
class active_list {
public:
    explicit active_list(std::size_t n) : m_next(n + 1), m_previous(n + 1), m_first(0)
    {
        for (std::size_t i = 0; i <= n; ++i) {
            m_next[i] = i + 1;
            m_previous[i] = i == 0 ? 0 : i - 1;
        }
        m_end = n;
    }
    std::size_t first() const { return m_first; }
    std::size_t end() const { return m_end; }
    std::size_t next(std::size_t i) const { return m_next[i]; }
    void remove(std::size_t i)
    {
        if (i == m_first) {
            m_first = m_next[i];
            m_previous[m_first] = m_first;
        } else {
            m_next[m_previous[i]] = m_next[i];
            m_previous[m_next[i]] = m_previous[i];
        }
    }

private:
    std::vector<std::size_t> m_next;
    std::vector<std::size_t> m_previous;
    std::size_t m_first;
    std::size_t m_end;
};

/// Sorts rows stably by distance and replaces slot ids with SciPy cluster ids (SciPy's `label`).
inline void sort_and_relabel(linkage_matrix& z, std::size_t n)
{
    const auto rows = static_cast<std::size_t>(z.rows());
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&z](std::size_t a, std::size_t b) {
        return z(static_cast<Eigen::Index>(a), 2) < z(static_cast<Eigen::Index>(b), 2);
    });
    linkage_matrix sorted(z.rows(), 4);
    for (std::size_t r = 0; r < rows; ++r) {
        sorted.row(static_cast<Eigen::Index>(r)) = z.row(static_cast<Eigen::Index>(order[r]));
    }
    // Union–find over 2n−1 nodes; each merge creates the next id.
    std::vector<std::size_t> parent(2 * n - 1);
    std::vector<double> size(2 * n - 1, 1.0);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto find = [&parent](std::size_t x) {
        std::size_t root = x;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[x] != root) {
            const std::size_t next = parent[x];
            parent[x] = root;
            x = next;
        }
        return root;
    };
    std::size_t next_label = n;
    for (std::size_t r = 0; r < rows; ++r) {
        const auto ri = static_cast<Eigen::Index>(r);
        const std::size_t a = find(static_cast<std::size_t>(sorted(ri, 0)));
        const std::size_t b = find(static_cast<std::size_t>(sorted(ri, 1)));
        sorted(ri, 0) = static_cast<double>(std::min(a, b));
        sorted(ri, 1) = static_cast<double>(std::max(a, b));
        parent[a] = next_label;
        parent[b] = next_label;
        size[next_label] = size[a] + size[b];
        sorted(ri, 3) = size[next_label];
        ++next_label;
    }
    z = std::move(sorted);
}

/// Prim's MST (SciPy `mst_single_linkage`) over `n` points with `distance(x, i)` the distance of points x and i
/// (a condensed-matrix look-up, or computed from the observations in O(n·d) memory).
template <class TDistance>
linkage_matrix mst_single(std::size_t n, TDistance distance)
{
    linkage_matrix z(static_cast<Eigen::Index>(n - 1), 4);
    std::vector<double> best(n, std::numeric_limits<double>::infinity());
    active_list remaining(n);
    std::size_t x = 0;
    std::size_t y = 0;
    for (std::size_t k = 0; k + 1 < n; ++k) {
        double current_min = std::numeric_limits<double>::infinity();
        remaining.remove(x);
        // Row x of the condensed matrix: i < x strided, i > x contiguous.
        for (std::size_t i = remaining.first(); i != remaining.end(); i = remaining.next(i)) {
            const double dist = distance(x, i);
            if (best[i] > dist) {
                best[i] = dist;
            }
            if (best[i] < current_min) {
                y = i;
                current_min = best[i];
            }
        }
        const auto ki = static_cast<Eigen::Index>(k);
        z(ki, 0) = static_cast<double>(x);
        z(ki, 1) = static_cast<double>(y);
        z(ki, 2) = current_min;
        z(ki, 3) = 0.0;
        x = y;
    }
    sort_and_relabel(z, n);
    return z;
}

/// Nearest-neighbour chain (SciPy `nn_chain`); consumes the condensed matrix. The Lance–Williams update is a
/// template argument, so the O(n²) update loop calls it inline.
template <update_function VUpdate>
linkage_matrix nn_chain(std::vector<double>& d, std::size_t n)
{
    linkage_matrix z(static_cast<Eigen::Index>(n - 1), 4);
    std::vector<int> size(n, 1);
    std::vector<std::size_t> chain(n);
    std::size_t chain_length = 0;
    active_list active(n);
    for (std::size_t k = 0; k + 1 < n; ++k) {
        if (chain_length == 0) {
            chain_length = 1;
            chain[0] = active.first();
        }
        std::size_t x = 0;
        std::size_t y = 0;
        double current_min = 0.0;
        while (true) {
            x = chain[chain_length - 1];
            if (chain_length > 1) {
                y = chain[chain_length - 2];
                current_min = d[condensed_index(n, x, y)];
            } else {
                current_min = std::numeric_limits<double>::infinity();
            }
            std::size_t i = active.first();
            // i < x: column x of the upper triangle, stride shrinks by one per row.
            for (; i != active.end() && i < x; i = active.next(i)) {
                const double dist = d[n * i - (i * (i + 1)) / 2 + (x - i - 1)];
                if (dist < current_min) {
                    current_min = dist;
                    y = i;
                }
            }
            if (i == x) {
                i = active.next(i);
            }
            const std::size_t row_start = n * x - (x * (x + 1)) / 2 - x - 1;
            for (; i != active.end(); i = active.next(i)) {
                const double dist = d[row_start + i];
                if (dist < current_min) {
                    current_min = dist;
                    y = i;
                }
            }
            if (chain_length > 1 && y == chain[chain_length - 2]) {
                break;
            }
            chain[chain_length] = y;
            ++chain_length;
        }
        chain_length -= 2;
        if (x > y) {
            std::swap(x, y);
        }
        const int nx = size[x];
        const int ny = size[y];
        const auto ki = static_cast<Eigen::Index>(k);
        z(ki, 0) = static_cast<double>(x);
        z(ki, 1) = static_cast<double>(y);
        z(ki, 2) = current_min;
        z(ki, 3) = nx + ny;
        size[x] = 0;
        size[y] = nx + ny;
        active.remove(x);
        for (std::size_t i = active.first(); i != active.end(); i = active.next(i)) {
            if (i == y) {
                continue;
            }
            const std::size_t iy = condensed_index(n, i, y);
            d[iy] = VUpdate(d[condensed_index(n, i, x)], d[iy], current_min, nx, ny, size[i]);
        }
    }
    sort_and_relabel(z, n);
    return z;
}

/// Binary min-heap of per-slot values with keys 0..m−1 and stable index bookkeeping
/// (the structure SciPy's generic algorithm uses, so that ties resolve identically).
class key_heap {
public:
    explicit key_heap(const std::vector<double>& values)
        : m_index_by_key(values.size()), m_key_by_index(values.size()), m_values(values), m_size(values.size())
    {
        std::iota(m_index_by_key.begin(), m_index_by_key.end(), std::size_t{0});
        std::iota(m_key_by_index.begin(), m_key_by_index.end(), std::size_t{0});
        for (std::size_t i = m_size / 2; i-- > 0;) {
            sift_down(i);
        }
    }
    std::size_t min_key() const { return m_key_by_index[0]; }
    double min_value() const { return m_values[0]; }
    void remove_min()
    {
        swap_slots(0, m_size - 1);
        --m_size;
        sift_down(0);
    }
    void change_value(std::size_t key, double value)
    {
        const std::size_t index = m_index_by_key[key];
        const double old_value = m_values[index];
        m_values[index] = value;
        if (value < old_value) {
            sift_up(index);
        } else {
            sift_down(index);
        }
    }

private:
    void sift_up(std::size_t index)
    {
        while (index > 0) {
            const std::size_t parent = (index - 1) >> 1;
            if (!(m_values[parent] > m_values[index])) {
                break;
            }
            swap_slots(index, parent);
            index = parent;
        }
    }
    void sift_down(std::size_t index)
    {
        std::size_t child = 2 * index + 1;
        while (child < m_size) {
            if (child + 1 < m_size && m_values[child + 1] < m_values[child]) {
                ++child;
            }
            if (m_values[index] > m_values[child]) {
                swap_slots(index, child);
                index = child;
                child = 2 * index + 1;
            } else {
                break;
            }
        }
    }
    void swap_slots(std::size_t i, std::size_t j)
    {
        std::swap(m_values[i], m_values[j]);
        const std::size_t key_i = m_key_by_index[i];
        const std::size_t key_j = m_key_by_index[j];
        m_key_by_index[i] = key_j;
        m_key_by_index[j] = key_i;
        m_index_by_key[key_i] = j;
        m_index_by_key[key_j] = i;
    }

    std::vector<std::size_t> m_index_by_key;
    std::vector<std::size_t> m_key_by_index;
    std::vector<double> m_values;
    std::size_t m_size;
};

/// Müllner's generic algorithm (SciPy `fast_linkage`) over n clusters in slots 0..n−1. `distance(a, b)` (a < b, both
/// active) is the current distance of two clusters; `merge(x, y, dist, n_x, n_y, active, size)` makes slot y the
/// union of x and y (x < y; x has left `active`, `size` already holds the new sizes). The heap of nearest-neighbour
/// lower bounds, the tie rules (strict `<` in index order) and the merge-order rows are SciPy's, so one loop serves
/// the condensed matrix and the observations (`generic_features`).
template <class TDistance, class TMerge>
linkage_matrix generic_core(std::size_t n, TDistance distance, TMerge merge)
{
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    const double infinity = std::numeric_limits<double>::infinity();
    linkage_matrix z(static_cast<Eigen::Index>(n - 1), 4);
    std::vector<int> size(n, 1);
    std::vector<std::size_t> cluster_id(n);
    std::iota(cluster_id.begin(), cluster_id.end(), std::size_t{0});
    std::vector<std::size_t> neighbor(n - 1);
    std::vector<double> min_dist(n - 1);
    active_list active(n);

    // Nearest neighbour of x among active slots above x (strict <, lowest index wins).
    auto find_min = [&](std::size_t x, std::size_t& best) {
        double current = infinity;
        best = none;
        for (std::size_t i = active.next(x); i != active.end(); i = active.next(i)) {
            const double dist = distance(x, i);
            if (dist < current) {
                current = dist;
                best = i;
            }
        }
        return current;
    };
    for (std::size_t x = 0; x + 1 < n; ++x) {
        min_dist[x] = find_min(x, neighbor[x]);
    }
    key_heap heap(min_dist);

    for (std::size_t k = 0; k + 1 < n; ++k) {
        std::size_t x = 0;
        std::size_t y = 0;
        double dist = 0.0;
        for (std::size_t attempt = 0; attempt < n - k; ++attempt) {
            x = heap.min_key();
            dist = heap.min_value();
            y = neighbor[x];
            if (y != none && dist == distance(x, y)) {
                break;  // the lower bound is the current distance: a global minimum
            }
            dist = find_min(x, y);
            neighbor[x] = y;
            min_dist[x] = dist;
            heap.change_value(x, dist);
        }
        if (y == none) {
            raise("cluster.linkage", "nearest neighbour search: got no finite distance, expected finite "
                                     "non-negative distances. Check the input for NaN or infinite values.");
        }
        heap.remove_min();

        std::size_t id_x = cluster_id[x];
        std::size_t id_y = cluster_id[y];
        const int nx = size[x];
        const int ny = size[y];
        if (id_x > id_y) {
            std::swap(id_x, id_y);
        }
        const auto ki = static_cast<Eigen::Index>(k);
        z(ki, 0) = static_cast<double>(id_x);
        z(ki, 1) = static_cast<double>(id_y);
        z(ki, 2) = dist;
        z(ki, 3) = nx + ny;
        size[x] = 0;
        size[y] = nx + ny;
        cluster_id[y] = n + k;
        active.remove(x);

        merge(x, y, dist, nx, ny, active, size);  // slot y becomes x ∪ y
        for (std::size_t i = active.first(); i != active.end() && i < x; i = active.next(i)) {
            if (neighbor[i] == x) {
                neighbor[i] = y;
            }
        }
        for (std::size_t i = active.first(); i != active.end() && i < y; i = active.next(i)) {
            const double candidate = distance(i, y);
            if (candidate < min_dist[i]) {
                neighbor[i] = y;
                min_dist[i] = candidate;
                heap.change_value(i, candidate);
            }
        }
        if (y < n - 1) {
            std::size_t best = none;
            const double candidate = find_min(y, best);
            if (best != none) {
                neighbor[y] = best;
                min_dist[y] = candidate;
                heap.change_value(y, candidate);
            }
        }
    }
    return z;
}

/// The generic algorithm on a condensed matrix (consumed), with the Lance–Williams update as a template argument.
template <update_function VUpdate>
linkage_matrix generic(std::vector<double>& d, std::size_t n)
{
    auto distance = [&d, n](std::size_t a, std::size_t b) { return d[condensed_index(n, a, b)]; };
    auto merge = [&d, n](std::size_t x, std::size_t y, double dist, int nx, int ny, const active_list& active,
                         const std::vector<int>& size) {
        for (std::size_t i = active.first(); i != active.end(); i = active.next(i)) {
            if (i == y) {
                continue;
            }
            const std::size_t iy = condensed_index(n, i, y);
            d[iy] = VUpdate(d[condensed_index(n, i, x)], d[iy], dist, nx, ny, size[i]);
        }
    };
    return generic_core(n, distance, merge);
}

inline void check_distances(const std::vector<double>& d)
{
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (!std::isfinite(d[i]) || d[i] < 0.0) {
            raise("cluster.linkage", "distance ", i, ": got ", d[i],
                  ", expected a finite non-negative value. Remove or impute rows with NaN/inf.");
        }
    }
}

}  // namespace detail

/// \brief Euclidean distances between the rows of `x` in condensed order (like `scipy.spatial.distance.pdist`).
///
/// \f$ d_{ij} = \sqrt{\sum_k (x_{ik} - x_{jk})^2} \f$, summed in feature order. Entry (i, j), i < j,
/// is at `n*i - i*(i+1)/2 + (j-i-1)`. Throws on NaN/inf values or fewer than two rows.
template <class TDerived>
std::vector<double> condensed_euclidean(const Eigen::MatrixBase<TDerived>& x)
{
    const auto n = static_cast<std::size_t>(x.rows());
    if (n < 2) {
        raise("cluster.condensed_euclidean", "number of observations: got ", n, ", expected at least 2.");
    }
    if (x.cols() < 1) {
        raise("cluster.condensed_euclidean", "number of features: got 0, expected at least 1.");
    }
    // Row-major copy so each pair reads two contiguous rows.
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = x.template cast<double>();
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
        for (Eigen::Index c = 0; c < rows.cols(); ++c) {
            if (!std::isfinite(rows(r, c))) {
                raise("cluster.condensed_euclidean", "observation ", r, ", feature ", c, ": got ", rows(r, c),
                      ", expected a finite value. Remove or impute NaN rows first.");
            }
        }
    }
    std::vector<double> d(n * (n - 1) / 2);
    const auto dims = static_cast<std::size_t>(rows.cols());
    const double* data = rows.data();
    const auto n_signed = static_cast<std::int64_t>(n);
    RG_PARALLEL_FOR_DYNAMIC_IF(16, n_signed > 1)
    for (std::int64_t is = 0; is < n_signed; ++is) {
        const auto i = static_cast<std::size_t>(is);
        const double* a = data + i * dims;
        std::size_t out = n * i - (i * (i + 1)) / 2;
        for (std::size_t j = i + 1; j < n; ++j, ++out) {
            const double* b = data + j * dims;
            double sum = 0.0;
            for (std::size_t k = 0; k < dims; ++k) {
                const double diff = a[k] - b[k];
                sum += diff * diff;
            }
            d[out] = std::sqrt(sum);
        }
    }
    return d;
}

/// \brief Condensed form of a square symmetric distance matrix with zero diagonal (`squareform`).
///
/// Throws when the matrix is not square, not symmetric (exactly), or has a non-zero diagonal.
template <class TDerived>
std::vector<double> condensed_from_square(const Eigen::MatrixBase<TDerived>& square)
{
    const auto n = static_cast<std::size_t>(square.rows());
    if (square.rows() != square.cols()) {
        raise("cluster.condensed_from_square", "distance matrix shape: got ", square.rows(), "x", square.cols(),
              ", expected a square matrix.");
    }
    std::vector<double> d;
    d.reserve(n > 1 ? n * (n - 1) / 2 : 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto ii = static_cast<Eigen::Index>(i);
        if (square(ii, ii) != 0.0) {
            raise("cluster.condensed_from_square", "diagonal entry ", i, ": got ", square(ii, ii), ", expected 0.");
        }
        for (std::size_t j = i + 1; j < n; ++j) {
            const auto jj = static_cast<Eigen::Index>(j);
            if (!(square(ii, jj) == square(jj, ii))) {
                raise("cluster.condensed_from_square", "entry (", i, ", ", j, "): got ", square(ii, jj),
                      " and its mirror ", square(jj, ii), ", expected a symmetric matrix.");
            }
            d.push_back(static_cast<double>(square(ii, jj)));
        }
    }
    return d;
}

/// \brief Hierarchical clustering of a condensed distance vector (SciPy `linkage(y, method)`).
///
/// `distances` is consumed (taken by value; move it in to avoid a copy). For centroid, median and
/// Ward the distances must be Euclidean for the result to mean anything (as in SciPy).
/// \throws invalid_argument for a length that is not n(n−1)/2 with n ≥ 2, or NaN/inf/negative entries.
inline linkage_matrix linkage_condensed(std::vector<double> distances, linkage_method method)
{
    const std::size_t n = detail::points_from_condensed_length(distances.size(), "cluster.linkage");
    detail::check_distances(distances);
    namespace lw = lance_williams;
    switch (method) {
    case linkage_method::single:
        return detail::mst_single(n, [&distances, n](std::size_t a, std::size_t b) {
            return distances[detail::condensed_index(n, a, b)];
        });
    case linkage_method::complete: return detail::nn_chain<&lw::complete>(distances, n);
    case linkage_method::average: return detail::nn_chain<&lw::average>(distances, n);
    case linkage_method::weighted: return detail::nn_chain<&lw::weighted>(distances, n);
    case linkage_method::ward: return detail::nn_chain<&lw::ward>(distances, n);
    case linkage_method::centroid: return detail::generic<&lw::centroid>(distances, n);
    case linkage_method::median: return detail::generic<&lw::median>(distances, n);
    }
    return {};
}

/// \brief Hierarchical clustering of observations (rows of `x`) under the Euclidean metric;
/// equals `scipy.cluster.hierarchy.linkage(x, method, metric='euclidean')`.
/// \throws invalid_argument for fewer than 2 rows, no columns or non-finite values.
template <class TDerived>
linkage_matrix linkage(const Eigen::MatrixBase<TDerived>& x, linkage_method method)
{
    return linkage_condensed(condensed_euclidean(x), method);
}


/// \brief Ward linkage computed from the observations in O(n·d) memory (no condensed matrix).
///
/// Nearest-neighbour chain on cluster centroids with the Ward distance
/// \f$ d(A,B) = \sqrt{2\,|A||B|/(|A|+|B|)}\;\|c_A - c_B\| \f$, which equals the Lance–Williams
/// recurrence SciPy uses (Müllner 2011, sec. 2). Same merges, tie rules and row order as
/// `linkage(x, linkage_method::ward)`; distances agree to rounding (about 1e-12 relative), so on
/// data with exactly tied distances the choice between tied pairs can differ. O(n²·d) time.
/// \throws invalid_argument for fewer than 2 rows, no columns or non-finite values.
template <class TDerived>
linkage_matrix ward_linkage_features(const Eigen::MatrixBase<TDerived>& x)
{
    const char* where = "cluster.ward_linkage_features";
    const auto n = static_cast<std::size_t>(x.rows());
    if (n < 2 || x.cols() < 1) {
        raise(where, "data shape: got ", x.rows(), "x", x.cols(), ", expected at least 2 rows and 1 column.");
    }
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> centroid = x.template cast<double>();
    if (!centroid.allFinite()) {
        raise(where, "data: got a NaN or infinite value, expected finite values. Remove or impute those rows.");
    }
    const auto dims = static_cast<std::size_t>(centroid.cols());
    std::vector<int> size(n, 1);
    auto distance = [&](std::size_t a, std::size_t b) {
        const double* ca = centroid.data() + a * dims;
        const double* cb = centroid.data() + b * dims;
        double sum = 0.0;
        for (std::size_t k = 0; k < dims; ++k) {
            const double diff = ca[k] - cb[k];
            sum += diff * diff;
        }
        const double na = size[a];
        const double nb = size[b];
        return std::sqrt(2.0 * na * nb / (na + nb) * sum);
    };
    linkage_matrix z(static_cast<Eigen::Index>(n - 1), 4);
    std::vector<std::size_t> chain(n);
    std::size_t chain_length = 0;
    detail::active_list active(n);
    for (std::size_t k = 0; k + 1 < n; ++k) {
        if (chain_length == 0) {
            chain_length = 1;
            chain[0] = active.first();
        }
        std::size_t a = 0;
        std::size_t b = 0;
        double current_min = 0.0;
        while (true) {
            a = chain[chain_length - 1];
            if (chain_length > 1) {
                b = chain[chain_length - 2];
                current_min = distance(a, b);
            } else {
                current_min = std::numeric_limits<double>::infinity();
            }
            for (std::size_t i = active.first(); i != active.end(); i = active.next(i)) {
                if (i == a) {
                    continue;
                }
                const double dist = distance(a, i);
                if (dist < current_min) {
                    current_min = dist;
                    b = i;
                }
            }
            if (chain_length > 1 && b == chain[chain_length - 2]) {
                break;
            }
            chain[chain_length++] = b;
        }
        chain_length -= 2;
        RG_ASSERT(a != b && size[a] > 0 && size[b] > 0);  // reciprocal nearest neighbours, both still active
        if (a > b) {
            std::swap(a, b);
        }
        const int na = size[a];
        const int nb = size[b];
        const auto ki = static_cast<Eigen::Index>(k);
        z(ki, 0) = static_cast<double>(a);
        z(ki, 1) = static_cast<double>(b);
        z(ki, 2) = current_min;
        z(ki, 3) = na + nb;
        const auto ai = static_cast<Eigen::Index>(a);
        const auto bi = static_cast<Eigen::Index>(b);
        centroid.row(bi) = (static_cast<double>(na) * centroid.row(ai) + static_cast<double>(nb) * centroid.row(bi)) /
                           static_cast<double>(na + nb);
        size[a] = 0;
        size[b] = na + nb;
        active.remove(a);
    }
    detail::sort_and_relabel(z, n);
    return z;
}

/// \brief Single linkage computed from the observations in O(n·d) memory (no condensed matrix): Prim's minimum
/// spanning tree with each Euclidean distance computed when needed, summed in feature order as
/// `condensed_euclidean` does, so the result equals `linkage(x, linkage_method::single)` bit for bit. O(n²·d) time.
/// \throws invalid_argument for fewer than 2 rows, no columns or non-finite values.
template <class TDerived>
linkage_matrix single_linkage_features(const Eigen::MatrixBase<TDerived>& x)
{
    const char* where = "cluster.single_linkage_features";
    const auto n = static_cast<std::size_t>(x.rows());
    if (n < 2 || x.cols() < 1) {
        raise(where, "data shape: got ", x.rows(), "x", x.cols(), ", expected at least 2 rows and 1 column.");
    }
    const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = x.template cast<double>();
    if (!rows.allFinite()) {
        raise(where, "data: got a NaN or infinite value, expected finite values. Remove or impute those rows.");
    }
    const auto dims = static_cast<std::size_t>(rows.cols());
    return detail::mst_single(n, [&rows, dims](std::size_t a, std::size_t b) {
        // (min, max) order, as the condensed matrix stores the pair
        const double* pa = rows.data() + std::min(a, b) * dims;
        const double* pb = rows.data() + std::max(a, b) * dims;
        double sum = 0.0;
        for (std::size_t k = 0; k < dims; ++k) {
            const double diff = pa[k] - pb[k];
            sum += diff * diff;
        }
        return std::sqrt(sum);
    });
}

namespace detail {

/// Müllner's generic algorithm (as `generic`, SciPy `fast_linkage`) on cluster representatives instead of a
/// condensed matrix: each cluster keeps one point, its centroid (`VMedian` false: the size-weighted mean of the two
/// merged points) or Gower's median point (`VMedian` true: their midpoint), and a cluster distance is the Euclidean
/// distance of two points, computed when needed (Müllner 2011, sec. 3.2 and 4; fastcluster's `linkage_vector`).
/// The loop is `generic_core`, shared with the condensed-matrix path.
template <bool VMedian, class TDerived>
linkage_matrix generic_features(const Eigen::MatrixBase<TDerived>& x, const char* where)
{
    const auto n = static_cast<std::size_t>(x.rows());
    if (n < 2 || x.cols() < 1) {
        raise(where, "data shape: got ", x.rows(), "x", x.cols(), ", expected at least 2 rows and 1 column.");
    }
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> point = x.template cast<double>();
    if (!point.allFinite()) {
        raise(where, "data: got a NaN or infinite value, expected finite values. Remove or impute those rows.");
    }
    const auto dims = static_cast<std::size_t>(point.cols());
    // summed in feature order as condensed_euclidean, so distances between observations are its bits
    auto distance = [&point, dims](std::size_t a, std::size_t b) {
        const double* pa = point.data() + a * dims;
        const double* pb = point.data() + b * dims;
        double sum = 0.0;
        for (std::size_t k = 0; k < dims; ++k) {
            const double diff = pa[k] - pb[k];
            sum += diff * diff;
        }
        return std::sqrt(sum);
    };
    auto merge = [&point, dims](std::size_t a, std::size_t b, double, int na, int nb, const active_list&,
                                const std::vector<int>&) {
        double* pa = point.data() + a * dims;
        double* pb = point.data() + b * dims;
        for (std::size_t c = 0; c < dims; ++c) {
            if constexpr (VMedian) {
                pb[c] = 0.5 * (pa[c] + pb[c]);
            } else {
                pb[c] = (na * pa[c] + nb * pb[c]) / (na + nb);
            }
        }
    };
    return generic_core(n, distance, merge);
}

}  // namespace detail

/// \brief Centroid linkage (UPGMC) computed from the observations in O(n·d) memory (no condensed matrix).
///
/// Each cluster is represented by its centroid \f$ c_{A\cup B} = (|A| c_A + |B| c_B)/(|A| + |B|) \f$ and
/// \f$ d(A, B) = \|c_A - c_B\| \f$, the distance SciPy's Lance–Williams centroid update tracks (Müllner 2011,
/// sec. 2); the merges come from the same generic algorithm with its heap, tie rules and merge-order rows (centroid
/// linkage has inversions: a later row can be lower). Equals `linkage(x, linkage_method::centroid)` (SciPy
/// `linkage(X, 'centroid')`) with distances to rounding (about 1e-12 relative): SciPy updates distances by the
/// recurrence, this computes them from the centroids, so on data with exactly tied distances after the first merges
/// the choice between tied pairs can differ. O(n²·d) time, like fastcluster's `linkage_vector`.
/// \throws invalid_argument for fewer than 2 rows, no columns or non-finite values.
template <class TDerived>
linkage_matrix centroid_linkage_features(const Eigen::MatrixBase<TDerived>& x)
{
    return detail::generic_features<false>(x, "cluster.centroid_linkage_features");
}

/// \brief Median linkage (WPGMC) computed from the observations in O(n·d) memory (no condensed matrix): as
/// `centroid_linkage_features` with Gower's median point \f$ m_{A\cup B} = (m_A + m_B)/2 \f$ (whatever the cluster
/// sizes) as the representative, \f$ d(A, B) = \|m_A - m_B\| \f$, the distance of SciPy's median update. Equals
/// `linkage(x, linkage_method::median)` (SciPy `linkage(X, 'median')`) with distances to rounding; same caveat on
/// exact ties.
/// \throws invalid_argument for fewer than 2 rows, no columns or non-finite values.
template <class TDerived>
linkage_matrix median_linkage_features(const Eigen::MatrixBase<TDerived>& x)
{
    return detail::generic_features<true>(x, "cluster.median_linkage_features");
}

/// \brief Linkage of the observations (rows of `x`), through the O(n·d)-memory path whenever the method has one:
/// single (`single_linkage_features`, bit-identical to the condensed path), Ward, centroid and median
/// (`ward_linkage_features`, `centroid_linkage_features`, `median_linkage_features`, equal to rounding); the other
/// methods build the condensed distance matrix (`linkage`).
template <class TDerived>
linkage_matrix linkage_features(const Eigen::MatrixBase<TDerived>& x, linkage_method method)
{
    switch (method) {
    case linkage_method::single: return single_linkage_features(x);
    case linkage_method::ward: return ward_linkage_features(x);
    case linkage_method::centroid: return centroid_linkage_features(x);
    case linkage_method::median: return median_linkage_features(x);
    default: return linkage(x, method);
    }
}

}  // namespace radiogenomics::cluster
