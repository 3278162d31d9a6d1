#include <boost/test/unit_test.hpp>

#include <cstdint>

#include "preprocess_test_utils.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

namespace {

std::size_t fixture_count(const std::string& name)
{
    const auto table = rg::io::read_csv(rg_test::fixture("preprocess/label_counts.csv"));
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        if (table.rows[r][0] == name) {
            return static_cast<std::size_t>(table.number(r, 1));
        }
    }
    throw std::runtime_error("no count for " + name);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connected_components)

BOOST_AUTO_TEST_CASE(labels_match_scipy_label_3d)
{
    // scipy.ndimage.label(mask, generate_binary_structure(3, 1/2/3)) on a random 12 x 10 x 8 mask
    // (fixture section 3); SciPy numbers labels by first voxel in scan order, as we do, so labels match exactly.
    const rg::image_geometry<3> g({12, 10, 8}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    const auto mask = rg_test::image_from_column<std::uint8_t, 3>(g, "label3d.csv", "mask");
    for (const auto& [conn, name] : {std::pair{6, "l6"}, std::pair{18, "l18"}, std::pair{26, "l26"}}) {
        const auto expected = rg_test::image_from_column<std::int32_t, 3>(g, "label3d.csv", name);
        const auto cc = pp::label_components(mask, conn);
        BOOST_TEST_CONTEXT("connectivity " << conn)
        {
            BOOST_TEST(cc.count == fixture_count(name));
            std::vector<std::size_t> sizes(cc.count + 1, 0);
            for (std::size_t i = 0; i < mask.size(); ++i) {
                BOOST_TEST(cc.labels[i] == expected[i]);
                ++sizes[static_cast<std::size_t>(expected[i])];
            }
            BOOST_TEST(cc.sizes == sizes, boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(labels_match_scipy_label_2d)
{
    const rg::image_geometry<2> g({13, 11}, {1.0, 1.0}, {0.0, 0.0});
    const auto mask = rg_test::image_from_column<std::uint8_t, 2>(g, "label2d.csv", "mask");
    for (const auto& [conn, name] : {std::pair{4, "l4"}, std::pair{8, "l8"}}) {
        const auto expected = rg_test::image_from_column<std::int32_t, 2>(g, "label2d.csv", name);
        const auto cc = pp::label_components(mask, conn);
        BOOST_TEST(cc.count == fixture_count(name));
        for (std::size_t i = 0; i < mask.size(); ++i) {
            BOOST_TEST(cc.labels[i] == expected[i]);
        }
    }
}

BOOST_AUTO_TEST_CASE(hand_worked_connectivities)
{
    // Two voxels touching by a face, an edge, a corner: 6 → 1/2/2/... components.
    const rg::image_geometry<3> g({3, 3, 3}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::mask_image<3> face(g, 0), edge(g, 0), corner(g, 0);
    face(0, 0, 0) = face(1, 0, 0) = 1;
    edge(0, 0, 0) = edge(1, 1, 0) = 1;
    corner(0, 0, 0) = corner(1, 1, 1) = 1;
    BOOST_TEST(pp::label_components(face, 6).count == 1u);
    BOOST_TEST(pp::label_components(edge, 6).count == 2u);
    BOOST_TEST(pp::label_components(edge, 18).count == 1u);
    BOOST_TEST(pp::label_components(corner, 18).count == 2u);
    BOOST_TEST(pp::label_components(corner, 26).count == 1u);
    // a U shape joins late: the component keeps label 1 (first voxel) and the later branch is merged into it
    const rg::image_geometry<2> g2({5, 3}, {1.0, 1.0}, {0.0, 0.0});
    rg::mask_image<2> u(g2, 0);
    u(0, 0) = u(4, 0) = u(0, 1) = u(4, 1) = 1;
    for (int i = 0; i < 5; ++i) {
        u(i, 2) = 1;
    }
    u(2, 0) = 1;  // isolated in row 0, between the arms
    const auto cc = pp::label_components(u, 4);
    BOOST_TEST(cc.count == 2u);
    BOOST_TEST(cc.labels(0, 0) == 1);
    BOOST_TEST(cc.labels(4, 0) == 1);
    BOOST_TEST(cc.labels(2, 0) == 2);
    BOOST_TEST(cc.sizes[1] == 9u);
    BOOST_TEST(cc.sizes[2] == 1u);
    BOOST_TEST(cc.sizes[0] == 5u);
}

BOOST_AUTO_TEST_CASE(largest_and_small_component_removal)
{
    const rg::image_geometry<3> g({10, 4, 3}, {2.0, 1.0, 1.5}, {0.0, 0.0, 0.0});  // voxel volume 3 mm³
    rg::mask_image<3> m(g, 0);
    m(0, 0, 0) = 1;  // size 1
    for (int i = 3; i < 6; ++i) {
        m(i, 1, 1) = 1;  // size 3
    }
    for (int i = 7; i < 10; ++i) {
        m(i, 3, 2) = m(i, 2, 2) = 1;  // size 6
    }
    const auto largest = pp::largest_component(m);
    BOOST_TEST(rg::count_label(largest) == 6u);
    BOOST_TEST(+largest(8, 3, 2) == 1);
    BOOST_TEST(rg::count_label(pp::remove_small_components(m, 3)) == 9u);
    BOOST_TEST(rg::count_label(pp::remove_small_components(m, 7)) == 0u);
    // by volume: 9 mm³ keeps the 3-voxel (9 mm³) and 6-voxel components; 9.1 mm³ only the 6-voxel one
    BOOST_TEST(rg::count_label(pp::remove_small_components_by_volume(m, 9.0)) == 9u);
    BOOST_TEST(rg::count_label(pp::remove_small_components_by_volume(m, 9.1)) == 6u);
}

BOOST_AUTO_TEST_CASE(thread_count_does_not_change_labels)
{
    const rg::image_geometry<3> g({40, 30, 20}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::mask_image<3> m(g, 0);
    for (std::size_t i = 0; i < m.size(); ++i) {
        m[i] = static_cast<std::uint8_t>((i * 2654435761u) % 7u < 3u);
    }
    pp::component_labels<3> one;
    {
        rg::thread_count_guard guard(1);
        one = pp::label_components(m, 26);
    }
    const auto many = pp::label_components(m, 26);
    BOOST_TEST(one.count == many.count);
    for (std::size_t i = 0; i < m.size(); ++i) {
        BOOST_TEST(one.labels[i] == many.labels[i]);
    }
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const rg::image_geometry<3> g({3, 3, 3}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    const rg::mask_image<3> empty(g, 0);
    BOOST_TEST(pp::label_components(empty).count == 0u);
    BOOST_CHECK_THROW(pp::label_components(empty, 8), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::largest_component(empty), rg::mask_error);
    BOOST_CHECK_THROW(pp::remove_small_components_by_volume(empty, -1.0), rg::invalid_argument);
    const rg::mask_image<2> flat(rg::image_geometry<2>({3, 3}, {1.0, 1.0}, {0.0, 0.0}), 1);
    BOOST_CHECK_THROW(pp::label_components(flat, 6), rg::invalid_argument);
    try {
        pp::label_components(empty, 7);
    } catch (const rg::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "[radiogenomics.preprocess.label_components] connectivity: got 7, expected 6, 18 or 26 for a 3-D "
                   "image.");
    }
}

BOOST_AUTO_TEST_SUITE_END()
