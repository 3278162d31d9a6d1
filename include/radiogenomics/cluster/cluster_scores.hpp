#pragma once
/// \file cluster_scores.hpp
/// \brief Internal cluster-validity indices as scikit-learn 1.2 defines them (Davies–Bouldin,
/// silhouette, Calinski–Harabasz) and a scan over the number of clusters (the study's DBI curve).
///
/// Symbols: n observations \f$x_i\f$ (rows of X), labels \f$\ell_i\f$ taking K distinct values
/// (any integers; like scikit-learn they are re-encoded in sorted order), cluster \f$C_k\f$ with
/// \f$n_k\f$ members and centroid \f$c_k\f$, overall mean \f$\bar x\f$; distances are Euclidean.
/// Every index requires \f$2 \le K \le n-1\f$ (scikit-learn's `check_number_of_labels`).
/// Distances are computed directly (not by scikit-learn's \f$\|x\|^2 - 2x\cdot y + \|y\|^2\f$ trick),
/// so values agree with scikit-learn to about 1e-13 for data not far from the origin.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::cluster {

namespace detail {

/// Row-major copy used by every score (contiguous rows whatever the caller's storage order).
using score_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Labels re-encoded to 0..K−1 in sorted order of the original values (scikit-learn `LabelEncoder`).
struct encoded_labels {
    std::vector<std::size_t> code;
    std::vector<std::size_t> count;
};

template <class TDerived, class TLabel>
encoded_labels encode_labels(const Eigen::MatrixBase<TDerived>& x, const std::vector<TLabel>& labels,
                             const char* where, bool check_finite = true)
{
    const auto n = static_cast<std::size_t>(x.rows());
    if (labels.size() != n) {
        raise(where, "number of labels: got ", labels.size(), ", expected one per row of X (", n, ").");
    }
    if (x.cols() < 1) {
        raise(where, "number of features: got 0, expected at least 1.");
    }
    for (Eigen::Index r = 0; check_finite && r < x.rows(); ++r) {
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            if (!std::isfinite(static_cast<double>(x(r, c)))) {
                raise(where, "X(", r, ", ", c, "): got ", x(r, c), ", expected a finite value.");
            }
        }
    }
    std::map<TLabel, std::size_t> codes;
    for (const auto& label : labels) {
        codes.emplace(label, 0);
    }
    std::size_t next = 0;
    for (auto& entry : codes) {
        entry.second = next++;
    }
    if (!(codes.size() >= 2 && codes.size() < n)) {
        raise(where, "number of distinct labels: got ", codes.size(), ", expected 2 to n_samples - 1 = ",
              n > 0 ? n - 1 : 0, " (inclusive).");
    }
    encoded_labels out;
    out.code.resize(n);
    out.count.assign(codes.size(), 0);
    for (std::size_t i = 0; i < n; ++i) {
        out.code[i] = codes[labels[i]];
        ++out.count[out.code[i]];
    }
    return out;
}

/// Per-cluster centroids (K × d), summed in row order.
template <class TDerived>
Eigen::MatrixXd centroids(const Eigen::MatrixBase<TDerived>& x, const encoded_labels& enc)
{
    Eigen::MatrixXd c = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(enc.count.size()), x.cols());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        c.row(static_cast<Eigen::Index>(enc.code[static_cast<std::size_t>(i)])) += x.row(i).template cast<double>();
    }
    for (std::size_t k = 0; k < enc.count.size(); ++k) {
        c.row(static_cast<Eigen::Index>(k)) /= static_cast<double>(enc.count[k]);
    }
    return c;
}

}  // namespace detail

