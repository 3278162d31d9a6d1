#pragma once
/// \file discretize.hpp
/// \brief Grey-level discretisation of ROI intensities, exactly as PyRadiomics does it.
///
/// PyRadiomics (radiomics/imageoperations.py, `getBinEdges` and `binImage`) discretises only the ROI
/// voxels:
/// - **fixed bin width** \f$w\f$: edges \f$e_k = L + k\,w\f$ with \f$L = m - (m \bmod w)\f$ (floor modulo,
///   so \f$L = \lfloor m/w \rfloor w\f$), generated like `numpy.arange(L, M + 2w, w)` where m, M are the
///   ROI minimum and maximum; a single edge (flat ROI on a multiple of w) becomes \f$[L-0.5, L+0.5]\f$;
/// - **fixed bin count** \f$N_b\f$: `numpy.histogram(x, N_b)` edges (linspace of [m, M], widened by 0.5 on
///   each side for a flat ROI, in the input's float precision for float32 input), then the last edge + 1;
/// - the grey level of \f$x\f$ is `numpy.digitize(x, edges)`: the number of edges \f$\le x\f$, so every
///   bin is half-open \f$[e_{k-1}, e_k)\f$ and the ROI minimum lands in bin 1.
///
/// \par IBSI
/// Fixed bin number equals IBSI's (3.4.2). Fixed bin size differs from IBSI (3.4.3), which counts bins
/// from the re-segmentation lower bound X_min; both agree when X_min is a multiple of w and is the ROI
/// minimum.
///
/// \par Limit
/// Refuses more than `max_bin_count` (100,000) bins with `invalid_argument`: a tiny bin width for the
/// intensity range would otherwise allocate huge texture matrices (PyRadiomics allocates Ng x Ng x angles).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::preprocess {

/// The largest number of bins `bin_edges_*` accept.
inline constexpr std::size_t max_bin_count = 100000;

namespace detail {

/// numpy's float `%` (floor modulo: the result has the sign of the divisor).
inline double floor_mod(double a, double b)
{
    double mod = std::fmod(a, b);
    if (mod != 0.0 && ((b < 0.0) != (mod < 0.0))) {
        mod += b;
    }
    return mod;
}

}  // namespace detail

/// Fixed-bin-width edges of PyRadiomics `getBinEdges` (binWidth), for ROI range [minimum, maximum].
/// Throws `invalid_argument` for a non-positive/non-finite width or range, or more than `max_bin_count` bins.
inline std::vector<double> bin_edges_fixed_width(double minimum, double maximum, double bin_width)
{
    const char* where = "preprocess.bin_edges_fixed_width";
    if (!(bin_width > 0.0) || !std::isfinite(bin_width)) {
        raise<invalid_argument>(where, "binWidth: got ", bin_width, ", expected a finite value > 0.");
    }
    if (!std::isfinite(minimum) || !std::isfinite(maximum) || maximum < minimum) {
        raise<invalid_argument>(where, "ROI range: got [", minimum, ", ", maximum,
                                "], expected finite values with min <= max.");
    }
    const double low = minimum - detail::floor_mod(minimum, bin_width);
    const double high = maximum + 2.0 * bin_width;
    const double count = std::ceil((high - low) / bin_width);  // numpy.arange length
    if (!(count <= static_cast<double>(max_bin_count) + 1.0)) {
        raise<invalid_argument>(where, "number of bins: got ", count - 1.0, " (range [", minimum, ", ", maximum,
                                "] / binWidth ", bin_width, "), expected at most ", max_bin_count,
                                ". Use a larger binWidth or binCount.");
    }
    const auto n = static_cast<std::size_t>(std::max(count, 1.0));
    std::vector<double> edges(n);
    edges[0] = low;
    if (n > 1) {
        // numpy.arange fill: start + i * delta with delta = (start + step) - start.
        const double delta = (low + bin_width) - low;
        for (std::size_t i = 1; i < n; ++i) {
            edges[i] = low + static_cast<double>(i) * delta;
        }
    } else {
        edges = {low - 0.5, low + 0.5};
    }
    return edges;
}

/// Fixed-bin-count edges (PyRadiomics binCount: `numpy.histogram(x, n)[1]`, last edge + 1).
/// `float32` rounds the edges to float as numpy does for float32 input.
inline std::vector<double> bin_edges_fixed_count(double minimum, double maximum, int bin_count, bool float32)
{
    const char* where = "preprocess.bin_edges_fixed_count";
    if (bin_count < 1 || static_cast<std::size_t>(bin_count) > max_bin_count) {
        raise<invalid_argument>(where, "binCount: got ", bin_count, ", expected 1..", max_bin_count, ".");
    }
    if (!std::isfinite(minimum) || !std::isfinite(maximum) || maximum < minimum) {
        raise<invalid_argument>(where, "ROI range: got [", minimum, ", ", maximum,
                                "], expected finite values with min <= max.");
    }
    double first = minimum;
    double last = maximum;
    if (first == last) {
        first -= 0.5;
        last += 0.5;
    }
    const auto n = static_cast<std::size_t>(bin_count);
    std::vector<double> edges(n + 1);
    // numpy.linspace: step = (stop - start) / div; y = i * step + start; y[-1] = stop.
    const double step = (last - first) / static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) {
        edges[i] = static_cast<double>(i) * step + first;
    }
    edges[n] = last;
    if (float32) {
        for (double& e : edges) {
            e = static_cast<double>(static_cast<float>(e));
        }
        edges[n] = static_cast<double>(static_cast<float>(edges[n]) + 1.0f);
    } else {
        edges[n] += 1.0;
    }
    return edges;
}

