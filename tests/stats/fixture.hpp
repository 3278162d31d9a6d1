#pragma once
// Loader for tests/fixtures/stats/stats_reference.json (SciPy reference values written by
// tests/fixtures/stats/generate_stats_fixtures.py) and the comparison rule of the stats tests.
#include <map>
#include <string>
#include <vector>

#include <Eigen/Core>

namespace stats_fixture {

struct stats_case {
    std::string id;
    std::string func;
    std::string call;                                          // SciPy call that produced the values
    std::map<std::string, std::string> text;                   // alternative, method, kind
    std::map<std::string, bool> flags;                         // use_continuity, correction
    std::map<std::string, Eigen::VectorXd> vectors;            // x, y, p
    std::map<std::string, std::vector<Eigen::VectorXd>> lists; // groups, table rows
    std::map<std::string, double> expected;                    // scalar reference values
    std::map<std::string, Eigen::VectorXd> expected_vectors;   // ranks, quantiles, adjusted p
    std::map<std::string, Eigen::MatrixXd> expected_matrices;  // expected frequencies

    Eigen::MatrixXd table() const;                             // lists["table"] as a matrix
};

/// All cases of one SciPy function ("mannwhitneyu", "kruskal", ...); fails the test if none.
std::vector<const stats_case*> cases_of(const std::string& func);

/// SciPy version recorded in the fixture.
std::string scipy_version();

/// a ≈ b: both NaN, equal (incl. ±inf), |a-b| <= rel·max(|a|,|b|), or |a-b| <= abs_floor.
bool close(double actual, double expected, double rel, double abs_floor = 0.0);

/// Relative tolerance of the stats tests (issue 4: 1e-10 relative).
constexpr double rel_tol = 1e-10;
/// Absolute floor for statistics: 0, every fixture statistic agrees to 1e-10 relative (kept as a
/// named knob in case a future case has a statistic that is 0 up to rounding).
constexpr double statistic_floor = 0.0;

}  // namespace stats_fixture

/// Checks `actual` against `c.expected[key]` and names the case on failure.
#define RG_CHECK_REF(c, key, actual, rel, floor)                                                              \
    BOOST_TEST(stats_fixture::close((actual), (c).expected.at(key), (rel), (floor)),                         \
               (c).id << " " << key << ": got " << std::setprecision(17) << (actual) << ", SciPy "            \
                      << (c).expected.at(key) << " [" << (c).call << "]")
