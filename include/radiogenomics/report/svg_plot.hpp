#pragma once
/// \file svg_plot.hpp
/// \brief Minimal dependency-free SVG plots written as text: scatter (volcano plots, embeddings),
/// line plot (loss curves, DBI), confusion matrix, heatmap with dendrogram.
///
/// One concept: `svg_scatter(points, options)` returns an SVG document with axes, ticks, optional
/// reference lines and a legend; points are coloured by series. Non-finite points are skipped
/// (counted in a note under the plot). `save_svg` writes the text atomically.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "radiogenomics/io/atomic_file.hpp"

namespace radiogenomics::report {

/// A point of a scatter plot; `series` indexes the colours/names of `svg_scatter_options`.
struct svg_point {
    double x = 0.0;     ///< horizontal data coordinate
    double y = 0.0;     ///< vertical data coordinate
    int series = 0;     ///< series index (colour)
    std::string label;  ///< tooltip text (`<title>`), may be empty
};

/// Layout and annotation of `svg_scatter`.
struct svg_scatter_options {
    std::string title;                     ///< plot title
    std::string x_label;                   ///< horizontal axis label
    std::string y_label;                   ///< vertical axis label
    int width = 640;                       ///< pixels
    int height = 480;                      ///< pixels
    double point_radius = 3.0;             ///< pixels
    std::vector<std::string> series_names; ///< legend entries (empty: no legend)
    std::vector<std::string> series_colors{"#9e9e9e", "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd"};
    std::vector<double> vertical_lines;    ///< dashed reference lines at these x
    std::vector<double> horizontal_lines;  ///< dashed reference lines at these y
};

/// Escapes `&`, `<`, `>`, `"` for SVG text and attributes.
inline std::string svg_escape(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

namespace detail {

inline std::string svg_number(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.2f", v);
    return buffer;
}

inline std::string svg_tick(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%g", std::abs(v) < 1e-12 ? 0.0 : v);
    return buffer;
}

/// About five "nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi].
inline std::vector<double> nice_ticks(double lo, double hi)
{
    const double span = hi - lo;
    const double raw = span / 5.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (span / step <= 6.0) {
            break;
        }
    }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) {
        ticks.push_back(t);
    }
    return ticks;
}

}  // namespace detail

