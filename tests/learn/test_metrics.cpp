#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

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

namespace {

/// Every field of two metric results, bit for bit.
void check_identical(const rl::binary_metrics& a, const rl::binary_metrics& b)
{
    BOOST_TEST(a.confusion.tn == b.confusion.tn);
    BOOST_TEST(a.confusion.fp == b.confusion.fp);
    BOOST_TEST(a.confusion.fn == b.confusion.fn);
    BOOST_TEST(a.confusion.tp == b.confusion.tp);
    for (const auto field : {&rl::binary_metrics::accuracy, &rl::binary_metrics::precision, &rl::binary_metrics::recall,
                             &rl::binary_metrics::specificity, &rl::binary_metrics::f1, &rl::binary_metrics::auc,
                             &rl::binary_metrics::auc_variance, &rl::binary_metrics::auc_ci_low,
                             &rl::binary_metrics::auc_ci_high}) {
        const double got = a.*field;
        const double expected = b.*field;
        BOOST_TEST(got == expected);
    }
}

}  // namespace

// float32 scores (a model trained in float) read in place: scikit-learn 1.2.1 on the float32 array
// (generate_metrics_float32.py), scores on and beside the 0.5 threshold and tied across classes. A std::vector<float>,
// an Eigen column of a float matrix and the same values in double all give scikit-learn's values, and float gives
// the double results bit for bit.
BOOST_AUTO_TEST_CASE(float_scores_match_scikit_learn_and_double)
{
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/metrics_float32_reference.txt"));
    const auto y = int_row(reference.get("float32.labels"));
    const auto as_double = double_row(reference.get("float32.scores"));
    std::vector<float> as_float;
    for (const double v : as_double) {
        as_float.push_back(static_cast<float>(v));
        BOOST_TEST_REQUIRE(static_cast<double>(as_float.back()) == v);  // the fixture holds float32 values
    }
    Eigen::MatrixXf model_output(as_float.size(), 2);  // a column-major float matrix, class 1 in column 1
    for (std::size_t i = 0; i < as_float.size(); ++i) {
        model_output(static_cast<Eigen::Index>(i), 0) = 1.0F - as_float[i];
        model_output(static_cast<Eigen::Index>(i), 1) = as_float[i];
    }
    const mat& v = reference.get("float32.values");
    const mat& cm = reference.get("float32.confusion");
    const auto from_double = rl::evaluate_binary(y, as_double);
    const auto from_float = rl::evaluate_binary(y, as_float);
    const auto from_eigen = rl::evaluate_binary(y, model_output.col(1));
    BOOST_TEST(from_double.confusion.tn == cm(0, 0));
    BOOST_TEST(from_double.confusion.fp == cm(0, 1));
    BOOST_TEST(from_double.confusion.fn == cm(1, 0));
    BOOST_TEST(from_double.confusion.tp == cm(1, 1));
    const auto tol = boost::test_tools::tolerance(1e-12);
    BOOST_TEST(from_double.accuracy == v(0, 0), tol);
    BOOST_TEST(from_double.precision == v(0, 1), tol);
    BOOST_TEST(from_double.recall == v(0, 2), tol);
    BOOST_TEST(from_double.specificity == v(0, 3), tol);
    BOOST_TEST(from_double.f1 == v(0, 4), tol);
    BOOST_TEST(from_double.auc == v(0, 5), tol);
    BOOST_TEST(from_double.auc_variance == v(0, 6), tol);
    BOOST_TEST(from_double.auc_ci_low == v(0, 7), boost::test_tools::tolerance(1e-9));
    BOOST_TEST(from_double.auc_ci_high == v(0, 8), boost::test_tools::tolerance(1e-9));
    check_identical(from_float, from_double);
    check_identical(from_eigen, from_double);
    // the Youden threshold is one of the float32 scores, returned exactly
    BOOST_TEST(rl::youden_threshold(y, as_float) == v(0, 9));
    BOOST_TEST(rl::youden_threshold(y, model_output.col(1)) == v(0, 9));
    BOOST_TEST(rl::youden_threshold(y, as_double) == v(0, 9));
    BOOST_TEST(rl::roc_auc(y, as_float) == rl::roc_auc(y, as_double));
    // the float path at other thresholds, including one between two floats
    for (const double t : {0.25, 0.5, 0.75, static_cast<double>(as_float[2]), 0.30000000000000004}) {
        const auto a = rl::confusion(y, as_float, t);
        const auto b = rl::confusion(y, as_double, t);
        BOOST_TEST((a.tn == b.tn && a.fp == b.fp && a.fn == b.fn && a.tp == b.tp), "threshold " << t);
    }
}

BOOST_AUTO_TEST_CASE(score_views_refuse_what_they_cannot_read_in_place)
{
    const Eigen::MatrixXd m = Eigen::MatrixXd::Constant(3, 2, 0.5);
    const std::vector<int> y{0, 1, 0};
    BOOST_CHECK_THROW(rl::roc_auc(y, m), rg::invalid_argument);         // a matrix, not a vector
    BOOST_CHECK_THROW(rl::roc_auc({0, 1}, m.row(0)), rg::invalid_argument);  // strided (a row of a column-major matrix)
    BOOST_CHECK_NO_THROW(rl::roc_auc({0, 1}, Eigen::VectorXd(m.row(0).transpose())));
    // a braced list is copied into the view, and a copy of that view reads its own copy
    const rl::score_view listed{0.2, 0.8};
    const rl::score_view copied(listed);
    BOOST_TEST((copied.size() == 2u && copied[0] == 0.2 && copied[1] == 0.8));
    BOOST_TEST(rl::roc_auc({0, 1}, copied) == 1.0);
    const std::vector<float> with_nan{0.1F, std::numeric_limits<float>::quiet_NaN(), 0.3F};
    BOOST_CHECK_THROW(rl::evaluate_binary(y, with_nan), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::delong_auc(y, std::vector<float>{0.1F, 0.2F, 0.3F}, 1.0), rg::invalid_argument);
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
