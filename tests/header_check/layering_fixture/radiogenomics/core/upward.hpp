#pragma once
// Fixture for the ctest `layering_catches_upward`: core including study must be reported.
#include "radiogenomics/study/study_pipeline.hpp"