/// `numpy.digitize(x, edges)` for increasing edges: the number of edges \f$\le x\f$.
inline std::int32_t digitize(double x, const std::vector<double>& edges)
{
    return static_cast<std::int32_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin());
}

/// Result of discretising ROI intensities.
struct discretization {
    std::vector<std::int32_t> levels;  ///< grey level of each input value (1-based)
    std::vector<double> edges;         ///< bin edges used
    std::int32_t max_level = 0;        ///< largest level present (PyRadiomics `Ng`)
};

/// Discretises ROI `values` (the ROI voxels only) with `bin_width`, or `bin_count` when given.
/// `float32_input` selects numpy's float32 edge precision for fixed bin count (set it when the image
/// voxels are float32, as PyRadiomics keeps SimpleITK's pixel type).
///
/// `ibsi_minimum`, when set, switches fixed bin width to IBSI's definition (3.4.3):
/// \f$X_d = \lfloor (X - X_{min})/w \rfloor + 1\f$ with \f$X_{min}\f$ = `*ibsi_minimum` (the re-segmentation
/// lower bound, or the ROI minimum); it must not exceed the ROI minimum. Fixed bin count is the same in both.
///
/// Throws `mask_error` for no values and `invalid_argument` for NaN/Inf values or too many bins.
inline discretization discretize_values(const std::vector<double>& values, double bin_width,
                                        std::optional<int> bin_count = std::nullopt, bool float32_input = false,
                                        std::optional<double> ibsi_minimum = std::nullopt)
{
    const char* where = "preprocess.discretize_values";
    if (values.empty()) {
        raise<mask_error>(where, "ROI voxels: got 0, expected at least 1. The mask (after re-segmentation) is empty.");
    }
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            raise<invalid_argument>(where, "ROI value ", i, ": got ", v, ", expected a finite intensity.");
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    discretization out;
    if (ibsi_minimum && !bin_count) {
        const double xmin = *ibsi_minimum;
        if (!(xmin <= lo) || !std::isfinite(xmin)) {
            raise<invalid_argument>(where, "IBSI X_min: got ", xmin, ", expected a finite value <= the ROI minimum ", lo, ".");
        }
        // validates the width and the bin count
        out.edges = bin_edges_fixed_width(xmin, hi, bin_width);
        const double count = std::floor((hi - xmin) / bin_width) + 1.0;
        out.edges.resize(static_cast<std::size_t>(count) + 1);
        for (std::size_t k = 0; k < out.edges.size(); ++k) {
            out.edges[k] = xmin + static_cast<double>(k) * bin_width;
        }
        out.levels.resize(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            out.levels[i] = static_cast<std::int32_t>(std::floor((values[i] - xmin) / bin_width)) + 1;
            out.max_level = std::max(out.max_level, out.levels[i]);
        }
        return out;
    }
    out.edges = bin_count ? bin_edges_fixed_count(lo, hi, *bin_count, float32_input)
                          : bin_edges_fixed_width(lo, hi, bin_width);
    out.levels.resize(values.size());
    // Equally spaced edges: guess the bin from (x - e_0) / step, then move to the exact `digitize` answer
    // (number of edges <= x) by comparing with the edges themselves — same result as the binary search.
    const std::vector<double>& e = out.edges;
    const std::size_t ne = e.size();
    const double step = ne > 1 ? (e[ne - 1] - e[0]) / static_cast<double>(ne - 1) : 0.0;
    if (!(step > 0.0) || !std::isfinite(step)) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            out.levels[i] = digitize(values[i], e);
            out.max_level = std::max(out.max_level, out.levels[i]);
        }
        return out;
    }
    const double inverse = 1.0 / step;
    const double limit = static_cast<double>(ne);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double x = values[i];
        const double t = (x - e[0]) * inverse;  // truncation = floor for t >= 0
        std::size_t g = !(t >= 0.0) ? 0 : t + 1.0 >= limit ? ne : static_cast<std::size_t>(t) + 1;
        while (g < ne && e[g] <= x) {
            ++g;
        }
        while (g > 0 && e[g - 1] > x) {
            --g;
        }
        out.levels[i] = static_cast<std::int32_t>(g);
        out.max_level = std::max(out.max_level, out.levels[i]);
    }
    return out;
}

/// Keeps the indices of `values` inside the inclusive range [lower, upper] (PyRadiomics
/// `resegmentMask`, mode absolute). NaN bounds mean "unbounded".
inline std::vector<std::size_t> resegment_range(const std::vector<double>& values, double lower, double upper)
{
    if (!std::isnan(lower) && !std::isnan(upper) && upper < lower) {
        raise<invalid_argument>("preprocess.resegment_range", "range: got [", lower, ", ", upper,
                                "], expected lower <= upper.");
    }
    std::vector<std::size_t> kept;
    kept.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if ((std::isnan(lower) || v >= lower) && (std::isnan(upper) || v <= upper)) {
            kept.push_back(i);
        }
    }
    return kept;
}

}  // namespace radiogenomics::preprocess
