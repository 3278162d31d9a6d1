#pragma once
/// \file groups.hpp
/// \brief Splitting a labelled sample into groups, for the k-sample tests.
///
/// Labels are integer codes `0 .. n_groups-1` (one per observation); `split_groups` returns one
/// vector per code, in code order and, inside a group, in observation order.

#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

namespace detail {

/// Values of each group in double (float values are promoted exactly), in code order.
template <class TReal>
std::vector<Eigen::VectorXd> split_groups(const vector_view<TReal>& values, const Eigen::Ref<const Eigen::VectorXi>& codes,
                                          int n_groups)
{
    if (values.size() != codes.size()) {
        raise("stats.split_groups", "codes size: got ", codes.size(), ", expected ", values.size(),
              " (one code per value).");
    }
    if (n_groups < 1) {
        raise("stats.split_groups", "n_groups: got ", n_groups, ", expected >= 1.");
    }
    std::vector<Eigen::Index> counts(static_cast<std::size_t>(n_groups), 0);
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
        if (codes[i] < 0 || codes[i] >= n_groups) {
            raise("stats.split_groups", "codes[", i, "]: got ", codes[i], ", expected 0 <= code < ", n_groups, ".");
        }
        ++counts[static_cast<std::size_t>(codes[i])];
    }
    std::vector<Eigen::VectorXd> groups(static_cast<std::size_t>(n_groups));
    for (int g = 0; g < n_groups; ++g) {
        groups[static_cast<std::size_t>(g)].resize(counts[static_cast<std::size_t>(g)]);
        counts[static_cast<std::size_t>(g)] = 0;
    }
    for (Eigen::Index i = 0; i < codes.size(); ++i) {
        const auto g = static_cast<std::size_t>(codes[i]);
        groups[g][counts[g]++] = static_cast<double>(values[i]);
    }
    return groups;
}

}  // namespace detail

/// Values of each group, in code order, as double (float or double `values`; float is promoted exactly).
template <class TDerived>
std::vector<Eigen::VectorXd> split_groups(const Eigen::DenseBase<TDerived>& values,
                                          const Eigen::Ref<const Eigen::VectorXi>& codes, int n_groups)
{
    return detail::split_groups<detail::real_t<TDerived>>(values.derived(), codes, n_groups);
}

}  // namespace radiogenomics::stats
