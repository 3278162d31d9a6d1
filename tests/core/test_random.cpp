#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "radiogenomics/core/random.hpp"

namespace rg = radiogenomics;

BOOST_AUTO_TEST_SUITE(random_numbers)

// std::mt19937_64's 10000th output for the default seed is fixed by the C++ standard
// ([rand.predef]: 9981545732273789042); our engine must be exactly that engine.
BOOST_AUTO_TEST_CASE(engine_is_the_standard_mt19937_64)
{
    rg::random_engine engine;
    engine.discard(9999);
    BOOST_TEST(engine() == 9981545732273789042ULL);
}

BOOST_AUTO_TEST_CASE(uniform01_is_in_unit_interval_with_mean_one_half)
{
    rg::random_engine engine(42);
    double sum = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double u = rg::uniform01(engine);
        BOOST_REQUIRE(u >= 0.0);
        BOOST_REQUIRE(u < 1.0);
        sum += u;
    }
    // Standard error of the mean of U(0,1) is sqrt(1/12/n) ~ 6.5e-4; allow 5 sigma.
    BOOST_TEST(std::abs(sum / n - 0.5) < 3.3e-3);
}

BOOST_AUTO_TEST_CASE(standard_normal_has_unit_variance)
{
    rg::random_engine engine(7);
    const int n = 200000;
    double sum = 0.0;
    double sum_sq = 0.0;
    for (int i = 0; i < n; ++i) {
        const double z = rg::standard_normal(engine);
        sum += z;
        sum_sq += z * z;
    }
    const double mean = sum / n;
    const double variance = sum_sq / n - mean * mean;
    BOOST_TEST(std::abs(mean) < 0.012);           // 5 sigma of sqrt(1/n)
    BOOST_TEST(std::abs(variance - 1.0) < 0.016);  // 5 sigma of sqrt(2/n)
}

BOOST_AUTO_TEST_CASE(uniform_index_covers_range_evenly)
{
    rg::random_engine engine(3);
    std::vector<int> counts(7, 0);
    for (int i = 0; i < 70000; ++i) {
        const auto k = rg::uniform_index(engine, 7);
        BOOST_REQUIRE(k < 7);
        ++counts[static_cast<std::size_t>(k)];
    }
    for (const int c : counts) {
        BOOST_TEST(std::abs(c - 10000) < 500);  // binomial sd ~ 93
    }
}

BOOST_AUTO_TEST_CASE(shuffle_is_a_seeded_permutation)
{
    std::vector<int> a(50);
    std::iota(a.begin(), a.end(), 0);
    std::vector<int> b = a;
    rg::random_engine e1(11);
    rg::random_engine e2(11);
    rg::shuffle(a, e1);
    rg::shuffle(b, e2);
    BOOST_TEST(a == b);
    std::vector<int> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> expected(50);
    std::iota(expected.begin(), expected.end(), 0);
    BOOST_TEST(sorted == expected);
    BOOST_TEST(a != expected);
}

BOOST_AUTO_TEST_CASE(derived_seeds_differ_per_stream)
{
    BOOST_TEST(rg::derive_seed(1, 0) != rg::derive_seed(1, 1));
    BOOST_TEST(rg::derive_seed(1, 0) != rg::derive_seed(2, 0));
    BOOST_TEST(rg::derive_seed(5, 3) == rg::derive_seed(5, 3));
}

BOOST_AUTO_TEST_SUITE_END()
