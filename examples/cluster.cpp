// cluster: agglomerative clustering of the rows of a CSV matrix (SciPy-compatible linkage).
//
//   cluster IN.csv -o OUT.csv [--linkage ward|average|complete|single|weighted|centroid|median]
//           [--k K] [--scan 2..9] [--linkage-out L.csv] [--svg FILE]
//
// IN.csv has a header row; a non-numeric first column is an id and is carried through. OUT.csv
// holds one row per input row: (id,) cluster — 1-based labels as scipy's fcluster(Z, K, 'maxclust').
// --scan A..B cuts the tree into k = A..B clusters, writes k, Davies–Bouldin, silhouette and
// Calinski–Harabasz per k to stderr (and to OUT_scan.csv beside OUT.csv) and, as the study did,
// uses the k with the minimum Davies–Bouldin index (overrides --k). --linkage-out writes the SciPy
// linkage matrix (a, b, distance, size; 0-based ids). --svg draws the DBI curve when scanning, else
// the first two columns coloured by cluster.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/cluster.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/svg_plot.hpp"
#include "support/cli.hpp"
#include "support/read_matrix.hpp"

namespace rg = radiogenomics;
namespace rc = radiogenomics::cluster;
namespace rio = radiogenomics::io;
namespace rr = radiogenomics::report;

