// Clustering and t-SNE take float and double observations (Eigen's habit: the tests run over the scalar
// types). Each routine reads its input once into the double working layout its algorithm needs, so a float
// matrix must give exactly the result of the same values held as double (with T = double: the identity).
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster.hpp"
#include "radiogenomics/embed.hpp"

namespace rc = radiogenomics::cluster;
namespace re = radiogenomics::embed;

namespace {

using scalar_types = boost::mpl::list<float, double>;

template <class T>
using matrix_t = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

// Fixture data rounded to T, and the same values as double.
template <class T>
matrix_t<T> as(const Eigen::MatrixXd& x)
{
    return x.cast<T>();
}

template <class T>
Eigen::MatrixXd widened(const Eigen::MatrixXd& x)
{
    return x.cast<T>().template cast<double>();
}

bool same(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_types)

BOOST_AUTO_TEST_CASE_TEMPLATE(linkage_and_fcluster_equal_double_results, T, scalar_types)
{
    for (const char* name : {"blobs", "gauss", "grid", "dups"}) {
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        for (const auto method : {rc::linkage_method::single, rc::linkage_method::complete, rc::linkage_method::average,
                                  rc::linkage_method::weighted, rc::linkage_method::centroid, rc::linkage_method::median,
                                  rc::linkage_method::ward}) {
            const rc::linkage_matrix a = rc::linkage(as<T>(x), method);
            const rc::linkage_matrix b = rc::linkage(widened<T>(x), method);
            BOOST_TEST(same(a, b), name << " " << rc::to_string(method));
            BOOST_TEST((rc::fcluster_maxclust(a, 3) == rc::fcluster_maxclust(b, 3)), name);
        }
        BOOST_TEST(same(rc::ward_linkage_features(as<T>(x)), rc::ward_linkage_features(widened<T>(x))), name);
        BOOST_TEST(same(rc::centroid_linkage_features(as<T>(x)), rc::centroid_linkage_features(widened<T>(x))), name);
        BOOST_TEST(same(rc::median_linkage_features(as<T>(x)), rc::median_linkage_features(widened<T>(x))), name);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(kmeans_and_scores_equal_double_results, T, scalar_types)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("blobs");
    rc::kmeans_options options;
    options.seed = 7;
    const auto a = rc::kmeans(as<T>(x), 3, options);
    const auto b = rc::kmeans(widened<T>(x), 3, options);
    BOOST_TEST((a.labels == b.labels));
    BOOST_TEST(same(a.centers, b.centers));
    BOOST_TEST(a.inertia == b.inertia);
    const std::vector<int> labels = rc::fcluster_maxclust(rc::linkage(widened<T>(x), rc::linkage_method::ward), 3);
    BOOST_TEST(rc::davies_bouldin_score(as<T>(x), labels) == rc::davies_bouldin_score(widened<T>(x), labels));
    BOOST_TEST(rc::calinski_harabasz_score(as<T>(x), labels) == rc::calinski_harabasz_score(widened<T>(x), labels));
    BOOST_TEST(rc::silhouette_score(as<T>(x), labels) == rc::silhouette_score(widened<T>(x), labels));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(tsne_equals_double_results, T, scalar_types)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("gauss");
    for (const auto method : {re::tsne_method::exact, re::tsne_method::barnes_hut}) {
        re::tsne_options options;
        options.method = method;
        options.perplexity = 5.0;
        options.iterations = 300;
        const auto a = re::tsne(as<T>(x), options);
        const auto b = re::tsne(widened<T>(x), options);
        BOOST_TEST(same(a.embedding, b.embedding));
        BOOST_TEST(a.kl_divergence == b.kl_divergence);
        BOOST_TEST(re::trustworthiness(as<T>(x), a.embedding, 5) == re::trustworthiness(widened<T>(x), b.embedding, 5));
    }
}

BOOST_AUTO_TEST_SUITE_END()
