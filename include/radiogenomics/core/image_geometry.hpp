#pragma once
/// \file image_geometry.hpp
/// \brief The physical grid of an image: shape, spacing, origin and direction cosines.
///
/// \par Physical convention
/// Physical points are in millimetres in **LPS** (x grows to the patient's Left, y to Posterior,
/// z to Superior), the convention of DICOM and ITK. NIfTI files are RAS and are converted on read
/// and write (`io/nifti.hpp`): x and y flip sign.
///
/// \par Index ↔ point
/// For a continuous index \f$\mathbf{i}\f$ (0-based, voxel centres at integers):
/// \f[ \mathbf{p} = \mathbf{o} + D\,\mathrm{diag}(\mathbf{s})\,\mathbf{i}, \qquad
///     \mathbf{i} = \mathrm{diag}(\mathbf{s})^{-1} D^{\mathsf T} (\mathbf{p} - \mathbf{o}) \f]
/// where column `c` of the direction matrix \f$D\f$ is the unit vector of index axis `c` (as ITK).

#include <array>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics {

/// Shape, spacing (mm), origin (mm, LPS) and direction cosines of a `VDim`-dimensional grid.
template <std::size_t VDim>
class image_geometry {
public:
    static constexpr std::size_t dimension = VDim;
    using size_type = std::array<std::size_t, VDim>;
    using index_type = std::array<std::ptrdiff_t, VDim>;
    using point_type = std::array<double, VDim>;
    using direction_type = std::array<std::array<double, VDim>, VDim>;  ///< direction[row][column]

    /// Empty grid, unit spacing, zero origin, identity direction.
    image_geometry()
    {
        m_shape.fill(0);
        m_spacing.fill(1.0);
        m_origin.fill(0.0);
        m_direction = identity_direction();
    }

    /// A grid with identity direction.
    image_geometry(const size_type& shape, const point_type& spacing, const point_type& origin)
        : image_geometry(shape, spacing, origin, identity_direction())
    {
    }

    /// A fully specified grid; throws `geometry_error` for non-positive/non-finite spacing,
    /// non-finite origin or a direction matrix that is not orthonormal (tolerance 1e-6).
    image_geometry(const size_type& shape, const point_type& spacing, const point_type& origin,
                   const direction_type& direction)
        : m_shape(shape)
    {
        set_spacing(spacing);
        set_origin(origin);
        set_direction(direction);
    }

    const size_type& shape() const { return m_shape; }
    const point_type& spacing() const { return m_spacing; }
    const point_type& origin() const { return m_origin; }
    const direction_type& direction() const { return m_direction; }

    /// Number of voxels.
    std::size_t size() const
    {
        std::size_t n = 1;
        for (const std::size_t s : m_shape) {
            n *= s;
        }
        return n;
    }

    /// Volume of one voxel (mm^VDim).
    double voxel_volume() const
    {
        double v = 1.0;
        for (const double s : m_spacing) {
            v *= s;
        }
        return v;
    }

    void set_shape(const size_type& shape) { m_shape = shape; }