/// SVG document of a scatter plot.
inline std::string svg_scatter(const std::vector<svg_point>& points, const svg_scatter_options& options = {})
{
    double x_lo = std::numeric_limits<double>::infinity();
    double x_hi = -x_lo;
    double y_lo = x_lo;
    double y_hi = -x_lo;
    std::size_t skipped = 0;
    for (const auto& p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
            ++skipped;
            continue;
        }
        x_lo = std::min(x_lo, p.x);
        x_hi = std::max(x_hi, p.x);
        y_lo = std::min(y_lo, p.y);
        y_hi = std::max(y_hi, p.y);
    }
    for (const double v : options.vertical_lines) {
        x_lo = std::min(x_lo, v);
        x_hi = std::max(x_hi, v);
    }
    for (const double v : options.horizontal_lines) {
        y_lo = std::min(y_lo, v);
        y_hi = std::max(y_hi, v);
    }
    if (!(x_lo <= x_hi)) {  // nothing finite to draw
        x_lo = 0.0;
        x_hi = 1.0;
        y_lo = 0.0;
        y_hi = 1.0;
    }
    const auto widen = [](double& lo, double& hi) {
        const double pad = hi > lo ? 0.05 * (hi - lo) : 0.5 * std::max(1.0, std::abs(lo));
        lo -= pad;
        hi += pad;
    };
    widen(x_lo, x_hi);
    widen(y_lo, y_hi);
    const double left = 70.0;
    const double right = options.series_names.empty() ? 20.0 : 150.0;
    const double top = 40.0;
    const double bottom = 60.0;
    const double w = options.width - left - right;
    const double h = options.height - top - bottom;
    const auto px = [&](double x) { return left + (x - x_lo) / (x_hi - x_lo) * w; };
    const auto py = [&](double y) { return top + (1.0 - (y - y_lo) / (y_hi - y_lo)) * h; };
    const auto color = [&](int series) {
        if (options.series_colors.empty()) {
            return std::string("#000000");
        }
        const auto n = static_cast<int>(options.series_colors.size());
        return options.series_colors[static_cast<std::size_t>(((series % n) + n) % n)];
    };
    using detail::svg_number;
    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.width << "\" height=\"" << options.height
        << "\" viewBox=\"0 0 " << options.width << ' ' << options.height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    out << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out << "<text x=\"" << svg_number(options.width / 2.0) << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">"
        << svg_escape(options.title) << "</text>\n";
    out << "<rect x=\"" << svg_number(left) << "\" y=\"" << svg_number(top) << "\" width=\"" << svg_number(w)
        << "\" height=\"" << svg_number(h) << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (const double t : detail::nice_ticks(x_lo, x_hi)) {
        out << "<line x1=\"" << svg_number(px(t)) << "\" y1=\"" << svg_number(top + h) << "\" x2=\"" << svg_number(px(t))
            << "\" y2=\"" << svg_number(top + h + 5) << "\" stroke=\"black\"/><text x=\"" << svg_number(px(t))
            << "\" y=\"" << svg_number(top + h + 18) << "\" text-anchor=\"middle\">" << detail::svg_tick(t)
            << "</text>\n";
    }
    for (const double t : detail::nice_ticks(y_lo, y_hi)) {
        out << "<line x1=\"" << svg_number(left - 5) << "\" y1=\"" << svg_number(py(t)) << "\" x2=\"" << svg_number(left)
            << "\" y2=\"" << svg_number(py(t)) << "\" stroke=\"black\"/><text x=\"" << svg_number(left - 8) << "\" y=\""
            << svg_number(py(t) + 4) << "\" text-anchor=\"end\">" << detail::svg_tick(t) << "</text>\n";
    }
    out << "<text x=\"" << svg_number(left + w / 2) << "\" y=\"" << svg_number(options.height - 22.0)
        << "\" text-anchor=\"middle\">" << svg_escape(options.x_label) << "</text>\n";
    out << "<text x=\"18\" y=\"" << svg_number(top + h / 2) << "\" text-anchor=\"middle\" transform=\"rotate(-90 18 "
        << svg_number(top + h / 2) << ")\">" << svg_escape(options.y_label) << "</text>\n";
    for (const double v : options.vertical_lines) {
        out << "<line x1=\"" << svg_number(px(v)) << "\" y1=\"" << svg_number(top) << "\" x2=\"" << svg_number(px(v))
            << "\" y2=\"" << svg_number(top + h) << "\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n";
    }
    for (const double v : options.horizontal_lines) {
        out << "<line x1=\"" << svg_number(left) << "\" y1=\"" << svg_number(py(v)) << "\" x2=\"" << svg_number(left + w)
            << "\" y2=\"" << svg_number(py(v)) << "\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>\n";
    }
    for (const auto& p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
            continue;
        }
        out << "<circle cx=\"" << svg_number(px(p.x)) << "\" cy=\"" << svg_number(py(p.y)) << "\" r=\""
            << svg_number(options.point_radius) << "\" fill=\"" << color(p.series) << "\" fill-opacity=\"0.75\">";
        if (!p.label.empty()) {
            out << "<title>" << svg_escape(p.label) << "</title>";
        }
        out << "</circle>\n";
    }
    for (std::size_t s = 0; s < options.series_names.size(); ++s) {
        const double y = top + 10.0 + 18.0 * static_cast<double>(s);
        out << "<circle cx=\"" << svg_number(left + w + 15) << "\" cy=\"" << svg_number(y) << "\" r=\"5\" fill=\""
            << color(static_cast<int>(s)) << "\"/><text x=\"" << svg_number(left + w + 25) << "\" y=\""
            << svg_number(y + 4) << "\">" << svg_escape(options.series_names[s]) << "</text>\n";
    }
    if (skipped > 0) {
        out << "<text x=\"" << svg_number(left) << "\" y=\"" << svg_number(options.height - 6.0) << "\" fill=\"#555\">"
            << skipped << " point(s) with undefined coordinates not shown</text>\n";
    }
    out << "</svg>\n";
    return out.str();
}

