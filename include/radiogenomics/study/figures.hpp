#pragma once
/// \file figures.hpp
/// \brief What the stages' report sections share: number formats for HTML and CSV, the volcano plot
/// and its CSV, the confusion-matrix figure and the linkage caption name. Each stage writes its own
/// CSV files and HTML section with these (`write_*`, `add_*_section` beside each `run_*`).

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/learn/metrics.hpp"
#include "radiogenomics/report/svg_plot.hpp"
#include "radiogenomics/stats/volcano.hpp"

namespace radiogenomics::study::detail {

/// A number for HTML text: `digits` decimals, "n/a" for NaN, "inf"/"-inf".
inline std::string fmt(double v, int digits = 4)
{
    if (!std::isfinite(v)) {
        return std::isnan(v) ? "n/a" : (v > 0 ? "inf" : "-inf");
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.*f", digits, v);
    return buffer;
}

/// A p-value for HTML text: 4 decimals, scientific below 1e-4, "n/a" when not finite.
inline std::string fmt_p(double p)
{
    if (!std::isfinite(p)) {
        return "n/a";
    }
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), p < 1e-4 ? "%.2e" : "%.4f", p);
    return buffer;
}

/// A number for a CSV cell (10 significant digits).
inline std::string num(double v) { return io::format_number(v, 10); }

/// Writes a volcano result (one row per feature) to `path`.
inline void write_volcano_csv(const std::string& path, const std::vector<std::string>& features,
                              const stats::volcano_result& v)
{
    io::csv_writer w({"feature", "mean_negative", "mean_positive", "log2_fold_change", "statistic", "p_value",
                      "p_adjusted", "significant", "n_negative", "n_positive"});
    for (Eigen::Index j = 0; j < v.p_value.size(); ++j) {
        w.add_row({features[static_cast<std::size_t>(j)], num(v.mean_negative[j]), num(v.mean_positive[j]),
                   num(v.log2_fold_change[j]), num(v.statistic[j]), num(v.p_value[j]), num(v.p_adjusted[j]),
                   v.significant[static_cast<std::size_t>(j)] ? "1" : "0", std::to_string(v.group_counts(j, 0)),
                   std::to_string(v.group_counts(j, 1))});
    }
    w.save(path);
}

/// Volcano plot: log2 fold change (or the mean difference) against -log10 p; BH-significant in series 1.
inline std::string volcano_svg(const std::vector<std::string>& names, const stats::volcano_result& v,
                               const std::string& title, bool fold_change_axis)
{
    std::vector<report::svg_point> points;
    for (Eigen::Index j = 0; j < v.p_value.size(); ++j) {
        report::svg_point pt;
        pt.x = fold_change_axis ? v.log2_fold_change[j] : v.mean_positive[j] - v.mean_negative[j];
        pt.y = v.p_value[j] > 0 ? -std::log10(v.p_value[j]) : std::numeric_limits<double>::quiet_NaN();
        pt.series = v.significant[static_cast<std::size_t>(j)] ? 1 : 0;
        if (static_cast<std::size_t>(j) < names.size()) {
            pt.label = names[static_cast<std::size_t>(j)];
        }
        points.push_back(pt);
    }
    report::svg_scatter_options o;
    o.title = title;
    o.x_label = fold_change_axis ? "log2 fold change (TP53+ / TP53-)" : "mean difference (TP53+ - TP53-)";
    o.y_label = "-log10 p (Mann-Whitney)";
    o.width = 360;
    o.height = 280;
    o.point_radius = 2.0;
    o.horizontal_lines = {-std::log10(0.05)};
    o.vertical_lines = {0.0};
    return report::svg_scatter(points, o);
}

/// "Ward", "single", ... for captions.
inline std::string linkage_title(cluster::linkage_method method)
{
    std::string name = cluster::to_string(method);
    if (name == "ward") {
        return "Ward";
    }
    return name;
}

/// 2 × 2 confusion matrix figure (rows true, columns predicted).
inline std::string confusion_svg(const learn::binary_metrics& m, const std::string& title)
{
    const auto& c = m.confusion;
    report::svg_confusion_options o;
    o.title = title;
    o.class_names = {"TP53-", "TP53+"};
    o.size = 190;
    return report::svg_confusion_matrix({{c.tn, c.fp}, {c.fn, c.tp}}, o);
}

}  // namespace radiogenomics::study::detail
