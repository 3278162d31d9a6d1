// pet_ct_demo: one synthetic patient through the study's imaging pipeline.
//
//   synthetic PET/CT  ->  PET to SUVbw  ->  PET resampled onto the CT grid  ->  512x512 centre crop
//   ->  BAT mask (SUV > 1.5, HU in [-190, -10], supraclavicular box)  ->  connected components
//   ->  automatic PET tumour delineation vs the manual mask  ->  PyRadiomics-named features
//
// Prints a summary with the time of each stage; with --out DIR also writes the volumes as NIfTI.
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/features.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/preprocess.hpp"
#include "radiogenomics/synth.hpp"
#include "support/cli.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;

namespace {

class stopwatch {
public:
    double lap()
    {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        return seconds;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

double feature(const rg::features::feature_list& list, const std::string& name)
{
    for (const auto& f : list) {
        if (f.name == name) {
            return f.value;
        }
    }
    return std::numeric_limits<double>::quiet_NaN();
}

int run(int argc, char** argv)
{
    CLI::App app{"One synthetic PET/CT patient through the study's imaging pipeline"};
    std::string scale = "full";
    std::uint64_t seed = 42;
    std::size_t patient = 0;
    std::string out_dir;
    std::string feature_set = "paper";
    app.add_option("--scale", scale, "Synthetic grid size: full (512x512, study-like) or small")
        ->check(CLI::IsMember({"full", "small"}));
    app.add_option("--seed", seed, "Cohort seed");
    app.add_option("--patient", patient, "Patient index in the synthetic cohort");
    app.add_option("--features", feature_set, "Radiomics: paper (1,781 tumour features per modality) or original")
        ->check(CLI::IsMember({"paper", "original"}));
    app.add_option("--out", out_dir, "Write CT, SUV, masks as NIfTI into this folder");
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress or summary lines on stderr (warnings and errors only)");
    if (const auto code = rg_cli::parse_command_line(app, argc, argv, "pet_ct_demo")) {
        return *code;
    }
    std::ostream& info = rg_cli::info(quiet);
    static_cast<void>(info);

    try {
        stopwatch clock;
        rg::synth::cohort_options cohort;
        cohort.seed = seed;
        cohort.scale = rg::synth::parse_cohort_scale(scale);
        if (patient >= rg::synth::patient_count(cohort)) {
            std::cerr << "pet_ct_demo: --patient must be < " << rg::synth::patient_count(cohort) << "\n";
            return 2;
        }
        const rg::synth::synthetic_patient p = rg::synth::generate_patient(cohort, patient);
        const double t_generate = clock.lap();

        // 1. PET (Bq/mL) -> SUVbw on its own grid, then B-spline resampling onto the CT grid.
        const pp::pet_metadata& metadata = p.pet_info;
        const auto suv_native = pp::suv_body_weight(p.pet, metadata);
        auto suv_on_ct = pp::resample(suv_native, p.ct.geometry(), pp::interpolator::bspline, 0.0);
        const double t_resample = clock.lap();

        // 2. Centre crop to 512 x 512 in-plane, as the study (grids already smaller are kept as they are).
        const std::size_t nx = std::min<std::size_t>(512, p.ct.shape()[0]);
        const std::size_t ny = std::min<std::size_t>(512, p.ct.shape()[1]);
        const auto ct = pp::crop_or_pad_center(p.ct, nx, ny, -1024.0f);
        const auto suv = pp::crop_or_pad_center(suv_on_ct, nx, ny, 0.0f);
        const auto manual = pp::crop_or_pad_center(p.tumour_manual, nx, ny, std::uint8_t{0});
        const double t_crop = clock.lap();

        // 3. BAT: SUV > 1.5 and HU in [-190, -10] inside the supraclavicular box (box in uncropped CT indices).
        pp::bat_options<3> bat_opts;
        pp::bounding_box<3> region = p.supraclavicular_region;  // clipped to the grid by the BAT mask
        for (std::size_t d = 0; d < 3; ++d) {
            const std::ptrdiff_t shift =
                (static_cast<std::ptrdiff_t>(p.ct.shape()[d]) - static_cast<std::ptrdiff_t>(ct.shape()[d])) / 2;
            region.lower[d] -= shift;
            region.upper[d] -= shift;
        }
        bat_opts.index_region = region;
        bat_opts.min_component_volume_mm3 = 100.0;
        const auto bat = pp::brown_adipose_tissue_mask(suv, ct, bat_opts);
        const auto components = pp::label_components(bat, 26);
        const double t_bat = clock.lap();

        // 4. Automatic annotation (stands in for nnU-Net): EANM 41 % isocontour of the PET around the
        //    hottest voxel of the manual annotation (synth/automatic_mask.hpp).
        const auto automatic = pp::crop_or_pad_center(rg::synth::automatic_tumour_mask(p), nx, ny, std::uint8_t{0});
        const double t_delineate = clock.lap();

        // 5. Radiomics with PyRadiomics names: CT binWidth 25 HU, PET binWidth 0.25 SUV.
        rg::features::extractor_settings ct_settings;
        if (feature_set == "paper") {
            ct_settings.image_types = rg::features::paper_image_types();
        }
        ct_settings.setting.bin_width = 25.0;
        rg::features::extractor_settings pet_settings = ct_settings;
        pet_settings.setting.bin_width = 0.25;
        const auto tumour_ct = rg::features::extract(ct, manual, ct_settings);
        const auto tumour_pet = rg::features::extract(suv, manual, pet_settings);
        const double t_features = clock.lap();

        if (!out_dir.empty()) {
            std::filesystem::create_directories(out_dir);
            rg::io::write_nifti(ct, out_dir + "/ct.nii.gz");
            rg::io::write_nifti(suv, out_dir + "/suv_on_ct.nii.gz");
            rg::io::write_nifti(manual, out_dir + "/tumour_manual.nii.gz");
            rg::io::write_nifti(automatic, out_dir + "/tumour_automatic.nii.gz");
            rg::io::write_nifti(bat, out_dir + "/bat.nii.gz");
        }
        const double t_write = clock.lap();

        const auto& c = p.clinical;
        const double voxel_ml = ct.geometry().voxel_volume() / 1000.0;
        std::printf("radiogenomics %s — synthetic patient %zu (seed %llu, %s scale)\n", rg::version_string, patient,
                    static_cast<unsigned long long>(seed), scale.c_str());
        std::printf("  clinical: %s, FIGO %s, grade %s, lymph nodes %s, TP53 %s\n",
                    rg::synth::cancer_type_name(c.type), rg::synth::figo_stage_name(c.stage),
                    rg::synth::tumour_grade_name(c.grade), c.lymph_node_positive ? "positive" : "negative",
                    c.tp53_positive ? "mutated" : "wild-type");
        std::printf("  CT %zux%zux%zu (cropped/padded to %zux%zu), PET %zux%zux%zu resampled (B-spline) onto CT, "
                    "SUVbw factor %.3e\n",
                    p.ct.shape()[0], p.ct.shape()[1], p.ct.shape()[2], ct.shape()[0], ct.shape()[1], p.pet.shape()[0], p.pet.shape()[1], p.pet.shape()[2],
                    pp::suv_bw_factor(metadata));
        std::printf("  BAT: %zu voxels (%.1f mL) in %zu components\n", rg::count_label(bat),
                    static_cast<double>(rg::count_label(bat)) * voxel_ml, components.count);
        std::printf("  tumour: manual %.1f mL, automatic (PET 41 %% isocontour) %.1f mL, Dice %.3f\n",
                    static_cast<double>(rg::count_label(manual)) * voxel_ml,
                    static_cast<double>(rg::count_label(automatic)) * voxel_ml, pp::dice_coefficient(manual, automatic));
        std::printf("  radiomics: %zu CT + %zu PET tumour features, e.g. original_firstorder_Mean CT %.2f HU, "
                    "PET %.3f SUV; original_glcm_Contrast PET %.4f\n",
                    tumour_ct.size(), tumour_pet.size(), feature(tumour_ct, "original_firstorder_Mean"),
                    feature(tumour_pet, "original_firstorder_Mean"), feature(tumour_pet, "original_glcm_Contrast"));
        std::printf("  time (s): generate %.2f, SUV+resample %.2f, crop %.2f, BAT %.2f, delineate %.2f, "
                    "features %.2f, write %.2f\n",
                    t_generate, t_resample, t_crop, t_bat, t_delineate, t_features, t_write);
        if (!out_dir.empty()) {
            std::printf("  wrote NIfTI volumes to %s\n", out_dir.c_str());
        }
    } catch (const std::exception& e) {
        return rg_cli::report_error("pet_ct_demo", e);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return rg_cli::guarded_main("pet_ct_demo", argc, argv, run); }
