#pragma once
/// \file case_runner.hpp
/// \brief One PyRadiomics "case" (image + mask + parameters) -> diagnostics and features, the way
/// PyRadiomics' `RadiomicsFeatureExtractor.execute` runs it.
///
/// Steps (PyRadiomics `featureextractor.py` / `imageoperations.py`):
/// 1. load the image in its on-disk pixel type (as SimpleITK does; the type matters for fixed bin count and
///    LBP3D) and the mask as integers;
/// 2. `checkMask`: the grids must agree within `geometryTolerance` (ITK's rule: origin and spacing within
///    tolerance x spacing[0], direction within tolerance; default 1e-6). Otherwise `correctMask` resamples the
///    mask onto the image grid (nearest neighbour) if the ROI lies inside the image, else the case fails;
///    the label must be present (an empty mask fails with its own message);
/// 3. `resegmentRange` in `resegmentMode` absolute / relative / sigma on the original (normalised) image;
///    the re-segmented mask serves every image type, shape keeps the label mask (`resegmentShape` false);
/// 4. features via `features::extract` (shape first, then every image type in file order).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "image_input.hpp"
#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/crop.hpp"
#include "radiogenomics/preprocess/normalize.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "pyradiomics_params.hpp"
#include "sha1.hpp"

namespace radiogenomics::pyradiomics {

/// One case: image and mask paths and an optional label overriding `setting.label`; `segment` names a
/// segment of a Slicer `.seg.nrrd` mask (its label value then overrides `setting.label`); `pet` says what a
/// DICOM PET image becomes (SUVbw from its tags by default).
struct case_input {
    std::string image;
    std::string mask;
    std::optional<int> label;
    std::string segment;
    pet_input_options pet;
};

/// The result of one case: `diagnostics_*` (name, text) in PyRadiomics' order, then the features.
struct case_output {
    std::vector<std::pair<std::string, std::string>> diagnostics;
    features::feature_list features;
};

/// Python's `repr` of a float (what PyRadiomics' CSV holds); see `filters::python_float_repr`.
inline std::string python_repr(double value)
{
    return filters::python_float_repr(value);
}

namespace detail {

/// Prints one extractor warning (shape2D skipped, NaN image type) to stderr as one write.
inline void print_warning(const std::string& message)
{
    std::cerr << ("radiomics_extract: warning: " + message + "\n") << std::flush;
}

/// "(a, b, c)" as Python prints a tuple.
template <class T>
std::string python_tuple(const std::vector<T>& values)
{
    std::string out = "(";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        if constexpr (std::is_floating_point_v<T>) {
            out += python_repr(values[i]);
        } else {
            out += std::to_string(values[i]);
        }
    }
    return out + ")";
}

inline bool has_suffix(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// ITK's `VerifyInputInformation` rule (SimpleITK coordinate and direction tolerance, PyRadiomics
/// `geometryTolerance`): same size, origin and spacing within tolerance x spacing[0], direction within tolerance.
inline bool same_physical_space(const image_geometry<3>& a, const image_geometry<3>& b, double tolerance)
{
    if (a.shape() != b.shape()) {
        return false;
    }
    const double coordinate = std::fabs(tolerance * a.spacing()[0]);
    for (std::size_t r = 0; r < 3; ++r) {
        if (std::fabs(a.origin()[r] - b.origin()[r]) > coordinate ||
            std::fabs(a.spacing()[r] - b.spacing()[r]) > coordinate) {
            return false;
        }
        for (std::size_t c = 0; c < 3; ++c) {
            if (std::fabs(a.direction()[r][c] - b.direction()[r][c]) > tolerance) {
                return false;
            }
        }
    }
    return true;
}

struct mask_summary {
    std::size_t count = 0;
    std::array<std::size_t, 3> lower{};
    std::array<std::size_t, 3> upper{};
    std::array<double, 3> index_sum{};
    std::vector<std::int32_t> labels_present;  ///< sorted non-zero labels
};

inline mask_summary summarise_mask(const label_image<3>& mask, int label)
{
    mask_summary s;
    s.lower = {std::numeric_limits<std::size_t>::max(), std::numeric_limits<std::size_t>::max(),
               std::numeric_limits<std::size_t>::max()};
    const auto& shape = mask.shape();
    std::vector<std::int32_t> seen;
    for (std::size_t k = 0; k < shape[2]; ++k) {
        for (std::size_t j = 0; j < shape[1]; ++j) {
            for (std::size_t i = 0; i < shape[0]; ++i) {
                const std::int32_t v = mask(i, j, k);
                if (v == 0) {
                    continue;
                }
                if (seen.empty() || seen.back() != v) {
                    if (std::find(seen.begin(), seen.end(), v) == seen.end()) {
                        seen.push_back(v);
                    }
                }
                if (v != label) {
                    continue;
                }
                ++s.count;
                const std::array<std::size_t, 3> p{i, j, k};
                for (std::size_t d = 0; d < 3; ++d) {
                    s.lower[d] = std::min(s.lower[d], p[d]);
                    s.upper[d] = std::max(s.upper[d], p[d]);
                    s.index_sum[d] += static_cast<double>(p[d]);
                }
            }
        }
    }
    std::sort(seen.begin(), seen.end());
    s.labels_present = seen;
    return s;
}

/// PyRadiomics `_correctMask`: the ROI's physical bounding box must lie inside the image; then the mask is
/// resampled onto the image grid with nearest neighbour.
inline label_image<3> correct_mask(const image_geometry<3>& image_grid, const label_image<3>& mask,
                                   const mask_summary& roi)
{
    for (int corner = 0; corner < 8; ++corner) {
        std::array<double, 3> index{};
        for (std::size_t d = 0; d < 3; ++d) {
            index[d] = static_cast<double>((corner >> d) & 1 ? roi.upper[d] : roi.lower[d]);
        }
        const auto physical = mask.geometry().index_to_physical(index);
        const auto in_image = image_grid.physical_to_index(physical);
        for (std::size_t d = 0; d < 3; ++d) {
            if (in_image[d] < -0.5 || in_image[d] > static_cast<double>(image_grid.shape()[d]) - 0.5) {
                raise<geometry_error>("pyradiomics.run_case", "mask ROI: got a bounding box outside the image (",
                                      "mask grid ", mask.geometry().describe(), ", image grid ",
                                      image_grid.describe(), "), expected the ROI inside the image's physical space. "
                                      "correctMask cannot repair this mask.");
            }
        }
    }
    return preprocess::resample_mask(mask, image_grid);
}

/// PyRadiomics' effective `setting` dict (defaults + file), for `diagnostics_Configuration_Settings`.
inline nlohmann::ordered_json effective_settings(const parameter_set& p, const features::settings& s)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["minimumROIDimensions"] = s.minimum_roi_dimensions;
    j["minimumROISize"] = s.minimum_roi_size ? nlohmann::ordered_json(*s.minimum_roi_size) : nlohmann::ordered_json(nullptr);
    j["normalize"] = s.normalize;
    j["normalizeScale"] = s.normalize_scale;
    j["removeOutliers"] = nullptr;
    j["resampledPixelSpacing"] = p.resampled_spacing ? nlohmann::ordered_json(*p.resampled_spacing)
                                                     : nlohmann::ordered_json(nullptr);
    j["interpolator"] = preprocess::interpolator_name(p.interpolator);
    j["preCrop"] = false;
    j["padDistance"] = s.pad_distance;
    j["distances"] = s.distances;
    j["force2D"] = s.force_2d;
    j["force2Ddimension"] = s.force_2d_dimension;
    j["resegmentRange"] = p.resegment_values.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.resegment_values);
    j["label"] = s.label;
    j["additionalInfo"] = p.additional_info;
    if (s.bin_count) {
        j["binCount"] = *s.bin_count;
    } else {
        j["binWidth"] = s.bin_width;
    }
    for (const auto& item : p.settings_json.items()) {
        if (!j.contains(item.key())) {
            j[item.key()] = item.value();
        }
    }
    return j;
}

