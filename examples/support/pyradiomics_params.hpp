#pragma once
/// \file pyradiomics_params.hpp
/// \brief PyRadiomics parameter files (YAML) -> `features::extractor_settings`, with PyRadiomics' schema checks.
///
/// Only the examples and their tests include this header: it needs yaml-cpp (Debian `libyaml-cpp-dev`) and
/// nlohmann_json, which the header-only core does not depend on.
///
/// \par Schema
/// PyRadiomics' `radiomics/schemas/paramSchema.yaml` + `schemaFuncs.py` (pykwalify): the top level holds
/// `setting`, `imageType`, `featureClass` and `voxelSetting` (kernelRadius, maskedKernel, initValue, voxelBatch;
/// used by `--mode voxel`). Every `setting` key has a type and a range; an unknown key, a value of the wrong type or out of
/// range, an unknown image type, feature class or feature name is an error naming the key
/// (`setting.binWidth`, `featureClass.glcm`). A quoted scalar ("25") is a string, as in PyYAML, so it is refused
/// where a number is expected. A null value leaves the default.
///
/// \par Image-type settings
/// As PyRadiomics (`inputKwargs = settings.copy(); inputKwargs.update(customArgs)`), an `imageType` entry may
/// hold any `setting` key; it overrides the global value for that image type's features and filter
/// (e.g. `LoG: {sigma: [1.0, 3.0], binWidth: 5}`). Keys that PyRadiomics only reads once per case (label,
/// normalisation, resampling, re-segmentation, mask checks) are accepted there and ignored, as PyRadiomics does.
///
/// \par Supported / not supported
/// Supported: minimumROIDimensions, minimumROISize, geometryTolerance, correctMask, additionalInfo, label,
/// label_channel (scalar masks only), binWidth, binCount (<= `preprocess::max_bin_count`), normalize,
/// normalizeScale, resampledPixelSpacing with interpolator sitkNearestNeighbor / sitkLinear / sitkBSpline,
/// resegmentRange with resegmentMode absolute / relative / sigma, resegmentShape false,
/// preCrop (values do not depend on it), padDistance, distances, force2D, force2Ddimension, sigma, wavelet,
/// level, start_level, gradientUseSpacing, lbp2DRadius, lbp2DSamples (1..31), lbp2DMethod, lbp3DLevels,
/// lbp3DIcosphereRadius, lbp3DIcosphereSubdivision, voxelArrayShift, symmetricalGLCM, gldm_a, and the image types
/// Original, Square, SquareRoot, Logarithm, Exponential, Gradient, LBP2D (a 2-D image, or force2D; a 3-D extraction
/// without force2D gets PyRadiomics' warning), LBP3D, Wavelet, LoG with the classes firstorder, shape, shape2D (with
/// force2D or a 2-D image), glcm, glrlm, glszm, gldm, ngtdm. Refused with "not supported": removeOutliers, the other
/// SimpleITK interpolators, weightingNorm (other than null) and resegmentShape true. One key is a
/// radiogenomics extension PyRadiomics refuses: `ibsiCompliant` (see `features::settings::ibsi_compliant`).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/voxel_maps.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"
#include "radiogenomics/preprocess/discretize.hpp"
#include "radiogenomics/preprocess/resample.hpp"

