#pragma once
/// \file features.hpp
/// \brief Radiomics features (PyRadiomics-compatible): discretisation, first order, shape, texture
/// matrices and features, feature table and extractor.

#include "radiogenomics/preprocess/discretize.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/shape.hpp"
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
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/extractor.hpp"
