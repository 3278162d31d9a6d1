#pragma once
/// \file resample.hpp
/// \brief Resampling onto a reference grid in physical space (nearest, linear, cubic B-spline), mask
///        resampling with a partial-volume threshold, and the resampled grids of PyRadiomics and IBSI.
///
/// \par Mapping
/// Output voxel \f$\mathbf{i}_o\f$ of the reference grid sits at the physical point
/// \f$\mathbf{p} = \mathbf{o}_o + D_o S_o \mathbf{i}_o\f$; its continuous index in the source is
/// \f[ \mathbf{c} = S_s^{-1} D_s^{\mathsf T} (\mathbf{p} - \mathbf{o}_s) = A\,\mathbf{i}_o + \mathbf{b}. \f]
/// Spacing, origin and direction of both grids may differ (ITK `ResampleImageFilter` with an identity transform).
/// \f$\mathbf{c}\f$ is evaluated with ITK 5.2's own operation order (row ends mapped through the grids' matrices,
/// voxels interpolated along the row; `detail::itk_index_map`), so that it has ITK's last bits: a nearest-neighbour
/// position that falls on a tie between two source voxels (common when 6.5 mm slices go to 1 mm) is rounded on
/// exactly the value ITK rounds.
///
/// \par Inside / outside
/// As ITK (`ImageFunction::IsInsideBuffer`), a point is inside when every \f$c_d \in [-\tfrac12, n_d - \tfrac12)\f$;
/// other output voxels get `default_value`.
///
/// \par Interpolators (the values match ITK/SimpleITK and SciPy inside the image)
/// - `nearest`: the voxel \f$\lfloor c_d + \tfrac12 \rfloor\f$, ties up, rounded as ITK `Math::RoundHalfIntegerUp`
///   (`detail::itk_round_half_up`; ITK `NearestNeighborInterpolateImageFunction`). Voxel for voxel equal to ITK 5.2
///   on axis-aligned grids (`tests/fixtures/preprocess/itk/`).
/// - `linear`: multilinear over the \f$2^D\f$ neighbours, indices clamped to the image (ITK
///   `LinearInterpolateImageFunction`; SciPy `map_coordinates(order=1, mode='nearest')`).
/// - `bspline`: cubic B-spline \f$f(\mathbf{c}) = \sum_{\mathbf{k}} c_{\mathbf{k}} \prod_d \beta^3(c_d - k_d)\f$ with
///   coefficients from Unser's recursive prefilter (pole \f$z = \sqrt3 - 2\f$, gain 6;
///   `detail::bspline3_prefilter_lines`, its `truncated` mode) and whole-sample mirror
///   boundaries for both prefilter and evaluation (Unser, IEEE Signal Process. Mag. 16(6):22–38, 1999;
///   ITK `BSplineInterpolateImageFunction` order 3 = SimpleITK `sitkBSpline`;
///   SciPy `map_coordinates(order=3, mode='mirror')`). It interpolates the samples exactly and reproduces
///   polynomials up to degree 3 away from the borders.
///
/// \par Speed
/// When the mapping is axis-aligned (\f$A\f$ diagonal with exact zeros, the usual PET→CT case) the interpolation is
/// evaluated separably, slice by slice of the output (z, then x, then y); otherwise per voxel. Output slices run
/// in parallel (OpenMP); each voxel is computed by one thread from the same inputs, so results do not depend on
/// the thread count.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/image_geometry.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/crop.hpp"
#include "radiogenomics/preprocess/detail/bspline_prefilter.hpp"
#include "radiogenomics/preprocess/detail/mirror_index.hpp"

namespace radiogenomics::preprocess {

/// Interpolation method (SimpleITK `sitkNearestNeighbor`, `sitkLinear`, `sitkBSpline`).
enum class interpolator { nearest, linear, bspline };

/// Name as in SimpleITK: "sitkNearestNeighbor", "sitkLinear", "sitkBSpline".
inline const char* interpolator_name(interpolator method)
{
    switch (method) {
    case interpolator::nearest: return "sitkNearestNeighbor";
    case interpolator::linear: return "sitkLinear";
    case interpolator::bspline: return "sitkBSpline";
    }
    return "unknown";
}

namespace detail {

using shape3 = std::array<std::ptrdiff_t, 3>;


/// ITK `Math::RoundHalfIntegerUp` (hence `Math::Round`, `Index::CopyWithRound`) as built for x86-64, where ITK uses its
/// SSE2 form: the integer nearest to \f$2x + \tfrac12\f$ (rounded in double, ties to even), halved toward −∞.
/// Exact halves go up (k + ½ → k + 1); unlike `floor(x + 0.5)` the sum is formed at twice the scale, so
/// values within an ulp of a half can round differently. This is how `NearestNeighborInterpolateImageFunction`
/// picks its voxel.
inline std::ptrdiff_t itk_round_half_up(double x)
{
    const double twice = std::nearbyint(2.0 * x + 0.5);
    return static_cast<std::ptrdiff_t>(std::floor(twice * 0.5));
}

/// Cubic B-spline weights for the taps `floor(c) − 1 … floor(c) + 2` at fractional part `t ∈ [0, 1)`:
/// \f$\beta^3(1+t), \beta^3(t), \beta^3(1-t), \beta^3(2-t)\f$.
inline void cubic_bspline_weights(double t, double* w)
{
    const double t2 = t * t;
    const double t3 = t2 * t;
    const double u = 1.0 - t;
    w[0] = u * u * u / 6.0;
    w[1] = (3.0 * t3 - 6.0 * t2 + 4.0) / 6.0;
    w[2] = (-3.0 * t3 + 3.0 * t2 + 3.0 * t + 1.0) / 6.0;
    w[3] = t3 / 6.0;
}

/// Prefilters a column-major 3-D array (x fastest) along each axis; y and z lines are filtered many at a time
/// (`bspline3_prefilter_lines`, `truncated` mode: the resampling's ITK/SimpleITK peers).
inline void bspline_prefilter(std::vector<double>& values, const shape3& n)
{
    const std::ptrdiff_t nx = n[0];
    const std::ptrdiff_t ny = n[1];
    const std::ptrdiff_t nz = n[2];
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < nz; ++k) {
        double* slice = values.data() + nx * ny * k;
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            bspline3_prefilter_lines(slice + nx * j, nx, 1, 1, bspline_prefilter_mode::truncated);
        }
        bspline3_prefilter_lines(slice, ny, nx, nx, bspline_prefilter_mode::truncated);
    }
    if (nz > 1) {
        RG_PARALLEL_FOR
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            bspline3_prefilter_lines(values.data() + nx * j, nz, nx * ny, nx, bspline_prefilter_mode::truncated);
        }
    }
}

