#pragma once
/// \file quad_tree.hpp
/// \brief Space-partitioning tree over 2-D points for the Barnes–Hut t-SNE repulsive forces.
///
/// Built top-down by splitting index ranges into quadrants, so the tree (and every force computed
/// from it) depends only on the points, never on the thread count. A cell becomes a leaf when it holds
/// one point, when all its points coincide (duplicates), or at depth 64.
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
        double center_x = 0.0;     ///< geometric centre
        double center_y = 0.0;
        double half_width = 0.0;   ///< half the side of the (square) cell
        double mass_x = 0.0;       ///< centre of mass
        double mass_y = 0.0;
        std::size_t count = 0;     ///< points in the cell
        std::size_t begin = 0;     ///< range in `order()` of the cell's points
        std::array<std::uint32_t, 4> children{{0, 0, 0, 0}};  ///< 0 = no child (the root is never a child)
        bool leaf = true;
    };

    explicit quad_tree(const std::vector<double>& points) : m_points(points)
    {
        const std::size_t n = points.size() / 2;
        m_order.resize(n);
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
        m_cells.reserve(2 * n);
        build(0.5 * (min_x + max_x), 0.5 * (min_y + max_y), half, 0, n, 0);
    }

    const std::vector<cell>& cells() const { return m_cells; }
    const std::vector<std::uint32_t>& order() const { return m_order; }

    /// \brief Repulsive-force terms for point i with the Barnes–Hut criterion
    /// \f$ w_{cell}^2 / \|y_i - y_{cell}\|^2 < \theta^2 \f$ (w = full cell width, as scikit-learn).
    ///
    /// Adds \f$\sum_j q_{ij}^2 (y_i - y_j)\f$ to `force` and returns \f$\sum_{j\ne i} q_{ij}\f$ with
    /// \f$ q_{ij} = 1/(1 + \|y_i - y_j\|^2) \f$ (summarised cells count their points × the term at the
    /// centre of mass).
    double repulsion(std::size_t i, double theta, double force[2]) const
    {
        const double xi = m_points[2 * i];
        const double yi = m_points[2 * i + 1];
        const double theta_sq = theta * theta;
        double sum_q = 0.0;
        double fx = 0.0;
        double fy = 0.0;
        std::uint32_t stack[256];
        std::size_t top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const cell& c = m_cells[stack[--top]];
            const double dx = xi - c.mass_x;
            const double dy = yi - c.mass_y;
            const double d2 = dx * dx + dy * dy;
            const double width = 2.0 * c.half_width;
            if (c.leaf || width * width < theta_sq * d2) {
                double count = static_cast<double>(c.count);
                if (c.leaf && contains(c, i)) {
                    count -= 1.0;  // the point itself (its duplicates sit at distance 0)
                }
                if (count <= 0.0) {
                    continue;
                }
                const double q = 1.0 / (1.0 + d2);
                sum_q += count * q;
                const double m = count * q * q;
                fx += m * dx;
                fy += m * dy;
                continue;
            }
            for (int k = 3; k >= 0; --k) {
                if (c.children[static_cast<std::size_t>(k)] != 0) {
                    stack[top++] = c.children[static_cast<std::size_t>(k)];
                }
            }
        }
        force[0] += fx;
        force[1] += fy;
        return sum_q;
    }

private:
    bool contains(const cell& c, std::size_t i) const
    {
        for (std::size_t k = c.begin; k < c.begin + c.count; ++k) {
            if (m_order[k] == i) {
                return true;
            }
        }
        return false;
    }

    std::uint32_t build(double cx, double cy, double half, std::size_t begin, std::size_t end, int depth)
    {
        const auto index = static_cast<std::uint32_t>(m_cells.size());
        m_cells.emplace_back();
        cell c;
        c.center_x = cx;
        c.center_y = cy;
        c.half_width = half;
        c.begin = begin;
        c.count = end - begin;
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
        c.mass_x = sx / static_cast<double>(c.count);
        c.mass_y = sy / static_cast<double>(c.count);
        c.leaf = c.count == 1 || all_same || depth >= 64;
        if (!c.leaf) {
            // Partition [begin, end) into quadrants 0: x<cx,y<cy  1: x>=cx,y<cy  2: x<cx,y>=cy  3: x>=cx,y>=cy
            auto quadrant = [&](std::uint32_t p) {
                return (m_points[2 * p] >= cx ? 1 : 0) + (m_points[2 * p + 1] >= cy ? 2 : 0);
            };
            std::stable_sort(m_order.begin() + static_cast<std::ptrdiff_t>(begin),
                             m_order.begin() + static_cast<std::ptrdiff_t>(end),
                             [&](std::uint32_t a, std::uint32_t b) { return quadrant(a) < quadrant(b); });
            std::size_t start = begin;
            const double h = 0.5 * half;
            for (int q = 0; q < 4; ++q) {
                std::size_t stop = start;
                while (stop < end && quadrant(m_order[stop]) == q) {
                    ++stop;
                }
                if (stop > start) {
                    const double qx = cx + ((q & 1) ? h : -h);
                    const double qy = cy + ((q & 2) ? h : -h);
                    c.children[static_cast<std::size_t>(q)] = build(qx, qy, h, start, stop, depth + 1);
                }
                start = stop;
            }
        }
        m_cells[index] = c;
        return index;
    }

    const std::vector<double>& m_points;
    std::vector<std::uint32_t> m_order;
    std::vector<cell> m_cells;
};

}  // namespace radiogenomics::embed::detail