namespace detail {

/// Davies–Bouldin and Calinski–Harabasz share the centroids: one pass for the centroids, one for
/// the within-cluster distances (both memory-bound on large n).
struct centroid_scores {
    double davies_bouldin = 0.0;
    double calinski_harabasz = 0.0;
};

template <class TLabel>
centroid_scores centroid_scores_rows(const score_matrix& x, const std::vector<TLabel>& labels, const char* where,
                                     bool check_finite = true)
{
    const auto enc = detail::encode_labels(x, labels, where, check_finite);
    const Eigen::MatrixXd c = detail::centroids(x, enc);
    const std::size_t K = enc.count.size();
    std::vector<double> spread(K, 0.0);
    double intra = 0.0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const std::size_t k = enc.code[static_cast<std::size_t>(i)];
        const double squared = (x.row(i) - c.row(static_cast<Eigen::Index>(k))).squaredNorm();
        spread[k] += std::sqrt(squared);
        intra += squared;
    }
    centroid_scores out;
    // Calinski–Harabasz
    const Eigen::RowVectorXd mean = x.colwise().mean();
    double extra = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
        extra += static_cast<double>(enc.count[k]) * (c.row(static_cast<Eigen::Index>(k)) - mean).squaredNorm();
    }
    const auto n = static_cast<double>(x.rows());
    const auto kd = static_cast<double>(K);
    out.calinski_harabasz = intra == 0.0 ? 1.0 : extra * (n - kd) / (intra * (kd - 1.0));
    // Davies–Bouldin
    bool all_spread_zero = true;
    for (std::size_t k = 0; k < K; ++k) {
        spread[k] /= static_cast<double>(enc.count[k]);
        all_spread_zero = all_spread_zero && std::abs(spread[k]) <= 1e-8;
    }
    Eigen::MatrixXd between(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K));
    bool all_between_zero = true;
    for (Eigen::Index a = 0; a < between.rows(); ++a) {
        for (Eigen::Index b = 0; b < between.cols(); ++b) {
            between(a, b) = (c.row(a) - c.row(b)).norm();
            all_between_zero = all_between_zero && between(a, b) <= 1e-8;
        }
    }
    if (all_spread_zero || all_between_zero) {
        out.davies_bouldin = 0.0;
        return out;
    }
    double total = 0.0;
    for (std::size_t a = 0; a < K; ++a) {
        double worst = -std::numeric_limits<double>::infinity();
        for (std::size_t b = 0; b < K; ++b) {
            double dist = between(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
            if (dist == 0.0) {
                dist = std::numeric_limits<double>::infinity();
            }
            worst = std::max(worst, (spread[a] + spread[b]) / dist);
        }
        total += worst;
    }
    out.davies_bouldin = total / static_cast<double>(K);
    return out;
}

}  // namespace detail

/// \brief Davies–Bouldin index (scikit-learn `davies_bouldin_score`); lower is better.
///
/// \f[ s_k = \frac{1}{n_k}\sum_{i \in C_k} \|x_i - c_k\|, \qquad
///     \mathrm{DB} = \frac{1}{K}\sum_{k} \max_{j \ne k} \frac{s_k + s_j}{\|c_k - c_j\|} \f]
/// \par Degenerate input
/// 0 when all \f$s_k\f$ or all centroid distances are within 1e-8 of zero (scikit-learn's
/// `np.allclose` test); coincident centroids contribute nothing (their ratio uses distance ∞).
/// Source: Davies & Bouldin, IEEE TPAMI 1(2) 1979; scikit-learn 1.2 `sklearn/metrics/cluster/_unsupervised.py`.
template <class TDerived, class TLabel>
double davies_bouldin_score(const Eigen::MatrixBase<TDerived>& x, const std::vector<TLabel>& labels)
{
    return detail::centroid_scores_rows(detail::score_matrix(x.template cast<double>()), labels,
                                        "cluster.davies_bouldin_score")
        .davies_bouldin;
}