/// One line of `svg_line_plot`.
struct svg_series {
    std::string name;        ///< legend entry (empty: not in the legend)
    std::vector<double> x;   ///< horizontal coordinates
    std::vector<double> y;   ///< vertical coordinates (non-finite values break the line)
    std::string color;       ///< stroke colour (empty: the palette of the options by index)
    bool dashed = false;
    bool markers = false;    ///< draw a dot at each point
};

/// Line plot (loss curves, DBI against k): same frame, ticks and labels as `svg_scatter`.
inline std::string svg_line_plot(const std::vector<svg_series>& series, const svg_scatter_options& options = {})
{
    // The frame is drawn by svg_scatter from invisible corner points; lines are appended before </svg>.
    double x_lo = std::numeric_limits<double>::infinity();
    double x_hi = -x_lo;
    double y_lo = x_lo;
    double y_hi = -x_lo;
    for (const auto& s : series) {
        for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
            if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) {
                x_lo = std::min(x_lo, s.x[i]);
                x_hi = std::max(x_hi, s.x[i]);
                y_lo = std::min(y_lo, s.y[i]);
                y_hi = std::max(y_hi, s.y[i]);
            }
        }
    }
    svg_scatter_options frame = options;
    frame.series_names.clear();
    for (const auto& s : series) {
        frame.series_names.push_back(s.name);
    }
    bool any_name = false;
    for (const auto& n : frame.series_names) {
        any_name = any_name || !n.empty();
    }
    if (!any_name) {
        frame.series_names.clear();
    }
    if (!(x_lo <= x_hi)) {
        x_lo = 0.0;
        x_hi = 1.0;
        y_lo = 0.0;
        y_hi = 1.0;
    }
    // Same bounds logic as svg_scatter (5 % padding), reproduced to map the lines.
    double bx_lo = x_lo;
    double bx_hi = x_hi;
    double by_lo = y_lo;
    double by_hi = y_hi;
    for (const double v : options.vertical_lines) {
        bx_lo = std::min(bx_lo, v);
        bx_hi = std::max(bx_hi, v);
    }
    for (const double v : options.horizontal_lines) {
        by_lo = std::min(by_lo, v);
        by_hi = std::max(by_hi, v);
    }
    const auto widen = [](double& lo, double& hi) {
        const double pad = hi > lo ? 0.05 * (hi - lo) : 0.5 * std::max(1.0, std::abs(lo));
        lo -= pad;
        hi += pad;
    };
    widen(bx_lo, bx_hi);
    widen(by_lo, by_hi);
    const double left = 70.0;
    const double right = frame.series_names.empty() ? 20.0 : 150.0;
    const double top = 40.0;
    const double bottom = 60.0;
    const double w = options.width - left - right;
    const double h = options.height - top - bottom;
    const auto px = [&](double x) { return left + (x - bx_lo) / (bx_hi - bx_lo) * w; };
    const auto py = [&](double y) { return top + (1.0 - (y - by_lo) / (by_hi - by_lo)) * h; };
    // Legend colours follow the series colours: pass them through the palette.
    frame.series_colors.clear();
    for (std::size_t s = 0; s < series.size(); ++s) {
        frame.series_colors.push_back(!series[s].color.empty() ? series[s].color
                                      : options.series_colors.empty()
                                          ? std::string("#000000")
                                          : options.series_colors[s % options.series_colors.size()]);
    }
    std::vector<svg_point> corners{{x_lo, y_lo, -1, ""}, {x_hi, y_hi, -1, ""}};
    frame.point_radius = 0.0;
    std::string svg = svg_scatter(corners, frame);
    std::ostringstream lines;
    for (std::size_t s = 0; s < series.size(); ++s) {
        const std::string& color = frame.series_colors.empty() ? std::string("#000000") : frame.series_colors[s];
        std::string path;
        bool pen_down = false;
        for (std::size_t i = 0; i < series[s].x.size() && i < series[s].y.size(); ++i) {
            const double x = series[s].x[i];
            const double y = series[s].y[i];
            if (!std::isfinite(x) || !std::isfinite(y)) {
                pen_down = false;
                continue;
            }
            path += (pen_down ? " L" : " M") + detail::svg_number(px(x)) + ' ' + detail::svg_number(py(y));
            pen_down = true;
            if (series[s].markers) {
                lines << "<circle cx=\"" << detail::svg_number(px(x)) << "\" cy=\"" << detail::svg_number(py(y))
                      << "\" r=\"3\" fill=\"" << color << "\"/>\n";
            }
        }
        if (!path.empty()) {
            lines << "<path d=\"" << path.substr(1) << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.6\""
                  << (series[s].dashed ? " stroke-dasharray=\"5 3\"" : "") << "/>\n";
        }
    }
    const std::size_t end = svg.rfind("</svg>");
    svg.insert(end, lines.str());
    return svg;
}

