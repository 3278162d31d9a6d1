#pragma once
/// \file batch_runner.hpp
/// \brief PyRadiomics batch mode: a CSV of cases (`Image`, `Mask`, optional `Label`, other columns carried
/// through) run in parallel, and the output table (CSV / JSON / txt) with one row per case.
///
/// \par Output columns
/// The input columns in their order, `error` (empty when the case succeeded), the `diagnostics_*` columns,
/// then the features in PyRadiomics' order (the first successful case's order; a feature only some cases have
/// is appended in first-seen order and left empty elsewhere; with `--skip-nans` NaN values are empty cells, as
/// PyRadiomics writes them). With `--names ibsi` every feature that has an
/// IBSI tag is repeated at the end under `<image type>_<tag>` (e.g. `original_stat_mean`).
///
/// \par Determinism
/// Case i always lands in row i and each case's features do not depend on the thread count, so `--jobs N`
/// writes the same bytes as `--jobs 1`.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/io/csv.hpp"
#include "case_runner.hpp"

namespace radiogenomics::pyradiomics {

/// The cases of a batch CSV.
struct batch_input {
    std::vector<std::string> columns;           ///< header of the input CSV
    std::vector<std::vector<std::string>> rows;  ///< its cells
    std::vector<case_input> cases;              ///< image/mask (resolved paths) and label of each row
};

/// One finished case.
struct case_result {
    case_output output;
    std::string error;  ///< empty when the case succeeded
    bool ok() const { return error.empty(); }
};

/// Options of `run_batch`.
struct batch_options {
    int jobs = 1;         ///< cases run at the same time
    bool strict = false;  ///< stop starting cases after the first failure
    /// Called after each case (done, failed, total); called under a lock, never concurrently.
    std::function<void(std::size_t, std::size_t, std::size_t)> progress;
};

/// A message on one line (newlines of nested messages become spaces).
inline std::string one_line(std::string text)
{
    std::replace(text.begin(), text.end(), '\n', ' ');
    std::replace(text.begin(), text.end(), '\r', ' ');
    return text;
}

/// Reads a PyRadiomics batch CSV. Relative paths are taken relative to the CSV's folder (PyRadiomics does
/// the same). A `Label` that is not a number names a segment of a Slicer `.seg.nrrd` mask. Throws
/// `invalid_argument` for a missing or repeated `Image`/`Mask`/`Label` column, a file without cases (a header
/// only) or a non-integer numeric `Label`.
inline batch_input read_batch_csv(const std::string& path)
{
    const char* where = "pyradiomics.read_batch_csv";
    const io::csv_table table = io::read_csv(path);
    batch_input out;
    out.columns = table.header;
    const std::size_t image = table.find_column("Image");
    const std::size_t mask = table.find_column("Mask");
    if (image == io::csv_table::npos || mask == io::csv_table::npos) {
        raise<invalid_argument>(where, path, ": header: got '", io::csv_escape(table.header.empty() ? "" : table.header[0]),
                                "...', expected the PyRadiomics batch columns Image and Mask.");
    }
    for (const char* name : {"Image", "Mask", "Label"}) {
        std::string positions;
        std::size_t count = 0;
        for (std::size_t c = 0; c < table.header.size(); ++c) {
            if (table.header[c] == name) {
                positions += (count++ ? " and " : "") + std::to_string(c + 1);
            }
        }
        if (count > 1) {
            raise<invalid_argument>(where, path, ": header: got ", count, " columns named '", name, "' (columns ",
                                    positions, "), expected one. Rename or remove the extra column.");
        }
    }
    if (table.row_count() == 0) {
        raise<invalid_argument>(where, path, ": got a header and no cases, expected at least one row "
                                "Image,Mask[,Label] below the header.");
    }
    const std::size_t label = table.find_column("Label");
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const auto resolve = [&](const std::string& p) { return p.empty() || p[0] == '/' ? p : folder + p; };
    for (std::size_t r = 0; r < table.row_count(); ++r) {
        case_input c;
        c.image = resolve(table.rows[r][image]);
        c.mask = resolve(table.rows[r][mask]);
        const bool label_is_name = label != io::csv_table::npos &&
            table.rows[r][label].find_first_not_of("0123456789+-.eE ") != std::string::npos;
        if (label_is_name) {
            c.segment = table.rows[r][label];  // a segment name of a Slicer .seg.nrrd mask
        } else if (label != io::csv_table::npos && !table.rows[r][label].empty()) {
            const double v = table.number(r, label);
            if (!(v == std::floor(v)) || v < 1 || v > 2147483647.0) {
                raise<invalid_argument>(where, path, " line ", table.line_numbers[r], ", column 'Label': got '",
                                        table.rows[r][label], "', expected an integer label > 0.");
            }
            c.label = static_cast<int>(v);
        }
        out.rows.push_back(table.rows[r]);
        out.cases.push_back(c);
    }
    return out;
}

/// Runs every case; row i of the result is case i whatever `jobs` is. Failures become `error` text, or with
/// `strict` stop new cases from starting (the caller reports the first failure).
inline std::vector<case_result> run_batch(const std::vector<case_input>& cases, const parameter_set& params,
                                          const batch_options& options)
{
    std::vector<case_result> results(cases.size());
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(std::max<std::size_t>(cases.size(), 1))));
    const int threads_per_case = std::max(1, max_threads() / jobs);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex lock;
    std::size_t done = 0;
    std::size_t failed = 0;
    const auto worker = [&]() {
        if (jobs > 1) {
            set_num_threads(threads_per_case);
        }
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= cases.size() || stop.load()) {
                return;
            }
            case_result& r = results[i];
            try {
                r.output = run_case(cases[i], params);
            } catch (const std::exception& e) {
                r.error = one_line(e.what());
                if (r.error.empty()) {
                    r.error = "unknown error";
                }
            }
            std::lock_guard<std::mutex> guard(lock);
            ++done;
            if (!r.ok()) {
                ++failed;
                if (options.strict) {
                    stop.store(true);
                }
            }
            if (options.progress) {
                options.progress(done, failed, cases.size());
            }
        }
    };
    if (jobs == 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (int t = 0; t < jobs; ++t) {
            pool.emplace_back(worker);
        }
        for (auto& t : pool) {
            t.join();
        }
    }
    return results;
}

