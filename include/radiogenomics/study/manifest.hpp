#pragma once
/// \file manifest.hpp
/// \brief Real-data input: a manifest CSV (one row per patient) naming NIfTI files and clinical
/// values, the `patient_source` that reads it, and the writer that saves a (synthetic) cohort in
/// exactly that format (`--write-cohort`). Needs the `radiogenomics::io` component (NIfTI).
///
/// \par Manifest columns (header names; order free; extra columns ignored)
/// | column | content |
/// |---|---|
/// | `id` | patient identifier (unique: a repeated id is refused with its lines) |
/// | `cancer_type` | endometrial / ovarian / cervical (or EC / OC / CC) |
/// | `ct_path` | CT in HU (NIfTI, or a DICOM series folder; relative paths are relative to the manifest's folder) |
/// | `pet_path` | PET, in Bq/mL or already SUV (see `pet_units`), NIfTI or a DICOM series folder |
/// | `pet_units` | `Bq/mL` (then the SUV inputs below are required) or `SUV`; empty for a DICOM folder |
/// | `weight_kg`, `injected_dose_bq`, `injection_to_scan_s`, `half_life_s` | SUVbw inputs (`half_life_s` empty: F-18) |
/// | `tumour_mask_path` | manual tumour annotation on the CT grid (label 1) |
/// | `automatic_mask_path` | optional automatic annotation (e.g. nnU-Net); empty: PET 41 % isocontour |
/// | `bat_region` | optional BAT search box in 0-based CT voxel indices `i0 j0 k0 i1 j1 k1` (inclusive, inside the CT grid, else the patient is excluded with the reason); empty: whole image |
/// | `figo_stage` | I, II, III, IV or indeterminate |
/// | `lymph_node` | positive / negative |
/// | `grade` | well / moderate / poor |
/// | `age`, `bmi` | numbers (may be empty) |
/// | `tp53` | positive / negative (or 1 / 0) |
///
/// \par DICOM folders
/// With the `radiogenomics::dicom` component (`RG_HAVE_DICOM`), `ct_path` / `pet_path` may name a folder holding
/// one DICOM series (`io/dicom.hpp`). A DICOM PET folder whose `pet_units` and SUV columns are empty is turned
/// into SUVbw from its own tags (QIBA pseudo-code, `io::read_pet_suv_info`); with SUV columns filled in, the
/// folder is read in Bq/mL and those values are used, as for NIfTI.

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/nifti.hpp"
#if defined(RG_HAVE_DICOM)
#include "radiogenomics/io/dicom.hpp"
#endif
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/io/csv.hpp"

