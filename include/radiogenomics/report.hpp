#pragma once
/// \file report.hpp
/// \brief Drawing and writing documents: SVG plots (scatter, line, confusion matrix, heatmap with
/// dendrogram) and the self-contained HTML report writer. Knows nothing about the study; CSV and atomic
/// file writing are in `io/` (`io/csv.hpp`, `io/atomic_file.hpp`).
#include "radiogenomics/report/html_report.hpp"
#include "radiogenomics/report/svg_plot.hpp"
