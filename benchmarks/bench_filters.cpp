// Filters of the study's 19 image types on a 64x64x40 crop (the extractor's mask bounding box + margin) and on a
// 256x256x60 volume, one thread and two. Float32 input as PyRadiomics reads CT/PET; LBP3D with a central ball
// ROI of radius 15 voxels (14,137 voxels) in both volumes. Peer: tests/fixtures/filters/peer_benchmark_filters.py.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/filters.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;

namespace {

struct volume {
    rg::image<float, 3> image;
    rg::mask_image<3> mask;
};

const volume& get_volume(bool large)
{
    auto make = [](std::size_t nx, std::size_t ny, std::size_t nz) {
        volume v;
        v.image = rg::image<float, 3>(rg::image_geometry<3>({nx, ny, nz}, {0.977, 0.977, 3.0}, {0, 0, 0}));
        v.mask = rg::mask_image<3>(v.image.geometry(), 0);
        rg::random_engine engine(42);
        for (std::size_t k = 0; k < nz; ++k) {
            for (std::size_t j = 0; j < ny; ++j) {
                for (std::size_t i = 0; i < nx; ++i) {
                    const double di = double(i) - double(nx / 2);
                    const double dj = double(j) - double(ny / 2);
                    const double dk = double(k) - double(nz / 2);
                    v.image(i, j, k) = static_cast<float>(40.0 + 30.0 * std::sin(0.2 * di) +
                                                          rg::normal(engine, 0.0, 20.0));
                    v.mask(i, j, k) = di * di + dj * dj + dk * dk <= 225.0 ? 1 : 0;
                }
            }
        }
        return v;
    };
    static const volume small = make(64, 64, 40);
    static const volume big = make(256, 256, 60);
    return large ? big : small;
}

template <class TFunction>
void run(benchmark::State& state, TFunction f)
{
    const volume& v = get_volume(state.range(0) != 0);
    rg::thread_count_guard guard(static_cast<int>(state.range(1)));
    for (auto _ : state) {
        f(v);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(v.image.size()));
}

void bm_square(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::square(v.image)); });
}
void bm_square_root(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::square_root(v.image)); });
}
void bm_logarithm(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::logarithm(v.image)); });
}
void bm_exponential(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::exponential(v.image)); });
}
void bm_gradient(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::gradient_magnitude(v.image)); });
}
void bm_log_sigma3(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::laplacian_of_gaussian(v.image, 3.0)); });
}
void bm_wavelet_coif1(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::wavelet_undecimated(v.image)); });
}
void bm_lbp3d(benchmark::State& s)
{
    run(s, [](const volume& v) { benchmark::DoNotOptimize(rf::local_binary_pattern_3d(v.image, v.mask)); });
}
void bm_log_convolution_sigma3(benchmark::State& s)
{
    rf::log_convolution_options o;
    o.sigma_mm = 3.0;
    run(s, [&](const volume& v) { benchmark::DoNotOptimize(rf::laplacian_of_gaussian_convolution(v.image, o)); });
}

void sizes(benchmark::internal::Benchmark* b)
{
    b->ArgNames({"large", "threads"});
    for (const int large : {0, 1}) {
        for (const int threads : {1, 2}) {
            b->Args({large, threads});
        }
    }
    b->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(bm_square)->Apply(sizes);
BENCHMARK(bm_square_root)->Apply(sizes);
BENCHMARK(bm_logarithm)->Apply(sizes);
BENCHMARK(bm_exponential)->Apply(sizes);
BENCHMARK(bm_gradient)->Apply(sizes);
BENCHMARK(bm_log_sigma3)->Apply(sizes);
BENCHMARK(bm_wavelet_coif1)->Apply(sizes);
BENCHMARK(bm_lbp3d)->Apply(sizes);
BENCHMARK(bm_log_convolution_sigma3)->Apply(sizes);
