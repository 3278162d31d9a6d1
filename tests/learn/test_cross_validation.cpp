#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "radiogenomics/learn/cross_validation.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;
using mat = rl::matrix<double>;

namespace {

std::vector<int> make_labels(int zeros, int ones, std::uint64_t seed)
{
    std::vector<int> y(static_cast<std::size_t>(zeros), 0);
    y.insert(y.end(), static_cast<std::size_t>(ones), 1);
    rg::random_engine engine(seed);
    rg::shuffle(y, engine);
    return y;
}

int count_class(const std::vector<int>& y, const std::vector<rl::index>& rows, int c)
{
    int n = 0;
    for (const auto r : rows) {
        n += y[static_cast<std::size_t>(r)] == c ? 1 : 0;
    }
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cross_validation)

BOOST_AUTO_TEST_CASE(stratified_split_keeps_class_proportions)
{
    const auto y = make_labels(180, 79, 1);  // 259 patients as in the study
    const auto split = rl::stratified_split(y, 0.1, 42);
    BOOST_TEST(count_class(y, split.test, 0) == 18);  // round(180 * 0.1)
    BOOST_TEST(count_class(y, split.test, 1) == 8);   // round(79 * 0.1)
    std::set<rl::index> all(split.train.begin(), split.train.end());
    for (const auto r : split.test) {
        BOOST_TEST(all.count(r) == 0u);
        all.insert(r);
    }
    BOOST_TEST(all.size() == y.size());
    const auto again = rl::stratified_split(y, 0.1, 42);
    BOOST_TEST(again.test == split.test);
    BOOST_TEST(rl::stratified_split(y, 0.1, 43).test != split.test);
}

BOOST_AUTO_TEST_CASE(stratified_k_fold_partitions_with_both_classes_everywhere)
{
    const auto y = make_labels(162, 71, 2);
    const auto folds = rl::stratified_k_fold(y, 5, 7);
    BOOST_REQUIRE(folds.size() == 5u);
    std::vector<int> seen(y.size(), 0);
    for (const auto& f : folds) {
        BOOST_TEST(f.train.size() + f.validation.size() == y.size());
        const int zeros = count_class(y, f.validation, 0);
        const int ones = count_class(y, f.validation, 1);
        BOOST_TEST((zeros == 32 || zeros == 33));  // 162 / 5
        BOOST_TEST((ones == 14 || ones == 15));    // 71 / 5
        for (const auto r : f.validation) {
            ++seen[static_cast<std::size_t>(r)];
        }
        for (const auto r : f.train) {
            BOOST_TEST((std::find(f.validation.begin(), f.validation.end(), r) == f.validation.end()));
        }
    }
    BOOST_TEST(std::all_of(seen.begin(), seen.end(), [](int v) { return v == 1; }));
}

BOOST_AUTO_TEST_CASE(impossible_stratification_throws)
{
    BOOST_CHECK_THROW(rl::stratified_k_fold(make_labels(20, 3, 1), 5, 0), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::stratified_k_fold({0, 1, 2, 0, 1, 0}, 2, 0), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::stratified_split(make_labels(20, 1, 1), 0.1, 0), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::stratified_split(make_labels(20, 5, 1), 1.0, 0), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(preprocessing_uses_training_rows_only)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    mat train(5, 4);
    // col 0: with a NaN (median of 1,2,4,10 = 3); col 1: constant; col 2: informative; col 3: Inf
    train << 1, 7, 0.0, 1,   //
        2, 7, 0.1, 2,        //
        nan, 7, 5.0, 3,      //
        4, 7, 5.1, std::numeric_limits<double>::infinity(),  //
        10, 7, 4.9, 5;
    const std::vector<int> y{0, 0, 1, 1, 1};
    rl::feature_preprocessor pre;
    pre.fit(train, y, {{"a", 0, 2}, {"b", 2, 2}});
    BOOST_TEST(pre.selected_columns() == (std::vector<rl::index>{0, 2, 3}));  // constant column dropped
    BOOST_TEST(pre.groups()[0].count == 1);
    BOOST_TEST(pre.groups()[1].begin == 1);
    BOOST_TEST(pre.groups()[1].count == 2);
    const mat z = pre.transform(train);
    for (rl::index c = 0; c < z.cols(); ++c) {
        BOOST_TEST(std::abs(z.col(c).mean()) < 1e-12);
        BOOST_TEST(std::abs((z.col(c).array() - z.col(c).mean()).square().mean() - 1.0) < 1e-12);
    }
    // imputed column 0 on training rows: 1 2 3 4 10 -> mean 4, population sd sqrt(10)
    BOOST_TEST(z(2, 0) == (3.0 - 4.0) / std::sqrt(10.0), boost::test_tools::tolerance(1e-12));
    // new rows use the training statistics, whatever their own values are
    mat other = mat::Constant(2, 4, 100.0);
    other(1, 0) = nan;
    const mat zo = pre.transform(other);
    BOOST_TEST(zo(0, 0) == (100.0 - 4.0) / std::sqrt(10.0), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(zo(1, 0) == (3.0 - 4.0) / std::sqrt(10.0), boost::test_tools::tolerance(1e-12));
    BOOST_CHECK_THROW(pre.transform(mat::Zero(2, 3)), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(top_k_selection_keeps_the_informative_feature)
{
    rg::random_engine engine(3);
    const auto y = make_labels(40, 40, 4);
    mat x(80, 6);
    for (rl::index i = 0; i < 80; ++i) {
        for (rl::index j = 0; j < 6; ++j) {
            x(i, j) = rg::standard_normal(engine);
        }
        x(i, 4) += 2.0 * y[static_cast<std::size_t>(i)];
    }
    rl::preprocessing_options o;
    o.top_k = 1;
    rl::feature_preprocessor pre;
    pre.fit(x, y, {{"all", 0, 6}}, o);
    BOOST_TEST(pre.selected_columns() == (std::vector<rl::index>{4}));
}

BOOST_AUTO_TEST_CASE(protocol_with_logistic_baseline)
{
    rg::random_engine engine(5);
    const auto y = make_labels(150, 80, 6);
    mat x(230, 8);
    for (rl::index i = 0; i < 230; ++i) {
        for (rl::index j = 0; j < 8; ++j) {
            x(i, j) = rg::standard_normal(engine);
        }
        x(i, 1) += 1.5 * y[static_cast<std::size_t>(i)];
        x(i, 6) -= 1.5 * y[static_cast<std::size_t>(i)];
    }
    x(3, 2) = std::numeric_limits<double>::quiet_NaN();
    rl::protocol_options o;
    o.seed = 9;
    const auto result = rl::run_protocol(x, y, {{"a", 0, 4}, {"b", 4, 4}}, o, rl::logistic_learner({}));
    BOOST_TEST(result.split.test.size() == 23u);
    BOOST_REQUIRE(result.folds.size() == 5u);
    for (const auto& f : result.folds) {
        BOOST_TEST(f.validation.auc > 0.8);
        BOOST_TEST(f.test_probability.size() == 23u);
        BOOST_TEST(f.rows.train.size() + f.rows.selection.size() + f.rows.validation.size() == 207u);
    }
    BOOST_TEST(result.ensemble_test.auc > 0.8);
    BOOST_TEST(result.ensemble_test.confusion.total() == 23);
    BOOST_CHECK_THROW(rl::run_protocol(x, std::vector<int>(229, 0), {{"a", 0, 8}}, o, rl::logistic_learner({})),
                      rg::invalid_argument);
}

namespace {

/// 150 patients, 12 columns in three groups, TP53-like signal in two columns, a few NaN.
void leakage_data(mat& x, std::vector<int>& y)
{
    rg::random_engine engine(41);
    y = make_labels(100, 50, 42);
    x.resize(150, 12);
    for (rl::index i = 0; i < x.rows(); ++i) {
        for (rl::index j = 0; j < x.cols(); ++j) {
            x(i, j) = rg::standard_normal(engine);
        }
        x(i, 2) += 1.2 * y[static_cast<std::size_t>(i)];
        x(i, 9) -= 1.2 * y[static_cast<std::size_t>(i)];
    }
    x(7, 4) = std::numeric_limits<double>::quiet_NaN();
    x(20, 11) = std::numeric_limits<double>::quiet_NaN();
}

const std::vector<rl::token_group> leakage_groups{{"a", 0, 4}, {"b", 4, 4}, {"c", 8, 4}};

rl::protocol_options leakage_protocol()
{
    rl::protocol_options o;
    o.seed = 43;
    o.preprocessing.top_k = 3;
    o.youden_threshold = true;  // the threshold is a choice too
    return o;
}

rl::learner small_transformer()
{
    rl::transformer_options m;
    m.d_model = 8;
    m.heads = 2;
    m.layers = 1;
    m.d_feedforward = 16;
    rl::training_options t;
    t.epochs = 25;
    t.patience = 5;
    t.optimizer.learning_rate = 1e-2;
    return rl::transformer_learner(m, t);
}

/// Overwrites `rows` of `x` with extreme values, NaN and infinities.
void poison(mat& x, const std::vector<rl::index>& rows)
{
    const double values[] = {1e300, -1e300, std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 0.0};
    std::size_t k = 0;
    for (const auto r : rows) {
        for (rl::index c = 0; c < x.cols(); ++c) {
            x(r, c) = values[k++ % 6];
        }
    }
}

/// Fold `f` of `a` and `b` fitted exactly the same preprocessing, weights, epoch and threshold.
void check_same_fold(const rl::protocol_result& a, const rl::protocol_result& b, std::size_t f)
{
    const auto& fa = a.folds[f];
    const auto& fb = b.folds[f];
    BOOST_TEST_CONTEXT("fold " << f)
    {
        BOOST_TEST(fa.preprocessor.selected_columns() == fb.preprocessor.selected_columns());
        BOOST_TEST(fa.preprocessor.medians() == fb.preprocessor.medians());
        BOOST_TEST(fa.preprocessor.means() == fb.preprocessor.means());
        BOOST_TEST(fa.preprocessor.scales() == fb.preprocessor.scales());
        BOOST_REQUIRE(fa.model.weights);
        BOOST_TEST(fa.model.weights() == fb.model.weights());  // bit for bit
        BOOST_TEST(fa.model.history.best_epoch == fb.model.history.best_epoch);
        BOOST_TEST(fa.model.history.validation_loss == fb.model.history.validation_loss);
        BOOST_TEST(fa.threshold == fb.threshold);
    }
}

}  // namespace

// Poisoning the test rows changes no fitted quantity of any fold.
BOOST_AUTO_TEST_CASE(test_rows_influence_no_fitted_parameter)
{
    mat x;
    std::vector<int> y;
    leakage_data(x, y);
    const auto o = leakage_protocol();
    for (const auto& fit : {small_transformer(), rl::logistic_learner({})}) {
        const auto clean = rl::run_protocol(x, y, leakage_groups, o, fit);
        mat poisoned = x;
        poison(poisoned, clean.split.test);
        const auto dirty = rl::run_protocol(poisoned, y, leakage_groups, o, fit);
        BOOST_REQUIRE(dirty.folds.size() == clean.folds.size());
        for (std::size_t f = 0; f < clean.folds.size(); ++f) {
            check_same_fold(clean, dirty, f);
            BOOST_TEST(clean.folds[f].validation_probability == dirty.folds[f].validation_probability);
        }
    }
}

// Poisoning one validation fold changes nothing its fold model fitted or chose: the epoch (and
// threshold) are chosen on the inner validation split, not on the rows then reported. (Before,
// early stopping watched the validation fold, so its weights depended on it.)
BOOST_AUTO_TEST_CASE(a_validation_fold_influences_nothing_its_model_chose)
{
    mat x;
    std::vector<int> y;
    leakage_data(x, y);
    const auto o = leakage_protocol();
    for (const auto& fit : {small_transformer(), rl::logistic_learner({})}) {
        const auto clean = rl::run_protocol(x, y, leakage_groups, o, fit);
        for (const std::size_t f : {std::size_t{0}, std::size_t{3}}) {
            mat poisoned = x;
            poison(poisoned, clean.folds[f].rows.validation);
            const auto dirty = rl::run_protocol(poisoned, y, leakage_groups, o, fit);
            check_same_fold(clean, dirty, f);
            BOOST_TEST(clean.folds[f].test_probability == dirty.folds[f].test_probability);
        }
    }
}

// The test rows, the folds and their inner validation splits are disjoint and cover what they should.
BOOST_AUTO_TEST_CASE(protocol_rows_are_disjoint_and_complete)
{
    const auto y = make_labels(180, 79, 44);  // the study's 259 patients
    rl::protocol_options o;
    o.seed = 45;
    const auto [split, folds] = rl::protocol_rows(y, o);
    const auto n = y.size();
    std::vector<int> role(n, 0);  // 1 test, 2 training part
    for (const auto r : split.test) {
        role[static_cast<std::size_t>(r)] += 1;
    }
    for (const auto r : split.train) {
        role[static_cast<std::size_t>(r)] += 2;
    }
    BOOST_TEST(std::all_of(role.begin(), role.end(), [](int v) { return v == 1 || v == 2; }));
    BOOST_REQUIRE(folds.size() == 5u);
    std::vector<int> validated(n, 0);
    for (const auto& f : folds) {
        std::vector<int> in(n, 0);
        for (const auto* rows : {&f.train, &f.selection, &f.validation}) {
            BOOST_TEST(std::is_sorted(rows->begin(), rows->end()));
            for (const auto r : *rows) {
                ++in[static_cast<std::size_t>(r)];
            }
        }
        for (std::size_t i = 0; i < n; ++i) {
            BOOST_TEST(in[i] == (role[i] == 2 ? 1 : 0));  // each training-part row in exactly one role, test rows in none
        }
        for (const auto r : f.validation) {
            ++validated[static_cast<std::size_t>(r)];
        }
        // the inner split holds both classes, about 20 % of the fold's training part
        BOOST_TEST(count_class(y, f.selection, 0) > 0);
        BOOST_TEST(count_class(y, f.selection, 1) > 0);
        const double share = static_cast<double>(f.selection.size()) / static_cast<double>(f.selection.size() + f.train.size());
        BOOST_TEST(std::abs(share - 0.2) < 0.02);
    }
    for (std::size_t i = 0; i < n; ++i) {
        BOOST_TEST(validated[i] == (role[i] == 2 ? 1 : 0));  // the folds partition the training part
    }
    // run_protocol uses exactly these rows and records each row's fold
    mat x = mat::Zero(static_cast<rl::index>(n), 2);
    rg::random_engine engine(46);
    for (rl::index i = 0; i < x.size(); ++i) {
        x.data()[i] = rg::standard_normal(engine);
    }
    const auto result = rl::run_protocol(x, y, {{"a", 0, 2}}, o, rl::logistic_learner({}));
    BOOST_TEST(result.split.test == split.test);
    for (std::size_t f = 0; f < folds.size(); ++f) {
        BOOST_TEST(result.folds[f].rows.train == folds[f].train);
        BOOST_TEST(result.folds[f].rows.selection == folds[f].selection);
        BOOST_TEST(result.folds[f].rows.validation == folds[f].validation);
        for (const auto r : folds[f].validation) {
            BOOST_TEST(result.fold_of[static_cast<std::size_t>(r)] == static_cast<int>(f));
        }
    }
    for (const auto r : split.test) {
        BOOST_TEST(result.fold_of[static_cast<std::size_t>(r)] == -1);
    }
    // without an inner split the fold trains on its whole training part
    o.selection_fraction = 0.0;
    for (const auto& f : rl::protocol_rows(y, o).second) {
        BOOST_TEST(f.selection.empty());
        BOOST_TEST(f.train.size() + f.validation.size() == split.train.size());
    }
}

// A fold whose model has no usable epoch (diverged at once) is left out of the ensemble.
BOOST_AUTO_TEST_CASE(an_unusable_fold_is_left_out_of_the_ensemble)
{
    mat x;
    std::vector<int> y;
    leakage_data(x, y);
    const auto o = leakage_protocol();
    const auto logistic = rl::logistic_learner({});
    const rl::learner breaks_fold_2 = [&](const rl::fold_data& data) {
        auto model = logistic(data);
        if (data.fold == 2) {
            model.history.best_epoch = -1;
            model.history.diverged = true;
            model.predict = [](const mat& rows) {
                return std::vector<double>(static_cast<std::size_t>(rows.rows()), std::numeric_limits<double>::quiet_NaN());
            };
        }
        return model;
    };
    const auto result = rl::run_protocol(x, y, leakage_groups, o, breaks_fold_2);
    BOOST_TEST(result.diverged_folds() == 1u);
    BOOST_TEST(!result.folds[2].usable());
    BOOST_TEST(std::isnan(result.folds[2].validation.auc));
    std::vector<double> mean(result.split.test.size(), 0.0);
    for (const std::size_t f : {0u, 1u, 3u, 4u}) {
        for (std::size_t i = 0; i < mean.size(); ++i) {
            mean[i] += result.folds[f].test_probability[i] / 4.0;
        }
    }
    for (std::size_t i = 0; i < mean.size(); ++i) {
        BOOST_TEST(result.ensemble_probability[i] == mean[i], boost::test_tools::tolerance(1e-12));
    }
    BOOST_TEST(std::isfinite(result.ensemble_test.auc));
}

// The protocol follows the model's real type: the study's Transformer trained in float runs the same
// protocol (split, folds, inner validation rows, seeds) as in double; both learn the signal, and their
// probabilities agree to float-training accuracy. The logistic baseline fits float rows in double, so its
// coefficients are those of the same values as double.
BOOST_AUTO_TEST_CASE(float_training_runs_the_same_protocol)
{
    mat x;
    std::vector<int> y;
    leakage_data(x, y);
    rl::transformer_options m;
    m.d_model = 8;
    m.heads = 2;
    m.layers = 1;
    m.d_feedforward = 16;
    rl::training_options t;
    t.epochs = 25;
    t.patience = 0;  // a fixed number of epochs: no early-stopping choice can differ between the two
    t.optimizer.learning_rate = 1e-2;
    rl::protocol_options o = leakage_protocol();
    o.youden_threshold = false;
    const auto d = rl::run_protocol(x, y, leakage_groups, o, rl::transformer_learner<double>(m, t));
    const auto f = rl::run_protocol(x, y, leakage_groups, o, rl::transformer_learner<float>(m, t));
    BOOST_TEST(d.split.test == f.split.test);
    BOOST_REQUIRE(d.folds.size() == f.folds.size());
    double largest = 0.0;
    for (std::size_t k = 0; k < d.folds.size(); ++k) {
        BOOST_TEST(d.folds[k].rows.train == f.folds[k].rows.train);
        BOOST_TEST(d.folds[k].rows.validation == f.folds[k].rows.validation);
        BOOST_TEST(d.folds[k].model.history.train_loss.size() == f.folds[k].model.history.train_loss.size());
        for (std::size_t i = 0; i < d.folds[k].validation_probability.size(); ++i) {
            largest = std::max(largest, std::abs(d.folds[k].validation_probability[i] - f.folds[k].validation_probability[i]));
        }
        const mat rows = f.folds[k].preprocessor.transform(x.topRows(3));
        const mat deep_float = f.folds[k].model.embed(rows);
        const mat deep_double = d.folds[k].model.embed(rows);
        BOOST_TEST(deep_float.cols() == m.d_model);
        BOOST_TEST((deep_float - deep_double).cwiseAbs().maxCoeff() < 1e-2);
    }
    BOOST_TEST_MESSAGE("largest |p_float - p_double| over the validation rows: " << largest);
    BOOST_TEST(largest < 1e-3);
    BOOST_TEST(f.ensemble_test.auc > 0.7);

    rl::logistic_regression a;
    rl::logistic_regression b;
    const mat complete = x.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : v; });
    const rl::matrix<float> xf = complete.cast<float>();
    a.fit(xf, y);
    b.fit(mat(xf.cast<double>()), y);
    BOOST_TEST((a.coefficients() == b.coefficients()));
    BOOST_TEST(a.intercept() == b.intercept());
    BOOST_TEST((a.predict_probability(xf) == b.predict_probability(mat(xf.cast<double>()))));
}

BOOST_AUTO_TEST_SUITE_END()
