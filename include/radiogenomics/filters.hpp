#pragma once
/// \file filters.hpp
/// \brief Image filters: PyRadiomics' image types and the IBSI 2 convolution filters.

#include "radiogenomics/filters/boundary.hpp"
#include "radiogenomics/filters/exponential.hpp"
#include "radiogenomics/filters/gradient_magnitude.hpp"
#include "radiogenomics/filters/image_type_name.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/local_binary_pattern_3d.hpp"
#include "radiogenomics/filters/logarithm.hpp"
#include "radiogenomics/filters/margin.hpp"
#include "radiogenomics/filters/mean_filter.hpp"
#include "radiogenomics/filters/square.hpp"
#include "radiogenomics/filters/square_root.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"
