// Each stage of run_study alone (study/cohort_stage.hpp, statistics_stage.hpp, model_stage.hpp,
// clustering_stage.hpp): typed inputs in, typed result out, and the CSV files and report section each
// stage writes from its result. The numbers inside the stages are tested in test_statistics_guards.cpp and
// the concerns' own tests; here: what each stage promises about its result and its files.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "null_cohort.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/clustering_stage.hpp"
#include "radiogenomics/study/cohort_stage.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/statistics_stage.hpp"

namespace fs = std::filesystem;
namespace rg = radiogenomics;
namespace rs = radiogenomics::study;

namespace {

fs::path stage_dir(const std::string& name)
{
    const fs::path d = fs::temp_directory_path() / ("rg_test_stages_" + std::to_string(::getpid())) / name;
    fs::remove_all(d);
    fs::create_directories(d.parent_path());
    return d;
}

std::size_t count_of(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

rs::study_options small_cohort_options()
{
    rs::study_options o;
    o.cohort.scale = rg::synth::cohort_scale::small;
    o.cohort.seed = 11;
    o.radiomics.paper_image_types = false;
    o.threads = 2;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(study_stages)

// Steps 1-3: every patient processed; automatic-annotation features exist for the test patients and for
// no one else (the study evaluated automatic masks on its test split only).
BOOST_AUTO_TEST_CASE(cohort_stage_extracts_automatic_features_for_test_patients_only)
{
    const rs::study_options o = small_cohort_options();
    const rs::study_sources sources = rs::open_sources(o);
    std::size_t progress_calls = 0;
    const rs::cohort_stage_result r = rs::run_cohort_stage(
        o, sources, [&](const std::string&, std::size_t, std::size_t, const std::string&) { ++progress_calls; });
    BOOST_TEST(r.patients == 40u);
    BOOST_TEST(r.included() == 40u);
    BOOST_TEST(r.excluded() == 0u);
    BOOST_TEST(progress_calls >= 40u);
    BOOST_REQUIRE(r.labels.size() == r.cohort.clinical.size());
    for (std::size_t i = 0; i < r.labels.size(); ++i) {
        BOOST_TEST(r.labels[i] == (r.cohort.clinical[i].tp53_positive ? 1 : 0));
    }
    const std::set<rg::learn::index> test(r.test_rows.begin(), r.test_rows.end());
    BOOST_TEST(test.size() == r.test_rows.size());  // no row twice
    BOOST_TEST(!test.empty());
    BOOST_TEST(test.size() < r.labels.size() / 2);
    BOOST_REQUIRE(r.cohort.automatic[0].rows() == static_cast<Eigen::Index>(r.labels.size()));
    BOOST_REQUIRE(r.cohort.automatic[0].cols() > 0);
    for (Eigen::Index i = 0; i < r.cohort.automatic[0].rows(); ++i) {
        const bool is_test = test.count(i) != 0;
        const bool any_finite = r.cohort.automatic[0].row(i).array().isFinite().any();
        BOOST_TEST(any_finite == is_test, "row " << i << (is_test ? " (test)" : " (training)"));
        BOOST_TEST(std::isfinite(r.cohort.status[static_cast<std::size_t>(i)].dice) == is_test, "row " << i);
    }
    BOOST_TEST(r.cohort.has_automatic);
    BOOST_REQUIRE(r.timings.size() == 2u);
    BOOST_TEST(r.timings[1].stage == "automatic annotation pass (test patients)");

    // its file: one row per patient of the source
    const fs::path dir = stage_dir("cohort");
    {
        rs::report_folder out(dir.string(), false, "test");
        rs::write_patient_status(r.cohort, out);
        out.commit("test");
    }
    const auto status = rg::io::read_csv((dir / "patients_status.csv").string());
    BOOST_TEST(status.rows.size() == 40u);
    BOOST_TEST(status.rows[0][status.column("status")] == "included");
}

BOOST_AUTO_TEST_CASE(cohort_stage_refuses_too_few_patients_and_write_cohort_with_a_manifest)
{
    rs::study_options o = small_cohort_options();
    o.max_patients = 6;
    o.radiomics.automatic_masks = false;
    const auto quiet = [](const std::string&, std::size_t, std::size_t, const std::string&) {};
    BOOST_CHECK_EXCEPTION(rs::run_cohort_stage(o, rs::open_sources(o), quiet), rg::invalid_argument,
                          [](const rg::invalid_argument& e) {
                              return std::string(e.what()).find("usable patients: got") != std::string::npos &&
                                     std::string(e.what()).find("No patient was excluded.") != std::string::npos;
                          });
    rs::study_options m = small_cohort_options();
    m.write_cohort = (stage_dir("never") / "cohort").string();
    const rs::study_sources synthetic = rs::open_sources(m);  // the synthetic source, then a manifest named
    m.manifest = "patients.csv";
    BOOST_CHECK_EXCEPTION(rs::run_cohort_stage(m, synthetic, quiet), rg::invalid_argument,
                          [](const rg::invalid_argument& e) {
                              return std::string(e.what()).find("--write-cohort") != std::string::npos;
                          });
    BOOST_TEST(!fs::exists(m.write_cohort));
}

// Step 4: Table 1 and 16 volcano panels; each panel's CSV holds its p-values, the section draws each
// non-empty panel once.
BOOST_AUTO_TEST_CASE(statistics_stage_writes_its_tables_and_section)
{
    rs::cohort_features cohort = rg::test::null_cohort(60, 20, 12, 3);
    rg::random_engine engine(8);
    for (auto& p : cohort.clinical) {  // null_cohort leaves the continuous variables of Table 1 constant
        p.age_years = 40.0 + 30.0 * rg::uniform01(engine);
        p.bmi = 20.0 + 10.0 * rg::uniform01(engine);
    }
    const rs::statistics_result statistics = rs::run_statistics(cohort);
    BOOST_REQUIRE(statistics.volcanos.size() == 16u);
    const fs::path dir = stage_dir("statistics");
    {
        rs::report_folder out(dir.string(), false, "test");
        rs::write_statistics(statistics, out);
        out.commit("test");
    }
    const auto table1 = rg::io::read_csv((dir / "table1.csv").string());
    BOOST_TEST(table1.rows.size() == statistics.table1.size());
    std::size_t drawn = 0;
    for (const auto& panel : statistics.volcanos) {
        const std::string name = "volcano_" + std::string(rs::source_name(panel.source)) + "_" + panel.subset + ".csv";
        BOOST_TEST_CONTEXT(name)
        {
            const auto t = rg::io::read_csv((dir / name).string());
            BOOST_REQUIRE(t.rows.size() == static_cast<std::size_t>(panel.result.p_value.size()));
            const std::size_t p = t.column("p_value");
            for (std::size_t j = 0; j < t.rows.size(); ++j) {
                BOOST_TEST(t.rows[j][t.column("feature")] == panel.names[j]);
                const double written = std::stod(t.rows[j][p]);
                BOOST_TEST(written == panel.result.p_value[static_cast<Eigen::Index>(j)],
                           boost::test_tools::tolerance(1e-9));
            }
        }
        drawn += panel.result.p_value.size() > 0 ? 1 : 0;
    }
    rg::report::html_report html("t");
    rs::add_statistics_sections(html, statistics);
    const std::string text = html.str();
    BOOST_TEST(count_of(text, "id=\"table1\"") == 1u);
    BOOST_TEST(count_of(text, "id=\"volcano\"") == 1u);
    BOOST_TEST(count_of(text, "<svg") == drawn);
}

// Step 5's files from a hand-made result: the study's published values only beside the headline rows,
// no metrics for a fold without a usable model, each patient's deep-feature origin.
BOOST_AUTO_TEST_CASE(model_stage_writes_metrics_history_and_deep_features)
{
    rs::cohort_features cohort = rg::test::null_cohort(3, 1, 4, 9);
    rs::model_result models;
    rs::metrics_row headline;
    headline.model = "combined";
    headline.fold = rs::fold_kind::ensemble;
    headline.split = rs::data_split::test;
    headline.metrics.accuracy = 0.75;
    rs::metrics_row pooled = headline;
    pooled.classifier_kind = rs::classifier::logistic;
    pooled.fold = rs::fold_kind::pooled;
    pooled.split = rs::data_split::validation;
    rs::metrics_row lost = headline;
    lost.fold = rs::fold_kind::single;
    lost.fold_index = 1;
    lost.diverged = true;
    lost.available = false;
    models.metrics = {headline, pooled, lost};
    models.deep_features = Eigen::MatrixXd::Zero(3, 2);
    models.deep_features(2, 1) = 0.5;
    models.deep_origin = {rs::deep_feature_origin::out_of_fold, rs::deep_feature_origin::test_ensemble,
                          rs::deep_feature_origin::seen_fallback};
    const fs::path dir = stage_dir("models");
    {
        rs::report_folder out(dir.string(), false, "test");
        rs::write_models(models, cohort, out);
        out.commit("test");
    }
    const auto metrics = rg::io::read_csv((dir / "metrics.csv").string());
    BOOST_REQUIRE(metrics.rows.size() == 3u);
    const std::size_t published = metrics.column("published_accuracy");
    BOOST_TEST(std::stod(metrics.rows[0][published]) == 0.8620);  // the study's combined test accuracy
    BOOST_TEST(metrics.rows[1][published].empty());                // logistic pooled: nothing published
    BOOST_TEST(metrics.rows[2][published].empty());                // a single fold: nothing published
    BOOST_TEST(metrics.rows[2][metrics.column("accuracy")] == "nan");
    BOOST_TEST(metrics.rows[2][metrics.column("diverged")] == "1");
    BOOST_TEST(metrics.rows[2][metrics.column("fold")] == "2");
    const auto deep = rg::io::read_csv((dir / "deep_features.csv").string());
    BOOST_REQUIRE(deep.rows.size() == 3u);
    BOOST_TEST(deep.header.size() == 6u);  // id, cancer_type, tp53, origin, deep_1, deep_2
    BOOST_TEST(deep.rows[0][deep.column("origin")] == "out_of_fold");
    BOOST_TEST(deep.rows[1][deep.column("origin")] == "test_ensemble");
    BOOST_TEST(deep.rows[2][deep.column("origin")] == "seen_fallback");
    BOOST_TEST(std::stod(deep.rows[2][deep.column("deep_2")]) == 0.5);
    BOOST_TEST(rg::io::read_csv((dir / "history.csv").string()).rows.empty());

    rg::report::html_report html("t");
    rs::add_models_section(html, models, false);
    const std::string text = html.str();
    BOOST_TEST(count_of(text, "Diverged training") == 1u);
    BOOST_TEST(count_of(text, "combined transformer fold 2, no usable epoch: left out") == 1u);
    BOOST_TEST(count_of(text, "the manifest&#39;s data") + count_of(text, "the manifest's data") == 1u);
    BOOST_TEST(count_of(text, "SYNTHETIC") == 0u);
}

// Step 6 on two well-separated groups: the scan finds them, every file covers every patient, and the
// captions name the linkage that was configured.
BOOST_AUTO_TEST_CASE(clustering_stage_finds_two_groups_and_names_its_linkage)
{
    const std::size_t n = 30;
    Eigen::MatrixXd deep(static_cast<Eigen::Index>(n), 4);
    rg::random_engine engine(21);
    std::vector<int> tp53;
    std::vector<int> types;
    std::vector<rg::synth::clinical_record> patients;
    for (std::size_t i = 0; i < n; ++i) {
        const double centre = i < n / 2 ? 0.0 : 10.0;
        for (Eigen::Index c = 0; c < 4; ++c) {
            deep(static_cast<Eigen::Index>(i), c) = centre + rg::standard_normal(engine);
        }
        tp53.push_back(static_cast<int>(i % 2));
        types.push_back(static_cast<int>(i % 3));
        rg::synth::clinical_record r;
        r.id = "P" + std::to_string(i);
        r.type = static_cast<rg::synth::cancer_type>(i % 3);
        r.tp53_positive = i % 2 == 1;
        patients.push_back(r);
    }
    rs::model_result models;
    models.deep_features = deep;
    models.deep_origin.assign(n, rs::deep_feature_origin::out_of_fold);
    models.test_rows = {0, 1, 2, 15, 16, 17};
    for (const auto method : {rg::cluster::linkage_method::ward, rg::cluster::linkage_method::single}) {
        rs::clustering_options o;
        o.k_max = 5;
        o.tsne_iterations = 300;
        o.method = method;
        const rs::clustering_result clusters = rs::run_clustering(deep, tp53, types, o, 4, models.test_rows);
        BOOST_TEST(clusters.scan_deep.best_k == 2u);
        BOOST_TEST(clusters.test_patients == 6u);
        const fs::path dir = stage_dir(std::string("clustering_") + rg::cluster::to_string(method));
        {
            rs::report_folder out(dir.string(), false, "test");
            rs::write_clustering(clusters, patients, out);
            out.commit("test");
        }
        const auto c = rg::io::read_csv((dir / "clusters.csv").string());
        BOOST_REQUIRE(c.rows.size() == n);
        for (std::size_t i = 0; i < n; ++i) {
            // the raw clusters are the two groups
            BOOST_TEST((c.rows[i][c.column("cluster_deep")] == c.rows[0][c.column("cluster_deep")]) == (i < n / 2));
        }
        BOOST_TEST(rg::io::read_csv((dir / "tsne.csv").string()).rows.size() == n);
        const auto dbi = rg::io::read_csv((dir / "dbi.csv").string());
        BOOST_TEST(dbi.rows.size() == 2u * (o.k_max - o.k_min + 1));
        std::size_t best = 0;
        for (const auto& row : dbi.rows) {
            best += row[dbi.column("best")] == "1" ? 1 : 0;
        }
        BOOST_TEST(best == 2u);  // one per space
        BOOST_TEST(rg::io::read_csv((dir / "cluster_tests.csv").string()).rows.size() == 7u);
        BOOST_TEST(rg::io::read_csv((dir / "volcano_deep_features.csv").string()).rows.size() == 4u);

        rg::report::html_report html("t");
        rs::add_clustering_section(html, clusters, models, patients, o);
        const std::string text = html.str();
        const bool ward = method == rg::cluster::linkage_method::ward;
        BOOST_TEST((count_of(text, "Ward") > 0) == ward);
        BOOST_TEST((count_of(text, "single agglomerative") > 0) == !ward);
        BOOST_TEST(count_of(text, "each of the 30 training patients") == 1u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