namespace radiogenomics::pyradiomics {

/// PyRadiomics `resegmentMode`: how `resegmentRange` values become intensity thresholds.
enum class resegment_mode {
    absolute,  ///< the values are intensities
    relative,  ///< fractions of the ROI maximum
    sigma      ///< mean + value * SD of the ROI (population SD)
};

/// One enabled image type with the engine settings its features use (global settings + its overrides).
struct image_type_entry {
    features::image_type_settings type;
    features::settings setting;
};

/// A parsed parameter file: engine settings plus what the command line handles around the engine.
struct parameter_set {
    features::settings setting;                 ///< global `setting` (shape and every image type without overrides)
    std::vector<image_type_entry> image_types;  ///< `imageType`, in file order
    std::vector<features::class_selection> classes;  ///< `featureClass`, in file order
    std::optional<double> geometry_tolerance;   ///< `geometryTolerance` (unset: 1e-6 relative, as ITK)
    bool correct_mask = false;                  ///< `correctMask`
    bool additional_info = true;                ///< `additionalInfo`: write `diagnostics_*` columns
    resegment_mode mode = resegment_mode::absolute;  ///< `resegmentMode`
    /// `resampledPixelSpacing` (x, y, z mm; 0 keeps an axis); unset, or `interpolator` null: no resampling.
    std::optional<std::array<double, 3>> resampled_spacing;
    /// `interpolator`: sitkNearestNeighbor, sitkLinear or sitkBSpline (PyRadiomics' default).
    preprocess::interpolator interpolator = preprocess::interpolator::bspline;
    bool interpolator_disabled = false;  ///< `interpolator: null` (PyRadiomics: no resampling)
    std::vector<double> resegment_values;       ///< `resegmentRange` as given (0, 1 or 2 values)
    nlohmann::ordered_json settings_json = nlohmann::ordered_json::object();     ///< `setting` as given
    nlohmann::ordered_json image_types_json = nlohmann::ordered_json::object();  ///< `imageType` as given
    std::string source = "<defaults>";          ///< file name, for messages
    /// `voxelSetting` (kernelRadius, maskedKernel, initValue, voxelBatch) for `--mode voxel`.
    features::voxel_settings voxel{};

    /// True when every image type uses the global settings (one engine call can do the whole case).
    bool uniform_settings() const;
    /// The engine settings for the uniform case (global settings, all image types, all classes).
    features::extractor_settings extractor() const;
};

namespace detail {

inline const char* where = "pyradiomics.parameters";

/// PyRadiomics' image types.
inline const std::vector<std::string>& known_image_types()
{
    static const std::vector<std::string> names{"Original", "Square",      "SquareRoot", "Logarithm", "Exponential",
                                                "Gradient", "LBP2D",       "LBP3D",      "Wavelet",   "LoG"};
    return names;
}

inline std::string join(const std::vector<std::string>& items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += (i ? ", " : "") + items[i];
    }
    return out;
}

/// Short description of a YAML value for messages: the scalar text, "a list", "a mapping" or "null".
inline std::string describe(const YAML::Node& node)
{
    if (!node.IsDefined() || node.IsNull()) {
        return "null";
    }
    if (node.IsSequence()) {
        return "a list";
    }
    if (node.IsMap()) {
        return "a mapping";
    }
    return node.Tag() == "!" ? "the string \"" + node.Scalar() + "\"" : "'" + node.Scalar() + "'";
}

inline std::string position(const YAML::Node& node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0) {
        return "";
    }
    return " (line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1) + ")";
}

[[noreturn]] inline void bad_value(const std::string& source, const std::string& key, const YAML::Node& node,
                                   const std::string& expected)
{
    raise<invalid_argument>(where, source, ": ", key, position(node), ": got ", describe(node), ", expected ",
                            expected, ".");
}

/// A plain (unquoted) scalar; PyYAML loads a quoted one as a string.
inline bool plain_scalar(const YAML::Node& node) { return node.IsScalar() && node.Tag() != "!"; }

inline long long to_int(const std::string& source, const std::string& key, const YAML::Node& node)
{
    long long value = 0;
    if (!plain_scalar(node) || !YAML::convert<long long>::decode(node, value)) {
        bad_value(source, key, node, "an integer");
    }
    return value;
}

inline double to_float(const std::string& source, const std::string& key, const YAML::Node& node,
                       bool allow_infinite = false)
{
    double value = 0.0;
    bool is_bool = false;
    if (!plain_scalar(node) || YAML::convert<bool>::decode(node, is_bool) ||
        !YAML::convert<double>::decode(node, value) || std::isnan(value) || (!allow_infinite && std::isinf(value))) {
        bad_value(source, key, node, allow_infinite ? "a number" : "a finite number");
    }
    return value;
}

inline bool to_bool(const std::string& source, const std::string& key, const YAML::Node& node)
{
    bool value = false;
    if (!plain_scalar(node) || !YAML::convert<bool>::decode(node, value)) {
        bad_value(source, key, node, "true or false");
    }
    return value;
}

inline std::string to_string(const std::string& source, const std::string& key, const YAML::Node& node)
{
    if (!node.IsScalar()) {
        bad_value(source, key, node, "a string");
    }
    return node.Scalar();
}

