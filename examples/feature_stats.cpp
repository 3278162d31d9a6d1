// feature_stats: feature-by-feature group comparison of a patients × features CSV, with volcano data.
//
//   feature_stats IN.csv --label COLUMN -o OUT.csv [--test mannwhitney|welch|student|kruskal|anova|auto]
//                 [--by COLUMN] [--exclude COLUMN...] [--adjust bh|bonferroni|none] [--svg volcano.svg]
//                 [--positive VALUE] [--alpha 0.05]
//
// One row per patient; the label column holds the group (e.g. TP53 negative/positive); every other
// numeric column is a feature (text columns other than --by are ignored with a note; a column
// mixing numbers and text is an error naming the line and column; empty/NA cells are missing and
// dropped feature by feature). Tests run per value of --by (e.g. cancer type) and pooled ("all").
// Output columns: feature,group,n_neg,n_pos,statistic,p,p_adjusted,log2fc. With two label values
// the first in sorted order (numeric order if numeric) is "negative" unless --positive names the
// other; log2fc = log2(mean_pos / mean_neg), empty when a mean is <= 0. With more than two label
// values Kruskal–Wallis (or ANOVA) is used, n_neg counts the first value, n_pos the others, and
// log2fc is empty. p-values are adjusted over the features of each group. --svg writes the pooled
// volcano plot there and one more per --by group (volcano_<group>.svg).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/svg_plot.hpp"
#include "radiogenomics/stats.hpp"
#include "support/cli.hpp"

namespace rg = radiogenomics;
namespace rs = radiogenomics::stats;
namespace rio = radiogenomics::io;
namespace rr = radiogenomics::report;

namespace {

bool is_missing(const std::string& cell)
{
    double v = 0.0;
    return rio::csv_table::parse_number(cell, v) && std::isnan(v);
}

// Distinct non-missing values of a column, numeric order when all are numbers, else text order.
std::vector<std::string> distinct_values(const rio::csv_table& table, std::size_t column)
{
    std::set<std::string> seen;
    for (const auto& row : table.rows) {
        if (!is_missing(row[column])) {
            seen.insert(row[column]);
        }
    }
    std::vector<std::string> values(seen.begin(), seen.end());
    bool numeric = true;
    for (const auto& v : values) {
        double d = 0.0;
        numeric = numeric && rio::csv_table::parse_number(v, d);
    }
    if (numeric) {
        std::sort(values.begin(), values.end(), [](const std::string& a, const std::string& b) {
            double x = 0.0;
            double y = 0.0;
            rio::csv_table::parse_number(a, x);
            rio::csv_table::parse_number(b, y);
            return x < y;
        });
    }
    return values;
}

// Feature columns: numeric columns except label/by/excluded; text-only columns are skipped with a note,
// and a column mixing numbers with text throws naming the first bad cell (line and column).
std::vector<std::size_t> feature_columns(const rio::csv_table& table, const std::set<std::string>& skip)
{
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < table.column_count(); ++c) {
        if (skip.count(table.header[c]) != 0) {
            continue;
        }
        std::size_t numbers = 0;
        std::size_t texts = 0;
        for (const auto& row : table.rows) {
            double v = 0.0;
            if (!rio::csv_table::parse_number(row[c], v)) {
                ++texts;
            } else if (!std::isnan(v)) {
                ++numbers;
            }
        }
        if (texts > 0 && numbers == 0) {
            std::cerr << "note: column '" << table.header[c] << "' is not numeric; ignored\n";
            continue;
        }
        if (texts > 0) {
            for (std::size_t r = 0; r < table.row_count(); ++r) {
                table.number(r, c);  // throws "<file> line L, column 'C': got '...', expected a number."
            }
        }
        out.push_back(c);
    }
    return out;
}

std::string file_for_group(const std::string& base, const std::string& group)
{
    if (group == "all") {
        return base;
    }
    std::string safe;
    for (const char ch : group) {
        safe += std::isalnum(static_cast<unsigned char>(ch)) != 0 ? ch : '_';
    }
    const auto dot = base.rfind('.');
    return dot == std::string::npos ? base + "_" + safe : base.substr(0, dot) + "_" + safe + base.substr(dot);
}

