#pragma once
/// \file shape.hpp
/// \brief 3D shape features, PyRadiomics class `shape` (14 default features).
///
/// Symbols (PyRadiomics docs, radiomics/shape.py and its C extension `cshape`): the ROI surface is a
/// marching-cubes mesh of the label mask at iso-level 0.5 (voxel centres on the grid, edge midpoints as
/// vertices, the mask padded by one voxel so the surface closes). \f$A\f$ is the sum of triangle areas,
/// \f$V\f$ the enclosed volume from signed tetrahedra \f$\frac16\sum \mathbf a\cdot(\mathbf b\times\mathbf
/// c)\f$, \f$N_v\f$ the voxel count, \f$\lambda_1\le\lambda_2\le\lambda_3\f$ the eigenvalues of the
/// covariance (denominator \f$N_v\f$) of the physical voxel-centre coordinates. Like PyRadiomics, only the
/// first 128 case rows are used (a case and its complement share a triangulation).
///
/// \par MeshVolume sign (PyRadiomics' 128-row table)
/// PyRadiomics (C `calculate_coefficients`) triangulates a cube whose corner 7 is inside with the row of its
/// complement and flips the sign of that cube's tetrahedra. For the two configurations of a face with two diagonal
/// inside corners this changes the surface, not just its orientation: a cube taken from the table directly cuts
/// the two inside corners apart on that face, a complemented cube cuts the two outside corners off and joins the
/// inside ones. Where two neighbouring cubes resolve their shared face differently (two ROI voxels touching only
/// along an edge, one cube with corner 7 inside and the other without) the mesh has a hole: the quadrilateral
/// between the four edge midpoints of that face. The signed-tetrahedron sum of an open mesh depends on the origin,
/// so each hole subtracts (or adds) the cone from the origin (the padded mask's first voxel) over that quadrilateral,
/// which grows with the distance of the face from the origin. On compact ROIs holes are rare and small against the
/// volume; on sparse ROIs with many edge-touching voxels spread over many slices they can outweigh it and
/// MeshVolume becomes negative (and SurfaceVolumeRatio, Compactness1 with it; Sphericity, Compactness2 and
/// SphericalDisproportion use V^2). By default MeshVolume is that signed sum, PyRadiomics' value. With
/// `ibsi_compliant` it is the volume inside the iso-surface summed cube by cube (each cube's part bounded by its own
/// triangles and its faces), which is origin-free, never negative and equal to the mesh volume of any closed mesh
/// (IBSI `morph_volume`, RNU0, assumes a closed mesh).
///
/// \par IBSI
/// IBSI's PCA axis lengths use the sample covariance (N - 1): PyRadiomics' Minor/LeastAxisLength miss the
/// IBSI digital-phantom consensus (9.24 vs 9.31, 8.48 vs 8.54). With `ibsi_compliant` the eigenvalues are
/// scaled by N/(N - 1) (Major/Minor/LeastAxisLength change; Elongation and Flatness do not). Everything
/// else equals IBSI's definition (mesh at iso-level 0.5 on the zero-padded mask).
///
/// \par Degenerate input
/// One voxel: \f$\lambda = 0\f$, so the axis lengths are 0 and Elongation/Flatness NaN (0/0).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "radiogenomics/features/detail/marching_cubes_table.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"

