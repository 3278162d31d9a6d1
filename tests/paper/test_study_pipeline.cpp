#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/study/manifest.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/study_pipeline.hpp"

namespace fs = std::filesystem;
namespace rg = radiogenomics;
namespace rs = radiogenomics::study;

namespace {

fs::path work_dir()
{
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / "rg_test_paper";
        fs::remove_all(d);
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

/// Small, fast settings: 40 patients on small grids, original-image radiomics, few epochs.
rs::study_options small_options(double signal, const std::string& name)
{
    rs::study_options o;
    o.cohort.scale = rg::synth::cohort_scale::small;
    o.cohort.seed = 11;
    o.cohort.signal = signal;
    o.out_dir = (work_dir() / name).string();
    o.radiomics.paper_image_types = false;
    o.model.epochs = 15;
    o.model.patience = 8;
    o.model.top_k = 8;
    o.clustering.tsne_iterations = 300;
    o.threads = 2;
    return o;
}

/// Metric `column` of the row (model, annotation, classifier, fold, split) of metrics.csv.
double metric(const radiogenomics::io::csv_table& t, const std::string& model, const std::string& classifier, const std::string& fold,
              const std::string& split, const std::string& column, const std::string& annotation = "manual")
{
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const auto& row = t.rows[r];
        if (row[t.column("model")] == model && row[t.column("classifier")] == classifier &&
            row[t.column("fold")] == fold && row[t.column("split")] == split &&
            row[t.column("annotation")] == annotation) {
            return t.number(r, t.column(column));
        }
    }
    BOOST_FAIL("no metrics row " + model + "/" + classifier + "/" + fold + "/" + split);
    return 0.0;
}

/// The signal-3 run, which also writes the cohort (shared by several cases).
const rs::study_summary& strong_run()
{
    static const rs::study_summary summary = [] {
        auto o = small_options(3.0, "strong");
        o.write_cohort = (work_dir() / "cohort").string();
        return rs::run_study(o);
    }();
    return summary;
}

/// Fraction of the cells of `a` and `b` that agree within `tolerance` (relative to max(1, |a|)), NaN = NaN;
/// 0 when the shapes differ.
double fraction_close(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, double tolerance)
{
    if (a.rows() != b.rows() || a.cols() != b.cols() || a.size() == 0) {
        return 0.0;
    }
    std::size_t close = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        const double x = a.data()[i];
        const double y = b.data()[i];
        const bool same = std::isnan(x) ? std::isnan(y)
                                        : !std::isnan(y) && std::abs(x - y) <= tolerance * std::max(1.0, std::abs(x));
        close += same ? 1 : 0;
    }
    return static_cast<double>(close) / static_cast<double>(a.size());
}

/// The automatic annotation is extracted for exactly the test patients of the split that `run_study`
/// makes on the included patients (whether the first pass predicted the split or a second pass ran).
void check_automatic_only_for_test_patients(const fs::path& report, const rs::study_options& o)
{
    const auto status = radiogenomics::io::read_csv((report / "patients_status.csv").string());
    std::vector<int> labels;
    std::vector<std::size_t> included;
    for (std::size_t r = 0; r < status.row_count(); ++r) {
        if (status.rows[r][status.column("status")] == "included") {
            labels.push_back(static_cast<int>(status.number(r, status.column("tp53"))));
            included.push_back(r);
        }
    }
    std::vector<bool> is_test(status.row_count(), false);
    for (const auto t : rs::protocol_test_rows(labels, o.model, o.model_seed)) {
        is_test[included[static_cast<std::size_t>(t)]] = true;
    }
    std::size_t tests = 0;
    for (std::size_t r = 0; r < status.row_count(); ++r) {
        const bool automatic = status.number(r, status.column("automatic_voxels")) > 0;
        BOOST_TEST_CONTEXT(status.rows[r][0]) { BOOST_CHECK_EQUAL(automatic, is_test[r]); }
        tests += is_test[r] ? 1 : 0;
    }
    BOOST_CHECK_GE(tests, 3u);
}

