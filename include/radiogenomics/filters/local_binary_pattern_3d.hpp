#pragma once
/// \file local_binary_pattern_3d.hpp
/// \brief PyRadiomics' LBP3D image types (`imageoperations.getLBP3DImage`): rotation-invariant 3D local binary
/// patterns from spherical harmonics (Banerjee et al., ACCV 2012 workshops, doi:10.1007/978-3-642-37410-4_3).

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/filters/detail/lines.hpp"
#include "radiogenomics/preprocess/detail/bspline_prefilter.hpp"
#include "radiogenomics/preprocess/detail/mirror_index.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace radiogenomics::filters {

/// Source of the icosphere vertex angles fed to the spherical harmonics.
///
/// PyRadiomics computes them with NumPy's `arccos`/`arctan2`. On x86-64 CPUs with AVX-512F, NumPy (>= 1.22)
/// dispatches these to vendored SVML kernels that are off by up to 1 ulp from the correctly rounded libm values
/// (4 of the 42 polar and 12 of the 42 azimuthal angles of the default icosphere); on other CPUs NumPy gives the
/// libm values. PyRadiomics' LBP3D m2 of a flat neighbourhood is the rounding residue of
/// \f$\sum_v Y_1^m(v) = 0\f$ (about 1e-15), so these ulps reorder tied m2 values and move features that
/// select voxels by percentile (RobustMeanAbsoluteDeviation of lbp-3D-m2 by 1e-4 relative on the IBSI CT phantom).
enum class lbp3d_angles {
    /// NumPy 1.24's AVX-512 results, tabulated for the default icosphere (subdivision 1, radius 1), as in the
    /// PyRadiomics reference run (shared/reference/pyradiomics); libm for any other icosphere.
    numpy_avx512,
    /// Correctly rounded `std::acos` / `std::atan2` (PyRadiomics on a CPU without AVX-512).
    libm
};

/// Options of `local_binary_pattern_3d` (PyRadiomics keys in brackets).
struct lbp3d_options {
    std::size_t levels = 2;               ///< spherical-harmonic degrees 0..levels-1 [lbp3DLevels]
    double icosphere_radius = 1.0;        ///< sampling radius in voxels [lbp3DIcosphereRadius]
    std::size_t icosphere_subdivision = 1;  ///< icosphere refinements [lbp3DIcosphereSubdivision]
    std::uint8_t label = 1;               ///< ROI label [label]
    /// How the vertex angles \f$\theta = \arccos(v_2/r)\f$, \f$\phi = \mathrm{atan2}(v_1, v_0)\f$ are evaluated
    /// (not a PyRadiomics key; see `lbp3d_angles`).
    lbp3d_angles angles = lbp3d_angles::numpy_avx512;
};

/// The LBP3D images: `levels[l]` is `lbp-3D-m<l+1>`, `kurtosis` is `lbp-3D-k`. Voxels outside the ROI are 0
/// (PyRadiomics leaves them uninitialised; features only read ROI voxels).
struct lbp3d_result {
    std::vector<image<double, 3>> levels;
    image<double, 3> kurtosis;
};

