#pragma once
/// \file config.hpp
/// \brief Version and build-configuration macros of radiogenomics.

#define RG_VERSION_MAJOR 0
#define RG_VERSION_MINOR 1
#define RG_VERSION_PATCH 0

/// \def EIGEN_DONT_PARALLELIZE
/// Same seed, same result, whatever the thread count: Eigen's own OpenMP matrix products choose their
/// depth blocking by the number of threads, so a product's sums change order (and last bits) with it —
/// enough to send a t-SNE of the study's deep features to another optimum. The library's parallel loops
/// are deterministic (core/parallel.hpp); Eigen's are switched off. The CMake target defines the macro;
/// a translation unit that included Eigen before this header without it gets an error here.
#ifndef EIGEN_DONT_PARALLELIZE
#define EIGEN_DONT_PARALLELIZE
#endif
#ifdef EIGEN_HAS_OPENMP
#error "radiogenomics: Eigen was included with OpenMP-parallel products, whose results depend on the thread count; define EIGEN_DONT_PARALLELIZE before including Eigen (the radiogenomics CMake target does)"
#endif

/// \def RG_ASSERT
/// Debug-only check of an internal invariant (never of user input: user input throws).
#ifdef NDEBUG
#define RG_ASSERT(condition) static_cast<void>(0)
#else
#include <cassert>
#define RG_ASSERT(condition) assert(condition)
#endif

namespace radiogenomics {

/// Library version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";

}  // namespace radiogenomics