/// Taps and weights of one axis at continuous index `c` (already known to be inside).
/// Writes up to 4 taps; returns the tap count.
inline int axis_taps(interpolator method, double c, std::ptrdiff_t n, std::ptrdiff_t* index, double* weight)
{
    if (n == 1) {
        index[0] = 0;
        weight[0] = 1.0;
        return 1;
    }
    switch (method) {
    case interpolator::nearest: {
        index[0] = std::clamp<std::ptrdiff_t>(itk_round_half_up(c), 0, n - 1);
        weight[0] = 1.0;
        return 1;
    }
    case interpolator::linear: {
        const double f = std::floor(c);
        const auto i = static_cast<std::ptrdiff_t>(f);
        const double t = c - f;
        index[0] = std::clamp<std::ptrdiff_t>(i, 0, n - 1);
        index[1] = std::clamp<std::ptrdiff_t>(i + 1, 0, n - 1);
        weight[0] = 1.0 - t;
        weight[1] = t;
        return 2;
    }
    case interpolator::bspline: {
        const double f = std::floor(c);
        const auto i = static_cast<std::ptrdiff_t>(f);
        cubic_bspline_weights(c - f, weight);
        for (int m = 0; m < 4; ++m) {
            index[m] = mirror_index(i - 1 + m, n);
        }
        return 4;
    }
    }
    return 0;
}

inline bool inside_axis(double c, std::ptrdiff_t n)
{
    return c >= -0.5 && c < static_cast<double>(n) - 0.5;
}

/// Writes a double into `TOut`: floating types cast; integer types are clamped to the type's range and truncated
/// toward zero, as ITK `ResampleImageFilter` (`CastPixelWithBoundsChecking`) and hence SimpleITK/PyRadiomics do.
template <class TOut>
TOut convert_pixel(double v)
{
    if constexpr (std::is_floating_point_v<TOut>) {
        return static_cast<TOut>(v);
    } else if constexpr (std::is_same_v<TOut, bool>) {
        return v != 0.0;
    } else {
        const double lo = static_cast<double>(std::numeric_limits<TOut>::lowest());
        const double hi = static_cast<double>(std::numeric_limits<TOut>::max());
        if (std::isnan(v)) {
            return TOut{};
        }
        return static_cast<TOut>(std::clamp(v, lo, hi));
    }
}

/// The largest image dimension the resampling code handles: it works on grids promoted to 3 axes.
inline constexpr std::size_t max_resample_dimension = 3;

template <std::size_t VDim>
shape3 promote_shape(const typename image_geometry<VDim>::size_type& shape)
{
    static_assert(VDim >= 2 && VDim <= max_resample_dimension,
                  "preprocess resampling supports 2-D and 3-D images only");
    shape3 n{1, 1, 1};
    for (std::size_t d = 0; d < VDim; ++d) {
        n[d] = static_cast<std::ptrdiff_t>(shape[d]);
    }
    return n;
}