/// \brief Calinski–Harabasz index (variance ratio criterion, scikit-learn `calinski_harabasz_score`);
/// higher is better.
///
/// \f[ \mathrm{CH} = \frac{\sum_k n_k \|c_k - \bar x\|^2}{\sum_k \sum_{i\in C_k}\|x_i - c_k\|^2}
///     \cdot \frac{n - K}{K - 1} \f]
/// \par Degenerate input
/// 1 when the within-cluster dispersion is exactly 0 (scikit-learn's convention).
/// Source: Caliński & Harabasz, Comm. Stat. 3(1) 1974; scikit-learn 1.2.
template <class TDerived, class TLabel>
double calinski_harabasz_score(const Eigen::MatrixBase<TDerived>& x, const std::vector<TLabel>& labels)
{
    return detail::centroid_scores_rows(detail::score_matrix(x.template cast<double>()), labels,
                                        "cluster.calinski_harabasz_score")
        .calinski_harabasz;
}

namespace detail {
template <class TLabel>
std::vector<double> silhouette_samples_rows(const score_matrix& x, const std::vector<TLabel>& labels)
{
    const auto enc = detail::encode_labels(x, labels, "cluster.silhouette_samples");
    const score_matrix& rows = x;
    const auto n = static_cast<std::int64_t>(rows.rows());
    const auto dims = static_cast<std::size_t>(rows.cols());
    const std::size_t K = enc.count.size();
    std::vector<double> s(static_cast<std::size_t>(n), 0.0);
    RG_PARALLEL_FOR_DYNAMIC
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<double> sums(K, 0.0);
        const double* a = rows.data() + static_cast<std::size_t>(i) * dims;
        for (std::int64_t j = 0; j < n; ++j) {
            if (j == i) {
                continue;
            }
            const double* b = rows.data() + static_cast<std::size_t>(j) * dims;
            double sum = 0.0;
            for (std::size_t k = 0; k < dims; ++k) {
                const double diff = a[k] - b[k];
                sum += diff * diff;
            }
            sums[enc.code[static_cast<std::size_t>(j)]] += std::sqrt(sum);
        }
        const std::size_t own = enc.code[static_cast<std::size_t>(i)];
        if (enc.count[own] <= 1) {
            continue;  // singleton: 0
        }
        const double intra = sums[own] / static_cast<double>(enc.count[own] - 1);
        double inter = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < K; ++k) {
            if (k != own) {
                inter = std::min(inter, sums[k] / static_cast<double>(enc.count[k]));
            }
        }
        const double denominator = std::max(intra, inter);
        s[static_cast<std::size_t>(i)] = denominator > 0.0 ? (inter - intra) / denominator : 0.0;
    }
    return s;
}
}  // namespace detail

/// \brief Per-observation silhouette coefficients (scikit-learn `silhouette_samples`).
///
/// \f[ a_i = \frac{1}{n_{\ell_i}-1}\sum_{j \in C_{\ell_i}} d_{ij}, \quad
///     b_i = \min_{k \ne \ell_i} \frac{1}{n_k}\sum_{j\in C_k} d_{ij}, \quad
///     s_i = \frac{b_i - a_i}{\max(a_i, b_i)} \f]
/// \par Degenerate input
/// \f$s_i = 0\f$ for members of singleton clusters and whenever \f$\max(a_i,b_i)=0\f$ (scikit-learn's
/// `nan_to_num`). O(n²·d) time, O(n·K) memory; parallel over i with identical results for any
/// thread count. Source: Rousseeuw, J. Comput. Appl. Math. 20 (1987); scikit-learn 1.2.
template <class TDerived, class TLabel>
std::vector<double> silhouette_samples(const Eigen::MatrixBase<TDerived>& x, const std::vector<TLabel>& labels)
{
    return detail::silhouette_samples_rows(detail::score_matrix(x.template cast<double>()), labels);
}

/// \brief Mean silhouette coefficient (scikit-learn `silhouette_score`, all samples); higher is better.
template <class TDerived, class TLabel>
double silhouette_score(const Eigen::MatrixBase<TDerived>& x, const std::vector<TLabel>& labels)
{
    const std::vector<double> s = silhouette_samples(x, labels);
    double total = 0.0;
    for (const double v : s) {
        total += v;
    }
    return total / static_cast<double>(s.size());
}

