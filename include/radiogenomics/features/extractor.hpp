#pragma once
/// \file extractor.hpp
/// \brief Feature extractor: settings + image types + feature classes -> ordered (name, value) list
/// with PyRadiomics names (`original_glcm_Contrast`, `wavelet-LLH_firstorder_Mean`, ...).
///
/// Order follows PyRadiomics' `RadiomicsFeatureExtractor.execute`: shape (on the original image, label
/// mask, never re-segmented) first, then for each image type in the given order the classes firstorder,
/// glcm, glrlm, glszm, gldm, ngtdm, each with its features in PyRadiomics' order. The feature classes of
/// one image are computed in parallel (OpenMP) into per-class slots, so the result does not depend on the
/// thread count.

#include <array>
#include <cstddef>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/gldm.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glszm.hpp"
#include "radiogenomics/features/ngtdm.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/features/shape.hpp"
#include "radiogenomics/filters/exponential.hpp"
#include "radiogenomics/filters/gradient_magnitude.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_3d.hpp"
#include "radiogenomics/filters/logarithm.hpp"
#include "radiogenomics/filters/margin.hpp"
#include "radiogenomics/filters/square.hpp"
#include "radiogenomics/filters/square_root.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"
#include "radiogenomics/preprocess/normalize.hpp"

