#pragma once
/// \file html_report.hpp
/// \brief A self-contained HTML page (inline CSS and SVG, no scripts, no network) built section
/// by section: headings, paragraphs, tables, figures with captions.

#include <string>
#include <vector>

#include "radiogenomics/report/svg_plot.hpp"

namespace radiogenomics::report {

/// Escapes text for HTML content and attributes (same rules as SVG).
inline std::string html_escape(const std::string& text) { return svg_escape(text); }

/// Builder of a self-contained HTML report.
class html_report {
public:
    explicit html_report(std::string title) : m_title(std::move(title)) {}

    /// `<h2>` (level 2) or `<h3>` (level 3) with an anchor id.
    void heading(const std::string& text, int level = 2, const std::string& id = {})
    {
        const std::string tag = level <= 2 ? "h2" : "h3";
        m_body += "<" + tag + (id.empty() ? std::string() : " id=\"" + html_escape(id) + "\"") + ">" +
                  html_escape(text) + "</" + tag + ">\n";
        if (level <= 2 && !id.empty()) {
            m_toc.push_back({id, text});
        }
    }
    /// A paragraph of plain text.
    void paragraph(const std::string& text, const std::string& css_class = {})
    {
        m_body += "<p" + (css_class.empty() ? std::string() : " class=\"" + css_class + "\"") + ">" +
                  html_escape(text) + "</p>\n";
    }
    /// Raw HTML (caller escapes).
    void raw(const std::string& html) { m_body += html; }
    /// A table; `header` and every row are plain text cells.
    void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
               const std::string& caption = {})
    {
        m_body += "<table>";
        if (!caption.empty()) {
            m_body += "<caption>" + html_escape(caption) + "</caption>";
        }
        m_body += "<thead><tr>";
        for (const auto& h : header) {
            m_body += "<th>" + html_escape(h) + "</th>";
        }
        m_body += "</tr></thead><tbody>\n";
        for (const auto& r : rows) {
            m_body += "<tr>";
            for (const auto& c : r) {
                m_body += "<td>" + html_escape(c) + "</td>";
            }
            m_body += "</tr>\n";
        }
        m_body += "</tbody></table>\n";
    }
    /// A figure: inline SVG with a numbered caption.
    void figure(const std::string& svg, const std::string& caption)
    {
        ++m_figures;
        m_body += "<figure>" + svg + "<figcaption><b>Figure " + std::to_string(m_figures) + ".</b> " +
                  html_escape(caption) + "</figcaption></figure>\n";
    }
    /// Several small SVGs side by side under one caption.
    void figure_row(const std::vector<std::string>& svgs, const std::string& caption)
    {
        ++m_figures;
        m_body += "<figure><div class=\"row\">";
        for (const auto& s : svgs) {
            m_body += "<div>" + s + "</div>";
        }
        m_body += "</div><figcaption><b>Figure " + std::to_string(m_figures) + ".</b> " + html_escape(caption) +
                  "</figcaption></figure>\n";
    }
    /// The whole document.
    std::string str() const
    {
        std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                          html_escape(m_title) + "</title>\n<style>"
                          "body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em;color:#222}"
                          "table{border-collapse:collapse;margin:0.8em 0;font-size:13px}"
                          "th,td{border:1px solid #bbb;padding:3px 7px;text-align:left}"
                          "th{background:#eee}caption{caption-side:top;font-weight:bold;text-align:left;padding:4px 0}"
                          "figure{margin:1em 0}figcaption{font-size:13px;max-width:900px}"
                          ".row{display:flex;flex-wrap:wrap;gap:6px}.note{background:#fff6d5;padding:8px;border:1px solid #e0c060}"
                          "</style></head><body>\n<h1>" +
                          html_escape(m_title) + "</h1>\n";
        if (!m_toc.empty()) {
            out += "<nav><ul>";
            for (const auto& t : m_toc) {
                out += "<li><a href=\"#" + html_escape(t.first) + "\">" + html_escape(t.second) + "</a></li>";
            }
            out += "</ul></nav>\n";
        }
        return out + m_body + "</body></html>\n";
    }

private:
    std::string m_title;
    std::string m_body;
    std::vector<std::pair<std::string, std::string>> m_toc;
    int m_figures = 0;
};

}  // namespace radiogenomics::report
