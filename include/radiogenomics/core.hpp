#pragma once
/// \file core.hpp
/// \brief Image, geometry, errors, random numbers and parallel helpers.
#include "radiogenomics/core/config.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/image_geometry.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/core/temporary_name.hpp"
