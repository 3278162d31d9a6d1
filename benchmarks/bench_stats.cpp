// Statistics benchmarks: per-feature tests over a 259 x 1781 matrix (the study's cohort size and
// feature count), chi-square on 1000 3 x 2 tables, and the OpenMP volcano over 259 x 2000.
// The SciPy loops measured for comparison are in benchmarks/README.md (section "stats").
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/stats.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::stats;

namespace {

constexpr Eigen::Index n_patients = 259;
constexpr Eigen::Index n_features = 1781;

struct cohort {
    Eigen::MatrixXd features;
    Eigen::VectorXi label;   // 0/1, about 40 % positive
    Eigen::VectorXi group;   // 0..2 (cancer type)
    Eigen::VectorXd group_value;
};

cohort make_cohort(Eigen::Index features)
{
    cohort c;
    {
        rg::random_engine engine(2024);
        c.features.resize(n_patients, features);
        for (Eigen::Index j = 0; j < features; ++j) {
            for (Eigen::Index i = 0; i < n_patients; ++i) {
                c.features(i, j) = std::exp(rg::standard_normal(engine));
            }
        }
        c.label.resize(n_patients);
        c.group.resize(n_patients);
        c.group_value.resize(n_patients);
        for (Eigen::Index i = 0; i < n_patients; ++i) {
            c.label[i] = rg::uniform01(engine) < 0.4 ? 1 : 0;
            c.group[i] = static_cast<int>(rg::uniform_index(engine, 3));
            c.group_value[i] = c.group[i];
        }
    }
    return c;
}

const cohort& data()
{
    static const cohort c = make_cohort(n_features);
    return c;
}

const cohort& wide()
{
    static const cohort c = make_cohort(2000);
    return c;
}

// Splits column j into the label-0 and label-1 samples (what the Python loop does with X[lab, j]).
void split_column(const cohort& c, Eigen::Index j, Eigen::VectorXd& neg, Eigen::VectorXd& pos)
{
    const Eigen::Index n1 = c.label.sum();
    neg.resize(n_patients - n1);
    pos.resize(n1);
    Eigen::Index a = 0;
    Eigen::Index b = 0;
    for (Eigen::Index i = 0; i < n_patients; ++i) {
        if (c.label[i] == 1) {
            pos[b++] = c.features(i, j);
        } else {
            neg[a++] = c.features(i, j);
        }
    }
}

void bm_mann_whitney_per_feature(benchmark::State& state)
{
    const cohort& c = data();
    Eigen::VectorXd neg;
    Eigen::VectorXd pos;
    for (auto _ : state) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < n_features; ++j) {
            split_column(c, j, neg, pos);
            sum += rs::mann_whitney(pos, neg).p_value;
        }
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(bm_mann_whitney_per_feature)->Unit(benchmark::kMillisecond);

void bm_welch_per_feature(benchmark::State& state)
{
    const cohort& c = data();
    Eigen::VectorXd neg;
    Eigen::VectorXd pos;
    for (auto _ : state) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < n_features; ++j) {
            split_column(c, j, neg, pos);
            sum += rs::welch_t_test(pos, neg).p_value;
        }
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(bm_welch_per_feature)->Unit(benchmark::kMillisecond);

void bm_kruskal_per_feature(benchmark::State& state)
{
    const cohort& c = data();
    for (auto _ : state) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < n_features; ++j) {
            sum += rs::kruskal_wallis(c.features.col(j), c.group, 3).p_value;
        }
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(bm_kruskal_per_feature)->Unit(benchmark::kMillisecond);

void bm_pearson_per_feature(benchmark::State& state)
{
    const cohort& c = data();
    for (auto _ : state) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < n_features; ++j) {
            sum += rs::pearson(c.features.col(j), c.group_value).p_value;
        }
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(bm_pearson_per_feature)->Unit(benchmark::kMillisecond);

void bm_chi_square_1000_tables(benchmark::State& state)
{
    rg::random_engine engine(7);
    std::vector<Eigen::MatrixXd> tables(1000, Eigen::MatrixXd(3, 2));
    for (auto& t : tables) {
        for (Eigen::Index i = 0; i < t.size(); ++i) {
            t(i) = static_cast<double>(1 + rg::uniform_index(engine, 29));
        }
    }
    for (auto _ : state) {
        double sum = 0.0;
        for (const auto& t : tables) {
            sum += rs::chi_square_independence(t).p_value;
        }
        benchmark::DoNotOptimize(sum);
    }
}
BENCHMARK(bm_chi_square_1000_tables)->Unit(benchmark::kMillisecond);

// Volcano (Mann–Whitney + BH + log2FC) over 259 x 2000; argument = thread count.
void bm_volcano_259x2000(benchmark::State& state)
{
    const cohort& c = wide();
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        const auto r = rs::volcano(c.features, c.label);
        benchmark::DoNotOptimize(r.p_adjusted.data());
    }
}
BENCHMARK(bm_volcano_259x2000)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