    void set_spacing(const point_type& spacing)
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (!(spacing[d] > 0.0) || !std::isfinite(spacing[d])) {
                raise<geometry_error>("core.image_geometry.set_spacing", "spacing[", d, "]: got ", spacing[d],
                                      ", expected a finite value > 0.");
            }
        }
        m_spacing = spacing;
    }

    void set_origin(const point_type& origin)
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (!std::isfinite(origin[d])) {
                raise<geometry_error>("core.image_geometry.set_origin", "origin[", d, "]: got ", origin[d],
                                      ", expected a finite value.");
            }
        }
        m_origin = origin;
    }

    /// Sets the direction cosines; columns must be orthonormal within 1e-6.
    void set_direction(const direction_type& direction)
    {
        for (std::size_t a = 0; a < VDim; ++a) {
            for (std::size_t b = 0; b < VDim; ++b) {
                double dot = 0.0;
                for (std::size_t r = 0; r < VDim; ++r) {
                    dot += direction[r][a] * direction[r][b];
                }
                const double expected = a == b ? 1.0 : 0.0;
                if (!(std::abs(dot - expected) <= 1e-6)) {
                    raise<geometry_error>("core.image_geometry.set_direction", "direction columns ", a, " and ", b,
                                          ": got dot product ", dot, ", expected ", expected,
                                          " (orthonormal direction cosines).");
                }
            }
        }
        m_direction = direction;
    }

    /// Physical point (mm, LPS) of a continuous index.
    point_type index_to_physical(const point_type& index) const
    {
        point_type p = m_origin;
        for (std::size_t r = 0; r < VDim; ++r) {
            for (std::size_t c = 0; c < VDim; ++c) {
                p[r] += m_direction[r][c] * m_spacing[c] * index[c];
            }
        }
        return p;
    }

    /// Physical point of an integer index.
    point_type index_to_physical(const index_type& index) const
    {
        point_type continuous{};
        for (std::size_t d = 0; d < VDim; ++d) {
            continuous[d] = static_cast<double>(index[d]);
        }
        return index_to_physical(continuous);
    }

    /// Continuous index of a physical point.
    point_type physical_to_index(const point_type& point) const
    {
        point_type index{};
        for (std::size_t c = 0; c < VDim; ++c) {
            double sum = 0.0;
            for (std::size_t r = 0; r < VDim; ++r) {
                sum += m_direction[r][c] * (point[r] - m_origin[r]);
            }
            index[c] = sum / m_spacing[c];
        }
        return index;
    }

    /// True when the index lies inside the grid.
    bool contains(const index_type& index) const
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (index[d] < 0 || static_cast<std::size_t>(index[d]) >= m_shape[d]) {
                return false;
            }
        }
        return true;
    }

    /// The sub-grid of `size` voxels starting at index `start` (same spacing and direction).
    image_geometry region(const index_type& start, const size_type& size) const
    {
        image_geometry out = *this;
        out.m_shape = size;
        out.m_origin = index_to_physical(start);
        return out;
    }

    /// Same shape, and spacing, origin, direction equal within `tolerance` (ITK uses 1e-6).
    bool same_grid(const image_geometry& other, double tolerance = 1e-6) const
    {
        if (m_shape != other.m_shape) {
            return false;
        }
        for (std::size_t r = 0; r < VDim; ++r) {
            if (std::abs(m_spacing[r] - other.m_spacing[r]) > tolerance * std::max(1.0, std::abs(m_spacing[r])) ||
                std::abs(m_origin[r] - other.m_origin[r]) > tolerance * std::max(1.0, std::abs(m_origin[r]))) {
                return false;
            }
            for (std::size_t c = 0; c < VDim; ++c) {
                if (std::abs(m_direction[r][c] - other.m_direction[r][c]) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    /// One-line description, e.g. `shape (5, 4, 4) spacing (2, 2, 2) origin (0, 0, 0) direction ((1,0,0),...)`.
    std::string describe() const
    {
        std::ostringstream out;
        out.precision(10);
        const auto list = [&out](const auto& values) {
            out << '(';
            for (std::size_t d = 0; d < VDim; ++d) {
                out << (d ? ", " : "") << values[d];
            }
            out << ')';
        };
        out << "shape ";
        list(m_shape);
        out << " spacing ";
        list(m_spacing);
        out << " origin ";
        list(m_origin);
        out << " direction (";
        for (std::size_t r = 0; r < VDim; ++r) {
            out << (r ? ", " : "");
            list(m_direction[r]);
        }
        out << ')';
        return out.str();
    }

    static direction_type identity_direction()
    {
        direction_type d{};
        for (std::size_t r = 0; r < VDim; ++r) {
            for (std::size_t c = 0; c < VDim; ++c) {
                d[r][c] = r == c ? 1.0 : 0.0;
            }
        }
        return d;
    }

private:
    size_type m_shape;
    point_type m_spacing;
    point_type m_origin;
    direction_type m_direction;
};

/// Throws `geometry_error` printing both grids when they differ (tolerance 1e-6, as ITK).
template <std::size_t VDim>
void require_same_grid(const image_geometry<VDim>& a, const image_geometry<VDim>& b, const std::string& where,
                       const char* name_a = "image", const char* name_b = "mask")
{
    if (!a.same_grid(b)) {
        raise<geometry_error>(where, name_a, " and ", name_b, " grids differ: got ", name_a, " ", a.describe(),
                              " and ", name_b, " ", b.describe(),
                              ", expected the same grid. Resample one onto the other first.");
    }
}

}  // namespace radiogenomics
