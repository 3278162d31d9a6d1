#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "radiogenomics/preprocess/overlap.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

namespace {

rg::mask_image<3> mask_from(const std::string& bits, const rg::image_geometry<3>& g)
{
    BOOST_REQUIRE_EQUAL(bits.size(), g.size());
    rg::mask_image<3> out(g, 0);
    for (std::size_t i = 0; i < bits.size(); ++i) {
        out[i] = static_cast<std::uint8_t>(bits[i] - '0');
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(overlap)

// Reference: 1 - scipy.spatial.distance.dice (SciPy 1.10.1) on the boolean masks,
// tests/fixtures/preprocess/generate_dice.py.
BOOST_AUTO_TEST_CASE(dice_matches_scipy)
{
    const auto table = rg::io::read_csv(rg_test::fixture("preprocess/dice.csv"));
    BOOST_REQUIRE_GE(table.row_count(), 7u);
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        const rg::image_geometry<3> g({static_cast<std::size_t>(table.number(r, table.column("nx"))),
                                       static_cast<std::size_t>(table.number(r, table.column("ny"))),
                                       static_cast<std::size_t>(table.number(r, table.column("nz")))},
                                      {1.0, 1.0, 2.0}, {0.0, 0.0, 0.0});
        const auto a = mask_from(table.rows[r][table.column("mask_a")], g);
        const auto b = mask_from(table.rows[r][table.column("mask_b")], g);
        const double expected = table.number(r, table.column("dice"));
        BOOST_TEST_CONTEXT(table.rows[r][0])
        {
            BOOST_CHECK_SMALL(pp::dice_coefficient(a, b) - expected, 1e-12);
            BOOST_CHECK_SMALL(pp::dice_coefficient(b, a) - expected, 1e-12);  // symmetric
        }
    }
}

BOOST_AUTO_TEST_CASE(counts_empty_masks_and_grid_mismatch)
{
    const rg::image_geometry<3> g({4, 3, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::mask_image<3> a(g, 0);
    rg::label_image<3> b(g, 0);
    BOOST_TEST(pp::dice_coefficient(a, b) == 1.0);  // both empty: they agree (SciPy: 0/0)
    a(1, 1, 0) = 1;
    a(2, 1, 0) = 1;
    b(2, 1, 0) = 7;  // any non-zero label is foreground
    const auto counts = pp::mask_overlap(a, b);
    BOOST_TEST(counts.first == 2u);
    BOOST_TEST(counts.second == 1u);
    BOOST_TEST(counts.intersection == 1u);
    BOOST_TEST(pp::dice_coefficient(a, b) == 2.0 / 3.0, boost::test_tools::tolerance(1e-15));
    const rg::mask_image<3> c(rg::image_geometry<3>({4, 3, 2}, {1.0, 1.0, 1.5}, {0.0, 0.0, 0.0}), 1);
    try {
        pp::dice_coefficient(a, c);
        BOOST_FAIL("expected geometry_error");
    } catch (const rg::geometry_error& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.preprocess.mask_overlap]") == 0u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
