// Second translation unit of the ODR test (see test_odr_a.cpp).
#include "radiogenomics/radiogenomics.hpp"

int odr_probe_b() { return RG_VERSION_MAJOR * 10000 + RG_VERSION_MINOR * 100 + RG_VERSION_PATCH; }
