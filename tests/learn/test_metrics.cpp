#include <boost/test/unit_test.hpp>

#include <string>

#include "radiogenomics/learn/logistic_regression.hpp"
#include "radiogenomics/learn/metrics.hpp"
#include "radiogenomics/learn/serialization.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;
using mat = rl::matrix<double>;

namespace {

std::vector<int> int_row(const mat& m)
{
    std::vector<int> out;
    for (rl::index j = 0; j < m.cols(); ++j) {
        out.push_back(static_cast<int>(m(0, j)));
    }
    return out;
}

std::vector<double> double_row(const mat& m)
{
    std::vector<double> out;
    for (rl::index j = 0; j < m.cols(); ++j) {
        out.push_back(m(0, j));
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(hand_computed_confusion_matrix)
{
    // labels 1 1 1 0 0 0 0, scores >= 0.5 predicted positive: TP 2 (0.9, 0.5), FN 1 (0.2),
    // FP 1 (0.7), TN 3. acc 5/7, prec 2/3, rec 2/3, spec 3/4, F1 2/3.
    const std::vector<int> y{1, 1, 1, 0, 0, 0, 0};
    const std::vector<double> s{0.9, 0.5, 0.2, 0.7, 0.1, 0.3, 0.49};
    const auto m = rl::evaluate_binary(y, s);
    BOOST_TEST(m.confusion.tp == 2);
    BOOST_TEST(m.confusion.fn == 1);
    BOOST_TEST(m.confusion.fp == 1);
    BOOST_TEST(m.confusion.tn == 3);
    BOOST_TEST(m.accuracy == 5.0 / 7.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(m.precision == 2.0 / 3.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(m.recall == 2.0 / 3.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(m.specificity == 0.75, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(m.f1 == 2.0 / 3.0, boost::test_tools::tolerance(1e-15));
    // AUC by counting: positive-negative pairs ordered correctly: 0.9 beats 4, 0.5 beats 3, 0.2 beats 1 -> 8/12
    BOOST_TEST(m.auc == 8.0 / 12.0, boost::test_tools::tolerance(1e-15));
}

// scikit-learn 1.2 accuracy/precision/recall/f1/roc_auc_score, confusion_matrix, roc_curve-based Youden
// threshold, and a numpy DeLong variance (generate_learn_fixtures.py), on random and tied scores.
BOOST_AUTO_TEST_CASE(match_scikit_learn)
{
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/metrics_reference.txt"));
    for (const std::string name : {"random", "ties"}) {
        BOOST_TEST_CONTEXT("case " << name)
        {
            const auto y = int_row(reference.get(name + ".labels"));
            const auto s = double_row(reference.get(name + ".scores"));
            const mat& v = reference.get(name + ".values");
            const mat& cm = reference.get(name + ".confusion");
            const auto m = rl::evaluate_binary(y, s);
            BOOST_TEST(m.confusion.tn == cm(0, 0));
            BOOST_TEST(m.confusion.fp == cm(0, 1));
            BOOST_TEST(m.confusion.fn == cm(1, 0));
            BOOST_TEST(m.confusion.tp == cm(1, 1));
            const auto tol = boost::test_tools::tolerance(1e-12);
            BOOST_TEST(m.accuracy == v(0, 0), tol);
            BOOST_TEST(m.precision == v(0, 1), tol);
            BOOST_TEST(m.recall == v(0, 2), tol);
            BOOST_TEST(m.specificity == v(0, 3), tol);
            BOOST_TEST(m.f1 == v(0, 4), tol);
            BOOST_TEST(m.auc == v(0, 5), tol);
            BOOST_TEST(m.auc_variance == v(0, 6), tol);
            BOOST_TEST(m.auc_ci_low == v(0, 7), boost::test_tools::tolerance(1e-9));
            BOOST_TEST(m.auc_ci_high == v(0, 8), boost::test_tools::tolerance(1e-9));
            BOOST_TEST(rl::youden_threshold(y, s) == v(0, 9), tol);
        }
    }
}

BOOST_AUTO_TEST_CASE(degenerate_inputs)
{
    // one class only: AUC undefined (NaN; scikit-learn raises), precision 0/0 -> 0 (zero_division=0)
    const auto m = rl::evaluate_binary({0, 0, 0}, {0.1, 0.2, 0.3});
    BOOST_TEST(std::isnan(m.auc));
    BOOST_TEST(m.precision == 0.0);
    BOOST_TEST(m.specificity == 1.0);
    BOOST_CHECK_THROW(rl::evaluate_binary({0, 2}, {0.1, 0.2}), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::evaluate_binary({0, 1}, {0.1}), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::evaluate_binary({0, 1}, {0.1, std::nan("")}), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(logistic_regression)

// sklearn.linear_model.LogisticRegression(C=C, solver="newton-cholesky", tol=1e-14) on 60 x 4 data.
BOOST_AUTO_TEST_CASE(coefficients_match_scikit_learn)
{
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/logistic_reference.txt"));
    const mat& x = reference.get("x");
    const auto y = int_row(reference.get("y"));
    for (const std::string c : {"1", "0.1"}) {
        rl::logistic_options o;
        o.c = std::stod(c);
        rl::logistic_regression model(o);
        BOOST_TEST(model.fit(x, y));
        const mat& coef = reference.get("C" + c + ".coef");
        for (rl::index j = 0; j < x.cols(); ++j) {
            BOOST_TEST(model.coefficients()(j) == coef(0, j), boost::test_tools::tolerance(1e-6));
        }
        BOOST_TEST(model.intercept() == reference.get("C" + c + ".intercept")(0, 0), boost::test_tools::tolerance(1e-6));
        const auto p = model.predict_probability(x);
        const mat& proba = reference.get("C" + c + ".proba");
        for (rl::index i = 0; i < x.rows(); ++i) {
            BOOST_TEST(p[static_cast<std::size_t>(i)] == proba(0, i), boost::test_tools::tolerance(1e-7));
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_input_throws)
{
    rl::logistic_regression model;
    mat x = mat::Zero(3, 2);
    BOOST_CHECK_THROW(model.fit(x, {0, 1}), rg::invalid_argument);
    BOOST_CHECK_THROW(model.fit(x, {0, 1, 3}), rg::invalid_argument);
    x(0, 0) = std::nan("");
    BOOST_CHECK_THROW(model.fit(x, {0, 1, 1}), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