namespace detail {

/// Vertices of trimesh's `icosphere(subdivisions, radius)` in trimesh's order: the 12 icosahedron vertices
/// (±1, ±t, 0)... scaled by 1/sqrt(2 + t), then per subdivision the edge midpoints ordered by (larger, smaller)
/// vertex index, each step re-projected onto the sphere as `v += (v/|v|)(r - |v|)`.
inline std::vector<std::array<double, 3>> icosphere_vertices(std::size_t subdivisions, double radius)
{
    const double t = (1.0 + std::sqrt(5.0)) / 2.0;
    const double raw[12][3] = {{-1, t, 0}, {1, t, 0}, {-1, -t, 0}, {1, -t, 0}, {0, -1, t}, {0, 1, t},
                               {0, -1, -t}, {0, 1, -t}, {t, 0, -1}, {t, 0, 1}, {-t, 0, -1}, {-t, 0, 1}};
    const int face_list[20][3] = {{0, 11, 5}, {0, 5, 1}, {0, 1, 7}, {0, 7, 10}, {0, 10, 11}, {1, 5, 9}, {5, 11, 4},
                                  {11, 10, 2}, {10, 7, 6}, {7, 1, 8}, {3, 9, 4}, {3, 4, 2}, {3, 2, 6}, {3, 6, 8},
                                  {3, 8, 9}, {4, 9, 5}, {2, 4, 11}, {6, 2, 10}, {8, 6, 7}, {9, 8, 1}};
    const double norm = std::sqrt(2.0 + t);
    std::vector<std::array<double, 3>> v;
    for (const auto& p : raw) {
        v.push_back({p[0] / norm, p[1] / norm, p[2] / norm});
    }
    std::vector<std::array<std::size_t, 3>> faces;
    for (const auto& f : face_list) {
        faces.push_back({static_cast<std::size_t>(f[0]), static_cast<std::size_t>(f[1]),
                         static_cast<std::size_t>(f[2])});
    }
    for (std::size_t s = 0; s < subdivisions; ++s) {
        // unique sorted edges, ordered by (larger index, smaller index)
        std::vector<std::pair<std::size_t, std::size_t>> edges;  // (hi, lo)
        for (const auto& f : faces) {
            for (std::size_t e = 0; e < 3; ++e) {
                const std::size_t a = f[e];
                const std::size_t b = f[(e + 1) % 3];
                edges.emplace_back(std::max(a, b), std::min(a, b));
            }
        }
        std::vector<std::pair<std::size_t, std::size_t>> unique = edges;
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        const std::size_t base = v.size();
        auto mid_index = [&](std::size_t a, std::size_t b) {
            const std::pair<std::size_t, std::size_t> key(std::max(a, b), std::min(a, b));
            return base + static_cast<std::size_t>(std::lower_bound(unique.begin(), unique.end(), key) -
                                                   unique.begin());
        };
        for (const auto& e : unique) {
            const auto& a = v[e.second];
            const auto& b = v[e.first];
            v.push_back({(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0, (a[2] + b[2]) / 2.0});
        }
        std::vector<std::array<std::size_t, 3>> refined;
        for (const auto& f : faces) {
            const std::size_t m0 = mid_index(f[0], f[1]);
            const std::size_t m1 = mid_index(f[1], f[2]);
            const std::size_t m2 = mid_index(f[2], f[0]);
            refined.push_back({f[0], m0, m2});
            refined.push_back({f[1], m1, m0});
            refined.push_back({f[2], m2, m1});
            refined.push_back({m0, m1, m2});
        }
        faces = std::move(refined);
        for (auto& p : v) {
            const double scalar = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
            const double offset = radius - scalar;
            for (double& c : p) {
                c += (c / scalar) * offset;
            }
        }
    }
    if (subdivisions == 0 && radius != 1.0) {
        for (auto& p : v) {
            for (double& c : p) {
                c *= radius;
            }
        }
    }
    return v;
}

/// \f$(\theta, \phi)\f$ of the 42 vertices of `icosphere_vertices(1, 1.0)` as NumPy 1.24.2 returns them with
/// AVX-512F (`np.arccos(v[:, 2] / 1)`, `np.arctan2(v[:, 1], v[:, 0])`); generated by
/// tests/fixtures/features/generate_lbp3d_numpy_angles.py. Each differs from libm by at most 1 ulp.
inline constexpr double numpy_avx512_icosphere_angles[42][2] = {
    {0x1.921fb54442d18p+0, 0x1.0feb60edd061dp+1},
    {0x1.921fb54442d18p+0, 0x1.0468a8ace4df6p+0},
    {0x1.921fb54442d18p+0, -0x1.0feb60edd061dp+1},
    {0x1.921fb54442d18p+0, -0x1.0468a8ace4df6p+0},
    {0x1.1b6e192ebbe43p-1, -0x1.921fb54442d18p+0},
    {0x1.1b6e192ebbe43p-1, 0x1.921fb54442d18p+0},
    {0x1.4b442ef893d87p+1, -0x1.921fb54442d18p+0},
    {0x1.4b442ef893d87p+1, 0x1.921fb54442d18p+0},
    {0x1.0feb60edd061dp+1, 0x0.0p+0},
    {0x1.0468a8ace4df6p+0, 0x0.0p+0},
    {0x1.0feb60edd061dp+1, 0x1.921fb54442d18p+1},
    {0x1.0468a8ace4df6p+0, 0x1.921fb54442d18p+1},
    {0x1.921fb54442d18p+0, 0x1.921fb54442d18p+0},
    {0x1.921fb54442d18p+0, -0x1.921fb54442d18p+0},
    {0x1.0c152382d7365p+0, -0x1.ef876c8580750p+0},
    {0x1.0c152382d7365p+0, -0x1.34b7fe03052e0p+0},
    {0x1.0c152382d7365p+0, 0x1.ef876c8580750p+0},
    {0x1.0c152382d7365p+0, 0x1.34b7fe03052e0p+0},
    {0x0.0p+0, 0x0.0p+0},
    {0x1.0c152382d7366p+1, -0x1.ef876c8580750p+0},
    {0x1.0c152382d7366p+1, -0x1.34b7fe03052e0p+0},
    {0x1.0c152382d7366p+1, 0x1.ef876c8580750p+0},
    {0x1.0c152382d7366p+1, 0x1.34b7fe03052e0p+0},
    {0x1.921fb54442d18p+1, 0x0.0p+0},
    {0x1.e28c731eb6950p+0, 0x1.1b6e192ebbe46p-1},
    {0x1.e28c731eb6950p+0, -0x1.1b6e192ebbe46p-1},
    {0x1.41b2f769cf0e0p+1, -0x1.1b6e192ebbe44p-1},
    {0x1.41b2f769cf0e0p+1, 0x1.1b6e192ebbe44p-1},
    {0x1.41b2f769cf0e0p+0, 0x1.1b6e192ebbe46p-1},
    {0x1.41b2f769cf0e0p+0, -0x1.1b6e192ebbe46p-1},
    {0x1.41b2f769cf0e0p-1, -0x1.1b6e192ebbe44p-1},
    {0x1.41b2f769cf0e0p-1, 0x1.1b6e192ebbe44p-1},
    {0x1.921fb54442d18p+0, 0x0.0p+0},
    {0x1.e28c731eb6950p+0, 0x1.4b442ef893d86p+1},
    {0x1.e28c731eb6950p+0, -0x1.4b442ef893d86p+1},
    {0x1.41b2f769cf0e0p+1, -0x1.4b442ef893d87p+1},
    {0x1.41b2f769cf0e0p+1, 0x1.4b442ef893d87p+1},
    {0x1.41b2f769cf0e0p+0, 0x1.4b442ef893d86p+1},
    {0x1.41b2f769cf0e0p+0, -0x1.4b442ef893d86p+1},
    {0x1.41b2f769cf0e0p-1, -0x1.4b442ef893d87p+1},
    {0x1.41b2f769cf0e0p-1, 0x1.4b442ef893d87p+1},
    {0x1.921fb54442d18p+0, 0x1.921fb54442d18p+1},
};

/// Associated Legendre function \f$P_v^m(x)\f$ (integer degree \f$v \ge m \ge 0\f$, Condon-Shortley phase) in the
/// exact operation order of specfun's `LPMV0` (Zhang & Jin, "Computation of Special Functions", 1996), which
/// SciPy's `pmv` (and so `sph_harm`) calls: \f$c_0 = \frac{(1-x^2)^{m/2}}{2^m m!}\,v(v+m)\prod_{j<m}(v^2-j^2)\f$,
/// then the hypergeometric series in \f$(1+x)\f$ (DLMF 14.3.4).
inline double specfun_lpmv0(int v, int m, double x)
{
    double c0 = 1.0;
    if (m != 0) {
        const double dv = static_cast<double>(v);
        double rg = dv * (dv + m);
        for (int j = 1; j <= m - 1; ++j) {
            rg = rg * (dv * dv - static_cast<double>(j * j));
        }
        const double xq = std::sqrt(1.0 - x * x);
        double r0 = 1.0;
        for (int j = 1; j <= m; ++j) {
            r0 = 0.5 * r0 * xq / j;
        }
        c0 = r0 * rg;
    }
    double pmv = 1.0;
    double r = 1.0;
    for (int k = 1; k <= v - m; ++k) {
        r = 0.5 * r * (static_cast<double>(-v + m + k) - 1.0) * static_cast<double>(v + m + k) /
            static_cast<double>(k * (k + m)) * (1.0 + x);
        pmv = pmv + r;
    }
    return (v % 2 == 0 ? 1.0 : -1.0) * c0 * pmv;
}

/// specfun's `LPMV` for integer degree \f$n \ge m \ge 0\f$: `LPMV0` directly for \f$n \le 2\f$ or
/// \f$n \le m\f$, otherwise upward recursion in degree from \f$P_m^m, P_{m+1}^m\f$ (DLMF 14.10.3).
inline double specfun_lpmv(int n, int m, double x)
{
    if (!(n > 2 && n > m)) {
        return specfun_lpmv0(n, m, x);
    }
    double p0 = specfun_lpmv0(m, m, x);
    double p1 = specfun_lpmv0(m + 1, m, x);
    double pmv = p1;
    for (int j = m + 2; j <= n; ++j) {
        pmv = ((2.0 * j - 1.0) * x * p1 - (static_cast<double>(j) - 1.0 + m) * p0) / static_cast<double>(j - m);
        p0 = p1;
        p1 = pmv;
    }
    return pmv;
}

/// Cephes' `poch(a, m)` = \f$\Gamma(a+m)/\Gamma(a)\f$ for integer m (the recurrences only).
inline double cephes_poch_integer(double a, double m)
{
    double r = 1.0;
    while (m >= 1.0) {
        if (a + m == 1.0) {
            break;
        }
        m -= 1.0;
        r *= (a + m);
    }
    while (m <= -1.0) {
        if (a + m == 0.0) {
            break;
        }
        r /= (a + m);
        m += 1.0;
    }
    return r;
}

/// SciPy's `sph_harm(m, n, theta, phi)` = \f$\sqrt{\frac{2n+1}{4\pi}\frac{(n-m)!}{(n+m)!}} e^{i m\theta}
/// P_n^m(\cos\phi)\f$ with the Condon-Shortley phase (theta azimuthal, phi polar in SciPy's naming), evaluated
/// in SciPy 1.10's operation order (`scipy/special/sph_harm.pxd`): \f$P\f$ from specfun, times
/// \f$(-1)^{|m|}\,\mathrm{poch}(n+|m|+1, -2|m|)\f$ for \f$m<0\f$, times \f$\sqrt{(2n+1)/4/\pi}\f$, times
/// \f$\sqrt{\mathrm{poch}(n+m+1, -2m)}\f$, times \f$e^{im\theta}\f$. The bits matter: PyRadiomics' LBP3D
/// m2 of a flat neighbourhood is the rounding residue of \f$\sum_v Y_1^m(v) = 0\f$.
inline std::complex<double> spherical_harmonic(int m, int n, double theta, double phi)
{
    const int am = std::abs(m);
    const double x = std::cos(phi);
    double value = specfun_lpmv(n, am, x);
    if (m < 0) {
        const double prefactor = (am % 2 == 0 ? 1.0 : -1.0) * cephes_poch_integer(n + am + 1, -2.0 * am);
        value *= prefactor;
    }
    const double pi = 3.141592653589793238462643383279502884;
    value *= std::sqrt((2.0 * n + 1.0) / 4.0 / pi);
    value *= std::sqrt(cephes_poch_integer(n + m + 1, -2.0 * m));
    const double angle = static_cast<double>(m) * theta;
    return {value * std::cos(angle), value * std::sin(angle)};
}

/// NumPy's pairwise summation of a contiguous array (`pairwise_sum` in loops_utils), for the exact
/// float32 moments SciPy computes.
template <class T>
T pairwise_sum(const T* a, std::size_t n)
{
    if (n < 8) {
        T res = 0;
        for (std::size_t i = 0; i < n; ++i) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        T r[8];
        for (std::size_t j = 0; j < 8; ++j) {
            r[j] = a[j];
        }
        std::size_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (std::size_t j = 0; j < 8; ++j) {
                r[j] += a[i + j];
            }
        }
        T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) {
            res += a[i];
        }
        return res;
    }
    std::size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/// `scipy.stats.kurtosis(x)` (Fisher, biased) in type T, in SciPy's operation order; NaN when
/// \f$m_2 \le (\mathrm{res}\cdot\bar x)^2\f$ (res = 1e-6 for float, 1e-15 for double).
template <class T>
double scipy_kurtosis(std::vector<T>& x, std::vector<T>& work)
{
    const std::size_t n = x.size();
    const T count = static_cast<T>(n);
    const T mean = pairwise_sum(x.data(), n) / count;
    work.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const T d = x[i] - mean;
        work[i] = d * d;
    }
    const T m2 = pairwise_sum(work.data(), n) / count;
    for (std::size_t i = 0; i < n; ++i) {
        work[i] = work[i] * work[i];
    }
    const T m4 = pairwise_sum(work.data(), n) / count;
    const T resolution = std::is_same_v<T, float> ? static_cast<T>(1e-6) : static_cast<T>(1e-15);
    const T limit = resolution * mean;
    if (m2 <= limit * limit) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const T value = m4 / (m2 * m2);
    return static_cast<double>(static_cast<T>(value - static_cast<T>(3)));
}

