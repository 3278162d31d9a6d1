#pragma once
/// \file parallel.hpp
/// \brief Thread-count control over OpenMP; everything degrades to serial loops without it.
///
/// Determinism rule: parallel loops write to per-index slots, and reductions combine per-index
/// partial results in index order, so results never depend on the number of threads.

#include "radiogenomics/core/config.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace radiogenomics {

/// Number of threads parallel regions use (1 without OpenMP).
inline int max_threads()
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/// Sets the thread count for later parallel regions; `n <= 0` leaves it unchanged. No-op without OpenMP.
inline void set_num_threads(int n)
{
#ifdef _OPENMP
    if (n > 0) {
        omp_set_num_threads(n);
    }
#else
    static_cast<void>(n);
#endif
}

/// RAII guard that sets the thread count and restores the previous one.
class thread_count_guard {
public:
    explicit thread_count_guard(int n) : m_previous(max_threads()) { set_num_threads(n); }
    ~thread_count_guard() { set_num_threads(m_previous); }
    thread_count_guard(const thread_count_guard&) = delete;
    thread_count_guard& operator=(const thread_count_guard&) = delete;

private:
    int m_previous;
};

}  // namespace radiogenomics

/// \def RG_PARALLEL_FOR
/// The library's parallel-for: marks the following `for` loop as an OpenMP loop (static schedule) when OpenMP
/// is enabled, a plain loop otherwise. Every layer uses these macros; no header writes `#pragma omp` itself.
/// \def RG_PARALLEL_FOR_DYNAMIC
/// As `RG_PARALLEL_FOR` with a dynamic schedule (uneven iterations: tree queries, triangular loops).
/// \def RG_PARALLEL_FOR_IF(condition)
/// As `RG_PARALLEL_FOR`, parallel only when `condition` holds (enough work to pay for a parallel region;
/// small problems stay serial). Results are the same either way (per-index output slots).
/// \def RG_PARALLEL_FOR_DYNAMIC_IF(chunk, condition)
/// Dynamic schedule in chunks of `chunk` iterations, parallel only when `condition` holds.
#ifdef _OPENMP
#define RG_PRAGMA(x) _Pragma(#x)
#define RG_PARALLEL_FOR RG_PRAGMA(omp parallel for schedule(static))
#define RG_PARALLEL_FOR_DYNAMIC RG_PRAGMA(omp parallel for schedule(dynamic))
#define RG_PARALLEL_FOR_IF(condition) RG_PRAGMA(omp parallel for schedule(static) if (condition))
#define RG_PARALLEL_FOR_DYNAMIC_IF(chunk, condition) RG_PRAGMA(omp parallel for schedule(dynamic, chunk) if (condition))
#else
#define RG_PARALLEL_FOR
#define RG_PARALLEL_FOR_DYNAMIC
#define RG_PARALLEL_FOR_IF(condition)
#define RG_PARALLEL_FOR_DYNAMIC_IF(chunk, condition)
#endif
