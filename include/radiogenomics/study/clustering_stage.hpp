#pragma once
/// \file clustering_stage.hpp
/// \brief Pipeline step 6: the combined model's deep features → t-SNE → agglomerative clustering
/// with a Davies–Bouldin scan over k = 2..9, on the embedding and on the raw deep features, their
/// agreement (adjusted Rand index), chi-square tests of the clusters against TP53 and cancer type,
/// and a per-deep-feature TP53 test (the study's Figure 9). The agreement of the two clusterings is
/// `cluster::adjusted_rand_index`.

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/cluster/adjusted_rand_index.hpp"
#include "radiogenomics/cluster/cluster_scores.hpp"
#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/cluster/linkage.hpp"
#include "radiogenomics/embed/tsne.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/report_folder.hpp"
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

/// Writes `volcano_deep_features.csv`, `tsne.csv`, `clusters.csv`, `dbi.csv` and `cluster_tests.csv`
/// into `out`; `patients` are the included patients in row order.
inline void write_clustering(const clustering_result& clusters, const std::vector<synth::clinical_record>& patients,
                             const report_folder& out)
{
    std::vector<std::string> deep_names;
    for (Eigen::Index c = 0; c < clusters.deep_volcano.p_value.size(); ++c) {
        deep_names.push_back("deep_" + std::to_string(c + 1));
    }
    detail::write_volcano_csv(out.file("volcano_deep_features.csv"), deep_names, clusters.deep_volcano);
    {
        io::csv_writer w({"id", "cancer_type", "tp53", "tsne_1", "tsne_2", "cluster"});
        io::csv_writer c({"id", "cancer_type", "tp53", "cluster_tsne", "cluster_deep", "cluster_deep_same_k"});
        for (std::size_t i = 0; i < patients.size(); ++i) {
            const auto& p = patients[i];
            std::vector<std::string> row{p.id, synth::cancer_type_name(p.type), p.tp53_positive ? "1" : "0"};
            auto row2 = row;
            row.push_back(detail::num(clusters.tsne(static_cast<Eigen::Index>(i), 0)));
            row.push_back(detail::num(clusters.tsne(static_cast<Eigen::Index>(i), 1)));
            row.push_back(std::to_string(clusters.clusters_tsne[i]));
            row2.push_back(std::to_string(clusters.clusters_tsne[i]));
            row2.push_back(std::to_string(clusters.clusters_deep[i]));
            row2.push_back(std::to_string(clusters.clusters_deep_same_k[i]));
            w.add_row(row);
            c.add_row(row2);
        }
        w.save(out.file("tsne.csv"));
        c.save(out.file("clusters.csv"));
    }
    {
        io::csv_writer w({"space", "k", "clusters", "davies_bouldin", "silhouette", "calinski_harabasz", "best"});
        for (const auto* scan : {&clusters.scan_tsne, &clusters.scan_deep}) {
            for (const auto& r : scan->rows) {
                w.add_row({scan == &clusters.scan_tsne ? "tsne" : "deep_features", std::to_string(r.k),
                           std::to_string(r.clusters), detail::num(r.davies_bouldin), detail::num(r.silhouette),
                           detail::num(r.calinski_harabasz), r.k == scan->best_k ? "1" : "0"});
            }
        }
        w.save(out.file("dbi.csv"));
    }
    io::csv_writer w({"test", "clustering", "k", "statistic", "df", "p_value", "cramers_v"});
    const auto chi = [&](const std::string& test, const std::string& space, std::size_t k,
                         const stats::chi_square_result& r) {
        w.add_row({test, space, std::to_string(k), detail::num(r.statistic), detail::num(r.df), detail::num(r.p_value),
                   detail::num(r.cramers_v)});
    };
    chi("chi_square_tp53", "tsne", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters);
    chi("chi_square_cancer_type", "tsne", clusters.scan_tsne.best_k, clusters.type_vs_clusters);
    chi("chi_square_tp53", "deep_features", clusters.scan_deep.best_k, clusters.tp53_vs_deep_clusters);
    chi("chi_square_tp53_test_patients", "tsne", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters_test);
    chi("chi_square_tp53_test_patients", "deep_features", clusters.scan_deep.best_k,
        clusters.tp53_vs_deep_clusters_test);
    w.add_row({"adjusted_rand_index_same_k", "tsne_vs_deep_features", std::to_string(clusters.scan_tsne.best_k),
               detail::num(clusters.ari_same_k), "", "", ""});
    w.add_row({"adjusted_rand_index_best_k", "tsne_vs_deep_features",
               std::to_string(clusters.scan_tsne.best_k) + "/" + std::to_string(clusters.scan_deep.best_k),
               detail::num(clusters.ari_best_k), "", "", ""});
    w.save(out.file("cluster_tests.csv"));
}

