#pragma once
/// \file cohort_processing.hpp
/// \brief Pipeline steps 1-3 for a whole cohort, one patient (or a few in parallel) at a time:
/// load or generate → PET to SUVbw → B-spline resampling onto the CT grid → centre crop to
/// 512×512 → BAT mask → radiomics of tumour CT/PET (manual and automatic annotation) and BAT CT/PET.
///
/// \par Memory
/// Each worker owns one `patient_data` whose image buffers are reused from patient to patient
/// (a full-size synthetic patient is ~130 MB); only the feature vectors are kept, so memory is
/// bounded by the number of workers, not by the cohort size.
///
/// \par Determinism
/// Results go to per-patient slots and are assembled in patient order; a patient's features depend
/// only on its own data, so the tables are identical for any thread count.
///
/// \par Unusable patients
/// A patient whose data cannot be used (unreadable or missing file, empty tumour mask, CT and mask
/// grids that differ, invalid SUV inputs, a radiomics error) is left out and listed in the status
/// table with the reason; with `strict` the first such patient (in patient order) is rethrown.
/// An empty BAT mask is not an exclusion: the patient's BAT features are missing (NaN), imputed
/// later by the models' preprocessing, and the status says so.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/crop.hpp"
#include "radiogenomics/preprocess/overlap.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/preprocess/threshold.hpp"
#include "radiogenomics/study/study_options.hpp"
#include "radiogenomics/synth/automatic_mask.hpp"
#include "radiogenomics/synth/cohort.hpp"

namespace radiogenomics::study {

/// The four radiomics sources of the study.
enum class feature_source { tumour_ct = 0, tumour_pet = 1, bat_ct = 2, bat_pet = 3 };
inline constexpr std::size_t source_count = 4;

/// File-name form: "tumour_ct", "tumour_pet", "bat_ct", "bat_pet".
inline const char* source_name(std::size_t s)
{
    static const char* const names[] = {"tumour_ct", "tumour_pet", "bat_ct", "bat_pet"};
    return names[s];
}

/// Display form: "tumour CT", ...
inline const char* source_title(std::size_t s)
{
    static const char* const names[] = {"tumour CT", "tumour PET", "BAT CT", "BAT PET"};
    return names[s];
}

/// `source_name` of a source.
inline const char* source_name(feature_source s) { return source_name(static_cast<std::size_t>(s)); }

/// `source_title` of a source.
inline const char* source_title(feature_source s) { return source_title(static_cast<std::size_t>(s)); }

/// One patient's inputs (images on their own grids, masks on the CT grid).
struct patient_data {
    synth::clinical_record clinical;       ///< id, cancer type, stage, grade, lymph nodes, age, BMI, TP53
    image<float, 3> ct;                    ///< HU
    image<float, 3> pet;                   ///< Bq/mL, or SUV when `pet_is_suv`
    bool pet_is_suv = false;
    preprocess::pet_metadata pet_info;     ///< SUV inputs (unused when `pet_is_suv`)
    mask_image<3> tumour_manual;           ///< manual annotation (CT grid)
    mask_image<3> tumour_automatic;        ///< automatic annotation (CT grid) when `has_automatic`
    bool has_automatic = false;
    std::optional<preprocess::bounding_box<3>> bat_region;  ///< BAT search box, uncropped CT indices
    mask_image<3> scratch;                 ///< reusable buffer (the synthetic true tumour)
    image<float, 3> suv_on_ct;             ///< reusable buffer: SUV resampled onto the CT grid
};

/// What one patient produced.
struct patient_result {
    std::array<features::feature_list, source_count> manual;     ///< tumour CT/PET, BAT CT/PET
    std::array<features::feature_list, 2> automatic;             ///< tumour CT/PET, automatic mask
    bool has_automatic = false;
    std::size_t tumour_voxels = 0;
    std::size_t automatic_voxels = 0;
    std::size_t bat_voxels = 0;
    double tumour_ml = 0.0;
    double bat_ml = 0.0;
    double dice = std::numeric_limits<double>::quiet_NaN();  ///< manual vs automatic
};

/// Per-patient processing steps timed by `process_cohort` (seconds summed over patients).
inline constexpr std::size_t step_count = 5;
inline const char* step_name(std::size_t s)
{
    static const char* const names[] = {"load or generate", "SUV, resample onto CT, crop", "BAT mask",
                                        "automatic annotation", "radiomics"};
    return names[s];
}

namespace detail {

/// Per-worker buffer slots handed out without asking the threading runtime for a thread id: a loop
/// iteration leases a free slot and returns it when the lease ends. At most `count` iterations run at
/// once (the loop's team size), so a slot is always free.
class worker_slots {
public:
    explicit worker_slots(std::size_t count)
    {
        for (std::size_t k = count; k > 0; --k) {
            m_free.push_back(k - 1);
        }
    }

