// Two translation units include every header (this one and test_odr_b.cpp) and are linked into one
// executable: a non-inline definition in any header fails the link with a duplicate symbol.
#include <boost/test/unit_test.hpp>

#include "radiogenomics/radiogenomics.hpp"

int odr_probe_b();

BOOST_AUTO_TEST_SUITE(odr)

BOOST_AUTO_TEST_CASE(two_translation_units_link)
{
    BOOST_TEST(odr_probe_b() == RG_VERSION_MAJOR * 10000 + RG_VERSION_MINOR * 100 + RG_VERSION_PATCH);
}

BOOST_AUTO_TEST_SUITE_END()
