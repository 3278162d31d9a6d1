#pragma once
/// \file voxel_runner.hpp
/// \brief `radiomics_extract --mode voxel`: PyRadiomics' voxel-based extraction (`pyradiomics --mode voxel`) of
/// one case or a batch, one NIfTI map per feature, and the output table listing each feature with its map path.
///
/// Per case (PyRadiomics `featureextractor.execute(..., voxelBased=True)` + `scripts/voxel.py`):
/// 1. the image in the pixel type SimpleITK reads (`with_input_pixel_type`, the loader of segment mode: LBP3D samples
///    rounded and clipped to it as PyRadiomics') and the mask; `checkMask`'s geometry rule and `correctMask` as in
///    segment mode (case_runner.hpp);
/// 2. `resegmentRange` (absolute mode) on the original image; normalisation before any filter;
/// 3. each image type's filter applied once to the whole image, then the maps of each filtered image
///    (`features::for_each_image_type_voxel_map`) with the file's `voxelSetting`;
/// 4. each map written as `<out-dir>/<imageType>_<class>_<Feature>.nii.gz` (batch: `<out-dir>/Case-<n>/...`)
///    through a temporary file renamed into place, on PyRadiomics' crop box (ROI bounding box + kernelRadius,
///    clipped; geometry that overlays the input) or, with `full_grid`, on the input grid (initValue outside the ROI).
/// A failed case leaves no map that looks complete: maps are written one by one atomically, and the case's
/// output row carries the error instead of paths.
///
/// Not supported in voxel mode (clear error): resampling (`resampledPixelSpacing`), `resegmentMode` relative /
/// sigma, the image type LBP2D, shape classes (PyRadiomics has no voxel-based shape; they are skipped, as PyRadiomics
/// does).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "radiogenomics/features/voxel_maps.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "batch_runner.hpp"
#include "case_runner.hpp"
#include "pyradiomics_params.hpp"

namespace radiogenomics::pyradiomics {

/// Options of `run_voxel_batch`.
struct voxel_run_options {
    std::string out_dir = ".";          ///< `--out-dir` (created if needed)
    bool full_grid = false;             ///< `--full-grid`
    bool compress = true;               ///< `.nii.gz` (false: `.nii`, faster to write)
    bool strict = false;                ///< stop at the first failing case
    bool per_case_folder = false;       ///< batch: `<out-dir>/Case-<n>/`
    /// Progress per case: (case index, voxels done, voxels total of the current image, image name).
    std::function<void(std::size_t, std::size_t, std::size_t, const std::string&)> progress{};
};

/// One finished case: (feature name, map path) in PyRadiomics' order, or the error.
struct voxel_case_result {
    std::vector<std::pair<std::string, std::string>> maps;
    std::string error;
    bool output_failed = false;  ///< the error is the output's (folder or map file not writable), not the input's
    bool ok() const { return error.empty(); }
};

/// The output folder or a map file could not be written (radiomics_extract's output exit status).
class voxel_output_error : public io_error {
public:
    using io_error::io_error;
};

namespace detail {

inline void make_out_dir(const std::string& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) {
        raise<voxel_output_error>("pyradiomics.run_voxel_case", "output folder '", dir, "': got '",
                        ec ? ec.message() : std::string("not a folder"),
                        "', expected a folder that exists or can be created. Check --out-dir.");
    }
    // writable? (a probe file, removed at once)
    const std::string probe = (std::filesystem::path(dir) / ".radiomics_extract_probe").string();
    try {
        io::write_file_atomic(probe, "");
    } catch (const std::exception&) {
        raise<voxel_output_error>("pyradiomics.run_voxel_case", "output folder '", dir,
                        "': got a folder that cannot be written, expected a writable folder. Check --out-dir.");
    }
    std::filesystem::remove(probe, ec);
}

template <class TPixel>
std::vector<std::pair<std::string, std::string>> run_voxel_typed(const case_input& in, const parameter_set& params,
                                                                 const std::string& dir, const voxel_run_options& o,
                                                                 std::size_t case_index)
{
    const char* where = "pyradiomics.run_voxel_case";
    loaded_case<TPixel> loaded = load_case<TPixel>(in, params);
    const image<TPixel, 3>& img = loaded.img;
    label_image<3>& mask = loaded.mask;
    features::settings& global = loaded.settings;
    const int label = global.label;
    mask_summary roi = summarise_mask(mask, label);
    if (roi.count == 0) {
        raise<mask_error>(where, "label ", label, ": got 0 voxels in mask '", in.mask,
                          "', expected a label present in the mask. Use --label or setting.label.");
    }
    const double tolerance = params.geometry_tolerance.value_or(1e-6);
    if (!same_physical_space(img.geometry(), mask.geometry(), tolerance)) {
        if (!params.correct_mask) {
            raise<geometry_error>(where, "image/mask geometry: got image ", img.geometry().describe(), " and mask ",
                                  mask.geometry().describe(), ", expected the same grid within geometryTolerance ",
                                  tolerance, ". Increase geometryTolerance or set correctMask: true.");
        }
        mask = correct_mask(img.geometry(), mask, roi);
    } else if (!img.geometry().same_grid(mask.geometry(), 0.0)) {
        mask.set_geometry(img.geometry());
    }
    if (params.resampled_spacing) {
        raise<invalid_argument>(where, "resampledPixelSpacing: got a value, expected none in voxel mode "
                                "(not supported). Resample the image and mask first, or use --mode segment.");
    }
    std::optional<std::array<double, 2>> range;
    if (!params.resegment_values.empty()) {
        if (params.mode != resegment_mode::absolute) {
            raise<invalid_argument>(where, "resegmentMode: got relative/sigma, expected absolute in voxel mode "
                                    "(not supported).");
        }
        range = std::array<double, 2>{params.resegment_values[0],
                                      params.resegment_values.size() > 1 ? params.resegment_values[1]
                                                                         : std::numeric_limits<double>::infinity()};
    }
    std::vector<features::class_selection> classes;
    for (const auto& c : params.classes) {
        if (!features::is_shape_class(c.which)) {
            classes.push_back(c);
        }
    }
    const std::string extension = o.compress ? ".nii.gz" : ".nii";
    std::vector<std::pair<std::string, std::string>> written;
    for (const auto& entry : params.image_types) {
        if (entry.type.type == filters::image_type::lbp2d) {
            raise<invalid_argument>(where, "imageType LBP2D: got it in voxel mode, expected Original, Square, "
                                    "SquareRoot, Logarithm, Exponential, Gradient, LBP3D, Wavelet or LoG (voxel maps "
                                    "of LBP2D are not supported). Use --mode segment, or remove LBP2D.");
        }
        features::extractor_settings s;
        s.setting = entry.setting;
        s.setting.label = label;
        s.setting.normalize = global.normalize;
        s.setting.normalize_scale = global.normalize_scale;
        if (range) {
            s.setting.resegment_range = range;
        }
        s.image_types = {entry.type};
        s.classes = classes;
        features::voxel_extraction_options vo;
        vo.voxel = params.voxel;
        vo.full_grid = o.full_grid;
        std::string current;
        vo.on_image = [&](std::size_t, std::size_t, const std::string& name) { current = name; };
        if (o.progress) {
            vo.on_progress = [&](std::size_t done, std::size_t total) { o.progress(case_index, done, total, current); };
        }
        features::for_each_image_type_voxel_map(img, mask, s, vo, [&](features::voxel_map&& m) {
            const std::string path = (std::filesystem::path(dir) / (m.name + extension)).string();
            try {
                io::write_nifti(m.values, path);  // temporary file + rename, every write checked
            } catch (const io_error& e) {
                throw voxel_output_error(e.what());
            }
            written.emplace_back(m.name, path);
        });
    }
    return written;
}

}  // namespace detail

