#pragma once
/// \file adjusted_rand_index.hpp
/// \brief Agreement of two flat clusterings of the same items: the adjusted Rand index.
///
/// \par Adjusted Rand index (Hubert & Arabie 1985, J. Classification 2:193–218; scikit-learn `adjusted_rand_score`)
/// With the contingency table \f$n_{ij}\f$ (items in cluster i of the first and j of the second labelling),
/// row sums \f$a_i\f$, column sums \f$b_j\f$ and n items,
/// \f[ \mathrm{ARI} = \frac{\sum_{ij}\binom{n_{ij}}{2} - E}{\tfrac12\left[\sum_i\binom{a_i}{2}
///     + \sum_j\binom{b_j}{2}\right] - E}, \qquad E = \frac{\sum_i\binom{a_i}{2}\sum_j\binom{b_j}{2}}{\binom n2}. \f]
/// 1 for identical partitions (whatever the label values), about 0 for independent ones, negative when the
/// agreement is below chance. Labels are arbitrary integers; only which items share a label matters.
///
/// \par Degenerate input
/// When the denominator is 0 (both labellings a single cluster, or both all singletons, or fewer than two
/// items) the index is 1, as scikit-learn returns. Labellings of different lengths throw `invalid_argument`.

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::cluster {

/// Adjusted Rand index of two labellings of the same items (see the file comment).
/// \throws invalid_argument when the labellings differ in length.
inline double adjusted_rand_index(const std::vector<int>& a, const std::vector<int>& b)
{
    if (a.size() != b.size()) {
        raise<invalid_argument>("cluster.adjusted_rand_index", "labelings: got ", a.size(), " and ", b.size(),
                                " items, expected the same count.");
    }
    const auto pairs = [](double m) { return m * (m - 1.0) / 2.0; };
    std::map<std::pair<int, int>, double> joint;
    std::map<int, double> rows;
    std::map<int, double> cols;
    for (std::size_t i = 0; i < a.size(); ++i) {
        joint[{a[i], b[i]}] += 1.0;
        rows[a[i]] += 1.0;
        cols[b[i]] += 1.0;
    }
    double index = 0.0;
    for (const auto& kv : joint) {
        index += pairs(kv.second);
    }
    double sum_a = 0.0;
    for (const auto& kv : rows) {
        sum_a += pairs(kv.second);
    }
    double sum_b = 0.0;
    for (const auto& kv : cols) {
        sum_b += pairs(kv.second);
    }
    const double total = pairs(static_cast<double>(a.size()));
    const double expected = total > 0.0 ? sum_a * sum_b / total : 0.0;
    const double maximum = 0.5 * (sum_a + sum_b);
    if (maximum == expected) {
        return 1.0;  // scikit-learn's convention for the degenerate cases
    }
    return (index - expected) / (maximum - expected);
}

}  // namespace radiogenomics::cluster