/// The report section of step 6 (all its prose is here): where the deep features come from, the DBI scan,
/// the t-SNE maps, the heatmap with its dendrogram, the deep-feature volcano and the cluster tests.
inline void add_clustering_section(report::html_report& html, const clustering_result& clusters,
                                   const model_result& models, const std::vector<synth::clinical_record>& patients,
                                   const clustering_options& options)
{
    html.heading("Deep features: t-SNE and clustering", 2, "clusters");
    const std::string linkage_title = detail::linkage_title(options.method);
    std::size_t out_of_fold = 0;
    std::size_t fallback = 0;
    for (const auto o : models.deep_origin) {
        out_of_fold += o == deep_feature_origin::out_of_fold ? 1 : 0;
        fallback += o == deep_feature_origin::seen_fallback ? 1 : 0;
    }
    std::string alignment;
    for (std::size_t f = 0; f < models.deep_alignment.size(); ++f) {
        alignment += (f == 0 ? "" : ", ") + detail::fmt(models.deep_alignment[f], 2);
    }
    html.paragraph(
        "Deep features are the combined Transformer's CLS representation, taken so that no patient's deep "
        "features come from a model that saw its TP53 label: each of the " +
        std::to_string(out_of_fold) + " training patients gets them from the fold model that had it in its "
        "validation fold (out-of-fold), each of the " + std::to_string(models.test_rows.size()) +
        " test patients from the mean of the fold models. Each fold model's space is first rotated "
        "(orthogonal Procrustes) onto the same label-free target, the leading principal components of the "
        "patients' features, so a training patient's deep features depend on its own fold model alone ("
        "agreement of the aligned fold models with the first, share of its variance reproduced: " + alignment +
        "). Clustering uses no label; "
        "the chi-square tests below are computed on all patients and, separately, on the test patients alone." +
        (fallback > 0 ? " " + std::to_string(fallback) + " training patients whose fold model diverged got the "
                                                         "ensemble's features, which saw their labels."
                      : ""));
    std::vector<report::svg_series> dbi;
    for (const auto* scan : {&clusters.scan_tsne, &clusters.scan_deep}) {
        report::svg_series s;
        s.name = scan == &clusters.scan_tsne ? "t-SNE embedding" : "raw deep features";
        s.markers = true;
        for (const auto& r : scan->rows) {
            s.x.push_back(static_cast<double>(r.k));
            s.y.push_back(r.davies_bouldin);
        }
        dbi.push_back(s);
    }
    report::svg_scatter_options o;
    o.title = "Davies-Bouldin index";
    o.x_label = "number of clusters k";
    o.y_label = "DBI (lower is better)";
    o.width = 560;
    o.height = 340;
    o.series_colors = {"#1f77b4", "#ff7f0e"};
    html.figure(report::svg_line_plot(dbi, o),
                "Davies-Bouldin index of " + linkage_title + " agglomerative clusterings for k = " +
                    std::to_string(options.k_min) + ".." + std::to_string(options.k_max) +
                    " on the t-SNE embedding (best k = " + std::to_string(clusters.scan_tsne.best_k) +
                    ") and on the raw deep features (best k = " + std::to_string(clusters.scan_deep.best_k) +
                    ") (dbi.csv).");
    std::vector<report::svg_point> by_cluster;
    std::vector<report::svg_point> by_type;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const double x = clusters.tsne(static_cast<Eigen::Index>(i), 0);
        const double y = clusters.tsne(static_cast<Eigen::Index>(i), 1);
        const auto& p = patients[i];
        const std::string label = p.id + (p.tp53_positive ? " TP53+" : " TP53-");
        by_cluster.push_back({x, y, clusters.clusters_tsne[i] - 1, label});
        by_type.push_back({x, y, static_cast<int>(p.type), label});
    }
    report::svg_scatter_options a;
    a.title = "t-SNE of deep features, by cluster";
    a.x_label = "t-SNE 1";
    a.y_label = "t-SNE 2";
    a.series_colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
    for (std::size_t k = 1; k <= clusters.scan_tsne.best_k; ++k) {
        a.series_names.push_back("cluster " + std::to_string(k));
    }
    report::svg_scatter_options b = a;
    b.title = "t-SNE of deep features, by cancer type";
    b.series_names = {"endometrial", "ovarian", "cervical"};
    b.series_colors = {"#d62728", "#2ca02c", "#1f77b4"};
    html.figure_row({report::svg_scatter(by_cluster, a), report::svg_scatter(by_type, b)},
                    "t-SNE (perplexity " + detail::fmt(clusters.perplexity, 1) + ", KL " +
                        detail::fmt(clusters.kl_divergence, 3) + ") of the combined model's deep features "
                        "(out-of-fold for training patients, fold-model ensemble for test patients; see above), "
                        "coloured by " + linkage_title + " agglomerative cluster and by cancer type (tsne.csv, "
                        "deep_features.csv).");
    // Heatmap: z-scored deep features, rows by the raw-feature dendrogram.
    const Eigen::MatrixXd& d = models.deep_features;
    std::vector<std::vector<double>> z(static_cast<std::size_t>(d.rows()),
                                       std::vector<double>(static_cast<std::size_t>(d.cols())));
    for (Eigen::Index c = 0; c < d.cols(); ++c) {
        const double mean = d.col(c).mean();
        const double sd = std::sqrt((d.col(c).array() - mean).square().mean());
        for (Eigen::Index r = 0; r < d.rows(); ++r) {
            z[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = sd > 0 ? (d(r, c) - mean) / sd : 0.0;
        }
    }
    std::vector<std::array<double, 4>> merges;
    for (Eigen::Index i = 0; i < clusters.linkage_deep.rows(); ++i) {
        merges.push_back({clusters.linkage_deep(i, 0), clusters.linkage_deep(i, 1), clusters.linkage_deep(i, 2),
                          clusters.linkage_deep(i, 3)});
    }
    report::svg_heatmap_options h;
    h.title = "Deep features (z-scores), patients ordered by " + linkage_title + " linkage";
    h.x_label = "deep feature";
    h.y_label = "patients";
    for (const int c : clusters.clusters_tsne) {
        h.row_groups.push_back(c - 1);
    }
    for (std::size_t k = 1; k <= clusters.scan_tsne.best_k; ++k) {
        h.group_names.push_back("t-SNE cluster " + std::to_string(k));
    }
    html.figure(report::svg_heatmap(z, cluster::leaves_list(clusters.linkage_deep), merges, h),
                "Heatmap of the deep features (columns, z-scored) of every patient (rows), ordered by the " +
                    linkage_title + " dendrogram of the raw deep features (left); the colour bar shows each patient's t-SNE cluster. "
                "Adjusted Rand index between the t-SNE clusters and the raw-feature clusters at the same k: " +
                    detail::fmt(clusters.ari_same_k, 3) + " (clusters.csv).");
    std::vector<std::string> deep_names;
    for (Eigen::Index c = 0; c < d.cols(); ++c) {
        deep_names.push_back("deep_" + std::to_string(c + 1));
    }
    html.figure(detail::volcano_svg(deep_names, clusters.deep_volcano, "Deep features vs TP53", false),
                "Deep-feature volcano plot: difference of the TP53+ and TP53- means (x; deep features are centred "
                "by layer normalisation, so a fold change is undefined) against -log10 Mann-Whitney p (y); red = "
                "BH q < 0.05 (volcano_deep_features.csv).");
    const auto chi_row = [](const std::string& test, const std::string& space, std::size_t k,
                            const stats::chi_square_result& r) {
        return std::vector<std::string>{test, space, std::to_string(k), detail::fmt(r.statistic, 3),
                                        detail::fmt(r.df, 0), detail::fmt_p(r.p_value)};
    };
    const std::string test_only = "chi-square: clusters vs TP53, " + std::to_string(clusters.test_patients) +
                                  " test patients only";
    html.table({"test", "clustering", "k", "statistic", "df", "p"},
               {chi_row("chi-square: clusters vs TP53", "t-SNE", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters),
                chi_row("chi-square: clusters vs cancer type", "t-SNE", clusters.scan_tsne.best_k,
                        clusters.type_vs_clusters),
                chi_row("chi-square: clusters vs TP53", "raw deep features", clusters.scan_deep.best_k,
                        clusters.tp53_vs_deep_clusters),
                chi_row(test_only, "t-SNE", clusters.scan_tsne.best_k, clusters.tp53_vs_clusters_test),
                chi_row(test_only, "raw deep features", clusters.scan_deep.best_k, clusters.tp53_vs_deep_clusters_test),
                {"adjusted Rand index, t-SNE vs raw (same k)", "both", std::to_string(clusters.scan_tsne.best_k),
                 detail::fmt(clusters.ari_same_k, 3), "", ""}},
               "Cluster tests (cluster_tests.csv; n/a: fewer than two clusters or classes present). Every "
               "patient's deep features come from a model that never saw its label, so an association here is "
               "not built in by training. The study: best k = 3, clusters vs TP53 p = 0.001, t-SNE and raw "
               "clusterings nearly identical (its deep features' provenance is not stated).");
}

}  // namespace radiogenomics::study