/// Runs one case in voxel mode into `dir`; throws on failure (see the file comment).
inline std::vector<std::pair<std::string, std::string>> run_voxel_case(const case_input& in,
                                                                       const parameter_set& params,
                                                                       const std::string& dir,
                                                                       const voxel_run_options& o,
                                                                       std::size_t case_index = 0)
{
    const input_header header = read_input_header(in.image, "image", in.pet);
    detail::make_out_dir(dir);
    // the image in the pixel type SimpleITK reads (segment mode's loader): LBP3D samples rounded and clipped to it
    return with_input_pixel_type(header, in.image, [&](auto pixel) {
        return detail::run_voxel_typed<decltype(pixel)>(in, params, dir, o, case_index);
    });
}

/// Runs every case (one after another; each case is parallel inside). A failing case gets its message; with
/// `strict` the run stops there.
inline std::vector<voxel_case_result> run_voxel_batch(const std::vector<case_input>& cases,
                                                      const parameter_set& params, const voxel_run_options& o)
{
    std::vector<voxel_case_result> out(cases.size());
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string dir = o.per_case_folder
                                    ? (std::filesystem::path(o.out_dir) / ("Case-" + std::to_string(i + 1))).string()
                                    : o.out_dir;
        try {
            out[i].maps = run_voxel_case(cases[i], params, dir, o, i);
        } catch (const std::exception& e) {
            out[i].error = one_line(e.what());
            out[i].output_failed = dynamic_cast<const voxel_output_error*>(&e) != nullptr;
            if (o.strict) {
                out.resize(i + 1);
                break;
            }
        }
    }
    return out;
}

/// The output table: the input columns, `error`, then one column per feature holding its map's path (as
/// PyRadiomics' voxel-mode CSV); JSON writes the paths as strings.
inline output_table voxel_table(const std::vector<std::string>& input_columns,
                                const std::vector<std::vector<std::string>>& input_rows,
                                const std::vector<voxel_case_result>& results)
{
    output_table t;
    t.header = input_columns;
    t.header.push_back("error");
    std::vector<std::string> names;
    for (const auto& r : results) {
        for (const auto& m : r.maps) {
            if (std::find(names.begin(), names.end(), m.first) == names.end()) {
                names.push_back(m.first);
            }
        }
    }
    t.header.insert(t.header.end(), names.begin(), names.end());
    t.first_feature_column = t.header.size();  // every cell is text
    for (std::size_t c = 0; c < results.size(); ++c) {
        std::vector<std::string> row = input_rows[c];
        row.push_back(results[c].error);
        std::vector<std::string> paths(names.size());
        for (const auto& m : results[c].maps) {
            paths[static_cast<std::size_t>(std::find(names.begin(), names.end(), m.first) - names.begin())] = m.second;
        }
        row.insert(row.end(), paths.begin(), paths.end());
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace radiogenomics::pyradiomics
