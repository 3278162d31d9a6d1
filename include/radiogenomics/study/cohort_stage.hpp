#pragma once
/// \file cohort_stage.hpp
/// \brief Pipeline steps 1-3 as one stage (`run_cohort_stage`): the patients' source (synthetic cohort or
/// manifest), a first pass over every patient (load or generate, SUV, resample, crop, BAT, radiomics on
/// the manual annotation and the BAT), the check that enough patients of each class are usable, and the
/// automatic-annotation features of the test patients; plus `patients_status.csv` and the report's
/// patient section.
///
/// \par Automatic annotation
/// The study tested the trained combined model on automatic (nnU-Net) annotations of the test patients.
/// The test split depends only on the TP53 labels of the included patients, so it is predicted from the
/// records (every patient included) and the first pass also extracts the automatic annotation of the
/// predicted test patients; a second pass covers the test patients the prediction missed (when patients
/// were excluded), and the predicted ones that are not test patients lose their automatic features.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/manifest.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/study_options.hpp"

namespace radiogenomics::study {

/// One timed stage (timings.csv).
struct stage_timing {
    std::string stage;
    double seconds = 0.0;
    std::string note;
};

/// Progress of a stage: (stage, done, total, message).
using stage_progress = std::function<void(const std::string&, std::size_t, std::size_t, const std::string&)>;

/// Keeps only rows `indices` of a source (the automatic-annotation pass).
class subset_source : public patient_source {
public:
    subset_source(const patient_source& base, std::vector<std::size_t> indices)
        : m_base(base), m_indices(std::move(indices))
    {
    }
    std::size_t size() const override { return m_indices.size(); }
    synth::clinical_record record(std::size_t i) const override { return m_base.record(m_indices[i]); }
    void load(std::size_t i, patient_data& out) const override { m_base.load(m_indices[i], out); }
    std::string description() const override { return m_base.description(); }

private:
    const patient_source& m_base;
    std::vector<std::size_t> m_indices;
};

/// Where the patients come from: the manifest, or the synthetic cohort (then `automatic` generates the
/// automatic annotation for the second pass).
struct study_sources {
    std::unique_ptr<patient_source> patients;
    std::unique_ptr<patient_source> automatic;  ///< synthetic cohort only; null with a manifest
};

/// The sources `options` name (a manifest, or the synthetic cohort).
inline study_sources open_sources(const study_options& options)
{
    study_sources s;
    if (!options.manifest.empty()) {
        s.patients = std::make_unique<manifest_source>(options.manifest);
    } else {
        const bool auto_for_writing = !options.write_cohort.empty();
        s.patients = std::make_unique<synthetic_source>(options.cohort, options.max_patients, auto_for_writing);
        s.automatic = std::make_unique<synthetic_source>(options.cohort, options.max_patients, true);
    }
    return s;
}

/// Result of `run_cohort_stage`.
struct cohort_stage_result {
    cohort_features cohort;               ///< included patients' features (automatic ones for test patients)
    std::size_t patients = 0;             ///< in the source
    std::vector<int> labels;              ///< TP53 (0/1) of the included patients
    std::vector<learn::index> test_rows;  ///< the protocol's test split (rows of `labels`)
    std::vector<stage_timing> timings;    ///< the first pass and, with automatic masks, the second
    std::size_t included() const { return cohort.clinical.size(); }
    std::size_t excluded() const { return patients - cohort.clinical.size(); }
};

/// Cancer-type codes (0 endometrial, 1 ovarian, 2 cervical) of the included patients, in row order.
inline std::vector<int> cancer_type_codes(const cohort_features& cohort)
{
    std::vector<int> types;
    for (const auto& p : cohort.clinical) {
        types.push_back(static_cast<int>(p.type));
    }
    return types;
}

namespace detail {

/// "N patients excluded: <id>: <reason>; ..." (the first three), or "No patient was excluded." -- for
/// errors raised before any report file exists.
inline std::string exclusion_summary(const std::vector<patient_status>& status)
{
    std::size_t excluded = 0;
    std::string first;
    for (const auto& s : status) {
        if (!s.included) {
            if (excluded < 3) {
                first += (excluded ? "; " : "") + s.clinical.id + ": " + s.reason;
            }
            ++excluded;
        }
    }
    if (excluded == 0) {
        return "No patient was excluded.";
    }
    return std::to_string(excluded) + " patient(s) excluded (" + first + (excluded > 3 ? "; ..." : "") + ").";
}

/// The automatic-annotation features of the test patients `test_rows`: kept from the first pass where the
/// test split was predicted right (`predicted_test`, `first_pass_automatic`), extracted in a second pass
/// over `base` otherwise; predicted patients that are not test patients lose theirs. Returns how many
/// patients the second pass loaded.
inline std::size_t complete_automatic_annotation(cohort_features& cohort, const std::vector<learn::index>& test_rows,
                                                 const std::vector<std::uint8_t>& predicted_test,
                                                 bool first_pass_automatic, const patient_source& base,
                                                 const study_options& options, const stage_progress& progress)
{
    std::vector<std::size_t> status_index;
    for (std::size_t i = 0; i < cohort.status.size(); ++i) {
        if (cohort.status[i].included) {
            status_index.push_back(i);
        }
    }
    std::vector<std::uint8_t> is_test(cohort.status.size(), 0);
    std::vector<std::size_t> subset;       // status indices of test patients not done in the first pass
    std::vector<learn::index> subset_rows;  // their rows in the feature tables
    bool any_automatic = false;
    for (const auto r : test_rows) {
        const std::size_t i = status_index[static_cast<std::size_t>(r)];
        is_test[i] = 1;
        if (predicted_test[i] != 0 && first_pass_automatic) {
            any_automatic = any_automatic || cohort.status[i].automatic_voxels > 0;
        } else {
            subset.push_back(i);
            subset_rows.push_back(r);
        }
    }
    // Predicted but not a test patient (only when patients were excluded): drop its automatic features.
    for (std::size_t r = 0; r < status_index.size(); ++r) {
        auto& st = cohort.status[status_index[r]];
        if (is_test[status_index[r]] == 0 && predicted_test[status_index[r]] != 0) {
            for (std::size_t s = 0; s < 2; ++s) {
                cohort.automatic[s].row(static_cast<Eigen::Index>(r)).setConstant(
                    std::numeric_limits<double>::quiet_NaN());
            }
            st.automatic_voxels = 0;
            st.dice = std::numeric_limits<double>::quiet_NaN();
        }
    }
    if (!subset.empty()) {
        const subset_source test_source(base, subset);
        radiomics_options second = options.radiomics;
        second.automatic_masks = true;
        second.automatic_only = true;
        const cohort_features automatic = process_cohort(
            test_source, second, false, options.threads,
            [&](std::size_t done, std::size_t total, const std::string& id) {
                progress("automatic annotation", done, total, id);
            });
        for (std::size_t s = 0; s < 2; ++s) {
            if (cohort.automatic[s].cols() != static_cast<Eigen::Index>(cohort.names[s].size())) {
                cohort.automatic[s] = Eigen::MatrixXd::Constant(
                    cohort.automatic[s].rows(), static_cast<Eigen::Index>(cohort.names[s].size()),
                    std::numeric_limits<double>::quiet_NaN());
            }
            for (std::size_t k = 0; k < subset.size(); ++k) {
                if (!automatic.status[k].included) {
                    continue;
                }
                // row of patient k in `automatic` = number of included patients before it
                Eigen::Index arow = 0;
                for (std::size_t q = 0; q < k; ++q) {
                    arow += automatic.status[q].included ? 1 : 0;
                }
                const auto row = static_cast<Eigen::Index>(subset_rows[k]);
                for (std::size_t c = 0; c < cohort.names[s].size(); ++c) {
                    for (std::size_t a = 0; a < automatic.automatic_names[s].size(); ++a) {
                        const std::size_t probe = (c + a) % automatic.automatic_names[s].size();
                        if (automatic.automatic_names[s][probe] == cohort.names[s][c]) {
                            cohort.automatic[s](row, static_cast<Eigen::Index>(c)) =
                                automatic.automatic[s](arow, static_cast<Eigen::Index>(probe));
                            break;
                        }
                    }
                }
                if (s == 0) {
                    auto& st = cohort.status[subset[k]];
                    st.automatic_voxels = automatic.status[k].automatic_voxels;
                    st.dice = automatic.status[k].dice;
                }
            }
        }
        any_automatic = any_automatic || automatic.has_automatic;
        for (std::size_t k = 0; k < step_count; ++k) {
            cohort.step_seconds[k] += automatic.step_seconds[k];
        }
    }
    cohort.automatic_names = {cohort.names[0], cohort.names[1]};
    cohort.has_automatic = any_automatic;
    return subset.size();
}

}  // namespace detail

/// Steps 1-3 over `sources` (see the file comment); with `options.write_cohort` the synthetic patients are
/// also written as NIfTI files plus a manifest. Throws `invalid_argument` when fewer than
/// 2 × max(folds, 2) patients of a class are usable (naming the first exclusions) and, with
/// `options.strict`, the first patient error.
inline cohort_stage_result run_cohort_stage(const study_options& options, const study_sources& sources,
                                            const stage_progress& progress)
{
    namespace fs = std::filesystem;
    constexpr const char* where = "study.run_study";
    const patient_source& source = *sources.patients;
    cohort_stage_result out;
    out.patients = source.size();
    auto lap_start = std::chrono::steady_clock::now();
    const auto lap = [&] {
        const double s = detail::seconds_since(lap_start);
        lap_start = std::chrono::steady_clock::now();
        return s;
    };

    std::vector<std::vector<std::string>> manifest_rows(source.size());
    patient_hook hook;
    if (!options.write_cohort.empty()) {
        if (!options.manifest.empty()) {
            raise<invalid_argument>(where, "--write-cohort: got it with --manifest, expected it with the synthetic cohort only.");
        }
        fs::create_directories(options.write_cohort);
        hook = [&](std::size_t i, const patient_data& p) { manifest_rows[i] = write_patient_files(options.write_cohort, p); };
    }
    radiomics_options first = options.radiomics;
    first.automatic_only = false;
    // Predict the test split from the records (every patient included); see the file comment.
    std::vector<std::uint8_t> predicted_test(source.size(), 0);
    if (first.automatic_masks) {
        std::vector<int> assumed;
        for (std::size_t i = 0; i < source.size(); ++i) {
            assumed.push_back(source.record(i).tp53_positive ? 1 : 0);
        }
        try {
            for (const auto r : protocol_test_rows(assumed, options.model, options.model_seed)) {
                predicted_test[static_cast<std::size_t>(r)] = 1;
            }
        } catch (const error&) {
            first.automatic_masks = false;  // degenerate labels: the checks below report them
        }
    }
    out.cohort = process_cohort(
        source, first, options.strict, options.threads,
        [&](std::size_t done, std::size_t total, const std::string& id) { progress("radiomics", done, total, id); },
        hook, predicted_test);
    out.timings.push_back({"steps 1-3: load/generate, SUV, resample, crop, BAT, radiomics", lap(),
                           std::to_string(source.size()) + " patients"});
    if (!options.write_cohort.empty()) {
        write_manifest(options.write_cohort, manifest_rows);
    }
    out.labels = detail::tp53_labels(out.cohort);
    std::size_t positives = 0;
    for (const int y : out.labels) {
        positives += static_cast<std::size_t>(y);
    }
    const std::size_t needed = static_cast<std::size_t>(2 * std::max<long>(options.model.folds, 2));
    if (positives < needed || out.labels.size() - positives < needed) {
        raise<invalid_argument>(where, "usable patients: got ", positives, " TP53+ and ", out.labels.size() - positives,
                                " TP53-, expected at least ", needed, " of each for the split and ",
                                options.model.folds, "-fold cross-validation. ",
                                detail::exclusion_summary(out.cohort.status), " No report was written.");
    }
    out.test_rows = protocol_test_rows(out.labels, options.model, options.model_seed);
    if (options.radiomics.automatic_masks) {
        const patient_source& base = sources.automatic ? *sources.automatic : source;
        const std::size_t loaded = detail::complete_automatic_annotation(
            out.cohort, out.test_rows, predicted_test, first.automatic_masks, base, options, progress);
        out.timings.push_back({"automatic annotation pass (test patients)", lap(),
                               std::to_string(loaded) + " patients loaded again (" +
                                   std::to_string(out.test_rows.size() - loaded) + " done in the first pass)"});
    }
    return out;
}

/// Writes `patients_status.csv` (every patient of the source: included or excluded with the reason, mask
/// volumes, Dice of manual vs automatic) into `out`.
inline void write_patient_status(const cohort_features& cohort, const report_folder& out)
{
    io::csv_writer w({"id", "cancer_type", "tp53", "status", "reason", "tumour_voxels", "tumour_ml",
                      "automatic_voxels", "dice_manual_automatic", "bat_voxels", "bat_ml"});
    for (const auto& s : cohort.status) {
        w.add_row({s.clinical.id, synth::cancer_type_name(s.clinical.type), s.clinical.tp53_positive ? "1" : "0",
                   s.included ? "included" : "excluded", s.reason, std::to_string(s.tumour_voxels),
                   detail::num(s.tumour_ml), std::to_string(s.automatic_voxels), detail::num(s.dice),
                   std::to_string(s.bat_voxels), detail::num(s.bat_ml)});
    }
    w.save(out.file("patients_status.csv"));
}

/// The report's patient section (all its prose is here): counts and the excluded or annotated patients.
inline void add_patients_section(report::html_report& html, const cohort_stage_result& stage)
{
    html.heading("Patients", 2, "patients");
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : stage.cohort.status) {
        if (!s.included || !s.reason.empty()) {
            rows.push_back({s.clinical.id, s.included ? "included" : "excluded", s.reason});
        }
    }
    html.paragraph(std::to_string(stage.included()) + " patients included, " + std::to_string(stage.excluded()) +
                   " excluded. Every patient with its mask volumes and Dice (manual vs automatic) is in "
                   "patients_status.csv.");
    if (!rows.empty()) {
        html.table({"id", "status", "reason or note"}, rows, "Patients excluded or with notes.");
    }
}

}  // namespace radiogenomics::study
