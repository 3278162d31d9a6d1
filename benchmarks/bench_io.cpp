// I/O benchmarks: decoding a DICOM CT series (io/dicom.hpp, DCMTK) — issue 12 "Verification": a 512 x 512 CT
// series must take well under a second of decode per 100 slices on one core.
//
// The series is written by pydicom and the same run times pydicom + NumPy on it: run
//   /usr/bin/python3 benchmarks/dicom_read_peer.py --bench build/release/benchmarks/bench_io
// which writes ~200 slices of 512 x 512 int16 into a temporary folder, times pydicom, then runs this program with
// RG_BENCH_DICOM_DIR set to that folder. Without RG_BENCH_DICOM_DIR the DICOM benchmarks are skipped.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#if defined(RG_HAVE_DICOM)
#include "radiogenomics/io/dicom.hpp"
#endif

namespace {

#if defined(RG_HAVE_DICOM)
namespace io = radiogenomics::io;

const char* series_folder() { return std::getenv("RG_BENCH_DICOM_DIR"); }

bool skipped(benchmark::State& state)
{
    if (series_folder() == nullptr) {
        state.SkipWithError("set RG_BENCH_DICOM_DIR (benchmarks/dicom_read_peer.py writes the series and sets it)");
        return true;
    }
    return false;
}

void report(benchmark::State& state, std::size_t slices)
{
    state.counters["slices"] = static_cast<double>(slices);
    state.counters["slices_per_s"] =
        benchmark::Counter(static_cast<double>(slices) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

/// Headers of every file (up to the pixel data), grouped into series.
void bm_dicom_scan_folder(benchmark::State& state)
{
    if (skipped(state)) {
        return;
    }
    std::size_t slices = 0;
    for (auto _ : state) {
        const auto series = io::scan_dicom_folder(series_folder());
        slices = series.front().instances();
        benchmark::DoNotOptimize(slices);
    }
    report(state, slices);
}

/// Scan + sort along the normal + decode every slice with its rescaling into one volume (what
/// `radiomics_extract` and `dicom_to_nifti` do for a CT folder).
template <class TPixel>
void bm_dicom_read_series(benchmark::State& state)
{
    if (skipped(state)) {
        return;
    }
    std::size_t slices = 0;
    for (auto _ : state) {
        const auto series = io::select_dicom_series(io::scan_dicom_folder(series_folder()), "", series_folder());
        const auto volume = io::read_dicom_series<TPixel>(series);
        slices = volume.shape()[2];
        benchmark::DoNotOptimize(volume.data());
    }
    report(state, slices);
}

BENCHMARK(bm_dicom_scan_folder)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(bm_dicom_read_series<std::int32_t>)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(bm_dicom_read_series<float>)->Unit(benchmark::kMillisecond)->Iterations(5);
#endif

}  // namespace
