#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "radiogenomics/learn/loss.hpp"
#include "radiogenomics/learn/transformer_encoder.hpp"
#include "test_paths.hpp"

namespace rl = radiogenomics::learn;

namespace {

struct torch_case {
    std::string name;
    rl::transformer_options options;
    std::vector<rl::token_group> groups;
};

// The two architectures of tests/fixtures/learn/generate_learn_fixtures.py.
torch_case group_gelu()
{
    rl::transformer_options o;
    o.d_model = 8;
    o.heads = 2;
    o.layers = 2;
    o.d_feedforward = 16;
    o.dropout = 0.0;
    return {"group_gelu", o, {{"a", 0, 3}, {"b", 3, 4}, {"c", 7, 2}}};
}

torch_case feature_relu()
{
    rl::transformer_options o;
    o.d_model = 6;
    o.heads = 3;
    o.layers = 1;
    o.d_feedforward = 12;
    o.dropout = 0.0;
    o.ffn_activation = rl::activation::relu;
    o.tokenizer = rl::tokenizer_kind::per_feature;
    return {"feature_relu", o, {{"a", 0, 2}, {"b", 2, 3}}};
}

std::vector<int> to_labels(const rl::matrix<double>& row)
{
    std::vector<int> out;
    for (rl::index j = 0; j < row.cols(); ++j) {
        out.push_back(static_cast<int>(row(0, j)));
    }
    return out;
}

double max_relative_difference(const rl::matrix<double>& ours, const rl::matrix<double>& reference)
{
    BOOST_REQUIRE_EQUAL(ours.rows(), reference.rows());
    BOOST_REQUIRE_EQUAL(ours.cols(), reference.cols());
    // Floor 1e-6: the key-projection bias has an identically zero gradient (softmax is invariant to a
    // per-row shift), where both sides are rounding noise of ~1e-17.
    const double scale = std::max(reference.cwiseAbs().maxCoeff(), 1e-6);
    return (ours - reference).cwiseAbs().maxCoeff() / scale;
}

// Loads the PyTorch weights, runs forward + weighted cross-entropy + backward and compares every
// quantity with PyTorch autograd (relative to the largest magnitude of each tensor).
void check_against_torch(const torch_case& c)
{
    rl::transformer_encoder<double> model(c.options, c.groups);
    model.load(rg_test::fixture("learn/encoder_" + c.name + "_weights.txt"));
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/encoder_" + c.name + "_reference.txt"));
    const rl::matrix<double>& x = reference.get("input");
    const auto labels = to_labels(reference.get("labels"));
    const rl::matrix<double>& w = reference.get("class_weights");
    const std::vector<double> class_weights{w(0, 0), w(0, 1)};

    const rl::matrix<double> logits = model.forward(x, rl::forward_context{});
    BOOST_TEST(max_relative_difference(logits, reference.get("logits")) < 1e-10);
    BOOST_TEST(max_relative_difference(model.last_embedding(), reference.get("embedding")) < 1e-10);
    const auto loss = rl::cross_entropy(logits, labels, class_weights);
    BOOST_TEST(std::abs(loss.value - reference.get("loss")(0, 0)) < 1e-10 * std::abs(reference.get("loss")(0, 0)));
    rl::zero_grad(model.parameters());
    model.backward(loss.grad_logits);
    for (auto* p : model.parameters()) {
        BOOST_TEST_CONTEXT("parameter " << p->name)
        {
            BOOST_TEST(max_relative_difference(p->grad, reference.get("grad." + p->name)) < 1e-10);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(transformer_encoder)

BOOST_AUTO_TEST_CASE(group_tokens_gelu_match_pytorch_autograd)
{
    check_against_torch(group_gelu());
}

BOOST_AUTO_TEST_CASE(per_feature_tokens_relu_match_pytorch_autograd)
{
    check_against_torch(feature_relu());
}

BOOST_AUTO_TEST_CASE(float_forward_matches_pytorch_to_1e_5)
{
    const torch_case c = group_gelu();
    rl::transformer_encoder<float> model(c.options, c.groups);
    model.load(rg_test::fixture("learn/encoder_group_gelu_weights.txt"));
    const auto reference = rl::read_named_matrices(rg_test::fixture("learn/encoder_group_gelu_reference.txt"));
    const rl::matrix<float> x = reference.get("input").cast<float>();
    const rl::matrix<float> logits = model.forward(x, rl::forward_context{});
    BOOST_TEST(max_relative_difference(logits.cast<double>(), reference.get("logits")) < 1e-5);
}

// A trained model's inference is const and keeps nothing: `predict` and `embed` on one model from several
// threads at once give the serial outputs bit for bit, which themselves are PyTorch's logits and embedding
// (encoder_group_gelu_reference.txt) - and a training forward/backward in between leaves them unchanged.
BOOST_AUTO_TEST_CASE(const_predict_is_thread_safe)
{
    for (const torch_case& c : {group_gelu(), feature_relu()}) {
        rl::transformer_encoder<double> trained(c.options, c.groups);
        trained.load(rg_test::fixture("learn/encoder_" + c.name + "_weights.txt"));
        const auto reference = rl::read_named_matrices(rg_test::fixture("learn/encoder_" + c.name + "_reference.txt"));
        const rl::matrix<double>& x = reference.get("input");
        const rl::transformer_encoder<double>& model = trained;
        const rl::matrix<double> serial = model.predict(x);
        const rl::matrix<double> serial_embedding = model.embed(x);
        BOOST_TEST(max_relative_difference(serial, reference.get("logits")) < 1e-10);
        BOOST_TEST(max_relative_difference(serial_embedding, reference.get("embedding")) < 1e-10);

        constexpr int n_threads = 6;
        constexpr int repeats = 20;
        std::vector<int> mismatches(n_threads, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < n_threads; ++t) {
            threads.emplace_back([&, t] {
                for (int r = 0; r < repeats; ++r) {
                    // Each thread alternates between the whole batch and a sub-batch of its own.
                    const rl::index rows = 1 + (t + r) % x.rows();
                    const rl::matrix<double> part = x.topRows(rows);
                    if (model.predict(part) != serial.topRows(rows) || model.embed(part) != serial_embedding.topRows(rows)) {
                        ++mismatches[static_cast<std::size_t>(t)];
                    }
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        for (int t = 0; t < n_threads; ++t) {
            BOOST_TEST(mismatches[static_cast<std::size_t>(t)] == 0, c.name << " thread " << t);
        }
        // Training state does not leak into inference.
        rl::zero_grad(trained.parameters());
        const auto loss = rl::cross_entropy(trained.forward(x, rl::forward_context{}), to_labels(reference.get("labels")),
                                            {1.0, 1.0});
        trained.backward(loss.grad_logits);
        BOOST_TEST((model.predict(x) == serial));
    }
}

BOOST_AUTO_TEST_CASE(save_load_round_trip_is_exact)
{
    const torch_case c = group_gelu();
    rl::transformer_options o = c.options;
    o.seed = 11;
    rl::transformer_encoder<double> a(o, c.groups);
    const std::string path = "learn_roundtrip_weights.txt";
    a.save(path);
    o.seed = 12;
    rl::transformer_encoder<double> b(o, c.groups);
    b.load(path);
    auto pa = a.parameters();
    auto pb = b.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        BOOST_TEST((pa[i]->value.array() == pb[i]->value.array()).all());
    }
    std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(load_refuses_a_mismatched_file)
{
    const torch_case c = group_gelu();
    rl::transformer_options o = c.options;
    o.d_model = 4;  // different width: the model line differs
    rl::transformer_encoder<double> model(o, c.groups);
    BOOST_CHECK_EXCEPTION(model.load(rg_test::fixture("learn/encoder_group_gelu_weights.txt")), radiogenomics::io_error,
                          [](const radiogenomics::io_error& e) {
                              return std::string(e.what()).find("another configuration") != std::string::npos;
                          });
    BOOST_CHECK_THROW(model.load(rg_test::fixture("learn/generate_learn_fixtures.py")), radiogenomics::io_error);
    BOOST_CHECK_THROW(model.load("no_such_weights_file.txt"), radiogenomics::io_error);
}

BOOST_AUTO_TEST_CASE(bad_input_is_rejected)
{
    const torch_case c = group_gelu();
    rl::transformer_encoder<double> model(c.options, c.groups);
    rl::matrix<double> x = rl::matrix<double>::Zero(2, 8);
    BOOST_CHECK_THROW(model.forward(x, rl::forward_context{}), radiogenomics::invalid_argument);
    x = rl::matrix<double>::Zero(2, 9);
    x(1, 3) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(model.forward(x, rl::forward_context{}), radiogenomics::invalid_argument);
    rl::transformer_options bad = c.options;
    bad.heads = 3;
    BOOST_CHECK_THROW(rl::transformer_encoder<double>(bad, c.groups), radiogenomics::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