namespace {

// Parses "A..B" into a k range.
void parse_range(const std::string& text, std::size_t& low, std::size_t& high)
{
    const auto dots = text.find("..");
    try {
        if (dots == std::string::npos) {
            throw std::invalid_argument(text);
        }
        low = static_cast<std::size_t>(std::stoul(text.substr(0, dots)));
        high = static_cast<std::size_t>(std::stoul(text.substr(dots + 2)));
    } catch (const std::logic_error&) {
        rg::raise("examples.cluster", "--scan: got '", text, "', expected A..B such as 2..9.");
    }
}

int run(int argc, char** argv)
{
    CLI::App app{"Agglomerative clustering with SciPy-compatible linkage, flat cuts and a Davies-Bouldin scan"};
    std::string input;
    std::string output;
    std::string method_name = "ward";
    std::size_t k = 2;
    std::string scan;
    std::string linkage_out;
    std::string svg;
    app.add_option("input", input, "input CSV (header; optional text id in the first column)")->required();
    app.add_option("-o,--output", output, "output CSV with the cluster label of each row")->required();
    app.add_option("--linkage", method_name, "linkage method")
        ->check(CLI::IsMember({"ward", "average", "complete", "single", "weighted", "centroid", "median"}))
        ->capture_default_str();
    app.add_option("--k", k, "number of clusters (fcluster maxclust)")->capture_default_str();
    app.add_option("--scan", scan, "scan k in A..B and pick the minimum Davies-Bouldin index");
    app.add_option("--linkage-out", linkage_out, "write the SciPy linkage matrix here");
    app.add_option("--svg", svg, "DBI curve (with --scan) or scatter of the first two columns");
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "Only warnings and errors on stderr (no scan table, no summary)");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "cluster")) {
        return *code;
    }
    std::ostream& info = rg_cli::info(quiet);

    try {
        const rg_examples::input_matrix in = rg_examples::read_matrix(input, "examples.cluster", 2, "clustering needs complete rows");
        const auto n = static_cast<std::size_t>(in.values.rows());
        if (k < 1 || k > n) {
            rg::raise("examples.cluster", "--k: got ", k, ", expected 1 <= k <= number of rows = ", n, ".");
        }
        const rc::linkage_method method = rc::parse_linkage_method(method_name);
        info << "linkage '" << method_name << "' of " << n << " x " << in.values.cols() << "\n";
        // single and Ward from the observations in O(n·d) memory; the other methods need the condensed matrix
        const rc::linkage_matrix z = rc::linkage_features(in.values, method);

        if (!linkage_out.empty()) {
            rio::csv_writer writer({"a", "b", "distance", "size"});
            for (Eigen::Index r = 0; r < z.rows(); ++r) {
                writer.add_row({rio::format_number(z(r, 0)), rio::format_number(z(r, 1)), rio::format_number(z(r, 2)),
                                rio::format_number(z(r, 3))});
            }
            writer.save(linkage_out);
        }

        rc::cluster_scan_result scan_result;
        if (!scan.empty()) {
            rc::cluster_scan_options options;
            parse_range(scan, options.k_min, options.k_max);
            if (options.k_max >= n && options.k_min < n) {
                // k = n puts every row alone; the scan stops at n - 1 and says so.
                std::cerr << "cluster: warning: --scan " << scan << ": got k up to " << options.k_max << " with " << n
                          << " rows, expected k < " << n << "; scanning k = " << options.k_min << ".." << n - 1 << "\n";
                options.k_max = n - 1;
            }
            options.with_silhouette = n <= 20000;
            scan_result = rc::scan_cluster_count(in.values, z, options);
            if (scan_result.rows.empty()) {
                rg::raise("examples.cluster", "--scan ", scan, ": no k in range formed two or more clusters.");
            }
            rio::csv_writer writer({"k", "davies_bouldin", "silhouette", "calinski_harabasz"});
            info << "k,davies_bouldin,silhouette,calinski_harabasz\n";
            for (const auto& row : scan_result.rows) {
                const std::vector<std::string> cells{std::to_string(row.k), rio::format_number(row.davies_bouldin),
                                                     rio::format_number(row.silhouette),
                                                     rio::format_number(row.calinski_harabasz)};
                writer.add_row(cells);
                info << cells[0] << ',' << cells[1] << ',' << cells[2] << ',' << cells[3] << '\n';
            }
            const auto dot = output.rfind('.');
            const std::string scan_path =
                (dot == std::string::npos ? output : output.substr(0, dot)) + "_scan.csv";
            writer.save(scan_path);
            k = scan_result.best_k;
            info << "minimum Davies-Bouldin index at k = " << k << " (scan table: " << scan_path << ")\n";
        }

        const std::vector<int> labels = rc::fcluster_maxclust(z, k);
        std::vector<std::string> header;
        if (in.has_id) {
            header.push_back(in.table.header[0]);
        }
        header.push_back("cluster");
        rio::csv_writer writer(header);
        for (std::size_t r = 0; r < n; ++r) {
            std::vector<std::string> row;
            if (in.has_id) {
                row.push_back(in.table.rows[r][0]);
            }
            row.push_back(std::to_string(labels[r]));
            writer.add_row(row);
        }
        writer.save(output);

        if (!svg.empty()) {
            rr::svg_scatter_options plot;
            std::vector<rr::svg_point> points;
            if (!scan.empty()) {
                plot.title = "Davies-Bouldin index by number of clusters (" + method_name + " linkage)";
                plot.x_label = "number of clusters k";
                plot.y_label = "Davies-Bouldin index (lower is better)";
                plot.vertical_lines = {static_cast<double>(k)};
                plot.point_radius = 5.0;
                for (const auto& row : scan_result.rows) {
                    points.push_back({static_cast<double>(row.k), row.davies_bouldin, 1,
                                      "k = " + std::to_string(row.k)});
                }
            } else {
                plot.title = std::to_string(k) + " clusters (" + method_name + " linkage)";
                plot.x_label = in.table.header[in.columns[0]];
                plot.y_label = in.columns.size() > 1 ? in.table.header[in.columns[1]] : "(none)";
                plot.series_colors = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
                for (std::size_t c = 1; c <= k; ++c) {
                    plot.series_names.push_back("cluster " + std::to_string(c));
                }
                for (std::size_t r = 0; r < n; ++r) {
                    const auto ri = static_cast<Eigen::Index>(r);
                    points.push_back({in.values(ri, 0), in.values.cols() > 1 ? in.values(ri, 1) : 0.0,
                                      labels[r] - 1, in.has_id ? in.table.rows[r][0] : std::to_string(r)});
                }
            }
            rr::save_svg(svg, rr::svg_scatter(points, plot));
        }
        info << "wrote " << output << " (" << k << " clusters)\n";
    } catch (const std::exception& e) {
        return rg_cli::report_error("cluster", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("cluster", argc, argv, run); }