namespace radiogenomics::study {

/// Manifest header in the order `write_cohort` writes it.
inline const std::vector<std::string>& manifest_columns()
{
    static const std::vector<std::string> columns{
        "id",        "cancer_type",      "ct_path",         "pet_path",         "pet_units",
        "weight_kg", "injected_dose_bq", "injection_to_scan_s", "half_life_s",  "tumour_mask_path",
        "automatic_mask_path", "bat_region", "figo_stage", "lymph_node",        "grade",
        "age",       "bmi",              "tp53"};
    return columns;
}

namespace detail {

inline std::string manifest_cell(const io::csv_table& t, std::size_t row, const std::string& column)
{
    const std::size_t c = t.find_column(column);
    return c == io::csv_table::npos ? std::string() : t.rows[row][c];
}

inline double manifest_number(const std::string& text, const std::string& what, const std::string& id, bool required)
{
    if (text.empty()) {
        if (required) {
            raise<invalid_argument>("study.manifest", what, " of ", id, ": got an empty cell, expected a number.");
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
    double value = 0.0;
    if (!io::csv_table::parse_number(text, value)) {
        raise<invalid_argument>("study.manifest", what, " of ", id, ": got '", text, "', expected a number.");
    }
    return value;
}

inline bool manifest_flag(const std::string& text, const std::string& what, const std::string& id)
{
    if (text == "positive" || text == "1" || text == "yes" || text == "mutated") {
        return true;
    }
    if (text == "negative" || text == "0" || text == "no" || text == "wild-type") {
        return false;
    }
    raise<invalid_argument>("study.manifest", what, " of ", id, ": got '", text, "', expected positive or negative.");
}

inline synth::figo_stage parse_stage(const std::string& text, const std::string& id)
{
    for (std::size_t s = 0; s < synth::figo_stage_count; ++s) {
        if (text == synth::figo_stage_name(static_cast<synth::figo_stage>(s))) {
            return static_cast<synth::figo_stage>(s);
        }
    }
    raise<invalid_argument>("study.manifest", "figo_stage of ", id, ": got '", text,
                            "', expected I, II, III, IV or indeterminate.");
}

inline synth::tumour_grade parse_grade(const std::string& text, const std::string& id)
{
    for (std::size_t g = 0; g < synth::tumour_grade_count; ++g) {
        if (text == synth::tumour_grade_name(static_cast<synth::tumour_grade>(g))) {
            return static_cast<synth::tumour_grade>(g);
        }
    }
    raise<invalid_argument>("study.manifest", "grade of ", id, ": got '", text, "', expected well, moderate or poor.");
}

inline std::string resolve_path(const std::filesystem::path& base, const std::string& path)
{
    const std::filesystem::path p(path);
    return p.is_absolute() ? p.string() : (base / p).string();
}

template <class TPixel>
image<TPixel, 3> read_required(const std::string& path, const std::string& what, const std::string& id)
{
    if (path.empty()) {
        raise<io_error>("study.manifest", what, " of ", id, ": got an empty path, expected a NIfTI file.");
    }
    if (!std::filesystem::exists(path)) {
        raise<io_error>("study.manifest", what, " of ", id, ": got '", path, "', expected an existing NIfTI file.");
    }
    if (std::filesystem::is_directory(path)) {
#if defined(RG_HAVE_DICOM)
        return io::read_dicom_image<TPixel>(path);
#else
        raise<io_error>("study.manifest", what, " of ", id, ": got the folder '", path, "', expected a NIfTI file: "
                        "this build has no DICOM support (install libdcmtk-dev, RG_WITH_DICOM=ON).");
#endif
    }
    return io::read_nifti<TPixel, 3>(path);
}

}  // namespace detail

/// Patients listed in a manifest CSV (see the file comment).
class manifest_source : public patient_source {
public:
    /// Reads the manifest; throws `io_error` when unreadable, `invalid_argument` when a required
    /// column is missing or there is no row. Row-level problems surface when the patient is loaded.
    explicit manifest_source(const std::string& path) : m_path(path), m_table(io::read_csv(path))
    {
        m_base = std::filesystem::path(path).parent_path();
        for (const char* column : {"id", "cancer_type", "ct_path", "pet_path", "tumour_mask_path", "tp53"}) {
            if (m_table.find_column(column) == io::csv_table::npos) {
                raise<invalid_argument>("study.manifest_source", "columns of '", path, "': got no '", column,
                                        "' column, expected the manifest format of study/manifest.hpp.");
            }
        }
        if (m_table.rows.empty()) {
            raise<invalid_argument>("study.manifest_source", "rows of '", path, "': got 0, expected one per patient.");
        }
        // One row per patient: a repeated id would appear twice in every per-patient output.
        std::map<std::string, std::vector<std::size_t>> lines_of;
        const std::size_t id_column = m_table.column("id");
        for (std::size_t r = 0; r < m_table.rows.size(); ++r) {
            if (!m_table.rows[r][id_column].empty()) {
                lines_of[m_table.rows[r][id_column]].push_back(m_table.line_numbers[r]);
            }
        }
        std::string repeated;
        std::size_t count = 0;
        for (const auto& [id, lines] : lines_of) {
            if (lines.size() > 1) {
                if (count < 5) {
                    repeated += std::string(count ? "; " : "") + "'" + id + "' on lines";
                    for (const auto line : lines) {
                        repeated += " " + std::to_string(line);
                    }
                }
                ++count;
            }
        }
        if (count > 0) {
            raise<invalid_argument>("study.manifest_source", "ids of '", path, "': got ", count, " repeated id(s) (",
                                    repeated, count > 5 ? "; ..." : "", "), expected one row per patient. "
                                    "Remove or rename the duplicate rows.");
        }
    }
    std::size_t size() const override { return m_table.rows.size(); }
    synth::clinical_record record(std::size_t i) const override
    {
        synth::clinical_record r;
        r.index = i;
        r.id = cell(i, "id");
        if (r.id.empty()) {
            r.id = "row-" + std::to_string(i + 1);
        }
        try {
            r = parse_record(i);
        } catch (const error&) {
        }
        return r;
    }
    void load(std::size_t i, patient_data& out) const override
    {
        out.clinical = parse_record(i);
        const std::string& id = out.clinical.id;
        out.ct = detail::read_required<float>(detail::resolve_path(m_base, cell(i, "ct_path")), "CT", id);
        const std::string pet_path = detail::resolve_path(m_base, cell(i, "pet_path"));
        const bool suv_from_tags = std::filesystem::is_directory(pet_path) && cell(i, "pet_units").empty() &&
                                   cell(i, "weight_kg").empty() && cell(i, "injected_dose_bq").empty() &&
                                   cell(i, "injection_to_scan_s").empty();
        if (suv_from_tags) {
#if defined(RG_HAVE_DICOM)
            const auto series = io::select_dicom_series(io::scan_dicom_folder(pet_path), "", pet_path);
            io::pet_suv_info info;
            const image<double, 3> suv = io::read_dicom_suv(series, io::suv_type::body_weight, {}, &info);
            out.pet = image<float, 3>(suv.geometry());
            for (std::size_t v = 0; v < suv.size(); ++v) {
                out.pet[v] = static_cast<float>(suv[v]);
            }
#else
            out.pet = detail::read_required<float>(pet_path, "PET", id);  // refuses the folder with a hint
#endif
        } else {
            out.pet = detail::read_required<float>(pet_path, "PET", id);
        }
        out.tumour_manual = detail::read_required<std::uint8_t>(
            detail::resolve_path(m_base, cell(i, "tumour_mask_path")), "tumour mask", id);
        const std::string automatic = cell(i, "automatic_mask_path");
        out.has_automatic = !automatic.empty();
        if (out.has_automatic) {
            out.tumour_automatic = detail::read_required<std::uint8_t>(detail::resolve_path(m_base, automatic),
                                                                       "automatic tumour mask", id);
        }
        const std::string units = cell(i, "pet_units");
        out.pet_is_suv = units == "SUV" || units == "suv" || suv_from_tags;
        if (!out.pet_is_suv && !units.empty() && units != "Bq/mL" && units != "Bq/ml") {
            raise<invalid_argument>("study.manifest", "pet_units of ", id, ": got '", units, "', expected Bq/mL or SUV.");
        }
        if (!out.pet_is_suv) {
            out.pet_info.patient_weight_kg = detail::manifest_number(cell(i, "weight_kg"), "weight_kg", id, true);
            out.pet_info.injected_dose_bq = detail::manifest_number(cell(i, "injected_dose_bq"), "injected_dose_bq", id, true);
            out.pet_info.injection_to_scan_seconds =
                detail::manifest_number(cell(i, "injection_to_scan_s"), "injection_to_scan_s", id, true);
            const double half_life = detail::manifest_number(cell(i, "half_life_s"), "half_life_s", id, false);
            out.pet_info.half_life_seconds = std::isnan(half_life) ? 6586.2 : half_life;
            preprocess::validate(out.pet_info);
        }
        out.bat_region.reset();
        const std::string box = cell(i, "bat_region");
        if (!box.empty()) {
            std::istringstream in(box);
            preprocess::bounding_box<3> b;
            for (std::size_t d = 0; d < 3; ++d) {
                in >> b.lower[d];
            }
            for (std::size_t d = 0; d < 3; ++d) {
                in >> b.upper[d];
            }
            if (!in) {
                raise<invalid_argument>("study.manifest", "bat_region of ", id, ": got '", box,
                                        "', expected six integers i0 j0 k0 i1 j1 k1.");
            }
            // Inside the CT grid (it used to be clipped silently, which hid swapped axes or 1-based indices).
            for (std::size_t d = 0; d < 3; ++d) {
                const auto n = static_cast<std::ptrdiff_t>(out.ct.shape()[d]);
                if (b.lower[d] < 0 || b.upper[d] < b.lower[d] || b.upper[d] >= n) {
                    raise<invalid_argument>("study.manifest", "bat_region of ", id, ": got '", box, "' (axis ", d,
                                            ": ", b.lower[d], "..", b.upper[d], "), expected 0 <= i0 <= i1 < ", n,
                                            " on every axis of the CT grid ", out.ct.shape()[0], "x",
                                            out.ct.shape()[1], "x", out.ct.shape()[2], " (0-based voxel indices).");
                }
            }
            out.bat_region = b;
        }
    }
    std::string description() const override
    {
        return "manifest " + m_path + " (" + std::to_string(size()) + " patients)";
    }

private:
    std::string cell(std::size_t i, const std::string& column) const
    {
        return detail::manifest_cell(m_table, i, column);
    }
    synth::clinical_record parse_record(std::size_t i) const
    {
        synth::clinical_record r;
        r.index = i;
        r.id = cell(i, "id");
        if (r.id.empty()) {
            raise<invalid_argument>("study.manifest", "id of row ", i + 1, ": got an empty cell, expected an identifier.");
        }
        r.type = synth::parse_cancer_type(cell(i, "cancer_type"));
        const std::string stage = cell(i, "figo_stage");
        r.stage = stage.empty() ? synth::figo_stage::indeterminate : detail::parse_stage(stage, r.id);
        const std::string nodes = cell(i, "lymph_node");
        r.lymph_node_positive = !nodes.empty() && detail::manifest_flag(nodes, "lymph_node", r.id);
        const std::string grade = cell(i, "grade");
        r.grade = grade.empty() ? synth::tumour_grade::moderate : detail::parse_grade(grade, r.id);
        r.age_years = detail::manifest_number(cell(i, "age"), "age", r.id, false);
        r.bmi = detail::manifest_number(cell(i, "bmi"), "bmi", r.id, false);
        r.weight_kg = detail::manifest_number(cell(i, "weight_kg"), "weight_kg", r.id, false);
        r.tp53_positive = detail::manifest_flag(cell(i, "tp53"), "tp53", r.id);
        return r;
    }

    std::string m_path;
    io::csv_table m_table;
    std::filesystem::path m_base;
};

/// Writes one patient's volumes as `<dir>/<id>/{ct,pet,tumour_manual,tumour_automatic}.nii.gz` and
/// returns its manifest row (paths relative to `dir`, in `manifest_columns()` order).
inline std::vector<std::string> write_patient_files(const std::string& dir, const patient_data& p)
{
    const std::string& id = p.clinical.id;
    std::filesystem::create_directories(std::filesystem::path(dir) / id);
    const auto rel = [&](const char* name) { return id + "/" + name; };
    const auto full = [&](const char* name) { return (std::filesystem::path(dir) / id / name).string(); };
    io::write_nifti(p.ct, full("ct.nii.gz"));
    io::write_nifti(p.pet, full("pet.nii.gz"));
    io::write_nifti(p.tumour_manual, full("tumour_manual.nii.gz"));
    std::string automatic;
    if (p.has_automatic) {
        io::write_nifti(p.tumour_automatic, full("tumour_automatic.nii.gz"));
        automatic = rel("tumour_automatic.nii.gz");
    }
    std::string box;
    if (p.bat_region) {
        std::ostringstream out;
        out << p.bat_region->lower[0] << ' ' << p.bat_region->lower[1] << ' ' << p.bat_region->lower[2] << ' '
            << p.bat_region->upper[0] << ' ' << p.bat_region->upper[1] << ' ' << p.bat_region->upper[2];
        box = out.str();
    }
    const auto& c = p.clinical;
    return {id,
            synth::cancer_type_name(c.type),
            rel("ct.nii.gz"),
            rel("pet.nii.gz"),
            p.pet_is_suv ? "SUV" : "Bq/mL",
            io::format_number(p.pet_info.patient_weight_kg),
            io::format_number(p.pet_info.injected_dose_bq),
            io::format_number(p.pet_info.injection_to_scan_seconds),
            io::format_number(p.pet_info.half_life_seconds),
            rel("tumour_manual.nii.gz"),
            automatic,
            box,
            synth::figo_stage_name(c.stage),
            c.lymph_node_positive ? "positive" : "negative",
            synth::tumour_grade_name(c.grade),
            io::format_number(c.age_years),
            io::format_number(c.bmi),
            c.tp53_positive ? "positive" : "negative"};
}

/// Writes `<dir>/manifest.csv` from rows of `write_patient_files` (empty rows are skipped).
inline void write_manifest(const std::string& dir, const std::vector<std::vector<std::string>>& rows)
{
    io::csv_writer out(manifest_columns());
    for (const auto& r : rows) {
        if (!r.empty()) {
            out.add_row(r);
        }
    }
    out.save((std::filesystem::path(dir) / "manifest.csv").string());
}

}  // namespace radiogenomics::study
