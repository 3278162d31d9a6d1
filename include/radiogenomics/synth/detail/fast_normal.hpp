#pragma once
/// \file fast_normal.hpp
/// \brief A table-driven fast normal noise source (internal); the table comes from the library's one
/// inverse normal CDF, `radiogenomics::normal_quantile` (core/normal_quantile.hpp).

#include <array>
#include <cmath>
#include <cstdint>

#include "radiogenomics/core/normal_quantile.hpp"
#include "radiogenomics/core/random.hpp"

namespace radiogenomics {
namespace synth {
namespace detail {

/// 4096 equiprobable normal deviates \f$ \Phi^{-1}((m + ½)/4096) \f$, rescaled to unit variance.
inline const std::array<float, 4096>& normal_table()
{
    static const std::array<float, 4096> table = [] {
        std::array<float, 4096> t{};
        std::array<double, 4096> v{};
        double sum_sq = 0.0;
        for (std::size_t m = 0; m < v.size(); ++m) {
            v[m] = radiogenomics::normal_quantile((static_cast<double>(m) + 0.5) / 4096.0);
            sum_sq += v[m] * v[m];
        }
        const double scale = 1.0 / std::sqrt(sum_sq / 4096.0);
        for (std::size_t m = 0; m < v.size(); ++m) {
            t[m] = static_cast<float>(v[m] * scale);
        }
        return t;
    }();
    return table;
}

/// Fast image noise: five 12-bit table look-ups per 64-bit engine word. The deviates are an
/// equiprobable 4096-point discretisation of N(0, 1) (tails truncated at ±3.5), ample for image
/// noise and ~10× faster than Box–Muller. Deterministic in the engine's seed.
class fast_normal {
public:
    explicit fast_normal(std::uint64_t seed) : m_engine(seed), m_table(normal_table().data()) {}

    float operator()()
    {
        if (m_left == 0) {
            m_word = m_engine();
            m_left = 5;
        }
        const auto index = static_cast<std::size_t>(m_word & 0xFFFu);
        m_word >>= 12;
        --m_left;
        return m_table[index];
    }

private:
    random_engine m_engine;
    const float* m_table;
    std::uint64_t m_word = 0;
    int m_left = 0;
};

}  // namespace detail
}  // namespace synth
}  // namespace radiogenomics