template <class TFunction>
void for_each_item(const std::string& source, const std::string& key, const YAML::Node& node, TFunction&& f)
{
    if (!node.IsSequence()) {
        bad_value(source, key, node, "a list");
    }
    std::size_t i = 0;
    for (const auto& item : node) {
        f(key + "[" + std::to_string(i) + "]", item);
        ++i;
    }
}

/// Filter arguments that may come from `setting` or from an image type's own mapping.
struct filter_arguments {
    std::vector<double> sigma;
    filters::wavelet_options wavelet;
    filters::lbp3d_options lbp;
    filters::lbp2d_options lbp2d;
    bool gradient_use_spacing = true;
};

/// Everything one settings mapping can set.
struct setting_state {
    features::settings engine;
    filter_arguments filter;
    parameter_set* global = nullptr;  ///< where case-level keys go (null inside an image type: ignored)
};

[[noreturn]] inline void not_supported(const std::string& source, const std::string& key, const YAML::Node& node,
                                       const std::string& why)
{
    raise<invalid_argument>(where, source, ": ", key, position(node), ": got ", describe(node),
                            ", which is not supported by radiomics_extract. ", why);
}

inline void require(bool ok, const std::string& source, const std::string& key, const YAML::Node& node,
                    const std::string& expected)
{
    if (!ok) {
        bad_value(source, key, node, expected);
    }
}