/// Options of `svg_confusion_matrix`.
struct svg_confusion_options {
    std::string title;
    std::vector<std::string> class_names{"negative", "positive"};
    int size = 220;  ///< pixels (square)
};

/// A confusion matrix as a shaded grid: rows = true class, columns = predicted class;
/// `counts[r][c]` is the number of samples of true class r predicted as c.
inline std::string svg_confusion_matrix(const std::vector<std::vector<long>>& counts,
                                        const svg_confusion_options& options = {})
{
    const std::size_t k = counts.size();
    long max_count = 0;
    for (const auto& row : counts) {
        for (const long v : row) {
            max_count = std::max(max_count, v);
        }
    }
    const double left = 70.0;
    const double top = 40.0;
    const double cell = (options.size - left - 10.0) / static_cast<double>(std::max<std::size_t>(k, 1));
    const double height = top + cell * static_cast<double>(k) + 40.0;
    using detail::svg_number;
    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.size << "\" height=\"" << svg_number(height)
        << "\" viewBox=\"0 0 " << options.size << ' ' << svg_number(height)
        << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out << "<text x=\"" << svg_number(options.size / 2.0) << "\" y=\"14\" text-anchor=\"middle\" font-size=\"12\">"
        << svg_escape(options.title) << "</text>\n";
    out << "<text x=\"" << svg_number(left + cell * static_cast<double>(k) / 2) << "\" y=\"30\" text-anchor=\"middle\">predicted</text>\n";
    out << "<text x=\"12\" y=\"" << svg_number(top + cell * static_cast<double>(k) / 2)
        << "\" text-anchor=\"middle\" transform=\"rotate(-90 12 " << svg_number(top + cell * static_cast<double>(k) / 2)
        << ")\">true</text>\n";
    for (std::size_t r = 0; r < k; ++r) {
        for (std::size_t c = 0; c < counts[r].size() && c < k; ++c) {
            const double f = max_count > 0 ? static_cast<double>(counts[r][c]) / static_cast<double>(max_count) : 0.0;
            const int shade = static_cast<int>(std::lround(255.0 - 180.0 * f));
            char color[16];
            std::snprintf(color, sizeof(color), "#%02x%02xff", shade, shade);
            const double x = left + cell * static_cast<double>(c);
            const double y = top + cell * static_cast<double>(r);
            out << "<rect x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" width=\"" << svg_number(cell)
                << "\" height=\"" << svg_number(cell) << "\" fill=\"" << color << "\" stroke=\"#333\"/>";
            out << "<text x=\"" << svg_number(x + cell / 2) << "\" y=\"" << svg_number(y + cell / 2 + 5)
                << "\" text-anchor=\"middle\" font-size=\"15\">" << counts[r][c] << "</text>\n";
        }
        const std::string name = r < options.class_names.size() ? options.class_names[r] : std::to_string(r);
        out << "<text x=\"" << svg_number(left - 4) << "\" y=\"" << svg_number(top + cell * (static_cast<double>(r) + 0.5) + 4)
            << "\" text-anchor=\"end\">" << svg_escape(name) << "</text>\n";
        out << "<text x=\"" << svg_number(left + cell * (static_cast<double>(r) + 0.5)) << "\" y=\""
            << svg_number(top + cell * static_cast<double>(k) + 14) << "\" text-anchor=\"middle\">" << svg_escape(name)
            << "</text>\n";
    }
    out << "</svg>\n";
    return out.str();
}