namespace radiogenomics::features {

/// Shape features in PyRadiomics' output order (including the deprecated, non-default ones).
enum class shape_feature : std::size_t {
    /// \brief Compactness1: \f$V/\sqrt{\pi A^3}\f$. Deprecated in PyRadiomics (not default). IBSI `morph_comp_1` (SKGS).
    compactness1,
    /// \brief Compactness2: \f$36\pi V^2/A^3\f$. Deprecated (not default). IBSI `morph_comp_2` (BQWJ).
    compactness2,
    /// \brief Elongation: \f$\sqrt{\lambda_2/\lambda_3}\f$. IBSI `morph_pca_elongation` (Q3CK).
    elongation,
    /// \brief Flatness: \f$\sqrt{\lambda_1/\lambda_3}\f$. IBSI `morph_pca_flatness` (N17B).
    flatness,
    /// \brief LeastAxisLength: \f$4\sqrt{\lambda_1}\f$. IBSI `morph_pca_least_axis` (7J51): covariance
    /// with N - 1 (`ibsi_compliant`).
    least_axis_length,
    /// \brief MajorAxisLength: \f$4\sqrt{\lambda_3}\f$. IBSI `morph_pca_maj_axis` (TDIC): covariance
    /// with N - 1 (`ibsi_compliant`).
    major_axis_length,
    /// \brief Maximum2DDiameterColumn: largest vertex distance within a coronal plane (equal y).
    maximum_2d_diameter_column,
    /// \brief Maximum2DDiameterRow: largest vertex distance within a sagittal plane (equal x).
    maximum_2d_diameter_row,
    /// \brief Maximum2DDiameterSlice: largest vertex distance within an axial plane (equal z).
    maximum_2d_diameter_slice,
    /// \brief Maximum3DDiameter: largest distance between mesh vertices. IBSI `morph_diam` (L0JK).
    maximum_3d_diameter,
    /// \brief MeshVolume: V (signed as PyRadiomics sums it; the enclosed volume with `ibsi_compliant`, see the
    /// file comment). IBSI `morph_volume` (RNU0).
    mesh_volume,
    /// \brief MinorAxisLength: \f$4\sqrt{\lambda_2}\f$. IBSI `morph_pca_min_axis` (P9VJ): covariance
    /// with N - 1 (`ibsi_compliant`).
    minor_axis_length,
    /// \brief SphericalDisproportion: \f$A/(36\pi V^2)^{1/3}\f$. Deprecated (not default). IBSI `morph_sph_dispr` (KRCK).
    spherical_disproportion,
    /// \brief Sphericity: \f$(36\pi V^2)^{1/3}/A\f$. IBSI `morph_sphericity` (QCFX).
    sphericity,
    /// \brief SurfaceArea: A. IBSI `morph_area_mesh` (C0JK).
    surface_area,
    /// \brief SurfaceVolumeRatio: A / V. IBSI `morph_av` (2PR5).
    surface_volume_ratio,
    /// \brief VoxelVolume: \f$N_v\prod s_d\f$. IBSI `morph_vol_approx` (YEKZ).
    voxel_volume,
    count
};

using shape_values = std::array<double, static_cast<std::size_t>(shape_feature::count)>;

/// Mesh-derived quantities.
struct shape_mesh {
    double surface_area = 0.0;
    /// PyRadiomics' MeshVolume: \f$\frac16\sum \pm(\mathbf a\times\mathbf b)\cdot\mathbf c\f$ over the triangles,
    /// origin at the padded mask's first voxel, sign as summed (negative on some sparse ROIs, see the file comment).
    double volume = 0.0;
    /// The volume inside the iso-surface, cube by cube (always >= 0; equals `volume` when the mesh is closed).
    double enclosed_volume = 0.0;
    double diameter_3d = 0.0;
    double diameter_slice = 0.0;   ///< equal z
    double diameter_column = 0.0;  ///< equal y
    double diameter_row = 0.0;     ///< equal x
};

namespace detail {

using point3 = std::array<double, 3>;

/// Largest pairwise distance; prunes with the triangle inequality around the centroid (exact result).
inline double max_pairwise_distance(std::vector<point3>& pts)
{
    if (pts.size() < 2) {
        return 0.0;
    }
    point3 c{0.0, 0.0, 0.0};
    for (const auto& p : pts) {
        for (std::size_t d = 0; d < 3; ++d) {
            c[d] += p[d];
        }
    }
    for (double& v : c) {
        v /= static_cast<double>(pts.size());
    }
    std::vector<std::pair<double, std::size_t>> order(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const double dx = pts[i][0] - c[0], dy = pts[i][1] - c[1], dz = pts[i][2] - c[2];
        order[i] = {std::sqrt(dx * dx + dy * dy + dz * dz), i};
    }
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    double best2 = 0.0;
    const double slack = 1.0 + 1e-9;
    for (std::size_t a = 0; a < order.size(); ++a) {
        const double ra = order[a].first;
        const double best = std::sqrt(best2);
        if ((ra + order[0].first) * slack < best) {
            break;
        }
        const point3& pa = pts[order[a].second];
        for (std::size_t b = a + 1; b < order.size(); ++b) {
            if ((ra + order[b].first) * slack < std::sqrt(best2)) {
                break;
            }
            const point3& pb = pts[order[b].second];
            const double dx = pa[0] - pb[0], dy = pa[1] - pb[1], dz = pa[2] - pb[2];
            best2 = std::max(best2, dx * dx + dy * dy + dz * dz);
        }
    }
    return std::sqrt(best2);
}

/// Largest distance between points sharing coordinate `axis` exactly.
inline double max_planar_distance(std::vector<point3> pts, std::size_t axis)
{
    std::sort(pts.begin(), pts.end(), [axis](const point3& a, const point3& b) { return a[axis] < b[axis]; });
    double best = 0.0;
    std::vector<point3> group;
    for (std::size_t a = 0; a < pts.size();) {
        std::size_t b = a;
        while (b < pts.size() && pts[b][axis] == pts[a][axis]) {
            ++b;
        }
        group.assign(pts.begin() + static_cast<std::ptrdiff_t>(a), pts.begin() + static_cast<std::ptrdiff_t>(b));
        best = std::max(best, max_pairwise_distance(group));
        a = b;
    }
    return best;
}

/// For each of the first 128 cube configurations: the fraction of the cube's three faces opposite corner 0
/// (a0 = 1, a1 = 1, a2 = 1) that lies inside the iso-surface, summed. A face with k inside corners has 0, 1/8,
/// 1/2 (k = 2 side by side), 7/8 or 1 inside; with two diagonal inside corners 1/4 if the row's triangles cut
/// those corners apart and 3/4 if they cut the outside corners off (a triangle holds both edge midpoints
/// around an outside corner).
inline const std::array<double, 128>& marching_cubes_face_fractions()
{
    static const std::array<double, 128> table = [] {
        // faces as corners in cyclic order and the edge joining each corner to the next
        static constexpr int faces[3][4] = {{4, 5, 6, 7}, {3, 2, 6, 7}, {1, 2, 6, 5}};
        static constexpr int face_edges[3][4] = {{4, 5, 6, 7}, {2, 10, 6, 11}, {1, 10, 5, 9}};
        std::array<double, 128> out{};
        for (unsigned c = 0; c < 128; ++c) {
            std::vector<std::array<int, 3>> triangles;
            for (const char* t = marching_cubes_triangles[c]; *t != '\0'; t += 3) {
                std::array<int, 3> tri{};
                for (int k = 0; k < 3; ++k) {
                    tri[static_cast<std::size_t>(k)] = t[k] <= '9' ? t[k] - '0' : t[k] - 'a' + 10;
                }
                triangles.push_back(tri);
            }
            const auto has_segment = [&](int e1, int e2) {
                for (const auto& tri : triangles) {
                    const bool h1 = tri[0] == e1 || tri[1] == e1 || tri[2] == e1;
                    const bool h2 = tri[0] == e2 || tri[1] == e2 || tri[2] == e2;
                    if (h1 && h2) {
                        return true;
                    }
                }
                return false;
            };
            double sum = 0.0;
            for (int f = 0; f < 3; ++f) {
                int in[4];
                int k = 0;
                for (int v = 0; v < 4; ++v) {
                    in[v] = static_cast<int>((c >> faces[f][v]) & 1u);
                    k += in[v];
                }
                if (k == 1) {
                    sum += 1.0 / 8.0;
                } else if (k == 3) {
                    sum += 7.0 / 8.0;
                } else if (k == 4) {
                    sum += 1.0;
                } else if (k == 2) {
                    if (in[0] != in[2]) {
                        sum += 0.5;  // side by side
                    } else {
                        // diagonal: outside corner v, its edges face_edges[v - 1] and face_edges[v]
                        const int v = in[0] != 0 ? 1 : 0;
                        const bool joined = has_segment(face_edges[f][(v + 3) % 4], face_edges[f][v]);
                        sum += joined ? 0.75 : 0.25;
                    }
                }
            }
            out[c] = sum;
        }
        return out;
    }();
    return table;
}

}  // namespace detail

/// Marching-cubes surface, volume and diameters of a binary mask (x fastest, `shape` = (nx, ny, nz),
/// `spacing` (x, y, z)). Coordinates follow PyRadiomics: numpy (z, y, x) order on the mask padded by one.
inline shape_mesh mesh_measures(const std::vector<std::uint8_t>& mask, const std::array<std::size_t, 3>& shape,
                                const std::array<double, 3>& spacing)
{
    // numpy order sizes and spacing
    const std::array<long, 3> n{static_cast<long>(shape[2]), static_cast<long>(shape[1]), static_cast<long>(shape[0])};
    const std::array<double, 3> sp{spacing[2], spacing[1], spacing[0]};
    // padded coordinates p = index + 1; inside(p) reads the mask
    const auto inside = [&](long z, long y, long x) -> bool {
        --z, --y, --x;
        if (z < 0 || y < 0 || x < 0 || z >= n[0] || y >= n[1] || x >= n[2]) {
            return false;
        }
        return mask[static_cast<std::size_t>(x + n[2] * (y + n[1] * z))] != 0;
    };
    static constexpr int corner[8][3] = {{0, 0, 0}, {0, 0, 1}, {0, 1, 1}, {0, 1, 0},
                                         {1, 0, 0}, {1, 0, 1}, {1, 1, 1}, {1, 1, 0}};
    static constexpr double edge_point[12][3] = {{0, 0, 0.5}, {0, 0.5, 1}, {0, 1, 0.5}, {0, 0.5, 0},
                                                 {1, 0, 0.5}, {1, 0.5, 1}, {1, 1, 0.5}, {1, 0.5, 0},
                                                 {0.5, 0, 0}, {0.5, 0, 1}, {0.5, 1, 1}, {0.5, 1, 0}};
    shape_mesh out;
    double volume6 = 0.0;
    double enclosed = 0.0;
    const double cell = sp[0] * sp[1] * sp[2];
    std::vector<detail::point3> vertices;
    for (long iz = 0; iz <= n[0]; ++iz) {
        for (long iy = 0; iy <= n[1]; ++iy) {
            for (long ix = 0; ix <= n[2]; ++ix) {
                unsigned cube = 0;
                for (unsigned c = 0; c < 8; ++c) {
                    if (inside(iz + corner[c][0], iy + corner[c][1], ix + corner[c][2])) {
                        cube |= 1u << c;
                    }
                }
                if (cube == 0 || cube == 255) {
                    enclosed += cube == 255 ? cell : 0.0;
                    continue;
                }
                // vertices owned by this cube: edges 6, 7, 11 (all meet corner 7)
                for (int e : {6, 7, 11}) {
                    static constexpr int ends[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6},
                                                        {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
                    if (((cube >> ends[e][0]) & 1u) != ((cube >> ends[e][1]) & 1u)) {
                        vertices.push_back({(static_cast<double>(iz) + edge_point[e][0]) * sp[0],
                                            (static_cast<double>(iy) + edge_point[e][1]) * sp[1],
                                            (static_cast<double>(ix) + edge_point[e][2]) * sp[2]});
                    }
                }
                double sign = 1.0;
                unsigned row = cube;
                if (cube & 0x80u) {
                    row = cube ^ 0xffu;
                    sign = -1.0;
                }
                double local6 = 0.0;  // tetrahedra from the cube's corner 0: the inside (or complement) part
                for (const char* t = detail::marching_cubes_triangles[row]; *t != '\0'; t += 3) {
                    detail::point3 v[3];
                    detail::point3 w[3];  // cube-local
                    for (int k = 0; k < 3; ++k) {
                        const char ch = t[k];
                        const int e = ch <= '9' ? ch - '0' : ch - 'a' + 10;
                        v[k] = {(static_cast<double>(iz) + edge_point[e][0]) * sp[0],
                                (static_cast<double>(iy) + edge_point[e][1]) * sp[1],
                                (static_cast<double>(ix) + edge_point[e][2]) * sp[2]};
                        w[k] = {edge_point[e][0] * sp[0], edge_point[e][1] * sp[1], edge_point[e][2] * sp[2]};
                    }
                    const double ab[3] = {v[1][0] - v[0][0], v[1][1] - v[0][1], v[1][2] - v[0][2]};
                    const double ac[3] = {v[2][0] - v[0][0], v[2][1] - v[0][1], v[2][2] - v[0][2]};
                    const double cr[3] = {ab[1] * ac[2] - ab[2] * ac[1], ab[2] * ac[0] - ab[0] * ac[2],
                                          ab[0] * ac[1] - ab[1] * ac[0]};
                    out.surface_area += 0.5 * std::sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]);
                    // PyRadiomics' expression: (a x b) . c, times the sign of the complemented cube
                    const double axb[3] = {v[0][1] * v[1][2] - v[1][1] * v[0][2], v[0][2] * v[1][0] - v[1][2] * v[0][0],
                                           v[0][0] * v[1][1] - v[1][0] * v[0][1]};
                    volume6 += sign * (axb[0] * v[2][0] + axb[1] * v[2][1] + axb[2] * v[2][2]);
                    const double lxb[3] = {w[0][1] * w[1][2] - w[1][1] * w[0][2], w[0][2] * w[1][0] - w[1][2] * w[0][0],
                                           w[0][0] * w[1][1] - w[1][0] * w[0][1]};
                    local6 += lxb[0] * w[2][0] + lxb[1] * w[2][1] + lxb[2] * w[2][2];
                }
                // divergence theorem in the cube: triangles plus the inside parts of the faces opposite corner 0
                const double part = local6 / 6.0 + detail::marching_cubes_face_fractions()[row] * cell / 3.0;
                enclosed += sign > 0.0 ? part : cell - part;
            }
        }
    }
    out.volume = volume6 / 6.0;
    out.enclosed_volume = enclosed;
    out.diameter_slice = detail::max_planar_distance(vertices, 0);
    out.diameter_column = detail::max_planar_distance(vertices, 1);
    out.diameter_row = detail::max_planar_distance(vertices, 2);
    out.diameter_3d = detail::max_pairwise_distance(vertices);
    return out;
}

