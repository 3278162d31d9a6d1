#pragma once
/// \file random.hpp
/// \brief Portable, seeded random numbers.
///
/// The standard library's distributions differ between implementations, so the library draws
/// only raw 64-bit words from `std::mt19937_64` (whose output sequence the standard fixes) and
/// maps them with the transforms below. Same seed, same numbers, on every platform.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace radiogenomics {

/// The engine every stochastic routine uses.
using random_engine = std::mt19937_64;

/// Uniform double in [0, 1) from the top 53 bits of one engine word.
inline double uniform01(random_engine& engine)
{
    return static_cast<double>(engine() >> 11) * 0x1.0p-53;
}

/// Uniform double in [low, high).
inline double uniform(random_engine& engine, double low, double high)
{
    return low + (high - low) * uniform01(engine);
}

/// Uniform integer in [0, n) without modulo bias (Lemire's rejection on 64-bit words); n > 0.
inline std::uint64_t uniform_index(random_engine& engine, std::uint64_t n)
{
    const std::uint64_t limit = (~std::uint64_t{0}) - ((~std::uint64_t{0}) % n + 1) % n;
    std::uint64_t word = engine();
    while (word > limit) {
        word = engine();
    }
    return word % n;
}

/// Standard normal deviate by the Box–Muller transform (one of the pair is discarded, so the
/// sequence depends only on the engine's position).
inline double standard_normal(random_engine& engine)
{
    constexpr double two_pi = 6.283185307179586476925286766559;
    double u1 = uniform01(engine);
    while (u1 <= 0.0) {
        u1 = uniform01(engine);
    }
    const double u2 = uniform01(engine);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

/// Normal deviate with the given mean and standard deviation.
inline double normal(random_engine& engine, double mean, double stddev)
{
    return mean + stddev * standard_normal(engine);
}

/// Fisher–Yates shuffle with `uniform_index` (portable, unlike `std::shuffle`).
template <class TContainer>
void shuffle(TContainer& values, random_engine& engine)
{
    const auto n = static_cast<std::uint64_t>(values.size());
    for (std::uint64_t i = n; i > 1; --i) {
        const std::uint64_t j = uniform_index(engine, i);
        using std::swap;
        swap(values[static_cast<std::size_t>(i - 1)], values[static_cast<std::size_t>(j)]);
    }
}

/// A seed for the `stream`-th independent sub-stream of `seed` (SplitMix64 finaliser), so that
/// parallel work items get engines that do not depend on the thread that runs them.
inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream)
{
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

}  // namespace radiogenomics
