#pragma once
/// \file synth.hpp
/// \brief The synthetic PET/CT cohort that follows the study's published design.
#include "radiogenomics/synth/automatic_mask.hpp"
#include "radiogenomics/synth/clinical.hpp"
#include "radiogenomics/synth/cohort.hpp"
#include "radiogenomics/synth/cohort_design.hpp"
#include "radiogenomics/synth/effect_sizes.hpp"
#include "radiogenomics/synth/pet_acquisition.hpp"
#include "radiogenomics/synth/phantom.hpp"
#include "radiogenomics/synth/phantom_parameters.hpp"