/// Applies one `setting` key; throws for an unknown key or a bad value.
inline void apply_setting(setting_state& state, const std::string& source, const std::string& name,
                          const YAML::Node& value, const std::string& prefix)
{
    const std::string key = prefix + name;
    features::settings& s = state.engine;
    parameter_set* g = state.global;
    const bool null = value.IsNull();
    const auto int_in = [&](long long lo, long long hi, const std::string& expected) {
        const long long v = to_int(source, key, value);
        require(v >= lo && v <= hi, source, key, value, expected);
        return v;
    };
    const auto positive_float = [&]() {
        const double v = to_float(source, key, value);
        require(v > 0.0, source, key, value, "a number > 0");
        return v;
    };
    constexpr long long big = std::numeric_limits<int>::max();
    if (name == "minimumROIDimensions") {
        if (!null) s.minimum_roi_dimensions = static_cast<int>(int_in(1, 3, "an integer in 1..3"));
    } else if (name == "minimumROISize") {
        if (null) s.minimum_roi_size.reset();
        else s.minimum_roi_size = static_cast<std::size_t>(int_in(1, big, "an integer > 0"));
    } else if (name == "geometryTolerance") {
        const std::optional<double> v = null ? std::nullopt : std::optional<double>(positive_float());
        if (g) g->geometry_tolerance = v;
    } else if (name == "correctMask") {
        const bool v = null ? false : to_bool(source, key, value);
        if (g) g->correct_mask = v;
    } else if (name == "additionalInfo") {
        const bool v = null ? true : to_bool(source, key, value);
        if (g) g->additional_info = v;
    } else if (name == "label") {
        if (!null) s.label = static_cast<int>(int_in(1, big, "an integer > 0"));
    } else if (name == "label_channel") {
        if (!null) int_in(1, big, "an integer > 0");  // only vector masks have channels
    } else if (name == "binWidth") {
        if (!null) s.bin_width = positive_float();
    } else if (name == "binCount") {
        if (null) {
            s.bin_count.reset();
        } else {
            s.bin_count = static_cast<int>(int_in(1, static_cast<long long>(preprocess::max_bin_count),
                                                  "an integer in 1.." + std::to_string(preprocess::max_bin_count) +
                                                      " (the largest bin count radiogenomics accepts)"));
        }
    } else if (name == "normalize") {
        if (!null) s.normalize = to_bool(source, key, value);
    } else if (name == "normalizeScale") {
        if (!null) s.normalize_scale = positive_float();
    } else if (name == "removeOutliers") {
        if (!null) {
            positive_float();
            not_supported(source, key, value, "Remove the key or set it to null.");
        }
    } else if (name == "resampledPixelSpacing") {
        std::optional<std::array<double, 3>> spacing;
        if (!null) {
            std::vector<double> v;
            for_each_item(source, key, value, [&](const std::string& k, const YAML::Node& item) {
                const double x = to_float(source, k, item);
                require(x >= 0.0, source, k, item, "a number >= 0 (0 keeps the axis' spacing)");
                v.push_back(x);
            });
            require(v.size() == 3, source, key, value, "a list of 3 spacings (x, y, z) in mm");
            spacing = std::array<double, 3>{v[0], v[1], v[2]};
        }
        if (g) g->resampled_spacing = spacing;
    } else if (name == "interpolator") {
        bool disable = null;
        preprocess::interpolator method = preprocess::interpolator::bspline;
        if (!null) {
            static const std::vector<std::string> names{
                "sitkNearestNeighbor",     "sitkLinear",           "sitkBSpline",
                "sitkGaussian",            "sitkLabelGaussian",    "sitkHammingWindowedSinc",
                "sitkCosineWindowedSinc",  "sitkWelchWindowedSinc", "sitkLanczosWindowedSinc",
                "sitkBlackmanWindowedSinc"};
            long long code = 0;
            if (plain_scalar(value) && YAML::convert<long long>::decode(value, code)) {
                require(code >= 1 && code <= 10, source, key, value, "an interpolator code in 1..10");
            } else {
                const std::string text = to_string(source, key, value);
                for (std::size_t n = 0; n < names.size(); ++n) {
                    code = names[n] == text ? static_cast<long long>(n) + 1 : code;
                }
                require(code > 0, source, key, value, "one of " + join(names));
            }
            // SimpleITK's enum: 1 nearest, 2 linear, 3 B-spline (order 3); 4..10 are not implemented here
            if (code > 3) {
                not_supported(source, key, value, "Use sitkNearestNeighbor, sitkLinear or sitkBSpline.");
            }
            method = code == 1 ? preprocess::interpolator::nearest
                               : code == 2 ? preprocess::interpolator::linear : preprocess::interpolator::bspline;
        }
        if (g) {
            g->interpolator = method;
            g->interpolator_disabled = disable;
        }
    } else if (name == "padDistance") {
        if (!null) s.pad_distance = static_cast<int>(int_in(0, big, "an integer >= 0"));
    } else if (name == "distances") {
        if (!null) {
            std::vector<int> d;
            for_each_item(source, key, value, [&](const std::string& k, const YAML::Node& v) {
                const long long x = to_int(source, k, v);
                require(x > 0 && x <= 1000, source, k, v, "an integer in 1..1000");
                d.push_back(static_cast<int>(x));
            });
            require(!d.empty(), source, key, value, "a non-empty list");
            s.distances = d;
        }
    } else if (name == "force2D") {
        if (!null) s.force_2d = to_bool(source, key, value);
    } else if (name == "force2Ddimension") {
        if (!null) s.force_2d_dimension = static_cast<int>(int_in(0, 2, "an integer in 0..2"));
    } else if (name == "resegmentRange") {
        std::vector<double> v;
        if (!null) {
            for_each_item(source, key, value, [&](const std::string& k, const YAML::Node& item) {
                v.push_back(to_float(source, k, item, true));
            });
            require(v.size() == 1 || v.size() == 2, source, key, value, "a list of 1 or 2 numbers");
            require(v.size() == 1 || v[0] <= v[1], source, key, value, "[lower, upper] with lower <= upper");
        }
        if (g) g->resegment_values = v;
    } else if (name == "resegmentMode") {
        if (!null) {
            const std::string text = to_string(source, key, value);
            resegment_mode mode = resegment_mode::absolute;
            if (text == "relative") mode = resegment_mode::relative;
            else if (text == "sigma") mode = resegment_mode::sigma;
            else require(text == "absolute", source, key, value, "one of absolute, relative, sigma");
            if (g) g->mode = mode;
        }
    } else if (name == "resegmentShape") {
        if (!null && to_bool(source, key, value)) {
            not_supported(source, key, value, "Shape features always use the label mask (resegmentShape: false).");
        }
    } else if (name == "preCrop") {
        if (!null) to_bool(source, key, value);  // filters run on the ROI box + margin anyway; values do not change
    } else if (name == "sigma") {
        if (!null) {
            std::vector<double> v;
            for_each_item(source, key, value, [&](const std::string& k, const YAML::Node& item) {
                const double x = to_float(source, k, item);
                require(x > 0.0, source, k, item, "a number > 0");
                v.push_back(x);
            });
            state.filter.sigma = v;
        }
    } else if (name == "start_level") {
        if (!null) state.filter.wavelet.start_level = static_cast<std::size_t>(int_in(0, 16, "an integer in 0..16"));
    } else if (name == "level") {
        if (!null) state.filter.wavelet.level = static_cast<std::size_t>(int_in(1, 16, "an integer in 1..16"));
    } else if (name == "wavelet") {
        if (!null) {
            const std::string text = to_string(source, key, value);
            const auto names = filters::wavelet_names();
            bool found = false;
            for (const auto& n : names) {
                found = found || n == text;
            }
            require(found, source, key, value, "one of " + join(names));
            state.filter.wavelet.wavelet = text;
        }
    } else if (name == "gradientUseSpacing") {
        if (!null) state.filter.gradient_use_spacing = to_bool(source, key, value);
    } else if (name == "lbp2DRadius") {
        if (!null) state.filter.lbp2d.radius = positive_float();
    } else if (name == "lbp2DSamples") {
        // PyRadiomics' schema: >= 1; the codes of `default`/`ror` are 32-bit here, so at most 31 samples
        if (!null) state.filter.lbp2d.samples = static_cast<int>(int_in(1, 31, "an integer in 1..31"));
    } else if (name == "lbp2DMethod") {
        if (!null) {
            const std::string text = to_string(source, key, value);
            require(text == "default" || text == "ror" || text == "uniform" || text == "var", source, key, value,
                    "one of default, ror, uniform, var");  // PyRadiomics' schema enum
            state.filter.lbp2d.method = filters::parse_lbp2d_method(text);
        }
    } else if (name == "lbp3DLevels") {
        if (!null) state.filter.lbp.levels = static_cast<std::size_t>(int_in(1, 64, "an integer in 1..64"));
    } else if (name == "lbp3DIcosphereRadius") {
        if (!null) state.filter.lbp.icosphere_radius = positive_float();
    } else if (name == "lbp3DIcosphereSubdivision") {
        if (!null) {
            state.filter.lbp.icosphere_subdivision = static_cast<std::size_t>(int_in(0, 6, "an integer in 0..6"));
        }
    } else if (name == "voxelArrayShift") {
        if (!null) s.voxel_array_shift = static_cast<double>(to_int(source, key, value));
    } else if (name == "symmetricalGLCM") {
        if (!null) s.symmetrical_glcm = to_bool(source, key, value);
    } else if (name == "weightingNorm") {
        if (!null) {
            const std::string text = to_string(source, key, value);
            require(text == "euclidean" || text == "manhattan" || text == "infinity" || text == "no_weighting",
                    source, key, value, "one of euclidean, manhattan, infinity, no_weighting (or null)");
            not_supported(source, key, value,
                          "Weighted angle merging is not implemented; remove the key for PyRadiomics' default.");
        }
    } else if (name == "gldm_a") {
        if (!null) s.gldm_a = static_cast<double>(int_in(0, big, "an integer >= 0"));
    } else if (name == "ibsiCompliant") {
        if (!null) s.ibsi_compliant = to_bool(source, key, value);
    } else {
        raise<invalid_argument>(where, source, ": ", key, position(value),
                                ": got an unknown setting, expected a PyRadiomics setting (binWidth, binCount, "
                                "label, resegmentRange, normalize, ...). Check the spelling and case.");
    }
}