namespace radiogenomics::features {

/// Which classes run, and optionally which features of a class (PyRadiomics `featureClass`).
struct class_selection {
    feature_class which = feature_class::first_order;
    /// Feature names to compute; empty = the class's default features.
    std::vector<std::string> names;
};

/// One named feature value.
struct named_value {
    std::string name;
    double value;
};

using feature_list = std::vector<named_value>;

/// The PyRadiomics default: all seven classes with their default features.
inline std::vector<class_selection> all_classes()
{
    return {{feature_class::first_order, {}}, {feature_class::shape, {}}, {feature_class::glcm, {}},
            {feature_class::glrlm, {}},       {feature_class::glszm, {}}, {feature_class::gldm, {}},
            {feature_class::ngtdm, {}}};
}

namespace detail {

/// Rethrows the first stored exception (index order), after a parallel loop.
inline void rethrow_first(const std::vector<std::exception_ptr>& errors)
{
    for (const auto& e : errors) {
        if (e) {
            std::rethrow_exception(e);
        }
    }
}

template <std::size_t N, std::size_t M>
void append_class(feature_list& out, const std::string& prefix, const std::array<feature_info, N>& table,
                  const std::array<double, M>& values, const std::vector<std::string>& names)
{
    static_assert(N == M, "feature table and values must match");
    if (names.empty()) {
        for (std::size_t r = 0; r < N; ++r) {
            if (table[r].default_enabled) {
                out.push_back({prefix + std::string(table[r].name), values[r]});
            }
        }
        return;
    }
    // Requested names, in PyRadiomics order (table order).
    for (std::size_t r = 0; r < N; ++r) {
        for (const auto& n : names) {
            if (n == table[r].name) {
                out.push_back({prefix + n, values[r]});
                break;
            }
        }
    }
    for (const auto& n : names) {
        bool found = false;
        for (std::size_t r = 0; r < N; ++r) {
            found = found || n == table[r].name;
        }
        if (!found) {
            raise<invalid_argument>("features.extract", "feature name '", n, "' for ", prefix,
                                    ": got an unknown name, expected a PyRadiomics feature of that class.");
        }
    }
}

/// Texture / first-order classes of one image (not shape) into `out`.
inline feature_list texture_classes(const roi_data& roi, const std::string& image_type,
                                    const std::vector<class_selection>& classes, const settings& options)
{
    std::vector<feature_list> parts(classes.size());
    const auto n = static_cast<long>(classes.size());
    std::vector<std::exception_ptr> errors(classes.size());
    RG_PARALLEL_FOR_DYNAMIC
    for (long c = 0; c < n; ++c) {
      try {
        const auto& sel = classes[static_cast<std::size_t>(c)];
        feature_list& part = parts[static_cast<std::size_t>(c)];
        const std::string prefix = image_type + "_" +
                                   std::string(feature_class_names[static_cast<std::size_t>(sel.which)]) + "_";
        switch (sel.which) {
        case feature_class::first_order:
            append_class(part, prefix, first_order_table, first_order_features(roi, options), sel.names);
            break;
        case feature_class::glcm:
            append_class(part, prefix, glcm_table, glcm_features(glcm_matrix(roi.grid, options)), sel.names);
            break;
        case feature_class::glrlm:
            append_class(part, prefix, glrlm_table, glrlm_features(glrlm_matrix(roi.grid, options)), sel.names);
            break;
        case feature_class::glszm:
            append_class(part, prefix, glszm_table, glszm_features(glszm_matrix(roi.grid, options)), sel.names);
            break;
        case feature_class::gldm:
            append_class(part, prefix, gldm_table, gldm_features(gldm_matrix(roi.grid, options)), sel.names);
            break;
        case feature_class::ngtdm:
            append_class(part, prefix, ngtdm_table, ngtdm_features(ngtdm_matrix(roi.grid, options)), sel.names);
            break;
        default:
            break;
        }
      } catch (...) {
        errors[static_cast<std::size_t>(c)] = std::current_exception();
      }
    }
    rethrow_first(errors);
    feature_list out;
    for (auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

}  // namespace detail

/// Extracts features of the original image (image type `original`).
template <class TPixel, class TMask>
feature_list extract_original(const image<TPixel, 3>& img, const image<TMask, 3>& mask, const settings& options,
                              const std::vector<class_selection>& classes = all_classes())
{
    const roi_data roi = make_roi(img, mask, options);
    feature_list out;
    std::vector<class_selection> texture;
    for (const auto& sel : classes) {
        if (sel.which == feature_class::shape) {
            detail::append_class(out, "original_shape_", shape_table, shape_features(roi, options), sel.names);
        } else {
            texture.push_back(sel);
        }
    }
    const feature_list rest = detail::texture_classes(roi, "original", texture, options);
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

/// Extracts the non-shape classes of an already filtered image named `image_type` (e.g. "wavelet-LLH"),
/// on the same grid as `mask`.
template <class TPixel, class TMask>
feature_list extract_image_type(const image<TPixel, 3>& filtered, const image<TMask, 3>& mask,
                                const std::string& image_type, const settings& options,
                                const std::vector<class_selection>& classes = all_classes())
{
    const roi_data roi = make_roi(filtered, mask, options);
    std::vector<class_selection> texture;
    for (const auto& sel : classes) {
        if (sel.which != feature_class::shape) {
            texture.push_back(sel);
        }
    }
    return detail::texture_classes(roi, image_type, texture, options);
}

/// One enabled image type (PyRadiomics `imageType` entry with its custom arguments).
struct image_type_settings {
    filters::image_type type = filters::image_type::original;
    std::vector<double> sigma{};                 ///< LoG `sigma` (mm), one image per value
    filters::wavelet_options wavelet{};          ///< Wavelet `wavelet`, `level`, `start_level`
    filters::lbp3d_options lbp{};                ///< LBP3D `lbp3DLevels`, `lbp3DIcosphereRadius`, ...
    bool gradient_use_spacing = true;            ///< Gradient `gradientUseSpacing`
};

/// Everything the extractor needs: settings, image types (in output order) and feature classes.
struct extractor_settings {
    settings setting{};
    std::vector<image_type_settings> image_types{image_type_settings{}};
    std::vector<class_selection> classes = all_classes();
    /// Filter only the mask's bounding box plus the margin each filter needs (values unchanged; see
    /// filters/margin.hpp). false filters the whole image like PyRadiomics.
    bool crop_filters = true;
};

/// The study's 19 image types (Original, Square, SquareRoot, Logarithm, Exponential, Gradient, LBP3D,
/// Wavelet, LoG sigma 1 and 3 mm) with PyRadiomics' default options.
inline std::vector<image_type_settings> paper_image_types()
{
    using filters::image_type;
    std::vector<image_type_settings> out;
    for (image_type t : {image_type::original, image_type::square, image_type::square_root, image_type::logarithm,
                         image_type::exponential, image_type::gradient, image_type::lbp3d, image_type::wavelet}) {
        image_type_settings s;
        s.type = t;
        out.push_back(s);
    }
    image_type_settings log;
    log.type = image_type::log;
    log.sigma = {1.0, 3.0};
    out.push_back(log);
    return out;
}

namespace detail {

/// Features of one image type (all its output images) on `img` (already normalised when asked).
template <class TPixel, class TMask>
feature_list image_type_features(const image<TPixel, 3>& img, const image<TMask, 3>& mask,
                                 const roi_data& original_roi, const image_type_settings& type,
                                 const extractor_settings& options, double whole_max_abs)
{
    using filters::image_type;
    const settings& s = options.setting;
    std::vector<class_selection> texture;
    for (const auto& sel : options.classes) {
        if (sel.which != feature_class::shape) {
            texture.push_back(sel);
        }
    }
    if (type.type == image_type::original) {
        return texture_classes(original_roi, "original", texture, s);
    }
    // Crop: label bounding box + the filter's margin (or the whole image).
    filters::filter_margin_parameters parameters;
    parameters.wavelet = type.wavelet;
    parameters.lbp = type.lbp;
    filters::filter_margin margin;
    if (type.type == image_type::log) {
        for (double sigma : type.sigma) {
            parameters.log_sigma_mm = sigma;
            const auto m = filters::required_margin(type.type, original_roi.spacing, parameters);
            for (std::size_t d = 0; d < 3; ++d) {
                margin.voxels[d] = std::max(margin.voxels[d], m.voxels[d]);
            }
        }
    } else {
        margin = filters::required_margin(type.type, original_roi.spacing, parameters);
    }
    filters::crop_box box;
    for (std::size_t d = 0; d < 3; ++d) {
        box.start[d] = static_cast<std::ptrdiff_t>(original_roi.shape_box.lower[d]);
        box.size[d] = original_roi.shape_box.extent(d);
    }
    if (options.crop_filters) {
        box = filters::expand_crop(box, margin, img.shape());
    } else {
        box.start = {0, 0, 0};
        box.size = img.shape();
    }
    const image<TPixel, 3> crop = img.region(box.start, box.size);
    const image<TMask, 3> mask_crop = mask.region(box.start, box.size);
    feature_list out;
    const auto add = [&](const auto& filtered, const std::string& name) {
        roi_data roi = make_roi(filtered, mask_crop, s);
        set_crop_extent(roi, box.start, img.shape(), s.pad_distance);
        const feature_list part = texture_classes(roi, name, texture, s);
        out.insert(out.end(), part.begin(), part.end());
    };
    switch (type.type) {
    case image_type::square: add(filters::square<double>(crop, whole_max_abs), "square"); break;
    case image_type::square_root: add(filters::square_root<double>(crop, whole_max_abs), "squareroot"); break;
    case image_type::logarithm: add(filters::logarithm<double>(crop, whole_max_abs), "logarithm"); break;
    case image_type::exponential: add(filters::exponential<double>(crop, whole_max_abs), "exponential"); break;
    case image_type::gradient:
        add(filters::gradient_magnitude<float>(crop, type.gradient_use_spacing), "gradient");
        break;
    case image_type::lbp3d: {
        auto lbp_options = type.lbp;
        lbp_options.label = static_cast<std::uint8_t>(s.label);
        const auto result = filters::local_binary_pattern_3d(crop, cast_image<std::uint8_t>(mask_crop), lbp_options);
        for (std::size_t l = 0; l < result.levels.size(); ++l) {
            add(result.levels[l], filters::lbp3d_image_type_name(l + 1));
        }
        add(result.kurtosis, filters::lbp3d_image_type_name(0));
        break;
    }
    case image_type::wavelet: {
        const auto bands = filters::wavelet_undecimated(crop, type.wavelet);
        for (const auto& band : bands) {
            add(band.response, filters::wavelet_image_type_name(band.name, band.level));
        }
        break;
    }
    case image_type::log:
        for (double sigma : type.sigma) {
            if (!filters::pyradiomics_log_applicable(img.geometry(), sigma)) {
                continue;  // PyRadiomics skips (with a warning) a sigma its filter cannot apply
            }
            add(filters::laplacian_of_gaussian<float>(crop, sigma), filters::log_image_type_name(sigma));
        }
        break;
    default: break;
    }
    return out;
}

template <class TPixel, class TMask>
feature_list extract_normalised(const image<TPixel, 3>& img, const image<TMask, 3>& mask,
                                const extractor_settings& options)
{
    const roi_data roi = make_roi(img, mask, options.setting);
    feature_list out;
    for (const auto& sel : options.classes) {
        if (sel.which == feature_class::shape) {
            append_class(out, "original_shape_", shape_table, shape_features(roi, options.setting), sel.names);
        }
    }
    bool needs_max_abs = false;
    for (const auto& t : options.image_types) {
        needs_max_abs = needs_max_abs || filters::required_margin(t.type, roi.spacing).needs_whole_image_max_abs;
    }
    const double whole_max_abs = needs_max_abs ? filters::max_abs(img) : 0.0;
    std::vector<feature_list> parts(options.image_types.size());
    const auto n = static_cast<long>(options.image_types.size());
    std::vector<std::exception_ptr> errors(parts.size());
    RG_PARALLEL_FOR_DYNAMIC
    for (long t = 0; t < n; ++t) {
        try {
            parts[static_cast<std::size_t>(t)] = image_type_features(
                img, mask, roi, options.image_types[static_cast<std::size_t>(t)], options, whole_max_abs);
        } catch (...) {
            errors[static_cast<std::size_t>(t)] = std::current_exception();
        }
    }
    rethrow_first(errors);
    for (auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

}  // namespace detail

/// Extracts every enabled feature of every enabled image type, in PyRadiomics' order and names.
///
/// Throws what `make_roi` throws (empty mask, geometry mismatch, NaN in the ROI, too many bins) and what
/// the filters throw. An exception inside a parallel task is rethrown after the loop.
template <class TPixel, class TMask>
feature_list extract(const image<TPixel, 3>& img, const image<TMask, 3>& mask, const extractor_settings& options)
{
    if (options.setting.normalize) {
        preprocess::normalize_options n;
        n.scale = options.setting.normalize_scale;
        return detail::extract_normalised(preprocess::normalize<double>(img, n), mask, options);
    }
    return detail::extract_normalised(img, mask, options);
}

}  // namespace radiogenomics::features