/// Cubic B-spline weights for knots floor(x)-1 .. floor(x)+2, evaluated as SciPy's
/// `get_spline_interpolation_weights` (the last weight is 1 minus the others).
inline std::array<double, 4> bspline3_weights(double x)
{
    const double y = x - std::floor(x);
    const double z = 1.0 - y;
    std::array<double, 4> w{};
    w[1] = (y * y * (y - 2.0) * 3.0 + 4.0) / 6.0;
    w[2] = (z * z * (z - 2.0) * 3.0 + 4.0) / 6.0;
    w[0] = z * z * z / 6.0;
    w[3] = 1.0;
    w[3] -= w[0];
    w[3] -= w[1];
    w[3] -= w[2];
    return w;
}

/// Rounds an interpolated value to the image's pixel type as SciPy's `map_coordinates` output does
/// (float: nearest float; integers: half away from zero).
template <class TPixel>
TPixel to_pixel(double v)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        return static_cast<TPixel>(v);
    } else {
        // Out of the type's range the cast would be undefined; saturate instead. For 64-bit types max() is not a
        // double, and its nearest double (2^63 or 2^64) is itself out of range, hence >= rather than a clamp.
        const double r = std::trunc(v > 0 ? v + 0.5 : v - 0.5);
        const double lo = static_cast<double>(std::numeric_limits<TPixel>::lowest());
        const double hi = static_cast<double>(std::numeric_limits<TPixel>::max());
        if (r >= hi) {
            return std::numeric_limits<TPixel>::max();
        }
        if (r <= lo) {
            return std::numeric_limits<TPixel>::lowest();
        }
        return static_cast<TPixel>(r);
    }
}

