#pragma once
/// \file laplacian_of_gaussian.hpp
/// \brief Laplacian of Gaussian: PyRadiomics' LoG image type (ITK's recursive Gaussian) and the IBSI 2
/// convolution LoG with a truncated sampled kernel and a selectable boundary.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/boundary.hpp"
#include "radiogenomics/filters/detail/lines.hpp"

namespace radiogenomics::filters {

// ---------------------------------------------------------------------------------------------------------------
// Recursive (PyRadiomics / SimpleITK) LoG
// ---------------------------------------------------------------------------------------------------------------

namespace detail {

/// Coefficients of ITK's `RecursiveGaussianImageFilter` (Deriche's 4th-order recursive approximation of the
/// Gaussian and its derivatives, with Farnebäck/van Vliet's boundary terms), for one axis.
/// Source of the method: R. Deriche, "Recursively implementing the Gaussian and its derivatives", INRIA RR-1893
/// (1993); the constants below are Deriche's fitted values as ITK uses them.
struct recursive_gaussian_coefficients {
    double n0 = 0, n1 = 0, n2 = 0, n3 = 0;  ///< causal numerator
    double d1 = 0, d2 = 0, d3 = 0, d4 = 0;  ///< denominator (shared by both passes)
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;  ///< anti-causal numerator
    double bn1 = 0, bn2 = 0, bn3 = 0, bn4 = 0;  ///< causal boundary terms (constant extension)
    double bm1 = 0, bm2 = 0, bm3 = 0, bm4 = 0;  ///< anti-causal boundary terms
};

struct deriche_terms {
    double n0, n1, n2, n3, sn, dn, en;
};

inline deriche_terms deriche_numerator(double sigmad, double a1, double b1, double w1, double l1, double a2,
                                       double b2, double w2, double l2)
{
    const double sin1 = std::sin(w1 / sigmad);
    const double sin2 = std::sin(w2 / sigmad);
    const double cos1 = std::cos(w1 / sigmad);
    const double cos2 = std::cos(w2 / sigmad);
    const double exp1 = std::exp(l1 / sigmad);
    const double exp2 = std::exp(l2 / sigmad);
    deriche_terms t{};
    t.n0 = a1 + a2;
    t.n1 = exp2 * (b2 * sin2 - (a2 + 2 * a1) * cos2);
    t.n1 += exp1 * (b1 * sin1 - (a1 + 2 * a2) * cos1);
    t.n2 = (a1 + a2) * cos2 * cos1;
    t.n2 -= b1 * cos2 * sin1 + b2 * cos1 * sin2;
    t.n2 *= 2 * exp1 * exp2;
    t.n2 += a2 * exp1 * exp1 + a1 * exp2 * exp2;
    t.n3 = exp2 * exp1 * exp1 * (b2 * sin2 - a2 * cos2);
    t.n3 += exp1 * exp2 * exp2 * (b1 * sin1 - a1 * cos1);
    t.sn = t.n0 + t.n1 + t.n2 + t.n3;
    t.dn = t.n1 + 2 * t.n2 + 3 * t.n3;
    t.en = t.n1 + 4 * t.n2 + 9 * t.n3;
    return t;
}

/// Sets up the coefficients for `order` 0 (smoothing) or 2 (second derivative) for `sigma` (mm) on an axis of
/// `spacing` (mm). With `normalize_across_scale`, the second derivative is multiplied by sigma^2 (mm^2).
inline recursive_gaussian_coefficients recursive_gaussian_setup(double sigma, double spacing, int order,
                                                                bool normalize_across_scale)
{
    // Deriche's fitted constants for the Gaussian (index 0) and its second derivative (index 2).
    const double a1[3] = {1.3530, -0.6724, -1.3563};
    const double b1[3] = {1.8151, -3.4327, 5.2318};
    const double w1 = 0.6681;
    const double l1 = -1.3932;
    const double a2[3] = {-0.3531, 0.6724, 0.3446};
    const double b2[3] = {0.0902, 0.6100, -2.2355};
    const double w2 = 2.0787;
    const double l2 = -1.3732;

    const double sigmad = sigma / spacing;
    recursive_gaussian_coefficients c;
    {
        const double cos1 = std::cos(w1 / sigmad);
        const double cos2 = std::cos(w2 / sigmad);
        const double exp1 = std::exp(l1 / sigmad);
        const double exp2 = std::exp(l2 / sigmad);
        c.d4 = exp1 * exp1 * exp2 * exp2;
        c.d3 = -2 * cos1 * exp1 * exp2 * exp2;
        c.d3 += -2 * cos2 * exp2 * exp1 * exp1;
        c.d2 = 4 * cos2 * cos1 * exp1 * exp2;
        c.d2 += exp1 * exp1 + exp2 * exp2;
        c.d1 = -2 * (exp2 * cos2 + exp1 * cos1);
    }
    const double sd = 1.0 + c.d1 + c.d2 + c.d3 + c.d4;
    const double dd = c.d1 + 2 * c.d2 + 3 * c.d3 + 4 * c.d4;
    const double ed = c.d1 + 4 * c.d2 + 9 * c.d3 + 16 * c.d4;

    double scale = 1.0;
    if (order == 0) {
        const deriche_terms t = deriche_numerator(sigmad, a1[0], b1[0], w1, l1, a2[0], b2[0], w2, l2);
        const double alpha0 = 2 * t.sn / sd - t.n0;
        c.n0 = t.n0 * (scale / alpha0);
        c.n1 = t.n1 * (scale / alpha0);
        c.n2 = t.n2 * (scale / alpha0);
        c.n3 = t.n3 * (scale / alpha0);
    } else {
        if (normalize_across_scale) {
            scale = sigma * sigma;
        }
        const deriche_terms t0 = deriche_numerator(sigmad, a1[0], b1[0], w1, l1, a2[0], b2[0], w2, l2);
        const deriche_terms t2 = deriche_numerator(sigmad, a1[2], b1[2], w1, l1, a2[2], b2[2], w2, l2);
        const double beta = -(2 * t2.sn - sd * t2.n0) / (2 * t0.sn - sd * t0.n0);
        c.n0 = t2.n0 + beta * t0.n0;
        c.n1 = t2.n1 + beta * t0.n1;
        c.n2 = t2.n2 + beta * t0.n2;
        c.n3 = t2.n3 + beta * t0.n3;
        const double sn = t2.sn + beta * t0.sn;
        const double dn = t2.dn + beta * t0.dn;
        const double en = t2.en + beta * t0.en;
        double alpha2 = en * sd * sd - ed * sn * sd - 2 * dn * dd * sd + 2 * dd * dd * sn;
        alpha2 /= sd * sd * sd;
        c.n0 *= scale / alpha2;
        c.n1 *= scale / alpha2;
        c.n2 *= scale / alpha2;
        c.n3 *= scale / alpha2;
    }
    // Both orders used here are symmetric.
    c.m1 = c.n1 - c.d1 * c.n0;
    c.m2 = c.n2 - c.d2 * c.n0;
    c.m3 = c.n3 - c.d3 * c.n0;
    c.m4 = -c.d4 * c.n0;
    const double s_n = c.n0 + c.n1 + c.n2 + c.n3;
    const double s_m = c.m1 + c.m2 + c.m3 + c.m4;
    const double s_d = 1.0 + c.d1 + c.d2 + c.d3 + c.d4;
    c.bn1 = c.d1 * s_n / s_d;
    c.bn2 = c.d2 * s_n / s_d;
    c.bn3 = c.d3 * s_n / s_d;
    c.bn4 = c.d4 * s_n / s_d;
    c.bm1 = c.d1 * s_m / s_d;
    c.bm2 = c.d2 * s_m / s_d;
    c.bm3 = c.d3 * s_m / s_d;
    c.bm4 = c.d4 * s_m / s_d;
    return c;
}

inline double sum4(double a1, double b1, double a2, double b2, double a3, double b3, double a4, double b4)
{
    return a1 * b1 + a2 * b2 + a3 * b3 + a4 * b4;
}

/// Causal + anti-causal recursion over one line (`data` and `out` of length `n >= 4`, `scratch` of length n).
/// The signal is taken as constant beyond each end (edge value), as ITK's `RecursiveSeparableImageFilter`.
inline void recursive_filter_line(const double* data, double* out, double* scratch, std::size_t n,
                                  const recursive_gaussian_coefficients& c)
{
    double* y1 = out;
    const double v1 = data[0];
    y1[0] = sum4(v1, c.n0, v1, c.n1, v1, c.n2, v1, c.n3);
    y1[1] = sum4(data[1], c.n0, v1, c.n1, v1, c.n2, v1, c.n3);
    y1[2] = sum4(data[2], c.n0, data[1], c.n1, v1, c.n2, v1, c.n3);
    y1[3] = sum4(data[3], c.n0, data[2], c.n1, data[1], c.n2, v1, c.n3);
    y1[0] -= sum4(v1, c.bn1, v1, c.bn2, v1, c.bn3, v1, c.bn4);
    y1[1] -= sum4(y1[0], c.d1, v1, c.bn2, v1, c.bn3, v1, c.bn4);
    y1[2] -= sum4(y1[1], c.d1, y1[0], c.d2, v1, c.bn3, v1, c.bn4);
    y1[3] -= sum4(y1[2], c.d1, y1[1], c.d2, y1[0], c.d3, v1, c.bn4);
    for (std::size_t i = 4; i < n; ++i) {
        y1[i] = sum4(data[i], c.n0, data[i - 1], c.n1, data[i - 2], c.n2, data[i - 3], c.n3);
        y1[i] -= sum4(y1[i - 1], c.d1, y1[i - 2], c.d2, y1[i - 3], c.d3, y1[i - 4], c.d4);
    }
    double* y2 = scratch;
    const double v2 = data[n - 1];
    y2[n - 1] = sum4(v2, c.m1, v2, c.m2, v2, c.m3, v2, c.m4);
    y2[n - 2] = sum4(data[n - 1], c.m1, v2, c.m2, v2, c.m3, v2, c.m4);
    y2[n - 3] = sum4(data[n - 2], c.m1, data[n - 1], c.m2, v2, c.m3, v2, c.m4);
    y2[n - 4] = sum4(data[n - 3], c.m1, data[n - 2], c.m2, data[n - 1], c.m3, v2, c.m4);
    y2[n - 1] -= sum4(v2, c.bm1, v2, c.bm2, v2, c.bm3, v2, c.bm4);
    y2[n - 2] -= sum4(y2[n - 1], c.d1, v2, c.bm2, v2, c.bm3, v2, c.bm4);
    y2[n - 3] -= sum4(y2[n - 2], c.d1, y2[n - 1], c.d2, v2, c.bm3, v2, c.bm4);
    y2[n - 4] -= sum4(y2[n - 3], c.d1, y2[n - 2], c.d2, y2[n - 1], c.d3, v2, c.bm4);
    for (std::size_t i = n - 4; i > 0; --i) {
        y2[i - 1] = sum4(data[i], c.m1, data[i + 1], c.m2, data[i + 2], c.m3, data[i + 3], c.m4);
        y2[i - 1] -= sum4(y2[i], c.d1, y2[i + 1], c.d2, y2[i + 2], c.d3, y2[i + 3], c.d4);
    }
    for (std::size_t i = 0; i < n; ++i) {
        out[i] += y2[i];
    }
}

/// `recursive_filter_block` body; `VWidth` > 0 fixes the lane count at compile time (constant trip counts and
/// non-aliasing buffers let the compiler vectorise across lanes; each lane's operations are unchanged).
template <std::size_t VWidth>
void recursive_filter_block_impl(const double* __restrict data, double* __restrict out, double* __restrict scratch,
                                 std::size_t n, std::size_t runtime_width, const recursive_gaussian_coefficients& c)
{
    const std::size_t w = VWidth > 0 ? VWidth : runtime_width;
    const double* v1 = data;
    const double* v2 = data + (n - 1) * w;
    auto at = [w](auto* p, std::size_t m) { return p + m * w; };
    for (std::size_t e = 0; e < w; ++e) {
        const double a = v1[e];
        double* y = out;
        y[e] = sum4(a, c.n0, a, c.n1, a, c.n2, a, c.n3);
        at(y, 1)[e] = sum4(at(data, 1)[e], c.n0, a, c.n1, a, c.n2, a, c.n3);
        at(y, 2)[e] = sum4(at(data, 2)[e], c.n0, at(data, 1)[e], c.n1, a, c.n2, a, c.n3);
        at(y, 3)[e] = sum4(at(data, 3)[e], c.n0, at(data, 2)[e], c.n1, at(data, 1)[e], c.n2, a, c.n3);
        y[e] -= sum4(a, c.bn1, a, c.bn2, a, c.bn3, a, c.bn4);
        at(y, 1)[e] -= sum4(y[e], c.d1, a, c.bn2, a, c.bn3, a, c.bn4);
        at(y, 2)[e] -= sum4(at(y, 1)[e], c.d1, y[e], c.d2, a, c.bn3, a, c.bn4);
        at(y, 3)[e] -= sum4(at(y, 2)[e], c.d1, at(y, 1)[e], c.d2, y[e], c.d3, a, c.bn4);
    }
    for (std::size_t i = 4; i < n; ++i) {
        double* yi = at(out, i);
        const double* y1 = at(out, i - 1);
        const double* y2 = at(out, i - 2);
        const double* y3 = at(out, i - 3);
        const double* y4 = at(out, i - 4);
        const double* x0 = at(data, i);
        const double* x1 = at(data, i - 1);
        const double* x2 = at(data, i - 2);
        const double* x3 = at(data, i - 3);
        for (std::size_t e = 0; e < w; ++e) {
            yi[e] = sum4(x0[e], c.n0, x1[e], c.n1, x2[e], c.n2, x3[e], c.n3);
            yi[e] -= sum4(y1[e], c.d1, y2[e], c.d2, y3[e], c.d3, y4[e], c.d4);
        }
    }
    for (std::size_t e = 0; e < w; ++e) {
        const double b = v2[e];
        double* y = scratch;
        at(y, n - 1)[e] = sum4(b, c.m1, b, c.m2, b, c.m3, b, c.m4);
        at(y, n - 2)[e] = sum4(at(data, n - 1)[e], c.m1, b, c.m2, b, c.m3, b, c.m4);
        at(y, n - 3)[e] = sum4(at(data, n - 2)[e], c.m1, at(data, n - 1)[e], c.m2, b, c.m3, b, c.m4);
        at(y, n - 4)[e] = sum4(at(data, n - 3)[e], c.m1, at(data, n - 2)[e], c.m2, at(data, n - 1)[e], c.m3, b, c.m4);
        at(y, n - 1)[e] -= sum4(b, c.bm1, b, c.bm2, b, c.bm3, b, c.bm4);
        at(y, n - 2)[e] -= sum4(at(y, n - 1)[e], c.d1, b, c.bm2, b, c.bm3, b, c.bm4);
        at(y, n - 3)[e] -= sum4(at(y, n - 2)[e], c.d1, at(y, n - 1)[e], c.d2, b, c.bm3, b, c.bm4);
        at(y, n - 4)[e] -= sum4(at(y, n - 3)[e], c.d1, at(y, n - 2)[e], c.d2, at(y, n - 1)[e], c.d3, b, c.bm4);
    }
    for (std::size_t i = n - 4; i > 0; --i) {
        double* yi = at(scratch, i - 1);
        const double* y1 = at(scratch, i);
        const double* y2 = at(scratch, i + 1);
        const double* y3 = at(scratch, i + 2);
        const double* y4 = at(scratch, i + 3);
        const double* x0 = at(data, i);
        const double* x1 = at(data, i + 1);
        const double* x2 = at(data, i + 2);
        const double* x3 = at(data, i + 3);
        for (std::size_t e = 0; e < w; ++e) {
            yi[e] = sum4(x0[e], c.m1, x1[e], c.m2, x2[e], c.m3, x3[e], c.m4);
            yi[e] -= sum4(y1[e], c.d1, y2[e], c.d2, y3[e], c.d3, y4[e], c.d4);
        }
    }
    const std::size_t total = n * w;
    for (std::size_t i = 0; i < total; ++i) {
        out[i] += scratch[i];
    }
}

/// `recursive_filter_line` on `w` interleaved lines at once: element (m, e) at `m * w + e` (same operations per
/// element, so bit-identical to the line version). `data`, `out` and `scratch` must not overlap.
inline void recursive_filter_block(const double* data, double* out, double* scratch, std::size_t n, std::size_t w,
                                   const recursive_gaussian_coefficients& c)
{
    switch (w) {
    case 64: recursive_filter_block_impl<64>(data, out, scratch, n, w, c); break;
    case 32: recursive_filter_block_impl<32>(data, out, scratch, n, w, c); break;
    case 16: recursive_filter_block_impl<16>(data, out, scratch, n, w, c); break;
    default: recursive_filter_block_impl<0>(data, out, scratch, n, w, c); break;
    }
}

/// One recursive pass along `axis`: lines read as double, filtered, stored as `TInternal`.
template <class TInternal, class TPixel, std::size_t VDim>
image<TInternal, VDim> recursive_gaussian_axis(const image<TPixel, VDim>& in, std::size_t axis,
                                               const recursive_gaussian_coefficients& c)
{
    image<TInternal, VDim> out(in.geometry());
    const TPixel* source = in.begin_pointer();
    TInternal* target = out.begin_pointer();
    if (axis > 0) {
        constexpr std::size_t block = 64;
        for_each_column_block<VDim>(in.shape(), axis, block,
                                 [&](std::size_t base, std::size_t stride, std::size_t n, std::size_t w) {
                                     std::vector<double> buffer(3 * n * w);
                                     double* data = buffer.data();
                                     double* result = data + n * w;
                                     double* work = result + n * w;
                                     for (std::size_t m = 0; m < n; ++m) {
                                         for (std::size_t e = 0; e < w; ++e) {
                                             data[m * w + e] = static_cast<double>(source[base + m * stride + e]);
                                         }
                                     }
                                     recursive_filter_block(data, result, work, n, w, c);
                                     for (std::size_t m = 0; m < n; ++m) {
                                         for (std::size_t e = 0; e < w; ++e) {
                                             target[base + m * stride + e] = static_cast<TInternal>(result[m * w + e]);
                                         }
                                     }
                                 });
        return out;
    }
    for_each_line<VDim>(in.shape(), axis,
                     [&](std::size_t start, std::size_t stride, std::size_t n, std::vector<double>& scratch) {
                         scratch.resize(3 * n);
                         double* data = scratch.data();
                         double* result = data + n;
                         double* work = result + n;
                         for (std::size_t i = 0; i < n; ++i) {
                             data[i] = static_cast<double>(source[start + i * stride]);
                         }
                         recursive_filter_line(data, result, work, n, c);
                         for (std::size_t i = 0; i < n; ++i) {
                             target[start + i * stride] = static_cast<TInternal>(result[i]);
                         }
                     });
    return out;
}

}  // namespace detail

/// \brief PyRadiomics' skip rule for a LoG sigma (`imageoperations.getLoGImage`): the image must have at least
/// 4 voxels on every axis and `size[d] >= ceil(sigma / spacing[d]) + 1`; `sigma > 0`. 2-D or 3-D.
template <std::size_t VDim>
bool pyradiomics_log_applicable(const image_geometry<VDim>& geometry, double sigma_mm)
{
    static_assert(VDim == 2 || VDim == 3, "pyradiomics_log_applicable: 2-D or 3-D grids");
    if (!(sigma_mm > 0.0)) {
        return false;
    }
    for (std::size_t d = 0; d < VDim; ++d) {
        const double size = static_cast<double>(geometry.shape()[d]);
        if (size < 4.0 || size < std::ceil(sigma_mm / geometry.spacing()[d]) + 1.0) {
            return false;
        }
    }
    return true;
}

/// \brief PyRadiomics' LoG image (`log-sigma-<s>-mm-3D`): ITK's `LaplacianRecursiveGaussianImageFilter` with
/// `NormalizeAcrossScale(true)` and sigma in mm, as SimpleITK runs it (float32 intermediate and output images).
///
/// \f[ g = \sigma^2 \sum_{d} \frac{1}{s_d^2}\, \big(G''_{d} * \prod_{e \ne d} G_{e}\big) * f \f]
/// where each 1D Gaussian (derivative) is Deriche's 4th-order recursive approximation with
/// \f$\sigma_d = \sigma / s_d\f$ voxels. For every d, the second derivative runs along d, then smoothing along
/// the two other axes in increasing order; each pass reads its line in double and stores `TInternal`
/// (ITK: float), and the sum accumulates as `acc + h * (1 / s_d^2)` rounded to `TInternal`. With the default
/// `TInternal = float` the output reproduces SimpleITK's bit for bit up to libm differences.
/// \par Boundary handling
/// Each 1D recursion assumes the signal constant beyond the line's ends (edge value, ITK's
/// `RecursiveSeparableImageFilter`). The filter's influence decays like \f$e^{-1.37\,n/\sigma_d}\f$, so a crop
/// with a margin of `recursive_log_margin` voxels (or clamped at the image border) reproduces the whole-image
/// values inside the crop's interior to ~1e-9 relative. The output keeps `input`'s geometry.
/// \par Degenerate input
/// Throws `invalid_argument` for sigma <= 0 or NaN/Inf voxels, `geometry_error` for an axis shorter than 4 voxels
/// (ITK's requirement).
/// \par 2-D
/// For an `image<TPixel, 2>` the sum runs over the two axes (SimpleITK's filter on a 2-D image, PyRadiomics' LoG of
/// a 2-D input; its image type keeps PyRadiomics' name `log-sigma-<s>-mm-3D`).
template <class TInternal = float, class TPixel, std::size_t VDim>
image<TInternal, VDim> laplacian_of_gaussian(const image<TPixel, VDim>& input, double sigma_mm,
                                             bool normalize_across_scale = true)
{
    static_assert(VDim == 2 || VDim == 3, "laplacian_of_gaussian: 2-D or 3-D images");
    const char* where = "filters.laplacian_of_gaussian";
    if (!(sigma_mm > 0.0) || !std::isfinite(sigma_mm)) {
        raise<invalid_argument>(where, "sigma: got ", sigma_mm, " mm, expected a finite value > 0.");
    }
    for (std::size_t d = 0; d < VDim; ++d) {
        if (input.shape()[d] < 4) {
            raise<geometry_error>(where, "size of axis ", d, ": got ", input.shape()[d],
                                  ", expected at least 4 voxels (recursive Gaussian).");
        }
    }
    require_finite(input, where);
    image<TInternal, VDim> accumulated(input.geometry(), TInternal{0});
    for (std::size_t dim = 0; dim < VDim; ++dim) {
        const auto second =
            detail::recursive_gaussian_setup(sigma_mm, input.spacing()[dim], 2, normalize_across_scale);
        image<TInternal, VDim> h = detail::recursive_gaussian_axis<TInternal>(input, dim, second);
        for (std::size_t other = 0; other < VDim; ++other) {
            if (other == dim) {
                continue;
            }
            const auto smooth =
                detail::recursive_gaussian_setup(sigma_mm, input.spacing()[other], 0, normalize_across_scale);
            h = detail::recursive_gaussian_axis<TInternal>(h, other, smooth);
        }
        const double spacing2 = input.spacing()[dim] * input.spacing()[dim];
        const double inverse = 1.0 / spacing2;
        const std::size_t n = accumulated.size();
        for (std::size_t i = 0; i < n; ++i) {
            accumulated[i] = static_cast<TInternal>(static_cast<double>(accumulated[i]) +
                                                    static_cast<double>(h[i]) * inverse);
        }
    }
    return accumulated;
}

namespace detail {

/// One recursive pass along `axis` over the column-major array `in` of shape `in_shape`, restricted to what the
/// next pass needs: every line along `axis` whose two other coordinates lie in the kept range is filtered over
/// its WHOLE length (so each value equals the unrestricted pass), and only its samples inside
/// `[keep_start[axis], keep_start[axis] + keep_size[axis])` are stored, column-major with shape `keep_size`, in
/// `out`. Same per-element operations as `recursive_gaussian_axis` (bit-identical values). Single-threaded.
template <class TInternal, class TIn>
void recursive_gaussian_pass(const TIn* in, const std::array<std::size_t, 3>& in_shape, std::size_t axis,
                             const std::array<std::size_t, 3>& keep_start,
                             const std::array<std::size_t, 3>& keep_size, const recursive_gaussian_coefficients& c,
                             TInternal* out, std::vector<double>& scratch)
{
    const std::size_t n = in_shape[axis];
    const std::array<std::size_t, 3> in_stride{1, in_shape[0], in_shape[0] * in_shape[1]};
    const std::array<std::size_t, 3> out_stride{1, keep_size[0], keep_size[0] * keep_size[1]};
    if (axis == 0) {
        // x lines gathered (transposed) into blocks of up to 32 interleaved lines along y
        constexpr std::size_t lines = 32;
        scratch.resize(3 * n * lines);
        for (std::size_t k = 0; k < keep_size[2]; ++k) {
            for (std::size_t j0 = 0; j0 < keep_size[1]; j0 += lines) {
                const std::size_t w = std::min(lines, keep_size[1] - j0);
                double* data = scratch.data();
                double* result = data + n * w;
                double* work = result + n * w;
                for (std::size_t e = 0; e < w; ++e) {
                    const TIn* line = in + (keep_start[1] + j0 + e) * in_stride[1] + (keep_start[2] + k) * in_stride[2];
                    for (std::size_t i = 0; i < n; ++i) {
                        data[i * w + e] = static_cast<double>(line[i]);
                    }
                }
                recursive_filter_block(data, result, work, n, w, c);
                for (std::size_t e = 0; e < w; ++e) {
                    TInternal* target = out + (j0 + e) * out_stride[1] + k * out_stride[2];
                    const double* source = result + keep_start[0] * w + e;
                    for (std::size_t i = 0; i < keep_size[0]; ++i) {
                        target[i] = static_cast<TInternal>(source[i * w]);
                    }
                }
            }
        }
        return;
    }
    // Lines along `axis` (1 or 2), processed in blocks of up to 64 neighbouring x positions.
    const std::size_t other = axis == 1 ? 2 : 1;
    constexpr std::size_t block = 64;
    scratch.resize(3 * n * block);
    for (std::size_t o = 0; o < keep_size[other]; ++o) {
        for (std::size_t x0 = 0; x0 < keep_size[0]; x0 += block) {
            const std::size_t w = std::min(block, keep_size[0] - x0);
            double* data = scratch.data();
            double* result = data + n * w;
            double* work = result + n * w;
            const TIn* base = in + keep_start[0] + x0 + (keep_start[other] + o) * in_stride[other];
            for (std::size_t m = 0; m < n; ++m) {
                const TIn* row = base + m * in_stride[axis];
                for (std::size_t e = 0; e < w; ++e) {
                    data[m * w + e] = static_cast<double>(row[e]);
                }
            }
            recursive_filter_block(data, result, work, n, w, c);
            TInternal* target = out + x0 + o * out_stride[other];
            for (std::size_t m = 0; m < keep_size[axis]; ++m) {
                const double* source = result + (keep_start[axis] + m) * w;
                TInternal* row = target + m * out_stride[axis];
                for (std::size_t e = 0; e < w; ++e) {
                    row[e] = static_cast<TInternal>(source[e]);
                }
            }
        }
    }
}

}  // namespace detail

/// \brief `laplacian_of_gaussian(input, sigma_mm)` evaluated only on the block `output_start` + `output_size`
/// of `input`, from the context block `context_start` + `context_size` (which must contain the output block):
/// equal to `laplacian_of_gaussian(input.region(context_start, context_size), sigma_mm)` on the output block, bit
/// for bit. With a context of `recursive_log_margin` voxels around the output (clamped to the image) this is the
/// whole-image LoG to the margin's tolerance; a context reaching the image border on an axis is exact there.
///
/// Cost: for each of the 3 terms, the first 1D pass runs over the context, the second only over the lines that
/// cross the output block along the first pass's axis, the third only over lines crossing it on two axes — the
/// values the final block depends on, nothing else. The result has the output block's geometry.
/// \par Degenerate input
/// As `laplacian_of_gaussian`; throws `geometry_error` when a block leaves the image or the output block is not
/// inside the context, and for a context axis shorter than 4 voxels.
template <class TInternal = float, class TPixel>
image<TInternal, 3> laplacian_of_gaussian_block(const image<TPixel, 3>& input, double sigma_mm,
                                                const std::array<std::size_t, 3>& context_start,
                                                const std::array<std::size_t, 3>& context_size,
                                                const std::array<std::size_t, 3>& output_start,
                                                const std::array<std::size_t, 3>& output_size,
                                                bool normalize_across_scale = true)
{
    const char* where = "filters.laplacian_of_gaussian_block";
    if (!(sigma_mm > 0.0) || !std::isfinite(sigma_mm)) {
        raise<invalid_argument>(where, "sigma: got ", sigma_mm, " mm, expected a finite value > 0.");
    }
    std::array<std::size_t, 3> inner{};  // output start inside the context
    for (std::size_t d = 0; d < 3; ++d) {
        if (context_start[d] + context_size[d] > input.shape()[d] || output_start[d] < context_start[d] ||
            output_start[d] + output_size[d] > context_start[d] + context_size[d] || output_size[d] == 0) {
            raise<geometry_error>(where, "blocks on axis ", d, ": got context [", context_start[d], ", ",
                                  context_start[d] + context_size[d], ") and output [", output_start[d], ", ",
                                  output_start[d] + output_size[d], ") in an axis of ", input.shape()[d],
                                  " voxels, expected a non-empty output inside the context inside the image.");
        }
        if (context_size[d] < 4) {
            raise<geometry_error>(where, "context size of axis ", d, ": got ", context_size[d],
                                  ", expected at least 4 voxels (recursive Gaussian).");
        }
        inner[d] = output_start[d] - context_start[d];
    }
    // The context as a contiguous double-free copy in the input's pixel type (checked finite).
    const image<TPixel, 3> context = input.region(
        {static_cast<std::ptrdiff_t>(context_start[0]), static_cast<std::ptrdiff_t>(context_start[1]),
         static_cast<std::ptrdiff_t>(context_start[2])},
        context_size);
    require_finite(context, where);
    image<TInternal, 3> accumulated(
        input.geometry().region({static_cast<std::ptrdiff_t>(output_start[0]),
                                 static_cast<std::ptrdiff_t>(output_start[1]),
                                 static_cast<std::ptrdiff_t>(output_start[2])},
                                output_size),
        TInternal{0});
    std::vector<TInternal> first;
    std::vector<TInternal> second_pass;
    std::vector<TInternal> third;
    std::vector<double> scratch;
    for (std::size_t dim = 0; dim < 3; ++dim) {
        const auto second =
            detail::recursive_gaussian_setup(sigma_mm, input.spacing()[dim], 2, normalize_across_scale);
        std::array<std::size_t, 2> others{};
        for (std::size_t d = 0, o = 0; d < 3; ++d) {
            if (d != dim) {
                others[o++] = d;
            }
        }
        // pass 1 (axis dim, 2nd derivative): keep the output range along dim, everything else
        std::array<std::size_t, 3> start1{0, 0, 0};
        std::array<std::size_t, 3> size1 = context_size;
        start1[dim] = inner[dim];
        size1[dim] = output_size[dim];
        first.resize(size1[0] * size1[1] * size1[2]);
        detail::recursive_gaussian_pass(context.begin_pointer(), context_size, dim, start1, size1, second,
                                        first.data(), scratch);
        // pass 2 (smoothing along others[0]): keep the output range along it too
        const auto smooth_a =
            detail::recursive_gaussian_setup(sigma_mm, input.spacing()[others[0]], 0, normalize_across_scale);
        std::array<std::size_t, 3> start2{0, 0, 0};
        std::array<std::size_t, 3> size2 = size1;
        start2[others[0]] = inner[others[0]];
        size2[others[0]] = output_size[others[0]];
        second_pass.resize(size2[0] * size2[1] * size2[2]);
        detail::recursive_gaussian_pass(first.data(), size1, others[0], start2, size2, smooth_a,
                                        second_pass.data(), scratch);
        // pass 3 (smoothing along others[1]): the output block
        const auto smooth_b =
            detail::recursive_gaussian_setup(sigma_mm, input.spacing()[others[1]], 0, normalize_across_scale);
        std::array<std::size_t, 3> start3{0, 0, 0};
        start3[others[1]] = inner[others[1]];
        third.resize(output_size[0] * output_size[1] * output_size[2]);
        detail::recursive_gaussian_pass(second_pass.data(), size2, others[1], start3, output_size, smooth_b,
                                        third.data(), scratch);
        const double spacing2 = input.spacing()[dim] * input.spacing()[dim];
        const double inverse = 1.0 / spacing2;
        const std::size_t n = accumulated.size();
        for (std::size_t i = 0; i < n; ++i) {
            accumulated[i] = static_cast<TInternal>(static_cast<double>(accumulated[i]) +
                                                    static_cast<double>(third[i]) * inverse);
        }
    }
    return accumulated;
}

/// \brief Margin (voxels per axis) after which the recursive LoG's boundary influence is below `tolerance`
/// relative: \f$ \lceil \sigma_d \ln(1/\mathrm{tol}) / 1.3732 \rceil + 4 \f$ with \f$\sigma_d = \sigma/s_d\f$.
inline std::array<std::size_t, 3> recursive_log_margin(const std::array<double, 3>& spacing, double sigma_mm,
                                                       double tolerance = 1e-9)
{
    std::array<std::size_t, 3> margin{};
    for (std::size_t d = 0; d < 3; ++d) {
        const double sigmad = sigma_mm / spacing[d];
        margin[d] = static_cast<std::size_t>(std::ceil(sigmad * std::log(1.0 / tolerance) / 1.3732)) + 4;
    }
    return margin;
}

// ---------------------------------------------------------------------------------------------------------------
// Convolution (IBSI 2) LoG
// ---------------------------------------------------------------------------------------------------------------

/// Options of the convolution LoG (IBSI 2 reference manual, "Laplacian of Gaussian").
struct log_convolution_options {
    double sigma_mm = 1.0;                           ///< Gaussian scale in mm
    double truncation = 4.0;                         ///< kernel half-width in units of sigma
    boundary_mode boundary = boundary_mode::reflect;  ///< SciPy mode; IBSI 2's zero, nearest, mirror, periodic are
                                                      ///< constant, nearest, reflect, wrap
    bool two_dimensional = false;                    ///< filter each k-slice in the i-j plane (D = 2)
    /// false (IBSI): Gaussian samples scaled by \f$1/(\sqrt{2\pi}\sigma)\f$. true (SciPy's
    /// `ndimage.gaussian_laplace`): the truncated samples \f$e^{-k^2/2\sigma^2}\f$ are divided by their sum.
    bool normalise_discrete = false;
};

/// \brief IBSI 2 convolution LoG with the sampled continuous kernel, no re-normalisation:
/// \f[ g(\mathbf{k}) = -\frac{1}{\sigma^2}\Big(\frac{1}{\sqrt{2\pi}\sigma}\Big)^D
///     \Big(D - \frac{\|\mathbf{k}\|^2}{\sigma^2}\Big) e^{-\|\mathbf{k}\|^2 / 2\sigma^2} \f]
/// with \f$\sigma\f$ in voxels (\f$\sigma_d = \sigma_{mm}/s_d\f$ per axis; IBSI's phantoms are isotropic),
/// \f$\mathbf{k}\f$ on a cube of half-width \f$R_d = \lfloor t\,\sigma_d + 0.5 \rfloor\f$ voxels (t = truncation).
/// Evaluated exactly as the separable sum \f$\sum_d \frac{k_d^2/\sigma_d^2 - 1}{\sigma_d^2} g_d(k_d)
/// \prod_{e\ne d} g_e(k_e)\f$ with \f$g_d(k) = e^{-k^2/2\sigma_d^2}/(\sqrt{2\pi}\sigma_d)\f$ — identical to the
/// formula above. Reproduces IBSI 2 maps 2.a (zero), 2.b (mirror) and 2.c (2D, mirror).
/// \par Boundary handling
/// `options.boundary` (see `boundary.hpp`); each separable pass extends its line, which equals extending the
/// volume first. Needs a margin of \f$R_d\f$ voxels for crops. The output keeps `input`'s geometry.
/// \par Rounding of non-integer half-widths
/// \f$t\sigma_d\f$ is rounded half up; the IBSI maps (integer half-widths 6 and 10) cannot confirm this choice.
template <class TPixel>
image<double, 3> laplacian_of_gaussian_convolution(const image<TPixel, 3>& input,
                                                   const log_convolution_options& options)
{
    const char* where = "filters.laplacian_of_gaussian_convolution";
    if (!(options.sigma_mm > 0.0) || !std::isfinite(options.sigma_mm)) {
        raise<invalid_argument>(where, "sigma: got ", options.sigma_mm, " mm, expected a finite value > 0.");
    }
    if (!(options.truncation > 0.0) || !std::isfinite(options.truncation)) {
        raise<invalid_argument>(where, "truncation: got ", options.truncation, ", expected a finite value > 0.");
    }
    require_finite(input, where);
    const std::size_t dims = options.two_dimensional ? 2 : 3;
    std::array<std::vector<double>, 3> gauss;
    std::array<std::vector<double>, 3> second;
    const double pi = 3.141592653589793238462643383279502884;
    for (std::size_t d = 0; d < dims; ++d) {
        const double sigma = options.sigma_mm / input.spacing()[d];
        const auto radius = static_cast<std::ptrdiff_t>(std::floor(options.truncation * sigma + 0.5));
        double total = 0.0;
        for (std::ptrdiff_t k = -radius; k <= radius; ++k) {
            const double kk = static_cast<double>(k) * static_cast<double>(k);
            total += std::exp(-kk / (2.0 * sigma * sigma));
        }
        const double scale = options.normalise_discrete ? 1.0 / total : 1.0 / (std::sqrt(2.0 * pi) * sigma);
        for (std::ptrdiff_t k = -radius; k <= radius; ++k) {
            const double kk = static_cast<double>(k) * static_cast<double>(k);
            const double g = std::exp(-kk / (2.0 * sigma * sigma)) * scale;
            gauss[d].push_back(g);
            second[d].push_back((kk / (sigma * sigma) - 1.0) / (sigma * sigma) * g);
        }
    }
    image<double, 3> out(input.geometry(), 0.0);
    for (std::size_t d = 0; d < dims; ++d) {
        image<double, 3> term = detail::correlate_axis(input, 0, d == 0 ? second[0] : gauss[0], options.boundary);
        for (std::size_t e = 1; e < dims; ++e) {
            term = detail::correlate_axis(term, e, d == e ? second[e] : gauss[e], options.boundary);
        }
        const std::size_t n = out.size();
        for (std::size_t i = 0; i < n; ++i) {
            out[i] += term[i];
        }
    }
    return out;
}

}  // namespace radiogenomics::filters
