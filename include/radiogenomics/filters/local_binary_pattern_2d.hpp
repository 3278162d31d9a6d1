#pragma once
/// \file local_binary_pattern_2d.hpp
/// \brief PyRadiomics' `lbp-2D` image type: the 2-D local binary pattern of scikit-image's
/// `skimage.feature.local_binary_pattern`, which PyRadiomics calls (`imageoperations.getLBP2DImage`).
///
/// \par Definition
/// Ojala, Pietikäinen, Mäenpää, "Multiresolution gray-scale and rotation invariant texture classification with
/// local binary patterns", IEEE TPAMI 24(7):971, 2002. For pixel (r, c) (numpy row/column: row = y, column = x)
/// and P samples at radius R, sample p sits at
/// \f[ (r_p, c_p) = \big(r - \mathrm{round}_5(R\sin\tfrac{2\pi p}{P}),\; c + \mathrm{round}_5(R\cos\tfrac{2\pi p}{P})\big) \f]
/// (offsets rounded to 5 decimals, R in float32 as scikit-image's signature takes it) and its value \f$g_p\f$ is
/// bilinear between the 4 surrounding pixels, 0 outside the image. \f$s_p = [g_p - g_c \ge 0]\f$ and
/// \f$U = \sum_{p=0}^{P-2} [s_p \ne s_{p+1}]\f$ (scikit-image counts transitions without the wrap-around pair).
/// - `uniform`: \f$\sum_p s_p\f$ if \f$U \le 2\f$, else \f$P + 1\f$ (values 0..P+1; PyRadiomics' default),
/// - `default`: \f$\sum_p s_p 2^p\f$,
/// - `ror`: the minimum of the P cyclic right rotations of the default code,
/// - `nri_uniform`: 0 and \f$P(P-1)+1\f$ for no / all ones, \f$1 + (n-1)P + k\f$ for the other uniform patterns
///   with n ones rotated k places, \f$P(P-1)+2\f$ for non-uniform ones,
/// - `var`: the population variance of the \f$g_p\f$ (NaN where it is 0).
///
/// \par PyRadiomics
/// Settings `lbp2DRadius` (default 1), `lbp2DSamples` (8), `lbp2DMethod` ("uniform"). A 2-D image is filtered as a
/// whole; a 3-D image slice by slice in the planes perpendicular to `force2Ddimension` (numpy order 0 = z: x-y
/// planes), the values stored in the input's voxel type (PyRadiomics writes them back into the image array).
///
/// \par Degenerate input
/// NaN/Inf pixels, P < 1, R <= 0 or an unknown method throw `invalid_argument`.

#include <algorithm>
#include <cctype>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::filters {

/// scikit-image's `method` argument.
enum class lbp2d_method { default_code, ror, uniform, nri_uniform, var };

