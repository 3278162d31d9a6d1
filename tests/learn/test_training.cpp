#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/learn/cross_validation.hpp"
#include "radiogenomics/learn/grad_check.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;
using mat = rl::matrix<double>;

namespace {

// Synthetic cohort: 3 groups (8, 8, 4 features) of standard normals; `kind` picks the label rule.
enum class task { linear_signal, xor_across_groups, no_signal };

void make_task(task kind, rl::index n, std::uint64_t seed, mat& x, std::vector<int>& y)
{
    rg::random_engine engine(seed);
    x.resize(n, 20);
    y.resize(static_cast<std::size_t>(n));
    for (rl::index i = 0; i < n; ++i) {
        for (rl::index j = 0; j < 20; ++j) {
            x(i, j) = rg::standard_normal(engine);
        }
        int label = 0;
        switch (kind) {
        case task::linear_signal: label = x(i, 0) + x(i, 9) - x(i, 17) > 0 ? 1 : 0; break;
        case task::xor_across_groups: label = (x(i, 2) > 0) != (x(i, 11) > 0) ? 1 : 0; break;
        case task::no_signal: label = rg::uniform01(engine) < 0.5 ? 1 : 0; break;
        }
        y[static_cast<std::size_t>(i)] = label;
    }
}

const std::vector<rl::token_group> groups{{"g0", 0, 8}, {"g1", 8, 8}, {"g2", 16, 4}};

rl::transformer_options small_model(std::uint64_t seed)
{
    rl::transformer_options o;
    o.d_model = 16;
    o.heads = 2;
    o.layers = 1;
    o.d_feedforward = 32;
    o.dropout = 0.1;
    o.seed = seed;
    return o;
}

double accuracy(const std::vector<int>& y, const std::vector<double>& p)
{
    return rl::evaluate_binary(y, p).accuracy;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(training)

BOOST_AUTO_TEST_CASE(same_seed_same_weights_for_one_or_many_threads)
{
    // Sizes chosen so that every parallel loop (products, layer norm, attention) actually runs in
    // parallel with several threads (see detail::parallel_work).
    rg::random_engine engine(1);
    mat x(128, 250);
    std::vector<int> y(128);
    for (rl::index i = 0; i < x.rows(); ++i) {
        for (rl::index j = 0; j < x.cols(); ++j) {
            x(i, j) = rg::standard_normal(engine);
        }
        y[static_cast<std::size_t>(i)] = x(i, 0) + x(i, 120) > 0 ? 1 : 0;
    }
    const std::vector<rl::token_group> wide{{"a", 0, 100}, {"b", 100, 100}, {"c", 200, 50}};
    rl::transformer_options o;
    o.d_model = 64;
    o.heads = 4;
    o.layers = 2;
    o.d_feedforward = 128;
    o.dropout = 0.1;
    o.seed = 3;
    rl::training_options t;
    t.epochs = 2;
    t.batch_size = 64;
    auto run = [&](int threads, std::uint64_t train_seed) {
        rg::thread_count_guard guard(threads);
        rl::transformer_encoder<double> model(o, wide);
        t.seed = train_seed;
        rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t);
        std::vector<mat> weights;
        for (auto* p : model.parameters()) {
            weights.push_back(p->value);
        }
        return weights;
    };
    const auto one = run(1, 5);
    const auto many = run(4, 5);
    const auto other_seed = run(1, 6);
    bool identical = true;
    bool differs = false;
    for (std::size_t i = 0; i < one.size(); ++i) {
        identical = identical && (one[i].array() == many[i].array()).all();
        differs = differs || !(one[i].array() == other_seed[i].array()).all();
    }
    BOOST_TEST(identical);
    BOOST_TEST(differs);
}

BOOST_AUTO_TEST_CASE(learns_a_known_signal)
{
    mat x;
    mat x_test;
    std::vector<int> y;
    std::vector<int> y_test;
    make_task(task::linear_signal, 400, 2, x, y);
    make_task(task::linear_signal, 300, 3, x_test, y_test);
    rl::transformer_encoder<double> model(small_model(4), groups);
    rl::training_options t;
    t.epochs = 40;
    t.optimizer.learning_rate = 3e-3;
    rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t);
    BOOST_TEST(accuracy(y_test, rl::predict_probability(model, x_test)) > 0.85);
}