/// One axis' share of an LBP3D sample at coordinate \f$p = t + o\f$ (voxel index t, vertex offset o): the
/// B-spline weights and first knot exactly as the per-sample code computes them. The fractional part of the
/// rounded sum \f$t + o\f$ depends on t, so every (t, vertex) pair has its own entry; tabulating them changes no bit.
struct lbp3d_axis_tap {
    std::array<double, 4> w{};  ///< `bspline3_weights(p)`
    std::ptrdiff_t first = 0;   ///< floor(p) - 1
    bool valid = false;         ///< p in [0, n-1] (SciPy mode 'constant': otherwise the sample is cval = 0)
    bool interior = false;      ///< valid, and the knots first..first+3 lie in [0, n-1] (no mirroring needed)
};

/// `lbp3d_axis_tap` of every index t in [0, n) and offset `offsets[v]`, at `t * offsets.size() + v`.
inline std::vector<lbp3d_axis_tap> lbp3d_axis_taps(std::size_t n, const std::vector<double>& offsets)
{
    const std::size_t nv = offsets.size();
    std::vector<lbp3d_axis_tap> taps(n * nv);
    for (std::size_t t = 0; t < n; ++t) {
        for (std::size_t v = 0; v < nv; ++v) {
            const double p = static_cast<double>(t) + offsets[v];
            lbp3d_axis_tap& tap = taps[t * nv + v];
            tap.valid = p >= 0.0 && !(p > static_cast<double>(n - 1));
            if (tap.valid) {
                tap.w = bspline3_weights(p);
                tap.first = static_cast<std::ptrdiff_t>(std::floor(p)) - 1;
                tap.interior = tap.first >= 0 && tap.first + 3 < static_cast<std::ptrdiff_t>(n);
            }
        }
    }
    return taps;
}

/// Voxels per batch of `bspline3_sample_lanes` (consecutive voxels along x, one vertex).
inline constexpr std::size_t lbp3d_lanes = 4;

/// One batch of `bspline3_sample_lanes`: `base` points at the first knot of lane 0, `wz`/`wy` are the (shared)
/// z and y weights, `wx[a * wx_stride + l]` is lane l's x weight a; the samples go to `out[l * out_stride]`.
struct lbp3d_lane_job {
    const double* base;
    const double* wz;
    const double* wy;
    const double* wx;
    double* out;
};

/// Cubic B-spline samples of two batches of `lbp3d_lanes` voxels consecutive along x whose knots are consecutive
/// too: lane l sums \f$\sum_{c,b,a} ((C[c][b][a+l]\,w_z[c])\,w_y[b])\,w_x[a][l]\f$ over c (z), b (y), a (x), in
/// that order from +0 -- per lane exactly the operations of the scalar sample, so the same bits. The two batches
/// (and the lane pairs) are independent chains of additions, which keeps the floating-point adder busy.
inline void bspline3_sample_lanes(const lbp3d_lane_job& j0, const lbp3d_lane_job& j1, std::size_t sy,
                                  std::size_t sz, std::size_t wx_stride, std::size_t out_stride)
{
    static_assert(lbp3d_lanes == 4, "two pairs of lanes per batch");
#if defined(__GNUC__)
    using pair_type = double __attribute__((vector_size(2 * sizeof(double))));
    const lbp3d_lane_job* jobs[2] = {&j0, &j1};
    pair_type value[2][2] = {};
    pair_type x_weight[2][4][2];
    for (std::size_t j = 0; j < 2; ++j) {
        for (std::size_t a = 0; a < 4; ++a) {
            std::memcpy(&x_weight[j][a][0], jobs[j]->wx + a * wx_stride, sizeof(pair_type));
            std::memcpy(&x_weight[j][a][1], jobs[j]->wx + a * wx_stride + 2, sizeof(pair_type));
        }
    }
    for (std::size_t c = 0; c < 4; ++c) {
        for (std::size_t b = 0; b < 4; ++b) {
            for (std::size_t j = 0; j < 2; ++j) {
                const double z_weight = jobs[j]->wz[c];
                const double y_weight = jobs[j]->wy[b];
                const double* row = jobs[j]->base + c * sz + b * sy;
                for (std::size_t a = 0; a < 4; ++a) {
                    for (std::size_t h = 0; h < 2; ++h) {
                        pair_type term;
                        std::memcpy(&term, row + a + 2 * h, sizeof(pair_type));
                        term *= z_weight;
                        term *= y_weight;
                        term *= x_weight[j][a][h];
                        value[j][h] += term;
                    }
                }
            }
        }
    }
    for (std::size_t j = 0; j < 2; ++j) {
        for (std::size_t h = 0; h < 2; ++h) {
            jobs[j]->out[(2 * h) * out_stride] = value[j][h][0];
            jobs[j]->out[(2 * h + 1) * out_stride] = value[j][h][1];
        }
    }
#else
    for (const lbp3d_lane_job* job : {&j0, &j1}) {
        for (std::size_t l = 0; l < lbp3d_lanes; ++l) {
            double value = 0.0;
            for (std::size_t c = 0; c < 4; ++c) {
                for (std::size_t b = 0; b < 4; ++b) {
                    const double* row = job->base + c * sz + b * sy + l;
                    for (std::size_t a = 0; a < 4; ++a) {
                        double term = row[a];
                        term *= job->wz[c];
                        term *= job->wy[b];
                        term *= job->wx[a * wx_stride + l];
                        value += term;
                    }
                }
            }
            job->out[l * out_stride] = value;
        }
    }
#endif
}

