#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster/fcluster.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;

BOOST_AUTO_TEST_SUITE(fcluster)

// Reference: scipy.cluster.hierarchy.fcluster(Z, k, 'maxclust'), fcluster(Z, t, 'distance') and
// leaves_list(Z) with Z = linkage(X, method), SciPy 1.10.1 (generate_cluster_fixtures.py).
BOOST_AUTO_TEST_CASE(equals_scipy_fcluster_and_leaves_list)
{
    for (const auto& name : rg_cluster_test::euclidean_sets()) {
        const auto t = rg_cluster_test::table("fcluster_" + name + ".csv");
        const std::size_t c_method = t.column("method");
        const std::size_t c_criterion = t.column("criterion");
        const std::size_t c_t = t.column("t");
        const std::size_t c_point = t.column("point");
        const std::size_t c_label = t.column("label");
        // (method, criterion, t) -> expected labels / leaves
        std::map<std::tuple<std::string, std::string, double>, std::vector<long>> expected;
        for (std::size_t r = 0; r < t.row_count(); ++r) {
            auto& v = expected[{t.rows[r][c_method], t.rows[r][c_criterion], t.number(r, c_t)}];
            const auto p = static_cast<std::size_t>(t.number(r, c_point));
            v.resize(std::max(v.size(), p + 1));
            v[p] = static_cast<long>(t.number(r, c_label));
        }
        std::size_t checked = 0;
        for (const auto& [key, labels] : expected) {
            const auto& [method, criterion, threshold] = key;
            // Cut the reference tree so that this test checks fcluster alone.
            const auto z = rg_cluster_test::reference_linkage(name, method);
            std::vector<long> got;
            if (criterion == "maxclust") {
                const auto l = rc::fcluster_maxclust(z, static_cast<std::size_t>(threshold));
                got.assign(l.begin(), l.end());
            } else if (criterion == "distance") {
                const auto l = rc::fcluster_distance(z, threshold);
                got.assign(l.begin(), l.end());
            } else {
                const auto l = rc::leaves_list(z);
                got.assign(l.begin(), l.end());
            }
            BOOST_TEST_CONTEXT(name << "/" << method << "/" << criterion << " t=" << threshold)
            {
                BOOST_TEST(got == labels, boost::test_tools::per_element());
            }
            ++checked;
        }
        BOOST_TEST(checked > 50u);
    }
}

BOOST_AUTO_TEST_CASE(k_at_least_n_gives_singletons_and_k_one_gives_one_cluster)
{
    const auto z = rg_cluster_test::reference_linkage("gauss", "ward");
    const std::size_t n = static_cast<std::size_t>(z.rows()) + 1;
    for (const std::size_t k : {n - 1, n, n + 5}) {
        const auto labels = rc::fcluster_maxclust(z, k);
        std::set<int> distinct(labels.begin(), labels.end());
        // Documented maxclust behaviour (SciPy >= 1.11): at most k clusters with the lowest threshold.
        BOOST_TEST(distinct.size() == std::min(k, n));
    }
    const auto one = rc::fcluster_maxclust(z, 1);
    BOOST_TEST(std::set<int>(one.begin(), one.end()).size() == 1u);
    BOOST_CHECK_THROW(rc::fcluster_maxclust(z, 0), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(malformed_linkage_throws)
{
    rc::linkage_matrix z(2, 4);
    z << 0, 1, 1.0, 2, 2, 7, 2.0, 3;  // id 7 does not exist for n = 3
    BOOST_CHECK_THROW(rc::fcluster_distance(z, 1.0), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::leaves_list(rc::linkage_matrix(0, 4)), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
