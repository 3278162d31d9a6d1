#pragma once
// Shared helpers of the features tests: reference CSVs and a relative comparison.
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "radiogenomics/features/class_values.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/gldm.hpp"
#include "radiogenomics/features/gldm_matrix.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glcm_matrix.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glrlm_matrix.hpp"
#include "radiogenomics/features/glszm.hpp"
#include "radiogenomics/features/glszm_matrix.hpp"
#include "radiogenomics/features/ngtdm.hpp"
#include "radiogenomics/features/ngtdm_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/shape.hpp"
#include "radiogenomics/io/csv.hpp"

namespace rg_features_test {

/// Every feature (default or not) of the classes `classes` (all but shape2D by default), as "<class>_<Name>" ->
/// value, through the one feature-class table and dispatch (`feature_classes`, `class_values`).
inline std::map<std::string, double> all_features(
    const radiogenomics::features::roi_data& roi, const radiogenomics::features::settings& s,
    const std::vector<radiogenomics::features::feature_class>& classes = {
        radiogenomics::features::feature_class::first_order, radiogenomics::features::feature_class::shape,
        radiogenomics::features::feature_class::glcm,        radiogenomics::features::feature_class::glrlm,
        radiogenomics::features::feature_class::glszm,       radiogenomics::features::feature_class::gldm,
        radiogenomics::features::feature_class::ngtdm})
{
    namespace rf = radiogenomics::features;
    std::map<std::string, double> out;
    for (const rf::feature_class which : classes) {
        const rf::feature_class_info& info = rf::class_info(which);
        const std::vector<double> values = rf::class_values(which, roi, s);
        for (std::size_t r = 0; r < info.size; ++r) {
            out[std::string(info.name) + "_" + std::string(info.rows[r].name)] = values[r];
        }
    }
    return out;
}

/// Every first-order and texture feature (no shape), as "<class>_<Name>" -> value: also valid for a 2-D ROI.
inline std::map<std::string, double> all_texture_features(const radiogenomics::features::roi_data& roi,
                                                          const radiogenomics::features::settings& s)
{
    namespace rf = radiogenomics::features;
    return all_features(roi, s, {rf::feature_class::first_order, rf::feature_class::glcm, rf::feature_class::glrlm,
                                 rf::feature_class::glszm, rf::feature_class::gldm, rf::feature_class::ngtdm});
}

/// Within an IBSI 1 consensus value: |x - value| <= tolerance, or equal to the 3 significant digits printed when
/// the reference gives no tolerance (NaN).
inline bool within_ibsi(double x, double value, double tolerance)
{
    if (!std::isnan(tolerance)) {
        return std::fabs(x - value) <= tolerance * (1.0 + 1e-9);
    }
    if (value == 0.0) {
        return std::fabs(x) < 5e-4;
    }
    const double magnitude = std::pow(10.0, std::floor(std::log10(std::fabs(value))) - 2.0);
    return std::fabs(x - value) <= 0.5 * magnitude * (1.0 + 1e-9);
}

/// IBSI aggregation suffix of reference_values.csv ("2_5D_avg") -> its name in IBSI 1 ("2.5D direction-merged").
inline std::string aggregation_label(const std::string& suffix)
{
    static const std::map<std::string, std::string> labels{
        {"2D_avg", "2D averaged"},   {"2D_comb", "2D slice-merged"}, {"2_5D_avg", "2.5D direction-merged"},
        {"2_5D_comb", "2.5D merged"}, {"3D_avg", "3D averaged"},     {"3D_comb", "3D merged"},
        {"2D", "2D"},                {"2_5D", "2.5D"},              {"3D", "3D"}};
    return labels.at(suffix);
}

/// A mapping-file tag ("cm_joint_max_2_5D_avg") split into the IBSI tag ("cm_joint_max") and the aggregation name
/// of reference_values.csv ("2.5D direction-merged"); no known suffix gives an empty aggregation.
inline std::pair<std::string, std::string> split_ibsi_tag(const std::string& tag_full)
{
    for (const char* suffix :
         {"_2_5D_avg", "_2_5D_comb", "_2D_avg", "_2D_comb", "_3D_avg", "_3D_comb", "_2_5D", "_2D", "_3D"}) {
        const std::string sfx(suffix);
        if (tag_full.size() > sfx.size() && tag_full.compare(tag_full.size() - sfx.size(), sfx.size(), sfx) == 0) {
            return {tag_full.substr(0, tag_full.size() - sfx.size()), aggregation_label(sfx.substr(1))};
        }
    }
    return {tag_full, std::string()};
}

/// name -> value of a PyRadiomics reference CSV (columns name,value).
inline std::map<std::string, double> read_reference(const std::string& path)
{
    const auto table = radiogenomics::io::read_csv(path);
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
