#pragma once
/// \file config.hpp
/// \brief Version and build-configuration macros of radiogenomics.

#define RG_VERSION_MAJOR 0
#define RG_VERSION_MINOR 1
#define RG_VERSION_PATCH 0

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
