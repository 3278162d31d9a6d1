#pragma once
/// \file bspline_prefilter.hpp
/// \brief The one cubic B-spline prefilter (samples → B-spline coefficients), shared by the B-spline resampling
/// (`preprocess/resample.hpp`) and LBP3D's B-spline sampling (`filters/local_binary_pattern_3d.hpp`).
///
/// Unser's recursive filter (M. Unser, "Splines: a perfect fit for signal and image processing", IEEE Signal
/// Process. Mag. 16(6):22–38, 1999): with the pole \f$z = \sqrt3 - 2\f$ and the gain \f$(1 - z)(1 - 1/z) = 6\f$,
/// \f[ c^+_0 = \sum_{k} z^k\, 6 s_k \ \text{(mirror-extended signal)},\quad c^+_k = 6 s_k + z\,c^+_{k-1},\quad
///     c_{n-1} = \frac{z}{z^2 - 1}\,(c^+_{n-1} + z\,c^+_{n-2}),\quad c_k = z\,(c_{k+1} - c^+_k), \f]
/// with whole-sample mirror boundaries (SciPy's `mirror`: `d c b | a b c d | c b a`, see `mirror_index.hpp`).
///
/// The peers the two callers must equal write this filter with different constants and operation orders, and the
/// last bits matter to them (ITK's int16 resampling rounds on them; LBP3D's binary pattern compares samples), so the
/// accuracy of the causal initialisation and the arithmetic are a parameter, `bspline_prefilter_mode`:
/// - `truncated` (the resampling, checked against ITK 5.2 / SimpleITK `sitkBSpline`): \f$z\f$ = `sqrt(3) - 2` in
///   double, gain 6; the causal sum is truncated after 32 terms (\f$|z|^{32} \approx 5\cdot10^{-19}\f$) on lines
///   longer than that, as ITK's `BSplineDecompositionImageFilter` truncates at its tolerance; shorter lines use the
///   exact mirror sum \f$\bigl(s_0 + z^{n-1}s_{n-1} + \sum_{k=1}^{n-2}(z^k + z^{2n-2}/z^k)s_k\bigr)/(1 - z^{2n-2})\f$.
/// - `scipy_exact` (LBP3D, equal to SciPy's `ndimage.spline_filter1d(order=3, mode='mirror')`, which PyRadiomics'
///   LBP3D calls through `map_coordinates`): SciPy's pole literal and its computed gain, the exact mirror sum at any
///   length in SciPy's order (`_init_causal_mirror`, `_init_anticausal_mirror` in `ni_splines.c`).

#include <cmath>
#include <cstddef>
#include <vector>

namespace radiogenomics::preprocess::detail {

/// How the prefilter's causal initialisation and constants are computed (see the file comment).
enum class bspline_prefilter_mode {
    truncated,    ///< resampling (ITK / SimpleITK peers): sqrt(3) - 2, gain 6, causal sum truncated after 32 terms
    scipy_exact,  ///< LBP3D (SciPy `spline_filter1d` peer): SciPy's constants and operation order, exact sum
};

/// In-place cubic B-spline prefilter of `count` interleaved lines of `n` samples each: sample `k` of line `m` is
/// `data[k * stride + m]` (lanes contiguous, so the recursion vectorises; one contiguous line is `stride = 1`,
/// `count = 1`). Every lane gets the same operations in the same order as a line filtered alone. Lines of fewer than
/// 2 samples are left as they are.
inline void bspline3_prefilter_lines(double* data, std::ptrdiff_t n, std::ptrdiff_t stride, std::ptrdiff_t count,
                                     bspline_prefilter_mode mode)
{
    if (n < 2) {
        return;
    }
    const bool exact = mode == bspline_prefilter_mode::scipy_exact;
    // SciPy's literal for sqrt(3) - 2 is one ulp from the double sqrt(3) - 2, and its gain (1 - z)(1 - 1/z) one ulp
    // above 6: each mode keeps its peer's.
    const double z = exact ? -0.267949192431122706472553658494127633 : std::sqrt(3.0) - 2.0;
    const double gain = exact ? (1.0 - z) * (1.0 - 1.0 / z) : 6.0;
    for (std::ptrdiff_t k = 0; k < n; ++k) {
        double* row = data + k * stride;
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            row[m] *= gain;
        }
    }
    // causal initialisation c+_0 for every lane
    std::vector<double> sum(static_cast<std::size_t>(count), 0.0);
    const double* last = data + (n - 1) * stride;
    if (exact) {
        // SciPy _init_causal_mirror: c0 + z^(n-1) c_{n-1} + sum_i z^i (c_i + z^(n-1) c_{n-1-i}), / (1 - z^(2n-2))
        const double zn1 = std::pow(z, static_cast<double>(n - 1));
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            sum[static_cast<std::size_t>(m)] = data[m] + zn1 * last[m];
        }
        double zi = z;
        for (std::ptrdiff_t i = 1; i + 1 < n; ++i) {
            const double* a = data + i * stride;
            const double* b = data + (n - 1 - i) * stride;
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                sum[static_cast<std::size_t>(m)] += zi * (a[m] + zn1 * b[m]);
            }
            zi *= z;
        }
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            sum[static_cast<std::size_t>(m)] = sum[static_cast<std::size_t>(m)] / (1.0 - zn1 * zn1);
        }
    } else if (constexpr std::ptrdiff_t horizon = 32; n > horizon) {  // |z|^32 ≈ 5e-19
        double zk = 1.0;
        for (std::ptrdiff_t k = 0; k < horizon; ++k) {
            const double* row = data + k * stride;
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                sum[static_cast<std::size_t>(m)] += zk * row[m];
            }
            zk *= z;
        }
    } else {
        const double z2n = std::pow(z, static_cast<double>(2 * n - 2));
        const double zn = std::pow(z, static_cast<double>(n - 1));
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            sum[static_cast<std::size_t>(m)] = data[m] + zn * last[m];
        }
        double zk = z;
        for (std::ptrdiff_t k = 1; k < n - 1; ++k) {
            const double f = zk + z2n / zk;
            const double* row = data + k * stride;
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                sum[static_cast<std::size_t>(m)] += f * row[m];
            }
            zk *= z;
        }
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            sum[static_cast<std::size_t>(m)] /= 1.0 - z2n;
        }
    }
    for (std::ptrdiff_t m = 0; m < count; ++m) {
        data[m] = sum[static_cast<std::size_t>(m)];
    }
    // causal recursion
    for (std::ptrdiff_t k = 1; k < n; ++k) {
        double* row = data + k * stride;
        const double* prev = row - stride;
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            row[m] += z * prev[m];
        }
    }
    // anti-causal initialisation
    {
        double* end = data + (n - 1) * stride;
        const double* prev = end - stride;
        if (exact) {
            // SciPy _init_anticausal_mirror: (z c_{n-2} + c_{n-1}) z / (z^2 - 1)
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                end[m] = (z * prev[m] + end[m]) * z / (z * z - 1.0);
            }
        } else {
            const double c = z / (z * z - 1.0);
            for (std::ptrdiff_t m = 0; m < count; ++m) {
                end[m] = c * (end[m] + z * prev[m]);
            }
        }
    }
    // anti-causal recursion
    for (std::ptrdiff_t k = n - 2; k >= 0; --k) {
        double* row = data + k * stride;
        const double* next = row + stride;
        for (std::ptrdiff_t m = 0; m < count; ++m) {
            row[m] = z * (next[m] - row[m]);
        }
    }
}

}  // namespace radiogenomics::preprocess::detail