BOOST_AUTO_TEST_CASE(xor_across_tokens_needs_attention_and_nonlinearity)
{
    mat x;
    mat x_test;
    std::vector<int> y;
    std::vector<int> y_test;
    make_task(task::xor_across_groups, 600, 7, x, y);
    make_task(task::xor_across_groups, 300, 8, x_test, y_test);
    rl::transformer_encoder<double> model(small_model(9), groups);
    rl::training_options t;
    t.epochs = 60;
    t.optimizer.learning_rate = 3e-3;
    rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t);
    BOOST_TEST(accuracy(y_test, rl::predict_probability(model, x_test)) > 0.8);
    // a linear model cannot represent XOR: it stays near chance on the same data
    rl::logistic_regression baseline;
    baseline.fit(x, y);
    BOOST_TEST(accuracy(y_test, baseline.predict_probability(x_test)) < 0.65);
}

BOOST_AUTO_TEST_CASE(mlp_baseline_learns_the_linear_signal_and_its_gradients_check)
{
    mat x;
    mat x_test;
    std::vector<int> y;
    std::vector<int> y_test;
    make_task(task::linear_signal, 400, 2, x, y);
    make_task(task::linear_signal, 300, 3, x_test, y_test);
    rl::mlp_options mo;
    mo.hidden = 16;
    mo.seed = 4;
    rl::mlp<double> model(20, mo);
    // finite differences of the weighted loss (dropout masks fixed by re-seeding)
    auto loss = [&](bool backward) {
        rg::random_engine masks(3);
        const auto l = rl::cross_entropy(model.forward(x.topRows(8), rl::forward_context{true, &masks}),
                                         std::vector<int>(y.begin(), y.begin() + 8), {0.7, 1.3});
        if (backward) {
            model.backward(l.grad_logits);
        }
        return l.value;
    };
    rl::zero_grad(model.parameters());
    loss(true);
    BOOST_TEST(rl::check_gradients<double>(model.parameters(), [&] { return loss(false); }, 1e-5, 64, 1e-3)
                   .max_relative_error < 1e-6);
    rl::training_options t;
    t.epochs = 40;
    t.optimizer.learning_rate = 3e-3;
    rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t);
    BOOST_TEST(accuracy(y_test, rl::predict_probability(model, x_test)) > 0.85);
}

BOOST_AUTO_TEST_CASE(stays_near_chance_without_signal)
{
    mat x;
    mat x_test;
    std::vector<int> y;
    std::vector<int> y_test;
    make_task(task::no_signal, 400, 11, x, y);
    make_task(task::no_signal, 400, 12, x_test, y_test);
    rl::transformer_encoder<double> model(small_model(13), groups);
    rl::training_options t;
    t.epochs = 30;
    t.optimizer.learning_rate = 3e-3;
    rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t);
    // 400 Bernoulli(1/2) test labels: sd of the accuracy of any fixed rule 0.025; 4 sd
    BOOST_TEST(std::abs(accuracy(y_test, rl::predict_probability(model, x_test)) - 0.5) < 0.1);
}

BOOST_AUTO_TEST_CASE(early_stopping_restores_the_best_validation_weights)
{
    mat x;
    mat x_val;
    std::vector<int> y;
    std::vector<int> y_val;
    make_task(task::no_signal, 120, 21, x, y);  // pure noise: validation loss rises as it overfits
    make_task(task::no_signal, 60, 22, x_val, y_val);
    rl::transformer_encoder<double> model(small_model(23), groups);
    rl::training_options t;
    t.epochs = 200;
    t.patience = 5;
    t.optimizer.learning_rate = 1e-2;
    const auto history = rl::train_classifier(model, x, y, x_val, y_val, t);
    BOOST_TEST(history.stopped_early);
    BOOST_TEST(history.validation_loss.size() == history.train_loss.size());
    BOOST_TEST(static_cast<rl::index>(history.validation_loss.size()) == history.best_epoch + 1 + t.patience);
    const auto best = std::min_element(history.validation_loss.begin(), history.validation_loss.end());
    BOOST_TEST(history.best_epoch == best - history.validation_loss.begin());
    const double restored = rl::cross_entropy(rl::predict_logits(model, x_val), y_val, rl::balanced_class_weights(y)).value;
    BOOST_TEST(restored == *best, boost::test_tools::tolerance(1e-12));
}

