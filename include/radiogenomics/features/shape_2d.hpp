#pragma once
/// \file shape_2d.hpp
/// \brief 2D shape features, PyRadiomics class `shape2D` (enabled with `force2D`; 9 default features plus
/// the deprecated SphericalDisproportion).
///
/// Symbols (PyRadiomics docs and radiomics/shape2D.py, C extension `cshape.calculate_coefficients2D`):
/// the ROI must be one slice thick along `force2Ddimension` (numpy axis: 0 = z, 1 = y, 2 = x); that axis is
/// dropped, leaving a plane with rows/columns in numpy order (z, y, x minus the dropped one) and spacing
/// \f$(s_r, s_c)\f$. The plane is padded with one row/column of zeros, and a marching-squares contour is
/// traced at iso-level 0.5: its vertices are the midpoints of grid edges between an ROI pixel and a
/// background pixel; a diagonal pair of ROI pixels (saddle square) is *not* connected (both saddle cases cut
/// off the two ROI corners). With \f$N_f\f$ contour lines \f$(\mathbf a_i, \mathbf b_i)\f$ (physical
/// coordinates of the padded plane):
/// - \f$A = \frac12\sum_i (a_{i,r} b_{i,c} - b_{i,r} a_{i,c})\f$, the signed (shoelace) area enclosed,
/// - \f$P = \sum_i \lVert\mathbf a_i - \mathbf b_i\rVert\f$, the contour length,
/// - \f$N_p\f$ the pixel count, \f$\lambda_{minor}\le\lambda_{major}\f$ the eigenvalues of the covariance
///   (denominator \f$N_p\f$) of the physical pixel-centre coordinates.
///
/// \par IBSI
/// IBSI chapter 1 defines morphology only in 3D; the 2D features have no IBSI tags. The contour and the
/// PCA follow the 3D definitions (`morph_area_mesh` ↔ Perimeter, `morph_volume` ↔ MeshSurface,
/// `morph_sphericity`, `morph_diam`, `morph_pca_*` with PyRadiomics' denominator \f$N_p\f$).
///
/// \par PyRadiomics' extractor
/// `RadiomicsFeatureExtractor.computeShape` only calls shape2D when force2D is true and tests the bounding
/// box size with an index in SimpleITK (x, y, z) order; the shape2D class itself raises
/// `ValueError("Size of the mask in dimension %i is more than 1, cannot compute 2D shape")` when the mask is
/// thicker than one slice along `force2Ddimension`. `shape_2d_features` reproduces the class: a
/// `mask_error` for a thick mask and an `invalid_argument` without `force_2d`.
///
/// \par Degenerate input
/// One pixel: \f$A = s_r s_c/2\f$ (a diamond), \f$\lambda = 0\f$, so Major/MinorAxisLength are 0 and
/// Elongation NaN (0/0), as in PyRadiomics.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/features/shape.hpp"