    class lease {
    public:
        explicit lease(worker_slots& pool) : m_pool(pool)
        {
            const std::lock_guard<std::mutex> lock(pool.m_mutex);
            m_index = pool.m_free.back();
            pool.m_free.pop_back();
        }
        ~lease()
        {
            const std::lock_guard<std::mutex> lock(m_pool.m_mutex);
            m_pool.m_free.push_back(m_index);
        }
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        std::size_t index() const { return m_index; }

    private:
        worker_slots& m_pool;
        std::size_t m_index = 0;
    };

private:
    std::mutex m_mutex;
    std::vector<std::size_t> m_free;
};

inline double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Extractor settings of a source (see `radiomics_options`).
inline features::extractor_settings extractor_for(std::size_t source, const radiomics_options& options)
{
    features::extractor_settings s;
    if (options.paper_image_types) {
        s.image_types = features::paper_image_types();
    }
    const bool pet = source == 1 || source == 3;
    s.setting.bin_width = pet ? options.pet_bin_width : options.ct_bin_width;
    if (source >= 2) {
        s.classes = {features::class_selection{features::feature_class::first_order, {}}};
    }
    return s;
}

}  // namespace detail

/// The automatic annotation of `p` when none was supplied: the EANM 41 % PET isocontour seeded in
/// the manual annotation (`synth::automatic_tumour_mask`, which stands in for the study's nnU-Net).
inline void derive_automatic_mask(patient_data& p)
{
    synth::synthetic_patient view;
    view.clinical = p.clinical;
    view.pet = std::move(p.pet);
    view.tumour_manual = std::move(p.tumour_manual);
    if (p.pet_is_suv) {
        view.pet_info = preprocess::pet_metadata{1.0, 1000.0, 0.0, 6586.2};  // SUV factor 1000 g / 1000 Bq = 1
    } else {
        view.pet_info = p.pet_info;
    }
    try {
        p.tumour_automatic = synth::automatic_tumour_mask(view);
    } catch (...) {
        p.pet = std::move(view.pet);
        p.tumour_manual = std::move(view.tumour_manual);
        throw;
    }
    p.pet = std::move(view.pet);
    p.tumour_manual = std::move(view.tumour_manual);
    p.has_automatic = true;
}

/// Steps 1-3 for one loaded patient. `seconds` accumulates the time of steps 1-4 (indices 1..4 of
/// `step_name`). Throws `mask_error` for an empty tumour mask, `geometry_error` for masks off the CT
/// grid, and whatever SUV conversion, resampling and the extractor throw.
inline patient_result process_patient(patient_data& p, const radiomics_options& options,
                                      std::array<double, step_count>& seconds)
{
    constexpr const char* where = "study.process_patient";
    require_same_grid(p.ct.geometry(), p.tumour_manual.geometry(), where, "CT", "tumour mask");
    if (p.has_automatic) {
        require_same_grid(p.ct.geometry(), p.tumour_automatic.geometry(), where, "CT", "automatic tumour mask");
    }
    const std::size_t tumour_voxels = count_label(p.tumour_manual);
    if (tumour_voxels == 0) {
        raise<mask_error>(where, "tumour mask of ", p.clinical.id,
                          ": got 0 voxels, expected an annotated tumour. Check the mask file and its label (1).");
    }
    auto start = std::chrono::steady_clock::now();
    // 1. PET -> SUVbw on its own grid, B-spline onto the CT grid (reusing the buffer).
    if (!p.suv_on_ct.geometry().same_grid(p.ct.geometry()) || p.suv_on_ct.size() != p.ct.size()) {
        p.suv_on_ct = image<float, 3>(p.ct.geometry());
    }
    if (p.pet_is_suv) {
        preprocess::resample_into(p.pet, p.suv_on_ct, preprocess::interpolator::bspline, 0.0);
    } else {
        preprocess::resample_into(preprocess::suv_body_weight(p.pet, p.pet_info), p.suv_on_ct,
                                  preprocess::interpolator::bspline, 0.0);
    }
    // Centre crop of larger in-plane grids (smaller ones are kept as they are).
    const bool crop = p.ct.shape()[0] > options.crop_size || p.ct.shape()[1] > options.crop_size;
    const std::size_t nx = std::min(options.crop_size, p.ct.shape()[0]);
    const std::size_t ny = std::min(options.crop_size, p.ct.shape()[1]);
    image<float, 3> ct_crop;
    image<float, 3> suv_crop;
    mask_image<3> manual_crop;
    mask_image<3> automatic_crop;
    if (crop) {
        ct_crop = preprocess::crop_or_pad_center(p.ct, nx, ny, -1024.0f);
        suv_crop = preprocess::crop_or_pad_center(p.suv_on_ct, nx, ny, 0.0f);
        manual_crop = preprocess::crop_or_pad_center(p.tumour_manual, nx, ny, std::uint8_t{0});
        if (p.has_automatic) {
            automatic_crop = preprocess::crop_or_pad_center(p.tumour_automatic, nx, ny, std::uint8_t{0});
        }
    }
    const image<float, 3>& ct = crop ? ct_crop : p.ct;
    const image<float, 3>& suv = crop ? suv_crop : p.suv_on_ct;
    const mask_image<3>& manual = crop ? manual_crop : p.tumour_manual;
    const mask_image<3>& automatic = crop ? automatic_crop : p.tumour_automatic;
    seconds[1] += detail::seconds_since(start);
    start = std::chrono::steady_clock::now();

    patient_result out;
    const double voxel_ml = ct.geometry().voxel_volume() / 1000.0;
    // Automatic annotation: voxel count, Dice against the manual mask, tumour CT/PET features.
    const auto annotate_automatic = [&] {
        out.automatic_voxels = count_label(automatic);
        out.dice = preprocess::dice_coefficient(manual, automatic);
        if (out.automatic_voxels > 0) {
            out.automatic[0] = features::extract(ct, automatic, detail::extractor_for(0, options));
            out.automatic[1] = features::extract(suv, automatic, detail::extractor_for(1, options));
            out.has_automatic = true;
        }
    };
    if (options.automatic_only) {
        out.tumour_voxels = count_label(manual);
        out.tumour_ml = static_cast<double>(out.tumour_voxels) * voxel_ml;
        start = std::chrono::steady_clock::now();
        if (p.has_automatic) {
            annotate_automatic();
        }
        seconds[4] += detail::seconds_since(start);
        return out;
    }

    // 2. BAT: SUV > 1.5 and HU in [-190, -10] inside the supraclavicular box.
    preprocess::bat_options<3> bat_options;
    bat_options.suv_threshold = options.bat_suv_threshold;
    bat_options.hu_lower = options.bat_hu_lower;
    bat_options.hu_upper = options.bat_hu_upper;
    bat_options.min_component_volume_mm3 = options.bat_min_component_mm3;
    if (p.bat_region) {
        preprocess::bounding_box<3> region = *p.bat_region;  // clipped to the grid by the BAT mask
        for (std::size_t d = 0; d < 3; ++d) {
            const std::ptrdiff_t shift =
                (static_cast<std::ptrdiff_t>(p.ct.shape()[d]) - static_cast<std::ptrdiff_t>(ct.shape()[d])) / 2;
            region.lower[d] -= shift;
            region.upper[d] -= shift;
        }
        bat_options.index_region = region;
    }
    const mask_image<3> bat = preprocess::brown_adipose_tissue_mask(suv, ct, bat_options);
    seconds[2] += detail::seconds_since(start);
    start = std::chrono::steady_clock::now();

    // 3. Radiomics.
    out.tumour_voxels = count_label(manual);
    if (out.tumour_voxels == 0) {
        raise<mask_error>(where, "tumour mask of ", p.clinical.id, ": got 0 voxels inside the central ", nx, "x", ny,
                          " crop, expected the tumour inside the field of view.");
    }
    out.tumour_ml = static_cast<double>(out.tumour_voxels) * voxel_ml;
    out.bat_voxels = count_label(bat);
    out.bat_ml = static_cast<double>(out.bat_voxels) * voxel_ml;
    out.manual[0] = features::extract(ct, manual, detail::extractor_for(0, options));
    out.manual[1] = features::extract(suv, manual, detail::extractor_for(1, options));
    if (out.bat_voxels > 0) {
        out.manual[2] = features::extract(ct, bat, detail::extractor_for(2, options));
        out.manual[3] = features::extract(suv, bat, detail::extractor_for(3, options));
    }
    if (options.automatic_masks && p.has_automatic) {
        annotate_automatic();
    }
    seconds[4] += detail::seconds_since(start);
    return out;
}

/// Where patients come from: the synthetic generator or a manifest of files.
class patient_source {
public:
    virtual ~patient_source() = default;
    /// Number of patients.
    virtual std::size_t size() const = 0;
    /// Clinical record of patient `i` as far as known without loading images (id at least).
    virtual synth::clinical_record record(std::size_t i) const = 0;
    /// Loads patient `i` into `out` (reusing its buffers). Throws for unusable data.
    virtual void load(std::size_t i, patient_data& out) const = 0;
    /// One line for the report ("synthetic cohort, seed 42, ..." or "manifest FILE").
    virtual std::string description() const = 0;
};

/// The seeded synthetic cohort (`synth/`), with the automatic annotation of `synth/automatic_mask.hpp`.
class synthetic_source : public patient_source {
public:
    explicit synthetic_source(synth::cohort_options options, std::size_t max_patients = 0, bool automatic = true)
        : m_options(std::move(options)), m_table(synth::clinical_table(m_options)), m_automatic(automatic)
    {
        if (max_patients > 0 && max_patients < m_table.size()) {
            m_table.resize(max_patients);
        }
    }
    std::size_t size() const override { return m_table.size(); }
    synth::clinical_record record(std::size_t i) const override { return m_table[i]; }
    const synth::cohort_options& options() const { return m_options; }
    void load(std::size_t i, patient_data& out) const override
    {
        synth::synthetic_patient sp;
        sp.ct = std::move(out.ct);
        sp.pet = std::move(out.pet);
        sp.tumour_manual = std::move(out.tumour_manual);
        sp.tumour_truth = std::move(out.scratch);
        synth::generate_patient(m_options, m_table[i], sp);
        out.clinical = sp.clinical;
        out.pet_info = sp.pet_info;
        out.pet_is_suv = false;
        out.has_automatic = false;
        if (m_automatic) {
            out.tumour_automatic = synth::automatic_tumour_mask(sp);
            out.has_automatic = true;
        }
        out.ct = std::move(sp.ct);
        out.pet = std::move(sp.pet);
        out.tumour_manual = std::move(sp.tumour_manual);
        out.scratch = std::move(sp.tumour_truth);
        out.bat_region = sp.supraclavicular_region;
    }
    std::string description() const override
    {
        return std::string("synthetic cohort (seed ") + std::to_string(m_options.seed) + ", signal " +
               std::to_string(m_options.signal) + ", scale " + synth::cohort_scale_name(m_options.scale) + ", " +
               std::to_string(m_table.size()) + " patients)";
    }

private:
    synth::cohort_options m_options;
    std::vector<synth::clinical_record> m_table;
    bool m_automatic;
};

/// Status of one patient in `patients_status.csv`.
struct patient_status {
    synth::clinical_record clinical;
    bool included = false;
    std::string reason;        ///< why excluded, or notes ("no BAT voxels: BAT features missing")
    std::size_t tumour_voxels = 0;
    std::size_t automatic_voxels = 0;
    std::size_t bat_voxels = 0;
    double tumour_ml = std::numeric_limits<double>::quiet_NaN();
    double bat_ml = std::numeric_limits<double>::quiet_NaN();
    double dice = std::numeric_limits<double>::quiet_NaN();
};

/// Feature tables of the included patients (rows in patient order).
struct cohort_features {
    std::vector<synth::clinical_record> clinical;           ///< included patients
    std::array<std::vector<std::string>, source_count> names;
    std::array<Eigen::MatrixXd, source_count> manual;       ///< tumour CT/PET (manual mask), BAT CT/PET
    std::array<Eigen::MatrixXd, 2> automatic;               ///< tumour CT/PET on the automatic mask (NaN rows if none)
    std::array<std::vector<std::string>, 2> automatic_names;  ///< columns of `automatic` (= names[0], names[1])
    bool has_automatic = false;                             ///< at least one patient has automatic features
    std::vector<patient_status> status;                     ///< every patient, in source order
    std::array<double, step_count> step_seconds{};          ///< summed over patients and workers
    std::string source_description;
};

/// Called after each patient (done, total, patient id); calls are serialised.
using patient_progress = std::function<void(std::size_t, std::size_t, const std::string&)>;

/// Optional per-patient hook run right after loading (e.g. writing the cohort to disk); serialised
/// per patient only, may run concurrently for different patients.
using patient_hook = std::function<void(std::size_t, const patient_data&)>;

namespace detail {

inline std::string exclusion_reason(const std::exception& e)
{
    const char* kind = dynamic_cast<const io_error*>(&e)         ? "unreadable or missing file"
                       : dynamic_cast<const mask_error*>(&e)     ? "empty or unusable mask"
                       : dynamic_cast<const geometry_error*>(&e) ? "grids do not match"
                       : dynamic_cast<const invalid_argument*>(&e) ? "invalid data"
                                                                   : "processing error";
    return std::string(kind) + ": " + e.what();
}

/// Copies `list` into row `row` of `x`, aligning by name to `names` (missing names stay NaN).
inline void fill_row(Eigen::MatrixXd& x, Eigen::Index row, const std::vector<std::string>& names,
                     const features::feature_list& list)
{
    if (list.size() == names.size()) {
        bool same = true;
        for (std::size_t c = 0; c < names.size() && same; ++c) {
            same = list[c].name == names[c];
        }
        if (same) {
            for (std::size_t c = 0; c < names.size(); ++c) {
                x(row, static_cast<Eigen::Index>(c)) = list[c].value;
            }
            return;
        }
    }
    for (std::size_t c = 0; c < names.size(); ++c) {
        for (const auto& f : list) {
            if (f.name == names[c]) {
                x(row, static_cast<Eigen::Index>(c)) = f.value;
                break;
            }
        }
    }
}

}  // namespace detail

/// Runs steps 1-3 over `source` with up to `threads` patients in parallel (0 = OpenMP default).
/// Each worker reuses its buffers. Throws the first (in patient order) patient error when `strict`.
/// With `options.automatic_masks` the automatic-annotation tumour features are extracted for every
/// patient, or, when `automatic_patients` is not empty, only for patients i with
/// `automatic_patients[i] != 0` (the study's test patients; see `run_study`).
inline cohort_features process_cohort(const patient_source& source, const radiomics_options& options, bool strict,
                                      int threads = 0, const patient_progress& progress = {},
                                      const patient_hook& hook = {},
                                      const std::vector<std::uint8_t>& automatic_patients = {})
{
    const std::size_t n = source.size();
    if (n == 0) {
        raise<invalid_argument>("study.process_cohort", "patients: got 0, expected at least one.");
    }
    if (!automatic_patients.empty() && automatic_patients.size() != n) {
        raise<invalid_argument>("study.process_cohort", "automatic_patients: got ", automatic_patients.size(),
                                " flags, expected none or one per patient (", n, ").");
    }
    int workers = threads > 0 ? threads : max_threads();
    workers = std::max(1, std::min<int>(workers, static_cast<int>(n)));
    std::vector<patient_data> buffers(static_cast<std::size_t>(workers));
    std::vector<std::optional<patient_result>> results(n);
    std::vector<patient_status> status(n);
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::array<double, step_count>> seconds(static_cast<std::size_t>(workers));
    for (auto& s : seconds) {
        s.fill(0.0);
    }
    std::mutex progress_mutex;
    std::atomic<bool> stop{false};
    std::size_t done = 0;
    detail::worker_slots slots(static_cast<std::size_t>(workers));
    const auto count = static_cast<long>(n);
    const thread_count_guard team(workers);
    RG_PARALLEL_FOR_DYNAMIC
    for (long i = 0; i < count; ++i) {
        const auto index = static_cast<std::size_t>(i);
        patient_status& st = status[index];
        st.clinical = source.record(index);
        if (stop.load()) {
            st.reason = "not processed: an earlier patient stopped the strict run";
            continue;
        }
        const detail::worker_slots::lease slot(slots);
        const std::size_t worker = slot.index();
        patient_data& p = buffers[worker];
        try {
            auto start = std::chrono::steady_clock::now();
            source.load(index, p);
            st.clinical = p.clinical;
            if (hook) {
                hook(index, p);
            }
            seconds[worker][0] += detail::seconds_since(start);
            start = std::chrono::steady_clock::now();
            radiomics_options patient_options = options;
            patient_options.automatic_masks =
                options.automatic_masks && (automatic_patients.empty() || automatic_patients[index] != 0);
            if (patient_options.automatic_masks && !p.has_automatic) {
                derive_automatic_mask(p);
            }
            seconds[worker][3] += detail::seconds_since(start);
            patient_result r = process_patient(p, patient_options, seconds[worker]);
            st.included = true;
            st.tumour_voxels = r.tumour_voxels;
            st.automatic_voxels = r.automatic_voxels;
            st.bat_voxels = r.bat_voxels;
            st.tumour_ml = r.tumour_ml;
            st.bat_ml = r.bat_ml;
            st.dice = r.dice;
            if (r.bat_voxels == 0) {
                st.reason = "no BAT voxels: BAT features missing (imputed by the models)";
            }
            results[index] = std::move(r);
        } catch (const std::exception& e) {
            st.reason = detail::exclusion_reason(e);
            errors[index] = std::current_exception();
            if (strict) {
                stop.store(true);
            }
        }
        if (progress) {
            const std::lock_guard<std::mutex> lock(progress_mutex);
            ++done;
            progress(done, n, st.clinical.id);
        }
    }
    if (strict) {
        for (const auto& e : errors) {
            if (e) {
                std::rethrow_exception(e);
            }
        }
    }
    cohort_features out;
    out.source_description = source.description();
    out.status = std::move(status);
    for (const auto& s : seconds) {
        for (std::size_t k = 0; k < step_count; ++k) {
            out.step_seconds[k] += s[k];
        }
    }
    // Feature names: from the first included patient with that source.
    std::array<std::vector<std::string>, source_count> names;
    for (std::size_t s = 0; s < source_count; ++s) {
        for (const auto& r : results) {
            if (r && !r->manual[s].empty()) {
                for (const auto& f : r->manual[s]) {
                    names[s].push_back(f.name);
                }
                break;
            }
        }
    }
    std::vector<std::size_t> included;
    for (std::size_t i = 0; i < n; ++i) {
        if (results[i]) {
            included.push_back(i);
        }
    }
    const auto rows = static_cast<Eigen::Index>(included.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t s = 0; s < source_count; ++s) {
        out.manual[s] = Eigen::MatrixXd::Constant(rows, static_cast<Eigen::Index>(names[s].size()), nan);
    }
    for (std::size_t s = 0; s < 2; ++s) {
        out.automatic_names[s] = names[s];
        for (const auto& r : results) {
            if (!out.automatic_names[s].empty()) {
                break;
            }
            if (r && r->has_automatic) {
                for (const auto& f : r->automatic[s]) {
                    out.automatic_names[s].push_back(f.name);
                }
            }
        }
        out.automatic[s] = Eigen::MatrixXd::Constant(rows, static_cast<Eigen::Index>(out.automatic_names[s].size()), nan);
    }
    for (std::size_t r = 0; r < included.size(); ++r) {
        const patient_result& res = *results[included[r]];
        out.clinical.push_back(out.status[included[r]].clinical);
        for (std::size_t s = 0; s < source_count; ++s) {
            detail::fill_row(out.manual[s], static_cast<Eigen::Index>(r), names[s], res.manual[s]);
        }
        if (res.has_automatic) {
            out.has_automatic = true;
            for (std::size_t s = 0; s < 2; ++s) {
                detail::fill_row(out.automatic[s], static_cast<Eigen::Index>(r), out.automatic_names[s], res.automatic[s]);
            }
        }
    }
    out.names = std::move(names);
    return out;
}

}  // namespace radiogenomics::study