/// Parses `default`, `ror`, `uniform`, `nri_uniform`, `var` (case-insensitive, as scikit-image).
inline lbp2d_method parse_lbp2d_method(std::string name)
{
    for (auto& ch : name) {
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    if (name == "default") return lbp2d_method::default_code;
    if (name == "ror") return lbp2d_method::ror;
    if (name == "uniform") return lbp2d_method::uniform;
    if (name == "nri_uniform") return lbp2d_method::nri_uniform;
    if (name == "var") return lbp2d_method::var;
    raise<invalid_argument>("filters.parse_lbp2d_method", "lbp2DMethod: got \"", name,
                            "\", expected default, ror, uniform, nri_uniform or var.");
}

/// Options of `local_binary_pattern_2d` (PyRadiomics keys and defaults).
struct lbp2d_options {
    double radius = 1.0;                          ///< `lbp2DRadius` (pixels)
    int samples = 8;                              ///< `lbp2DSamples`
    lbp2d_method method = lbp2d_method::uniform;  ///< `lbp2DMethod`
    /// `force2Ddimension` for a 3-D image: the axis the slices are perpendicular to, numpy order (0 = z).
    int force_2d_dimension = 0;
};

namespace detail {

/// The sample offsets (row, column) of scikit-image: round(-R sin(2 pi p / P), 5), round(R cos(2 pi p / P), 5).
inline std::vector<std::array<double, 2>> lbp2d_offsets(const lbp2d_options& options)
{
    const char* where = "filters.local_binary_pattern_2d";
    if (options.samples < 1 || options.samples > 31) {
        raise<invalid_argument>(where, "lbp2DSamples: got ", options.samples, ", expected 1..31.");
    }
    if (!(options.radius > 0.0) || !std::isfinite(options.radius)) {
        raise<invalid_argument>(where, "lbp2DRadius: got ", options.radius, ", expected a finite value > 0.");
    }
    const double radius = static_cast<double>(static_cast<float>(options.radius));  // Cython `float R`
    const double pi = 3.141592653589793;
    // numpy.round(x, 5): rint(x * 1e5) / 1e5
    const auto round5 = [](double x) { return std::nearbyint(x * 1e5) / 1e5; };
    std::vector<std::array<double, 2>> out(static_cast<std::size_t>(options.samples));
    for (int p = 0; p < options.samples; ++p) {
        const double angle = 2.0 * pi * static_cast<double>(p) / static_cast<double>(options.samples);
        out[static_cast<std::size_t>(p)] = {round5(-radius * std::sin(angle)), round5(radius * std::cos(angle))};
    }
    return out;
}

/// Pixel (r, c) of a row-major rows x cols plane, 0 outside (scikit-image's constant mode, cval 0).
inline double lbp2d_pixel(const std::vector<double>& plane, std::ptrdiff_t rows, std::ptrdiff_t cols, std::ptrdiff_t r,
                          std::ptrdiff_t c)
{
    return r < 0 || r >= rows || c < 0 || c >= cols ? 0.0 : plane[static_cast<std::size_t>(r * cols + c)];
}

/// The code of one pixel from its thresholded samples and sample values.
inline double lbp2d_code(const std::vector<int>& s, const std::vector<double>& g, lbp2d_method method)
{
    const int n = static_cast<int>(s.size());
    if (method == lbp2d_method::var) {
        double sum = 0.0, squares = 0.0;
        for (double v : g) {
            sum += v;
            squares += v * v;
        }
        const double variance = (squares - (sum * sum) / n) / n;
        return variance != 0.0 ? variance : std::numeric_limits<double>::quiet_NaN();
    }
    if (method == lbp2d_method::uniform || method == lbp2d_method::nri_uniform) {
        int changes = 0;
        for (int p = 0; p + 1 < n; ++p) {
            changes += s[static_cast<std::size_t>(p)] != s[static_cast<std::size_t>(p + 1)] ? 1 : 0;
        }
        int ones = 0;
        int first_one = -1, first_zero = -1;
        for (int p = 0; p < n; ++p) {
            if (s[static_cast<std::size_t>(p)] != 0) {
                ++ones;
                first_one = first_one < 0 ? p : first_one;
            } else {
                first_zero = first_zero < 0 ? p : first_zero;
            }
        }
        if (method == lbp2d_method::uniform) {
            return changes <= 2 ? static_cast<double>(ones) : static_cast<double>(n + 1);
        }
        if (changes > 2) {
            return static_cast<double>(n * (n - 1) + 2);
        }
        if (ones == 0) {
            return 0.0;
        }
        if (ones == n) {
            return static_cast<double>(n * (n - 1) + 1);
        }
        const int rotation = first_one == 0 ? ones - first_zero : n - first_one;
        return static_cast<double>(1 + (ones - 1) * n + rotation);
    }
    std::uint32_t code = 0;
    for (int p = 0; p < n; ++p) {
        code |= static_cast<std::uint32_t>(s[static_cast<std::size_t>(p)] != 0) << p;
    }
    if (method == lbp2d_method::ror) {
        const std::uint32_t mask = n == 32 ? 0xffffffffU : ((1U << n) - 1U);
        std::uint32_t best = code;
        std::uint32_t rotated = code;
        for (int k = 1; k < n; ++k) {
            rotated = ((rotated >> 1) | ((rotated & 1U) << (n - 1))) & mask;
            best = std::min(best, rotated);
        }
        code = best;
    }
    return static_cast<double>(code);
}

/// LBP of a row-major plane (rows x cols) into `out` (same layout).
inline void lbp2d_plane(const std::vector<double>& plane, std::size_t rows, std::size_t cols,
                        const std::vector<std::array<double, 2>>& offsets, lbp2d_method method, std::vector<double>& out)
{
    const auto nr = static_cast<std::ptrdiff_t>(rows);
    const auto nc = static_cast<std::ptrdiff_t>(cols);
    out.assign(rows * cols, 0.0);
    const auto count = static_cast<std::ptrdiff_t>(rows);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t r = 0; r < count; ++r) {
        std::vector<int> s(offsets.size());
        std::vector<double> g(offsets.size());
        for (std::ptrdiff_t c = 0; c < nc; ++c) {
            const double centre = plane[static_cast<std::size_t>(r * nc + c)];
            for (std::size_t p = 0; p < offsets.size(); ++p) {
                const double y = static_cast<double>(r) + offsets[p][0];
                const double x = static_cast<double>(c) + offsets[p][1];
                const auto r0 = static_cast<std::ptrdiff_t>(std::floor(y));
                const auto c0 = static_cast<std::ptrdiff_t>(std::floor(x));
                const auto r1 = static_cast<std::ptrdiff_t>(std::ceil(y));
                const auto c1 = static_cast<std::ptrdiff_t>(std::ceil(x));
                const double dr = y - static_cast<double>(r0);
                const double dc = x - static_cast<double>(c0);
                const double top = (1 - dc) * lbp2d_pixel(plane, nr, nc, r0, c0) + dc * lbp2d_pixel(plane, nr, nc, r0, c1);
                const double bottom =
                    (1 - dc) * lbp2d_pixel(plane, nr, nc, r1, c0) + dc * lbp2d_pixel(plane, nr, nc, r1, c1);
                g[p] = (1 - dr) * top + dr * bottom;
                s[p] = g[p] - centre >= 0 ? 1 : 0;
            }
            out[static_cast<std::size_t>(r * nc + c)] = lbp2d_code(s, g, method);
        }
    }
}

}  // namespace detail

