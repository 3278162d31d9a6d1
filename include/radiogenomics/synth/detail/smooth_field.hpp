#pragma once
/// \file smooth_field.hpp
/// \brief A smooth random field: i.i.d. normal values on a coarse lattice, trilinearly interpolated (internal).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "radiogenomics/core/random.hpp"

namespace radiogenomics {
namespace synth {
namespace detail {

/// Random field over an axis-aligned box of physical space. Lattice nodes every `spacing` mm hold
/// i.i.d. N(0, 1) values divided by \f$ \sqrt{8/27} \f$, the standard deviation of a trilinear
/// interpolation of unit-variance i.i.d. values averaged over the cell (per axis
/// \f$ E[(1-t)^2 + t^2] = 2/3 \f$), so the field has roughly unit variance; its correlation length
/// is about `spacing`. Points outside the box are clamped to it.
class smooth_field {
public:
    smooth_field() = default;

    smooth_field(const std::array<double, 3>& low, const std::array<double, 3>& high, double spacing,
                 std::uint64_t seed)
        : m_low(low), m_inverse_spacing(1.0 / spacing)
    {
        for (std::size_t d = 0; d < 3; ++d) {
            m_count[d] = static_cast<std::size_t>(std::ceil(std::max(0.0, high[d] - low[d]) / spacing)) + 2;
        }
        m_values.resize(m_count[0] * m_count[1] * m_count[2]);
        random_engine engine(seed);
        const double scale = 1.0 / std::sqrt(8.0 / 27.0);
        for (auto& v : m_values) {
            v = static_cast<float>(standard_normal(engine) * scale);
        }
    }

    /// Field value at a physical point (mm).
    double operator()(double x, double y, double z) const
    {
        if (m_values.empty()) {
            return 0.0;
        }
        std::array<std::size_t, 3> i0{};
        std::array<double, 3> t{};
        const double p[3] = {x, y, z};
        for (std::size_t d = 0; d < 3; ++d) {
            const double u = std::min(std::max((p[d] - m_low[d]) * m_inverse_spacing, 0.0),
                                      static_cast<double>(m_count[d] - 1) - 1e-9);
            i0[d] = static_cast<std::size_t>(u);
            t[d] = u - static_cast<double>(i0[d]);
        }
        const std::size_t sx = 1;
        const std::size_t sy = m_count[0];
        const std::size_t sz = m_count[0] * m_count[1];
        const float* v = m_values.data() + i0[0] * sx + i0[1] * sy + i0[2] * sz;
        const double c00 = v[0] + t[0] * (v[sx] - v[0]);
        const double c10 = v[sy] + t[0] * (v[sy + sx] - v[sy]);
        const double c01 = v[sz] + t[0] * (v[sz + sx] - v[sz]);
        const double c11 = v[sz + sy] + t[0] * (v[sz + sy + sx] - v[sz + sy]);
        const double c0 = c00 + t[1] * (c10 - c00);
        const double c1 = c01 + t[1] * (c11 - c01);
        return c0 + t[2] * (c1 - c0);
    }

private:
    std::array<double, 3> m_low{};
    double m_inverse_spacing = 1.0;
    std::array<std::size_t, 3> m_count{};
    std::vector<float> m_values;
};

}  // namespace detail
}  // namespace synth
}  // namespace radiogenomics
