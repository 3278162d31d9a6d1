#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster/cluster_scores.hpp"
#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;

namespace {
bool close(double got, double expected, double tolerance = 1e-12)
{
    return std::abs(got - expected) <= tolerance * std::max(1.0, std::abs(expected));
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_scores)

// Reference: sklearn.metrics.davies_bouldin_score / silhouette_score / calinski_harabasz_score
// (scikit-learn 1.2.1) on labels fcluster(linkage(X, method), k, 'maxclust'); scores.csv.
BOOST_AUTO_TEST_CASE(equal_scikit_learn)
{
    const auto t = rg_cluster_test::table("scores.csv");
    std::size_t checked = 0;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string name = t.rows[r][t.column("dataset")];
        const std::string method = t.rows[r][t.column("method")];
        const auto k = static_cast<std::size_t>(t.number(r, t.column("k")));
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        const auto labels = rc::fcluster_maxclust(rg_cluster_test::reference_linkage(name, method), k);
        BOOST_TEST_CONTEXT(name << "/" << method << " k=" << k)
        {
            BOOST_TEST(close(rc::davies_bouldin_score(x, labels), t.number(r, t.column("davies_bouldin"))));
            BOOST_TEST(close(rc::silhouette_score(x, labels), t.number(r, t.column("silhouette"))));
            BOOST_TEST(close(rc::calinski_harabasz_score(x, labels), t.number(r, t.column("calinski_harabasz"))));
        }
        ++checked;
    }
    BOOST_TEST(checked > 100u);
}

BOOST_AUTO_TEST_CASE(scan_picks_three_blobs_and_matches_reference_curve)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("blobs");
    const auto z = rc::linkage(x, rc::linkage_method::ward);
    rc::cluster_scan_options options;
    options.k_min = 2;
    options.k_max = 6;
    const auto scan = rc::scan_cluster_count(x, z, options);
    BOOST_TEST(scan.best_k == 3u);
    BOOST_REQUIRE_EQUAL(scan.rows.size(), 5u);
    const auto t = rg_cluster_test::table("scores.csv");
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        if (t.rows[r][0] != "blobs" || t.rows[r][1] != "ward") {
            continue;
        }
        const auto k = static_cast<std::size_t>(t.number(r, 2));
        BOOST_TEST(close(scan.rows[k - 2].davies_bouldin, t.number(r, 3)));
        BOOST_TEST(close(scan.rows[k - 2].silhouette, t.number(r, 4)));
    }
}

BOOST_AUTO_TEST_CASE(silhouette_is_thread_count_independent_and_labels_may_be_arbitrary)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("gauss");
    std::vector<int> labels(static_cast<std::size_t>(x.rows()));
    std::vector<int> shifted(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        labels[i] = static_cast<int>(i % 4);
        shifted[i] = 100 - 7 * labels[i];  // same partition, different (reversed) label values
    }
    std::vector<double> one;
    {
        rg::thread_count_guard guard(1);
        one = rc::silhouette_samples(x, labels);
    }
    const auto many = rc::silhouette_samples(x, labels);
    BOOST_TEST(one == many, boost::test_tools::per_element());
    BOOST_TEST(rc::silhouette_score(x, shifted) == rc::silhouette_score(x, labels));
    BOOST_TEST(close(rc::davies_bouldin_score(x, shifted), rc::davies_bouldin_score(x, labels), 1e-14));
}

BOOST_AUTO_TEST_CASE(degenerate_and_bad_input)
{
    Eigen::MatrixXd x(4, 1);
    x << 0, 0, 1, 1;
    const std::vector<int> two{0, 0, 1, 1};
    // Zero within-cluster spread: scikit-learn returns DBI 0 and CH 1.
    BOOST_TEST(rc::davies_bouldin_score(x, two) == 0.0);
    BOOST_TEST(rc::calinski_harabasz_score(x, two) == 1.0);
    BOOST_TEST(rc::silhouette_score(x, two) == 1.0);
    // Singleton cluster members get silhouette 0.
    const auto s = rc::silhouette_samples(x, std::vector<int>{0, 0, 1, 2});
    BOOST_TEST(s[3] == 0.0);
    BOOST_CHECK_THROW(rc::davies_bouldin_score(x, std::vector<int>{0, 0, 0, 0}), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::silhouette_score(x, std::vector<int>{0, 1, 2, 3}), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::calinski_harabasz_score(x, std::vector<int>{0, 1}), rg::invalid_argument);
    x(1, 0) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(rc::davies_bouldin_score(x, two), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
