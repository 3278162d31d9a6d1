#pragma once
/// \file radiogenomics.hpp
/// \brief Everything header-only in radiogenomics. NIfTI I/O (`radiogenomics/io/nifti.hpp`) is
/// separate because it needs the NIfTI C library (target `radiogenomics::io`), and so is the study
/// application (`radiogenomics/study.hpp`, target `radiogenomics::study`: NIfTI and nlohmann-json).
#include "radiogenomics/cluster.hpp"
#include "radiogenomics/core.hpp"
#include "radiogenomics/embed.hpp"
#include "radiogenomics/features.hpp"
#include "radiogenomics/filters.hpp"
#include "radiogenomics/learn.hpp"
#include "radiogenomics/preprocess.hpp"
#include "radiogenomics/report.hpp"
#include "radiogenomics/stats.hpp"
#include "radiogenomics/synth.hpp"