/// YAML -> JSON (for the diagnostics echo): plain scalars as bool / integer / number when they parse.
inline nlohmann::ordered_json to_json(const YAML::Node& node)
{
    if (!node.IsDefined() || node.IsNull()) {
        return nullptr;
    }
    if (node.IsSequence()) {
        auto out = nlohmann::ordered_json::array();
        for (const auto& item : node) {
            out.push_back(to_json(item));
        }
        return out;
    }
    if (node.IsMap()) {
        auto out = nlohmann::ordered_json::object();
        for (const auto& item : node) {
            out[item.first.Scalar()] = to_json(item.second);
        }
        return out;
    }
    if (plain_scalar(node)) {
        bool b = false;
        long long i = 0;
        double d = 0.0;
        if (YAML::convert<bool>::decode(node, b)) return b;
        if (YAML::convert<long long>::decode(node, i)) return i;
        if (YAML::convert<double>::decode(node, d) && std::isfinite(d)) return d;
    }
    return node.Scalar();
}

inline bool same_settings(const features::settings& a, const features::settings& b)
{
    return a.bin_width == b.bin_width && a.bin_count == b.bin_count && a.resegment_range == b.resegment_range &&
           a.voxel_array_shift == b.voxel_array_shift && a.label == b.label &&
           a.minimum_roi_dimensions == b.minimum_roi_dimensions && a.minimum_roi_size == b.minimum_roi_size &&
           a.pad_distance == b.pad_distance && a.distances == b.distances && a.symmetrical_glcm == b.symmetrical_glcm &&
           a.gldm_a == b.gldm_a && a.force_2d == b.force_2d && a.force_2d_dimension == b.force_2d_dimension &&
           a.normalize == b.normalize && a.normalize_scale == b.normalize_scale && a.ibsi_compliant == b.ibsi_compliant;
}