namespace radiogenomics::features {

/// 2D shape features in PyRadiomics' output order (sorted by method name, as `shape2D.execute` returns them).
enum class shape_2d_feature : std::size_t {
    /// \brief Elongation: \f$\sqrt{\lambda_{minor}/\lambda_{major}}\f$ (inverse of the true elongation).
    elongation,
    /// \brief MajorAxisLength: \f$4\sqrt{\lambda_{major}}\f$.
    major_axis_length,
    /// \brief MaximumDiameter: largest distance between contour vertices.
    maximum_diameter,
    /// \brief MeshSurface: A, the area enclosed by the contour (shoelace sum).
    mesh_surface,
    /// \brief MinorAxisLength: \f$4\sqrt{\lambda_{minor}}\f$.
    minor_axis_length,
    /// \brief Perimeter: P, the contour length.
    perimeter,
    /// \brief PerimeterSurfaceRatio: P / A.
    perimeter_surface_ratio,
    /// \brief PixelSurface: \f$N_p s_r s_c\f$.
    pixel_surface,
    /// \brief SphericalDisproportion: \f$P/(2\sqrt{\pi A})\f$. Deprecated in PyRadiomics (not default).
    spherical_disproportion,
    /// \brief Sphericity: \f$2\sqrt{\pi A}/P\f$ (1 for a circle).
    sphericity,
    count
};

using shape_2d_values = std::array<double, static_cast<std::size_t>(shape_2d_feature::count)>;

// `shape_2d_table` (names of class `shape2D`, row r = slot r of `shape_2d_values`) is in feature_table.hpp.
static_assert(shape_2d_table.size() == static_cast<std::size_t>(shape_2d_feature::count),
              "shape_2d_table and shape_2d_feature must list the same features");

/// Contour-derived quantities of a 2D mask.
struct shape_2d_contour {
    double surface = 0.0;    ///< A, mm^2
    double perimeter = 0.0;  ///< P, mm
    double diameter = 0.0;   ///< largest vertex distance, mm
};

namespace detail {

/// Marching-squares corners (row, column offsets) p0..p3 clockwise from the top-left corner.
inline constexpr int square_corner[4][2] = {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
/// Edge midpoints v0 (top), v1 (right), v2 (bottom), v3 (left), as (row, column) offsets.
inline constexpr double square_edge_point[4][2] = {{0.0, 0.5}, {0.5, 1.0}, {1.0, 0.5}, {0.5, 0.0}};
/// Oriented lines per square index (bit c = corner c inside): pairs of edges, -1 terminated. The
/// orientation keeps the ROI on the same side, so the shoelace terms sum to the enclosed area; the two
/// saddle cases (5, 10) cut off both ROI corners.
inline constexpr int square_lines[16][5] = {
    {-1, -1, -1, -1, -1}, {3, 0, -1, -1, -1}, {0, 1, -1, -1, -1}, {3, 1, -1, -1, -1},
    {1, 2, -1, -1, -1},   {1, 2, 3, 0, -1},   {0, 2, -1, -1, -1}, {3, 2, -1, -1, -1},
    {2, 3, -1, -1, -1},   {2, 0, -1, -1, -1}, {0, 1, 2, 3, -1},   {2, 1, -1, -1, -1},
    {1, 3, -1, -1, -1},   {1, 0, -1, -1, -1}, {0, 3, -1, -1, -1}, {-1, -1, -1, -1, -1}};

}  // namespace detail

/// Marching-squares area, perimeter and diameter of a 2D mask (`shape` = (rows, columns), columns fastest,
/// `spacing` = (row, column) mm). The mask is padded with zeros as PyRadiomics does; coordinates are those
/// of the padded plane, summed in PyRadiomics' row-major square order.
inline shape_2d_contour contour_measures(const std::vector<std::uint8_t>& mask, const std::array<std::size_t, 2>& shape,
                                         const std::array<double, 2>& spacing)
{
    if (mask.size() != shape[0] * shape[1]) {
        raise<invalid_argument>("features.contour_measures", "mask size: got ", mask.size(), ", expected ",
                                shape[0], " x ", shape[1], " = ", shape[0] * shape[1], ".");
    }
    const auto rows = static_cast<long>(shape[0]);
    const auto cols = static_cast<long>(shape[1]);
    // padded coordinates p = index + 1
    const auto inside = [&](long r, long c) -> bool {
        --r, --c;
        if (r < 0 || c < 0 || r >= rows || c >= cols) {
            return false;
        }
        return mask[static_cast<std::size_t>(c + cols * r)] != 0;
    };
    shape_2d_contour out;
    double twice_area = 0.0;
    std::vector<detail::point3> vertices;
    for (long r = 0; r <= rows; ++r) {
        for (long c = 0; c <= cols; ++c) {
            unsigned square = 0;
            for (unsigned k = 0; k < 4; ++k) {
                if (inside(r + detail::square_corner[k][0], c + detail::square_corner[k][1])) {
                    square |= 1u << k;
                }
            }
            if (square == 0 || square == 15) {
                continue;
            }
            for (const int* e = detail::square_lines[square]; *e >= 0; e += 2) {
                const double a0 = (static_cast<double>(r) + detail::square_edge_point[e[0]][0]) * spacing[0];
                const double a1 = (static_cast<double>(c) + detail::square_edge_point[e[0]][1]) * spacing[1];
                const double b0 = (static_cast<double>(r) + detail::square_edge_point[e[1]][0]) * spacing[0];
                const double b1 = (static_cast<double>(c) + detail::square_edge_point[e[1]][1]) * spacing[1];
                twice_area += a0 * b1 - b0 * a1;
                out.perimeter += std::sqrt((a0 - b0) * (a0 - b0) + (a1 - b1) * (a1 - b1));
            }
            // Each contour vertex once: the left edge (v3, corners p0/p3) and the bottom edge (v2, corners p2/p3).
            const bool p0 = (square & 1u) != 0, p2 = (square & 4u) != 0, p3 = (square & 8u) != 0;
            if (p0 != p3) {
                vertices.push_back({(static_cast<double>(r) + 0.5) * spacing[0], static_cast<double>(c) * spacing[1], 0.0});
            }
            if (p2 != p3) {
                vertices.push_back({(static_cast<double>(r) + 1.0) * spacing[0], (static_cast<double>(c) + 0.5) * spacing[1], 0.0});
            }
        }
    }
    out.surface = twice_area / 2.0;
    out.diameter = detail::max_pairwise_distance(vertices);
    return out;
}

/// The 2D shape features of a plane mask (`shape` = (rows, columns), columns fastest, `spacing` = (row,
/// column) mm); see the file comment for the definitions. Throws `mask_error` for an empty mask.
inline shape_2d_values shape_2d_plane_features(const std::vector<std::uint8_t>& mask,
                                               const std::array<std::size_t, 2>& shape,
                                               const std::array<double, 2>& spacing)
{
    const shape_2d_contour contour = contour_measures(mask, shape, spacing);
    // PCA of pixel-centre coordinates (rows, columns; covariance with denominator N).
    std::size_t count = 0;
    Eigen::Vector2d mean = Eigen::Vector2d::Zero();
    for (std::size_t r = 0; r < shape[0]; ++r) {
        for (std::size_t c = 0; c < shape[1]; ++c) {
            if (mask[c + shape[1] * r]) {
                mean += Eigen::Vector2d(static_cast<double>(r) * spacing[0], static_cast<double>(c) * spacing[1]);
                ++count;
            }
        }
    }
    if (count == 0) {
        raise<mask_error>("features.shape_2d_plane_features", "ROI pixel count: got 0, expected at least 1.");
    }
    mean /= static_cast<double>(count);
    Eigen::Matrix2d cov = Eigen::Matrix2d::Zero();
    const double scale = 1.0 / std::sqrt(static_cast<double>(count));
    for (std::size_t r = 0; r < shape[0]; ++r) {
        for (std::size_t c = 0; c < shape[1]; ++c) {
            if (mask[c + shape[1] * r]) {
                const Eigen::Vector2d d =
                    (Eigen::Vector2d(static_cast<double>(r) * spacing[0], static_cast<double>(c) * spacing[1]) - mean) *
                    scale;
                cov += d * d.transpose();
            }
        }
    }
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix2d> solver(cov, Eigen::EigenvaluesOnly);
    std::array<double, 2> lambda{solver.eigenvalues()[0], solver.eigenvalues()[1]};
    for (double& l : lambda) {
        if (l < 0.0 && l > -1e-10) {
            l = 0.0;  // PyRadiomics: machine-precision negatives
        }
    }
    std::sort(lambda.begin(), lambda.end());
    const auto axis = [](double l) { return l < 0.0 ? std::nan("") : 4.0 * std::sqrt(l); };

    shape_2d_values out{};
    const auto put = [&](shape_2d_feature f, double v) { out[static_cast<std::size_t>(f)] = v; };
    const double pi = 3.14159265358979323846;
    const double a = contour.surface;
    const double p = contour.perimeter;
    const double sphericity = 2.0 * std::sqrt(pi * a) / p;
    put(shape_2d_feature::elongation,
        lambda[0] < 0.0 || lambda[1] < 0.0 ? std::nan("") : std::sqrt(lambda[0] / lambda[1]));
    put(shape_2d_feature::major_axis_length, axis(lambda[1]));
    put(shape_2d_feature::maximum_diameter, contour.diameter);
    put(shape_2d_feature::mesh_surface, a);
    put(shape_2d_feature::minor_axis_length, axis(lambda[0]));
    put(shape_2d_feature::perimeter, p);
    put(shape_2d_feature::perimeter_surface_ratio, p / a);
    put(shape_2d_feature::pixel_surface, static_cast<double>(count) * spacing[0] * spacing[1]);
    put(shape_2d_feature::spherical_disproportion, 1.0 / sphericity);
    put(shape_2d_feature::sphericity, sphericity);
    return out;
}

/// Computes class `shape2D` of `roi` (label mask, not re-segmented) with `force2D` / `force2Ddimension`.
///
/// Throws `invalid_argument` when `options.force_2d` is false or `force_2d_dimension` is not 0, 1 or 2,
/// and `mask_error` when the mask is more than one slice thick along that axis (PyRadiomics' ValueError).
///
/// An ROI of a 2-D image (`roi.dimension` 2) is a plane already: force2D is implied (PyRadiomics computes shape2D
/// for any 2-D input).
inline shape_2d_values shape_2d_features(const roi_data& roi, const settings& given)
{
    const char* where = "features.shape_2d_features";
    const settings options = roi.dimension == 2 ? planar_settings(given) : given;
    if (!options.force_2d) {
        raise<invalid_argument>(where, "force2D: got false, expected true. Shape2D can only be calculated for 3D "
                                       "input with force2D (PyRadiomics shape2D).");
    }
    if (options.force_2d_dimension < 0 || options.force_2d_dimension > 2) {
        raise<invalid_argument>(where, "force2Ddimension: got ", options.force_2d_dimension,
                                ", expected 0 (z), 1 (y) or 2 (x).");
    }
    const auto& box = roi.shape_box;
    const std::array<std::size_t, 3> ext{box.extent(0), box.extent(1), box.extent(2)};  // (x, y, z)
    // numpy axis n <-> our axis 2 - n
    const auto dropped = static_cast<std::size_t>(2 - options.force_2d_dimension);
    if (ext[dropped] > 1) {
        raise<mask_error>(where, "mask size along force2Ddimension ", options.force_2d_dimension, ": got ",
                          ext[dropped], " slices, expected 1. Shape2D needs a mask one slice thick (PyRadiomics: "
                          "\"Size of the mask in dimension is more than 1, cannot compute 2D shape\").");
    }
    // The plane's rows/columns are the two kept axes in numpy order (slowest first).
    std::array<std::size_t, 2> kept{};  // our axes: kept[0] = row axis, kept[1] = column axis
    std::size_t n = 0;
    for (std::size_t d = 3; d-- > 0;) {
        if (d != dropped) {
            kept[n++] = d;
        }
    }
    const std::array<std::size_t, 2> plane_shape{ext[kept[0]], ext[kept[1]]};
    const std::array<double, 2> plane_spacing{roi.spacing[kept[0]], roi.spacing[kept[1]]};
    std::vector<std::uint8_t> plane(plane_shape[0] * plane_shape[1], 0);
    for (std::size_t k = 0; k < ext[2]; ++k) {
        for (std::size_t j = 0; j < ext[1]; ++j) {
            for (std::size_t i = 0; i < ext[0]; ++i) {
                const std::array<std::size_t, 3> idx{i, j, k};
                plane[idx[kept[1]] + plane_shape[1] * idx[kept[0]]] = roi.shape_mask[i + ext[0] * (j + ext[1] * k)];
            }
        }
    }
    return shape_2d_plane_features(plane, plane_shape, plane_spacing);
}

}  // namespace radiogenomics::features