/// Output index → continuous source index with the arithmetic of ITK 5.2 `ResampleImageFilter` (identity
/// transform, the "linear" path SimpleITK/PyRadiomics take), so that nearest-neighbour ties fall as in ITK:
/// - a grid's index→physical matrix is \f$M = D\,\mathrm{diag}(s)\f$ (`ImageBase::ComputeIndexToPhysicalPointMatrices`);
///   an integer index maps to \f$p_r = ((o_r + M_{r0} i_0) + M_{r1} i_1) + M_{r2} i_2\f$
///   (`TransformIndexToPhysicalPoint`, this order);
/// - a physical point maps to \f$c_r = ((0 + P_{r0} v_0) + P_{r1} v_1) + P_{r2} v_2\f$ with \f$v = p - o_{src}\f$ and
///   \f$P = M_{src}^{-1}\f$ (`TransformPhysicalPointToContinuousIndex`, `Matrix::operator*`);
/// - along each output row (x) only the first voxel (i = 0) and the one past the last (i = n_x) are mapped; voxel i
///   gets \f$c = c_{start} + \alpha (c_{end} - c_{start})\f$, \f$\alpha = i / n_x\f$ in double
///   (`LinearThreadedGenerateData`).
/// ITK inverts \f$M_{src}\f$ by SVD (`vnl_matrix_inverse`); for directions that are signed permutations (identity,
/// flips, axis swaps) that inverse is exactly \f$P_{rc} = D_{cr}/s_r\f$, used here. For oblique directions ITK's SVD
/// adds last-bit noise to \f$P\f$ that this transpose does not reproduce (voxels within ~1e-15 of a tie may differ).
/// 2-D images use the same formulas in 2-D; the promoted third axis maps index 0 to 0.
template <std::size_t VDim>
class itk_index_map {
    static_assert(VDim >= 2 && VDim <= max_resample_dimension,
                  "preprocess resampling supports 2-D and 3-D images only");

public:
    itk_index_map(const image_geometry<VDim>& source, const image_geometry<VDim>& output)
        : m_n0(static_cast<double>(output.shape()[0]))
    {
        const auto& ds = source.direction();
        const auto& dout = output.direction();
        for (std::size_t r = 0; r < VDim; ++r) {
            m_out_origin[r] = output.origin()[r];
            m_src_origin[r] = source.origin()[r];
            for (std::size_t c = 0; c < VDim; ++c) {
                m_out_matrix[r][c] = dout[r][c] * output.spacing()[c];
                m_src_inverse[r][c] = ds[c][r] / source.spacing()[r];
            }
        }
        // separable when c_r depends on i_r alone through exact zeros: P[r][q] M[q][c] vanishes for every c != r
        for (std::size_t r = 0; r < VDim; ++r) {
            for (std::size_t q = 0; q < VDim; ++q) {
                for (std::size_t c = 0; c < VDim; ++c) {
                    if (c != r && m_src_inverse[r][q] != 0.0 && m_out_matrix[q][c] != 0.0) {
                        m_separable = false;
                    }
                }
            }
        }
    }

    bool separable() const { return m_separable; }

    /// Continuous source index (promoted to 3-D) of the output voxel at integer index (i, j, k).
    std::array<double, 3> map_index(double i, double j, double k) const
    {
        const double idx[3] = {i, j, k};
        std::array<double, VDim> v{};
        for (std::size_t r = 0; r < VDim; ++r) {
            double p = m_out_origin[r];
            for (std::size_t c = 0; c < VDim; ++c) {
                p += m_out_matrix[r][c] * idx[c];
            }
            v[r] = p - m_src_origin[r];
        }
        std::array<double, 3> out{0.0, 0.0, 0.0};
        for (std::size_t r = 0; r < VDim; ++r) {
            double sum = 0.0;
            for (std::size_t q = 0; q < VDim; ++q) {
                sum += m_src_inverse[r][q] * v[q];
            }
            out[r] = sum;
        }
        return out;
    }

    /// Start (i = 0) and end (i = n_x) of output row (j, k) in source continuous indices.
    void row(std::ptrdiff_t j, std::ptrdiff_t k, std::array<double, 3>& start, std::array<double, 3>& end) const
    {
        start = map_index(0.0, static_cast<double>(j), static_cast<double>(k));
        end = map_index(m_n0, static_cast<double>(j), static_cast<double>(k));
    }

    /// Voxel i of a row: \f$c_{start} + (i/n_x)(c_{end} - c_{start})\f$, component by component.
    double along_row(double start, double end, std::ptrdiff_t i) const
    {
        const double alpha = static_cast<double>(i) / m_n0;
        return start + alpha * (end - start);
    }

private:
    double m_n0;
    std::array<std::array<double, VDim>, VDim> m_out_matrix{};
    std::array<std::array<double, VDim>, VDim> m_src_inverse{};
    std::array<double, VDim> m_out_origin{};
    std::array<double, VDim> m_src_origin{};
    bool m_separable = true;
};

/// Precomputed taps of one output axis for the separable path.
struct axis_table {
    int taps = 1;
    std::vector<std::ptrdiff_t> index;  // n_out * taps
    std::vector<double> weight;         // n_out * taps
    std::vector<std::uint8_t> inside;   // n_out

    /// `position[o]`: continuous source index of output index o along this axis.
    axis_table(interpolator method, const std::vector<double>& position, std::ptrdiff_t n_src)
    {
        const auto n_out = static_cast<std::ptrdiff_t>(position.size());
        taps = n_src == 1 ? 1 : (method == interpolator::nearest ? 1 : method == interpolator::linear ? 2 : 4);
        index.assign(static_cast<std::size_t>(n_out * taps), 0);
        weight.assign(static_cast<std::size_t>(n_out * taps), 0.0);
        inside.assign(static_cast<std::size_t>(n_out), 0);
        for (std::ptrdiff_t o = 0; o < n_out; ++o) {
            const double c = position[static_cast<std::size_t>(o)];
            if (inside_axis(c, n_src)) {
                inside[static_cast<std::size_t>(o)] = 1;
                axis_taps(method, c, n_src, &index[static_cast<std::size_t>(o * taps)],
                          &weight[static_cast<std::size_t>(o * taps)]);
            }
        }
    }
};

}  // namespace detail

