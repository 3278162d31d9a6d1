#pragma once
/// \file lines.hpp
/// \brief Internal helpers: iterate the 1D lines of an image along one axis, 1D correlation with a boundary.

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/filters/boundary.hpp"

namespace radiogenomics::filters::detail {

/// Geometry of the lines along `axis` of a column-major array of `shape`.
template <std::size_t VDim>
struct line_layout {
    std::size_t length = 0;  ///< voxels per line (shape[axis])
    std::size_t stride = 1;  ///< linear distance between neighbours on a line
    std::size_t count = 0;   ///< number of lines

    line_layout(const std::array<std::size_t, VDim>& shape, std::size_t axis)
    {
        length = shape[axis];
        for (std::size_t d = 0; d < axis; ++d) {
            stride *= shape[d];
        }
        std::size_t total = 1;
        for (std::size_t d = 0; d < VDim; ++d) {
            total *= shape[d];
        }
        count = length == 0 ? 0 : total / length;
    }

    /// Linear offset of the first voxel of line `line` (0 <= line < count).
    std::size_t start(std::size_t line) const
    {
        const std::size_t inner = line % stride;
        const std::size_t outer = line / stride;
        return inner + outer * stride * length;
    }
};

/// Runs `body(line_start, stride, length, scratch)` for every line along `axis`, in parallel over blocks of 64
/// lines (each line writes only its own voxels, so the result does not depend on the thread count).
/// `scratch` is a per-block `std::vector<double>` the body may resize.
template <std::size_t VDim, class TBody>
void for_each_line(const std::array<std::size_t, VDim>& shape, std::size_t axis, TBody&& body)
{
    const line_layout<VDim> layout(shape, axis);
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(layout.count);
    constexpr std::ptrdiff_t lines_per_block = 64;
    const std::ptrdiff_t blocks = (count + lines_per_block - 1) / lines_per_block;
    RG_PARALLEL_FOR
    for (std::ptrdiff_t b = 0; b < blocks; ++b) {
        std::vector<double> scratch;
        const std::ptrdiff_t last = std::min(count, (b + 1) * lines_per_block);
        for (std::ptrdiff_t line = b * lines_per_block; line < last; ++line) {
            body(layout.start(static_cast<std::size_t>(line)), layout.stride, layout.length, scratch);
        }
    }
}

/// Correlates one line with a centred kernel: `out[m] = sum_t w[t] x[m + t - R]`, `R = (w.size() - 1) / 2`,
/// reading beyond the line through `mode`. `in` and `out` may not alias; both use `stride`.
template <class TIn, class TOut>
void correlate_line(const TIn* in, TOut* out, std::size_t stride, std::size_t length, const std::vector<double>& w,
                    boundary_mode mode, std::vector<double>& padded)
{
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(length);
    const std::ptrdiff_t radius = static_cast<std::ptrdiff_t>(w.size() / 2);
    padded.assign(static_cast<std::size_t>(n + 2 * radius), 0.0);
    for (std::ptrdiff_t i = -radius; i < n + radius; ++i) {
        const std::ptrdiff_t source = boundary_index(i, n, mode);
        padded[static_cast<std::size_t>(i + radius)] =
            source < 0 ? 0.0 : static_cast<double>(in[static_cast<std::size_t>(source) * stride]);
    }
    const std::size_t taps = w.size();
    for (std::ptrdiff_t m = 0; m < n; ++m) {
        const double* x = padded.data() + m;
        double sum = 0.0;
        for (std::size_t t = 0; t < taps; ++t) {
            sum += w[t] * x[t];
        }
        out[static_cast<std::size_t>(m) * stride] = static_cast<TOut>(sum);
    }
}

}  // namespace radiogenomics::filters::detail

#include "radiogenomics/core/image.hpp"

namespace radiogenomics::filters::detail {

/// Runs `body(base, stride, length, width)` over blocks of up to `block` neighbouring lines along `axis > 0`:
/// element (m, e) of a block (m < length along the axis, e < width across lines) is at linear offset
/// `base + m * stride + e`. Processing a block row by row keeps memory access contiguous; each element still
/// sees the same operation sequence as a line-by-line pass, so results are identical. Parallel over blocks.
template <std::size_t VDim, class TBody>
void for_each_column_block(const std::array<std::size_t, VDim>& shape, std::size_t axis, std::size_t block,
                           TBody&& body)
{
    std::size_t stride = 1;
    for (std::size_t d = 0; d < axis; ++d) {
        stride *= shape[d];
    }
    const std::size_t length = shape[axis];
    std::size_t total = 1;
    for (std::size_t d = 0; d < VDim; ++d) {
        total *= shape[d];
    }
    if (total == 0) {
        return;
    }
    const std::size_t outer = total / (stride * length);
    const std::size_t blocks_per_slice = (stride + block - 1) / block;
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(outer * blocks_per_slice);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t b = 0; b < count; ++b) {
        const std::size_t o = static_cast<std::size_t>(b) / blocks_per_slice;
        const std::size_t first = (static_cast<std::size_t>(b) % blocks_per_slice) * block;
        const std::size_t width = std::min(block, stride - first);
        body(o * stride * length + first, stride, length, width);
    }
}

}  // namespace radiogenomics::filters::detail


namespace radiogenomics::filters::detail {

/// Correlates `in` along `axis` with the centred kernel `w` under `mode`; returns a new double image.
template <class TPixel, std::size_t VDim>
image<double, VDim> correlate_axis(const image<TPixel, VDim>& in, std::size_t axis, const std::vector<double>& w,
                                   boundary_mode mode)
{
    image<double, VDim> out(in.geometry());
    const TPixel* source = in.begin_pointer();
    double* target = out.begin_pointer();
    if (axis > 0) {
        // rows of neighbouring lines at once; per voxel the same sum in the same order as correlate_line
        const std::ptrdiff_t radius = static_cast<std::ptrdiff_t>(w.size() / 2);
        for_each_column_block<VDim>(in.shape(), axis, 64, [&](std::size_t base, std::size_t stride,
                                                               std::size_t length, std::size_t width) {
            const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(length);
            std::vector<double> acc(width);
            for (std::ptrdiff_t m = 0; m < n; ++m) {
                std::fill(acc.begin(), acc.end(), 0.0);
                for (std::size_t t = 0; t < w.size(); ++t) {
                    const std::ptrdiff_t q = boundary_index(m + static_cast<std::ptrdiff_t>(t) - radius, n, mode);
                    if (q < 0) {
                        for (std::size_t e = 0; e < width; ++e) {
                            acc[e] += w[t] * 0.0;
                        }
                        continue;
                    }
                    const TPixel* row = source + base + static_cast<std::size_t>(q) * stride;
                    for (std::size_t e = 0; e < width; ++e) {
                        acc[e] += w[t] * static_cast<double>(row[e]);
                    }
                }
                double* out_row = target + base + static_cast<std::size_t>(m) * stride;
                for (std::size_t e = 0; e < width; ++e) {
                    out_row[e] = acc[e];
                }
            }
        });
        return out;
    }
    for_each_line<VDim>(in.shape(), axis,
                        [&](std::size_t start, std::size_t stride, std::size_t length, std::vector<double>& scratch) {
                            correlate_line(source + start, target + start, stride, length, w, mode, scratch);
                        });
    return out;
}

}  // namespace radiogenomics::filters::detail

