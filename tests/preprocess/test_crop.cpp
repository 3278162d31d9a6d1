#include <boost/test/unit_test.hpp>

#include "radiogenomics/preprocess/crop.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
inline auto tt(double t) { return boost::test_tools::tolerance(t); }

BOOST_AUTO_TEST_SUITE(crop)

BOOST_AUTO_TEST_CASE(bounding_box_and_crop_to_mask_with_pad)
{
    // PyRadiomics cropToTumorMask: [L − pad, U + pad] clipped to the image.
    const rg::image_geometry<3> g({10, 8, 6}, {2.0, 1.0, 3.0}, {-5.0, 1.0, 2.0});
    rg::image<int, 3> img(g);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<int>(i);
    }
    rg::mask_image<3> mask(g, 0);
    mask(3, 2, 1) = 1;
    mask(5, 4, 2) = 1;
    mask(7, 7, 5) = 2;
    const auto box1 = pp::mask_bounding_box(mask, std::uint8_t{1});
    BOOST_TEST(box1.lower[0] == 3);
    BOOST_TEST(box1.upper[0] == 5);
    BOOST_TEST(box1.upper[2] == 2);
    const auto all = pp::mask_bounding_box(mask);  // every non-zero label
    BOOST_TEST(all.upper[1] == 7);
    const auto c = pp::crop_to_mask(img, mask, std::uint8_t{1}, 2);
    // x: 3−2 = 1 .. 5+2 = 7; y: 0 .. 6; z: 0 (clipped) .. 4
    BOOST_TEST(c.box.lower[0] == 1);
    BOOST_TEST(c.box.upper[0] == 7);
    BOOST_TEST(c.box.lower[1] == 0);
    BOOST_TEST(c.box.upper[1] == 6);
    BOOST_TEST(c.box.lower[2] == 0);
    BOOST_TEST(c.box.upper[2] == 4);
    BOOST_TEST(c.image_part.shape()[0] == 7u);
    BOOST_TEST(c.image_part(0, 0, 0) == img(1, 0, 0));
    BOOST_TEST(c.image_part(2, 2, 1) == img(3, 2, 1));
    BOOST_TEST(+c.mask_part(2, 2, 1) == 1);
    // physical positions are kept
    const auto p = c.image_part.index_to_physical({2, 2, 1});
    const auto q = img.index_to_physical({3, 2, 1});
    for (std::size_t d = 0; d < 3; ++d) {
        BOOST_TEST(p[d] == q[d], tt(1e-12));
    }
}

BOOST_AUTO_TEST_CASE(center_crop_and_pad_in_plane)
{
    // 7 x 4 x 2 → 4 x 6: x crops floor((7 − 4)/2) = 1 voxel before; y pads floor((6 − 4)/2) = 1 before, 1 after
    const rg::image_geometry<3> g({7, 4, 2}, {1.0, 2.0, 3.0}, {0.0, 0.0, 0.0});
    rg::image<short, 3> img(g);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<short>(i);
    }
    const auto out = pp::crop_or_pad_center(img, 4, 6, short{-1024});
    BOOST_TEST(out.shape()[0] == 4u);
    BOOST_TEST(out.shape()[1] == 6u);
    BOOST_TEST(out.shape()[2] == 2u);
    BOOST_TEST(out(0, 0, 0) == -1024);
    BOOST_TEST(out(0, 5, 1) == -1024);
    BOOST_TEST(out(0, 1, 0) == img(1, 0, 0));
    BOOST_TEST(out(3, 4, 1) == img(4, 3, 1));
    BOOST_TEST(out.origin()[0] == 1.0, tt(1e-12));
    BOOST_TEST(out.origin()[1] == -2.0, tt(1e-12));
    // the study's 512 x 512 crop of a 600 x 500 slice
    const rg::image<float, 2> big(rg::image_geometry<2>({600, 500}, {0.98, 0.98}, {0.0, 0.0}), 1.0f);
    const auto s = pp::crop_or_pad_center(big, 512, 512);
    BOOST_TEST(s.shape()[0] == 512u);
    BOOST_TEST(s.shape()[1] == 512u);
    BOOST_TEST(s(0, 0) == 0.0f);   // y padded by 6 before
    BOOST_TEST(s(0, 6) == 1.0f);
    BOOST_TEST(s.origin()[0] == 44 * 0.98, tt(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<2> g({4, 4}, {1.0, 1.0}, {0.0, 0.0});
    const rg::image<float, 2> img(g, 0.0f);
    const rg::mask_image<2> empty(g, 0);
    BOOST_CHECK_THROW(pp::mask_bounding_box(empty), rg::mask_error);
    rg::mask_image<2> m(g, 0);
    m(1, 1) = 1;
    try {
        pp::mask_bounding_box(m, std::uint8_t{2});
        BOOST_FAIL("expected mask_error");
    } catch (const rg::mask_error& e) {
        BOOST_TEST(std::string(e.what()) == "[radiogenomics.preprocess.mask_bounding_box] label: got 2, expected a label "
                                            "present in the mask. No voxel carries it.");
    }
    const rg::mask_image<2> shifted(rg::image_geometry<2>({4, 4}, {1.0, 1.0}, {0.5, 0.0}), 1);
    BOOST_CHECK_THROW(pp::crop_to_mask(img, shifted), rg::geometry_error);
    pp::bounding_box<2> outside;
    outside.lower = {2, 2};
    outside.upper = {5, 3};
    BOOST_CHECK_THROW(pp::crop(img, outside), rg::geometry_error);
    BOOST_CHECK_THROW(pp::crop_or_pad_center(img, 0, 3), rg::geometry_error);
}

BOOST_AUTO_TEST_SUITE_END()
