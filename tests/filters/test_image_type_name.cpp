// filters/image_type_name.hpp: python_float_repr against CPython's repr (frozen by
// tests/fixtures/features/generate_python_float_repr.py), and the LoG image-type names built from it.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rf = radiogenomics::filters;

BOOST_AUTO_TEST_SUITE(image_type_name)

BOOST_AUTO_TEST_CASE(python_float_repr_matches_cpython)
{
    // 379 doubles (given exactly as C99 hex floats) and CPython 3.11's repr of each.
    const auto t = radiogenomics::io::read_csv(rg_test::fixture("features/python_float_repr.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 379u);
    const std::size_t hex = t.column("hex");
    const std::size_t repr = t.column("repr");
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const std::string& h = t.rows[r][hex];
        const double value = std::strtod(h.c_str(), nullptr);  // also parses "inf", "-inf", "nan"
        BOOST_TEST(rf::python_float_repr(value) == t.rows[r][repr], "row " << r << " (" << h << ")");
    }
}

BOOST_AUTO_TEST_CASE(python_float_repr_notation_switch)
{
    // CPython: repr switches to exponent notation at 1e16 and below 1e-4.
    BOOST_TEST(rf::python_float_repr(-1000.0) == "-1000.0");
    BOOST_TEST(rf::python_float_repr(1e15) == "1000000000000000.0");
    BOOST_TEST(rf::python_float_repr(1e16) == "1e+16");
    BOOST_TEST(rf::python_float_repr(0.0001) == "0.0001");
    BOOST_TEST(rf::python_float_repr(1e-05) == "1e-05");
    BOOST_TEST(rf::python_float_repr(-0.0) == "-0.0");
    BOOST_TEST(rf::log_image_type_name(1000.0) == "log-sigma-1000-0-mm-3D");
    BOOST_TEST(rf::log_image_type_name(0.75) == "log-sigma-0-75-mm-3D");
}

BOOST_AUTO_TEST_SUITE_END()
