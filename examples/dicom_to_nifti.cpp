// dicom_to_nifti: a DICOM series folder -> NIfTI in LPS-correct geometry (the toolkit's small dcm2niix), PET
// optionally in SUV from the scanner's tags (QIBA vendor-neutral pseudo-code, see io/dicom.hpp).
//
//   dicom_to_nifti DIR --list
//   dicom_to_nifti DIR OUT.nii.gz [--series UID] [--suv bw|lbm|bsa] [--weight KG] [--height M] [--sex M|F]
//                  [--dose BQ] [--injection-time HHMMSS|YYYYMMDDHHMMSS] [--half-life S] [--slice-tolerance MM]
//
// --list prints one line per series (UID, modality, files, size, description, problems). Without --series the
// folder must hold one series. With --suv the PET series is written in SUV and the factor, the tags it came from
// and the rules applied are printed; the overrides replace or supply tags. The NIfTI file is written atomically.
// Exit status: 0 success, 1 unreadable input or failed conversion, 2 bad command line.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/dicom.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "support/cli.hpp"

namespace io = radiogenomics::io;

namespace {

void print_series_table(const std::vector<io::dicom_series_info>& series)
{
    std::printf("%-64s %-4s %6s %-12s %s\n", "SeriesInstanceUID", "mod", "files", "size", "description / problems");
    for (const auto& s : series) {
        const auto& first = s.slices.front();
        char size[64];
        std::snprintf(size, sizeof(size), "%zux%zux%zu", first.columns, first.rows, s.instances());
        std::string what = s.description;
        for (const auto& p : s.problems) {
            what += (what.empty() ? "" : "; ") + p;
        }
        std::printf("%-64s %-4s %6zu %-12s %s\n", s.uid.c_str(), s.modality.c_str(), s.files(), size, what.c_str());
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"dicom_to_nifti: a DICOM series folder -> NIfTI (LPS geometry; PET optionally in SUV)"};
    std::string folder;
    std::string out;
    std::string uid;
    std::string suv;
    bool list = false;
    double tolerance = 0.01;
    io::suv_overrides overrides;
    std::optional<double> weight, height, dose, half_life;
    std::string sex, injection;
    app.add_option("dir", folder, "Folder holding the DICOM files (searched recursively)")->required();
    app.add_option("out", out, "Output .nii or .nii.gz");
    app.add_flag("--list", list, "List the series of DIR and exit");
    app.add_option("--series", uid, "SeriesInstanceUID to convert (required when DIR holds several series)");
    app.add_option("--suv", suv, "PET: write SUV (bw: body weight, lbm: lean body mass/SUL, bsa: body surface area)")
        ->check(CLI::IsMember({"bw", "lbm", "bsa"}));
    app.add_option("--weight", weight, "Patient weight in kg (overrides (0010,1030))");
    app.add_option("--height", height, "Patient height in m (overrides (0010,1020))");
    app.add_option("--sex", sex, "Patient sex M or F (overrides (0010,0040))")->check(CLI::IsMember({"M", "F"}));
    app.add_option("--dose", dose, "Injected dose in Bq (overrides (0018,1074))");
    app.add_option("--injection-time", injection, "Injection time HHMMSS (scan date) or YYYYMMDDHHMMSS "
                   "(overrides (0018,1078)/(0018,1072))");
    app.add_option("--half-life", half_life, "Radionuclide half-life in s (overrides (0018,1075))");
    app.add_option("--slice-tolerance", tolerance, "Accepted deviation of a slice gap from the median gap, mm")
        ->check(CLI::PositiveNumber);
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "dicom_to_nifti")) {
        return *code;  // 2 for a usage error, as every program (CLI11_PARSE returned CLI11's own codes, 100+)
    }
    if (!list && out.empty()) {
        std::cerr << "dicom_to_nifti: got no OUT.nii.gz, expected DIR OUT.nii.gz (or DIR --list).\n";
        return 2;
    }
    overrides.weight_kg = weight;
    overrides.height_m = height;
    overrides.dose_bq = dose;
    overrides.half_life_s = half_life;
    if (!sex.empty()) {
        overrides.sex = sex[0];
    }
    if (!injection.empty()) {
        overrides.injection = injection;
    }
    try {
        const auto series = io::scan_dicom_folder(folder);
        if (list) {
            print_series_table(series);
            return 0;
        }
        const io::dicom_series_info chosen = io::select_dicom_series(series, uid, folder);
        io::dicom_read_options options;
        options.slice_tolerance_mm = tolerance;
        if (suv.empty()) {
            if (io::dicom_pixel_type(chosen) == io::pixel_type::int32) {
                io::write_nifti(io::read_dicom_series<std::int32_t>(chosen, options), out);
            } else {
                io::write_nifti(io::read_dicom_series<float>(chosen, options), out);
            }
            std::printf("%s: %s series %s, %zu slices\n", out.c_str(), chosen.modality.c_str(), chosen.uid.c_str(),
                        chosen.instances());
            return 0;
        }
        const io::suv_type type = suv == "lbm" ? io::suv_type::lean_body_mass
                                  : suv == "bsa" ? io::suv_type::body_surface_area
                                                 : io::suv_type::body_weight;
        io::pet_suv_info info;
        const auto image = io::read_dicom_suv(chosen, type, overrides, &info, options);
        io::write_nifti(image, out);
        std::printf("%s: SUV%s = rescaled value x %.10g\n", out.c_str(), suv.c_str(), info.factor(type));
        for (const auto& [tag, value] : info.tags_used) {
            std::printf("  %-58s %s\n", tag.c_str(), value.c_str());
        }
        std::printf("  %-58s %.3f\n", "injection to scan [s]", info.injection_to_scan_seconds);
        std::printf("  %-58s %.10g\n", "decay factor", info.decay_factor);
        for (const auto& note : info.notes) {
            std::printf("  note: %s\n", note.c_str());
        }
    } catch (const std::exception& e) {
        return rg_cli::report_error("dicom_to_nifti", e);
    }
    return 0;
}
