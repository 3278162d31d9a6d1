#pragma once
/// \file wavelet_undecimated.hpp
/// \brief Undecimated (stationary) separable 3D wavelet: PyRadiomics' Wavelet image type (PyWavelets `swtn`)
/// and the IBSI 2 separable-wavelet filter with a selectable boundary.

#include <algorithm>
#include <array>
#include <optional>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/filters/boundary.hpp"
#include "radiogenomics/filters/detail/lines.hpp"
#include "radiogenomics/filters/detail/wavelet_tables.hpp"

namespace radiogenomics::filters {

/// Decomposition filters of an orthogonal wavelet (PyWavelets `dec_lo` / `dec_hi` convention).
struct wavelet_filters {
    std::string name;
    std::vector<double> dec_lo;  ///< low-pass: the scaling filter reversed
    std::vector<double> dec_hi;  ///< high-pass: \f$ \mathrm{dec\_hi}[k] = (-1)^{k+1}\,\mathrm{dec\_lo}[L-1-k] \f$
    /// The float32 coefficients PyWavelets uses for float32 data: `float(dec_lo)`, except for coiflets, whose
    /// table is stored divided by sqrt(2) and rescaled in float: `float(float(c / sqrt2) * float(sqrt2))`
    /// (differs by one ulp for some taps; checked on PyWavelets' response to a float32 impulse).
    std::vector<float> dec_lo_float;
    std::vector<float> dec_hi_float;
};

/// Names accepted by `wavelet_by_name`: haar, db1..db10, sym2..sym10, coif1..coif5.
inline std::vector<std::string> wavelet_names()
{
    std::vector<std::string> names;
    for (const auto& entry : detail::wavelet_table) {
        names.emplace_back(entry.name);
    }
    return names;
}

/// The decomposition filters of a named wavelet; throws `invalid_argument` for an unknown name.
inline wavelet_filters wavelet_by_name(const std::string& name)
{
    for (const auto& entry : detail::wavelet_table) {
        if (name == entry.name) {
            wavelet_filters w;
            w.name = name;
            const std::size_t length = entry.length;
            for (std::size_t k = 0; k < length; ++k) {
                w.dec_lo.push_back(entry.scaling[length - 1 - k]);
            }
            for (std::size_t k = 0; k < length; ++k) {
                const double v = w.dec_lo[length - 1 - k];
                w.dec_hi.push_back(k % 2 == 0 ? -v : v);
            }
            const bool coiflet = name.rfind("coif", 0) == 0;
            const double sqrt2 = 1.4142135623730951;
            for (std::size_t k = 0; k < length; ++k) {
                const double v = w.dec_lo[k];
                w.dec_lo_float.push_back(coiflet ? static_cast<float>(static_cast<float>(v / sqrt2) *
                                                                      static_cast<float>(sqrt2))
                                                 : static_cast<float>(v));
            }
            for (std::size_t k = 0; k < length; ++k) {
                const float v = w.dec_lo_float[length - 1 - k];
                w.dec_hi_float.push_back(k % 2 == 0 ? -v : v);
            }
            return w;
        }
    }
    std::string known;
    for (const auto& n : wavelet_names()) {
        known += (known.empty() ? "" : ", ") + n;
    }
    raise<invalid_argument>("filters.wavelet_by_name", "wavelet: got \"", name, "\", expected one of ", known,
                            ". Biorthogonal and dmey wavelets are not tabulated.");
}

/// Arithmetic type of the wavelet: float for float images (PyWavelets keeps float32), double otherwise
/// (PyWavelets converts integer arrays to float64).
template <class TPixel>
using wavelet_value_t = std::conditional_t<std::is_same_v<TPixel, float>, float, double>;

/// Options of `wavelet_undecimated`.
struct wavelet_options {
    std::string wavelet = "coif1";  ///< PyRadiomics `wavelet`
    /// Decomposition levels (PyRadiomics `level`, default 1). Level j > 1 decomposes the previous level's
    /// approximation again.
    std::size_t level = 1;
    std::size_t start_level = 0;  ///< PyRadiomics `start_level`: levels computed but not returned first
    /// PyRadiomics/PyWavelets: `wrap` (periodization). IBSI 2 tests use constant, reflect, wrap (its zero, mirror, periodic).
    boundary_mode boundary = boundary_mode::wrap;
    /// PyRadiomics pads every odd axis by one voxel (NumPy `wrap`: voxel 0 repeated at the end) before `swtn`
    /// and crops afterwards. PyRadiomics always pads to a multiple of 2 (not 2^level).
    bool pad_odd_axes = true;
    /// false (PyRadiomics): every level reuses the level-1 filters on the previous approximation, because
    /// PyRadiomics calls `swtn(level=1)` repeatedly. true (à trous, IBSI 2 / PyWavelets `swtn(level=j)`):
    /// level j dilates the filters by 2^(j-1).
    bool dilate_levels = false;
    /// An axis (0 = x, 1 = y, 2 = z) left unfiltered: the in-plane decomposition of PyRadiomics' `force2D`
    /// (`getWaveletImage` removes force2Ddimension from the axes it passes to `swtn`), and of a 2-D image held as
    /// a one-slice volume. Bands then have two letters (x, y order): LH, HL, HH and the approximation LL.
    std::optional<std::size_t> unfiltered_axis{};
};

/// \brief `options` for PyRadiomics' `getWaveletImage` of a volume under its `force2D` setting: with `force_2d` the
/// axis `force_2d_dimension` (PyRadiomics' `force2Ddimension`, NumPy (z, y, x) order: 0 = z, 1 = y, 2 = x; our axis
/// `2 - force_2d_dimension`) is left unfiltered, because PyRadiomics removes it from the axes it passes to
/// `pywt.swtn` (`axes = [Nd-1, ..., 0]; axes.remove(force2Ddimension)`). The volume is then decomposed in-plane:
/// 3 detail bands per level and the approximation, named by the two remaining axes (x before y before z): `LH`,
/// `HL`, `HH`, `LL`. Without `force_2d`, `options` is returned unchanged (the 3-axis decomposition).
/// Throws `invalid_argument` for a `force_2d_dimension` outside 0..2 when `force_2d` is set.
inline wavelet_options force_2d_wavelet_options(wavelet_options options, bool force_2d, int force_2d_dimension)
{
    if (!force_2d) {
        return options;
    }
    if (force_2d_dimension < 0 || force_2d_dimension > 2) {
        raise<invalid_argument>("filters.force_2d_wavelet_options", "force2Ddimension: got ", force_2d_dimension,
                                ", expected 0, 1 or 2 (NumPy order: 0 = z, 1 = y, 2 = x).");
    }
    options.unfiltered_axis = static_cast<std::size_t>(2 - force_2d_dimension);
    return options;
}

/// One sub-band: PyRadiomics name (`LLH`, ..., `HHH`, `LLL`; `LH`, `HL`, `HH`, `LL` in 2-D), level (1-based) and
/// image.
template <class TValue, std::size_t VDim = 3>
struct wavelet_band {
    std::string name;
    std::size_t level = 1;
    image<TValue, VDim> response;
};

namespace detail {

/// acc[e] += h * row[e] for the `w` lanes of a row block; `VWidth` > 0 fixes w at compile time so the loop is
/// vectorised (the same multiply and add per lane).
template <std::size_t VWidth, class TValue>
inline void accumulate_lanes(TValue* __restrict acc, const TValue* __restrict row, TValue h, std::size_t runtime_width)
{
    const std::size_t w = VWidth > 0 ? VWidth : runtime_width;
    for (std::size_t e = 0; e < w; ++e) {
        acc[e] += h * row[e];
    }
}

/// One 1D stationary-wavelet pass along `axis`:
/// \f$ y[m] = \sum_{j=0}^{L-1} h[j]\, x[m + s(L/2 - j)] \f$ (s = dilation), accumulated in `TValue` in
/// increasing j, reading beyond the line through `mode` (PyWavelets' `downsampling_convolution_periodization`
/// with step 1 for `wrap`).
/// Writes into `out` (same shape as `in`, any content; lets callers reuse buffers instead of first-touching
/// fresh pages on every pass).
template <class TValue>
void swt_axis_into(const image<TValue, 3>& in, image<TValue, 3>& out, std::size_t axis, const std::vector<TValue>& h,
                   std::size_t dilation, boundary_mode mode)
{
    const std::ptrdiff_t taps = static_cast<std::ptrdiff_t>(h.size());
    const std::ptrdiff_t half = taps / 2;
    const std::ptrdiff_t step = static_cast<std::ptrdiff_t>(dilation);
    const TValue* source = in.begin_pointer();
    TValue* target = out.begin_pointer();
    const bool pywt_order = mode == boundary_mode::wrap && step == 1;
    if (axis > 0) {
        // Rows of neighbouring lines at once (contiguous memory); per voxel the same sum in the same order.
        constexpr std::size_t block = 64;
        for_each_column_block<3>(in.shape(), axis, block, [&](std::size_t base, std::size_t stride, std::size_t length,
                                                              std::size_t w) {
            const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(length);
            std::vector<TValue> rows(length * w);
            for (std::size_t m = 0; m < length; ++m) {
                for (std::size_t e = 0; e < w; ++e) {
                    rows[m * w + e] = source[base + m * stride + e];
                }
            }
            std::vector<TValue> acc(w);
            for (std::ptrdiff_t m = 0; m < n; ++m) {
                std::fill(acc.begin(), acc.end(), TValue{0});
                auto add = [&](std::ptrdiff_t j) {
                    const std::ptrdiff_t q = boundary_index(m + step * (half - j), n, mode);
                    const TValue hj = h[static_cast<std::size_t>(j)];
                    if (q < 0) {
                        for (std::size_t e = 0; e < w; ++e) {
                            acc[e] += hj * TValue{0};
                        }
                    } else {
                        const TValue* row = rows.data() + static_cast<std::size_t>(q) * w;
                        if (w == block) {
                            accumulate_lanes<block>(acc.data(), row, hj, w);
                        } else {
                            accumulate_lanes<0>(acc.data(), row, hj, w);
                        }
                    }
                };
                std::ptrdiff_t first = 0;
                const std::ptrdiff_t i = m + half;
                if (pywt_order && i >= n) {
                    for (std::ptrdiff_t j = i - n; j >= 0; --j) {
                        add(j);
                    }
                    first = i - n + 1;
                }
                for (std::ptrdiff_t j = first; j < taps; ++j) {
                    add(j);
                }
                for (std::size_t e = 0; e < w; ++e) {
                    target[base + static_cast<std::size_t>(m) * stride + e] = acc[e];
                }
            }
        });
        return;
    }
    for_each_line<3>(in.shape(), axis, [&](std::size_t start, std::size_t stride, std::size_t length,
                                           std::vector<double>&) {
        const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(length);
        const std::ptrdiff_t reach = step * (half + taps);
        // padded[p + reach] holds x[p] read through the boundary (0 for zero padding)
        std::vector<TValue> padded(static_cast<std::size_t>(n + 2 * reach), TValue{0});
        for (std::ptrdiff_t p = -reach; p < n + reach; ++p) {
            const std::ptrdiff_t q = boundary_index(p, n, mode);
            if (q >= 0) {
                padded[static_cast<std::size_t>(p + reach)] = source[start + static_cast<std::size_t>(q) * stride];
            }
        }
        for (std::ptrdiff_t m = 0; m < n; ++m) {
            // x[m + step (half - j)] = centre[-step j]
            const TValue* centre = padded.data() + (m + step * half + reach);
            TValue sum = 0;
            std::ptrdiff_t first = 0;
            const std::ptrdiff_t i = m + half;
            if (pywt_order && i >= n) {
                // PyWavelets adds the taps that wrap past the right end first, in decreasing tap order.
                for (std::ptrdiff_t j = i - n; j >= 0; --j) {
                    sum += h[static_cast<std::size_t>(j)] * centre[-step * j];
                }
                first = i - n + 1;
            }
            for (std::ptrdiff_t j = first; j < taps; ++j) {
                sum += h[static_cast<std::size_t>(j)] * centre[-step * j];
            }
            target[start + static_cast<std::size_t>(m) * stride] = sum;
        }
    });
}

/// PyRadiomics' wrap padding of odd axes: voxel 0 of the axis repeated once at the end.
/// An unfiltered axis is not padded (its values never mix, so padding it would change nothing but the cost).
template <class TValue>
image<TValue, 3> pad_odd_wrap(image<TValue, 3>&& in, std::optional<std::size_t> unfiltered_axis = std::nullopt)
{
    auto shape = in.shape();
    bool any = false;
    for (std::size_t d = 0; d < 3; ++d) {
        if (shape[d] % 2 != 0 && unfiltered_axis != d) {
            ++shape[d];
            any = true;
        }
    }
    if (!any) {
        return std::move(in);
    }
    image_geometry<3> g = in.geometry();
    g.set_shape(shape);
    image<TValue, 3> out(g);
    const auto& src = in.shape();
    for (std::size_t k = 0; k < shape[2]; ++k) {
        for (std::size_t j = 0; j < shape[1]; ++j) {
            for (std::size_t i = 0; i < shape[0]; ++i) {
                out(i, j, k) = in(i % src[0], j % src[1], k % src[2]);
            }
        }
    }
    return out;
}

}  // namespace detail

/// \brief `wavelet_undecimated` delivering each returned band to `sink(index, name, level, response)` instead of
/// collecting them: `index` is the band's position in `wavelet_undecimated`'s result, `response` (on `input`'s
/// grid) is valid only during the call. Bands are computed depth first (x band, then its y bands, then their
/// z bands) in a few reused buffers, so a decomposition touches ~5 images of memory instead of ~16 fresh ones;
/// the values are those of `wavelet_undecimated`, bit for bit. Same options, boundary handling and errors.
template <class TPixel, class TSink>
void wavelet_undecimated_each(const image<TPixel, 3>& input, const wavelet_options& options, TSink&& sink)
{
    using value_type = wavelet_value_t<TPixel>;
    const char* where = "filters.wavelet_undecimated";
    if (options.level == 0) {
        raise<invalid_argument>(where, "level: got 0, expected at least 1.");
    }
    if (input.empty()) {
        raise<geometry_error>(where, "image size: got 0 voxels, expected at least 1.");
    }
    require_finite(input, where);
    const wavelet_filters w = wavelet_by_name(options.wavelet);
    std::vector<value_type> lo;
    std::vector<value_type> hi;
    if constexpr (std::is_same_v<value_type, float>) {
        lo = w.dec_lo_float;
        hi = w.dec_hi_float;
    } else {
        lo = w.dec_lo;
        hi = w.dec_hi;
    }
    image<value_type, 3> data = cast_image<value_type>(input);
    if (options.pad_odd_axes) {
        data = detail::pad_odd_wrap(std::move(data), options.unfiltered_axis);
    }
    if (options.unfiltered_axis && *options.unfiltered_axis > 2) {
        raise<invalid_argument>(where, "unfiltered axis: got ", *options.unfiltered_axis, ", expected 0, 1 or 2.");
    }
    // the filtered axes in x, y, z order; the first letter of a band name is the first of them
    std::vector<std::size_t> axes;
    for (std::size_t d = 0; d < 3; ++d) {
        if (options.unfiltered_axis != d) {
            axes.push_back(d);
        }
    }
    const std::size_t depth = axes.size();
    const std::size_t codes = std::size_t{1} << depth;  // bands per level, the approximation (code 0) included
    const bool cropped = data.shape() != input.shape();
    // stage[d]: the current band filtered along axes[0..d] (one reused buffer per depth)
    std::vector<image<value_type, 3>> stage(depth, image<value_type, 3>(data.geometry()));
    image<value_type, 3> approximation(data.geometry());  // LLL of the current level
    image<value_type, 3> output = cropped ? image<value_type, 3>(input.geometry()) : image<value_type, 3>();
    const auto deliver = [&](std::size_t index, const std::string& name, std::size_t level,
                             const image<value_type, 3>& band) {
        if (!cropped) {
            sink(index, name, level, band);
            return;
        }
        const auto& shape = input.shape();
        for (std::size_t k = 0; k < shape[2]; ++k) {
            for (std::size_t j = 0; j < shape[1]; ++j) {
                for (std::size_t i = 0; i < shape[0]; ++i) {
                    output(i, j, k) = band(i, j, k);
                }
            }
        }
        sink(index, name, level, static_cast<const image<value_type, 3>&>(output));
    };
    const std::size_t last = options.start_level + options.level;
    std::size_t index = 0;
    for (std::size_t lev = 0; lev < last; ++lev) {
        const std::size_t dilation = options.dilate_levels ? (std::size_t{1} << lev) : 1;
        const bool returned = lev >= options.start_level;
        // Depth first: split `in` along axes[d] into L (bit 0) and H (bit 1); code = the bits so far, first axis
        // most significant (PyWavelets' product order: LLH, LHL, ..., HHH in 3D; LH, HL, HH in 2D).
        const auto descend = [&](const auto& self, std::size_t d, std::size_t code,
                                 const image<value_type, 3>& in) -> void {
            for (std::size_t b = 0; b < 2; ++b) {
                const std::size_t next = 2 * code + b;
                if (!returned && next != 0) {
                    return;  // only the approximation is needed from a level that is not returned
                }
                const std::vector<value_type>& taps = b == 0 ? lo : hi;
                if (d + 1 < depth) {
                    detail::swt_axis_into(in, stage[d], axes[d], taps, dilation, options.boundary);
                    self(self, d + 1, next, stage[d]);
                    continue;
                }
                if (next == 0) {
                    detail::swt_axis_into(in, approximation, axes[d], lo, dilation, options.boundary);
                    continue;
                }
                detail::swt_axis_into(in, stage[d], axes[d], taps, dilation, options.boundary);
                std::string name(depth, 'L');
                for (std::size_t a = 0; a < depth; ++a) {
                    name[a] = (next >> (depth - 1 - a)) & 1U ? 'H' : 'L';
                }
                deliver(index + next - 1, name, lev - options.start_level + 1, stage[d]);
            }
        };
        descend(descend, 0, 0, data);
        if (returned) {
            index += codes - 1;
        }
        std::swap(data, approximation);
    }
    deliver(index, std::string(depth, 'L'), options.level, data);
}

/// \brief Undecimated 3D separable wavelet decomposition, PyRadiomics' `getWaveletImage` (`_swt3`).
///
/// For each level, along x then y then z (PyRadiomics passes axes (2, 1, 0) of the z-y-x NumPy array, so the
/// first letter of a name is x — also IBSI 2's convention), every current band is split into a low (L, PyWavelets
/// `a`) and a high (H, `d`) band with the 1D stationary transform
/// \f$ y[m] = \sum_{j} h[j]\, x[m + s(L/2 - j)] \f$. The result lists, per returned level, the 7 detail bands in
/// PyWavelets' order LLH, LHL, LHH, HLL, HLH, HHL, HHH, then the last level's approximation LLL (PyRadiomics'
/// order and names; images from level j > 1 are named `wavelet<j>-...` by `image_type_name`).
/// With `options.unfiltered_axis` (PyRadiomics' `force2D`, see `force_2d_wavelet_options`) only the two other axes are
/// filtered: per level the 3 detail bands LH, HL, HH, then LL.
/// Arithmetic is float32 for float images (PyWavelets keeps float32 data in float32, with float32 filter
/// coefficients) and double otherwise, accumulated in PyWavelets' order, so PyRadiomics' values are reproduced bit
/// for bit.
/// \par Boundary handling
/// `options.boundary`: PyRadiomics uses `wrap` (PyWavelets' SWT is periodic) after padding odd axes by
/// wrapping (`options.pad_odd_axes`). For crops, a margin of `wavelet_margin` voxels suffices only when the crop
/// does not touch the image border on that axis; otherwise the whole axis is needed (the periodic wrap reads
/// the far side). The outputs keep `input`'s geometry.
/// \par IBSI 2 conventions
/// IBSI 2's separable wavelets use the same placement \f$x[m + s(L/2 - j)]\f$ and letter order, so
/// `boundary = constant` reproduces map 5.a.1 (db2 LHL) and `wrap` reproduces 6.a.1 (coif1 HHL). Two differences
/// from PyRadiomics are options here: IBSI pads with the test's boundary (constant/reflect/wrap) instead of
/// PyWavelets' periodic wrap, and IBSI's level 2 is à trous (`dilate_levels = true`) whereas PyRadiomics' level 2
/// re-applies the undilated level-1 filters to the level-1 approximation. Rotation-invariant pooling
/// (5.a.2, 6.a.2, 7.a.*) is not implemented.
/// \par Degenerate input
/// Unknown wavelet or level 0 throws `invalid_argument`; NaN/Inf voxels throw; an empty image throws
/// `geometry_error`.
template <class TPixel>
std::vector<wavelet_band<wavelet_value_t<TPixel>>> wavelet_undecimated(const image<TPixel, 3>& input,
                                                                        const wavelet_options& options = {})
{
    using value_type = wavelet_value_t<TPixel>;
    std::vector<wavelet_band<value_type>> bands;
    wavelet_undecimated_each(input, options,
                             [&bands](std::size_t index, const std::string& name, std::size_t level,
                                      const image<value_type, 3>& response) {
                                 if (bands.size() <= index) {
                                     bands.resize(index + 1);
                                 }
                                 bands[index] = wavelet_band<value_type>{name, level, response};
                             });
    return bands;
}

/// \brief `wavelet_undecimated_each` of a 2-D image: PyRadiomics' `getWaveletImage` of a 2-D input (`swtn` over its
/// two axes): per level the 3 detail bands LH, HL, HH (x letter first), then the last level's approximation LL,
/// each delivered as an `image<value, 2>` on `input`'s grid. Same options (`unfiltered_axis` is ignored), boundary
/// handling and errors as the 3-D filter, whose in-plane decomposition of the one-slice volume it is.
template <class TPixel, class TSink>
void wavelet_undecimated_each(const image<TPixel, 2>& input, wavelet_options options, TSink&& sink)
{
    using value_type = wavelet_value_t<TPixel>;
    options.unfiltered_axis = 2;
    wavelet_undecimated_each(to_slice_volume(input), options,
                             [&sink](std::size_t index, const std::string& name, std::size_t level,
                                     const image<value_type, 3>& response) {
                                 sink(index, name, level, static_cast<const image<value_type, 2>&>(to_plane(response)));
                             });
}

/// \brief Undecimated 2-D wavelet decomposition (4 bands per level), PyRadiomics' wavelet of a 2-D image; see the
/// 2-D `wavelet_undecimated_each`.
template <class TPixel>
std::vector<wavelet_band<wavelet_value_t<TPixel>, 2>> wavelet_undecimated(const image<TPixel, 2>& input,
                                                                           const wavelet_options& options = {})
{
    using value_type = wavelet_value_t<TPixel>;
    std::vector<wavelet_band<value_type, 2>> bands;
    wavelet_undecimated_each(input, options,
                             [&bands](std::size_t index, const std::string& name, std::size_t level,
                                      const image<value_type, 2>& response) {
                                 if (bands.size() <= index) {
                                     bands.resize(index + 1);
                                 }
                                 bands[index] = wavelet_band<value_type, 2>{name, level, response};
                             });
    return bands;
}

/// Voxels of margin a crop needs on an axis that does not touch the image border:
/// \f$ s_{max}(L/2 + 1) \f$ per level, summed over the levels computed (s = dilation).
inline std::size_t wavelet_margin(const wavelet_options& options)
{
    const std::size_t length = wavelet_by_name(options.wavelet).dec_lo.size();
    std::size_t margin = 0;
    for (std::size_t lev = 0; lev < options.start_level + options.level; ++lev) {
        const std::size_t dilation = options.dilate_levels ? (std::size_t{1} << lev) : 1;
        margin += dilation * (length / 2 + 1);
    }
    return margin + 1;  // + 1 for the odd-axis wrap padding
}

}  // namespace radiogenomics::filters
