// Preprocessing benchmarks: PET → CT resampling, BAT mask, connected components (issue 2 "Performance").
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/preprocess/threshold.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

namespace {

/// 200 x 200 x 100 PET (4 x 4 x 5 mm) with smooth uptake.
const rg::image<float, 3>& pet_volume()
{
    static const rg::image<float, 3> pet = [] {
        rg::image<float, 3> img(rg::image_geometry<3>({200, 200, 100}, {4.0, 4.0, 5.0}, {-398.0, -398.0, -247.5}));
        for (std::size_t n = 0; n < img.size(); ++n) {
            const auto i = img.index_of(n);
            img[n] = static_cast<float>(1.0 + std::sin(0.05 * static_cast<double>(i[0])) *
                                                  std::cos(0.07 * static_cast<double>(i[1])) +
                                        0.01 * static_cast<double>(i[2]));
        }
        return img;
    }();
    return pet;
}

/// 512 x 512 x 250 CT grid (1.5625 x 1.5625 x 2 mm) covering the same field of view.
rg::image_geometry<3> ct_grid()
{
    return rg::image_geometry<3>({512, 512, 250}, {1.5625, 1.5625, 2.0}, {-399.2, -399.2, -249.0});
}

/// A CT (HU) and SUV pair on the CT grid: smooth patterns where ~4 % of the voxels meet the BAT definition,
/// in many separate blobs (a dense, worst-case stand-in for real supraclavicular BAT).
struct pet_ct_pair {
    rg::image<float, 3> suv;
    rg::image<std::int16_t, 3> ct;
};

const pet_ct_pair& pair_volume()
{
    static const pet_ct_pair pair = [] {
        pet_ct_pair p{rg::image<float, 3>(ct_grid()), rg::image<std::int16_t, 3>(ct_grid())};
        for (std::size_t n = 0; n < p.suv.size(); ++n) {
            const auto i = p.suv.index_of(n);
            const double x = static_cast<double>(i[0]);
            const double y = static_cast<double>(i[1]);
            const double z = static_cast<double>(i[2]);
            p.suv[n] = static_cast<float>(1.0 + 0.8 * std::sin(0.21 * x) * std::sin(0.17 * y) * std::cos(0.13 * z));
            p.ct[n] = static_cast<std::int16_t>(-100.0 + 120.0 * std::sin(0.11 * x + 0.05 * z) * std::cos(0.09 * y));
        }
        return p;
    }();
    return pair;
}

void bm_resample(benchmark::State& state, pp::interpolator method)
{
    const rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    const auto& pet = pet_volume();
    const auto grid = ct_grid();
    for (auto _ : state) {
        auto out = pp::resample(pet, grid, method);
        benchmark::DoNotOptimize(out.begin_pointer());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(grid.size()));
}

/// Same work into a preallocated output: separates interpolation from allocating + first-touching 262 MB,
/// which on the benchmark VM costs ~0.9 s CPU by itself (page faults; NumPy's np.zeros + fill costs the same).
void bm_resample_into(benchmark::State& state, pp::interpolator method)
{
    const rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    const auto& pet = pet_volume();
    rg::image<float, 3> out(ct_grid(), 0.0f);
    for (auto _ : state) {
        pp::resample_into(pet, out, method);
        benchmark::DoNotOptimize(out.begin_pointer());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(out.size()));
}

void bm_resample_linear(benchmark::State& state) { bm_resample(state, pp::interpolator::linear); }
void bm_resample_linear_into(benchmark::State& state) { bm_resample_into(state, pp::interpolator::linear); }
void bm_resample_bspline_into(benchmark::State& state) { bm_resample_into(state, pp::interpolator::bspline); }
void bm_resample_bspline(benchmark::State& state) { bm_resample(state, pp::interpolator::bspline); }
void bm_resample_nearest(benchmark::State& state) { bm_resample(state, pp::interpolator::nearest); }

void bm_bat_mask(benchmark::State& state)
{
    const rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    const auto& p = pair_volume();
    for (auto _ : state) {
        auto mask = pp::brown_adipose_tissue_mask(p.suv, p.ct);
        benchmark::DoNotOptimize(mask.begin_pointer());
    }
}

void bm_connected_components(benchmark::State& state)
{
    const rg::thread_count_guard guard(static_cast<int>(state.range(1)));
    static const auto mask = pp::brown_adipose_tissue_mask(pair_volume().suv, pair_volume().ct);
    std::size_t count = 0;
    for (auto _ : state) {
        auto cc = pp::label_components(mask, static_cast<int>(state.range(0)));
        count = cc.count;
        benchmark::DoNotOptimize(cc.labels.begin_pointer());
    }
    state.counters["components"] = static_cast<double>(count);
    state.counters["foreground"] = static_cast<double>(rg::count_label(mask));
}

}  // namespace

BENCHMARK(bm_resample_linear)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_resample_bspline)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_resample_linear_into)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_resample_bspline_into)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_resample_nearest)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_bat_mask)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(bm_connected_components)->Args({6, 1})->Args({26, 1})->Args({26, 2})->Unit(benchmark::kMillisecond)->UseRealTime();
