#pragma once
/// \file gaussian_blur.hpp
/// \brief Separable Gaussian blur of a 3-D float image (internal; the scanner PSF).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics {
namespace synth {
namespace detail {

/// Normalised 1-D Gaussian kernel with standard deviation `sigma` voxels, radius
/// `int(truncate * sigma + 0.5)` — the kernel of `scipy.ndimage.gaussian_filter1d` (truncate 4).
inline std::vector<double> gaussian_kernel(double sigma, double truncate = 4.0)
{
    if (!(sigma > 0.0)) {
        return {1.0};
    }
    const auto radius = static_cast<std::ptrdiff_t>(truncate * sigma + 0.5);
    std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0.0;
    for (std::ptrdiff_t k = -radius; k <= radius; ++k) {
        const double v = std::exp(-0.5 * static_cast<double>(k * k) / (sigma * sigma));
        kernel[static_cast<std::size_t>(k + radius)] = v;
        sum += v;
    }
    for (auto& v : kernel) {
        v /= sum;
    }
    return kernel;
}

/// Convolves `n` samples spaced `stride` apart with `kernel`, edge samples repeated
/// (scipy's mode='nearest'); `scratch` must hold n values.
inline void convolve_line(float* line, std::size_t n, std::size_t stride, const std::vector<double>& kernel,
                          std::vector<float>& scratch)
{
    const auto radius = static_cast<std::ptrdiff_t>(kernel.size() / 2);
    const auto last = static_cast<std::ptrdiff_t>(n) - 1;
    for (std::size_t i = 0; i < n; ++i) {
        scratch[i] = line[i * stride];
    }
    for (std::ptrdiff_t i = 0; i <= last; ++i) {
        double acc = 0.0;
        if (i >= radius && i + radius <= last) {
            const float* src = scratch.data() + (i - radius);
            for (std::size_t k = 0; k < kernel.size(); ++k) {
                acc += kernel[k] * src[k];
            }
        } else {
            for (std::ptrdiff_t k = -radius; k <= radius; ++k) {
                const std::ptrdiff_t j = std::min(last, std::max<std::ptrdiff_t>(0, i + k));
                acc += kernel[static_cast<std::size_t>(k + radius)] * scratch[static_cast<std::size_t>(j)];
            }
        }
        line[static_cast<std::size_t>(i) * stride] = static_cast<float>(acc);
    }
}

/// Convolves `width` interleaved lines along their sample axis: sample s of line i is at
/// `base[s * stride + i]`, n samples per line, edges repeated. The inner loop runs over i
/// (contiguous), so it vectorises. `block` must hold n × width floats and `acc` width doubles.
inline void convolve_block(float* base, std::size_t n, std::size_t stride, std::size_t width,
                           const std::vector<double>& kernel, std::vector<float>& block, std::vector<double>& acc)
{
    for (std::size_t s = 0; s < n; ++s) {
        std::copy(base + s * stride, base + s * stride + width, block.data() + s * width);
    }
    const auto radius = static_cast<std::ptrdiff_t>(kernel.size() / 2);
    const auto last = static_cast<std::ptrdiff_t>(n) - 1;
    for (std::ptrdiff_t s = 0; s <= last; ++s) {
        std::fill(acc.begin(), acc.begin() + static_cast<std::ptrdiff_t>(width), 0.0);
        for (std::ptrdiff_t k = -radius; k <= radius; ++k) {
            const std::ptrdiff_t src = std::min(last, std::max<std::ptrdiff_t>(0, s + k));
            const double w = kernel[static_cast<std::size_t>(k + radius)];
            const float* in = block.data() + static_cast<std::size_t>(src) * width;
            for (std::size_t i = 0; i < width; ++i) {
                acc[i] += w * in[i];
            }
        }
        float* out = base + static_cast<std::size_t>(s) * stride;
        for (std::size_t i = 0; i < width; ++i) {
            out[i] = static_cast<float>(acc[i]);
        }
    }
}

/// In-place Gaussian blur with standard deviation `sigma_mm` (physical), separable along x, y, z,
/// edges repeated. Equal to `scipy.ndimage.gaussian_filter(img, sigma_mm / spacing, mode='nearest')`
/// up to float rounding. Lines are independent, so the result does not depend on the thread count.
inline void gaussian_blur(image<float, 3>& img, double sigma_mm)
{
    const auto shape = img.shape();
    const std::size_t nx = shape[0];
    const std::size_t ny = shape[1];
    const std::size_t nz = shape[2];
    if (img.empty() || !(sigma_mm > 0.0)) {
        return;
    }
    float* data = img.begin_pointer();
    const auto kx = gaussian_kernel(sigma_mm / img.spacing()[0]);
    const auto ky = gaussian_kernel(sigma_mm / img.spacing()[1]);
    const auto kz = gaussian_kernel(sigma_mm / img.spacing()[2]);
    const auto slices = static_cast<std::ptrdiff_t>(nz);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < slices; ++k) {
        std::vector<float> scratch(nx);
        std::vector<float> block(nx * ny);
        std::vector<double> acc(nx);
        float* slice = data + static_cast<std::size_t>(k) * nx * ny;
        if (kx.size() > 1) {
            for (std::size_t j = 0; j < ny; ++j) {
                convolve_line(slice + j * nx, nx, 1, kx, scratch);
            }
        }
        if (ky.size() > 1) {
            convolve_block(slice, ny, nx, nx, ky, block, acc);
        }
    }
    if (kz.size() > 1) {
        const auto rows = static_cast<std::ptrdiff_t>(ny);
        RG_PARALLEL_FOR
        for (std::ptrdiff_t j = 0; j < rows; ++j) {
            std::vector<float> block(nz * nx);
            std::vector<double> acc(nx);
            convolve_block(data + static_cast<std::size_t>(j) * nx, nz, nx * ny, nx, kz, block, acc);
        }
    }
}

}  // namespace detail
}  // namespace synth
}  // namespace radiogenomics
