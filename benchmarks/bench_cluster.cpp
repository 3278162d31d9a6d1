// Benchmarks for radiogenomics::cluster and radiogenomics::embed (t-SNE).
// Data: a mixture of 10 Gaussian clusters (unit sd, centres drawn with sd 4) in d dimensions,
// generated with the library's portable engine. Python peers: tests/fixtures/cluster/benchmark_peers.py.
// The 20,000-point Ward and 70,000-point t-SNE cases are long: they are registered only when the
// environment variable RG_BENCH_LARGE is set.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "radiogenomics/cluster.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/embed.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;
namespace re = radiogenomics::embed;

namespace {

Eigen::MatrixXd mixture(std::int64_t n, std::int64_t d, std::uint64_t seed = 1)
{
    rg::random_engine engine(seed);
    Eigen::MatrixXd centres(10, d);
    for (Eigen::Index i = 0; i < centres.size(); ++i) {
        centres.data()[i] = 4.0 * rg::standard_normal(engine);
    }
    Eigen::MatrixXd x(n, d);
    for (Eigen::Index i = 0; i < n; ++i) {
        const Eigen::Index c = static_cast<Eigen::Index>(rg::uniform_index(engine, 10));
        for (Eigen::Index j = 0; j < d; ++j) {
            x(i, j) = centres(c, j) + rg::standard_normal(engine);
        }
    }
    return x;
}

void linkage_benchmark(benchmark::State& state, rc::linkage_method method)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::linkage(x, method));
    }
    state.SetLabel(rc::to_string(method) + " d=" + std::to_string(state.range(1)));
}

void BM_linkage_ward(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::ward); }
void BM_linkage_average(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::average); }
void BM_linkage_single(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::single); }
void BM_linkage_centroid(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::centroid); }

void BM_linkage_median(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::median); }

// Centroid and median from the observations in O(n d) memory (no condensed matrix); peer: fastcluster's
// linkage_vector (tests/fixtures/cluster/benchmark_centroid_median.py).
void BM_centroid_features(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::centroid_linkage_features(x));
    }
}
void BM_median_features(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::median_linkage_features(x));
    }
}

// Ward from the observations in O(n d) memory (no condensed matrix).
void BM_ward_features(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::ward_linkage_features(x));
    }
}

void BM_linkage_ward_20000(benchmark::State& state) { linkage_benchmark(state, rc::linkage_method::ward); }

// The study's DBI curve: Davies–Bouldin and Calinski–Harabasz for k = 2..9 on precomputed labelings.
void BM_dbi_scan(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    std::vector<std::vector<int>> labelings;
    for (int k = 2; k <= 9; ++k) {
        rc::kmeans_options options;
        options.n_init = 1;
        options.max_iterations = 20;
        labelings.push_back(rc::kmeans(x, static_cast<std::size_t>(k), options).labels);
    }
    rc::cluster_scan_options options;
    options.with_silhouette = false;
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::scan_cluster_count(
            x, [&labelings](std::size_t k) { return labelings[k - 2]; }, options));
    }
}

void BM_silhouette(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    std::vector<int> labels(static_cast<std::size_t>(x.rows()));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        labels[i] = static_cast<int>(i % 5);
    }
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::silhouette_score(x, labels));
    }
}

void BM_kmeans(benchmark::State& state)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rc::kmeans(x, 10));
    }
}

void tsne_benchmark(benchmark::State& state, re::tsne_method method)
{
    const Eigen::MatrixXd x = mixture(state.range(0), state.range(1));
    re::tsne_options options;
    options.method = method;
    double kl = 0.0;
    for (auto _ : state) {
        const auto result = re::tsne(x, options);
        kl = result.kl_divergence;
        benchmark::DoNotOptimize(result.embedding.data());
    }
    state.counters["KL"] = kl;
}

void BM_tsne_barnes_hut(benchmark::State& state) { tsne_benchmark(state, re::tsne_method::barnes_hut); }
void BM_tsne_exact(benchmark::State& state) { tsne_benchmark(state, re::tsne_method::exact); }
void BM_tsne_barnes_hut_70000(benchmark::State& state) { tsne_benchmark(state, re::tsne_method::barnes_hut); }

}  // namespace

BENCHMARK(BM_linkage_ward)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ward_features)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_linkage_average)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_linkage_single)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_linkage_centroid)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_linkage_median)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_centroid_features)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_median_features)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_dbi_scan)->Args({259, 64})->Args({10000, 64})->Args({100000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_silhouette)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_kmeans)->Args({259, 64})->Args({2000, 64})->Args({10000, 64})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tsne_exact)->Args({259, 50})->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tsne_barnes_hut)->Args({259, 50})->Args({2000, 50})->Args({10000, 50})->Iterations(1)->MeasureProcessCPUTime()->Unit(benchmark::kSecond);

namespace {
const bool large_registered = [] {
    if (std::getenv("RG_BENCH_LARGE") == nullptr) {
        return false;
    }
    benchmark::RegisterBenchmark("BM_linkage_ward_20000", BM_linkage_ward_20000)
        ->Args({20000, 64})
        ->Iterations(1)
        ->MeasureProcessCPUTime()->Unit(benchmark::kSecond);
    benchmark::RegisterBenchmark("BM_tsne_barnes_hut_70000", BM_tsne_barnes_hut_70000)
        ->Args({70000, 50})
        ->Iterations(1)
        ->MeasureProcessCPUTime()->Unit(benchmark::kSecond);
    return true;
}();
}  // namespace
