#pragma once
/// \file preprocess.hpp
/// \brief Umbrella header of the image-preprocessing concern: resampling, cropping, normalisation, SUV,
///        thresholds and masks, mask overlap (Dice), connected components, morphology, PET delineation.

#include "radiogenomics/preprocess/connected_components.hpp"
#include "radiogenomics/preprocess/crop.hpp"
#if __has_include("radiogenomics/preprocess/discretize.hpp")
#include "radiogenomics/preprocess/discretize.hpp"
#endif
#include "radiogenomics/preprocess/morphology.hpp"
#include "radiogenomics/preprocess/normalize.hpp"
#include "radiogenomics/preprocess/overlap.hpp"
#include "radiogenomics/preprocess/pet_delineation.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/preprocess/threshold.hpp"
