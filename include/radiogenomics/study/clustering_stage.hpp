#pragma once
/// \file clustering_stage.hpp
/// \brief Pipeline step 6: the combined model's deep features → t-SNE → agglomerative clustering
/// with a Davies–Bouldin scan over k = 2..9, on the embedding and on the raw deep features, their
/// agreement (adjusted Rand index), chi-square tests of the clusters against TP53 and cancer type,
/// and a per-deep-feature TP53 test (the study's Figure 9). The agreement of the two clusterings is
/// `cluster::adjusted_rand_index`.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/cluster/adjusted_rand_index.hpp"
#include "radiogenomics/cluster/cluster_scores.hpp"
#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/embed/tsne.hpp"
#include "radiogenomics/study/study_options.hpp"
#include "radiogenomics/stats/chi_square.hpp"
#include "radiogenomics/stats/volcano.hpp"

namespace radiogenomics::study {

/// Result of `run_clustering`.
struct clustering_result {
    Eigen::MatrixXd tsne;                       ///< n × 2
    double kl_divergence = 0.0;
    double perplexity = 0.0;
    cluster::cluster_scan_result scan_tsne;     ///< DBI over k on the embedding
    cluster::cluster_scan_result scan_deep;     ///< DBI over k on the raw deep features
    cluster::linkage_matrix linkage_tsne;
    cluster::linkage_matrix linkage_deep;
    std::vector<int> clusters_tsne;             ///< at scan_tsne.best_k (1-based labels)
    std::vector<int> clusters_deep;             ///< at scan_deep.best_k
    std::vector<int> clusters_deep_same_k;      ///< raw deep features cut at scan_tsne.best_k
    double ari_same_k = 0.0;                    ///< ARI(clusters_tsne, clusters_deep_same_k)
    double ari_best_k = 0.0;                    ///< ARI(clusters_tsne, clusters_deep)
    stats::chi_square_result tp53_vs_clusters;  ///< clusters_tsne × TP53
    stats::chi_square_result type_vs_clusters;  ///< clusters_tsne × cancer type
    stats::chi_square_result tp53_vs_deep_clusters;  ///< clusters_deep × TP53
    /// The same two TP53 tests on the test patients alone (clusters from the whole cohort; no
    /// model saw these patients' labels); empty results when no test rows were given.
    stats::chi_square_result tp53_vs_clusters_test;
    stats::chi_square_result tp53_vs_deep_clusters_test;
    std::size_t test_patients = 0;
    stats::volcano_result deep_volcano;         ///< per deep feature, TP53+ vs TP53−
};

namespace detail {

inline stats::chi_square_result contingency_test(const std::vector<int>& clusters, const std::vector<int>& groups,
                                                 int n_groups)
{
    int k = 0;
    for (const int c : clusters) {
        k = std::max(k, c);
    }
    Eigen::MatrixXd table = Eigen::MatrixXd::Zero(k, n_groups);
    for (std::size_t i = 0; i < clusters.size(); ++i) {
        table(clusters[i] - 1, groups[i]) += 1.0;
    }
    std::vector<Eigen::Index> keep_r;
    std::vector<Eigen::Index> keep_c;
    for (Eigen::Index r = 0; r < table.rows(); ++r) {
        if (table.row(r).sum() > 0) keep_r.push_back(r);
    }
    for (Eigen::Index c = 0; c < table.cols(); ++c) {
        if (table.col(c).sum() > 0) keep_c.push_back(c);
    }
    if (keep_r.size() < 2 || keep_c.size() < 2) {
        return stats::chi_square_result{};
    }
    Eigen::MatrixXd reduced(static_cast<Eigen::Index>(keep_r.size()), static_cast<Eigen::Index>(keep_c.size()));
    for (std::size_t r = 0; r < keep_r.size(); ++r) {
        for (std::size_t c = 0; c < keep_c.size(); ++c) {
            reduced(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = table(keep_r[r], keep_c[c]);
        }
    }
    return stats::chi_square_independence(reduced, true);
}

}  // namespace detail

/// Step 6 on deep features (n × d), TP53 labels (0/1) and cancer-type codes (0..2); `test_rows`
/// (optional) are the rows of the test patients, tested against TP53 separately as well.
/// Nothing here uses a label except the tests of the clusters against it.
inline clustering_result run_clustering(const Eigen::MatrixXd& deep, const std::vector<int>& tp53,
                                        const std::vector<int>& types, const clustering_options& options,
                                        std::uint64_t seed, const std::vector<Eigen::Index>& test_rows = {})
{
    clustering_result out;
    const auto n = static_cast<std::size_t>(deep.rows());
    if (n < options.k_min + 2) {
        raise<invalid_argument>("study.run_clustering", "patients: got ", n, ", expected at least ", options.k_min + 2,
                                " for a cluster scan.");
    }
    embed::tsne_options t;
    t.perplexity = std::min(options.perplexity, std::max(2.0, (static_cast<double>(n) - 1.0) / 3.0));
    t.iterations = options.tsne_iterations;
    t.seed = seed;
    t.method = n < 100 ? embed::tsne_method::exact : embed::tsne_method::barnes_hut;
    const auto result = embed::tsne(deep, t);
    out.tsne = result.embedding;
    out.kl_divergence = result.kl_divergence;
    out.perplexity = result.perplexity;
    cluster::cluster_scan_options scan;
    scan.k_min = options.k_min;
    scan.k_max = std::min(options.k_max, n - 1);
    out.linkage_tsne = cluster::linkage(out.tsne, options.method);
    out.linkage_deep = cluster::linkage(deep, options.method);
    const cluster::linkage_matrix& z_tsne = out.linkage_tsne;
    const cluster::linkage_matrix& z_deep = out.linkage_deep;
    out.scan_tsne = cluster::scan_cluster_count(out.tsne, z_tsne, scan);
    out.scan_deep = cluster::scan_cluster_count(deep, z_deep, scan);
    const std::size_t k_tsne = std::max<std::size_t>(out.scan_tsne.best_k, 2);
    const std::size_t k_deep = std::max<std::size_t>(out.scan_deep.best_k, 2);
    out.clusters_tsne = cluster::fcluster_maxclust(out.linkage_tsne, k_tsne);
    out.clusters_deep = cluster::fcluster_maxclust(out.linkage_deep, k_deep);
    out.clusters_deep_same_k = cluster::fcluster_maxclust(out.linkage_deep, k_tsne);
    out.ari_same_k = cluster::adjusted_rand_index(out.clusters_tsne, out.clusters_deep_same_k);
    out.ari_best_k = cluster::adjusted_rand_index(out.clusters_tsne, out.clusters_deep);
    out.tp53_vs_clusters = detail::contingency_test(out.clusters_tsne, tp53, 2);
    out.type_vs_clusters = detail::contingency_test(out.clusters_tsne, types, 3);
    out.tp53_vs_deep_clusters = detail::contingency_test(out.clusters_deep, tp53, 2);
    if (!test_rows.empty()) {
        std::vector<int> c_tsne;
        std::vector<int> c_deep;
        std::vector<int> y;
        for (const Eigen::Index r : test_rows) {
            const auto i = static_cast<std::size_t>(r);
            c_tsne.push_back(out.clusters_tsne[i]);
            c_deep.push_back(out.clusters_deep[i]);
            y.push_back(tp53[i]);
        }
        out.tp53_vs_clusters_test = detail::contingency_test(c_tsne, y, 2);
        out.tp53_vs_deep_clusters_test = detail::contingency_test(c_deep, y, 2);
        out.test_patients = test_rows.size();
    }
    Eigen::VectorXi y(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
        y[static_cast<Eigen::Index>(i)] = tp53[i];
    }
    stats::volcano_options v;
    v.test = stats::group_test::mann_whitney;
    out.deep_volcano = stats::volcano(deep, y, v);
    return out;
}

}  // namespace radiogenomics::study
