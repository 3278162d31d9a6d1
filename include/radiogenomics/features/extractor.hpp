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

#include <algorithm>
#include <array>
#include <cstddef>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/class_values.hpp"
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
#include "radiogenomics/features/shape_2d.hpp"
#include "radiogenomics/filters/exponential.hpp"
#include "radiogenomics/filters/gradient_magnitude.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_2d.hpp"
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

/// The PyRadiomics default: all seven classes with their default features (`shape2D` is not enabled by
/// default, as in PyRadiomics' extractor, since it needs force2D).
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

/// Appends the selected features of one class (`info`'s rows, `values` slot r = row r) named `prefix` + name: the
/// class's default features when `names` is empty, else the requested ones in PyRadiomics' (table) order.
inline void append_class(feature_list& out, const std::string& prefix, const feature_class_info& info,
                         const std::vector<double>& values, const std::vector<std::string>& names)
{
    if (values.size() != info.size) {
        raise<invalid_argument>("features.extract", "values of class ", info.name, ": got ", values.size(),
                                ", expected ", info.size, " (one per table row).");
    }
    if (names.empty()) {
        for (std::size_t r = 0; r < info.size; ++r) {
            if (info.rows[r].default_enabled) {
                out.push_back({prefix + std::string(info.rows[r].name), values[r]});
            }
        }
        return;
    }
    // Requested names, in PyRadiomics order (table order).
    for (std::size_t r = 0; r < info.size; ++r) {
        for (const auto& n : names) {
            if (n == info.rows[r].name) {
                out.push_back({prefix + n, values[r]});
                break;
            }
        }
    }
    for (const auto& n : names) {
        bool found = false;
        for (const auto& row : info) {
            found = found || n == row.name;
        }
        if (!found) {
            raise<invalid_argument>("features.extract", "feature name '", n, "' for ", prefix,
                                    ": got an unknown name, expected a PyRadiomics feature of that class.");
        }
    }
}

/// The output prefix of a class of an image type: `<image_type>_<class name>_`.
inline std::string class_prefix(const std::string& image_type, feature_class which)
{
    return image_type + "_" + std::string(class_info(which).name) + "_";
}

/// The names of the texture / first-order classes of one image, every value NaN (an image whose ROI holds
/// NaN/Inf, see `extract`).
inline feature_list nan_classes(const std::string& image_type, const std::vector<class_selection>& classes)
{
    feature_list out;
    for (const auto& sel : classes) {
        if (is_shape_class(sel.which)) {
            continue;
        }
        const feature_class_info& info = class_info(sel.which);
        append_class(out, class_prefix(image_type, sel.which), info,
                     std::vector<double>(info.size, std::numeric_limits<double>::quiet_NaN()), sel.names);
    }
    return out;
}

/// Number of voxels of `mask` == 1 where `img` is NaN or infinite (same grid).
template <class TPixel>
std::size_t count_non_finite_in_roi(const image<TPixel, 3>& img, const image<std::uint8_t, 3>& mask)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < img.size(); ++i) {
        n += mask[i] == 1 && !std::isfinite(static_cast<double>(img[i])) ? 1 : 0;
    }
    return n;
}

