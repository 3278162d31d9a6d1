#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "radiogenomics/filters/exponential.hpp"
#include "radiogenomics/filters/logarithm.hpp"
#include "radiogenomics/filters/square.hpp"
#include "radiogenomics/filters/square_root.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;

namespace {

rg::image<float, 3> small_ct()
{
    // values -1000, -4, 0, 9, 400, 1000 on a 6x1x1 grid, spacing (0.5, 1, 2), origin (1, 2, 3)
    rg::image<float, 3> img(rg::image_geometry<3>({6, 1, 1}, {0.5, 1.0, 2.0}, {1.0, 2.0, 3.0}));
    const float v[6] = {-1000.0f, -4.0f, 0.0f, 9.0f, 400.0f, 1000.0f};
    for (std::size_t i = 0; i < 6; ++i) {
        img(i, 0, 0) = v[i];
    }
    return img;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intensity_filters)

// Expected values from PyRadiomics' documented formulas (imageoperations.getSquareImage etc.), worked by hand
// with max|x| = 1000.
BOOST_AUTO_TEST_CASE(square_scales_by_max_abs)
{
    const auto out = rf::square(small_ct());
    // f(x) = x^2 / max|x|
    BOOST_TEST(out(0, 0, 0) == 1000.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(1, 0, 0) == 0.016, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(2, 0, 0) == 0.0);
    BOOST_TEST(out(4, 0, 0) == 160.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out.spacing()[2] == 2.0);
    BOOST_TEST(out.origin()[1] == 2.0);
}

BOOST_AUTO_TEST_CASE(square_root_keeps_sign)
{
    const auto out = rf::square_root(small_ct());
    // f(x) = sign(x) sqrt(|x| max|x|)
    BOOST_TEST(out(0, 0, 0) == -1000.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(1, 0, 0) == -std::sqrt(4000.0), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(3, 0, 0) == std::sqrt(9000.0), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(2, 0, 0) == 0.0);
}

BOOST_AUTO_TEST_CASE(logarithm_rescales_to_original_range)
{
    const auto out = rf::logarithm(small_ct());
    const double c = 1000.0 / std::log(1001.0);
    BOOST_TEST(out(5, 0, 0) == 1000.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(0, 0, 0) == -1000.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(1, 0, 0) == -c * std::log(5.0), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(3, 0, 0) == c * std::log(10.0), boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(exponential_maps_max_to_max)
{
    const auto out = rf::exponential(small_ct());
    // f(x) = exp(x log(1000) / 1000): f(1000) = 1000, f(0) = 1, f(-1000) = 1/1000
    BOOST_TEST(out(5, 0, 0) == 1000.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(out(2, 0, 0) == 1.0);
    BOOST_TEST(out(0, 0, 0) == 0.001, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(crop_with_whole_image_max_equals_whole_image)
{
    const auto img = small_ct();
    const double m = rf::max_abs(img);
    const auto crop = img.region({1, 0, 0}, {3, 1, 1});
    const auto whole = rf::logarithm(img);
    const auto part = rf::logarithm(crop, m);
    for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(part(i, 0, 0) == whole(i + 1, 0, 0));
    }
    // without the whole-image max the crop would differ (max |x| of the crop is 9)
    BOOST_TEST(rf::logarithm(crop)(2, 0, 0) != whole(3, 0, 0));
}

BOOST_AUTO_TEST_CASE(all_zero_image_gives_pyradiomics_values)
{
    rg::image<double, 3> zero(rg::image_geometry<3>({2, 2, 2}, {1, 1, 1}, {0, 0, 0}), 0.0);
    // PyRadiomics: 1/sqrt(0)*0 = NaN; squareroot leaves zeros; 0*(0/0) = NaN; exp(-inf*0) = NaN
    BOOST_TEST(std::isnan(rf::square(zero)[0]));
    BOOST_TEST(rf::square_root(zero)[0] == 0.0);
    BOOST_TEST(std::isnan(rf::logarithm(zero)[0]));
    BOOST_TEST(std::isnan(rf::exponential(zero)[0]));
}

BOOST_AUTO_TEST_CASE(bad_input_throws)
{
    auto img = small_ct();
    img(2, 0, 0) = std::numeric_limits<float>::quiet_NaN();
    BOOST_CHECK_THROW(rf::square(img), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::square_root(small_ct(), -1.0), rg::invalid_argument);
    rg::image<float, 3> empty;
    BOOST_CHECK_THROW(rf::max_abs(empty), rg::invalid_argument);
    try {
        rf::exponential(img);
        BOOST_TEST(false);
    } catch (const rg::invalid_argument& e) {
        // max_abs runs first and names the voxel
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.filters.max_abs] image voxel (2, 0, 0): got nan") == 0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
