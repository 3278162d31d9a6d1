#include <boost/test/unit_test.hpp>

#include <algorithm>
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
        BOOST_TEST(f.rows.train.size() + f.rows.validation.size() == 207u);
    }
    BOOST_TEST(result.ensemble_test.auc > 0.8);
    BOOST_TEST(result.ensemble_test.confusion.total() == 23);
    BOOST_CHECK_THROW(rl::run_protocol(x, std::vector<int>(229, 0), {{"a", 0, 8}}, o, rl::logistic_learner({})),
                      rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