using add_function = std::function<void(const std::string&, const std::string&)>;

/// `diagnostics_Image-<stage>_{Spacing,Size,Mean,Minimum,Maximum}` (whole image); `dims` 2 writes the spacing and
/// size of a 2-D image (held as a one-slice volume) with its two axes, as PyRadiomics.
template <class TPixel>
void add_image_diagnostics(const add_function& add, const std::string& stage, const image<TPixel, 3>& img,
                           std::size_t dims = 3)
{
    const std::string prefix = "diagnostics_Image-" + stage + "_";
    const auto& g = img.geometry();
    add(prefix + "Spacing", python_tuple(std::vector<double>(g.spacing().begin(), g.spacing().begin() + dims)));
    add(prefix + "Size", python_tuple(std::vector<std::size_t>(g.shape().begin(), g.shape().begin() + dims)));
    double sum = 0.0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (std::size_t i = 0; i < img.size(); ++i) {
        const double v = static_cast<double>(img[i]);
        sum += v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    add(prefix + "Mean", python_repr(sum / static_cast<double>(img.size())));
    add(prefix + "Minimum", python_repr(lo));
    add(prefix + "Maximum", python_repr(hi));
}

/// `diagnostics_Mask-<stage>_*`: spacing, size, bounding box (lower x, y, z, size x, y, z), voxel count,
/// number of 26-connected pieces, centre of mass (index and LPS mm); with `img`, the ROI's mean, min, max. `dims` 2:
/// the tuples of a 2-D image (x, y only; bounding box x, y, size x, size y), as PyRadiomics writes them.
template <class TPixel = float>
void add_mask_diagnostics(const add_function& add, const std::string& stage, const label_image<3>& mask,
                          const mask_summary& roi, int label, const image<TPixel, 3>* img = nullptr,
                          std::size_t dims = 3)
{
    const std::string prefix = "diagnostics_Mask-" + stage + "_";
    const auto& g = mask.geometry();
    add(prefix + "Spacing", python_tuple(std::vector<double>(g.spacing().begin(), g.spacing().begin() + dims)));
    add(prefix + "Size", python_tuple(std::vector<std::size_t>(g.shape().begin(), g.shape().begin() + dims)));
    std::vector<std::size_t> box;
    for (std::size_t d = 0; d < dims; ++d) {
        box.push_back(roi.lower[d]);
    }
    for (std::size_t d = 0; d < dims; ++d) {
        box.push_back(roi.upper[d] - roi.lower[d] + 1);
    }
    add(prefix + "BoundingBox", python_tuple(box));
    add(prefix + "VoxelNum", std::to_string(roi.count));
    mask_image<3> binary(g, 0);
    for (std::size_t i = 0; i < mask.size(); ++i) {
        binary[i] = mask[i] == label ? 1 : 0;
    }
    const auto components = preprocess::label_components(binary, preprocess::full_connectivity<3>());
    add(prefix + "VolumeNum", std::to_string(components.count));
    std::array<double, 3> centre{};
    for (std::size_t d = 0; d < 3; ++d) {
        centre[d] = roi.index_sum[d] / static_cast<double>(roi.count);
    }
    add(prefix + "CenterOfMassIndex", python_tuple(std::vector<double>(centre.begin(), centre.begin() + dims)));
    const auto physical = g.index_to_physical(centre);
    add(prefix + "CenterOfMass", python_tuple(std::vector<double>(physical.begin(), physical.begin() + dims)));
    if (img != nullptr) {
        double sum = 0.0;
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (std::size_t i = 0; i < mask.size(); ++i) {
            if (mask[i] == label) {
                const double v = static_cast<double>((*img)[i]);
                sum += v;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        add(prefix + "Mean", python_repr(sum / static_cast<double>(roi.count)));
        add(prefix + "Minimum", python_repr(lo));
        add(prefix + "Maximum", python_repr(hi));
    }
}

/// A case's image, mask and settings as read: `settings.label` is the batch/command-line label, or the label
/// value of the segment or ROI selected by name.
template <class TPixel>
struct loaded_case {
    image<TPixel, 3> img;
    label_image<3> mask;
    features::settings settings;
};

/// Reads a case's image (as `TPixel`) and mask through the shared input dispatch (NIfTI, NRRD, DICOM).
template <class TPixel>
loaded_case<TPixel> load_case(const case_input& in, const parameter_set& params)
{
    loaded_case<TPixel> out{read_input_image<TPixel>(in.image, in.pet), {}, params.setting};
    mask_input mask_in =
        read_input_mask(in.mask, in.segment, out.img.geometry(), in.label.value_or(params.setting.label));
    out.mask = std::move(mask_in.mask);
    if (in.label) {
        out.settings.label = *in.label;
    }
    if (mask_in.label) {
        out.settings.label = *mask_in.label;  // the selected segment's label value
    }
    return out;
}

/// A 2-D image (held as a one-slice volume) through the library's 2-D path, `features::extract` on
/// `image<double, 2>`: PyRadiomics' 2-D semantics (TotalEnergy with the pixel area). The pixels go in as double,
/// which holds every value of the float types and integers up to 2^53 exactly; the 2-D filters compute in double or
/// float from them and LBP2D of a 2-D image is scikit-image's float64 (PyRadiomics does not cast it back, unlike its
/// slice loop over a volume), so no value depends on the on-disk type, and one instantiation serves every pixel type.
inline features::feature_list extract_plane(const image<double, 2>& plane, const label_image<3>& mask,
                                            const features::extractor_settings& s)
{
    return features::extract(plane, to_plane(mask), s);
}

inline void check_plane_roi(const image<double, 2>& plane, const label_image<3>& mask, const features::settings& s)
{
    static_cast<void>(features::make_roi(plane, to_plane(mask), s));
}

template <class TPixel>
std::pair<std::vector<std::pair<std::string, std::string>>, features::feature_list>
run_typed(const case_input& in, const parameter_set& params, std::size_t dimension)
{
    const bool planar = dimension == 2;
    const char* where = "pyradiomics.run_case";
    loaded_case<TPixel> loaded = load_case<TPixel>(in, params);
    const image<TPixel, 3>& img = loaded.img;
    label_image<3>& mask = loaded.mask;
    features::settings& global = loaded.settings;
    const int label = global.label;
    std::vector<std::pair<std::string, std::string>> diag;
    const bool info = params.additional_info;
    const add_function add = [&](const std::string& name, const std::string& value) {
        if (info) {
            diag.emplace_back(name, value);
        }
    };

    // Original-mask diagnostics are computed on the mask as given (PyRadiomics: before correction).
    mask_summary roi = summarise_mask(mask, label);
    if (roi.labels_present.empty()) {
        raise<mask_error>(where, "mask '", in.mask, "': got no segmented voxels (all 0), expected at least one voxel "
                          "with label ", label, ". The mask is empty.");
    }
    if (roi.count == 0) {
        std::string present;
        for (std::size_t i = 0; i < roi.labels_present.size() && i < 20; ++i) {
            present += (i ? ", " : "") + std::to_string(roi.labels_present[i]);
        }
        raise<mask_error>(where, "label ", label, ": got 0 voxels in mask '", in.mask,
                          "', expected a label present in the mask (labels present: ", present,
                          "). Use --label or setting.label.");
    }

    // Geometry (checkMask / correctMask).
    const double tolerance = params.geometry_tolerance.value_or(1e-6);
    bool corrected = false;
    bool adopt_image_grid = false;
    if (!same_physical_space(img.geometry(), mask.geometry(), tolerance)) {
        if (!params.correct_mask) {
            raise<geometry_error>(where, "image/mask geometry: got image ", img.geometry().describe(), " and mask ",
                                  mask.geometry().describe(), ", expected the same grid within geometryTolerance ",
                                  tolerance, ". Increase geometryTolerance or set correctMask: true.");
        }
        mask = correct_mask(img.geometry(), mask, roi);
        corrected = true;
    } else if (!img.geometry().same_grid(mask.geometry(), 0.0)) {
        // Within tolerance the mask keeps its own geometry until resampling, as in PyRadiomics: resampleImage builds
        // the new grid from the mask's spacing/origin and resamples the mask from them (nearest-neighbour ties fall
        // on their last bits). Without resampling it then takes the image's geometry (only the arrays matter).
        adopt_image_grid = true;
    }

    // Diagnostics (PyRadiomics `_addProvenance` / `imageoperations.checkMask`).
    add("diagnostics_Versions_radiogenomics", version_string);
    add("diagnostics_Configuration_Settings", effective_settings(params, global).dump());
    add("diagnostics_Configuration_EnabledImageTypes", params.image_types_json.dump());
    if (info) {
        add("diagnostics_Image-original_Hash", sha1_hex(img.data().data(), img.size() * sizeof(TPixel)));
        add("diagnostics_Image-original_Dimensionality", planar ? "2D" : "3D");
        add_image_diagnostics(add, "original", img, dimension);
    }
    if (corrected) {
        roi = summarise_mask(mask, label);
        if (roi.count == 0) {
            raise<mask_error>(where, "label ", label, " after correctMask: got 0 voxels, expected at least 1.");
        }
    }
    // PyRadiomics hashes the mask cast to UInt32 (imageoperations.getMask)
    if (info) {
        add("diagnostics_Mask-original_Hash", sha1_hex(mask.data().data(), mask.size() * sizeof(std::int32_t)));
        add_mask_diagnostics<TPixel>(add, "original", mask, roi, label, nullptr, dimension);
    }

    // Normalisation up front when resampling or relative/sigma re-segmentation must see normalised values
    // (PyRadiomics normalises in loadImage, before both).
    const bool resegment = !params.resegment_values.empty();
    const bool resampling = params.resampled_spacing.has_value();
    if (resampling && planar) {
        raise<invalid_argument>(where, "resampledPixelSpacing: got a value for a 2-D image ('", in.image,
                                "', dim[0] = 2), expected none: resampling a 2-D image is not supported. Resample it "
                                "first, or give the slice as a one-slice 3-D volume with force2D: true.");
    }
    std::optional<image<double, 3>> normalised;
    if (global.normalize && (resampling || (resegment && params.mode != resegment_mode::absolute))) {
        preprocess::normalize_options n;
        n.scale = global.normalize_scale;
        normalised = preprocess::normalize<double>(img, n);
    }
    // Resampling (PyRadiomics `resampleImage`): the mask's ROI box + padDistance on the new spacing, image with
    // the interpolator, mask with nearest neighbour.
    std::optional<image<TPixel, 3>> resampled;
    if (resampling) {
        preprocess::bounding_box<3> box;
        for (std::size_t d = 0; d < 3; ++d) {
            box.lower[d] = static_cast<std::ptrdiff_t>(roi.lower[d]);
            box.upper[d] = static_cast<std::ptrdiff_t>(roi.upper[d]);
        }
        const auto pad = static_cast<std::size_t>(std::max(global.pad_distance, 0));
        auto grid = preprocess::pyradiomics_resampled_grid(mask.geometry(), *params.resampled_spacing, box, pad);
        if (adopt_image_grid && grid.spacing() == mask.geometry().spacing()) {
            // spacing unchanged: PyRadiomics resamples the mask onto the image grid and crops both
            mask.set_geometry(img.geometry());
            grid = preprocess::pyradiomics_resampled_grid(mask.geometry(), *params.resampled_spacing, box, pad);
        }
        if (normalised) {
            normalised = preprocess::resample(*normalised, grid, params.interpolator);
        } else {
            resampled = preprocess::resample(img, grid, params.interpolator);
        }
        mask = preprocess::resample_mask(mask, grid);
        roi = summarise_mask(mask, label);
        if (roi.count == 0) {
            raise<mask_error>(where, "label ", label, " after resampling: got 0 voxels, expected at least 1.");
        }
        adopt_image_grid = false;  // image and mask are now both on `grid`
        if (info) {
            if (normalised) {
                add_image_diagnostics(add, "interpolated", *normalised);
                add_mask_diagnostics(add, "interpolated", mask, roi, label, &*normalised);
            } else {
                add_image_diagnostics(add, "interpolated", *resampled);
                add_mask_diagnostics(add, "interpolated", mask, roi, label, &*resampled);
            }
        }
    }
    if (adopt_image_grid) {
        mask.set_geometry(img.geometry());
    }

    const auto run = [&](const auto& image_in) {
        std::vector<image_type_entry> types = params.image_types;
        features::settings shape_settings = global;
        if (normalised) {
            shape_settings.normalize = false;
        }
        for (auto& t : types) {
            t.setting.label = label;
            t.setting.normalize = shape_settings.normalize;
        }
        const image<std::int32_t, 3>* texture_mask = &mask;
        label_image<3> resegmented;
        bool has_filtered = false;
        for (const auto& t : types) {
            has_filtered = has_filtered || t.type.type != filters::image_type::original;
        }
        if (resegment) {
            // thresholds on the (normalised) original image
            double lower = params.resegment_values[0];
            double upper = params.resegment_values.size() > 1 ? params.resegment_values[1]
                                                               : std::numeric_limits<double>::infinity();
            if (params.mode != resegment_mode::absolute) {
                double max_value = -std::numeric_limits<double>::infinity();
                double sum = 0.0;
                std::size_t n = 0;
                for (std::size_t i = 0; i < mask.size(); ++i) {
                    if (mask[i] == label) {
                        const double v = static_cast<double>(image_in[i]);
                        max_value = std::max(max_value, v);
                        sum += v;
                        ++n;
                    }
                }
                const double mean = sum / static_cast<double>(n);
                double ss = 0.0;
                for (std::size_t i = 0; i < mask.size(); ++i) {
                    if (mask[i] == label) {
                        const double v = static_cast<double>(image_in[i]) - mean;
                        ss += v * v;
                    }
                }
                const double sd = std::sqrt(ss / static_cast<double>(n));  // numpy std, ddof 0
                const auto map = [&](double x) {
                    if (std::isinf(x)) {
                        return x;
                    }
                    return params.mode == resegment_mode::relative ? x * max_value : mean + x * sd;
                };
                lower = map(lower);
                upper = map(upper);
            }
            const std::array<double, 2> range{lower, upper};
            shape_settings.resegment_range.reset();
            if (has_filtered || shape_settings.normalize) {
                // PyRadiomics re-segments once on the original image; every image type uses that mask.
                // Normalisation inside the engine would change the intensities the thresholds apply to,
                // so the mask is re-segmented here and the range kept only for Original (IBSI bin origin).
                resegmented = label_image<3>(mask.geometry(), 0);
                if (shape_settings.normalize) {
                    preprocess::normalize_options n;
                    n.scale = global.normalize_scale;
                    const auto z = preprocess::normalize<double>(image_in, n);
                    for (std::size_t i = 0; i < mask.size(); ++i) {
                        resegmented[i] = mask[i] == label && z[i] >= lower && z[i] <= upper ? label : 0;
                    }
                } else {
                    for (std::size_t i = 0; i < mask.size(); ++i) {
                        const double v = static_cast<double>(image_in[i]);
                        resegmented[i] = mask[i] == label && v >= lower && v <= upper ? label : 0;
                    }
                }
                texture_mask = &resegmented;
                for (auto& t : types) {
                    if (t.type.type == filters::image_type::original && !shape_settings.normalize) {
                        t.setting.resegment_range = range;
                    } else {
                        t.setting.resegment_range.reset();
                    }
                }
            } else {
                for (auto& t : types) {
                    t.setting.resegment_range = range;
                }
            }
        }
        // Shape (label mask, global settings), then runs of image types sharing their settings.
        features::feature_list out;
        std::vector<features::class_selection> shape_classes;
        std::vector<features::class_selection> texture_classes;
        for (const auto& c : params.classes) {
            (features::is_shape_class(c.which) ? shape_classes : texture_classes).push_back(c);
        }
        // A 2-D image: its pixels once as the double plane of the 2-D path; `shape` is a 3-D class (PyRadiomics
        // warns and skips it for 2-D input), `shape2D` needs no force2D.
        std::optional<image<double, 2>> plane;
        if (planar) {
            plane = cast_image<double>(to_plane(image_in));
            const auto shape_3d = std::find_if(shape_classes.begin(), shape_classes.end(), [](const auto& c) {
                return c.which == features::feature_class::shape;
            });
            if (shape_3d != shape_classes.end()) {
                shape_classes.erase(shape_3d);
                detail::print_warning("shape: skipped, the image is 2-D (dim[0] = 2); use featureClass shape2D "
                                      "(as PyRadiomics).");
            }
        }
        const auto extract_part = [&](const label_image<3>& part_mask, const features::extractor_settings& s) {
            return planar ? extract_plane(*plane, part_mask, s) : features::extract(image_in, part_mask, s);
        };
        if (!shape_classes.empty()) {
            features::extractor_settings s;
            s.setting = shape_settings;
            s.image_types.clear();
            s.classes = shape_classes;
            s.on_warning = detail::print_warning;
            const auto part = extract_part(mask, s);
            out.insert(out.end(), part.begin(), part.end());
        } else if (planar) {
            check_plane_roi(*plane, mask, shape_settings);  // PyRadiomics checks the mask even without shape
        } else {
            // PyRadiomics checks the mask even without shape features
            features::make_roi(image_in, mask, shape_settings);
        }
        if (texture_classes.empty()) {
            return out;
        }
        std::size_t begin = 0;
        while (begin < types.size()) {
            std::size_t end = begin + 1;
            while (end < types.size() && detail::same_settings(types[end].setting, types[begin].setting)) {
                ++end;
            }
            features::extractor_settings s;
            s.setting = types[begin].setting;
            s.image_types.clear();
            for (std::size_t t = begin; t < end; ++t) {
                s.image_types.push_back(types[t].type);
            }
            s.classes = texture_classes;
            s.on_warning = detail::print_warning;
            const auto part = extract_part(*texture_mask, s);
            out.insert(out.end(), part.begin(), part.end());
            begin = end;
        }
        return out;
    };
    features::feature_list values = normalised ? run(*normalised) : resampled ? run(*resampled) : run(img);
    return {std::move(diag), std::move(values)};
}

}  // namespace detail

/// Runs one case. Throws `io_error` (missing / unreadable file), `geometry_error` (grids differ beyond the
/// tolerance, or correctMask impossible), `mask_error` (empty mask, absent label, ROI too small) and
/// `invalid_argument` (too many bins, NaN in the ROI, ...), each with a one-line message.
inline case_output run_case(const case_input& in, const parameter_set& params)
{
    const input_header header = read_input_header(in.image, "image", in.pet);
    auto r = with_input_pixel_type(header, in.image, [&](auto pixel) {
        return detail::run_typed<decltype(pixel)>(in, params, header.dimension);
    });
    case_output out;
    out.diagnostics = std::move(r.first);
    out.features = std::move(r.second);
    return out;
}

}  // namespace radiogenomics::pyradiomics