/// Interpolates a (copied) image at continuous indices or physical points.
///
/// Holds the samples as `double` (or the B-spline coefficients for `bspline`), so the source image need not
/// outlive it. Values are defined on `[-0.5, n - 0.5)` per axis; see the file comment for each method.
template <class TPixel, std::size_t VDim>
class image_interpolator {
    static_assert(VDim >= 2 && VDim <= detail::max_resample_dimension,
                  "preprocess::image_interpolator supports 2-D and 3-D images only");

public:
    using geometry_type = image_geometry<VDim>;
    using point_type = typename geometry_type::point_type;

    /// \throws invalid_argument for an empty image or NaN/Inf voxels.
    image_interpolator(const image<TPixel, VDim>& source, interpolator method)
        : m_geometry(source.geometry()), m_method(method), m_shape(detail::promote_shape<VDim>(source.shape()))
    {
        if (source.empty()) {
            raise<invalid_argument>("preprocess.image_interpolator", "source: got an empty image (",
                                    source.geometry().describe(), "), expected at least one voxel.");
        }
        require_finite(source, "preprocess.image_interpolator", "source");
        m_values.resize(source.size());
        for (std::size_t i = 0; i < source.size(); ++i) {
            m_values[i] = static_cast<double>(source[i]);
        }
        if (method == interpolator::bspline) {
            detail::bspline_prefilter(m_values, m_shape);
        }
    }

    const geometry_type& geometry() const { return m_geometry; }
    interpolator method() const { return m_method; }
    /// Samples (nearest, linear) or B-spline coefficients (bspline), column-major.
    const std::vector<double>& values() const { return m_values; }

    /// True when every continuous index component lies in `[-0.5, n - 0.5)`.
    bool inside(const point_type& index) const
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (!detail::inside_axis(index[d], m_shape[d])) {
                return false;
            }
        }
        return true;
    }

    /// Value at a continuous index, or `default_value` outside.
    double at_index(const point_type& index, double default_value = 0.0) const
    {
        if (!inside(index)) {
            return default_value;
        }
        std::array<double, 3> c{0.0, 0.0, 0.0};
        for (std::size_t d = 0; d < VDim; ++d) {
            c[d] = index[d];
        }
        return evaluate(c);
    }

    /// Value at a physical point (mm, LPS), or `default_value` outside.
    double at_point(const point_type& point, double default_value = 0.0) const
    {
        return at_index(m_geometry.physical_to_index(point), default_value);
    }

    /// Value at a promoted 3-D continuous index already known to be inside.
    double evaluate(const std::array<double, 3>& c) const
    {
        std::ptrdiff_t ix[4], iy[4], iz[4];
        double wx[4], wy[4], wz[4];
        const int tx = detail::axis_taps(m_method, c[0], m_shape[0], ix, wx);
        const int ty = detail::axis_taps(m_method, c[1], m_shape[1], iy, wy);
        const int tz = detail::axis_taps(m_method, c[2], m_shape[2], iz, wz);
        const std::ptrdiff_t nx = m_shape[0];
        const std::ptrdiff_t nxy = m_shape[0] * m_shape[1];
        double sum = 0.0;
        for (int r = 0; r < tz; ++r) {
            double plane = 0.0;
            for (int q = 0; q < ty; ++q) {
                const double* row = m_values.data() + nx * iy[q] + nxy * iz[r];
                double line = 0.0;
                for (int p = 0; p < tx; ++p) {
                    line += wx[p] * row[ix[p]];
                }
                plane += wy[q] * line;
            }
            sum += wz[r] * plane;
        }
        return sum;
    }

    const detail::shape3& promoted_shape() const { return m_shape; }

private:
    geometry_type m_geometry;
    interpolator m_method;
    detail::shape3 m_shape;
    std::vector<double> m_values;
};

namespace detail {

template <class TOut, class TPixel, std::size_t VDim>
void resample_general(const image_interpolator<TPixel, VDim>& source, const itk_index_map<VDim>& map,
                      image<TOut, VDim>& out, double default_value)
{
    const shape3 no = promote_shape<VDim>(out.shape());
    const TOut fill = convert_pixel<TOut>(default_value);
    TOut* dst = out.begin_pointer();
    const auto& ns = source.promoted_shape();
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < no[2]; ++k) {
        for (std::ptrdiff_t j = 0; j < no[1]; ++j) {
            std::array<double, 3> start{};
            std::array<double, 3> end{};
            map.row(j, k, start, end);
            for (std::ptrdiff_t i = 0; i < no[0]; ++i) {
                std::array<double, 3> c{};
                bool in = true;
                for (std::size_t r = 0; r < 3; ++r) {
                    c[r] = map.along_row(start[r], end[r], i);
                    in = in && inside_axis(c[r], ns[r]);
                }
                dst[i + no[0] * (j + no[1] * k)] = in ? convert_pixel<TOut>(source.evaluate(c)) : fill;
            }
        }
    }
}