/// One row of a cluster-count scan.
struct cluster_scan_row {
    std::size_t k = 0;                ///< requested number of clusters
    std::size_t clusters = 0;         ///< number of clusters actually formed
    double davies_bouldin = 0.0;      ///< lower is better
    double silhouette = 0.0;          ///< NaN when not computed
    double calinski_harabasz = 0.0;   ///< higher is better
};

/// Result of `scan_cluster_count`: one row per k and the k with the minimum Davies–Bouldin index.
struct cluster_scan_result {
    std::vector<cluster_scan_row> rows;
    std::size_t best_k = 0;  ///< argmin of the DBI (smallest k on ties), as in the study
};

/// Options of `scan_cluster_count`.
struct cluster_scan_options {
    std::size_t k_min = 2;          ///< first k (>= 2)
    std::size_t k_max = 9;          ///< last k (inclusive; the study scanned 2..9)
    bool with_silhouette = true;    ///< silhouette is O(n²); switch off for very large n
};

/// \brief Scores the flat clusterings produced by `labeler(k)` for k in [k_min, k_max] and picks the
/// k with the minimum Davies–Bouldin index (smallest k on ties). Rows where fewer than 2 clusters
/// were formed are skipped (a linkage with many tied distances can give fewer than k).
template <class TDerived, class TLabeler>
cluster_scan_result scan_cluster_count(const Eigen::MatrixBase<TDerived>& x, TLabeler&& labeler,
                                       const cluster_scan_options& options = {})
{
    if (options.k_min < 2 || options.k_max < options.k_min) {
        raise("cluster.scan_cluster_count", "k range: got ", options.k_min, "..", options.k_max,
              ", expected 2 <= k_min <= k_max.");
    }
    if (static_cast<std::size_t>(x.rows()) <= options.k_min) {
        raise("cluster.scan_cluster_count", "number of observations: got ", x.rows(), ", expected more than k_min = ",
              options.k_min, ".");
    }
    const detail::score_matrix rows = x.template cast<double>();
    cluster_scan_result result;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t k = options.k_min; k <= options.k_max && k < static_cast<std::size_t>(x.rows()); ++k) {
        const auto labels = labeler(k);
        cluster_scan_row row;
        row.k = k;
        std::vector<long long> distinct(labels.begin(), labels.end());
        std::sort(distinct.begin(), distinct.end());
        row.clusters = static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) - distinct.begin());
        if (row.clusters < 2) {
            continue;
        }
        const auto scores = detail::centroid_scores_rows(rows, labels, "cluster.scan_cluster_count", k == options.k_min);
        row.davies_bouldin = scores.davies_bouldin;
        row.calinski_harabasz = scores.calinski_harabasz;
        row.silhouette = options.with_silhouette ? silhouette_score(rows, labels)
                                                 : std::numeric_limits<double>::quiet_NaN();
        if (row.davies_bouldin < best) {
            best = row.davies_bouldin;
            result.best_k = k;
        }
        result.rows.push_back(row);
    }
    return result;
}

/// \brief The study's scan: cuts the linkage tree into k clusters (`fcluster_maxclust`) for each k.
template <class TDerived>
cluster_scan_result scan_cluster_count(const Eigen::MatrixBase<TDerived>& x, const linkage_matrix& z,
                                       const cluster_scan_options& options = {})
{
    if (static_cast<Eigen::Index>(z.rows()) + 1 != x.rows()) {
        raise("cluster.scan_cluster_count", "linkage rows: got ", z.rows(), ", expected n-1 = ", x.rows() - 1, ".");
    }
    return scan_cluster_count(x, [&z](std::size_t k) { return fcluster_maxclust(z, k); }, options);
}

}  // namespace radiogenomics::cluster
