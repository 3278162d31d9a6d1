#include <boost/test/unit_test.hpp>

#include <array>
#include <string>
#include <vector>

#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/report/svg_plot.hpp"

namespace rr = radiogenomics::report;

namespace {

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(svg_plot)

BOOST_AUTO_TEST_CASE(line_plot_draws_one_path_per_series_and_legend)
{
    rr::svg_series a{"train", {1, 2, 3}, {0.7, 0.5, 0.4}, "", false, false};
    rr::svg_series b{"validation", {1, 2, 3}, {0.8, std::nan(""), 0.6}, "#ff0000", true, true};
    rr::svg_scatter_options o;
    o.x_label = "epoch";
    o.y_label = "loss";
    const std::string svg = rr::svg_line_plot({a, b}, o);
    BOOST_CHECK_EQUAL(svg.rfind("<svg", 0), 0u);
    BOOST_CHECK_EQUAL(count(svg, "</svg>"), 1u);
    // NaN breaks series b into two single-point pieces: one path each for a and b ("M..M").
    BOOST_CHECK_EQUAL(count(svg, "<path d=\"M"), 2u);
    BOOST_CHECK_EQUAL(count(svg, "stroke-dasharray=\"5 3\""), 1u);
    BOOST_CHECK_EQUAL(count(svg, "r=\"3\" fill=\"#ff0000\""), 2u);  // markers at the finite points of b
    BOOST_CHECK(svg.find(">epoch<") != std::string::npos);
    BOOST_CHECK(svg.find(">validation<") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(confusion_matrix_shows_counts)
{
    const std::string svg = rr::svg_confusion_matrix({{7, 2}, {3, 11}});
    for (const char* n : {">7<", ">2<", ">3<", ">11<", ">predicted<", ">true<"}) {
        BOOST_CHECK_MESSAGE(svg.find(n) != std::string::npos, n);
    }
    BOOST_CHECK_EQUAL(count(svg, "<rect x="), 4u);
}

BOOST_AUTO_TEST_CASE(heatmap_draws_cells_dendrogram_and_groups)
{
    const std::vector<std::vector<double>> v{{1.0, -1.0}, {0.5, 0.0}, {-2.0, 2.0}};
    // SciPy linkage of 3 leaves: merge 0 and 1, then with 2.
    const std::vector<std::array<double, 4>> z{{0, 1, 1.0, 2}, {2, 3, 3.0, 3}};
    rr::svg_heatmap_options o;
    o.row_groups = {0, 0, 1};
    o.group_names = {"a", "b"};
    const std::string svg = rr::svg_heatmap(v, {0, 1, 2}, z, o);
    BOOST_CHECK_EQUAL(count(svg, "stroke=\"#333\" stroke-width=\"0.8\""), 2u);  // one elbow per merge
    BOOST_CHECK(svg.find("fill=\"#ff0000\"") != std::string::npos);           // +max -> pure red
    BOOST_CHECK(svg.find("fill=\"#0000ff\"") != std::string::npos);           // -max -> pure blue
    BOOST_CHECK(svg.find(">b<") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_report_escapes_and_numbers_figures)
{
    rr::html_report h("a < b");
    h.heading("Section & more", 2, "s1");
    h.table({"x"}, {{"<td>"}});
    h.figure("<svg></svg>", "first");
    h.figure_row({"<svg></svg>"}, "second");
    const std::string page = h.str();
    BOOST_CHECK(page.find("<title>a &lt; b</title>") != std::string::npos);
    BOOST_CHECK(page.find("<td>&lt;td&gt;</td>") != std::string::npos);
    BOOST_CHECK(page.find("Figure 2.") != std::string::npos);
    BOOST_CHECK(page.find("href=\"#s1\"") != std::string::npos);
    BOOST_CHECK(page.find("http") == std::string::npos || page.find("http://www.w3.org") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
