#pragma once
/// \file read_matrix.hpp
/// \brief The numeric CSV matrix of the example programs that work on rows of numbers (`cluster`, `tsne`):
/// a header row, an optional non-numeric first column (an id, carried through to the output), every other
/// column numeric and finite. A bad cell is an error naming its line and column.

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/csv.hpp"

namespace rg_examples {

/// A numeric CSV matrix and the table it came from.
struct input_matrix {
    radiogenomics::io::csv_table table;  ///< the file as read
    bool has_id = false;                     ///< the first column is a text id
    std::vector<std::size_t> columns;        ///< table columns of `values`, in order
    Eigen::MatrixXd values;                  ///< rows × numeric columns
};

/// Reads `path`. `where` names the program in errors ("examples.cluster"); `min_rows` is the least number of
/// data rows accepted; `purpose` ends the message for a non-finite cell ("clustering needs complete rows").
inline input_matrix read_matrix(const std::string& path, const char* where, std::size_t min_rows, const char* purpose)
{
    namespace rg = radiogenomics;
    input_matrix in;
    in.table = radiogenomics::io::read_csv(path);
    if (in.table.row_count() < min_rows) {
        rg::raise(where, path, ": got ", in.table.row_count(), " data rows, expected at least ", min_rows, ".");
    }
    in.has_id = !in.table.is_numeric_column(0);
    for (std::size_t c = in.has_id ? 1 : 0; c < in.table.column_count(); ++c) {
        in.columns.push_back(c);
    }
    if (in.columns.empty()) {
        rg::raise(where, path, ": no numeric columns after the id column.");
    }
    in.values = in.table.numeric_matrix(in.columns);
    for (Eigen::Index r = 0; r < in.values.rows(); ++r) {
        for (Eigen::Index c = 0; c < in.values.cols(); ++c) {
            if (!std::isfinite(in.values(r, c))) {
                const auto row = static_cast<std::size_t>(r);
                const std::size_t column = in.columns[static_cast<std::size_t>(c)];
                rg::raise(where, path, " line ", in.table.line_numbers[row], ", column '", in.table.header[column],
                          "': got '", in.table.rows[row][column], "', expected a finite number (", purpose, ").");
            }
        }
    }
    return in;
}

}  // namespace rg_examples
