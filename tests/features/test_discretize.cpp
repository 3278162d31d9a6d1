// preprocess/discretize.hpp against NumPy (tests/fixtures/features/generate_discretize.py: PyRadiomics'
// getBinEdges/binImage written with numpy.arange / numpy.histogram / numpy.digitize).
#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/preprocess/discretize.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rp = radiogenomics::preprocess;

BOOST_AUTO_TEST_SUITE(discretize)

BOOST_AUTO_TEST_CASE(levels_equal_numpy)
{
    const auto t = rg::io::read_csv(rg_test::fixture("features/discretize_cases.csv"));
    struct group {
        std::string dtype;
        double bin_width = 0.0;
        int bin_count = 0;
        std::vector<double> values;
        std::vector<int> levels;
    };
    std::map<std::string, group> cases;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        auto& g = cases[t.rows[r][t.column("case")]];
        g.dtype = t.rows[r][t.column("dtype")];
        if (!t.rows[r][t.column("bin_width")].empty()) {
            g.bin_width = t.number(r, t.column("bin_width"));
        }
        if (!t.rows[r][t.column("bin_count")].empty()) {
            g.bin_count = static_cast<int>(t.number(r, t.column("bin_count")));
        }
        g.values.push_back(t.number(r, t.column("value")));
        g.levels.push_back(static_cast<int>(t.number(r, t.column("level"))));
    }
    BOOST_TEST(cases.size() == 8u);
    for (const auto& [name, g] : cases) {
        const auto d = g.bin_count > 0 ? rp::discretize_values(g.values, 0.0, g.bin_count, g.dtype == "float32")
                                       : rp::discretize_values(g.values, g.bin_width);
        for (std::size_t i = 0; i < g.values.size(); ++i) {
            BOOST_TEST(d.levels[i] == g.levels[i], name << " value " << g.values[i]);
        }
    }
}

BOOST_AUTO_TEST_CASE(ibsi_fixed_bin_size_counts_from_minimum)
{
    // IBSI 3.4.3: X_d = floor((X - X_min)/w) + 1 with X_min = -500 (re-segmentation bound, config A):
    // -500 -> 1, -476 -> 1 (floor(24/25)=0), -475 -> 2, 399 -> floor(899/25)+1 = 36.
    const auto d = rp::discretize_values({-476.0, -475.0, 399.0}, 25.0, std::nullopt, false, -500.0);
    BOOST_TEST(d.levels[0] == 1);
    BOOST_TEST(d.levels[1] == 2);
    BOOST_TEST(d.levels[2] == 36);
    // PyRadiomics counts from floor(-476/25)*25 = -500 too here, but from -475 for a minimum of -475:
    const auto p = rp::discretize_values({-475.0, -451.0}, 25.0);
    BOOST_TEST(p.levels[0] == 1);
    BOOST_TEST(p.levels[1] == 1);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    BOOST_CHECK_THROW(rp::discretize_values({}, 25.0), rg::mask_error);
    BOOST_CHECK_THROW(rp::discretize_values({1.0, std::nan("")}, 25.0), rg::invalid_argument);
    BOOST_CHECK_THROW(rp::discretize_values({1.0, 2.0}, 0.0), rg::invalid_argument);
    BOOST_CHECK_THROW(rp::discretize_values({1.0, 2.0}, -1.0), rg::invalid_argument);
    BOOST_CHECK_THROW(rp::discretize_values({1.0, 2.0}, 1.0, 0), rg::invalid_argument);
    // 1000 HU range with binWidth 1e-3 -> 1e6 bins > max_bin_count (100,000): refused with a clear message.
    try {
        rp::discretize_values({0.0, 1000.0}, 1e-3);
        BOOST_FAIL("expected invalid_argument");
    } catch (const rg::invalid_argument& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("[radiogenomics.preprocess.bin_edges_fixed_width] number of bins") == 0u);
        BOOST_TEST(what.find("expected at most 100000") != std::string::npos);
    }
    BOOST_CHECK_NO_THROW(rp::discretize_values({0.0, 1000.0}, 0.011));  // ~90,900 bins: inside the limit
}

BOOST_AUTO_TEST_CASE(resegment_range_is_inclusive)
{
    const auto kept = rp::resegment_range({-600.0, -500.0, 0.0, 400.0, 401.0}, -500.0, 400.0);
    BOOST_TEST(kept == (std::vector<std::size_t>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
