// Training cost of the study's Transformer: one epoch on 233 training patients (the 9:1 training
// part of a 259-patient cohort) with 5 tokens from 1,781 / 1,781 / 342 / 342 / 10 features,
// d_model 64, 4 heads, 2 layers, feed-forward 128, dropout 0.1, AdamW, batch 32; and the full
// 5-fold cross-validation of 100 epochs. The PyTorch peer is tests/fixtures/learn/bench_learn_torch.py.
#include <benchmark/benchmark.h>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/learn/cross_validation.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;

namespace {

const std::vector<rl::token_group>& study_groups()
{
    static const std::vector<rl::token_group> groups{{"tumor_ct", 0, 1781},
                                                     {"tumor_pet", 1781, 1781},
                                                     {"bat_ct", 3562, 342},
                                                     {"bat_pet", 3904, 342},
                                                     {"clinical", 4246, 10}};
    return groups;
}

void make_cohort(rl::index n, rl::matrix<double>& x, std::vector<int>& y)
{
    rg::random_engine engine(2024);
    x.resize(n, 4256);
    y.resize(static_cast<std::size_t>(n));
    for (rl::index j = 0; j < x.cols(); ++j) {
        for (rl::index i = 0; i < n; ++i) {
            x(i, j) = rg::standard_normal(engine);
        }
    }
    for (rl::index i = 0; i < n; ++i) {
        y[static_cast<std::size_t>(i)] = x(i, 0) + x(i, 1800) + x(i, 4250) > 0 ? 1 : 0;
    }
}

rl::transformer_options study_model()
{
    rl::transformer_options o;
    o.d_model = 64;
    o.heads = 4;
    o.layers = 2;
    o.d_feedforward = 128;
    o.dropout = 0.1;
    return o;
}

void bm_transformer_epoch(benchmark::State& state)
{
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rl::matrix<double> x;
    std::vector<int> y;
    make_cohort(233, x, y);
    rl::transformer_encoder<double> model(study_model(), study_groups());
    rl::training_options t;
    t.epochs = 1;
    t.batch_size = 32;
    for (auto _ : state) {
        const auto history = rl::train_classifier(model, x, y, rl::matrix<double>(), std::vector<int>{}, t);
        benchmark::DoNotOptimize(history.train_loss.back());
    }
}
BENCHMARK(bm_transformer_epoch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void bm_transformer_epoch_float(benchmark::State& state)
{
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rl::matrix<double> x;
    std::vector<int> y;
    make_cohort(233, x, y);
    const rl::matrix<float> xf = x.cast<float>();
    rl::transformer_encoder<float> model(study_model(), study_groups());
    rl::training_options t;
    t.epochs = 1;
    for (auto _ : state) {
        const auto history = rl::train_classifier(model, xf, y, rl::matrix<float>(), std::vector<int>{}, t);
        benchmark::DoNotOptimize(history.train_loss.back());
    }
}
BENCHMARK(bm_transformer_epoch_float)->Arg(1)->Unit(benchmark::kMillisecond);

// The whole protocol: 9:1 split of 259 patients, 5 folds x 100 epochs (no early stopping),
// preprocessing per fold, test-set evaluation and ensemble; the model trained in TReal
// (`transformer_learner<float>` is the same protocol in float).
template <class TReal>
void bm_transformer_cv_5fold_100_epochs(benchmark::State& state)
{
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rl::matrix<double> x;
    std::vector<int> y;
    make_cohort(259, x, y);
    rl::training_options t;
    t.epochs = 100;
    t.patience = 0;
    rl::protocol_options p;
    for (auto _ : state) {
        const auto result = rl::run_protocol(x, y, study_groups(), p, rl::transformer_learner<TReal>(study_model(), t));
        benchmark::DoNotOptimize(result.ensemble_test.accuracy);
        state.counters["test_auc"] = result.ensemble_test.auc;
    }
}
BENCHMARK_TEMPLATE(bm_transformer_cv_5fold_100_epochs, double)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_TEMPLATE(bm_transformer_cv_5fold_100_epochs, float)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

void bm_logistic_cv_5fold(benchmark::State& state)
{
    rl::matrix<double> x;
    std::vector<int> y;
    make_cohort(259, x, y);
    rl::protocol_options p;
    for (auto _ : state) {
        const auto result = rl::run_protocol(x, y, study_groups(), p, rl::logistic_learner({}));
        benchmark::DoNotOptimize(result.ensemble_test.accuracy);
    }
}
BENCHMARK(bm_logistic_cv_5fold)->Unit(benchmark::kMillisecond);

}  // namespace