/// \brief LBP of a 2-D image (scikit-image `local_binary_pattern(image, P, R, method)` on PyRadiomics' (y, x)
/// array); the output keeps the input's geometry. See the file comment.
template <class TPixel>
image<double, 2> local_binary_pattern_2d(const image<TPixel, 2>& input, const lbp2d_options& options = {})
{
    const char* where = "filters.local_binary_pattern_2d";
    require_finite(input, where);
    const auto offsets = detail::lbp2d_offsets(options);
    const std::size_t nx = input.shape()[0];
    const std::size_t ny = input.shape()[1];
    // numpy (y, x) row-major = our column-major (x fastest): the same memory order
    std::vector<double> plane(input.size());
    for (std::size_t n = 0; n < input.size(); ++n) {
        plane[n] = static_cast<double>(input[n]);
    }
    std::vector<double> codes;
    detail::lbp2d_plane(plane, ny, nx, offsets, options.method, codes);
    image<double, 2> out(input.geometry());
    std::copy(codes.begin(), codes.end(), out.begin_pointer());
    return out;
}

/// \brief PyRadiomics' `lbp-2D` of a 3-D image: every slice perpendicular to `options.force_2d_dimension` (numpy
/// order: 0 = z, 1 = y, 2 = x) filtered as a 2-D image, values stored in `TPixel` as PyRadiomics writes them back
/// into the image's array (integer images truncate `var`), returned as double.
namespace detail {
/// PyRadiomics writes a volume's LBP codes back into the input array (`im_arr[idx, ...] = local_binary_pattern(...)`),
/// so the codes take the input's dtype. NumPy's float-to-integer assignment truncates through a machine integer
/// and keeps the low bits (x86-64), e.g. code 200 in an int8 image reads -56; the codes are whole numbers in
/// [0, 2^P) with P <= 31, so the route through int64 is exact and its narrowing is the same modular one
/// (defined for the standard integer types by GCC and Clang, where a direct double cast would be undefined).
template <class TPixel>
double lbp2d_store_as(double code)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        return static_cast<double>(static_cast<TPixel>(code));
    } else {
        if (!std::isfinite(code)) {
            return code;
        }
        return static_cast<double>(static_cast<TPixel>(static_cast<std::int64_t>(code)));
    }
}
}  // namespace detail

