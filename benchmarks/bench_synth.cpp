// Synthetic cohort benchmarks (issue 7 "Synthetic cohort"): one full-size patient (512 × 512 × 80
// CT + 192 × 192 × 93 PET, masks), one small (CI-scale) patient, the clinical table, the automatic mask.
#include <benchmark/benchmark.h>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/synth.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::synth;

namespace {

rs::cohort_options options_for(rs::cohort_scale scale)
{
    rs::cohort_options o;
    o.seed = 42;
    o.scale = scale;
    return o;
}

// One patient per iteration into reused buffers (the pipeline's pattern: one buffer per worker).
// Arg = thread count.
void generate_reused(benchmark::State& state, rs::cohort_scale scale)
{
    const rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    const auto options = options_for(scale);
    const auto table = rs::clinical_table(options);
    rs::synthetic_patient patient;
    std::size_t index = 0;
    for (auto _ : state) {
        rs::generate_patient(options, table[index % table.size()], patient);
        benchmark::DoNotOptimize(patient.ct.begin_pointer());
        ++index;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_full_patient(benchmark::State& state) { generate_reused(state, rs::cohort_scale::full); }
void BM_small_patient(benchmark::State& state) { generate_reused(state, rs::cohort_scale::small); }

// Fresh allocation every iteration (~130 MB for a full-size patient): includes the page faults.
void BM_full_patient_fresh_buffers(benchmark::State& state)
{
    const rg::thread_count_guard guard(1);
    const auto options = options_for(rs::cohort_scale::full);
    const auto table = rs::clinical_table(options);
    std::size_t index = 0;
    for (auto _ : state) {
        auto patient = rs::generate_patient(options, table[index % table.size()]);
        benchmark::DoNotOptimize(patient.ct.begin_pointer());
        ++index;
    }
}

void BM_clinical_table(benchmark::State& state)
{
    const auto options = options_for(rs::cohort_scale::full);
    for (auto _ : state) {
        auto table = rs::clinical_table(options);
        benchmark::DoNotOptimize(table.data());
    }
}

void BM_automatic_mask_full(benchmark::State& state)
{
    const rg::thread_count_guard guard(1);
    const auto options = options_for(rs::cohort_scale::full);
    const auto patient = rs::generate_patient(options, 1);
    for (auto _ : state) {
        auto mask = rs::automatic_tumour_mask(patient);
        benchmark::DoNotOptimize(mask.begin_pointer());
    }
}

}  // namespace

BENCHMARK(BM_full_patient)->Arg(1)->Arg(2)->Iterations(8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_full_patient_fresh_buffers)->Iterations(4)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_small_patient)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_clinical_table)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_automatic_mask_full)->Iterations(4)->Unit(benchmark::kMillisecond)->UseRealTime();
