#pragma once
/// \file morphology.hpp
/// \brief Binary erosion, dilation, opening and closing with a ball or box structuring element.
///
/// \par Structuring elements (radius \f$r_d\f$ voxels per axis)
/// - `ball`: offsets \f$\delta\f$ with \f$\sum_d (\delta_d / r_d)^2 \le 1\f$ (axes with \f$r_d = 0\f$ only allow
///   \f$\delta_d = 0\f$); for an isotropic radius this is \f$|\delta|^2 \le r^2\f$.
/// - `box`: offsets with \f$|\delta_d| \le r_d\f$.
///
/// \par Definitions (SciPy `binary_dilation` / `binary_erosion` / `binary_opening` / `binary_closing`)
/// \f$X \oplus B = \{x : (B + x) \cap X \ne \emptyset\}\f$, \f$X \ominus B = \{x : B + x \subseteq X\}\f$; voxels
/// outside the image count as background (SciPy `border_value=0`; ITK's `BinaryErodeImageFilter` instead treats
/// the border as foreground by default). Opening = dilation of the erosion; closing = erosion of the dilation.
/// Inputs are read as "non-zero = foreground"; outputs are 0/1 masks.
///
/// \par Algorithm
/// A ball is a union of x-segments, one per (y, z) offset. For each x-row the distance to the nearest foreground
/// voxel in that row is computed once (two sweeps), and a voxel is in the dilation when some neighbour row
/// (y + δy, z + δz) has a foreground voxel within that offset's half-width. Cost ∝ voxels × (y, z) offsets.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::preprocess {

/// Shape of the structuring element.
enum class structuring_shape { ball, box };

namespace detail {

struct row_offset {
    std::ptrdiff_t dj;
    std::ptrdiff_t dk;
    std::ptrdiff_t half_width;  // x offsets allowed: [-half_width, half_width]
};

inline std::vector<row_offset> structuring_rows(const std::array<std::size_t, 3>& radius, structuring_shape shape)
{
    std::vector<row_offset> rows;
    const auto ry = static_cast<std::ptrdiff_t>(radius[1]);
    const auto rz = static_cast<std::ptrdiff_t>(radius[2]);
    const auto rx = static_cast<std::ptrdiff_t>(radius[0]);
    for (std::ptrdiff_t dk = -rz; dk <= rz; ++dk) {
        for (std::ptrdiff_t dj = -ry; dj <= ry; ++dj) {
            if (shape == structuring_shape::box) {
                rows.push_back({dj, dk, rx});
                continue;
            }
            const double fy = ry == 0 ? 0.0 : static_cast<double>(dj) / static_cast<double>(ry);
            const double fz = rz == 0 ? 0.0 : static_cast<double>(dk) / static_cast<double>(rz);
            const double rest = 1.0 - fy * fy - fz * fz;
            if (rest < -1e-12) {
                continue;
            }
            std::ptrdiff_t w = 0;
            while (w + 1 <= rx) {
                const double fx = static_cast<double>(w + 1) / static_cast<double>(rx);
                if (fx * fx > rest + 1e-12) {
                    break;
                }
                ++w;
            }
            rows.push_back({dj, dk, w});
        }
    }
    return rows;
}

/// Dilation of the set `fg` (column-major, promoted 3-D shape); `outside` tells whether voxels beyond the
/// image belong to the set.
inline std::vector<std::uint8_t> dilate_set(const std::vector<std::uint8_t>& fg, const std::array<std::ptrdiff_t, 3>& n,
                                            const std::vector<row_offset>& rows, bool outside)
{
    const std::ptrdiff_t nx = n[0];
    const std::ptrdiff_t ny = n[1];
    const std::ptrdiff_t nz = n[2];
    const std::ptrdiff_t far = std::numeric_limits<std::int32_t>::max() / 2;
    // distance along x to the nearest member in the same row (or to the outside when it is a member)
    std::vector<std::int32_t> dist(fg.size());
    RG_PARALLEL_FOR
    for (std::ptrdiff_t row = 0; row < ny * nz; ++row) {
        const std::uint8_t* f = fg.data() + nx * row;
        std::int32_t* d = dist.data() + nx * row;
        std::ptrdiff_t last = outside ? -1 : -far;
        for (std::ptrdiff_t i = 0; i < nx; ++i) {
            if (f[i]) {
                last = i;
            }
            d[i] = static_cast<std::int32_t>(std::min(i - last, far));
        }
        last = outside ? nx : nx + far;
        for (std::ptrdiff_t i = nx - 1; i >= 0; --i) {
            if (f[i]) {
                last = i;
            }
            d[i] = static_cast<std::int32_t>(std::min<std::ptrdiff_t>(d[i], std::min(last - i, far)));
        }
    }
    std::vector<std::uint8_t> out(fg.size(), 0);
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < nz; ++k) {
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            std::uint8_t* o = out.data() + nx * (j + ny * k);
            for (const auto& r : rows) {
                const std::ptrdiff_t jj = j + r.dj;
                const std::ptrdiff_t kk = k + r.dk;
                if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) {
                    if (outside) {
                        std::fill(o, o + nx, std::uint8_t{1});
                        break;
                    }
                    continue;
                }
                const std::int32_t* d = dist.data() + nx * (jj + ny * kk);
                for (std::ptrdiff_t i = 0; i < nx; ++i) {
                    o[i] = static_cast<std::uint8_t>(o[i] | (d[i] <= r.half_width));
                }
            }
        }
    }
    return out;
}

