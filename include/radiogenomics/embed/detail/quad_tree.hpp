#pragma once
/// \file quad_tree.hpp
/// \brief Space-partitioning tree over 2-D points for the Barnes–Hut t-SNE repulsive forces.
///
/// Built top-down by stable 4-way partitions of index ranges, so the tree (and every force computed
/// from it) depends only on the points, never on the thread count. A cell becomes a leaf when it holds
/// one point, when all its points coincide (duplicates), or at depth 64. The children of a cell are
/// stored next to each other, so a traversal reads a compact array.
/// Reference: J. Barnes & P. Hut, Nature 324 (1986); L. van der Maaten, "Accelerating t-SNE using
/// tree-based algorithms", JMLR 15 (2014).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace radiogenomics::embed::detail {

/// Quadtree over n points stored as x0, y0, x1, y1, ...
class quad_tree {
public:
    struct cell {
        double mass_x = 0.0;        ///< centre of mass
        double mass_y = 0.0;
        double width_sq = 0.0;      ///< squared side length of the (square) cell
        double count = 0.0;         ///< number of points in the cell
        std::uint32_t first_child = 0;  ///< index of the first child (children are consecutive)
        std::uint32_t children = 0;     ///< number of children; 0 for a leaf
    };

    explicit quad_tree(const std::vector<double>& points) : m_points(points)
    {
        const std::size_t n = points.size() / 2;
        m_order.resize(n);
        m_scratch.resize(n);
        m_leaf_of.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            m_order[i] = static_cast<std::uint32_t>(i);
        }
        if (n == 0) {
            return;
        }
        double min_x = points[0];
        double max_x = points[0];
        double min_y = points[1];
        double max_y = points[1];
        for (std::size_t i = 1; i < n; ++i) {
            min_x = std::min(min_x, points[2 * i]);
            max_x = std::max(max_x, points[2 * i]);
            min_y = std::min(min_y, points[2 * i + 1]);
            max_y = std::max(max_y, points[2 * i + 1]);
        }
        const double half = 0.5 * std::max(max_x - min_x, max_y - min_y) * (1.0 + 1e-12) + 1e-300;
        m_cells.reserve(2 * n + 1);
        m_cells.emplace_back();
        build(0, 0.5 * (min_x + max_x), 0.5 * (min_y + max_y), half, 0, n, 0);
    }

    const std::vector<cell>& cells() const { return m_cells; }

    /// \brief Repulsive-force terms for point i with the Barnes–Hut criterion
    /// \f$ w_{cell}^2 / \|y_i - y_{cell}\|^2 < \theta^2 \f$ (w = cell side, as scikit-learn).
    ///
    /// Adds \f$\sum_j q_{ij}^2 (y_i - y_j)\f$ to `force` and returns \f$\sum_{j\ne i} q_{ij}\f$ with
    /// \f$ q_{ij} = 1/(1 + \|y_i - y_j\|^2) \f$ (summarised cells count their points × the term at the
    /// centre of mass).
    double repulsion(std::size_t i, double theta, double force[2]) const
    {
        const double xi = m_points[2 * i];
        const double yi = m_points[2 * i + 1];
        const double theta_sq = theta * theta;
        const std::uint32_t own_leaf = m_leaf_of[i];
        double sum_q = 0.0;
        double fx = 0.0;
        double fy = 0.0;
        std::uint32_t stack[256];
        std::size_t top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const std::uint32_t index = stack[--top];
            const cell& c = m_cells[index];
            const double dx = xi - c.mass_x;
            const double dy = yi - c.mass_y;
            const double d2 = dx * dx + dy * dy;
            if (c.children == 0 || c.width_sq < theta_sq * d2) {
                const double count = index == own_leaf ? c.count - 1.0 : c.count;
                if (count > 0.0) {
                    const double q = 1.0 / (1.0 + d2);
                    sum_q += count * q;
                    const double m = count * q * q;
                    fx += m * dx;
                    fy += m * dy;
                }
                continue;
            }
            for (std::uint32_t k = c.children; k-- > 0;) {
                stack[top++] = c.first_child + k;
            }
        }
        force[0] += fx;
        force[1] += fy;
        return sum_q;
    }

private:
    /// Fills cell `index` for points m_order[begin, end) inside the square (cx, cy, half).
    void build(std::uint32_t index, double cx, double cy, double half, std::size_t begin, std::size_t end, int depth)
    {
        double sx = 0.0;
        double sy = 0.0;
        bool all_same = true;
        const double x0 = m_points[2 * m_order[begin]];
        const double y0 = m_points[2 * m_order[begin] + 1];
        for (std::size_t k = begin; k < end; ++k) {
            const double x = m_points[2 * m_order[k]];
            const double y = m_points[2 * m_order[k] + 1];
            sx += x;
            sy += y;
            all_same = all_same && x == x0 && y == y0;
        }
        const std::size_t count = end - begin;
        {
            cell& c = m_cells[index];
            c.mass_x = sx / static_cast<double>(count);
            c.mass_y = sy / static_cast<double>(count);
            c.width_sq = 4.0 * half * half;
            c.count = static_cast<double>(count);
        }
        if (count == 1 || all_same || depth >= 64) {
            for (std::size_t k = begin; k < end; ++k) {
                m_leaf_of[m_order[k]] = index;
            }
            return;
        }
        // Stable 4-way partition: 0: x<cx,y<cy  1: x>=cx,y<cy  2: x<cx,y>=cy  3: x>=cx,y>=cy.
        std::array<std::size_t, 5> start{};
        for (std::size_t k = begin; k < end; ++k) {
            ++start[static_cast<std::size_t>(quadrant(m_order[k], cx, cy)) + 1];
        }
        start[0] = begin;
        for (std::size_t q = 1; q < 5; ++q) {
            start[q] += start[q - 1];
        }
        std::array<std::size_t, 4> fill{start[0], start[1], start[2], start[3]};
        for (std::size_t k = begin; k < end; ++k) {
            const std::uint32_t p = m_order[k];
            m_scratch[fill[static_cast<std::size_t>(quadrant(p, cx, cy))]++] = p;
        }
        std::copy(m_scratch.begin() + static_cast<std::ptrdiff_t>(begin),
                  m_scratch.begin() + static_cast<std::ptrdiff_t>(end),
                  m_order.begin() + static_cast<std::ptrdiff_t>(begin));
        const auto first = static_cast<std::uint32_t>(m_cells.size());
        std::uint32_t children = 0;
        for (std::size_t q = 0; q < 4; ++q) {
            children += start[q + 1] > start[q] ? 1U : 0U;
        }
        m_cells.resize(m_cells.size() + children);
        m_cells[index].first_child = first;
        m_cells[index].children = children;
        const double h = 0.5 * half;
        std::uint32_t slot = first;
        for (std::size_t q = 0; q < 4; ++q) {
            if (start[q + 1] > start[q]) {
                const double qx = cx + ((q & 1U) ? h : -h);
                const double qy = cy + ((q & 2U) ? h : -h);
                build(slot++, qx, qy, h, start[q], start[q + 1], depth + 1);
            }
        }
    }

    int quadrant(std::uint32_t p, double cx, double cy) const
    {
        return (m_points[2 * p] >= cx ? 1 : 0) + (m_points[2 * p + 1] >= cy ? 2 : 0);
    }

    const std::vector<double>& m_points;
    std::vector<std::uint32_t> m_order;
    std::vector<std::uint32_t> m_scratch;
    std::vector<std::uint32_t> m_leaf_of;
    std::vector<cell> m_cells;
};

}  // namespace radiogenomics::embed::detail