/// Options of `svg_heatmap`.
struct svg_heatmap_options {
    std::string title;
    std::string x_label;                   ///< under the columns
    std::string y_label;                   ///< beside the rows
    int width = 760;
    int height = 560;
    double dendrogram_width = 120.0;       ///< pixels left of the rows (0: no dendrogram)
    std::vector<int> row_groups;           ///< optional colour bar per row (e.g. cluster), in input row order
    std::vector<std::string> group_names;  ///< legend of the colour bar
    std::vector<std::string> group_colors{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
};

/// Heatmap of `values` (rows × columns, row-major: values[r][c]) with rows in `row_order` and an
/// optional dendrogram from a SciPy-format linkage (`merges[i] = {a, b, height, size}`, leaves
/// 0..n-1, merge i creates cluster n+i). Colours: blue (low) – white – red (high), symmetric around 0
/// with the scale set by the largest |value| (z-scores are the intended input).
inline std::string svg_heatmap(const std::vector<std::vector<double>>& values, const std::vector<std::size_t>& row_order,
                               const std::vector<std::array<double, 4>>& merges, const svg_heatmap_options& options = {})
{
    const std::size_t rows = values.size();
    const std::size_t cols = rows > 0 ? values[0].size() : 0;
    double scale = 0.0;
    for (const auto& r : values) {
        for (const double v : r) {
            if (std::isfinite(v)) {
                scale = std::max(scale, std::abs(v));
            }
        }
    }
    scale = scale > 0.0 ? std::min(scale, 3.0) : 1.0;
    const bool with_groups = options.row_groups.size() == rows && rows > 0;
    const double top = 40.0;
    const double bottom = 50.0;
    const double left = 30.0 + (merges.empty() ? 0.0 : options.dendrogram_width);
    const double bar = with_groups ? 14.0 : 0.0;
    const double right = 130.0;
    const double w = options.width - left - bar - right;
    const double h = options.height - top - bottom;
    const double cw = cols > 0 ? w / static_cast<double>(cols) : w;
    const double rh = rows > 0 ? h / static_cast<double>(rows) : h;
    using detail::svg_number;
    std::ostringstream out;
    out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << options.width << "\" height=\"" << options.height
        << "\" viewBox=\"0 0 " << options.width << ' ' << options.height
        << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    out << "<text x=\"" << svg_number(options.width / 2.0) << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">"
        << svg_escape(options.title) << "</text>\n";
    std::vector<double> position(rows, 0.0);  // y centre of each input row
    for (std::size_t k = 0; k < row_order.size() && k < rows; ++k) {
        position[row_order[k]] = top + rh * (static_cast<double>(k) + 0.5);
    }
    const double x0 = left + bar;
    for (std::size_t k = 0; k < row_order.size() && k < rows; ++k) {
        const std::size_t r = row_order[k];
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = values[r][c];
            std::string color = "#cccccc";
            if (std::isfinite(v)) {
                const double f = std::max(-1.0, std::min(1.0, v / scale));
                const int fade = static_cast<int>(std::lround(255.0 * (1.0 - std::abs(f))));
                char buffer[16];
                if (f >= 0) {
                    std::snprintf(buffer, sizeof(buffer), "#ff%02x%02x", fade, fade);
                } else {
                    std::snprintf(buffer, sizeof(buffer), "#%02x%02xff", fade, fade);
                }
                color = buffer;
            }
            out << "<rect x=\"" << svg_number(x0 + cw * static_cast<double>(c)) << "\" y=\""
                << svg_number(top + rh * static_cast<double>(k)) << "\" width=\"" << svg_number(cw + 0.3)
                << "\" height=\"" << svg_number(rh + 0.3) << "\" fill=\"" << color << "\"/>";
        }
        if (with_groups) {
            const int g = options.row_groups[r];
            const auto n = static_cast<int>(options.group_colors.size());
            out << "<rect x=\"" << svg_number(left) << "\" y=\"" << svg_number(top + rh * static_cast<double>(k))
                << "\" width=\"" << svg_number(bar - 2) << "\" height=\"" << svg_number(rh + 0.3) << "\" fill=\""
                << options.group_colors[static_cast<std::size_t>(((g % n) + n) % n)] << "\"/>";
        }
        out << '\n';
    }
    // Dendrogram: x from merge height (0 at the heatmap's left edge).
    if (!merges.empty() && rows >= 2) {
        double max_height = 0.0;
        for (const auto& m : merges) {
            max_height = std::max(max_height, m[2]);
        }
        max_height = max_height > 0.0 ? max_height : 1.0;
        const double right_edge = left - 4.0;
        const double dw = options.dendrogram_width - 10.0;
        std::vector<double> node_y(rows + merges.size(), 0.0);
        std::vector<double> node_x(rows + merges.size(), right_edge);
        for (std::size_t r = 0; r < rows; ++r) {
            node_y[r] = position[r];
        }
        for (std::size_t i = 0; i < merges.size(); ++i) {
            const auto a = static_cast<std::size_t>(merges[i][0]);
            const auto b = static_cast<std::size_t>(merges[i][1]);
            if (a >= rows + i || b >= rows + i) {
                break;  // not a valid linkage: stop drawing
            }
            const double x = right_edge - dw * merges[i][2] / max_height;
            out << "<path d=\"M" << svg_number(node_x[a]) << ' ' << svg_number(node_y[a]) << " H" << svg_number(x)
                << " V" << svg_number(node_y[b]) << " H" << svg_number(node_x[b])
                << "\" fill=\"none\" stroke=\"#333\" stroke-width=\"0.8\"/>\n";
            node_x[rows + i] = x;
            node_y[rows + i] = 0.5 * (node_y[a] + node_y[b]);
        }
    }
    out << "<text x=\"" << svg_number(x0 + w / 2) << "\" y=\"" << svg_number(options.height - 20.0)
        << "\" text-anchor=\"middle\">" << svg_escape(options.x_label) << "</text>\n";
    out << "<text x=\"14\" y=\"" << svg_number(top + h / 2) << "\" text-anchor=\"middle\" transform=\"rotate(-90 14 "
        << svg_number(top + h / 2) << ")\">" << svg_escape(options.y_label) << "</text>\n";
    // Colour scale and group legend.
    const double lx = x0 + w + 15.0;
    for (int i = 0; i <= 10; ++i) {
        const double f = 1.0 - 0.2 * i;
        const int fade = static_cast<int>(std::lround(255.0 * (1.0 - std::abs(f))));
        char buffer[16];
        if (f >= 0) {
            std::snprintf(buffer, sizeof(buffer), "#ff%02x%02x", fade, fade);
        } else {
            std::snprintf(buffer, sizeof(buffer), "#%02x%02xff", fade, fade);
        }
        out << "<rect x=\"" << svg_number(lx) << "\" y=\"" << svg_number(top + 10.0 * i) << "\" width=\"12\" height=\"10\" fill=\""
            << buffer << "\"/>";
    }
    out << "<text x=\"" << svg_number(lx + 16) << "\" y=\"" << svg_number(top + 9) << "\">+" << detail::svg_tick(scale)
        << "</text><text x=\"" << svg_number(lx + 16) << "\" y=\"" << svg_number(top + 109) << "\">-"
        << detail::svg_tick(scale) << "</text>\n";
    for (std::size_t g = 0; with_groups && g < options.group_names.size(); ++g) {
        const double y = top + 135.0 + 16.0 * static_cast<double>(g);
        out << "<rect x=\"" << svg_number(lx) << "\" y=\"" << svg_number(y - 9) << "\" width=\"12\" height=\"10\" fill=\""
            << options.group_colors[g % options.group_colors.size()] << "\"/><text x=\"" << svg_number(lx + 16)
            << "\" y=\"" << svg_number(y) << "\">" << svg_escape(options.group_names[g]) << "</text>\n";
    }
    out << "</svg>\n";
    return out.str();
}

/// Writes an SVG document atomically.
inline void save_svg(const std::string& path, const std::string& svg) { io::write_file_atomic(path, svg); }

}  // namespace radiogenomics::report