template <class TPixel>
image<double, 3> local_binary_pattern_2d(const image<TPixel, 3>& input, const lbp2d_options& options = {})
{
    const char* where = "filters.local_binary_pattern_2d";
    if (options.force_2d_dimension < 0 || options.force_2d_dimension > 2) {
        raise<invalid_argument>(where, "force2Ddimension: got ", options.force_2d_dimension, ", expected 0, 1 or 2.");
    }
    require_finite(input, where);
    const auto offsets = detail::lbp2d_offsets(options);
    const auto& shape = input.shape();
    // PyRadiomics: im_arr (z, y, x).swapaxes(0, a); slice im_arr[idx] has numpy axes = the other two in order,
    // with axis a's former position taken by axis 0 (z). Rows/columns as our axes:
    std::size_t slice_axis = 0, row_axis = 0, col_axis = 0;
    switch (options.force_2d_dimension) {
    case 0: slice_axis = 2; row_axis = 1; col_axis = 0; break;  // (y, x)
    case 1: slice_axis = 1; row_axis = 2; col_axis = 0; break;  // swapaxes(0, 1): (y, z, x) -> slice (z, x)
    default: slice_axis = 0; row_axis = 1; col_axis = 2; break;  // swapaxes(0, 2): (x, y, z) -> slice (y, z)
    }
    const std::size_t rows = shape[row_axis];
    const std::size_t cols = shape[col_axis];
    image<double, 3> out(input.geometry());
    std::vector<double> plane(rows * cols);
    std::vector<double> codes;
    std::array<std::size_t, 3> idx{};
    for (std::size_t s = 0; s < shape[slice_axis]; ++s) {
        idx[slice_axis] = s;
        for (std::size_t r = 0; r < rows; ++r) {
            idx[row_axis] = r;
            for (std::size_t c = 0; c < cols; ++c) {
                idx[col_axis] = c;
                plane[r * cols + c] = static_cast<double>(input(idx[0], idx[1], idx[2]));
            }
        }
        detail::lbp2d_plane(plane, rows, cols, offsets, options.method, codes);
        for (std::size_t r = 0; r < rows; ++r) {
            idx[row_axis] = r;
            for (std::size_t c = 0; c < cols; ++c) {
                idx[col_axis] = c;
                const double code = codes[r * cols + c];
                out(idx[0], idx[1], idx[2]) = detail::lbp2d_store_as<TPixel>(code);
            }
        }
    }
    return out;
}

/// Voxels of margin a crop needs for `local_binary_pattern_2d` to equal the whole image's values inside it: the
/// samples lie within ceil(R) pixels (the image's edge, read as 0, is kept where the crop touches it).
inline std::size_t lbp2d_margin(const lbp2d_options& options)
{
    return static_cast<std::size_t>(std::ceil(std::abs(options.radius))) + 1;
}

}  // namespace radiogenomics::filters
