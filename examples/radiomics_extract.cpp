// radiomics_extract: a drop-in, faster PyRadiomics command line.
//
//   radiomics_extract IMAGE MASK [--param FILE.yaml] [--label N|NAME] [-o OUT] [--format csv|json|txt] [--names ibsi]
//   radiomics_extract CASES.csv  [--param FILE.yaml] [-o OUT] [--format csv|json|txt] [--jobs N] [--strict] [-q]
//   radiomics_extract IMAGE MASK --mode voxel --out-dir DIR [--full-grid] [--map-format nii.gz|nii]
//   mpirun -np N radiomics_extract CASES.csv -o OUT [--jobs J] [--resume]   (support/distributed_batch.hpp)
//
// CASES.csv has PyRadiomics' batch columns Image, Mask (optional Label; other columns are carried into the
// output). IMAGE is NIfTI, NRRD or a DICOM series folder (a PET series in SUV from its tags: --suv bw, the
// default, lbm, bsa or none; --weight ... supply missing tags in single-case mode); MASK NIfTI, NRRD or a
// Slicer .seg.nrrd (whose segments --label / Label select by name). Parameter files follow PyRadiomics' YAML schema (see support/pyradiomics_params.hpp). Output goes to
// OUT through a temporary file renamed into place (never a truncated file), or to stdout without -o.
// Exit status (`exit_status` below): 0 success (batch: also when some cases failed; they get an `error` cell);
// 1 input error: the single case (or, with --strict, a batch case) failed — an unreadable image or mask, an empty
// ROI, ... — or --validate found unreadable inputs; 2 usage error: bad command line, parameter file or batch
// CSV (nothing was extracted); 3 output error: the output (-o file, stdout, --out-dir maps) could not be written.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/io/atomic_file.hpp"
#include "support/batch_runner.hpp"
#include "support/cli.hpp"
#include "support/distributed_batch.hpp"
#include "support/voxel_runner.hpp"

namespace rp = radiogenomics::pyradiomics;

