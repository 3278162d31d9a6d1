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
    RG_PARALLEL_FOR_DYNAMIC
    for (long c = 0; c < n; ++c) {
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
    }
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

}  // namespace radiogenomics::features
