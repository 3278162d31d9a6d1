#pragma once
/// \file svg_plot.hpp
/// \brief Minimal dependency-free SVG scatter plot (volcano plots, embeddings), written as text.
///
/// One concept: `svg_scatter(points, options)` returns an SVG document with axes, ticks, optional
/// reference lines and a legend; points are coloured by series. Non-finite points are skipped
/// (counted in a note under the plot). `save_svg` writes the text atomically.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "radiogenomics/report/atomic_file.hpp"

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

/// Writes an SVG document atomically.
inline void save_svg(const std::string& path, const std::string& svg) { write_file_atomic(path, svg); }

}  // namespace radiogenomics::report
