#pragma once
/// \file study.hpp
/// \brief The study application (`run_study`, the `reproduce_paper` example): options, the manifest of
/// real data, cohort processing, one header per stage (statistics, models, clustering), the report
/// folder and the pipeline that runs the stages in order. The top layer: needs the target
/// `radiogenomics::study` (NIfTI I/O and nlohmann-json); nothing below it includes it.
#include "radiogenomics/study/clustering_stage.hpp"
#include "radiogenomics/study/cohort_processing.hpp"
#include "radiogenomics/study/cohort_stage.hpp"
#include "radiogenomics/study/figures.hpp"
#include "radiogenomics/study/manifest.hpp"
#include "radiogenomics/study/model_stage.hpp"
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/statistics_stage.hpp"
#include "radiogenomics/study/study_options.hpp"
#include "radiogenomics/study/study_pipeline.hpp"
