#pragma once
// Shared helpers of the features tests: reference CSVs and a relative comparison.
#include <cmath>
#include <map>
#include <string>

#include "radiogenomics/report/csv.hpp"

namespace rg_features_test {

/// name -> value of a PyRadiomics reference CSV (columns name,value).
inline std::map<std::string, double> read_reference(const std::string& path)
{
    const auto table = radiogenomics::report::read_csv(path);
    const std::size_t name = table.column("name");
    const std::size_t value = table.column("value");
    std::map<std::string, double> out;
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        out[table.rows[r][name]] = table.number(r, value);
    }
    return out;
}

/// |a - b| <= rel * max(|a|, |b|) + abs_floor. The floor only matters for values that are zero up to
/// rounding (e.g. -3.2e-16 entropies of single-bin images).
inline bool close(double a, double b, double rel = 1e-6, double abs_floor = 1e-12)
{
    if (std::isnan(a) || std::isnan(b)) {
        return std::isnan(a) && std::isnan(b);
    }
    return std::fabs(a - b) <= rel * std::fmax(std::fabs(a), std::fabs(b)) + abs_floor;
}

}  // namespace rg_features_test
