#include "fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "test_paths.hpp"

namespace stats_fixture {
namespace {

double number(const nlohmann::json& v)
{
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "nan") {
            return std::numeric_limits<double>::quiet_NaN();
        }
        if (s == "inf") {
            return std::numeric_limits<double>::infinity();
        }
        if (s == "-inf") {
            return -std::numeric_limits<double>::infinity();
        }
        throw std::runtime_error("bad number string " + s);
    }
    return v.get<double>();
}

Eigen::VectorXd vector_of(const nlohmann::json& v)
{
    Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
        out[static_cast<Eigen::Index>(i)] = number(v[i]);
    }
    return out;
}

bool is_list_of_lists(const nlohmann::json& v) { return v.is_array() && !v.empty() && v[0].is_array(); }

struct fixture_data {
    std::string scipy_version;
    std::vector<stats_case> cases;
};

const fixture_data& data()
{
    static const fixture_data loaded = [] {
        const std::string path = rg_test::fixture("stats/stats_reference.json");
        std::ifstream in(path);
        if (!in) {
            throw std::runtime_error("cannot open " + path);
        }
        const nlohmann::json root = nlohmann::json::parse(in);
        fixture_data out;
        out.scipy_version = root.at("scipy_version").get<std::string>();
        for (const auto& item : root.at("cases")) {
            stats_case c;
            for (auto it = item.begin(); it != item.end(); ++it) {
                const std::string& key = it.key();
                const auto& v = it.value();
                if (key == "id") {
                    c.id = v.get<std::string>();
                } else if (key == "func") {
                    c.func = v.get<std::string>();
                } else if (key == "call") {
                    c.call = v.get<std::string>();
                } else if (key == "expected") {
                    for (auto e = v.begin(); e != v.end(); ++e) {
                        if (is_list_of_lists(e.value())) {
                            const auto& rows = e.value();
                            Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()),
                                              static_cast<Eigen::Index>(rows[0].size()));
                            for (std::size_t r = 0; r < rows.size(); ++r) {
                                m.row(static_cast<Eigen::Index>(r)) = vector_of(rows[r]).transpose();
                            }
                            c.expected_matrices[e.key()] = m;
                        } else if (e.value().is_array()) {
                            c.expected_vectors[e.key()] = vector_of(e.value());
                        } else {
                            c.expected[e.key()] = number(e.value());
                        }
                    }
                } else if (v.is_boolean()) {
                    c.flags[key] = v.get<bool>();
                } else if (v.is_string()) {
                    c.text[key] = v.get<std::string>();
                } else if (is_list_of_lists(v)) {
                    for (const auto& row : v) {
                        c.lists[key].push_back(vector_of(row));
                    }
                } else if (v.is_array()) {
                    c.vectors[key] = vector_of(v);
                }
            }
            out.cases.push_back(std::move(c));
        }
        return out;
    }();
    return loaded;
}

}  // namespace

Eigen::MatrixXd stats_case::table() const
{
    const auto& rows = lists.at("table");
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), rows[0].size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        m.row(static_cast<Eigen::Index>(r)) = rows[r].transpose();
    }
    return m;
}

std::vector<const stats_case*> cases_of(const std::string& func)
{
    std::vector<const stats_case*> out;
    for (const auto& c : data().cases) {
        if (c.func == func) {
            out.push_back(&c);
        }
    }
    BOOST_TEST_REQUIRE(!out.empty(), "no fixture cases for " << func);
    return out;
}

std::string scipy_version() { return data().scipy_version; }

bool close(double actual, double expected, double rel, double abs_floor)
{
    if (std::isnan(expected) || std::isnan(actual)) {
        return std::isnan(expected) && std::isnan(actual);
    }
    if (actual == expected) {
        return true;
    }
    if (std::isinf(expected) || std::isinf(actual)) {
        return false;
    }
    const double diff = std::abs(actual - expected);
    return diff <= rel * std::max(std::abs(actual), std::abs(expected)) || diff <= abs_floor;
}

}  // namespace stats_fixture
