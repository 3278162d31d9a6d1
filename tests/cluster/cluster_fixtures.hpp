#pragma once
// Loading the SciPy / scikit-learn reference files written by
// tests/fixtures/cluster/generate_cluster_fixtures.py.
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg_cluster_test {

inline radiogenomics::io::csv_table table(const std::string& name)
{
    return radiogenomics::io::read_csv(rg_test::fixture("cluster/" + name));
}

/// All numeric columns of data_<name>.csv as a matrix.
inline Eigen::MatrixXd data(const std::string& name)
{
    const auto t = table("data_" + name + ".csv");
    std::vector<std::size_t> columns(t.column_count());
    for (std::size_t c = 0; c < columns.size(); ++c) {
        columns[c] = c;
    }
    return t.numeric_matrix(columns);
}

/// The rows of linkage_<name>.csv for one method (SciPy's linkage matrix).
inline radiogenomics::cluster::linkage_matrix reference_linkage(const std::string& name, const std::string& method)
{
    const auto t = table("linkage_" + name + ".csv");
    const std::size_t m = t.column("method");
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        if (t.rows[r][m] == method) {
            rows.push_back(r);
        }
    }
    radiogenomics::cluster::linkage_matrix z(static_cast<Eigen::Index>(rows.size()), 4);
    const std::size_t cols[4] = {t.column("a"), t.column("b"), t.column("distance"), t.column("size")};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (int c = 0; c < 4; ++c) {
            z(static_cast<Eigen::Index>(i), c) = t.number(rows[i], cols[c]);
        }
    }
    return z;
}

inline const std::vector<std::string>& euclidean_sets()
{
    static const std::vector<std::string> names{"gauss", "grid", "dups", "blobs"};
    return names;
}

inline const std::vector<std::string>& all_methods()
{
    static const std::vector<std::string> names{"single", "complete", "average", "weighted",
                                                "centroid", "median", "ward"};
    return names;
}

}  // namespace rg_cluster_test
