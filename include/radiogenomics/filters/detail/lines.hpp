#pragma once
/// \file lines.hpp
/// \brief Internal helpers: iterate the 1D lines of an image along one axis, 1D correlation with a boundary.

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

/// Runs `body(line_start, stride, length, scratch)` for every line along `axis`, in parallel over lines
/// (each line writes only its own voxels, so the result does not depend on the thread count).
/// `scratch` is a per-thread `std::vector<double>` the body may resize.
template <std::size_t VDim, class TBody>
void for_each_line(const std::array<std::size_t, VDim>& shape, std::size_t axis, TBody&& body)
{
    const line_layout<VDim> layout(shape, axis);
    const std::ptrdiff_t count = static_cast<std::ptrdiff_t>(layout.count);
#ifdef _OPENMP
#pragma omp parallel if (count > 64)
#endif
    {
        std::vector<double> scratch;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
        for (std::ptrdiff_t line = 0; line < count; ++line) {
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

/// Correlates `in` along `axis` with the centred kernel `w` under `mode`; returns a new double image.
template <class TPixel, std::size_t VDim>
image<double, VDim> correlate_axis(const image<TPixel, VDim>& in, std::size_t axis, const std::vector<double>& w,
                                   boundary_mode mode)
{
    image<double, VDim> out(in.geometry());
    const TPixel* source = in.begin_pointer();
    double* target = out.begin_pointer();
    for_each_line<VDim>(in.shape(), axis,
                        [&](std::size_t start, std::size_t stride, std::size_t length, std::vector<double>& scratch) {
                            correlate_line(source + start, target + start, stride, length, w, mode, scratch);
                        });
    return out;
}

}  // namespace radiogenomics::filters::detail