/// Settings a per-image-type mapping cannot change (PyRadiomics reads them once per case).
inline void keep_case_level(features::settings& type_settings, const features::settings& global)
{
    type_settings.label = global.label;
    type_settings.normalize = global.normalize;
    type_settings.normalize_scale = global.normalize_scale;
    type_settings.minimum_roi_dimensions = global.minimum_roi_dimensions;
    type_settings.minimum_roi_size = global.minimum_roi_size;
    type_settings.resegment_range = global.resegment_range;
}

/// The feature names of a `featureClass` list, each checked against its class' rows of the library's table.
inline void check_feature_names(const std::string& source, const std::string& key, const YAML::Node& node,
                                const features::feature_class_info& table, std::vector<std::string>& names)
{
    for_each_item(source, key, node, [&](const std::string& k, const YAML::Node& item) {
        const std::string name = to_string(source, k, item);
        bool found = false;
        for (const auto& row : table) {
            found = found || row.name == name;
        }
        if (!found) {
            std::vector<std::string> all;
            for (const auto& row : table) {
                all.emplace_back(row.name);
            }
            raise<invalid_argument>(where, source, ": ", k, position(item), ": got the unknown feature name \"",
                                    name, "\", expected one of ", join(all), ".");
        }
        names.push_back(name);
    });
}

}  // namespace detail

inline bool parameter_set::uniform_settings() const
{
    for (const auto& t : image_types) {
        if (!detail::same_settings(t.setting, setting)) {
            return false;
        }
    }
    return true;
}

inline features::extractor_settings parameter_set::extractor() const
{
    features::extractor_settings out;
    out.setting = setting;
    out.image_types.clear();
    for (const auto& t : image_types) {
        out.image_types.push_back(t.type);
    }
    out.classes = classes;
    return out;
}

/// PyRadiomics' defaults with no parameter file: image type Original, binWidth 25, and every class of the
/// library's feature-class table but `shape2D` (PyRadiomics' `enableAllFeatures` skips it), in PyRadiomics' order
/// (`getFeatureClasses`: module names sorted — firstorder, glcm, gldm, glrlm, glszm, ngtdm, shape; the case runner
/// computes the shape classes first, as PyRadiomics).
inline parameter_set default_parameters()
{
    parameter_set p;
    p.image_types.push_back({features::image_type_settings{}, p.setting});
    for (const auto& info : features::feature_classes) {
        if (info.which != features::feature_class::shape_2d) {
            p.classes.push_back({info.which, {}});
        }
    }
    std::sort(p.classes.begin(), p.classes.end(), [](const auto& a, const auto& b) {
        return features::class_info(a.which).name < features::class_info(b.which).name;
    });
    p.image_types_json["Original"] = nlohmann::ordered_json::object();
    return p;
}

