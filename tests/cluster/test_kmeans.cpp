#include <boost/test/unit_test.hpp>

#include <set>
#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster/kmeans.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;

BOOST_AUTO_TEST_SUITE(kmeans)

// The blobs fixture holds rows 0-19, 20-39, 40-59 drawn around three centres 6 apart with sd 0.7:
// k-means must recover exactly that partition.
BOOST_AUTO_TEST_CASE(recovers_separated_blobs)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("blobs");
    const auto result = rc::kmeans(x, 3);
    BOOST_TEST(result.converged);
    for (int block = 0; block < 3; ++block) {
        std::set<int> labels;
        for (int i = 0; i < 20; ++i) {
            labels.insert(result.labels[static_cast<std::size_t>(block * 20 + i)]);
        }
        BOOST_TEST(labels.size() == 1u);
    }
    BOOST_TEST(std::set<int>(result.labels.begin(), result.labels.end()).size() == 3u);
    // Inertia equals the sum of squared distances to the returned centres.
    double inertia = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        inertia += (x.row(i) - result.centers.row(result.labels[static_cast<std::size_t>(i)])).squaredNorm();
    }
    BOOST_TEST(std::abs(inertia - result.inertia) <= 1e-9 * inertia);
}

BOOST_AUTO_TEST_CASE(same_seed_same_result_for_any_thread_count)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("gauss");
    rc::kmeans_options options;
    options.seed = 42;
    rc::kmeans_result one;
    {
        rg::thread_count_guard guard(1);
        one = rc::kmeans(x, 4, options);
    }
    const auto many = rc::kmeans(x, 4, options);
    BOOST_TEST(one.labels == many.labels, boost::test_tools::per_element());
    BOOST_TEST(one.inertia == many.inertia);
}

BOOST_AUTO_TEST_CASE(edge_cases)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("dups");
    const auto n = static_cast<std::size_t>(x.rows());
    BOOST_CHECK_THROW(rc::kmeans(x, n + 1), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::kmeans(x, 0), rg::invalid_argument);
    // k = number of distinct points: inertia 0 (duplicates share a centre).
    const auto exact = rc::kmeans(x, 12);
    BOOST_TEST(exact.inertia <= 1e-24);  // only rounding of the duplicate means
    const auto single = rc::kmeans(x, 1);
    BOOST_TEST(std::set<int>(single.labels.begin(), single.labels.end()).size() == 1u);
    const Eigen::MatrixXd flat = Eigen::MatrixXd::Constant(6, 2, 3.0);
    BOOST_TEST(rc::kmeans(flat, 2).inertia == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
