#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "radiogenomics/preprocess/suv.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
inline auto tt(double t) { return boost::test_tools::tolerance(t); }

BOOST_AUTO_TEST_SUITE(suv)

BOOST_AUTO_TEST_CASE(hand_worked_suv_bw)
{
    // 70 kg, 370 MBq, scan exactly one F-18 half-life (6586.2 s) after injection: decayed dose 185 MBq.
    // C = 5000 Bq/mL → SUV = 5000 · 70000 / 185e6 = 1.891891...
    pp::pet_metadata m;
    m.patient_weight_kg = 70.0;
    m.injected_dose_bq = 370e6;
    m.injection_to_scan_seconds = 6586.2;
    BOOST_TEST(pp::decayed_dose_bq(m) == 185e6, tt(1e-14));
    BOOST_TEST(pp::suv_bw_factor(m) == 70000.0 / 185e6, tt(1e-14));
    const rg::image_geometry<3> g({2, 1, 1}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> c(g);
    c(0, 0, 0) = 5000.0f;
    c(1, 0, 0) = 0.0f;
    const auto s = pp::suv_body_weight(c, m);
    static_assert(std::is_same_v<decltype(s), const rg::image<float, 3>>);
    BOOST_TEST(s(0, 0, 0) == 5000.0 * 70000.0 / 185e6, tt(1e-6));
    BOOST_TEST(s(1, 0, 0) == 0.0f);
    // 60 min after injection: 2^(−3600/6586.2) = 0.68467...; integer input gives double output
    m.injection_to_scan_seconds = 3600.0;
    rg::image<int, 3> ci(g, 1000);
    const auto si = pp::suv_body_weight(ci, m);
    static_assert(std::is_same_v<decltype(si), const rg::image<double, 3>>);
    BOOST_TEST(si(0, 0, 0) == 1000.0 * 70000.0 / (370e6 * std::pow(2.0, -3600.0 / 6586.2)), tt(1e-14));
}

BOOST_AUTO_TEST_CASE(bad_metadata_is_refused)
{
    pp::pet_metadata good;
    good.patient_weight_kg = 70.0;
    good.injected_dose_bq = 3e8;
    good.injection_to_scan_seconds = 3600.0;
    BOOST_CHECK_NO_THROW(pp::validate(good));
    auto m = good;
    m.patient_weight_kg = 0.0;
    BOOST_CHECK_THROW(pp::suv_bw_factor(m), rg::invalid_argument);
    m = good;
    m.injected_dose_bq = -1.0;
    BOOST_CHECK_THROW(pp::suv_bw_factor(m), rg::invalid_argument);
    m = good;
    m.injection_to_scan_seconds = -5.0;
    try {
        pp::suv_bw_factor(m);
        BOOST_FAIL("expected invalid_argument");
    } catch (const rg::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.preprocess.suv] injection_to_scan_seconds: got -5") == 0u);
    }
    m = good;
    m.half_life_seconds = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(pp::suv_bw_factor(m), rg::invalid_argument);
    rg::image<float, 2> c(rg::image_geometry<2>({2, 2}, {1.0, 1.0}, {0.0, 0.0}), 1.0f);
    c(1, 1) = std::numeric_limits<float>::infinity();
    BOOST_CHECK_THROW(pp::suv_body_weight(c, good), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
