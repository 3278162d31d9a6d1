#pragma once
/// \file class_values.hpp
/// \brief The one dispatch from a `feature_class` to the functions that compute it: every feature of a class, in
/// the order of its table (`class_info(which)`), for an ROI made by `make_roi` (2-D or 3-D).

#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/gldm.hpp"
#include "radiogenomics/features/gldm_matrix.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glcm_matrix.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glrlm_matrix.hpp"
#include "radiogenomics/features/glszm.hpp"
#include "radiogenomics/features/glszm_matrix.hpp"
#include "radiogenomics/features/ngtdm.hpp"
#include "radiogenomics/features/ngtdm_matrix.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/features/shape.hpp"
#include "radiogenomics/features/shape_2d.hpp"

namespace radiogenomics::features {

/// Every feature of class `which` of `roi` with `options`, slot r = row r of `class_info(which)` (deprecated and
/// non-default features included). Shape classes read the label mask (`roi.shape_mask`); they throw what
/// `shape_features` / `shape_2d_features` throw.
inline std::vector<double> class_values(feature_class which, const roi_data& roi, const settings& options)
{
    const auto to_vector = [](const auto& values) { return std::vector<double>(values.begin(), values.end()); };
    switch (which) {
    case feature_class::first_order: return to_vector(first_order_features(roi, options));
    case feature_class::shape: return to_vector(shape_features(roi, options));
    case feature_class::glcm: return to_vector(glcm_features(glcm_matrix(roi.grid, options)));
    case feature_class::glrlm: return to_vector(glrlm_features(glrlm_matrix(roi.grid, options)));
    case feature_class::glszm: return to_vector(glszm_features(glszm_matrix(roi.grid, options)));
    case feature_class::gldm: return to_vector(gldm_features(gldm_matrix(roi.grid, options)));
    case feature_class::ngtdm: return to_vector(ngtdm_features(ngtdm_matrix(roi.grid, options)));
    case feature_class::shape_2d: return to_vector(shape_2d_features(roi, options));
    case feature_class::count: break;
    }
    raise<invalid_argument>("features.class_values", "feature class: got ", static_cast<std::size_t>(which),
                            ", expected one of the ", static_cast<std::size_t>(feature_class::count),
                            " classes of feature_classes.");
}

}  // namespace radiogenomics::features