/// Computes every shape feature of `roi` (label mask, not re-segmented).
///
/// Throws `invalid_argument` for the ROI of a 2-D image (`roi.dimension` 2): its shape class is `shape2D`
/// (`shape_2d_features`), as PyRadiomics computes 3-D shape for 3-D input only.
inline shape_values shape_features(const roi_data& roi, const settings& options)
{
    if (roi.dimension != 3) {
        raise<invalid_argument>("features.shape_features", "ROI dimension: got ", roi.dimension,
                                ", expected 3. A 2-D image has the shape2D class (shape_2d_features).");
    }
    const auto& box = roi.shape_box;
    const std::array<std::size_t, 3> ext{box.extent(0), box.extent(1), box.extent(2)};
    const shape_mesh mesh = mesh_measures(roi.shape_mask, ext, roi.spacing);

    // PCA of voxel-centre coordinates (numpy order z, y, x; covariance with denominator N).
    std::size_t count = 0;
    Eigen::Vector3d mean = Eigen::Vector3d::Zero();
    for (std::size_t k = 0; k < ext[2]; ++k) {
        for (std::size_t j = 0; j < ext[1]; ++j) {
            for (std::size_t i = 0; i < ext[0]; ++i) {
                if (roi.shape_mask[i + ext[0] * (j + ext[1] * k)]) {
                    mean += Eigen::Vector3d(static_cast<double>(k) * roi.spacing[2], static_cast<double>(j) * roi.spacing[1],
                                            static_cast<double>(i) * roi.spacing[0]);
                    ++count;
                }
            }
        }
    }
    mean /= static_cast<double>(count);
    Eigen::Matrix3d cov = Eigen::Matrix3d::Zero();
    const double scale = 1.0 / std::sqrt(static_cast<double>(count));
    for (std::size_t k = 0; k < ext[2]; ++k) {
        for (std::size_t j = 0; j < ext[1]; ++j) {
            for (std::size_t i = 0; i < ext[0]; ++i) {
                if (roi.shape_mask[i + ext[0] * (j + ext[1] * k)]) {
                    const Eigen::Vector3d d =
                        (Eigen::Vector3d(static_cast<double>(k) * roi.spacing[2], static_cast<double>(j) * roi.spacing[1],
                                         static_cast<double>(i) * roi.spacing[0]) - mean) * scale;
                    cov += d * d.transpose();
                }
            }
        }
    }
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> solver(cov, Eigen::EigenvaluesOnly);
    std::array<double, 3> lambda{solver.eigenvalues()[0], solver.eigenvalues()[1], solver.eigenvalues()[2]};
    std::sort(lambda.begin(), lambda.end());
    if (options.ibsi_compliant && count > 1) {
        // IBSI (3.1.x PCA features) uses the sample covariance (denominator N - 1).
        for (double& l : lambda) {
            l *= static_cast<double>(count) / static_cast<double>(count - 1);
        }
    }
    for (double& l : lambda) {
        if (l < 0.0 && l > -1e-10) {
            l = 0.0;  // PyRadiomics: machine-precision negatives of flat ROIs
        }
    }
    const auto axis = [](double l) { return l < 0.0 ? std::nan("") : 4.0 * std::sqrt(l); };

    shape_values out{};
    const auto put = [&](shape_feature f, double v) { out[static_cast<std::size_t>(f)] = v; };
    const double pi = 3.14159265358979323846;
    const double a = mesh.surface_area;
    const double v = options.ibsi_compliant ? mesh.enclosed_volume : mesh.volume;
    put(shape_feature::compactness1, v / std::sqrt(pi * a * a * a));
    put(shape_feature::compactness2, 36.0 * pi * v * v / (a * a * a));
    put(shape_feature::elongation, std::sqrt(lambda[1] / lambda[2]));
    put(shape_feature::flatness, std::sqrt(lambda[0] / lambda[2]));
    put(shape_feature::least_axis_length, axis(lambda[0]));
    put(shape_feature::major_axis_length, axis(lambda[2]));
    put(shape_feature::maximum_2d_diameter_column, mesh.diameter_column);
    put(shape_feature::maximum_2d_diameter_row, mesh.diameter_row);
    put(shape_feature::maximum_2d_diameter_slice, mesh.diameter_slice);
    put(shape_feature::maximum_3d_diameter, mesh.diameter_3d);
    put(shape_feature::mesh_volume, v);
    put(shape_feature::minor_axis_length, axis(lambda[1]));
    put(shape_feature::spherical_disproportion, a / std::cbrt(36.0 * pi * v * v));
    put(shape_feature::sphericity, std::cbrt(36.0 * pi * v * v) / a);
    put(shape_feature::surface_area, a);
    put(shape_feature::surface_volume_ratio, a / v);
    put(shape_feature::voxel_volume, static_cast<double>(count) * roi.spacing[0] * roi.spacing[1] * roi.spacing[2]);
    return out;
}

}  // namespace radiogenomics::features
