#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster/adjusted_rand_index.hpp"

namespace rc = radiogenomics::cluster;

namespace {

std::vector<int> parse_labels(const std::string& text)
{
    std::istringstream in(text);
    std::vector<int> out;
    int v = 0;
    while (in >> v) {
        out.push_back(v);
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adjusted_rand_index)

// Reference: sklearn.metrics.adjusted_rand_score (scikit-learn 1.2.1),
// tests/fixtures/cluster/generate_adjusted_rand_index.py -> adjusted_rand_index.csv (identical, relabelled,
// the scikit-learn documentation examples, single clusters, anti-correlated and random labellings).
BOOST_AUTO_TEST_CASE(matches_scikit_learn)
{
    const auto table = rg_cluster_test::table("adjusted_rand_index.csv");
    BOOST_REQUIRE_GE(table.row_count(), 10u);
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        const auto a = parse_labels(table.rows[r][table.column("labels_a")]);
        const auto b = parse_labels(table.rows[r][table.column("labels_b")]);
        BOOST_REQUIRE_EQUAL(a.size(), b.size());
        const double expected = table.number(r, table.column("ari"));
        BOOST_TEST_CONTEXT(table.rows[r][0])
        {
            BOOST_CHECK_SMALL(rc::adjusted_rand_index(a, b) - expected, 1e-12);
            BOOST_CHECK_SMALL(rc::adjusted_rand_index(b, a) - expected, 1e-12);  // symmetric
        }
    }
}

BOOST_AUTO_TEST_CASE(degenerate_and_bad_input)
{
    // scikit-learn returns 1.0 when the denominator vanishes: empty input, one item, all singletons
    BOOST_TEST(rc::adjusted_rand_index({}, {}) == 1.0);
    BOOST_TEST(rc::adjusted_rand_index({4}, {9}) == 1.0);
    BOOST_TEST(rc::adjusted_rand_index({1, 2, 3}, {5, 6, 7}) == 1.0);
    try {
        rc::adjusted_rand_index({1, 2}, {1});
        BOOST_FAIL("expected invalid_argument");
    } catch (const radiogenomics::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.cluster.adjusted_rand_index] labelings: got 2 and 1") == 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