#if defined(__GNUC__) && defined(__x86_64__)
/// `bspline3_sample_lanes` with AVX registers (four lanes each). AVX has no fused multiply-add, so every
/// multiplication and addition is rounded on its own exactly as in the scalar code: the same bits.
__attribute__((target("avx"))) inline void bspline3_sample_lanes_avx(const lbp3d_lane_job& j0,
                                                                     const lbp3d_lane_job& j1, std::size_t sy,
                                                                     std::size_t sz, std::size_t wx_stride,
                                                                     std::size_t out_stride)
{
    using quad_type = double __attribute__((vector_size(4 * sizeof(double))));
    const lbp3d_lane_job* jobs[2] = {&j0, &j1};
    quad_type value[2] = {};
    quad_type x_weight[2][4];
    for (std::size_t j = 0; j < 2; ++j) {
        for (std::size_t a = 0; a < 4; ++a) {
            std::memcpy(&x_weight[j][a], jobs[j]->wx + a * wx_stride, sizeof(quad_type));
        }
    }
    for (std::size_t c = 0; c < 4; ++c) {
        for (std::size_t b = 0; b < 4; ++b) {
            for (std::size_t j = 0; j < 2; ++j) {
                const double z_weight = jobs[j]->wz[c];
                const double y_weight = jobs[j]->wy[b];
                const double* row = jobs[j]->base + c * sz + b * sy;
                for (std::size_t a = 0; a < 4; ++a) {
                    quad_type term;
                    std::memcpy(&term, row + a, sizeof(quad_type));
                    term *= z_weight;
                    term *= y_weight;
                    term *= x_weight[j][a];
                    value[j] += term;
                }
            }
        }
    }
    for (std::size_t j = 0; j < 2; ++j) {
        for (std::size_t l = 0; l < 4; ++l) {
            jobs[j]->out[l * out_stride] = value[j][l];
        }
    }
}
#endif

/// Whether `bspline3_sample_lanes_avx` may run (x86-64 CPU with AVX and OS support).
inline bool lbp3d_use_avx()
{
#if defined(__GNUC__) && defined(__x86_64__)
    static const bool available = __builtin_cpu_supports("avx") != 0;
    return available;
#else
    return false;
#endif
}

/// A zero image on `geometry` whose buffer is, on Linux, advised to use transparent huge pages before it is
/// first written: the LBP3D outputs and spline coefficients are large (the crop includes the prefilter margin),
/// and first-touch page faults on 4 KiB pages cost as much as the whole filter on a virtual machine. Values are
/// unaffected.
inline image<double, 3> lbp3d_zero_image(const image_geometry<3>& geometry)
{
    auto data = image<double, 3>::container_type::from_shape(geometry.shape());
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const std::size_t huge = std::size_t{1} << 21;
    const auto begin = reinterpret_cast<std::uintptr_t>(data.data());
    const std::uintptr_t first = (begin + huge - 1) & ~static_cast<std::uintptr_t>(huge - 1);
    const std::uintptr_t last = (begin + data.size() * sizeof(double)) & ~static_cast<std::uintptr_t>(huge - 1);
    if (last > first) {
        // advisory only: failure (e.g. THP disabled) just leaves 4 KiB pages
        static_cast<void>(::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE));
    }
#endif
    data.fill(0.0);
    return image<double, 3>(geometry, std::move(data));
}

}  // namespace detail