/// x pass of the separable path with a compile-time tap count.
template <int VTaps>
void interpolate_rows_x(const double* plane, std::ptrdiff_t n_in, double* tmp, std::ptrdiff_t n_out,
                        const axis_table& tx, std::ptrdiff_t row_lo, std::ptrdiff_t row_hi)
{
    const std::ptrdiff_t* index = tx.index.data();
    const double* weight = tx.weight.data();
    for (std::ptrdiff_t row = row_lo; row <= row_hi; ++row) {
        const double* in = plane + n_in * row;
        double* o = tmp + n_out * row;
        for (std::ptrdiff_t i = 0; i < n_out; ++i) {
            double v = 0.0;
            for (int p = 0; p < VTaps; ++p) {
                v += weight[i * VTaps + p] * in[index[i * VTaps + p]];
            }
            o[i] = v;
        }
    }
}

template <class TOut, class TPixel, std::size_t VDim>
void resample_separable(const image_interpolator<TPixel, VDim>& source, const itk_index_map<VDim>& map,
                        image<TOut, VDim>& out, double default_value)
{
    const shape3 no = promote_shape<VDim>(out.shape());
    const shape3& ns = source.promoted_shape();
    // per-axis positions; with exact zeros off the diagonal they equal ITK's per-voxel values (itk_index_map)
    std::array<std::vector<double>, 3> position;
    {
        std::array<double, 3> start{};
        std::array<double, 3> end{};
        map.row(0, 0, start, end);
        for (std::ptrdiff_t i = 0; i < no[0]; ++i) {
            position[0].push_back(map.along_row(start[0], end[0], i));
        }
        for (std::ptrdiff_t j = 0; j < no[1]; ++j) {
            position[1].push_back(map.map_index(0.0, static_cast<double>(j), 0.0)[1]);
        }
        for (std::ptrdiff_t k = 0; k < no[2]; ++k) {
            position[2].push_back(map.map_index(0.0, 0.0, static_cast<double>(k))[2]);
        }
    }
    const axis_table tx(source.method(), position[0], ns[0]);
    const axis_table ty(source.method(), position[1], ns[1]);
    const axis_table tz(source.method(), position[2], ns[2]);
    const TOut fill = convert_pixel<TOut>(default_value);
    const double* src = source.values().data();
    TOut* dst = out.begin_pointer();
    const std::ptrdiff_t sxy = ns[0] * ns[1];
    const std::ptrdiff_t oxy = no[0] * no[1];

    // source rows (y) actually referenced by the output, to skip the others in the x pass
    std::ptrdiff_t row_lo = ns[1];
    std::ptrdiff_t row_hi = -1;
    for (std::ptrdiff_t j = 0; j < no[1]; ++j) {
        if (ty.inside[static_cast<std::size_t>(j)]) {
            for (int q = 0; q < ty.taps; ++q) {
                const std::ptrdiff_t r = ty.index[static_cast<std::size_t>(j * ty.taps + q)];
                row_lo = std::min(row_lo, r);
                row_hi = std::max(row_hi, r);
            }
        }
    }

    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < no[2]; ++k) {
        TOut* slice = dst + oxy * k;
        if (!tz.inside[static_cast<std::size_t>(k)] || row_hi < 0) {
            std::fill(slice, slice + oxy, fill);
            continue;
        }
        // 1. combine source planes along z
        std::vector<double> plane(static_cast<std::size_t>(sxy), 0.0);
        for (int r = 0; r < tz.taps; ++r) {
            const double w = tz.weight[static_cast<std::size_t>(k * tz.taps + r)];
            const double* s = src + sxy * tz.index[static_cast<std::size_t>(k * tz.taps + r)];
            for (std::ptrdiff_t p = ns[0] * row_lo; p < ns[0] * (row_hi + 1); ++p) {
                plane[static_cast<std::size_t>(p)] += w * s[p];
            }
        }
        // 2. interpolate along x: rows of length no[0] for each used source row
        std::vector<double> tmp(static_cast<std::size_t>(no[0] * ns[1]), 0.0);
        switch (tx.taps) {
        case 1: interpolate_rows_x<1>(plane.data(), ns[0], tmp.data(), no[0], tx, row_lo, row_hi); break;
        case 2: interpolate_rows_x<2>(plane.data(), ns[0], tmp.data(), no[0], tx, row_lo, row_hi); break;
        default: interpolate_rows_x<4>(plane.data(), ns[0], tmp.data(), no[0], tx, row_lo, row_hi); break;
        }
        // 3. interpolate along y into the output slice
        std::vector<double> line(static_cast<std::size_t>(no[0]));
        for (std::ptrdiff_t j = 0; j < no[1]; ++j) {
            TOut* o = slice + no[0] * j;
            if (!ty.inside[static_cast<std::size_t>(j)]) {
                std::fill(o, o + no[0], fill);
                continue;
            }
            std::fill(line.begin(), line.end(), 0.0);
            for (int q = 0; q < ty.taps; ++q) {
                const double w = ty.weight[static_cast<std::size_t>(j * ty.taps + q)];
                const double* in = tmp.data() + no[0] * ty.index[static_cast<std::size_t>(j * ty.taps + q)];
                for (std::ptrdiff_t i = 0; i < no[0]; ++i) {
                    line[static_cast<std::size_t>(i)] += w * in[i];
                }
            }
            for (std::ptrdiff_t i = 0; i < no[0]; ++i) {
                o[i] = tx.inside[static_cast<std::size_t>(i)] ? convert_pixel<TOut>(line[static_cast<std::size_t>(i)])
                                                              : fill;
            }
        }
    }
}

