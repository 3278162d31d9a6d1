#include <boost/test/unit_test.hpp>

#include <string>

#include "radiogenomics/learn/loss.hpp"
#include "radiogenomics/learn/optimizer.hpp"
#include "radiogenomics/learn/serialization.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;
using mat = rl::matrix<double>;

BOOST_AUTO_TEST_SUITE(optimizer)

// Four steps with a fixed gradient sequence; expected trajectories from torch.optim (fixture
// generate_learn_fixtures.py: AdamW(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05),
// SGD(lr=0.1, momentum=0.9, weight_decay=0.01) with and without nesterov).
BOOST_AUTO_TEST_CASE(trajectories_match_torch_optim)
{
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/optimizer_reference.txt"));
    struct setting {
        std::string tag;
        rl::optimizer_options options;
    };
    rl::optimizer_options adamw;
    adamw.learning_rate = 0.01;
    adamw.weight_decay = 0.05;
    rl::optimizer_options sgd;
    sgd.kind = rl::optimizer_kind::sgd;
    sgd.learning_rate = 0.1;
    sgd.momentum = 0.9;
    sgd.weight_decay = 0.01;
    rl::optimizer_options nesterov = sgd;
    nesterov.nesterov = true;
    for (const auto& s : {setting{"adamw", adamw}, setting{"sgd", sgd}, setting{"sgd_nesterov", nesterov}}) {
        rl::parameter<double> p;
        p.resize("p", 3, 2);
        p.value = reference.get("initial");
        rl::optimizer<double> opt({&p}, s.options);
        for (int i = 0; i < 4; ++i) {
            p.grad = reference.get("grad." + std::to_string(i));
            opt.step();
            const mat& expected = reference.get(s.tag + "." + std::to_string(i));
            BOOST_TEST_INFO(s.tag << " step " << i);
            BOOST_TEST((p.value - expected).cwiseAbs().maxCoeff() < 1e-13 * expected.cwiseAbs().maxCoeff());
        }
    }
}

BOOST_AUTO_TEST_CASE(warmup_then_cosine_schedule)
{
    // warm-up: lr (s+1)/W; then 0.5 lr (1 + cos(pi (s-W)/(S-W)))
    BOOST_TEST(rl::scheduled_learning_rate(1.0, 0, 100, 10, true) == 0.1, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(rl::scheduled_learning_rate(1.0, 9, 100, 10, true) == 1.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(rl::scheduled_learning_rate(1.0, 10, 100, 10, true) == 1.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(rl::scheduled_learning_rate(1.0, 55, 100, 10, true) == 0.5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(rl::scheduled_learning_rate(1.0, 100, 100, 10, true) < 1e-15);
    BOOST_TEST(rl::scheduled_learning_rate(0.3, 50, 100, 0, false) == 0.3);
}

BOOST_AUTO_TEST_CASE(bad_settings_throw)
{
    rl::parameter<double> p;
    p.resize("p", 1, 1);
    rl::optimizer_options o;
    o.learning_rate = -1;
    BOOST_CHECK_THROW(rl::optimizer<double>({&p}, o), rg::invalid_argument);
    o = {};
    o.beta2 = 1.0;
    BOOST_CHECK_THROW(rl::optimizer<double>({&p}, o), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(loss)

BOOST_AUTO_TEST_CASE(weighted_cross_entropy_is_pytorch_weighted_mean)
{
    // Two rows: -log softmax = log(1 + e^{-1}) for row 0 (class 0) and log(1 + e^{2}) for row 1
    // (class 1, logits 2 vs 0 in favour of class 0). PyTorch: sum w_y l / sum w_y.
    mat logits(2, 2);
    logits << 1.0, 0.0, 2.0, 0.0;
    const auto l = rl::cross_entropy(logits, {0, 1}, {0.5, 2.0});
    const double l0 = std::log1p(std::exp(-1.0));
    const double l1 = std::log1p(std::exp(2.0));
    BOOST_TEST(l.value == (0.5 * l0 + 2.0 * l1) / 2.5, boost::test_tools::tolerance(1e-14));
    const auto plain = rl::cross_entropy(logits, {0, 1});
    BOOST_TEST(plain.value == 0.5 * (l0 + l1), boost::test_tools::tolerance(1e-14));
    BOOST_CHECK_THROW(rl::cross_entropy(logits, {0, 2}), rg::invalid_argument);
    BOOST_CHECK_THROW(rl::cross_entropy(logits, {0}), rg::invalid_argument);
    // sklearn.utils.class_weight.compute_class_weight('balanced', classes=[0,1], y=[0,0,0,1]) = [2/3, 2]
    const auto w = rl::balanced_class_weights({0, 0, 0, 1});
    BOOST_TEST(w[0] == 2.0 / 3.0, boost::test_tools::tolerance(1e-15));
    BOOST_TEST(w[1] == 2.0, boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_SUITE_END()
