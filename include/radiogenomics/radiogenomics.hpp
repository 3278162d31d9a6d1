#pragma once
/// \file radiogenomics.hpp
/// \brief Everything header-only in radiogenomics. NIfTI I/O (`radiogenomics/io/nifti.hpp`) is
/// separate because it needs the NIfTI C library (target `radiogenomics::io`).
#include "radiogenomics/cluster.hpp"
#include "radiogenomics/core.hpp"
#include "radiogenomics/embed.hpp"
#include "radiogenomics/features.hpp"
#include "radiogenomics/filters.hpp"
#include "radiogenomics/learn.hpp"
#include "radiogenomics/preprocess.hpp"
#include "radiogenomics/stats.hpp"
#include "radiogenomics/synth.hpp"
