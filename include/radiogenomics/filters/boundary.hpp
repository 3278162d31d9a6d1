#pragma once
/// \file boundary.hpp
/// \brief Boundary conditions shared by the convolution-type filters.
///
/// How a filter reads voxel index `i` of an axis of length `n` when `i` leaves `[0, n)`, named exactly as SciPy
/// ndimage's `mode` (IBSI 2 reference manual, "boundary conditions", gives the same four families; confirmed on the
/// IBSI 2 phase-1 maps):
/// - `constant`: the voxel is 0 (IBSI "zero padding").
/// - `nearest`: the edge voxel repeats (`a a a | a b c`), ITK's zero-flux Neumann condition.
/// - `reflect`: reflection about the edge that repeats the edge voxel (`c b a | a b c d | d c b`), NumPy's
///   `symmetric`, IBSI 2's "mirror".
/// - `mirror`: reflection about the edge voxel's centre, not repeating it (`d c b | a b c d | c b a`), NumPy's
///   `reflect` (the B-spline resampling and LBP3D use it; `preprocess::detail::mirror_index`).
/// - `wrap`: periodic (`b c d | a b c d | a b c`), PyWavelets' periodization, IBSI 2's "periodic".

#include <cstddef>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/preprocess/detail/mirror_index.hpp"

namespace radiogenomics::filters {

/// How voxels beyond the image edge are defined (SciPy ndimage's mode names).
enum class boundary_mode { constant, nearest, reflect, mirror, wrap };

/// SciPy's name of a boundary mode ("constant", "nearest", "reflect", "mirror", "wrap").
inline std::string to_string(boundary_mode mode)
{
    switch (mode) {
    case boundary_mode::constant: return "constant";
    case boundary_mode::nearest: return "nearest";
    case boundary_mode::reflect: return "reflect";
    case boundary_mode::mirror: return "mirror";
    case boundary_mode::wrap: return "wrap";
    }
    return "unknown";
}

/// Parses SciPy's names (constant, nearest, reflect, mirror, wrap, and `grid-constant`, `grid-mirror` = reflect,
/// `grid-wrap`), plus `zero`, `edge`, `symmetric` (= reflect) and `periodic` / `periodization` (= wrap). IBSI 2's
/// "mirror" is SciPy's `reflect`.
inline boundary_mode parse_boundary_mode(const std::string& text)
{
    if (text == "constant" || text == "grid-constant" || text == "zero") {
        return boundary_mode::constant;
    }
    if (text == "nearest" || text == "edge") {
        return boundary_mode::nearest;
    }
    if (text == "reflect" || text == "grid-mirror" || text == "symmetric") {
        return boundary_mode::reflect;
    }
    if (text == "mirror") {
        return boundary_mode::mirror;
    }
    if (text == "wrap" || text == "grid-wrap" || text == "periodic" || text == "periodization") {
        return boundary_mode::wrap;
    }
    raise<invalid_argument>("filters.parse_boundary_mode", "boundary: got \"", text,
                            "\", expected one of constant, nearest, reflect, mirror, wrap (SciPy ndimage names).");
}

namespace detail {

/// Maps an index that may leave `[0, n)` to a valid index, or returns -1 for `constant` padding.
inline std::ptrdiff_t boundary_index(std::ptrdiff_t i, std::ptrdiff_t n, boundary_mode mode)
{
    if (i >= 0 && i < n) {
        return i;
    }
    switch (mode) {
    case boundary_mode::constant: return -1;
    case boundary_mode::nearest: return i < 0 ? 0 : n - 1;
    case boundary_mode::wrap: {
        const std::ptrdiff_t r = i % n;
        return r < 0 ? r + n : r;
    }
    case boundary_mode::reflect: {
        const std::ptrdiff_t period = 2 * n;
        std::ptrdiff_t r = i % period;
        if (r < 0) {
            r += period;
        }
        return r < n ? r : period - 1 - r;
    }
    case boundary_mode::mirror: return preprocess::detail::mirror_index(i, n);
    }
    return -1;
}

}  // namespace detail
}  // namespace radiogenomics::filters