/// \brief PyRadiomics' LBP3D: for each ROI voxel \f$\mathbf{x}\f$, the image is sampled on the icosphere
/// vertices \f$\mathbf{x} + \mathbf{v}\f$ (voxel units) by cubic B-spline interpolation; then
/// - `kurtosis` \f$k = m_4/m_2^2 - 3\f$ of the samples (SciPy's biased Fisher kurtosis);
/// - with \f$b_v = [f(\mathbf{x}+\mathbf{v}) \ge f(\mathbf{x})]\f$ and \f$c_{nm} = \sum_v b_v Y_n^m(v)\f$,
///   level n gives \f$ m_{n+1} = \mathrm{Re}\sqrt{\sum_v \big(\sum_m c_{nm} Y_n^m(v)\big)^2} \f$ (complex square,
///   as PyRadiomics' `f ** 2` on complex values).
///
/// PyRadiomics' conventions kept exactly: the vertex (v0, v1, v2) is added to the NumPy index (z, y, x), so it
/// offsets (k, j, i); \f$Y\f$ is SciPy's `sph_harm(m, n, arccos(v2/r), arctan2(v1, v0))` (polar angle passed as
/// SciPy's azimuth), bit for bit (specfun's Legendre function, SciPy's factor order, and the angles NumPy returns,
/// see `lbp3d_angles`); the samples are rounded to the image's pixel type (SciPy returns the input dtype) and,
/// for float images, the kurtosis is evaluated in float32 with NumPy's pairwise sums. The sums over vertices
/// and orders run in NumPy's order (sequential over vertices, then over m), so the m1/m2 images equal
/// PyRadiomics' bit for bit on the IBSI CT phantom when the input image is bit-identical.
/// \par Boundary handling
/// SciPy `map_coordinates(order=3, mode='constant', cval=0)`: B-spline coefficients with mirror-symmetric
/// extension; a sample outside [0, n-1] on any axis is 0. The prefilter is global but decays as
/// \f$0.268^d\f$, so a crop with a margin of `lbp3d_margin` voxels reproduces whole-image samples to ~1e-13.
/// The outputs keep `input`'s geometry.
/// \par Degenerate input
/// Mask grid differing from the image throws `geometry_error`; a constant neighbourhood gives k = NaN (SciPy);
/// levels 0 throws `invalid_argument`; NaN/Inf voxels throw.
template <class TPixel>
lbp3d_result local_binary_pattern_3d(const image<TPixel, 3>& input, const mask_image<3>& mask,
                                     const lbp3d_options& options = {})
{
    const char* where = "filters.local_binary_pattern_3d";
    require_same_grid(input.geometry(), mask.geometry(), where);
    if (options.levels == 0) {
        raise<invalid_argument>(where, "levels: got 0, expected at least 1.");
    }
    if (!(options.icosphere_radius > 0.0) || !std::isfinite(options.icosphere_radius)) {
        raise<invalid_argument>(where, "icosphere_radius: got ", options.icosphere_radius,
                                ", expected a finite value > 0.");
    }
    require_finite(input, where);
    using moment_type = std::conditional_t<std::is_same_v<TPixel, float>, float, double>;

    const auto vertices = detail::icosphere_vertices(options.icosphere_subdivision, options.icosphere_radius);
    const std::size_t nv = vertices.size();
    // spherical-harmonic table Y[v][q] with degree index n_of[q]
    std::vector<int> n_of;
    std::vector<int> m_of;
    for (int n = 0; n < static_cast<int>(options.levels); ++n) {
        for (int m = -n; m <= n; ++m) {
            n_of.push_back(n);
            m_of.push_back(m);
        }
    }
    const std::size_t nq = n_of.size();
    std::vector<std::complex<double>> y(nv * nq);
    const bool numpy_table = options.angles == lbp3d_angles::numpy_avx512 && options.icosphere_subdivision == 1 &&
                             options.icosphere_radius == 1.0;
    for (std::size_t v = 0; v < nv; ++v) {
        double theta = std::acos(vertices[v][2] / options.icosphere_radius);
        double phi = std::atan2(vertices[v][1], vertices[v][0]);
        if (numpy_table) {
            theta = detail::numpy_avx512_icosphere_angles[v][0];
            phi = detail::numpy_avx512_icosphere_angles[v][1];
        }
        for (std::size_t q = 0; q < nq; ++q) {
            y[v * nq + q] = detail::spherical_harmonic(m_of[q], n_of[q], theta, phi);
        }
    }

    // B-spline coefficients of the whole image: separable prefilter along z, y, x (SciPy filters NumPy axis 0
    // first, i.e. z)
    image<double, 3> coeff = detail::lbp3d_zero_image(input.geometry());
    {
        const TPixel* in = input.begin_pointer();
        double* out = coeff.begin_pointer();
        for (std::size_t i = 0; i < coeff.size(); ++i) {
            out[i] = static_cast<double>(in[i]);
        }
    }
    for (const std::size_t axis : {std::size_t{2}, std::size_t{1}, std::size_t{0}}) {
        double* data = coeff.begin_pointer();
        if (axis > 0) {
            detail::for_each_column_block<3>(coeff.shape(), axis, 64, [&](std::size_t base, std::size_t stride,
                                                                          std::size_t n, std::size_t w) {
                std::vector<double> block(n * w);
                for (std::size_t m = 0; m < n; ++m) {
                    for (std::size_t e = 0; e < w; ++e) {
                        block[m * w + e] = data[base + m * stride + e];
                    }
                }
                preprocess::detail::bspline3_prefilter_lines(block.data(), static_cast<std::ptrdiff_t>(n),
                                                             static_cast<std::ptrdiff_t>(w),
                                                             static_cast<std::ptrdiff_t>(w),
                                                             preprocess::detail::bspline_prefilter_mode::scipy_exact);
                for (std::size_t m = 0; m < n; ++m) {
                    for (std::size_t e = 0; e < w; ++e) {
                        data[base + m * stride + e] = block[m * w + e];
                    }
                }
            });
            continue;
        }
        detail::for_each_line<3>(coeff.shape(), axis, [&](std::size_t start, std::size_t stride, std::size_t n,
                                                          std::vector<double>& scratch) {
            scratch.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                scratch[i] = data[start + i * stride];
            }
            preprocess::detail::bspline3_prefilter_lines(scratch.data(), static_cast<std::ptrdiff_t>(n), 1, 1,
                                                         preprocess::detail::bspline_prefilter_mode::scipy_exact);
            for (std::size_t i = 0; i < n; ++i) {
                data[start + i * stride] = scratch[i];
            }
        });
    }
    const auto& shape = input.shape();
    const std::array<std::ptrdiff_t, 3> size{static_cast<std::ptrdiff_t>(shape[0]),
                                             static_cast<std::ptrdiff_t>(shape[1]),
                                             static_cast<std::ptrdiff_t>(shape[2])};
    const std::size_t sy = shape[0];
    const std::size_t sz = shape[0] * shape[1];
    const double* coeff_data = coeff.begin_pointer();
    auto coefficient = [&](std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t k) {
        return coeff(static_cast<std::size_t>(preprocess::detail::mirror_index(i, size[0])),
                     static_cast<std::size_t>(preprocess::detail::mirror_index(j, size[1])),
                     static_cast<std::size_t>(preprocess::detail::mirror_index(k, size[2])));
    };
    // Per-axis weights and knots: the sample at voxel (i, j, k) + vertex v is at NumPy (z, y, x) = (k, j, i) +
    // (v0, v1, v2), i.e. our axis 0 (i) is offset by v2, axis 1 by v1, axis 2 by v0; each axis' coordinate, and so
    // its weights, depends only on that axis' index and the vertex.
    std::array<std::vector<double>, 3> offsets;
    for (std::size_t v = 0; v < nv; ++v) {
        offsets[0].push_back(vertices[v][2]);
        offsets[1].push_back(vertices[v][1]);
        offsets[2].push_back(vertices[v][0]);
    }
    const std::array<std::vector<detail::lbp3d_axis_tap>, 3> taps{detail::lbp3d_axis_taps(shape[0], offsets[0]),
                                                                  detail::lbp3d_axis_taps(shape[1], offsets[1]),
                                                                  detail::lbp3d_axis_taps(shape[2], offsets[2])};
    // x weights transposed to [v][a][i] (lanes contiguous), and whether the lanes starting at i are all interior
    // with consecutive knots (then lane l's knots are lane 0's shifted by l)
    constexpr std::size_t lanes = detail::lbp3d_lanes;
    std::vector<double> x_weights(nv * 4 * shape[0]);
    std::vector<std::uint8_t> x_lanes_ok(nv * shape[0], 0);
    for (std::size_t v = 0; v < nv; ++v) {
        for (std::size_t i = 0; i < shape[0]; ++i) {
            const auto& tap = taps[0][i * nv + v];
            for (std::size_t a = 0; a < 4; ++a) {
                x_weights[(v * 4 + a) * shape[0] + i] = tap.w[a];
            }
        }
        for (std::size_t i = 0; i + lanes <= shape[0]; ++i) {
            bool ok = true;
            for (std::size_t l = 0; l < lanes; ++l) {
                const auto& tap = taps[0][(i + l) * nv + v];
                ok = ok && tap.interior && tap.first == taps[0][i * nv + v].first + static_cast<std::ptrdiff_t>(l);
            }
            x_lanes_ok[v * shape[0] + i] = ok ? 1 : 0;
        }
    }
    // one sample, SciPy's order: footprint with NumPy's last axis (x) fastest, each tap weighted z, then y, then x
    auto sample = [&](const detail::lbp3d_axis_tap& tx, const detail::lbp3d_axis_tap& ty,
                      const detail::lbp3d_axis_tap& tz) -> double {
        if (!(tx.valid && ty.valid && tz.valid)) {
            return 0.0;  // SciPy mode 'constant': cval outside [0, n-1]
        }
        double value = 0.0;
        if (tx.interior && ty.interior && tz.interior) {
            const double* base = coeff_data + static_cast<std::size_t>(tx.first) +
                                 sy * static_cast<std::size_t>(ty.first) + sz * static_cast<std::size_t>(tz.first);
            for (std::size_t c = 0; c < 4; ++c) {
                for (std::size_t b = 0; b < 4; ++b) {
                    const double* row = base + c * sz + b * sy;
                    for (std::size_t a = 0; a < 4; ++a) {
                        double term = row[a];
                        term *= tz.w[c];
                        term *= ty.w[b];
                        term *= tx.w[a];
                        value += term;
                    }
                }
            }
            return value;
        }
        for (std::ptrdiff_t c = 0; c < 4; ++c) {
            for (std::ptrdiff_t b = 0; b < 4; ++b) {
                for (std::ptrdiff_t a = 0; a < 4; ++a) {
                    double term = coefficient(tx.first + a, ty.first + b, tz.first + c);
                    term *= tz.w[static_cast<std::size_t>(c)];
                    term *= ty.w[static_cast<std::size_t>(b)];
                    term *= tx.w[static_cast<std::size_t>(a)];
                    value += term;
                }
            }
        }
        return value;
    };
    const bool use_avx = detail::lbp3d_use_avx();
    auto run_lanes = [&](const detail::lbp3d_lane_job& j0, const detail::lbp3d_lane_job& j1) {
#if defined(__GNUC__) && defined(__x86_64__)
        if (use_avx) {
            detail::bspline3_sample_lanes_avx(j0, j1, sy, sz, shape[0], nv);
            return;
        }
#endif
        detail::bspline3_sample_lanes(j0, j1, sy, sz, shape[0], nv);
    };
    // spherical harmonics as separate real and imaginary tables
    std::vector<double> y_re(nv * nq);
    std::vector<double> y_im(nv * nq);
    for (std::size_t i = 0; i < nv * nq; ++i) {
        y_re[i] = y[i].real();
        y_im[i] = y[i].imag();
    }

    lbp3d_result result;
    for (std::size_t l = 0; l < options.levels; ++l) {
        result.levels.push_back(detail::lbp3d_zero_image(input.geometry()));
    }
    result.kurtosis = detail::lbp3d_zero_image(input.geometry());
    std::vector<std::size_t> roi;
    {
        const std::uint8_t* labels = mask.begin_pointer();
        const std::size_t n = mask.size();
        std::size_t in_roi = 0;
        for (std::size_t i = 0; i < n; ++i) {
            in_roi += labels[i] == options.label ? 1 : 0;
        }
        roi.reserve(in_roi);
        for (std::size_t i = 0; i < n; ++i) {
            if (labels[i] == options.label) {
                roi.push_back(i);
            }
        }
    }
    // work items: `lanes` ROI voxels consecutive along one x row, or a single voxel
    std::vector<std::size_t> group_first;
    std::vector<std::uint8_t> group_width;
    for (std::size_t r = 0; r < roi.size();) {
        const bool full = r + lanes <= roi.size() && roi[r + lanes - 1] == roi[r] + (lanes - 1) &&
                          roi[r] % shape[0] + lanes <= shape[0];
        group_first.push_back(r);
        group_width.push_back(static_cast<std::uint8_t>(full ? lanes : 1));
        r += full ? lanes : 1;
    }
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(group_first.size());
    // blocks of work items, each with its own buffers (every item writes only its own voxels: thread-count
    // independent)
    constexpr std::ptrdiff_t groups_per_block = 64;
    const std::ptrdiff_t blocks = (count + groups_per_block - 1) / groups_per_block;
    RG_PARALLEL_FOR
    for (std::ptrdiff_t block = 0; block < blocks; ++block) {
        std::vector<double> raw(lanes * nv);
        std::vector<moment_type> samples(nv);
        std::vector<moment_type> work;
        std::vector<double> binary(nv * lanes);
        std::vector<double> c_re(nq * lanes);
        std::vector<double> c_im(nq * lanes);
        const std::ptrdiff_t block_end = std::min(count, (block + 1) * groups_per_block);
        for (std::ptrdiff_t g = block * groups_per_block; g < block_end; ++g) {
            const std::size_t first = group_first[static_cast<std::size_t>(g)];
            const std::size_t width = group_width[static_cast<std::size_t>(g)];
            const auto index = input.index_of(roi[first]);
            const std::size_t i0 = index[0];
            // fast batches are run two at a time (the second of a pair may be a repeat of the first)
            detail::lbp3d_lane_job pending{};
            bool has_pending = false;
            for (std::size_t v = 0; v < nv; ++v) {
                const auto& ty = taps[1][index[1] * nv + v];
                const auto& tz = taps[2][index[2] * nv + v];
                if (width == lanes && ty.interior && tz.interior && x_lanes_ok[v * shape[0] + i0] != 0) {
                    const detail::lbp3d_lane_job job{
                        coeff_data + static_cast<std::size_t>(taps[0][i0 * nv + v].first) +
                            sy * static_cast<std::size_t>(ty.first) + sz * static_cast<std::size_t>(tz.first),
                        tz.w.data(), ty.w.data(), x_weights.data() + v * 4 * shape[0] + i0, raw.data() + v};
                    if (has_pending) {
                        run_lanes(pending, job);
                        has_pending = false;
                    } else {
                        pending = job;
                        has_pending = true;
                    }
                } else {
                    for (std::size_t l = 0; l < width; ++l) {
                        raw[l * nv + v] = sample(taps[0][(i0 + l) * nv + v], ty, tz);
                    }
                }
            }
            if (has_pending) {
                run_lanes(pending, pending);
            }
            // binarisation and kurtosis per voxel; lanes past `width` stay 0 and their results are dropped
            std::fill(binary.begin(), binary.end(), 0.0);
            for (std::size_t l = 0; l < width; ++l) {
                const std::size_t at = roi[first + l];
                const TPixel centre = input[at];
                for (std::size_t v = 0; v < nv; ++v) {
                    const TPixel s = detail::to_pixel<TPixel>(raw[l * nv + v]);
                    samples[v] = static_cast<moment_type>(s);
                    binary[v * lanes + l] = s >= centre ? 1.0 : 0.0;
                }
                result.kurtosis[at] = detail::scipy_kurtosis(samples, work);
            }
            // per lane (voxel): c_q = sum_v b_v Y_q(v), each sum in vertex order from +0 (b_v * Y as NumPy's
            // real * complex); the lanes are independent, each with the scalar operation order
            std::fill(c_re.begin(), c_re.end(), 0.0);
            std::fill(c_im.begin(), c_im.end(), 0.0);
            for (std::size_t v = 0; v < nv; ++v) {
                const double* b = binary.data() + v * lanes;
                for (std::size_t q = 0; q < nq; ++q) {
                    const double yr = y_re[v * nq + q];
                    const double yi = y_im[v * nq + q];
                    double* cr = c_re.data() + q * lanes;
                    double* ci = c_im.data() + q * lanes;
                    for (std::size_t l = 0; l < lanes; ++l) {
                        cr[l] += b[l] * yr;
                        ci[l] += b[l] * yi;
                    }
                }
            }
            // m_{n+1} = Re sqrt(sum_v f_v^2), f_v = sum_m c_nm Y_n^m(v); complex products spelled out as the
            // compiler's complex multiply (ac - bd, ad + bc): all values are finite, so its NaN-recovery branch
            // never runs
            for (std::size_t lev = 0; lev < options.levels; ++lev) {
                const std::size_t q_begin = lev * lev;
                const std::size_t q_end = (lev + 1) * (lev + 1);
                std::array<double, lanes> total_re{};
                std::array<double, lanes> total_im{};
                for (std::size_t v = 0; v < nv; ++v) {
                    std::array<double, lanes> f_re{};
                    std::array<double, lanes> f_im{};
                    for (std::size_t q = q_begin; q < q_end; ++q) {
                        const double yr = y_re[v * nq + q];
                        const double yi = y_im[v * nq + q];
                        const double* cr = c_re.data() + q * lanes;
                        const double* ci = c_im.data() + q * lanes;
                        for (std::size_t l = 0; l < lanes; ++l) {
                            f_re[l] += cr[l] * yr - ci[l] * yi;
                            f_im[l] += cr[l] * yi + ci[l] * yr;
                        }
                    }
                    for (std::size_t l = 0; l < lanes; ++l) {
                        total_re[l] += f_re[l] * f_re[l] - f_im[l] * f_im[l];
                        total_im[l] += f_re[l] * f_im[l] + f_im[l] * f_re[l];
                    }
                }
                for (std::size_t l = 0; l < width; ++l) {
                    result.levels[lev][roi[first + l]] =
                        std::sqrt(std::complex<double>(total_re[l], total_im[l])).real();
                }
            }
        }
    }
    return result;
}

/// Margin (voxels) for crops of `local_binary_pattern_3d`: the sampling radius + 2 (spline support) + 24
/// (the prefilter's boundary influence, \f$0.268^{24} < 10^{-13}\f$).
inline std::size_t lbp3d_margin(const lbp3d_options& options = {})
{
    return static_cast<std::size_t>(std::ceil(options.icosphere_radius)) + 2 + 24;
}

}  // namespace radiogenomics::filters