template <class TMask, std::size_t VDim>
std::array<std::ptrdiff_t, 3> morphology_setup(const image<TMask, VDim>& mask,
                                               const std::array<std::size_t, VDim>& radius,
                                               std::array<std::size_t, 3>& radius3, const char* where)
{
    static_assert(VDim == 2 || VDim == 3, "morphology is defined for 2-D and 3-D images");
    std::array<std::ptrdiff_t, 3> n{1, 1, 1};
    radius3 = {0, 0, 0};
    for (std::size_t d = 0; d < VDim; ++d) {
        n[d] = static_cast<std::ptrdiff_t>(mask.shape()[d]);
        if (radius[d] > 1000) {
            raise<invalid_argument>(where, "radius[", d, "]: got ", radius[d], ", expected at most 1000 voxels.");
        }
        radius3[d] = radius[d];
    }
    return n;
}

template <class TMask, std::size_t VDim>
std::vector<std::uint8_t> indicator(const image<TMask, VDim>& mask, bool complement)
{
    std::vector<std::uint8_t> fg(mask.size());
    for (std::size_t i = 0; i < fg.size(); ++i) {
        fg[i] = static_cast<std::uint8_t>((mask[i] != TMask{}) != complement);
    }
    return fg;
}

template <std::size_t VDim>
mask_image<VDim> to_mask(const image_geometry<VDim>& g, const std::vector<std::uint8_t>& v, bool complement)
{
    mask_image<VDim> out(g, 0);
    for (std::size_t i = 0; i < v.size(); ++i) {
        out[i] = static_cast<std::uint8_t>((v[i] != 0) != complement);
    }
    return out;
}

}  // namespace detail

/// Binary dilation with per-axis radius (voxels). Outside the image is background.
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_dilate(const image<TMask, VDim>& mask, const std::array<std::size_t, VDim>& radius,
                               structuring_shape shape = structuring_shape::ball)
{
    std::array<std::size_t, 3> r3{};
    const auto n = detail::morphology_setup(mask, radius, r3, "preprocess.binary_dilate");
    return detail::to_mask(mask.geometry(),
                           detail::dilate_set(detail::indicator(mask, false), n, detail::structuring_rows(r3, shape),
                                              false),
                           false);
}

/// Binary erosion with per-axis radius (voxels). Outside the image is background (so the border erodes).
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_erode(const image<TMask, VDim>& mask, const std::array<std::size_t, VDim>& radius,
                              structuring_shape shape = structuring_shape::ball)
{
    std::array<std::size_t, 3> r3{};
    const auto n = detail::morphology_setup(mask, radius, r3, "preprocess.binary_erode");
    // X ⊖ B = complement((complement X) ⊕ B) for a symmetric B; complement X contains the outside
    return detail::to_mask(mask.geometry(),
                           detail::dilate_set(detail::indicator(mask, true), n, detail::structuring_rows(r3, shape),
                                              true),
                           true);
}

/// Isotropic-radius dilation.
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_dilate(const image<TMask, VDim>& mask, std::size_t radius,
                               structuring_shape shape = structuring_shape::ball)
{
    std::array<std::size_t, VDim> r{};
    r.fill(radius);
    return binary_dilate(mask, r, shape);
}

/// Isotropic-radius erosion.
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_erode(const image<TMask, VDim>& mask, std::size_t radius,
                              structuring_shape shape = structuring_shape::ball)
{
    std::array<std::size_t, VDim> r{};
    r.fill(radius);
    return binary_erode(mask, r, shape);
}

/// Opening: dilation of the erosion (removes structures smaller than the element).
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_open(const image<TMask, VDim>& mask, std::size_t radius,
                             structuring_shape shape = structuring_shape::ball)
{
    return binary_dilate(binary_erode(mask, radius, shape), radius, shape);
}

/// Closing: erosion of the dilation (fills gaps smaller than the element; SciPy semantics at the border).
template <class TMask, std::size_t VDim>
mask_image<VDim> binary_close(const image<TMask, VDim>& mask, std::size_t radius,
                              structuring_shape shape = structuring_shape::ball)
{
    return binary_erode(binary_dilate(mask, radius, shape), radius, shape);
}

}  // namespace radiogenomics::preprocess