/// Parses PyRadiomics parameter-file text (YAML or JSON); `source` names it in messages.
/// `overrides` are PyRadiomics' command-line `--setting "NAME:VALUE"` items (VALUE in YAML, e.g.
/// `binWidth:10`, `resegmentRange:[-50, 100]`); they replace the file's `setting` values.
/// Throws `invalid_argument` with line and column for a YAML syntax error, and naming the key for a schema error.
inline parameter_set parse_parameters(const std::string& text, const std::string& source,
                                      const std::vector<std::string>& overrides = {})
{
    using detail::where;
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        raise<invalid_argument>(where, source, " line ", e.mark.line + 1, ", column ", e.mark.column + 1,
                                ": YAML syntax error: got '", e.msg, "', expected a valid YAML document.");
    }
    parameter_set p = default_parameters();
    p.source = source;
    if (!root.IsDefined() || root.IsNull()) {
        root = YAML::Node(YAML::NodeType::Map);  // empty file: PyRadiomics' defaults
    }
    if (!root.IsMap()) {
        detail::bad_value(source, "top level", root, "a mapping with setting / imageType / featureClass");
    }
    for (const auto& item : root) {
        const std::string key = item.first.Scalar();
        if (key != "setting" && key != "imageType" && key != "featureClass" && key != "voxelSetting") {
            raise<invalid_argument>(where, source, ": ", key, detail::position(item.first),
                                    ": got an unknown top-level key, expected setting, imageType or featureClass.");
        }
    }

    // voxelSetting (used by --mode voxel; PyRadiomics ignores it in segment mode)
    if (const YAML::Node node = root["voxelSetting"]; node.IsDefined() && !node.IsNull()) {
        if (!node.IsMap()) {
            detail::bad_value(source, "voxelSetting", node, "a mapping of voxel setting names to values");
        }
        for (const auto& item : node) {
            const std::string name = item.first.Scalar();
            const std::string key = "voxelSetting." + name;
            if (item.second.IsNull()) {
                continue;  // null leaves the default
            }
            if (name == "kernelRadius") {
                const long long r = detail::to_int(source, key, item.second);
                detail::require(r >= 1 && r <= 1000, source, key, item.second, "an integer >= 1");
                p.voxel.kernel_radius = static_cast<int>(r);
            } else if (name == "maskedKernel") {
                p.voxel.masked_kernel = detail::to_bool(source, key, item.second);
            } else if (name == "initValue") {
                p.voxel.init_value = detail::to_float(source, key, item.second);
            } else if (name == "voxelBatch") {
                p.voxel.voxel_batch = static_cast<long>(detail::to_int(source, key, item.second));
            } else {
                raise<invalid_argument>(where, source, ": ", key, detail::position(item.first),
                                        ": got an unknown voxel setting, expected kernelRadius, maskedKernel, "
                                        "initValue or voxelBatch.");
            }
        }
    }

    // setting
    detail::setting_state global;
    global.global = &p;
    if (const YAML::Node node = root["setting"]; node.IsDefined() && !node.IsNull()) {
        if (!node.IsMap()) {
            detail::bad_value(source, "setting", node, "a mapping of setting names to values");
        }
        for (const auto& item : node) {
            detail::apply_setting(global, source, item.first.Scalar(), item.second, "setting.");
        }
        p.settings_json = detail::to_json(node);
    }
    for (const auto& item : overrides) {
        const std::size_t colon = item.find(':');
        std::string name = colon == std::string::npos ? item : item.substr(0, colon);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (colon == std::string::npos || name.empty()) {
            raise<invalid_argument>(where, "--setting: got \"", item, "\", expected \"NAME:VALUE\" (e.g. binWidth:10).");
        }
        YAML::Node value;
        try {
            value = YAML::Load(item.substr(colon + 1));
        } catch (const YAML::ParserException& e) {
            raise<invalid_argument>(where, "--setting ", name, ": YAML syntax error at column ",
                                    colon + 2 + static_cast<std::size_t>(std::max(e.mark.column, 0)), ": got '",
                                    e.msg, "', expected a YAML value.");
        }
        // PyRadiomics' own syntax (scripts/__init__.py `_parseOverrides`): lists as "a,b,c", booleans as 1/true
        static const std::vector<std::string> list_keys{"resampledPixelSpacing", "distances", "resegmentRange", "sigma"};
        if (value.IsScalar() && std::find(list_keys.begin(), list_keys.end(), name) != list_keys.end()) {
            YAML::Node list(YAML::NodeType::Sequence);
            std::string rest = value.Scalar();
            for (std::size_t comma = rest.find(','); ; comma = rest.find(',')) {
                list.push_back(YAML::Load(rest.substr(0, comma)));
                if (comma == std::string::npos) {
                    break;
                }
                rest = rest.substr(comma + 1);
            }
            value = list;
        }
        if (value.IsScalar() && (value.Scalar() == "1" || value.Scalar() == "0")) {
            static const std::vector<std::string> bool_keys{"correctMask", "additionalInfo", "normalize", "force2D",
                                                            "resegmentShape", "preCrop", "gradientUseSpacing",
                                                            "symmetricalGLCM", "ibsiCompliant"};
            if (std::find(bool_keys.begin(), bool_keys.end(), name) != bool_keys.end()) {
                value = YAML::Load(value.Scalar() == "1" ? "true" : "false");
            }
        }
        detail::apply_setting(global, "--setting", name, value, "setting.");
        p.settings_json[name] = detail::to_json(value);
    }
    if (p.mode == resegment_mode::absolute && !p.resegment_values.empty()) {
        global.engine.resegment_range = std::array<double, 2>{
            p.resegment_values[0],
            p.resegment_values.size() > 1 ? p.resegment_values[1] : std::numeric_limits<double>::infinity()};
    }
    p.setting = global.engine;
    if (p.interpolator_disabled) {
        p.resampled_spacing.reset();
    }

    // imageType
    if (const YAML::Node node = root["imageType"]; node.IsDefined()) {
        if (!node.IsMap()) {
            detail::bad_value(source, "imageType", node, "a mapping of image types to their settings");
        }
        p.image_types.clear();
        p.image_types_json = nlohmann::ordered_json::object();
        for (const auto& item : node) {
            const std::string name = item.first.Scalar();
            const std::string key = "imageType." + name;
            bool known = false;
            for (const auto& n : detail::known_image_types()) {
                known = known || n == name;
            }
            if (!known) {
                raise<invalid_argument>(where, source, ": ", key, detail::position(item.first),
                                        ": got an unknown image type, expected one of ",
                                        detail::join(detail::known_image_types()), ".");
            }
            detail::setting_state local;
            local.engine = global.engine;
            local.filter = global.filter;
            if (!item.second.IsNull()) {
                if (!item.second.IsMap()) {
                    detail::bad_value(source, key, item.second, "a mapping of settings (or {})");
                }
                for (const auto& s : item.second) {
                    detail::apply_setting(local, source, s.first.Scalar(), s.second, key + ".");
                }
            }
            detail::keep_case_level(local.engine, global.engine);
            image_type_entry entry;
            entry.type.type = filters::parse_image_type_key(name);
            entry.type.sigma = local.filter.sigma;
            entry.type.wavelet = local.filter.wavelet;
            entry.type.lbp = local.filter.lbp;
            entry.type.lbp2d = local.filter.lbp2d;
            entry.type.gradient_use_spacing = local.filter.gradient_use_spacing;
            entry.setting = local.engine;
            p.image_types.push_back(entry);
            p.image_types_json[name] = item.second.IsNull() ? nlohmann::ordered_json::object() : detail::to_json(item.second);
        }
    } else {
        p.image_types.front().setting = p.setting;
    }

    // featureClass
    if (const YAML::Node node = root["featureClass"]; node.IsDefined()) {
        if (!node.IsMap()) {
            detail::bad_value(source, "featureClass", node, "a mapping of feature classes to null or feature lists");
        }
        p.classes.clear();
        for (const auto& item : node) {
            const std::string name = item.first.Scalar();
            const std::string key = "featureClass." + name;
            features::class_selection sel;
            sel.which = features::parse_feature_class(name);  // the library's one feature-class table
            if (sel.which == features::feature_class::count) {
                std::vector<std::string> known;
                for (const auto& info : features::feature_classes) {
                    known.emplace_back(info.name);
                }
                raise<invalid_argument>(where, source, ": ", key, detail::position(item.first),
                                        ": got an unknown feature class, expected one of ", detail::join(known), ".");
            }
            if (!item.second.IsNull()) {
                detail::check_feature_names(source, key, item.second, features::class_info(sel.which), sel.names);
            }
            for (const auto& earlier : p.classes) {
                if (earlier.which == sel.which) {
                    raise<invalid_argument>(where, source, ": ", key, detail::position(item.first),
                                            ": got the class twice, expected each class once.");
                }
            }
            p.classes.push_back(sel);
        }
    }
    return p;
}

/// Reads and parses a parameter file (with optional `--setting` overrides). Throws `io_error` when it cannot be read.
inline parameter_set read_parameter_file(const std::string& path, const std::vector<std::string>& overrides = {})
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        raise<io_error>("pyradiomics.read_parameter_file", "'", path, "': the file does not exist or cannot be opened");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_parameters(text.str(), path, overrides);
}

}  // namespace radiogenomics::pyradiomics