int run(int argc, char** argv)
{
    CLI::App app{"Per-feature group tests (Mann-Whitney, t, Kruskal-Wallis, ANOVA) with adjusted p-values and "
                 "volcano data, as in the TP53 radiogenomics study."};
    std::string input;
    std::string output;
    std::string label_column;
    std::string by_column;
    std::vector<std::string> excluded;
    std::string test_name = "auto";
    std::string adjust_name = "bh";
    std::string svg_path;
    std::string positive;
    double alpha = 0.05;
    app.add_option("input", input, "CSV, one row per patient")->required()->check(CLI::ExistingFile);
    app.add_option("--label", label_column, "column with the group label (e.g. TP53 status)")->required();
    app.add_option("-o,--output", output, "output CSV")->required();
    app.add_option("--test", test_name, "mannwhitney|welch|student|kruskal|anova|auto (Shapiro-Wilk rule)")
        ->capture_default_str();
    app.add_option("--by", by_column, "also test within each value of this column (e.g. cancer type)");
    app.add_option("--exclude", excluded, "columns that are not features (IDs, ...)");
    app.add_option("--adjust", adjust_name, "bh|bonferroni|none")->capture_default_str();
    app.add_option("--svg", svg_path, "volcano plot (SVG) of the pooled comparison");
    app.add_option("--positive", positive, "label value of the positive group (default: the second value)");
    app.add_option("--alpha", alpha, "significance level of adjusted p-values")->capture_default_str();
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress or summary lines on stderr (warnings and errors only)");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "feature_stats")) {
        return *code;
    }
    std::ostream& info = rg_cli::info(quiet);

    try {
        const rio::csv_table table = rio::read_csv(input);
        const std::size_t label_col = table.column(label_column);
        const std::size_t by_col = by_column.empty() ? rio::csv_table::npos : table.column(by_column);
        for (const auto& name : excluded) {
            table.column(name);  // unknown --exclude column: error naming the file
        }
        rs::group_test test = rs::parse_group_test(test_name);
        const rs::p_adjust adjust = rs::parse_p_adjust(adjust_name);

        std::vector<std::string> labels = distinct_values(table, label_col);
        if (labels.size() < 2) {
            rg::raise("examples.feature_stats", input, ", column '", label_column, "': got ", labels.size(),
                      " distinct label value(s), expected at least 2.");
        }
        if (!positive.empty()) {
            const auto it = std::find(labels.begin(), labels.end(), positive);
            if (it == labels.end() || labels.size() != 2) {
                rg::raise("examples.feature_stats", "--positive: got '", positive, "', expected one of the two values of '",
                          label_column, "'.");
            }
            labels.erase(it);
            labels.push_back(positive);
        }
        const bool binary = labels.size() == 2;
        if (!binary && (test == rs::group_test::mann_whitney || test == rs::group_test::welch ||
                        test == rs::group_test::student)) {
            const rs::group_test k_test =
                test == rs::group_test::mann_whitney ? rs::group_test::kruskal_wallis : rs::group_test::anova;
            std::cerr << "note: '" << label_column << "' has " << labels.size() << " values; using "
                      << rs::to_string(k_test) << " instead of " << rs::to_string(test) << "\n";
            test = k_test;
        }
        info << "label '" << label_column << "': ";
        for (std::size_t i = 0; i < labels.size(); ++i) {
            info << (i > 0 ? ", " : "") << labels[i] << " = " << (binary ? (i == 0 ? "negative" : "positive")
                                                                               : std::to_string(i));
        }
        info << "\n";

        std::set<std::string> skip(excluded.begin(), excluded.end());
        skip.insert(label_column);
        if (!by_column.empty()) {
            skip.insert(by_column);
        }
        const std::vector<std::size_t> columns = feature_columns(table, skip);
        if (columns.empty()) {
            rg::raise("examples.feature_stats", input, ": got no numeric feature column, expected at least one.");
        }

        // Patients with a label; their codes.
        std::map<std::string, int> code_of;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            code_of[labels[i]] = static_cast<int>(i);
        }
        std::vector<std::size_t> labelled;
        for (std::size_t r = 0; r < table.row_count(); ++r) {
            if (!is_missing(table.rows[r][label_col])) {
                labelled.push_back(r);
            }
        }
        if (labelled.size() < table.row_count()) {
            std::cerr << "note: " << table.row_count() - labelled.size() << " row(s) without a label ignored\n";
        }
        std::vector<std::pair<std::string, std::vector<std::size_t>>> panels{{"all", labelled}};
        if (by_col != rio::csv_table::npos) {
            for (const auto& value : distinct_values(table, by_col)) {
                std::vector<std::size_t> rows;
                for (const std::size_t r : labelled) {
                    if (table.rows[r][by_col] == value) {
                        rows.push_back(r);
                    }
                }
                panels.emplace_back(value, rows);
            }
        }

        rio::csv_writer writer({"feature", "group", "n_neg", "n_pos", "statistic", "p", "p_adjusted", "log2fc"});
        rs::volcano_options options;
        options.test = test;
        options.adjust = adjust;
        options.alpha = alpha;
        for (const auto& [group, rows] : panels) {
            Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(columns.size()));
            Eigen::VectorXi codes(static_cast<Eigen::Index>(rows.size()));
            std::vector<int> present(labels.size(), 0);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                codes[static_cast<Eigen::Index>(i)] = code_of.at(table.rows[rows[i]][label_col]);
                present[static_cast<std::size_t>(codes[static_cast<Eigen::Index>(i)])] = 1;
                for (std::size_t k = 0; k < columns.size(); ++k) {
                    x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = table.number(rows[i], columns[k]);
                }
            }
            if (std::count(present.begin(), present.end(), 1) < static_cast<long>(labels.size())) {
                std::cerr << "note: group '" << group << "' lacks a label value; skipped\n";
                continue;
            }
            rs::feature_test_table result;
            Eigen::VectorXd log2fc = Eigen::VectorXd::Constant(x.cols(), std::numeric_limits<double>::quiet_NaN());
            if (binary) {
                rs::volcano_result v = rs::volcano(x, codes, options);
                log2fc = v.log2_fold_change;
                result = std::move(v);
            } else {
                result = rs::test_features(x, codes, static_cast<int>(labels.size()), options);
            }
            std::size_t significant = 0;
            std::vector<rr::svg_point> points;
            for (Eigen::Index k = 0; k < x.cols(); ++k) {
                const int n_neg = result.group_counts(k, 0);
                const int n_pos = result.group_counts.row(k).sum() - n_neg;
                const auto fmt = [](double v) { return std::isnan(v) ? std::string() : rio::format_number(v); };
                writer.add_row({table.header[columns[static_cast<std::size_t>(k)]], group, std::to_string(n_neg),
                                std::to_string(n_pos), fmt(result.statistic[k]), fmt(result.p_value[k]),
                                fmt(result.p_adjusted[k]), fmt(log2fc[k])});
                const bool sig = result.significant[static_cast<std::size_t>(k)];
                significant += sig ? 1 : 0;
                points.push_back({log2fc[k], -std::log10(result.p_value[k]), sig ? 1 : 0,
                                  table.header[columns[static_cast<std::size_t>(k)]]});
            }
            info << group << ": " << rows.size() << " patients, " << columns.size() << " features, "
                      << significant << " with adjusted p < " << alpha << "\n";
            if (!svg_path.empty() && binary) {
                rr::svg_scatter_options plot;
                plot.title = "Volcano: " + label_column + " " + labels[1] + " vs " + labels[0] + " (" + group + ")";
                plot.x_label = "log2 fold change (mean " + labels[1] + " / mean " + labels[0] + ")";
                plot.y_label = "-log10 p (" + rs::to_string(test) + ")";
                plot.series_names = {"not significant", "adjusted p < " + rio::format_number(alpha, 3)};
                plot.vertical_lines = {0.0};
                plot.horizontal_lines = {-std::log10(0.05)};
                const std::string path = file_for_group(svg_path, group);
                rr::save_svg(path, rr::svg_scatter(points, plot));
                info << "wrote " << path << "\n";
            }
        }
        writer.save(output);
        info << "wrote " << output << "\n";
    } catch (const std::exception& e) {
        return rg_cli::report_error("feature_stats", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("feature_stats", argc, argv, run); }