/// The ROI of `roi` (after re-segmentation) as a 0/1 mask on its bounding box `roi.box` of the image grid
/// `whole`: the mask every image type uses (PyRadiomics re-segments once, on the original image).
inline image<std::uint8_t, 3> roi_mask_block(const roi_data& roi, const image_geometry<3>& whole)
{
    std::array<std::ptrdiff_t, 3> start{};
    std::array<std::size_t, 3> size{};
    for (std::size_t d = 0; d < 3; ++d) {
        start[d] = static_cast<std::ptrdiff_t>(roi.box.lower[d]);
        size[d] = roi.box.extent(d);
    }
    image<std::uint8_t, 3> block(whole.region(start, size), std::uint8_t{0});
    const texture_grid& g = roi.grid;
    for (std::size_t offset : g.roi_offsets) {
        const std::size_t i = offset % g.shape[0];
        const std::size_t rest = offset / g.shape[0];
        const std::size_t j = rest % g.shape[1];
        const std::size_t k = rest / g.shape[1];
        block(i - g.margin, j - g.margin, k - g.margin) = 1;
    }
    return block;
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
        if (!is_shape_class(sel.which)) {
            append_class(parts[static_cast<std::size_t>(c)], class_prefix(image_type, sel.which), class_info(sel.which),
                         class_values(sel.which, roi, options), sel.names);
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

namespace detail {

/// Shape classes of the original ROI, in PyRadiomics' order whatever the order of `classes`: `shape`, then
/// `shape2D` (PyRadiomics `computeShape`). `shape2D` needs force2D: without it PyRadiomics logs a warning and
/// skips the class, and so do we when `warnings` is given (else `shape_2d_features` throws). A mask thicker than
/// one slice along force2Ddimension throws `mask_error` (PyRadiomics' shape2D class raises ValueError).
///
/// The ROI of a 2-D image (`roi.dimension` 2) has one shape class, `shape2D`: a `shape` or `shape2D` selection
/// computes it once (the `shape2D` selection's names win when both are given).
inline void append_shape_classes(feature_list& out, const roi_data& roi, const settings& options,
                                 const std::vector<class_selection>& classes, std::vector<std::string>* warnings)
{
    if (roi.dimension == 2) {
        const class_selection* chosen = nullptr;
        for (const auto& sel : classes) {
            if (sel.which == feature_class::shape_2d || (sel.which == feature_class::shape && chosen == nullptr)) {
                chosen = &sel;
            }
        }
        if (chosen != nullptr) {
            append_class(out, "original_shape2D_", class_info(feature_class::shape_2d),
                         class_values(feature_class::shape_2d, roi, options), chosen->names);
        }
        return;
    }
    for (const auto& sel : classes) {
        if (sel.which == feature_class::shape) {
            append_class(out, "original_shape_", class_info(feature_class::shape),
                         class_values(feature_class::shape, roi, options), sel.names);
        }
    }
    for (const auto& sel : classes) {
        if (sel.which != feature_class::shape_2d) {
            continue;
        }
        if (!options.force_2d && warnings != nullptr) {
            warnings->push_back("[radiogenomics.features.extract] shape2D: skipped, it needs force2D: true "
                                "(as PyRadiomics).");
            continue;
        }
        append_class(out, "original_shape2D_", class_info(feature_class::shape_2d),
                     class_values(feature_class::shape_2d, roi, options), sel.names);
    }
}

}  // namespace detail

/// Extracts features of the original image (image type `original`).
///
/// 2-D or 3-D: a 2-D image gets PyRadiomics' 2-D semantics (see `make_roi` for `image<TPixel, 2>`; its shape class
/// is `shape2D`), equal to the same pixels as a one-slice volume with force2D (TotalEnergy aside: pixel area).
template <class TPixel, class TMask, std::size_t VDim>
feature_list extract_original(const image<TPixel, VDim>& img, const image<TMask, VDim>& mask, const settings& given,
                              const std::vector<class_selection>& classes = all_classes())
{
    static_assert(VDim == 2 || VDim == 3, "features::extract_original: 2-D or 3-D images");
    const settings options = VDim == 2 ? planar_settings(given) : given;
    const roi_data roi = make_roi(img, mask, options);
    feature_list out;
    detail::append_shape_classes(out, roi, options, classes, nullptr);
    std::vector<class_selection> texture;
    for (const auto& sel : classes) {
        if (!is_shape_class(sel.which)) {
            texture.push_back(sel);
        }
    }
    const feature_list rest = detail::texture_classes(roi, "original", texture, options);
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
}

/// Extracts the non-shape classes of an already filtered image named `image_type` (e.g. "wavelet-LLH"),
/// on the same grid as `mask`. 2-D or 3-D, as `extract_original`.
template <class TPixel, class TMask, std::size_t VDim>
feature_list extract_image_type(const image<TPixel, VDim>& filtered, const image<TMask, VDim>& mask,
                                const std::string& image_type, const settings& given,
                                const std::vector<class_selection>& classes = all_classes())
{
    static_assert(VDim == 2 || VDim == 3, "features::extract_image_type: 2-D or 3-D images");
    const settings options = VDim == 2 ? planar_settings(given) : given;
    const roi_data roi = make_roi(filtered, mask, options);
    std::vector<class_selection> texture;
    for (const auto& sel : classes) {
        if (!is_shape_class(sel.which)) {
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
    /// LBP2D `lbp2DRadius`, `lbp2DSamples`, `lbp2DMethod` (its `force_2d_dimension` is taken from the settings)
    filters::lbp2d_options lbp2d{};
    bool gradient_use_spacing = true;            ///< Gradient `gradientUseSpacing`
};

/// Everything the extractor needs: settings, image types (in output order) and feature classes.
struct extractor_settings {
    settings setting{};
    std::vector<image_type_settings> image_types{image_type_settings{}};
    std::vector<class_selection> classes = all_classes();
    /// Filter only the mask's bounding box plus the margin each filter needs (values unchanged; see
    /// filters/margin.hpp). false filters the whole image like PyRadiomics. LBP3D of a float64 image (e.g. every
    /// normalised image) always filters the whole image: its crop is equal only to ~1e-13, enough to flip ties.
    bool crop_filters = true;
    /// Last-bit arithmetic of `normalize` (not a PyRadiomics key): SimpleITK's (default) or that of the NumPy
    /// stand-in the shared PyRadiomics references were made with (see `preprocess::normalize_arithmetic`).
    preprocess::normalize_arithmetic normalize_arithmetic = preprocess::normalize_arithmetic::simpleitk;
    /// Optional: receives one message per skipped part, in output order: `shape2D` without force2D (skipped, as
    /// PyRadiomics), and each filtered image whose features are NaN (NaN/Inf inside its ROI, reported after the
    /// extraction). The library never prints.
    std::function<void(const std::string&)> on_warning{};
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

/// The input of a cropped filter: the re-segmented ROI box grown by the filter's margin (or the whole image),
/// the image on it, and the ROI (label 1) on the same grid.
template <class TPixel>
struct filter_input {
    filters::crop_box box;
    image<TPixel, 3> crop;
    image<std::uint8_t, 3> mask;
};

template <class TPixel>
filter_input<TPixel> make_filter_input(const image<TPixel, 3>& img, const image<std::uint8_t, 3>& roi_block,
                                       const roi_data& original_roi, const image_type_settings& type,
                                       const extractor_settings& options)
{
    filters::crop_box box;
    for (std::size_t d = 0; d < 3; ++d) {
        box.start[d] = static_cast<std::ptrdiff_t>(original_roi.box.lower[d]);
        box.size[d] = original_roi.box.extent(d);
    }
    filters::filter_margin_parameters parameters;
    parameters.wavelet = type.wavelet;
    parameters.lbp = type.lbp;
    parameters.lbp2d = type.lbp2d;
    const filters::filter_margin margin = filters::required_margin(type.type, original_roi.spacing, parameters);
    filter_input<TPixel> in;
    in.box = box;
    // LBP3D of a float64 image filters the whole image, as PyRadiomics: on a crop its B-spline prefilter differs by
    // ~1e-13, which float32/integer images round away (SciPy returns samples in the input dtype) but float64
    // samples keep, and LBP3D ties on flat regions flip on such bits (e.g. the normalised images, always float64).
    const bool whole_image_lbp = type.type == filters::image_type::lbp3d && std::is_same_v<TPixel, double>;
    if (options.crop_filters && !whole_image_lbp) {
        in.box = filters::expand_crop(box, margin, img.shape());
    } else {
        in.box.start = {0, 0, 0};
        in.box.size = img.shape();
    }
    in.crop = img.region(in.box.start, in.box.size);
    // the ROI block pasted into a mask of the crop's grid
    in.mask = image<std::uint8_t, 3>(in.crop.geometry(), std::uint8_t{0});
    for (std::size_t k = 0; k < box.size[2]; ++k) {
        for (std::size_t j = 0; j < box.size[1]; ++j) {
            for (std::size_t i = 0; i < box.size[0]; ++i) {
                in.mask(i + static_cast<std::size_t>(box.start[0] - in.box.start[0]),
                        j + static_cast<std::size_t>(box.start[1] - in.box.start[1]),
                        k + static_cast<std::size_t>(box.start[2] - in.box.start[2])) = roi_block(i, j, k);
            }
        }
    }
    return in;
}

/// LBP3D of `type` on its crop (the filter parallelises over ROI voxels by itself).
template <class TPixel>
filters::lbp3d_result lbp3d_images(const filter_input<TPixel>& in, const image_type_settings& type)
{
    auto lbp_options = type.lbp;
    lbp_options.label = 1;
    return filters::local_binary_pattern_3d(in.crop, in.mask, lbp_options);
}

/// Features of one image type (all its output images; for LoG only `type.sigma[sigma_index]`) on `img`
/// (already normalised when asked).
///
/// `roi_block` is the ROI after re-segmentation on the original image (`roi_mask_block`); filtered images use it
/// as their mask, without re-segmenting again (PyRadiomics `execute`). An image with NaN/Inf inside that ROI gets
/// NaN for all its features and a message in `warnings`.
template <class TPixel>
feature_list image_type_features(const image<TPixel, 3>& img, const image<std::uint8_t, 3>& roi_block,
                                 const roi_data& original_roi, const image_type_settings& type,
                                 const extractor_settings& options, double whole_max_abs, std::size_t sigma_index,
                                 std::vector<std::string>& warnings, const filters::lbp3d_result* lbp = nullptr)
{
    using filters::image_type;
    const settings& original_settings = options.setting;
    // Filtered images: the re-segmented ROI as label 1, no second re-segmentation.
    settings s = original_settings;
    s.resegment_range.reset();
    s.label = 1;
    std::vector<class_selection> texture;
    for (const auto& sel : options.classes) {
        if (!is_shape_class(sel.which)) {
            texture.push_back(sel);
        }
    }
    if (type.type == image_type::original) {
        return texture_classes(original_roi, "original", texture, original_settings);
    }
    // A 2-D image, held as a one-slice volume: filters act in the plane.
    const bool planar = original_roi.dimension == 2;
    if (planar && type.type == image_type::lbp3d) {
        warnings.push_back("[radiogenomics.features.extract] image type LBP3D: skipped, it needs a 3-D image "
                           "(as PyRadiomics).");
        return {};
    }
    const auto checked = [&](const auto& filtered, const image<std::uint8_t, 3>& mask_of_filtered,
                             const std::array<std::ptrdiff_t, 3>& start, const std::string& name) {
        const std::size_t bad = count_non_finite_in_roi(filtered, mask_of_filtered);
        if (bad > 0) {
            warnings.push_back("[radiogenomics.features.extract] image type " + name + ": " + std::to_string(bad) +
                               " ROI voxel(s) are NaN/Inf after filtering; all its features are NaN.");
            return nan_classes(name, texture);
        }
        roi_data roi = make_roi(filtered, mask_of_filtered, s);
        roi.dimension = original_roi.dimension;
        set_crop_extent(roi, start, img.shape(), s.pad_distance);
        return texture_classes(roi, name, texture, s);
    };
    // the re-segmented ROI's bounding box
    filters::crop_box box;
    for (std::size_t d = 0; d < 3; ++d) {
        box.start[d] = static_cast<std::ptrdiff_t>(original_roi.box.lower[d]);
        box.size[d] = original_roi.box.extent(d);
    }
    if (type.type == image_type::log) {
        // LoG: evaluated on the label bounding box only, from a context of the filter's margin around it
        // (laplacian_of_gaussian_block: each 1D pass computes just the lines the box depends on).
        const double sigma = type.sigma.at(sigma_index);
        if (planar) {
            // 2-D image (a one-slice volume here): the 2-D filter on the plane, whole image
            const auto plane = to_plane(img);
            if (!filters::pyradiomics_log_applicable(plane.geometry(), sigma)) {
                return {};
            }
            const auto filtered = to_slice_volume(filters::laplacian_of_gaussian<float>(plane, sigma));
            return checked(filtered.region(box.start, box.size), roi_block, box.start,
                           filters::log_image_type_name(sigma));
        }
        if (!filters::pyradiomics_log_applicable(img.geometry(), sigma)) {
            return {};  // PyRadiomics skips (with a warning) a sigma its filter cannot apply
        }
        std::array<std::size_t, 3> out_start{};
        for (std::size_t d = 0; d < 3; ++d) {
            out_start[d] = static_cast<std::size_t>(box.start[d]);
        }
        filters::filter_margin margin;
        margin.voxels = {img.shape()[0], img.shape()[1], img.shape()[2]};  // whole image
        if (options.crop_filters) {
            filters::filter_margin_parameters parameters;
            parameters.log_sigma_mm = sigma;
            margin = filters::required_margin(type.type, original_roi.spacing, parameters);
        }
        const filters::crop_box context = filters::expand_crop(box, margin, img.shape());
        std::array<std::size_t, 3> context_start{};
        for (std::size_t d = 0; d < 3; ++d) {
            context_start[d] = static_cast<std::size_t>(context.start[d]);
        }
        const auto filtered =
            filters::laplacian_of_gaussian_block<float>(img, sigma, context_start, context.size, out_start, box.size);
        return checked(filtered, roi_block, box.start, filters::log_image_type_name(sigma));
    }
    // Crop: re-segmented ROI box + the filter's margin (or the whole image).
    const filter_input<TPixel> input = make_filter_input(img, roi_block, original_roi, type, options);
    const image<TPixel, 3>& crop = input.crop;
    const image<std::uint8_t, 3>& mask_crop = input.mask;
    const filters::crop_box& crop_box = input.box;
    feature_list out;
    const auto add = [&](const auto& filtered, const std::string& name) {
        const feature_list part = checked(filtered, mask_crop, crop_box.start, name);
        out.insert(out.end(), part.begin(), part.end());
    };
    switch (type.type) {
    case image_type::square: add(filters::square<double>(crop, whole_max_abs), "square"); break;
    case image_type::square_root: add(filters::square_root<double>(crop, whole_max_abs), "squareroot"); break;
    case image_type::logarithm: add(filters::logarithm<double>(crop, whole_max_abs), "logarithm"); break;
    case image_type::exponential: add(filters::exponential<double>(crop, whole_max_abs), "exponential"); break;
    case image_type::gradient:
        if (planar) {
            add(to_slice_volume(filters::gradient_magnitude<float>(to_plane(crop), type.gradient_use_spacing)),
                "gradient");
        } else {
            add(filters::gradient_magnitude<float>(crop, type.gradient_use_spacing), "gradient");
        }
        break;
    case image_type::lbp3d: {
        filters::lbp3d_result computed;
        if (lbp == nullptr) {
            computed = lbp3d_images(input, type);
        }
        const filters::lbp3d_result& result = lbp != nullptr ? *lbp : computed;
        for (std::size_t l = 0; l < result.levels.size(); ++l) {
            add(result.levels[l], filters::lbp3d_image_type_name(l + 1));
        }
        add(result.kurtosis, filters::lbp3d_image_type_name(0));
        break;
    }
    case image_type::lbp2d: {
        // PyRadiomics getLBP2DImage: a 2-D image whole, a volume slice by slice across force2Ddimension
        filters::lbp2d_options lbp2d = type.lbp2d;
        lbp2d.force_2d_dimension = original_settings.force_2d_dimension;
        if (planar) {
            add(to_slice_volume(filters::local_binary_pattern_2d(to_plane(crop), lbp2d)), "lbp-2D");
        } else {
            if (!original_settings.force_2d) {
                warnings.push_back("[radiogenomics.features.extract] image type LBP2D: computed in 2D but features "
                                   "extracted in 3D (force2D false), as PyRadiomics warns. Use with caution.");
            }
            add(filters::local_binary_pattern_2d(crop, lbp2d), "lbp-2D");
        }
        break;
    }
    case image_type::wavelet: {
        // bands arrive depth first from reused buffers; their features go to slots in PyRadiomics' order
        // a 2-D image, or force2D on a volume: in-plane, 4 bands per level (LH, HL, HH, LL), as PyRadiomics
        filters::wavelet_options wavelet = filters::force_2d_wavelet_options(
            type.wavelet, planar || original_settings.force_2d, planar ? 0 : original_settings.force_2d_dimension);
        const std::size_t per_level = wavelet.unfiltered_axis ? 3 : 7;
        std::vector<feature_list> bands(per_level * wavelet.level + 1);
        filters::wavelet_undecimated_each(crop, wavelet, [&](std::size_t index, const std::string& band,
                                                                  std::size_t level, const auto& response) {
            bands.at(index) = checked(response, mask_crop, crop_box.start, filters::wavelet_image_type_name(band, level));
        });
        for (const auto& part : bands) {
            out.insert(out.end(), part.begin(), part.end());
        }
        break;
    }
    default: break;
    }
    return out;
}

/// Grey levels of the original ROI above which `extract` warns (texture matrices grow with the square of
/// the level count; PyRadiomics' documentation advises 16-128 bins, its issue tracker has PET users waiting
/// for minutes with binWidth 0.001).
inline constexpr std::size_t many_grey_levels = 1000;

/// The warning for a discretisation with more than `many_grey_levels` levels when texture classes are
/// enabled, or "" (first order and shape do not build level matrices).
inline std::string many_grey_levels_warning(const roi_data& roi, const extractor_settings& options)
{
    const std::size_t count = roi.edges.size() > 1 ? roi.edges.size() - 1 : 0;
    bool texture = false;
    for (const auto& c : options.classes) {
        texture = texture || (!is_shape_class(c.which) && c.which != feature_class::first_order);
    }
    if (!texture || count <= many_grey_levels) {
        return "";
    }
    std::ostringstream how;
    if (options.setting.bin_count) {
        how << "binCount " << *options.setting.bin_count;
    } else {
        how << "binWidth " << options.setting.bin_width;
    }
    return how.str() + " gives " + std::to_string(count) + " grey levels in the ROI (more than " +
           std::to_string(many_grey_levels) + "): texture matrices of " + std::to_string(count) + " x " +
           std::to_string(count) + " levels make the extraction slow (minutes) and the features noisy. "
           "Use a larger binWidth or a binCount of 16-128.";
}

/// `dimension` 2: `img` and `mask` hold a 2-D image as a one-slice volume (filters act in the plane).
template <class TPixel, class TMask>
feature_list extract_normalised(const image<TPixel, 3>& img, const image<TMask, 3>& mask,
                                const extractor_settings& options, std::size_t dimension = 3)
{
    roi_data roi = make_roi(img, mask, options.setting);
    roi.dimension = dimension;
    feature_list out;
    std::vector<std::string> shape_warnings;
    append_shape_classes(out, roi, options.setting, options.classes, &shape_warnings);
    if (options.on_warning) {
        for (const auto& message : shape_warnings) {
            options.on_warning(message);
        }
        const std::string levels = many_grey_levels_warning(roi, options);
        if (!levels.empty()) {
            options.on_warning(levels);
        }
    }
    bool needs_max_abs = false;
    for (const auto& t : options.image_types) {
        needs_max_abs = needs_max_abs || filters::required_margin(t.type, roi.spacing).needs_whole_image_max_abs;
    }
    const double whole_max_abs = needs_max_abs ? filters::max_abs(img) : 0.0;
    // One task per output image group: an image type, or one sigma of LoG. Tasks run most expensive first
    // (dynamic schedule) and write their own slot; slots are joined in output order.
    struct task {
        std::size_t type = 0;
        std::size_t sigma = 0;
        int cost = 0;  ///< rough relative cost, only for the schedule
    };
    std::vector<task> tasks;
    for (std::size_t t = 0; t < options.image_types.size(); ++t) {
        const auto kind = options.image_types[t].type;
        if (kind == filters::image_type::log) {
            for (std::size_t g = 0; g < options.image_types[t].sigma.size(); ++g) {
                tasks.push_back({t, g, 3});
            }
        } else {
            const int cost = kind == filters::image_type::wavelet ? 4 : kind == filters::image_type::lbp3d ? 2 : 1;
            tasks.push_back({t, 0, cost});
        }
    }
    std::vector<std::size_t> schedule(tasks.size());
    for (std::size_t i = 0; i < schedule.size(); ++i) {
        schedule[i] = i;
    }
    std::stable_sort(schedule.begin(), schedule.end(),
                     [&](std::size_t a, std::size_t b) { return tasks[a].cost > tasks[b].cost; });
    const image<std::uint8_t, 3> roi_block = roi_mask_block(roi, img.geometry());
    // LBP3D images first, outside the task loop: the filter is the longest single task and parallelises over
    // ROI voxels by itself (per-voxel output slots, so thread-count independent).
    std::vector<std::optional<filters::lbp3d_result>> lbp(options.image_types.size());
    for (std::size_t t = 0; t < options.image_types.size(); ++t) {
        if (options.image_types[t].type == filters::image_type::lbp3d && dimension == 3) {
            lbp[t] = lbp3d_images(make_filter_input(img, roi_block, roi, options.image_types[t], options),
                                  options.image_types[t]);
        }
    }
    std::vector<feature_list> parts(tasks.size());
    std::vector<std::vector<std::string>> warnings(tasks.size());
    const auto n = static_cast<long>(tasks.size());
    std::vector<std::exception_ptr> errors(parts.size());
    RG_PARALLEL_FOR_DYNAMIC
    for (long i = 0; i < n; ++i) {
        const std::size_t t = schedule[static_cast<std::size_t>(i)];
        try {
            const auto& precomputed = lbp[tasks[t].type];
            parts[t] = image_type_features(img, roi_block, roi, options.image_types[tasks[t].type], options,
                                           whole_max_abs, tasks[t].sigma, warnings[t],
                                           precomputed ? &*precomputed : nullptr);
        } catch (...) {
            errors[t] = std::current_exception();
        }
    }
    rethrow_first(errors);
    if (options.on_warning) {
        for (const auto& w : warnings) {
            for (const auto& message : w) {
                options.on_warning(message);
            }
        }
    }
    for (auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

}  // namespace detail

/// Extracts every enabled feature of every enabled image type, in PyRadiomics' order and names.
///
/// \par Re-segmentation
/// As PyRadiomics' `execute`: `resegment_range` is applied once, to the (normalised) original image; the
/// resulting ROI is the mask of every image type (filtered images are not re-segmented on their own values;
/// with `ibsi_compliant` their fixed-bin-width discretisation starts at the filtered ROI's minimum).
/// \par NaN / Inf
/// In the original image's ROI: `invalid_argument` (from `make_roi`). In a filtered image's ROI (e.g. LBP3D
/// kurtosis of a flat neighbourhood, which SciPy defines as NaN): every feature of that image is NaN and
/// `on_warning` (if set) receives a message naming the image type; the other image types are unaffected.
/// PyRadiomics has no rule for this case — NumPy propagates NaN into first-order statistics and
/// `numpy.digitize` puts NaN in an extra top grey level — so NaN for the whole image is the documented outcome.
///
/// Throws what `make_roi` throws on the original image (empty mask, geometry mismatch, NaN in the ROI, too many
/// bins) and what the filters throw. An exception inside a parallel task is rethrown after the loop.
template <class TPixel, class TMask>
feature_list extract(const image<TPixel, 3>& img, const image<TMask, 3>& mask, const extractor_settings& options)
{
    if (options.setting.normalize) {
        preprocess::normalize_options n;
        n.scale = options.setting.normalize_scale;
        n.arithmetic = options.normalize_arithmetic;
        return detail::extract_normalised(preprocess::normalize<double>(img, n), mask, options);
    }
    return detail::extract_normalised(img, mask, options);
}

/// `extract` for a 2-D image: PyRadiomics' 2-D semantics (`make_roi` for `image<TPixel, 2>`: force2D texture,
/// shape class `shape2D`, TotalEnergy with the pixel area) and 2-D filters — square, square root, logarithm,
/// exponential, gradient (2 axes), LoG (2 axes), wavelet (4 bands per level: LH, HL, HH, LL). LBP3D is skipped with
/// a warning, as PyRadiomics skips it for 2-D input. The features equal those of the same pixels as a one-slice
/// volume with force2D (TotalEnergy aside) wherever the filters agree (all intensity filters and the original).
template <class TPixel, class TMask>
feature_list extract(const image<TPixel, 2>& img, const image<TMask, 2>& mask, const extractor_settings& options)
{
    extractor_settings planar = options;
    planar.setting = planar_settings(options.setting);
    const auto mask_volume = to_slice_volume(mask);
    if (options.setting.normalize) {
        preprocess::normalize_options n;
        n.scale = options.setting.normalize_scale;
        n.arithmetic = options.normalize_arithmetic;
        return detail::extract_normalised(to_slice_volume(preprocess::normalize<double>(img, n)), mask_volume, planar, 2);
    }
    return detail::extract_normalised(to_slice_volume(img), mask_volume, planar, 2);
}

}  // namespace radiogenomics::features
