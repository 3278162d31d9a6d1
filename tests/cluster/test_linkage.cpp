#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "cluster_fixtures.hpp"
#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/core/random.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;
using rg_cluster_test::reference_linkage;

namespace {

void check_same_linkage(const rc::linkage_matrix& got, const rc::linkage_matrix& expected, const std::string& what)
{
    BOOST_TEST_CONTEXT(what)
    {
        BOOST_REQUIRE_EQUAL(got.rows(), expected.rows());
        for (Eigen::Index r = 0; r < got.rows(); ++r) {
            BOOST_TEST_CONTEXT("row " << r)
            {
                BOOST_TEST(got(r, 0) == expected(r, 0));
                BOOST_TEST(got(r, 1) == expected(r, 1));
                BOOST_TEST(std::abs(got(r, 2) - expected(r, 2)) <= 1e-12 * std::max(1.0, std::abs(expected(r, 2))));
                BOOST_TEST(got(r, 3) == expected(r, 3));
            }
        }
    }
}

/// The textbook O(n^3) algorithm: merge the globally closest pair (first in (i, j) order on ties),
/// update with Lance–Williams. Returns, per merge, the height and the sorted member list.
struct naive_merge {
    double height;
    std::vector<int> members;
};

std::vector<naive_merge> naive_linkage(const Eigen::MatrixXd& x, rc::linkage_method method)
{
    const auto n = static_cast<std::size_t>(x.rows());
    std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            d[i][j] = (x.row(static_cast<Eigen::Index>(i)) - x.row(static_cast<Eigen::Index>(j))).norm();
        }
    }
    std::vector<std::vector<int>> members(n);
    for (std::size_t i = 0; i < n; ++i) {
        members[i] = {static_cast<int>(i)};
    }
    std::vector<bool> active(n, true);
    const auto update = rc::detail::update_for(method);
    std::vector<naive_merge> out;
    for (std::size_t k = 0; k + 1 < n; ++k) {
        double best = std::numeric_limits<double>::infinity();
        std::size_t bx = 0;
        std::size_t by = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = i + 1; j < n; ++j) {
                if (active[i] && active[j] && d[i][j] < best) {
                    best = d[i][j];
                    bx = i;
                    by = j;
                }
            }
        }
        const int nx = static_cast<int>(members[bx].size());
        const int ny = static_cast<int>(members[by].size());
        for (std::size_t i = 0; i < n; ++i) {
            if (active[i] && i != bx && i != by) {
                d[i][by] = d[by][i] =
                    update(d[i][bx], d[i][by], best, nx, ny, static_cast<int>(members[i].size()));
            }
        }
        members[by].insert(members[by].end(), members[bx].begin(), members[bx].end());
        std::sort(members[by].begin(), members[by].end());
        active[bx] = false;
        out.push_back({best, members[by]});
    }
    return out;
}

