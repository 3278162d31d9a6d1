#pragma once
/// \file features.hpp
/// \brief Radiomics features (PyRadiomics-compatible): discretisation, first order, shape, texture
/// matrices and features, feature table and extractor.
///
/// \par Verification (tests/features)
/// Against PyRadiomics' own output (shared/reference/pyradiomics), 1e-6 relative: every class and image
/// type of the IBSI CT phantom (binWidth 25: 1780/1781; normalised: 1762/1781), the synthetic PET
/// (binWidth 0.25 and normalised: 1781/1781 each), the BAT CT/PET first-order sets (342/342 each) and the
/// force2D CT phantom (93/93). Shape, GLCM, GLRLM, GLSZM, GLDM and NGTDM match 100 %; the only first-order
/// misses (20 of 2,070) are LBP3D m1/m2 images of the float32 CT phantom, i.e. the filter's image, not the
/// feature engine. With `ibsi_compliant`, all 108 IBSI-mapped 3D and 76 2.5D digital-phantom features are
/// within the IBSI consensus.

#include "radiogenomics/preprocess/discretize.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/shape.hpp"
#include "radiogenomics/features/shape_2d.hpp"
#include "radiogenomics/features/glcm_matrix.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glrlm_matrix.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glszm_matrix.hpp"
#include "radiogenomics/features/glszm.hpp"
#include "radiogenomics/features/gldm_matrix.hpp"
#include "radiogenomics/features/gldm.hpp"
#include "radiogenomics/features/ngtdm_matrix.hpp"
#include "radiogenomics/features/ngtdm.hpp"
#include "radiogenomics/features/texture_aggregation.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/extractor.hpp"
