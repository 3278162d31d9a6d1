#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

#include "radiogenomics/learn/encoder_layer.hpp"
#include "radiogenomics/learn/grad_check.hpp"
#include "radiogenomics/learn/loss.hpp"
#include "radiogenomics/learn/transformer_encoder.hpp"

namespace rg = radiogenomics;
namespace rl = radiogenomics::learn;
using mat = rl::matrix<double>;

// Every layer's analytic gradients (parameters AND input) against central finite differences.
// The scalar loss is L = sum(forward(x) .* R) for a fixed random R, so dL/dy = R.

namespace {

mat random_matrix(rl::index rows, rl::index cols, std::uint64_t seed, double scale = 1.0)
{
    rg::random_engine engine(seed);
    mat m(rows, cols);
    for (rl::index j = 0; j < cols; ++j) {
        for (rl::index i = 0; i < rows; ++i) {
            m(i, j) = scale * rg::standard_normal(engine);
        }
    }
    return m;
}

// Relative-error floor 1e-3: a gradient smaller than that (e.g. the key bias, whose gradient is
// exactly zero) is checked in absolute terms at 1e-9.
constexpr double step = 1e-5;
constexpr double floor_value = 1e-3;
constexpr double tolerance = 1e-6;

// Checks d(sum(f(x) .* R))/dx by central differences on every input coefficient.
void check_input_gradient(const std::function<mat(const mat&)>& forward, const mat& x, const mat& r, const mat& analytic)
{
    double worst = 0.0;
    mat probe = x;
    for (rl::index k = 0; k < x.size(); ++k) {
        const double saved = probe.data()[k];
        probe.data()[k] = saved + step;
        const double plus = forward(probe).cwiseProduct(r).sum();
        probe.data()[k] = saved - step;
        const double minus = forward(probe).cwiseProduct(r).sum();
        probe.data()[k] = saved;
        const double numeric = (plus - minus) / (2 * step);
        const double a = analytic.data()[k];
        worst = std::max(worst, std::abs(a - numeric) / std::max(std::abs(a) + std::abs(numeric), floor_value));
    }
    BOOST_TEST(worst < tolerance);
}

template <class TLayer>
void check_layer(TLayer& layer, const std::function<mat(TLayer&, const mat&)>& forward, const mat& x, std::uint64_t seed)
{
    const mat y = forward(layer, x);
    const mat r = random_matrix(y.rows(), y.cols(), seed);
    auto parameters = layer.parameters();
    rl::zero_grad(parameters);
    forward(layer, x);
    const mat grad_x = layer.backward(r);
    const auto result = rl::check_gradients<double>(
        parameters, [&] { return forward(layer, x).cwiseProduct(r).sum(); }, step, 64, floor_value);
    BOOST_TEST_INFO("worst " << result.worst_parameter << " (" << result.worst_row << "," << result.worst_col << ")");
    BOOST_TEST(result.max_relative_error < tolerance);
    BOOST_TEST(result.checked > 0);
    check_input_gradient([&](const mat& probe) { return forward(layer, probe); }, x, r, grad_x);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layers)

BOOST_AUTO_TEST_CASE(linear_gradients)
{
    rg::random_engine engine(1);
    rl::linear<double> layer("fc", 5, 3, engine);
    layer.bias().value = random_matrix(1, 3, 2);
    check_layer<rl::linear<double>>(layer, [](auto& l, const mat& x) { return l.forward(x); }, random_matrix(4, 5, 3), 4);
}

BOOST_AUTO_TEST_CASE(layer_norm_gradients)
{
    rl::layer_norm<double> layer("ln", 6);
    auto p = layer.parameters();
    p[0]->value = mat::Ones(1, 6) + random_matrix(1, 6, 5, 0.3);
    p[1]->value = random_matrix(1, 6, 6, 0.2);
    check_layer<rl::layer_norm<double>>(layer, [](auto& l, const mat& x) { return l.forward(x); }, random_matrix(5, 6, 7), 8);
}

BOOST_AUTO_TEST_CASE(layer_norm_output_has_zero_mean_unit_variance)
{
    rl::layer_norm<double> layer("ln", 4);
    const mat y = layer.forward(random_matrix(3, 4, 9, 5.0));
    for (rl::index r = 0; r < 3; ++r) {
        BOOST_TEST(std::abs(y.row(r).mean()) < 1e-12);
        // biased variance is 1 - eps/(var+eps) ~ 1 for a large spread
        BOOST_TEST(std::abs((y.row(r).array() - y.row(r).mean()).square().mean() - 1.0) < 1e-5);
    }
}

BOOST_AUTO_TEST_CASE(feed_forward_gradients_gelu_and_relu)
{
    for (const auto kind : {rl::activation::gelu, rl::activation::relu}) {
        rg::random_engine engine(10);
        rl::feed_forward<double> layer("ff", 4, 7, kind, 0.0, engine);
        check_layer<rl::feed_forward<double>>(
            layer, [](auto& l, const mat& x) { return l.forward(x, rl::forward_context{}); }, random_matrix(6, 4, 11), 12);
    }
}

BOOST_AUTO_TEST_CASE(gelu_is_the_exact_erf_form)
{
    // torch.nn.functional.gelu(torch.tensor([-1.5, 0.3, 2.0], dtype=torch.float64)).tolist()
    // (PyTorch 1.13, approximate='none') = [-0.10021080190328704, 0.1853734266566858, 1.9544997361036416]
    BOOST_TEST(rl::detail::apply_activation(rl::activation::gelu, -1.5) == -0.10021080190328704,
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(rl::detail::apply_activation(rl::activation::gelu, 0.3) == 0.1853734266566858,
               boost::test_tools::tolerance(1e-14));
    BOOST_TEST(rl::detail::apply_activation(rl::activation::gelu, 2.0) == 1.9544997361036416,
               boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(attention_gradients)
{
    rg::random_engine engine(13);
    rl::multi_head_attention<double> layer("attn", 6, 2, 0.0, engine);
    for (auto* p : layer.parameters()) {
        if (p->name.find("bias") != std::string::npos) {
            p->value = random_matrix(1, p->value.cols(), 14, 0.3);
        }
    }
    check_layer<rl::multi_head_attention<double>>(
        layer, [](auto& l, const mat& x) { return l.forward(x, 4, rl::forward_context{}); }, random_matrix(3 * 4, 6, 15), 16);
}

BOOST_AUTO_TEST_CASE(attention_rows_are_probabilities)
{
    rg::random_engine engine(17);
    rl::multi_head_attention<double> layer("attn", 4, 2, 0.0, engine);
    layer.forward(random_matrix(2 * 3, 4, 18), 3, rl::forward_context{});
    for (rl::index s = 0; s < 2; ++s) {
        for (rl::index h = 0; h < 2; ++h) {
            const mat& p = layer.attention(s, h);
            BOOST_TEST((p.array() >= 0).all());
            BOOST_TEST((p.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-14);
        }
    }
}

BOOST_AUTO_TEST_CASE(encoder_layer_gradients_with_dropout_masks)
{
    // Training mode with dropout 0.2: the engine is re-seeded for every evaluation, so the masks are
    // the same in each and the loss is a smooth function of the parameters.
    rg::random_engine init(19);
    rl::encoder_layer<double> layer("layer", 6, 3, 10, rl::activation::gelu, 0.2, init);
    auto forward = [](rl::encoder_layer<double>& l, const mat& x) {
        rg::random_engine masks(99);
        return l.forward(x, 3, rl::forward_context{true, &masks});
    };
    check_layer<rl::encoder_layer<double>>(layer, forward, random_matrix(4 * 3, 6, 20), 21);
}

BOOST_AUTO_TEST_CASE(dropout_is_seeded_and_scaled)
{
    rl::dropout<double> drop(0.25);
    const mat x = mat::Ones(200, 50);
    rg::random_engine a(5);
    rg::random_engine b(5);
    const mat ya = drop.forward(x, rl::forward_context{true, &a});
    const mat yb = drop.forward(x, rl::forward_context{true, &b});
    BOOST_TEST((ya.array() == yb.array()).all());
    const double kept = (ya.array() > 0).cast<double>().mean();
    BOOST_TEST(std::abs(kept - 0.75) < 0.02);                               // 10000 Bernoulli(0.75): sd 0.0043
    BOOST_TEST((ya.array() == 0 || (ya.array() - 1.0 / 0.75).abs() < 1e-15).all());
    BOOST_TEST((drop.forward(x, rl::forward_context{}).array() == x.array()).all());  // identity in evaluation
    BOOST_CHECK_THROW(rl::dropout<double>(1.0), rg::invalid_argument);
    BOOST_CHECK_THROW(drop.forward(x, rl::forward_context{true, nullptr}), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(whole_model_gradients_both_tokenizers)
{
    for (const auto tokenizer : {rl::tokenizer_kind::group_projection, rl::tokenizer_kind::per_feature}) {
        rl::transformer_options o;
        o.d_model = 6;
        o.heads = 2;
        o.layers = 2;
        o.d_feedforward = 8;
        o.dropout = 0.1;
        o.tokenizer = tokenizer;
        o.seed = 22;
        rl::transformer_encoder<double> model(o, {{"a", 0, 3}, {"b", 3, 2}, {"c", 5, 0}});  // "c" is empty
        const mat x = random_matrix(5, 5, 23);
        const std::vector<int> labels{0, 1, 1, 0, 1};
        auto loss = [&](bool backward) {
            rg::random_engine masks(7);
            const mat logits = model.forward(x, rl::forward_context{true, &masks});
            const auto l = rl::cross_entropy(logits, labels, {0.6, 1.4});
            if (backward) {
                model.backward(l.grad_logits);
            }
            return l.value;
        };
        auto parameters = model.parameters();
        rl::zero_grad(parameters);
        loss(true);
        const auto result = rl::check_gradients<double>(parameters, [&] { return loss(false); }, step, 32, floor_value);
        BOOST_TEST_INFO("worst " << result.worst_parameter << " (" << result.worst_row << "," << result.worst_col << ")");
        BOOST_TEST(result.max_relative_error < tolerance);
        BOOST_TEST(model.embed(x).cols() == 6);
    }
}

BOOST_AUTO_TEST_SUITE_END()