std::vector<std::vector<int>> members_of(const rc::linkage_matrix& z)
{
    const auto n = static_cast<std::size_t>(z.rows()) + 1;
    std::vector<std::vector<int>> nodes(2 * n - 1);
    for (std::size_t i = 0; i < n; ++i) {
        nodes[i] = {static_cast<int>(i)};
    }
    for (Eigen::Index r = 0; r < z.rows(); ++r) {
        auto& node = nodes[n + static_cast<std::size_t>(r)];
        for (int c = 0; c < 2; ++c) {
            const auto& child = nodes[static_cast<std::size_t>(z(r, c))];
            node.insert(node.end(), child.begin(), child.end());
        }
        std::sort(node.begin(), node.end());
    }
    return std::vector<std::vector<int>>(nodes.begin() + static_cast<std::ptrdiff_t>(n), nodes.end());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(linkage)

// Reference: scipy.cluster.hierarchy.linkage(X, method) from SciPy 1.10.1 (Debian 12),
// generate_cluster_fixtures.py; gauss = random normal, grid = integer lattice (ties),
// dups = duplicated rows (zero distances), blobs = three separated clusters.
BOOST_AUTO_TEST_CASE(equals_scipy_on_observations_for_every_method)
{
    for (const auto& name : rg_cluster_test::euclidean_sets()) {
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        for (const auto& method : rg_cluster_test::all_methods()) {
            const auto z = rc::linkage(x, rc::parse_linkage_method(method));
            check_same_linkage(z, reference_linkage(name, method), name + "/" + method);
        }
    }
}

// Reference: scipy linkage on a condensed vector of integer dissimilarities 1..4 (heavy ties).
BOOST_AUTO_TEST_CASE(equals_scipy_on_tied_condensed_distances)
{
    const auto t = rg_cluster_test::table("condensed_ties.csv");
    std::vector<double> d(t.row_count());
    for (std::size_t r = 0; r < d.size(); ++r) {
        d[r] = t.number(r, 0);
    }
    for (const std::string method : {"single", "complete", "average", "weighted"}) {
        const auto z = rc::linkage_condensed(d, rc::parse_linkage_method(method));
        check_same_linkage(z, reference_linkage("ties", method), "ties/" + method);
    }
}

// Property (fastcluster's test): on tie-free data every merge joins the globally closest pair
// under the Lance–Williams distances, i.e. the result equals the naive O(n^3) algorithm.
BOOST_AUTO_TEST_CASE(every_merge_is_the_global_minimum)
{
    rg::random_engine engine(11);
    Eigen::MatrixXd x(40, 3);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x.data()[i] = rg::standard_normal(engine);
    }
    for (const auto& method_name : rg_cluster_test::all_methods()) {
        const auto method = rc::parse_linkage_method(method_name);
        const auto z = rc::linkage(x, method);
        const auto naive = naive_linkage(x, method);
        auto got = members_of(z);
        BOOST_TEST_CONTEXT(method_name)
        {
            std::vector<std::pair<double, std::vector<int>>> expected_rows;
            for (const auto& m : naive) {
                expected_rows.emplace_back(m.height, m.members);
            }
            const bool monotone = method != rc::linkage_method::centroid && method != rc::linkage_method::median;
            if (monotone) {
                std::stable_sort(expected_rows.begin(), expected_rows.end(),
                                 [](const auto& a, const auto& b) { return a.first < b.first; });
            }
            for (Eigen::Index r = 0; r < z.rows(); ++r) {
                const auto& e = expected_rows[static_cast<std::size_t>(r)];
                BOOST_TEST(std::abs(z(r, 2) - e.first) <= 1e-12 * std::max(1.0, e.first));
                BOOST_TEST(got[static_cast<std::size_t>(r)] == e.second);
                if (monotone && r > 0) {
                    BOOST_TEST(z(r, 2) >= z(r - 1, 2));
                }
            }
        }
    }
}

// Reference: scipy linkage(X, 'ward') (tie-free fixtures); the O(n d)-memory variant must agree.
BOOST_AUTO_TEST_CASE(ward_from_features_equals_scipy)
{
    for (const std::string name : {"gauss", "blobs"}) {
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        const auto z = rc::ward_linkage_features(x);
        const auto expected = reference_linkage(name, "ward");
        BOOST_REQUIRE_EQUAL(z.rows(), expected.rows());
        BOOST_TEST((z.leftCols(2).array() == expected.leftCols(2).array()).all());
        BOOST_TEST((z.col(3).array() == expected.col(3).array()).all());
        BOOST_TEST((z.col(2) - expected.col(2)).cwiseAbs().maxCoeff() <= 1e-10 * expected.col(2).maxCoeff());
    }
    BOOST_CHECK_THROW(rc::ward_linkage_features(Eigen::MatrixXd::Zero(1, 2)), rg::invalid_argument);
}

// The O(n d)-memory single linkage (MST with distances computed on demand) equals the condensed path bit for bit,
// and that path equals SciPy (linkage_tests above); linkage_features dispatches single and Ward to the
// feature paths.
BOOST_AUTO_TEST_CASE(single_from_features_equals_condensed_path)
{
    for (const std::string name : {"gauss", "blobs", "grid", "dups"}) {
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        const auto z = rc::single_linkage_features(x);
        const auto expected = rc::linkage(x, rc::linkage_method::single);
        BOOST_TEST((z.array() == expected.array()).all(), name);
        BOOST_TEST((rc::linkage_features(x, rc::linkage_method::single).array() == expected.array()).all(), name);
        BOOST_TEST((rc::linkage_features(x, rc::linkage_method::ward).array() ==
                    rc::ward_linkage_features(x).array()).all(), name);
        BOOST_TEST((rc::linkage_features(x, rc::linkage_method::average).array() ==
                    rc::linkage(x, rc::linkage_method::average).array()).all(), name);
    }
    BOOST_CHECK_THROW(rc::single_linkage_features(Eigen::MatrixXd::Zero(1, 2)), rg::invalid_argument);
}