/// No `.NAME.partial-*` staging folder is left in the work folder.
bool no_staging_folders_left()
{
    for (const auto& entry : fs::directory_iterator(work_dir())) {
        if (entry.path().filename().string().find(".partial") != std::string::npos) {
            BOOST_TEST_MESSAGE("left behind: " << entry.path());
            return false;
        }
    }
    return true;
}

std::string text_of(const fs::path& path)
{
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

// The report folder never deletes or overwrites a file the program did not write (issue 18: a folder
// holding settings.json used to be removed whole, with the user's files).
BOOST_AUTO_TEST_SUITE(report_folder)

BOOST_AUTO_TEST_CASE(new_folder_and_replacement_keep_foreign_files)
{
    const fs::path target = work_dir() / "rf_new" / "nested" / "report";
    {
        rs::report_folder out(target.string(), false, "test");
        std::ofstream(out.file("a.csv")) << "1";
        std::ofstream(out.file("b.csv")) << "2";
        out.commit("test");
    }
    BOOST_CHECK(fs::exists(target / "a.csv"));
    BOOST_CHECK_EQUAL(rs::detail::read_report_file_list(target).size(), 2u);
    std::ofstream(target / "precious.txt") << "keep me";
    {
        rs::report_folder out(target.string(), false, "test");  // a previous report: accepted
        std::ofstream(out.file("a.csv")) << "new";
        std::ofstream(out.file("c.csv")) << "3";
        out.commit("test");
    }
    BOOST_CHECK_EQUAL(text_of(target / "precious.txt"), "keep me");  // not ours: kept
    BOOST_CHECK_EQUAL(text_of(target / "a.csv"), "new");               // ours: replaced
    BOOST_CHECK(!fs::exists(target / "b.csv"));                        // ours, not written again: removed
    BOOST_CHECK(fs::exists(target / "c.csv"));
    const auto listed = rs::detail::read_report_file_list(target);
    BOOST_CHECK((listed == std::vector<std::string>{"a.csv", "c.csv"}));
    BOOST_CHECK(no_staging_folders_left());
    // a list naming a file outside the folder is ignored
    std::ofstream(target / rs::report_file_list_name) << "../../outside.txt\na.csv\n";
    BOOST_CHECK((rs::detail::read_report_file_list(target) == std::vector<std::string>{"a.csv"}));
}

BOOST_AUTO_TEST_CASE(foreign_folder_is_refused_or_written_beside_with_force)
{
    const fs::path target = work_dir() / "rf_foreign";
    fs::create_directories(target);
    std::ofstream(target / "settings.json") << "{}";  // looks like an old report, but no report_files.txt
    std::ofstream(target / "precious.txt") << "keep me";
    BOOST_CHECK_EXCEPTION(rs::report_folder(target.string(), false, "test"), rg::invalid_argument,
                          [](const rg::invalid_argument& e) {
                              return std::string(e.what()).find("did not write") != std::string::npos &&
                                     std::string(e.what()).find("--force") != std::string::npos;
                          });
    // --force: written beside the foreign files; one with a report file's name stops the commit
    {
        rs::report_folder out(target.string(), true, "test");
        std::ofstream(out.file("settings.json")) << "ours";
        std::ofstream(out.file("a.csv")) << "1";
        BOOST_CHECK_THROW(out.commit("test"), rg::io_error);
    }
    BOOST_CHECK_EQUAL(text_of(target / "settings.json"), "{}");
    BOOST_CHECK(!fs::exists(target / "a.csv"));
    {
        rs::report_folder out(target.string(), true, "test");
        std::ofstream(out.file("a.csv")) << "1";
        out.commit("test");
    }
    BOOST_CHECK_EQUAL(text_of(target / "precious.txt"), "keep me");
    BOOST_CHECK(fs::exists(target / "a.csv"));
    BOOST_CHECK(no_staging_folders_left());
    // a file in place of the folder
    std::ofstream(work_dir() / "rf_file") << "x";
    BOOST_CHECK_THROW(rs::report_folder((work_dir() / "rf_file").string(), true, "test"), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_uncommitted_folder_leaves_nothing_behind)
{
    const fs::path target = work_dir() / "rf_failed" / "deeper" / "report";
    {
        rs::report_folder out(target.string(), false, "test");
        std::ofstream(out.file("a.csv")) << "1";
    }  // no commit: a failed run
    BOOST_CHECK(!fs::exists(work_dir() / "rf_failed"));
    BOOST_CHECK(no_staging_folders_left());
    // two folders for the same target at once do not share a staging folder
    rs::report_folder one((work_dir() / "rf_same").string(), false, "test");
    rs::report_folder two((work_dir() / "rf_same").string(), false, "test");
    BOOST_CHECK(one.staging() != two.staging());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(manifest_checks)

BOOST_AUTO_TEST_CASE(duplicate_ids_are_refused_with_the_ids)
{
    const fs::path path = work_dir() / "duplicates.csv";
    std::ofstream(path) << "id,cancer_type,ct_path,pet_path,tumour_mask_path,tp53\n"
                           "p1,ovarian,a.nii.gz,b.nii.gz,c.nii.gz,positive\n"
                           "p2,ovarian,a.nii.gz,b.nii.gz,c.nii.gz,negative\n"
                           "p1,cervical,a.nii.gz,b.nii.gz,c.nii.gz,negative\n";
    BOOST_CHECK_EXCEPTION(rs::manifest_source(path.string()), rg::invalid_argument, [](const rg::invalid_argument& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find("'p1' on lines 2 4") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(bat_region_outside_the_ct_is_refused)
{
    strong_run();
    const fs::path cohort = work_dir() / "cohort";
    auto manifest = radiogenomics::io::read_csv((cohort / "manifest.csv").string());
    radiogenomics::io::csv_writer w(manifest.header);
    auto row = manifest.rows[0];
    row[manifest.column("bat_region")] = "0 0 0 100000 10 10";
    w.add_row(row);
    w.save((cohort / "bad_region.csv").string());
    const rs::manifest_source source((cohort / "bad_region.csv").string());
    rs::patient_data p;
    BOOST_CHECK_EXCEPTION(source.load(0, p), rg::invalid_argument, [](const rg::invalid_argument& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find("bat_region") != std::string::npos &&
               std::string(e.what()).find("axis 0: 0..100000") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(study_pipeline)

BOOST_AUTO_TEST_CASE(report_files_exist_and_are_well_formed)
{
    const auto& summary = strong_run();
    const fs::path dir = summary.report_dir;
    BOOST_CHECK(!fs::exists(dir.parent_path() / ".strong.partial"));
    BOOST_CHECK(no_staging_folders_left());
    // report_files.txt lists exactly the files of the report
    const auto listed = rs::detail::read_report_file_list(dir);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        files += entry.path().filename() != rs::report_file_list_name ? 1 : 0;
    }
    BOOST_CHECK_EQUAL(listed.size(), files);
    BOOST_CHECK(std::find(listed.begin(), listed.end(), "settings.json") != listed.end());
    BOOST_CHECK_EQUAL(summary.included, 40u);
    for (const char* name : {"index.html", "table1.csv", "metrics.csv", "history.csv", "deep_features.csv", "tsne.csv",
                             "dbi.csv", "clusters.csv", "cluster_tests.csv", "timings.csv", "patients_status.csv",
                             "settings.json", "volcano_deep_features.csv"}) {
        BOOST_CHECK_MESSAGE(fs::exists(dir / name), name);
    }
    for (const char* source : {"tumour_ct", "tumour_pet", "bat_ct", "bat_pet"}) {
        for (const char* subset : {"endometrial", "ovarian", "cervical", "all"}) {
            const auto t = radiogenomics::io::read_csv((dir / (std::string("volcano_") + source + "_" + subset + ".csv")).string());
            // original image only: 107 tumour features (14 shape + 93), 18 first-order BAT features
            BOOST_CHECK_EQUAL(t.row_count(), std::string(source).rfind("tumour", 0) == 0 ? 107u : 18u);
            BOOST_CHECK(t.find_column("log2_fold_change") != radiogenomics::io::csv_table::npos);
        }
    }
    const auto table1 = radiogenomics::io::read_csv((dir / "table1.csv").string());
    BOOST_CHECK_EQUAL(table1.header.size(), 9u);
    BOOST_CHECK_EQUAL(table1.rows[0][table1.column("all")], "40");
    const auto metrics = radiogenomics::io::read_csv((dir / "metrics.csv").string());
    for (const char* c : {"model", "annotation", "fold", "split", "accuracy", "precision", "recall", "specificity", "f1",
                          "auc", "published_accuracy"}) {
        BOOST_CHECK_MESSAGE(metrics.find_column(c) != radiogenomics::io::csv_table::npos, c);
    }
    // Published values sit beside ours only on the headline rows.
    BOOST_CHECK_CLOSE(metric(metrics, "combined", "transformer", "ensemble", "test", "published_accuracy"), 0.8620, 1e-9);
    BOOST_CHECK_CLOSE(metric(metrics, "combined", "transformer", "ensemble", "test", "published_accuracy", "automatic"),
                      0.8000, 1e-9);
    BOOST_CHECK_EQUAL(radiogenomics::io::read_csv((dir / "deep_features.csv").string()).row_count(), 40u);
    BOOST_CHECK_EQUAL(radiogenomics::io::read_csv((dir / "tsne.csv").string()).row_count(), 40u);
    BOOST_CHECK_EQUAL(radiogenomics::io::read_csv((dir / "clusters.csv").string()).row_count(), 40u);
    BOOST_CHECK_EQUAL(radiogenomics::io::read_csv((dir / "patients_status.csv").string()).row_count(), 40u);
    check_automatic_only_for_test_patients(dir, small_options(3.0, "strong"));
    BOOST_CHECK_GE(radiogenomics::io::read_csv((dir / "dbi.csv").string()).row_count(), 2u);
    BOOST_CHECK_GE(radiogenomics::io::read_csv((dir / "history.csv").string()).row_count(), 50u);
    // The cluster tests are the chi-square of the clusters in clusters.csv against TP53, on all
    // patients and on the test patients alone (whose deep features come from the fold-model ensemble).
    const auto tests = radiogenomics::io::read_csv((dir / "cluster_tests.csv").string());
    const auto clusters = radiogenomics::io::read_csv((dir / "clusters.csv").string());
    const auto deep = radiogenomics::io::read_csv((dir / "deep_features.csv").string());
    const auto chi_square_of = [&](const std::string& column, bool test_only) {
        std::vector<int> c;
        std::vector<int> y;
        for (std::size_t r = 0; r < clusters.row_count(); ++r) {
            if (test_only && deep.rows[r][deep.column("origin")] != "test_ensemble") {
                continue;
            }
            c.push_back(static_cast<int>(clusters.number(r, clusters.column(column))));
            y.push_back(static_cast<int>(clusters.number(r, clusters.column("tp53"))));
        }
        return rs::detail::contingency_test(c, y, 2).p_value;
    };
    const auto p_of = [&](const std::string& test, const std::string& space) {
        for (std::size_t r = 0; r < tests.row_count(); ++r) {
            if (tests.rows[r][tests.column("test")] == test && tests.rows[r][tests.column("clustering")] == space) {
                return tests.number(r, tests.column("p_value"));
            }
        }
        BOOST_FAIL("no cluster test " + test + "/" + space);
        return 0.0;
    };
    std::size_t test_patients = 0;
    for (std::size_t r = 0; r < deep.row_count(); ++r) {
        const auto origin = deep.rows[r][deep.column("origin")];
        BOOST_CHECK(origin == "out_of_fold" || origin == "test_ensemble");
        test_patients += origin == "test_ensemble" ? 1 : 0;
    }
    BOOST_CHECK_EQUAL(test_patients, 4u);  // round(0.1 * 40)
    BOOST_CHECK_CLOSE(p_of("chi_square_tp53", "tsne"), chi_square_of("cluster_tsne", false), 1e-6);
    BOOST_CHECK_CLOSE(p_of("chi_square_tp53", "deep_features"), chi_square_of("cluster_deep", false), 1e-6);
    const double p_test = chi_square_of("cluster_tsne", true);
    const double p_test_reported = p_of("chi_square_tp53_test_patients", "tsne");
    BOOST_CHECK((std::isnan(p_test) && std::isnan(p_test_reported)) || std::abs(p_test - p_test_reported) < 1e-9);
    // With a strong signal, clusters of out-of-fold deep features still find TP53.
    BOOST_CHECK_LT(p_of("chi_square_tp53", "deep_features"), 0.05);
    BOOST_CHECK_GE(radiogenomics::io::read_csv((dir / "timings.csv").string()).row_count(), 5u);
    std::ifstream json_in(dir / "settings.json");
    const auto settings = nlohmann::json::parse(json_in);
    BOOST_CHECK_EQUAL(settings["cohort"]["signal"].get<double>(), 3.0);
    BOOST_CHECK_EQUAL(settings["cohort"]["seed"].get<std::uint64_t>(), 11u);
    std::ifstream html_in(dir / "index.html");
    const std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
    BOOST_CHECK(html.find("<svg") != std::string::npos);
    BOOST_CHECK(html.find("<script") == std::string::npos);
    BOOST_CHECK(html.find("SYNTHETIC") != std::string::npos || html.find("Synthetic data") != std::string::npos);
    BOOST_CHECK(html.rfind("</html>") != std::string::npos);
    // The report states the validation scheme, the deep features' provenance and the effect-size choice.
    BOOST_CHECK(html.find("inner validation split that chooses the early-stopping epoch") != std::string::npos);
    BOOST_CHECK(html.find("out-of-fold") != std::string::npos);
    BOOST_CHECK(html.find("effect sizes were chosen so that the single-source accuracies land near the study's") !=
                std::string::npos);
    BOOST_CHECK(html.find("Ward agglomerative") != std::string::npos);
}

// With a strong TP53 signal the combined model is clearly above chance; with none it is near chance.
// Pooled out-of-fold validation AUC over the 36 training patients (the 4-patient test set is too small).
BOOST_AUTO_TEST_CASE(signal_strength_moves_the_metrics)
{
    const auto strong = radiogenomics::io::read_csv((fs::path(strong_run().report_dir) / "metrics.csv").string());
    BOOST_CHECK_GT(metric(strong, "combined", "transformer", "pooled", "validation", "auc"), 0.8);
    BOOST_CHECK_GT(metric(strong, "combined", "logistic", "pooled", "validation", "auc"), 0.8);
    auto null_options = small_options(0.0, "null");
    null_options.clustering.method = rg::cluster::linkage_method::average;
    const auto summary = rs::run_study(null_options);
    const auto null = radiogenomics::io::read_csv((fs::path(summary.report_dir) / "metrics.csv").string());
    // Captions name the configured linkage (they used to say "Ward" whatever it was).
    std::ifstream html_in(fs::path(summary.report_dir) / "index.html");
    const std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
    BOOST_CHECK(html.find("average agglomerative") != std::string::npos);
    BOOST_CHECK(html.find("Ward") == std::string::npos);
    for (const char* classifier : {"transformer", "logistic"}) {
        const double auc = metric(null, "combined", classifier, "pooled", "validation", "auc");
        BOOST_TEST_CONTEXT(classifier)
        {
            BOOST_CHECK_GT(auc, 0.2);
            BOOST_CHECK_LT(auc, 0.8);
        }
    }
}

BOOST_AUTO_TEST_CASE(written_cohort_through_manifest_gives_the_same_features)
{
    strong_run();
    const fs::path cohort = work_dir() / "cohort";
    BOOST_REQUIRE(fs::exists(cohort / "manifest.csv"));
    auto o = small_options(3.0, "unused");
    o.radiomics.automatic_masks = true;
    const rs::synthetic_source synthetic(o.cohort, 6, true);
    // The first 6 rows of the manifest.
    const auto manifest = radiogenomics::io::read_csv((cohort / "manifest.csv").string());
    BOOST_REQUIRE_EQUAL(manifest.row_count(), 40u);
    radiogenomics::io::csv_writer six(manifest.header);
    for (std::size_t r = 0; r < 6; ++r) {
        six.add_row(manifest.rows[r]);
    }
    six.save((cohort / "manifest6.csv").string());
    const rs::manifest_source files((cohort / "manifest6.csv").string());
    const auto a = rs::process_cohort(synthetic, o.radiomics, true, 2);
    const auto b = rs::process_cohort(files, o.radiomics, true, 2);
    BOOST_REQUIRE_EQUAL(a.clinical.size(), 6u);
    BOOST_REQUIRE_EQUAL(b.clinical.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
        BOOST_CHECK_EQUAL(a.clinical[i].id, b.clinical[i].id);
        BOOST_CHECK(a.clinical[i].tp53_positive == b.clinical[i].tp53_positive);
        BOOST_CHECK(a.clinical[i].stage == b.clinical[i].stage);
    }
    for (std::size_t s = 0; s < rs::source_count; ++s) {
        BOOST_CHECK(a.names[s] == b.names[s]);
        // CT voxels and masks are stored exactly: CT features agree (up to the float32 spacing of NIfTI
        // in the shape features).
        const bool ct = s == 0 || s == 2;
        BOOST_TEST_MESSAGE(rs::source_name(s) << ": " << fraction_close(a.manual[s], b.manual[s], 1e-6)
                                              << " of the values within 1e-6");
        if (ct) {
            BOOST_CHECK_MESSAGE(fraction_close(a.manual[s], b.manual[s], 1e-6) == 1.0, rs::source_name(s));
        } else {
            // NIfTI keeps origin and spacing in float32, so the PET is resampled onto the CT grid at
            // positions that differ by ~1e-5 mm: SUVs differ in the last digits and a voxel on a bin edge
            // may change bin. Nearly every value must still agree closely.
            BOOST_CHECK_MESSAGE(fraction_close(a.manual[s], b.manual[s], 1e-4) > 0.9, rs::source_name(s));
        }
    }
    BOOST_CHECK(a.has_automatic && b.has_automatic);
    BOOST_CHECK(fraction_close(a.automatic[0], b.automatic[0], 1e-6) == 1.0);
    BOOST_CHECK(fraction_close(a.automatic[1], b.automatic[1], 1e-4) > 0.9);
}

BOOST_AUTO_TEST_CASE(unusable_patients_are_listed_or_stop_a_strict_run)
{
    strong_run();
    const fs::path cohort = work_dir() / "cohort";
    auto manifest = radiogenomics::io::read_csv((cohort / "manifest.csv").string());
    // Row 0: CT file missing. Row 1: an empty tumour mask on the right grid.
    manifest.rows[0][manifest.column("ct_path")] = "no_such_patient/ct.nii.gz";
    const std::string mask_path = (cohort / manifest.rows[1][manifest.column("tumour_mask_path")]).string();
    auto mask = rg::io::read_nifti<std::uint8_t, 3>(mask_path);
    for (std::size_t i = 0; i < mask.size(); ++i) {
        mask[i] = 0;
    }
    rg::io::write_nifti(mask, (cohort / "empty_mask.nii.gz").string());
    manifest.rows[1][manifest.column("tumour_mask_path")] = "empty_mask.nii.gz";
    radiogenomics::io::csv_writer broken(manifest.header);
    for (const auto& r : manifest.rows) {
        broken.add_row(r);
    }
    broken.save((cohort / "broken.csv").string());

    auto o = small_options(3.0, "from_manifest");
    o.manifest = (cohort / "broken.csv").string();
    const auto summary = rs::run_study(o);
    BOOST_CHECK_EQUAL(summary.included, 38u);
    BOOST_CHECK_EQUAL(summary.excluded, 2u);
    const auto status = radiogenomics::io::read_csv((fs::path(summary.report_dir) / "patients_status.csv").string());
    BOOST_REQUIRE_EQUAL(status.row_count(), 40u);
    const auto& missing = status.rows[0];
    BOOST_CHECK_EQUAL(missing[status.column("status")], "excluded");
    BOOST_CHECK(missing[status.column("reason")].find("missing") != std::string::npos);
    BOOST_CHECK(missing[status.column("reason")].find("no_such_patient") != std::string::npos);
    const auto& empty = status.rows[1];
    BOOST_CHECK_EQUAL(empty[status.column("status")], "excluded");
    BOOST_CHECK(empty[status.column("reason")].find("0 voxels") != std::string::npos);
    BOOST_CHECK_EQUAL(status.rows[2][status.column("status")], "included");
    // two patients excluded: the predicted test split is wrong, the second pass must fix it
    check_automatic_only_for_test_patients(summary.report_dir, o);

    o.strict = true;
    o.out_dir = (work_dir() / "strict").string();
    BOOST_CHECK_THROW(rs::run_study(o), rg::io_error);
    BOOST_CHECK(!fs::exists(work_dir() / "strict"));
}

// Same seed => same report whatever the thread count (timings aside).
BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count)
{
    auto one = small_options(1.0, "threads1");
    one.threads = 1;
    one.max_patients = 30;
    auto two = small_options(1.0, "threads2");
    two.threads = 2;
    two.max_patients = 30;
    const auto a = rs::run_study(one);
    const auto b = rs::run_study(two);
    for (const char* name : {"metrics.csv", "deep_features.csv", "tsne.csv", "volcano_tumour_pet_all.csv",
                             "patients_status.csv", "table1.csv"}) {
        std::ifstream fa(fs::path(a.report_dir) / name);
        std::ifstream fb(fs::path(b.report_dir) / name);
        const std::string ta((std::istreambuf_iterator<char>(fa)), std::istreambuf_iterator<char>());
        const std::string tb((std::istreambuf_iterator<char>(fb)), std::istreambuf_iterator<char>());
        BOOST_CHECK_MESSAGE(!ta.empty() && ta == tb, name);
    }
}

BOOST_AUTO_TEST_CASE(refuses_to_replace_a_folder_that_is_not_a_report)
{
    const fs::path precious = work_dir() / "precious";
    fs::create_directories(precious);
    std::ofstream(precious / "notes.txt") << "keep me";
    auto o = small_options(1.0, "precious");
    BOOST_CHECK_THROW(rs::run_study(o), rg::invalid_argument);
    BOOST_CHECK(fs::exists(precious / "notes.txt"));
    // a settings.json does not make a folder a report (it used to be removed whole)
    std::ofstream(precious / "settings.json") << "{}";
    BOOST_CHECK_THROW(rs::run_study(o), rg::invalid_argument);
    BOOST_CHECK(fs::exists(precious / "notes.txt"));
    BOOST_CHECK(no_staging_folders_left());
}

// Too few usable patients: the error says why without pointing at a file that is not there, and no
// folder is left behind.
BOOST_AUTO_TEST_CASE(too_few_patients_leave_nothing_and_say_why)
{
    strong_run();
    const fs::path cohort = work_dir() / "cohort";
    auto manifest = radiogenomics::io::read_csv((cohort / "manifest.csv").string());
    radiogenomics::io::csv_writer w(manifest.header);
    for (std::size_t r = 0; r < 6; ++r) {
        w.add_row(manifest.rows[r]);
    }
    w.save((cohort / "six.csv").string());
    auto o = small_options(3.0, "six/report");
    o.manifest = (cohort / "six.csv").string();
    try {
        rs::run_study(o);
        BOOST_FAIL("expected too few patients");
    } catch (const rg::invalid_argument& e) {
        const std::string what = e.what();
        BOOST_TEST_MESSAGE(what);
        BOOST_CHECK(what.find("usable patients") != std::string::npos);
        BOOST_CHECK(what.find(".partial") == std::string::npos);
        BOOST_CHECK(what.find("No report was written") != std::string::npos);
    }
    BOOST_CHECK(!fs::exists(work_dir() / "six"));
    BOOST_CHECK(no_staging_folders_left());
}

BOOST_AUTO_TEST_SUITE_END()