template <std::size_t VDim>
void require_nonempty_grid(const image_geometry<VDim>& g, const char* where, const char* what)
{
    if (g.size() == 0) {
        raise<geometry_error>(where, what, ": got ", g.describe(), ", expected a grid with at least one voxel.");
    }
}

}  // namespace detail

/// Resamples `source` onto the grid of `out`, overwriting every voxel of `out` (no allocation of the output;
/// reuse one buffer when resampling many volumes onto the same grid). See `resample_as`.
template <class TOut, class TPixel, std::size_t VDim>
void resample_into(const image<TPixel, VDim>& source, image<TOut, VDim>& out,
                   interpolator method = interpolator::linear, double default_value = 0.0)
{
    static_assert(VDim >= 2 && VDim <= detail::max_resample_dimension,
                  "preprocess::resample supports 2-D and 3-D images only (VDim 2 or 3)");
    detail::require_nonempty_grid(out.geometry(), "preprocess.resample", "reference grid");
    const image_interpolator<TPixel, VDim> interp(source, method);
    const detail::itk_index_map<VDim> map(source.geometry(), out.geometry());
    if (map.separable()) {
        detail::resample_separable(interp, map, out, default_value);
    } else {
        detail::resample_general(interp, map, out, default_value);
    }
}

/// Resamples `source` onto the grid `reference`, writing `TOut` voxels.
///
/// \param method         interpolator (default linear).
/// \param default_value  value of output voxels whose centre falls outside the source (ITK `DefaultPixelValue`).
/// Integer outputs are clamped to the type's range and truncated toward zero, as ITK/SimpleITK (so PyRadiomics
/// keeps an integer image integer, with that bias); use `resample_as<float>` to keep fractional values.
/// \throws invalid_argument for an empty source or NaN/Inf voxels; geometry_error for an empty reference grid.
template <class TOut, class TPixel, std::size_t VDim>
image<TOut, VDim> resample_as(const image<TPixel, VDim>& source, const image_geometry<VDim>& reference,
                              interpolator method = interpolator::linear, double default_value = 0.0)
{
    detail::require_nonempty_grid(reference, "preprocess.resample", "reference grid");
    auto out = detail::make_uninitialized_image<TOut>(reference);  // every voxel is written by resample_into
    resample_into(source, out, method, default_value);
    return out;
}

/// Resamples `source` onto `reference` keeping the voxel type (see `resample_as`).
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> resample(const image<TPixel, VDim>& source, const image_geometry<VDim>& reference,
                             interpolator method = interpolator::linear, double default_value = 0.0)
{
    return resample_as<TPixel>(source, reference, method, default_value);
}

/// Options for `resample_mask`.
template <class TMask>
struct mask_resample_options {
    /// `nearest` keeps the voxel values (labels); `linear` interpolates the indicator of `label` and keeps voxels
    /// whose fraction is ≥ `partial_volume_threshold` (IBSI 2.4 "partial volume threshold", 0.5 recommended).
    interpolator method = interpolator::nearest;
    double partial_volume_threshold = 0.5;
    /// Label to resample with `linear` (0: every non-zero voxel). Output voxels kept get this label (1 when 0).
    TMask label = TMask{};
};

/// Resamples a mask onto `reference`; voxels outside the source become 0.
/// \par PyRadiomics
/// `resampleImage` resamples masks with `sitkNearestNeighbor` (the default here).
/// \throws invalid_argument for `bspline` or a threshold outside (0, 1].
template <class TMask, std::size_t VDim>
image<TMask, VDim> resample_mask(const image<TMask, VDim>& mask, const image_geometry<VDim>& reference,
                                 const mask_resample_options<TMask>& options = {})
{
    static_assert(std::is_integral_v<TMask>, "masks hold integer labels");
    if (options.method == interpolator::nearest) {
        return resample(mask, reference, interpolator::nearest, 0.0);
    }
    if (options.method != interpolator::linear) {
        raise<invalid_argument>("preprocess.resample_mask", "method: got ", interpolator_name(options.method),
                                ", expected sitkNearestNeighbor or sitkLinear (B-spline overshoots on masks).");
    }
    if (!(options.partial_volume_threshold > 0.0 && options.partial_volume_threshold <= 1.0)) {
        raise<invalid_argument>("preprocess.resample_mask", "partial_volume_threshold: got ",
                                options.partial_volume_threshold, ", expected a value in (0, 1].");
    }
    image<double, VDim> indicator(mask.geometry());
    for (std::size_t i = 0; i < mask.size(); ++i) {
        indicator[i] = detail::mask_selects(mask[i], options.label) ? 1.0 : 0.0;
    }
    const auto fraction = resample_as<double>(indicator, reference, interpolator::linear, 0.0);
    image<TMask, VDim> out(reference, TMask{});
    const TMask inside = options.label == TMask{} ? TMask{1} : options.label;
    // a small tolerance keeps exact fractions (e.g. 0.5 between two voxels) on the inclusive side
    const double threshold = options.partial_volume_threshold - 1e-12;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (fraction[i] >= threshold) {
            out[i] = inside;
        }
    }
    return out;
}

