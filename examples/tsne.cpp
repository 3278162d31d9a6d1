// tsne: 2-D t-SNE embedding of the rows of a CSV matrix.
//
//   tsne IN.csv -o OUT.csv [--perplexity 30] [--iterations 1000] [--seed 0] [--init pca|random]
//        [--method barnes-hut|exact] [--theta 0.5] [--threads N]
//        [--svg FILE [--color-by COLUMN --color-csv LABELS.csv]]
//
// IN.csv has a header row; a non-numeric first column is an id and is carried through to OUT.csv,
// every other column must be numeric (a bad cell is reported with its line and column; empty/NA
// cells are an error naming the line). OUT.csv holds `x,y` (id first when present). --svg writes a
// scatter plot; --color-by colours it by a column of LABELS.csv (matched by id when both files have
// one, else by row order; defaults to IN.csv itself). Progress goes to stderr; the last stderr line
// is `KL divergence: <value>`. Too few rows for the perplexity clamp it to (n-1)/3 with a warning.
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/embed.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/svg_plot.hpp"
#include "support/cli.hpp"
#include "support/read_matrix.hpp"

namespace rg = radiogenomics;
namespace rio = radiogenomics::io;
namespace rr = radiogenomics::report;
namespace re = radiogenomics::embed;

namespace {

int run(int argc, char** argv)
{
    CLI::App app{"t-SNE embedding of the rows of a CSV matrix (exact or Barnes-Hut, scikit-learn schedule)"};
    std::string input;
    std::string output;
    std::string svg;
    std::string color_by;
    std::string color_csv;
    std::string init = "pca";
    std::string method = "barnes-hut";
    re::tsne_options options;
    int threads = 0;
    app.add_option("input", input, "input CSV (header; optional text id in the first column)")->required();
    app.add_option("-o,--output", output, "output CSV with x,y (id first when present)")->required();
    app.add_option("--perplexity", options.perplexity, "perplexity")->capture_default_str();
    app.add_option("--iterations", options.iterations, "total iterations (>= 250)")->capture_default_str();
    app.add_option("--seed", options.seed, "seed for random initialisation")->capture_default_str();
    app.add_option("--init", init, "initialisation")->check(CLI::IsMember({"pca", "random"}))->capture_default_str();
    app.add_option("--method", method, "gradient method")
        ->check(CLI::IsMember({"barnes-hut", "exact"}))
        ->capture_default_str();
    app.add_option("--theta", options.theta, "Barnes-Hut opening angle")->capture_default_str();
    app.add_option("--threads", threads, "OpenMP threads (0: default)");
    app.add_option("--svg", svg, "write a scatter plot of the embedding here");
    app.add_option("--color-by", color_by, "colour the SVG by this column");
    app.add_option("--color-csv", color_csv, "CSV holding --color-by (default: the input CSV)");
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress or summary lines on stderr (warnings and errors only)");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "tsne")) {
        return *code;
    }
    std::ostream& info = rg_cli::info(quiet);

    try {
        rg::set_num_threads(threads);
        options.init = init == "pca" ? re::tsne_init::pca : re::tsne_init::random;
        options.method = method == "exact" ? re::tsne_method::exact : re::tsne_method::barnes_hut;
        options.log = [&info](const std::string& line) { info << line << '\n'; };
        const rg_examples::input_matrix in = rg_examples::read_matrix(input, "examples.tsne", 1, "t-SNE needs complete rows");
        info << "t-SNE of " << in.values.rows() << " x " << in.values.cols() << " (" << method << ", "
                  << rg::max_threads() << " threads)\n";
        const re::tsne_result result = re::tsne(in.values, options);

        std::vector<std::string> header;
        if (in.has_id) {
            header.push_back(in.table.header[0]);
        }
        header.push_back("x");
        header.push_back("y");
        rio::csv_writer writer(header);
        for (Eigen::Index r = 0; r < result.embedding.rows(); ++r) {
            std::vector<std::string> row;
            if (in.has_id) {
                row.push_back(in.table.rows[static_cast<std::size_t>(r)][0]);
            }
            row.push_back(rio::format_number(result.embedding(r, 0)));
            row.push_back(rio::format_number(result.embedding(r, 1)));
            writer.add_row(row);
        }
        writer.save(output);

        if (!svg.empty()) {
            rr::svg_scatter_options plot;
            plot.title = "t-SNE (perplexity " + rio::format_number(result.perplexity, 4) + ")";
            plot.x_label = "t-SNE 1";
            plot.y_label = "t-SNE 2";
            std::vector<int> series(static_cast<std::size_t>(result.embedding.rows()), 0);
            if (!color_by.empty()) {
                const rio::csv_table colors = color_csv.empty() ? in.table : rio::read_csv(color_csv);
                const std::size_t column = colors.column(color_by);
                const bool by_id = in.has_id && !colors.is_numeric_column(0);
                std::map<std::string, std::size_t> row_of_id;
                for (std::size_t r = 0; r < colors.row_count(); ++r) {
                    row_of_id.emplace(colors.rows[r][0], r);
                }
                std::map<std::string, int> series_of_value;
                for (std::size_t r = 0; r < series.size(); ++r) {
                    std::size_t source = r;
                    if (by_id) {
                        const auto it = row_of_id.find(in.table.rows[r][0]);
                        if (it == row_of_id.end()) {
                            rg::raise("examples.tsne", "id '", in.table.rows[r][0], "' of ", input,
                                      ": not found in ", color_csv, ".");
                        }
                        source = it->second;
                    } else if (r >= colors.row_count()) {
                        rg::raise("examples.tsne", color_csv, ": got ", colors.row_count(), " rows, expected ",
                                  series.size(), " (matched by row order).");
                    }
                    series_of_value.emplace(colors.rows[source][column], 0);
                }
                int next = 0;
                for (auto& entry : series_of_value) {
                    entry.second = next++;
                    plot.series_names.push_back(color_by + " = " + entry.first);
                }
                for (std::size_t r = 0; r < series.size(); ++r) {
                    const std::size_t source = by_id ? row_of_id.at(in.table.rows[r][0]) : r;
                    series[r] = series_of_value.at(colors.rows[source][column]);
                }
                plot.series_colors = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
            }
            std::vector<rr::svg_point> points;
            for (Eigen::Index r = 0; r < result.embedding.rows(); ++r) {
                rr::svg_point p;
                p.x = result.embedding(r, 0);
                p.y = result.embedding(r, 1);
                p.series = series[static_cast<std::size_t>(r)];
                p.label = in.has_id ? in.table.rows[static_cast<std::size_t>(r)][0] : std::to_string(r);
                points.push_back(p);
            }
            rr::save_svg(svg, rr::svg_scatter(points, plot));
        }
        info << "KL divergence: " << rio::format_number(result.kl_divergence, 10) << '\n';
    } catch (const std::exception& e) {
        return rg_cli::report_error("tsne", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("tsne", argc, argv, run); }
