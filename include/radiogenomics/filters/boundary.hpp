#pragma once
/// \file boundary.hpp
/// \brief Boundary conditions shared by the convolution-type filters.
///
/// How a filter reads voxel index `i` of an axis of length `n` when `i` leaves `[0, n)`
/// (IBSI 2 reference manual, "boundary conditions"; confirmed on the IBSI 2 phase-1 maps):
/// - `zero`: the voxel is 0 (constant padding).
/// - `nearest`: the edge voxel repeats (`... a a | a b c`), ITK's zero-flux Neumann condition.
/// - `mirror`: symmetric reflection that repeats the edge voxel (`... c b a | a b c ... x y z | z y x ...`),
///   NumPy's `symmetric`, SciPy ndimage's `reflect`.
/// - `periodic`: wrap around (`... y z | a b c ... y z | a b`), PyWavelets' periodization.

#include <cstddef>
#include <string>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::filters {

/// How voxels beyond the image edge are defined.
enum class boundary_mode { zero, nearest, mirror, periodic };

/// Name of a boundary mode ("zero", "nearest", "mirror", "periodic").
inline std::string to_string(boundary_mode mode)
{
    switch (mode) {
    case boundary_mode::zero: return "zero";
    case boundary_mode::nearest: return "nearest";
    case boundary_mode::mirror: return "mirror";
    case boundary_mode::periodic: return "periodic";
    }
    return "unknown";
}

/// Parses "zero"/"constant", "nearest", "mirror"/"symmetric"/"reflect", "periodic"/"wrap".
inline boundary_mode parse_boundary_mode(const std::string& text)
{
    if (text == "zero" || text == "constant") {
        return boundary_mode::zero;
    }
    if (text == "nearest" || text == "edge") {
        return boundary_mode::nearest;
    }
    if (text == "mirror" || text == "symmetric" || text == "reflect") {
        return boundary_mode::mirror;
    }
    if (text == "periodic" || text == "wrap" || text == "periodization") {
        return boundary_mode::periodic;
    }
    raise<invalid_argument>("filters.parse_boundary_mode", "boundary: got \"", text,
                            "\", expected one of zero, nearest, mirror, periodic.");
}

namespace detail {

/// Maps an index that may leave `[0, n)` to a valid index, or returns -1 for `zero` padding.
inline std::ptrdiff_t boundary_index(std::ptrdiff_t i, std::ptrdiff_t n, boundary_mode mode)
{
    if (i >= 0 && i < n) {
        return i;
    }
    switch (mode) {
    case boundary_mode::zero: return -1;
    case boundary_mode::nearest: return i < 0 ? 0 : n - 1;
    case boundary_mode::periodic: {
        const std::ptrdiff_t r = i % n;
        return r < 0 ? r + n : r;
    }
    case boundary_mode::mirror: {
        const std::ptrdiff_t period = 2 * n;
        std::ptrdiff_t r = i % period;
        if (r < 0) {
            r += period;
        }
        return r < n ? r : period - 1 - r;
    }
    }
    return -1;
}

}  // namespace detail
}  // namespace radiogenomics::filters