// Reference: scipy linkage(X, 'centroid' / 'median') (SciPy 1.10.1, generate_cluster_fixtures.py); the O(n d)-memory
// variants (distances from the cluster centroids / median points) give the same merges in the same (merge) order,
// inversions included (gauss and blobs have 3 each), and the same heights to rounding. grid (an integer lattice:
// every first-level distance tied) and dups (zero distances) check the tie rules.
BOOST_AUTO_TEST_CASE(centroid_and_median_from_features_equal_scipy)
{
    for (const std::string name : {"gauss", "blobs", "grid", "dups"}) {
        const Eigen::MatrixXd x = rg_cluster_test::data(name);
        for (const std::string method : {"centroid", "median"}) {
            const auto z = method == "centroid" ? rc::centroid_linkage_features(x) : rc::median_linkage_features(x);
            check_same_linkage(z, reference_linkage(name, method), name + "/" + method + " from features");
            BOOST_TEST((rc::linkage_features(x, rc::parse_linkage_method(method)).array() == z.array()).all());
        }
    }
    BOOST_CHECK_THROW(rc::centroid_linkage_features(Eigen::MatrixXd::Zero(1, 2)), rg::invalid_argument);
    Eigen::MatrixXd bad = Eigen::MatrixXd::Zero(3, 2);
    bad(1, 1) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(rc::median_linkage_features(bad), rg::invalid_argument);
}

// Property on larger tie-free data: the feature paths make the condensed path's merges (which equal SciPy's) with
// the same heights to rounding, inversions included.
BOOST_AUTO_TEST_CASE(centroid_and_median_from_features_equal_condensed_path)
{
    rg::random_engine engine(19);
    Eigen::MatrixXd x(300, 5);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x.data()[i] = rg::standard_normal(engine);
    }
    for (const auto method : {rc::linkage_method::centroid, rc::linkage_method::median}) {
        const auto expected = rc::linkage(x, method);
        int inversions = 0;
        for (Eigen::Index r = 1; r < expected.rows(); ++r) {
            inversions += expected(r, 2) < expected(r - 1, 2) ? 1 : 0;
        }
        BOOST_TEST(inversions > 0);  // the case exercises non-monotone heights
        check_same_linkage(rc::linkage_features(x, method), expected, rc::to_string(method) + " 300 x 5");
    }
}

BOOST_AUTO_TEST_CASE(two_points_and_identical_points)
{
    Eigen::MatrixXd two(2, 2);
    two << 0, 0, 3, 4;
    const auto z = rc::linkage(two, rc::linkage_method::ward);
    BOOST_TEST(z.rows() == 1);
    BOOST_TEST(z(0, 0) == 0.0);
    BOOST_TEST(z(0, 1) == 1.0);
    BOOST_TEST(z(0, 2) == 5.0);
    BOOST_TEST(z(0, 3) == 2.0);
    // Zero-variance data: all heights 0, a valid tree, no NaN.
    const Eigen::MatrixXd same = Eigen::MatrixXd::Constant(5, 3, 1.5);
    for (const auto& method : rg_cluster_test::all_methods()) {
        const auto zs = rc::linkage(same, rc::parse_linkage_method(method));
        BOOST_TEST(zs.col(2).cwiseAbs().maxCoeff() == 0.0);
        BOOST_TEST(zs(3, 3) == 5.0);
    }
}

BOOST_AUTO_TEST_CASE(bad_input_throws)
{
    Eigen::MatrixXd one(1, 2);
    one << 1, 2;
    BOOST_CHECK_THROW(rc::linkage(one, rc::linkage_method::single), rg::invalid_argument);
    Eigen::MatrixXd with_nan(3, 2);
    with_nan << 0, 0, 1, std::numeric_limits<double>::quiet_NaN(), 2, 2;
    BOOST_CHECK_THROW(rc::linkage(with_nan, rc::linkage_method::ward), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::linkage_condensed({1.0, 2.0}, rc::linkage_method::average), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::linkage_condensed({1.0, -2.0, 1.0}, rc::linkage_method::average), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::linkage_condensed({}, rc::linkage_method::average), rg::invalid_argument);
    BOOST_CHECK_THROW(rc::parse_linkage_method("wards"), rg::invalid_argument);
    try {
        rc::linkage(with_nan, rc::linkage_method::ward);
    } catch (const rg::error& e) {
        BOOST_TEST(std::string(e.what()).rfind("[radiogenomics.cluster.condensed_euclidean]", 0) == 0);
    }
}

BOOST_AUTO_TEST_CASE(square_and_condensed_inputs_agree)
{
    const Eigen::MatrixXd x = rg_cluster_test::data("gauss");
    const auto condensed = rc::condensed_euclidean(x);
    const auto n = x.rows();
    Eigen::MatrixXd square = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = i + 1; j < n; ++j) {
            square(i, j) = square(j, i) = condensed[rc::detail::condensed_index(static_cast<std::size_t>(n),
                                                                                 static_cast<std::size_t>(i),
                                                                                 static_cast<std::size_t>(j))];
        }
    }
    BOOST_TEST(rc::condensed_from_square(square) == condensed);
    check_same_linkage(rc::linkage_condensed(rc::condensed_from_square(square), rc::linkage_method::average),
                       reference_linkage("gauss", "average"), "square");
    square(0, 1) += 1.0;
    BOOST_CHECK_THROW(rc::condensed_from_square(square), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
