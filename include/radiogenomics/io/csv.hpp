#pragma once
/// \file csv.hpp
/// \brief A small RFC 4180 CSV reader/writer for feature tables (header row, then data rows).
///
/// Errors name the source, the 1-based line and the column, e.g.
/// `[radiogenomics.io.csv] patients.csv line 12, column 'age': got 'abc', expected a number.`

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/atomic_file.hpp"

namespace radiogenomics::io {

/// A parsed CSV: a header and rows of text cells, each row as long as the header.
struct csv_table {
    std::string source;                          ///< file name (for error messages)
    std::vector<std::string> header;             ///< column names
    std::vector<std::vector<std::string>> rows;  ///< data rows
    std::vector<std::size_t> line_numbers;       ///< 1-based line number of each data row

    std::size_t row_count() const { return rows.size(); }
    std::size_t column_count() const { return header.size(); }

    /// Index of the column called `name`, or `npos` when absent.
    std::size_t find_column(const std::string& name) const
    {
        for (std::size_t c = 0; c < header.size(); ++c) {
            if (header[c] == name) {
                return c;
            }
        }
        return npos;
    }

    /// Index of the column called `name`; throws `invalid_argument` naming the file when absent.
    std::size_t column(const std::string& name) const
    {
        const std::size_t c = find_column(name);
        if (c == npos) {
            raise("io.csv", source, ": no column '", name, "' in the header");
        }
        return c;
    }

    /// True when every cell of column `c` parses as a number (empty, NA and NaN count as numbers).
    bool is_numeric_column(std::size_t c) const
    {
        for (const auto& row : rows) {
            double value = 0.0;
            if (!parse_number(row[c], value)) {
                return false;
            }
        }
        return true;
    }

    /// Cell (r, c) as a number; throws naming line and column when it is not one.
    double number(std::size_t r, std::size_t c) const
    {
        double value = 0.0;
        if (!parse_number(rows[r][c], value)) {
            raise("io.csv", source, " line ", line_numbers[r], ", column '", header[c], "': got '",
                  rows[r][c], "', expected a number.");
        }
        return value;
    }

    /// The given columns as a rows × columns matrix (empty/NA/NaN cells become NaN).
    Eigen::MatrixXd numeric_matrix(const std::vector<std::size_t>& columns) const
    {
        Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(columns.size()));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            for (std::size_t k = 0; k < columns.size(); ++k) {
                out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(k)) = number(r, columns[k]);
            }
        }
        return out;
    }

    /// Parses a numeric cell: strtod over the whole trimmed cell; "", "NA", "nan" give NaN.
    static bool parse_number(const std::string& cell, double& value)
    {
        std::size_t begin = 0;
        std::size_t end = cell.size();
        while (begin < end && (cell[begin] == ' ' || cell[begin] == '\t')) {
            ++begin;
        }
        while (end > begin && (cell[end - 1] == ' ' || cell[end - 1] == '\t')) {
            --end;
        }
        const std::string text = cell.substr(begin, end - begin);
        if (text.empty() || text == "NA" || text == "nan" || text == "NaN" || text == "NAN") {
            value = std::numeric_limits<double>::quiet_NaN();
            return true;
        }
        char* stop = nullptr;
        value = std::strtod(text.c_str(), &stop);
        return stop == text.c_str() + text.size();
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

namespace detail {

/// Splits one logical CSV record starting at `line`; continues over physical lines while a quoted
/// field is open. Returns false at end of input.
inline bool read_csv_record(std::istream& in, std::vector<std::string>& fields, std::size_t& line_number,
                            const std::string& source)
{
    fields.clear();
    std::string line;
    if (!std::getline(in, line)) {
        return false;
    }
    ++line_number;
    const std::size_t first_line = line_number;
    std::string field;
    bool quoted = false;
    std::size_t i = 0;
    while (true) {
        if (i == line.size()) {
            if (quoted) {
                std::string next;
                if (!std::getline(in, next)) {
                    raise<io_error>("io.csv", source, " line ", first_line, ": unterminated quoted field");
                }
                ++line_number;
                field += '\n';
                line = next;
                i = 0;
                continue;
            }
            break;
        }
        const char ch = line[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            fields.push_back(field);
            field.clear();
        } else if (ch != '\r') {
            field += ch;
        }
        ++i;
    }
    fields.push_back(field);
    return true;
}

}  // namespace detail

/// Parses CSV text from a stream; `source` names it in error messages. Blank lines are skipped;
/// a row whose length differs from the header's throws naming the line.
inline csv_table parse_csv(std::istream& in, const std::string& source)
{
    csv_table table;
    table.source = source;
    std::size_t line_number = 0;
    std::vector<std::string> fields;
    while (detail::read_csv_record(in, fields, line_number, source)) {
        if (fields.size() == 1 && fields[0].empty()) {
            continue;
        }
        if (table.header.empty()) {
            if (!fields.empty() && fields[0].size() >= 3 && fields[0].compare(0, 3, "\xEF\xBB\xBF") == 0) {
                fields[0].erase(0, 3);  // UTF-8 byte-order mark
            }
            table.header = fields;
            continue;
        }
        if (fields.size() != table.header.size()) {
            raise("io.csv", source, " line ", line_number, ": got ", fields.size(), " fields, expected ",
                  table.header.size(), " (as in the header). Ragged row?");
        }
        table.rows.push_back(fields);
        table.line_numbers.push_back(line_number);
    }
    if (table.header.empty()) {
        raise("io.csv", source, ": the file is empty, expected a header row");
    }
    return table;
}

/// Reads a CSV file; throws `io_error` when it cannot be opened.
inline csv_table read_csv(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        raise<io_error>("io.read_csv", "cannot open '", path, "'");
    }
    return parse_csv(in, path);
}

/// Quotes a cell when it holds a comma, quote or newline (RFC 4180).
inline std::string csv_escape(const std::string& cell)
{
    if (cell.find_first_of(",\"\n\r") == std::string::npos) {
        return cell;
    }
    std::string out = "\"";
    for (const char ch : cell) {
        if (ch == '"') {
            out += '"';
        }
        out += ch;
    }
    return out + "\"";
}

/// Formats a number with 17 significant digits (round-trips a double); NaN as "nan".
inline std::string format_number(double value, int precision = 17)
{
    if (std::isnan(value)) {
        return "nan";
    }
    std::ostringstream out;
    out.precision(precision);
    out << value;
    return out.str();
}

/// Builds CSV text row by row and writes it atomically.
class csv_writer {
public:
    explicit csv_writer(const std::vector<std::string>& header) { add_row(header); }

    void add_row(const std::vector<std::string>& cells)
    {
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (c > 0) {
                m_text += ',';
            }
            m_text += csv_escape(cells[c]);
        }
        m_text += '\n';
    }

    const std::string& text() const { return m_text; }

    /// Writes the table to `path` through `write_file_atomic`.
    void save(const std::string& path) const { write_file_atomic(path, m_text); }

private:
    std::string m_text;
};

}  // namespace radiogenomics::io