/// A Transformer whose weights blow up (one weight set to NaN) at the start of epoch `poison_epoch`:
/// the way a too-large learning rate ends.
class diverging_model {
public:
    diverging_model(const rl::transformer_options& o, rl::index batches_per_epoch, rl::index poison_epoch)
        : m_model(o, groups), m_poison_at(batches_per_epoch * poison_epoch)
    {
    }
    mat forward(const mat& x, const rl::forward_context& context)
    {
        if (context.training && m_training_calls++ == m_poison_at) {
            m_model.parameters().front()->value(0, 0) = std::numeric_limits<double>::quiet_NaN();
        }
        return m_model.forward(x, context);
    }
    mat predict(const mat& x) const { return m_model.predict(x); }
    void backward(const mat& g) { m_model.backward(g); }
    rl::parameter_list<double> parameters() { return m_model.parameters(); }

private:
    rl::transformer_encoder<double> m_model;
    rl::index m_training_calls = 0;
    rl::index m_poison_at;
};

// A NaN validation loss used to count as an improvement (`!(validation >= best)`), so a diverged
// model was kept. Now training stops at the first non-finite loss, the best finite epoch is restored
// and the history says it diverged.
BOOST_AUTO_TEST_CASE(a_diverged_epoch_is_never_selected)
{
    mat x;
    mat x_val;
    std::vector<int> y;
    std::vector<int> y_val;
    make_task(task::linear_signal, 96, 31, x, y);
    make_task(task::linear_signal, 48, 32, x_val, y_val);
    rl::training_options t;
    t.epochs = 30;
    t.patience = 0;
    t.optimizer.learning_rate = 3e-3;
    diverging_model model(small_model(33), 3, 6);  // 96 rows / batch 32 = 3 batches; NaN from epoch 6 (0-based)
    const auto history = rl::train_classifier(model, x, y, x_val, y_val, t);
    BOOST_TEST(history.diverged);
    BOOST_TEST(history.diverged_epoch == 6);
    BOOST_TEST(history.train_loss.size() == 7u);  // stopped at the diverged epoch
    BOOST_TEST(std::isnan(history.validation_loss.back()));
    BOOST_REQUIRE(history.usable());
    BOOST_TEST(history.best_epoch < 6);
    BOOST_TEST(std::isfinite(history.best_validation_loss));
    BOOST_TEST(history.best_validation_loss ==
               *std::min_element(history.validation_loss.begin(), history.validation_loss.begin() + 6));
    // the restored weights are the finite ones of the best epoch
    const auto p = rl::predict_probability(model, x_val);
    BOOST_TEST(std::all_of(p.begin(), p.end(), [](double v) { return std::isfinite(v); }));
    const double restored = rl::cross_entropy(rl::predict_logits(model, x_val), y_val, rl::balanced_class_weights(y)).value;
    BOOST_TEST(restored == history.best_validation_loss, boost::test_tools::tolerance(1e-12));

    // Diverged in the first epoch: nothing is usable.
    diverging_model broken(small_model(33), 3, 0);
    const auto none = rl::train_classifier(broken, x, y, x_val, y_val, t);
    BOOST_TEST(none.diverged);
    BOOST_TEST(!none.usable());
    BOOST_TEST(none.best_epoch == -1);
    // Without a validation set the diverged weights are not "kept" either.
    diverging_model blind(small_model(33), 3, 4);
    const auto no_validation = rl::train_classifier(blind, x, y, mat(), std::vector<int>{}, t);
    BOOST_TEST(no_validation.diverged);
    BOOST_TEST(!no_validation.usable());
}

BOOST_AUTO_TEST_CASE(bad_labels_throw)
{
    mat x;
    std::vector<int> y;
    make_task(task::linear_signal, 20, 1, x, y);
    rl::transformer_encoder<double> model(small_model(1), groups);
    rl::training_options t;
    y[3] = 2;
    BOOST_CHECK_THROW(rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t), rg::invalid_argument);
    y.pop_back();
    BOOST_CHECK_THROW(rl::train_classifier(model, x, y, mat(), std::vector<int>{}, t), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