namespace detail {

template <std::size_t VDim>
typename image_geometry<VDim>::point_type checked_new_spacing(const image_geometry<VDim>& g,
                                                              const typename image_geometry<VDim>::point_type& s,
                                                              const char* where)
{
    auto out = s;
    for (std::size_t d = 0; d < VDim; ++d) {
        if (!(s[d] >= 0.0) || !std::isfinite(s[d])) {
            raise<geometry_error>(where, "new spacing[", d, "]: got ", s[d],
                                  ", expected a finite value > 0 (or 0 to keep the original spacing).");
        }
        if (s[d] == 0.0) {
            out[d] = g.spacing()[d];
        }
    }
    return out;
}

/// Largest resampled grid the `*_resampled_grid` functions return (1e9 voxels: 8 GB as double).
inline constexpr double max_resampled_voxels = 1e9;

/// Refuses a resampled grid of more than `max_resampled_voxels` voxels before anything is allocated, naming
/// the setting (PyRadiomics `resampledPixelSpacing`) and the size (e.g. 0.001 mm on a CT: std::bad_alloc).
template <std::size_t VDim>
void check_resampled_size(const std::array<double, VDim>& shape, const std::array<double, VDim>& spacing,
                          const char* where)
{
    double voxels = 1.0;
    std::string size;
    std::string spacing_text;
    for (std::size_t d = 0; d < VDim; ++d) {
        voxels *= shape[d];
        std::ostringstream a;
        a << (d ? " x " : "") << shape[d];
        size += a.str();
        std::ostringstream b;
        b << (d ? ", " : "") << spacing[d];
        spacing_text += b.str();
    }
    if (!(voxels <= max_resampled_voxels)) {
        std::ostringstream gb;
        gb.precision(3);
        gb << voxels * 8.0 / 1e9;
        raise<invalid_argument>(where, "resampledPixelSpacing [", spacing_text, "]: got a resampled grid of ", size,
                                " voxels (", gb.str(), " GB as double), expected at most ", max_resampled_voxels,
                                " voxels. Use a coarser resampledPixelSpacing (mm).");
    }
}

/// Physical point of a continuous index in ITK's order (`ImageBase::TransformContinuousIndexToPhysicalPoint`, which
/// PyRadiomics calls for the new origin): \f$p_r = (\sum_c M_{rc} c_c) + o_r\f$, the sum from 0 in column order.
template <std::size_t VDim>
typename image_geometry<VDim>::point_type itk_continuous_index_to_physical(
    const image_geometry<VDim>& g, const typename image_geometry<VDim>::point_type& index)
{
    typename image_geometry<VDim>::point_type p{};
    for (std::size_t r = 0; r < VDim; ++r) {
        double sum = 0.0;
        for (std::size_t c = 0; c < VDim; ++c) {
            sum += g.direction()[r][c] * g.spacing()[c] * index[c];
        }
        p[r] = sum + g.origin()[r];
    }
    return p;
}

}  // namespace detail

/// The grid PyRadiomics resamples a whole image onto for `resampledPixelSpacing = new_spacing`.
///
/// Corner-aligned: the new grid starts at the old grid's corner, so along each axis the new origin is at
/// continuous old index \f$\tfrac12 (s'_d - s_d)/s_d\f$, and the size is \f$\lceil n_d s_d / s'_d \rceil\f$
/// (PyRadiomics `imageoperations.resampleImage` with a mask covering the image and `padDistance` large).
/// A spacing of 0 keeps the original (PyRadiomics' convention). Direction is kept.
template <std::size_t VDim>
image_geometry<VDim> pyradiomics_resampled_grid(const image_geometry<VDim>& g,
                                                const typename image_geometry<VDim>::point_type& new_spacing)
{
    const auto s = detail::checked_new_spacing(g, new_spacing, "preprocess.pyradiomics_resampled_grid");
    typename image_geometry<VDim>::size_type shape{};
    typename image_geometry<VDim>::point_type origin_index{};
    std::array<double, VDim> size{};
    for (std::size_t d = 0; d < VDim; ++d) {
        const double ratio = g.spacing()[d] / s[d];  // the same rounding as before the size check
        size[d] = std::ceil(static_cast<double>(g.shape()[d]) * ratio);
    }
    detail::check_resampled_size<VDim>(size, s, "preprocess.pyradiomics_resampled_grid");
    for (std::size_t d = 0; d < VDim; ++d) {
        shape[d] = static_cast<std::size_t>(size[d]);
        origin_index[d] = 0.5 * (s[d] - g.spacing()[d]) / g.spacing()[d];
    }
    return image_geometry<VDim>(shape, s, detail::itk_continuous_index_to_physical(g, origin_index), g.direction());
}

