#pragma once
/// \file mirror_index.hpp
/// \brief The one whole-sample-symmetric index reflection (SciPy ndimage's `mirror` mode), shared by the B-spline
/// resampling (`preprocess/resample.hpp`), the filters' `boundary_mode::mirror` and LBP3D's B-spline sampling.

#include <cstddef>

namespace radiogenomics::preprocess::detail {

/// Index `i` reflected into `[0, n)` about the edge samples, period 2n − 2 (SciPy `mirror`:
/// `d c b | a b c d | c b a`); a one-sample axis maps everything to 0.
inline std::ptrdiff_t mirror_index(std::ptrdiff_t i, std::ptrdiff_t n)
{
    if (n == 1) {
        return 0;
    }
    const std::ptrdiff_t period = 2 * n - 2;
    i %= period;
    if (i < 0) {
        i += period;
    }
    return i >= n ? period - i : i;
}

}  // namespace radiogenomics::preprocess::detail
