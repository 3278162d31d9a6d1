// Same seed, same result whatever the thread count: Eigen's own parallel products are off
// (core/config.hpp), so a product large enough for Eigen to split over threads gives the same bits
// with one thread and with two. With Eigen's OpenMP products on, 40 x 4000 times its transpose
// differs in about 1,500 of 1,600 entries between one and two threads (last bits).
#include <boost/test/unit_test.hpp>

#include <cstdint>

#include <Eigen/Core>

#include "radiogenomics/core/parallel.hpp"

namespace rg = radiogenomics;

BOOST_AUTO_TEST_SUITE(parallel)

BOOST_AUTO_TEST_CASE(eigen_products_do_not_depend_on_the_thread_count)
{
    const Eigen::Index n = 40;
    const Eigen::Index p = 4000;  // the study's combined design matrix is about this wide
    Eigen::MatrixXd a(n, p);
    std::uint64_t state = 88172645463325252ull;  // xorshift64: any fixed values will do
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < p; ++j) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            a(i, j) = static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5;
        }
    }
    Eigen::MatrixXd one;
    Eigen::MatrixXd two;
    {
        const rg::thread_count_guard guard(1);
        one = a * a.transpose();
    }
    {
        const rg::thread_count_guard guard(2);
        BOOST_TEST(Eigen::nbThreads() == 1);
        two = a * a.transpose();
    }
    BOOST_TEST((one.array() == two.array()).all());
}

BOOST_AUTO_TEST_SUITE_END()