/// The grid PyRadiomics' `resampleImage` builds around a mask ROI (`resampledPixelSpacing`, `padDistance`).
///
/// With \f$r_d = s_d / s'_d\f$ and the ROI's bounding box (lower \f$L\f$, size \f$N\f$):
/// \f[ l_d = \max(0, \lfloor (L_d - \tfrac12) r_d - p \rfloor), \quad
///     u_d = \min(\lceil n_d r_d \rceil - 1, \lceil (L_d + N_d - \tfrac12) r_d + p \rceil), \f]
/// size \f$u_d - l_d + 1\f$, origin at old continuous index \f$l_d / r_d + \tfrac12 (s'_d - s_d)/s_d\f$.
/// Axes where the ROI spans one slice keep their spacing. When the resulting spacing equals the old one
/// (`numpy.allclose`) PyRadiomics only crops: the box grown by `pad_distance` and clipped, as `crop_to_mask`.
template <std::size_t VDim>
image_geometry<VDim> pyradiomics_resampled_grid(const image_geometry<VDim>& g,
                                                const typename image_geometry<VDim>::point_type& new_spacing,
                                                const bounding_box<VDim>& roi, std::size_t pad_distance = 5)
{
    auto s = detail::checked_new_spacing(g, new_spacing, "preprocess.pyradiomics_resampled_grid");
    const auto roi_size = roi.size();
    bool same = true;
    for (std::size_t d = 0; d < VDim; ++d) {
        if (roi.lower[d] < 0 || roi.upper[d] >= static_cast<std::ptrdiff_t>(g.shape()[d]) || roi_size[d] == 0) {
            raise<geometry_error>("preprocess.pyradiomics_resampled_grid", "roi ", detail::describe_box(roi),
                                  ": got axis ", d, " outside the grid, expected 0 <= lower <= upper < ",
                                  g.shape()[d], ".");
        }
        if (roi_size[d] == 1) {
            s[d] = g.spacing()[d];
        }
        same = same && std::abs(g.spacing()[d] - s[d]) <= 1e-8 + 1e-5 * std::abs(s[d]);
    }
    if (same) {
        const auto box = pad_bounding_box(roi, pad_distance, g.shape());
        return g.region(box.lower, box.size());
    }
    typename image_geometry<VDim>::size_type shape{};
    typename image_geometry<VDim>::point_type origin_index{};
    const double pad = static_cast<double>(pad_distance);
    std::array<double, VDim> size{};
    for (std::size_t d = 0; d < VDim; ++d) {
        const double ratio = g.spacing()[d] / s[d];
        const double lo = std::max(std::floor((static_cast<double>(roi.lower[d]) - 0.5) * ratio - pad), 0.0);
        const double hi = std::min(std::ceil((static_cast<double>(roi.lower[d]) + static_cast<double>(roi_size[d]) - 0.5) *
                                             ratio + pad),
                                   std::ceil(static_cast<double>(g.shape()[d]) * ratio) - 1.0);
        size[d] = hi - lo + 1.0;
    }
    detail::check_resampled_size<VDim>(size, s, "preprocess.pyradiomics_resampled_grid");
    for (std::size_t d = 0; d < VDim; ++d) {
        const double ratio = g.spacing()[d] / s[d];
        double lo = std::floor((static_cast<double>(roi.lower[d]) - 0.5) * ratio - pad);
        double hi = std::ceil((static_cast<double>(roi.lower[d]) + static_cast<double>(roi_size[d]) - 0.5) * ratio +
                              pad);
        const double max_hi = std::ceil(static_cast<double>(g.shape()[d]) * ratio) - 1.0;
        lo = std::max(lo, 0.0);
        hi = std::min(hi, max_hi);
        shape[d] = static_cast<std::size_t>(hi - lo + 1.0);
        origin_index[d] = 0.5 * (s[d] - g.spacing()[d]) / g.spacing()[d] + lo / ratio;
    }
    return image_geometry<VDim>(shape, s, detail::itk_continuous_index_to_physical(g, origin_index), g.direction());
}

/// The IBSI resampling grid: grid centres aligned (IBSI 1 manual §2.4, "align grid centers").
///
/// Size \f$n'_d = \lceil n_d s_d / s'_d \rceil\f$; the new grid's centre coincides with the old one's, i.e. the new
/// origin sits at old continuous index \f$\tfrac12 (n_d - 1) - \tfrac12 (n'_d - 1) s'_d / s_d\f$. Direction kept.
template <std::size_t VDim>
image_geometry<VDim> ibsi_resampled_grid(const image_geometry<VDim>& g,
                                         const typename image_geometry<VDim>::point_type& new_spacing)
{
    const auto s = detail::checked_new_spacing(g, new_spacing, "preprocess.ibsi_resampled_grid");
    typename image_geometry<VDim>::size_type shape{};
    typename image_geometry<VDim>::point_type origin_index{};
    std::array<double, VDim> size{};
    for (std::size_t d = 0; d < VDim; ++d) {
        size[d] = std::ceil(static_cast<double>(g.shape()[d]) * g.spacing()[d] / s[d]);
    }
    detail::check_resampled_size<VDim>(size, s, "preprocess.ibsi_resampled_grid");
    for (std::size_t d = 0; d < VDim; ++d) {
        const double n = static_cast<double>(g.shape()[d]);
        shape[d] = static_cast<std::size_t>(size[d]);
        origin_index[d] = 0.5 * (n - 1.0) - 0.5 * (static_cast<double>(shape[d]) - 1.0) * s[d] / g.spacing()[d];
    }
    return image_geometry<VDim>(shape, s, g.index_to_physical(origin_index), g.direction());
}

}  // namespace radiogenomics::preprocess