namespace {

/// The exit statuses (see the file comment; README "Coming from PyRadiomics").
enum exit_status : int { exit_success = 0, exit_input_error = 1, exit_usage_error = 2, exit_output_error = 3 };

/// The output could not be written (exit_output_error).
class output_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string format_duration(double seconds)
{
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buffer;
}

bool ends_with(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Writes the output table to `out` (a new or regular file: through a temporary renamed into place; a device or
/// pipe such as /dev/stdout: directly) or to stdout. Throws `output_error` naming the target and the OS reason.
void emit(const std::string& text, const std::string& out)
{
    if (out.empty()) {
        errno = 0;
        std::cout << text;
        std::cout.flush();
        if (!std::cout) {
            const int reason = errno;
            throw output_error("[radiogenomics.radiomics_extract] stdout: writing " + std::to_string(text.size()) +
                               " bytes failed: " + (reason != 0 ? std::strerror(reason) : "write error") + ".");
        }
        return;
    }
    std::error_code ec;
    const auto status = std::filesystem::status(out, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
        !std::filesystem::is_directory(status)) {
        // a device, FIFO or socket (e.g. /dev/stdout): no temporary beside it, no rename over it
        std::FILE* file = std::fopen(out.c_str(), "wb");
        int reason = file == nullptr ? errno : 0;
        if (file != nullptr) {
            errno = 0;
            if (std::fwrite(text.data(), 1, text.size(), file) != text.size() || std::fflush(file) != 0) {
                reason = errno != 0 ? errno : EIO;
            }
            if (std::fclose(file) != 0 && reason == 0) {
                reason = errno != 0 ? errno : EIO;
            }
        }
        if (reason != 0) {
            throw output_error("[radiogenomics.radiomics_extract] '" + out + "': writing " +
                               std::to_string(text.size()) + " bytes failed: " + std::strerror(reason) + ".");
        }
        return;
    }
    try {
        radiogenomics::io::write_file_atomic(out, text);
    } catch (const std::exception& e) {
        throw output_error(e.what());
    }
}

/// Emits `text`; on failure prints the one-line error and returns exit_output_error.
int emit_or_report(const std::string& text, const std::string& out)
{
    try {
        emit(text, out);
    } catch (const output_error& e) {
        std::cerr << "radiomics_extract: " << rp::one_line(e.what()) << "\n";
        return exit_output_error;
    }
    return exit_success;
}

int run(int argc, char** argv)
{
    CLI::App app{"radiomics_extract: PyRadiomics-compatible feature extraction (single case or batch CSV)"};
    std::string input;
    std::string mask;
    std::string param;
    std::string out;
    std::string format = "csv";
    std::string names = "pyradiomics";
    std::string label_text;
    int jobs = 1;
    bool strict = false;
    bool quiet = false;
    bool validate = false;
    std::string mode = "segment";
    std::vector<std::string> overrides;
    std::string format_path = "absolute";
    bool skip_nans = false;
    app.add_option("input", input, "Image file (single case) or batch CSV with columns Image,Mask[,Label]")->required();
    app.add_option("mask", mask, "Mask file (single case)");
    app.add_option("-p,--param", param, "PyRadiomics parameter file (YAML or JSON)");
    app.add_option("-l,--label", label_text, "Label value (sets setting.label; a batch Label column still applies to its "
                   "case), or the name of a segment of a Slicer .seg.nrrd mask");
    app.add_option("-o,--out", out, "Output file (default: stdout); written atomically");
    app.add_option("-f,--format", format, "Output format")->check(CLI::IsMember({"csv", "json", "txt"}));
    app.add_option("--names", names, "Feature names: pyradiomics, or ibsi to add IBSI-tag columns")
        ->check(CLI::IsMember({"pyradiomics", "ibsi"}));
    app.add_option("-j,--jobs", jobs, "Cases processed in parallel (batch)")->check(CLI::Range(1, 1024));
    app.add_flag("--strict", strict, "Batch: stop at the first failing case (exit 1, no output)");
    app.add_flag("-q,--quiet", quiet, "No progress bar");
    app.add_option("-s,--setting", overrides, "Setting override \"NAME:VALUE\" (YAML value), repeatable, as PyRadiomics");
    app.add_option("--format-path", format_path, "Image/Mask paths in the output: absolute (PyRadiomics' default), "
                   "relative (to the batch CSV's folder) or basename")
        ->check(CLI::IsMember({"absolute", "relative", "basename"}));
    app.add_flag("--skip-nans", skip_nans, "Write NaN features as empty cells (JSON: leave them out)");
    app.add_flag("--validate", validate, "Check the parameter file and that every input is a readable NIfTI, NRRD or "
                 "DICOM series; no extraction");
    app.add_option("--mode", mode, "Extraction mode (PyRadiomics): segment, or voxel (one feature map per feature)")
        ->check(CLI::IsMember({"segment", "voxel"}));
    std::string out_dir;
    bool full_grid = false;
    std::string map_format = "nii.gz";
    app.add_option("--out-dir", out_dir, "Voxel mode: folder of the maps (batch: one Case-<n> folder per case)");
    app.add_flag("--full-grid", full_grid, "Voxel mode: maps on the input grid instead of PyRadiomics' crop box");
    app.add_option("--map-format", map_format, "Voxel mode: map files as nii.gz (default) or nii (faster)")
        ->check(CLI::IsMember({"nii.gz", "nii"}));
    // DICOM PET images: SUV from the tags (QIBA; io/dicom.hpp), with the overrides of dicom_to_nifti
    std::string suv = "bw";
    std::optional<double> weight, height, dose, half_life;
    std::string sex, injection;
    app.add_option("--suv", suv, "DICOM PET image: SUV from its tags, bw (body weight, QIBA; default), lbm (SUL), bsa, "
                   "or none (activity as stored, Bq/mL)")->check(CLI::IsMember({"bw", "lbm", "bsa", "none"}));
    app.add_option("--weight", weight, "DICOM PET: patient weight in kg (overrides (0010,1030); single case)");
    app.add_option("--height", height, "DICOM PET: patient height in m (overrides (0010,1020); single case)");
    app.add_option("--sex", sex, "DICOM PET: patient sex M or F (overrides (0010,0040); single case)")
        ->check(CLI::IsMember({"M", "F"}));
    app.add_option("--dose", dose, "DICOM PET: injected dose in Bq (overrides (0018,1074); single case)");
    app.add_option("--injection-time", injection, "DICOM PET: injection time HHMMSS or YYYYMMDDHHMMSS (overrides "
                   "(0018,1078)/(0018,1072); single case)");
    app.add_option("--half-life", half_life, "DICOM PET: radionuclide half-life in s (overrides (0018,1075))");
    rp::distributed_options distributed;  // --resume; mpirun (support/distributed_batch.hpp)
    rp::add_distributed_options(app, distributed);
    app.footer("Exit status: 0 success (batch: also when some cases failed), 1 input error (the case, or with --strict "
               "a batch case, failed; --validate found unreadable inputs), 2 usage error (command line, parameter file, "
               "batch CSV), 3 output error (the output file, stdout or the maps could not be written).");
    app.set_version_flag("--version", std::string("radiomics_extract (radiogenomics ") + radiogenomics::version_string + ")");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "radiomics_extract")) {
        return *code;
    }

    const bool batch = mask.empty();
    if (batch && !ends_with(input, ".csv")) {
        std::cerr << "radiomics_extract: got one input '" << input
                  << "' that is not a .csv, expected IMAGE MASK or a batch CSV (columns Image,Mask).\n";
        return exit_usage_error;
    }
    int label = 0;
    std::string segment;
    if (!label_text.empty()) {
        try {
            std::size_t used = 0;
            const long value = std::stol(label_text, &used);
            if (used != label_text.size() || value < 1 || value > 2147483647L) {
                throw std::invalid_argument(label_text);
            }
            label = static_cast<int>(value);
        } catch (const std::exception&) {
            if (label_text.find_first_not_of("0123456789+-") == std::string::npos) {
                std::cerr << "radiomics_extract: --label: got '" << label_text
                          << "', expected an integer label > 0 or a segment name.\n";
                return exit_usage_error;
            }
            segment = label_text;  // a segment of a .seg.nrrd mask
        }
    }
    rp::pet_input_options pet;
    pet.type = suv == "lbm"  ? std::optional<radiogenomics::io::suv_type>(radiogenomics::io::suv_type::lean_body_mass)
               : suv == "bsa" ? std::optional<radiogenomics::io::suv_type>(radiogenomics::io::suv_type::body_surface_area)
               : suv == "bw"  ? std::optional<radiogenomics::io::suv_type>(radiogenomics::io::suv_type::body_weight)
                              : std::nullopt;
    pet.overrides.weight_kg = weight;
    pet.overrides.height_m = height;
    pet.overrides.dose_bq = dose;
    pet.overrides.half_life_s = half_life;
    if (!sex.empty()) {
        pet.overrides.sex = sex[0];
    }
    if (!injection.empty()) {
        pet.overrides.injection = injection;
    }
    if (batch && (weight || height || dose || !sex.empty() || !injection.empty())) {
        std::cerr << "radiomics_extract: got a patient's --weight/--height/--sex/--dose/--injection-time with a batch "
                     "CSV, expected them for a single case only (they would apply to every patient). Convert that "
                     "patient's PET with dicom_to_nifti --suv and the override, or run the case alone.\n";
        return 2;
    }
    rp::parameter_set params;
    rp::batch_input cases;
    try {
        params = param.empty() ? rp::parse_parameters("", "<defaults>", overrides)
                               : rp::read_parameter_file(param, overrides);
        if (batch) {
            cases = rp::read_batch_csv(input);
        } else {
            cases.columns = {"Image", "Mask"};
            cases.rows = {{input, mask}};
            cases.cases = {rp::case_input{input, mask, std::nullopt, segment, pet}};
        }
    } catch (const std::exception& e) {
        std::cerr << "radiomics_extract: " << rp::one_line(e.what()) << "\n";
        return exit_usage_error;  // the parameter file, a --setting or the batch CSV
    }
    {
        // Image/Mask cells as PyRadiomics' --format-path writes them
        const auto image_column = std::find(cases.columns.begin(), cases.columns.end(), "Image") - cases.columns.begin();
        const auto mask_column = std::find(cases.columns.begin(), cases.columns.end(), "Mask") - cases.columns.begin();
        const std::filesystem::path start = batch ? std::filesystem::absolute(input).parent_path()
                                                  : std::filesystem::current_path();
        for (std::size_t i = 0; i < cases.cases.size(); ++i) {
            const auto format_one = [&](const std::string& resolved) {
                std::error_code ignored;
                const auto absolute = std::filesystem::absolute(resolved, ignored).lexically_normal();
                if (format_path == "basename") {
                    return absolute.filename().string();
                }
                if (format_path == "relative") {
                    return absolute.lexically_relative(start.lexically_normal()).string();
                }
                return absolute.string();
            };
            cases.rows[i][static_cast<std::size_t>(image_column)] = format_one(cases.cases[i].image);
            cases.rows[i][static_cast<std::size_t>(mask_column)] = format_one(cases.cases[i].mask);
        }
    }
    if (label > 0) {
        // as PyRadiomics: --label is the `label` setting; a batch Label column still wins for its case
        params.setting.label = label;
        for (auto& t : params.image_types) {
            t.setting.label = label;
        }
    }
    for (auto& c : cases.cases) {
        c.pet = pet;  // DICOM PET images: SUV type and overrides
        if (!segment.empty() && !c.label && c.segment.empty()) {
            c.segment = segment;  // --label NAME: the segment of each case's .seg.nrrd (a Label column wins)
        }
    }
    if (validate) {
        std::size_t bad = 0;
        for (std::size_t i = 0; i < cases.cases.size(); ++i) {
            try {
                rp::read_input_header(cases.cases[i].image, "image", cases.cases[i].pet);
                rp::read_input_header(cases.cases[i].mask, "mask");
            } catch (const std::exception& e) {
                ++bad;
                std::cerr << "radiomics_extract: case " << i + 1 << ": " << rp::one_line(e.what()) << "\n";
            }
        }
        std::cerr << "radiomics_extract: parameter file " << (param.empty() ? "<defaults>" : param) << " is valid; "
                  << cases.cases.size() - bad << " of " << cases.cases.size() << " cases have readable images and masks\n";
        return bad == 0 ? exit_success : exit_input_error;
    }
    std::size_t shown = 0;
    if (mode == "voxel") {
        rp::voxel_run_options voxel;
        voxel.out_dir = out_dir.empty() ? "." : out_dir;  // PyRadiomics: the current folder
        voxel.full_grid = full_grid;
        voxel.compress = map_format == "nii.gz";
        voxel.strict = strict || !batch;
        voxel.per_case_folder = batch;
        if (!quiet) {
            auto image_start = std::chrono::steady_clock::now();
            std::string last_image;
            const bool terminal = ::isatty(::fileno(stderr)) == 1;
            voxel.progress = [&, terminal](std::size_t c, std::size_t done, std::size_t total, const std::string& name) {
                const auto now = std::chrono::steady_clock::now();
                const bool new_image = name != last_image;
                if (new_image) {  // a new image type started (progress comes after each class)
                    last_image = name;
                    image_start = now;
                }
                const double elapsed = std::chrono::duration<double>(now - image_start).count();
                const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0.0;
                if (terminal) {  // redrawn in place on a terminal; one plain line per image type in logs
                    shown = 1;
                    std::fprintf(stderr, "\rcase %zu/%zu %s: %zu/%zu voxel-classes, ETA %s   ", c + 1,
                                 cases.cases.size(), name.c_str(), done, total, format_duration(eta).c_str());
                } else if (new_image) {
                    std::fprintf(stderr, "case %zu/%zu %s: started\n", c + 1, cases.cases.size(), name.c_str());
                }
                std::fflush(stderr);
            };
        }
        const auto results = rp::run_voxel_batch(cases.cases, params, voxel);
        if (shown > 0) {
            std::fprintf(stderr, "\n");  // end the progress line
        }
        std::size_t failed_cases = 0;
        for (std::size_t i = 0; i < results.size(); ++i) {
            if (!results[i].ok()) {
                ++failed_cases;
                if (voxel.strict) {
                    std::cerr << "radiomics_extract: " << (batch ? "case " + std::to_string(i + 1) + ": " : "")
                              << results[i].error << "\n";
                    return results[i].output_failed ? exit_output_error : exit_input_error;
                }
            }
        }
        const auto table = rp::voxel_table(cases.columns, cases.rows, results);
        if (const int status = emit_or_report(
                format == "csv" ? rp::to_csv(table) : format == "json" ? rp::to_json_text(table) : rp::to_txt(table), out)) {
            return status;
        }
        if (failed_cases > 0) {
            std::cerr << "radiomics_extract: " << failed_cases << " of " << results.size()
                      << " cases failed (see the 'error' column)\n";
        }
        return exit_success;
    }
    rp::batch_options options;
    options.jobs = batch ? jobs : 1;
    options.strict = strict || !batch;
    const auto start = std::chrono::steady_clock::now();
    // A bar redrawn in place on a terminal; plain lines every 10 % / 30 s in logs (files, pipes, Slurm).
    const bool terminal = ::isatty(::fileno(stderr)) == 1;
    int last_decile = -1;
    auto last_line = start;
    if (batch && !quiet) {
        options.progress = [&](std::size_t done, std::size_t failed, std::size_t total) {
            shown = done;
            const auto now = std::chrono::steady_clock::now();
            if (!terminal) {
                const int decile = total > 0 ? static_cast<int>(10 * done / total) : 10;
                if (done != total && decile <= last_decile &&
                    std::chrono::duration<double>(now - last_line).count() < 30.0) {
                    return;
                }
                last_decile = decile;
                last_line = now;
            }
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0.0;
            const int width = 30;
            const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
            std::string bar(static_cast<std::size_t>(filled), '#');
            bar += std::string(static_cast<std::size_t>(width - filled), '.');
            std::fprintf(stderr, "%s[%s] %zu/%zu cases%s, elapsed %s, ETA %s", terminal ? "\r" : "", bar.c_str(), done,
                         total, failed > 0 ? (", " + std::to_string(failed) + " failed").c_str() : "",
                         format_duration(elapsed).c_str(), format_duration(eta).c_str());
            if (done == total || !terminal) {
                std::fprintf(stderr, "\n");
            }
            std::fflush(stderr);
        };
    }
    const auto ran = rp::run_batch_distributed(cases.cases, params, options, distributed, out);
    if (!ran) {
        return exit_success;  // an MPI rank other than 0: rank 0 writes the output
    }
    const auto& results = *ran;
    if (terminal && shown > 0 && shown < results.size()) {
        std::fprintf(stderr, "\n");  // --strict stopped before the bar was complete
    }
    std::size_t failed = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i].ok()) {
            ++failed;
            if (options.strict) {
                if (batch) {
                    std::cerr << "radiomics_extract: case " << i + 1 << " (" << cases.cases[i].image << "): "
                              << results[i].error << "\n";
                } else {
                    std::cerr << "radiomics_extract: " << results[i].error << "\n";
                }
                return exit_input_error;
            }
        }
    }
    const auto table = rp::assemble(cases.columns, cases.rows, results, names == "ibsi", skip_nans);
    std::string text;
    if (format == "csv") {
        text = rp::to_csv(table);
    } else if (format == "json") {
        text = rp::to_json_text(table, skip_nans);
    } else {
        text = rp::to_txt(table);
    }
    if (const int status = emit_or_report(text, out)) {
        return status;
    }
    rp::finish_distributed(distributed);  // the output is written: its journal (--resume) goes
    if (batch && failed > 0) {
        std::cerr << "radiomics_extract: " << failed << " of " << results.size()
                  << " cases failed (see the 'error' column)\n";
    }
    return exit_success;
}

}  // namespace

int main(int argc, char** argv) { return rp::distributed_main("radiomics_extract", argc, argv, run); }