/// IBSI tag of a PyRadiomics feature name (`original_firstorder_Mean` -> `stat_mean`), or "".
inline std::string ibsi_tag(const std::string& name)
{
    const std::size_t first = name.find('_');
    const std::size_t second = first == std::string::npos ? first : name.find('_', first + 1);
    if (second == std::string::npos) {
        return "";
    }
    const features::feature_class which = features::parse_feature_class(name.substr(first + 1, second - first - 1));
    if (which == features::feature_class::count) {
        return "";
    }
    const std::string feature = name.substr(second + 1);
    for (const auto& row : features::class_info(which)) {  // the library's one feature-class table
        if (row.name == feature) {
            return std::string(row.ibsi_tag);
        }
    }
    return "";
}

/// The assembled output: column names and, per case, its cells (text) and numeric flags.
struct output_table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t first_feature_column = 0;  ///< columns from here on are numeric features
};

/// Builds the output table (see the file comment for the column order).
inline output_table assemble(const std::vector<std::string>& input_columns,
                             const std::vector<std::vector<std::string>>& input_rows,
                             const std::vector<case_result>& results, bool ibsi_names, bool skip_nans = false)
{
    output_table t;
    t.header = input_columns;
    t.header.push_back("error");
    std::vector<std::string> diagnostics;
    std::vector<std::string> feature_names;
    std::unordered_map<std::string, std::size_t> feature_index;
    for (const auto& r : results) {
        if (!r.ok()) {
            continue;
        }
        if (diagnostics.empty()) {
            for (const auto& d : r.output.diagnostics) {
                diagnostics.push_back(d.first);
            }
        }
        for (const auto& f : r.output.features) {
            if (feature_index.emplace(f.name, feature_names.size()).second) {
                feature_names.push_back(f.name);
            }
        }
    }
    std::vector<std::pair<std::size_t, std::string>> ibsi;  // feature index, column name
    if (ibsi_names) {
        for (std::size_t f = 0; f < feature_names.size(); ++f) {
            const std::string tag = ibsi_tag(feature_names[f]);
            if (!tag.empty()) {
                ibsi.emplace_back(f, feature_names[f].substr(0, feature_names[f].find('_')) + "_" + tag);
            }
        }
    }
    t.header.insert(t.header.end(), diagnostics.begin(), diagnostics.end());
    t.first_feature_column = t.header.size();
    t.header.insert(t.header.end(), feature_names.begin(), feature_names.end());
    for (const auto& [f, column] : ibsi) {
        static_cast<void>(f);
        t.header.push_back(column);
    }
    for (std::size_t c = 0; c < results.size(); ++c) {
        const auto& r = results[c];
        std::vector<std::string> row = input_rows[c];
        row.push_back(r.error);
        std::map<std::string, std::string> diag(r.output.diagnostics.begin(), r.output.diagnostics.end());
        for (const auto& d : diagnostics) {
            const auto it = diag.find(d);
            row.push_back(it == diag.end() ? "" : it->second);
        }
        std::vector<std::string> values(feature_names.size());
        for (const auto& f : r.output.features) {
            values[feature_index.at(f.name)] = skip_nans && std::isnan(f.value) ? std::string() : python_repr(f.value);
        }
        row.insert(row.end(), values.begin(), values.end());
        for (const auto& [f, column] : ibsi) {
            static_cast<void>(column);
            row.push_back(values[f]);
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

/// CSV text (RFC 4180 quoting).
inline std::string to_csv(const output_table& t)
{
    io::csv_writer writer(t.header);
    for (const auto& row : t.rows) {
        writer.add_row(row);
    }
    return writer.text();
}

/// JSON as PyRadiomics writes it: one object per case on its own line (JSON Lines), keys in column order,
/// features as numbers; a NaN/inf or missing feature is null, or left out with `skip_nans`.
inline std::string to_json_text(const output_table& t, bool skip_nans = false)
{
    std::string out;
    for (const auto& row : t.rows) {
        nlohmann::ordered_json object = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < t.header.size(); ++c) {
            const auto& cell = row[c];
            if (c >= t.first_feature_column) {
                const double v = cell.empty() ? std::nan("") : std::strtod(cell.c_str(), nullptr);
                if (std::isfinite(v)) {
                    object[t.header[c]] = v;
                } else if (!skip_nans) {
                    object[t.header[c]] = nullptr;
                }
            } else {
                object[t.header[c]] = cell;
            }
        }
        out += object.dump() + "\n";
    }
    return out;
}

/// PyRadiomics' txt format: `Case-<n>_<name>: <value>` lines (n 1-based, also for a single case).
inline std::string to_txt(const output_table& t)
{
    std::string out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string prefix = "Case-" + std::to_string(r + 1) + "_";
        for (std::size_t c = 0; c < t.header.size(); ++c) {
            out += prefix + t.header[c] + ": " + t.rows[r][c] + "\n";
        }
    }
    return out;
}

}  // namespace radiogenomics::pyradiomics
