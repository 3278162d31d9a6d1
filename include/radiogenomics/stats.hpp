#pragma once
/// \file stats.hpp
/// \brief Statistics: the study's hypothesis tests (exact to SciPy), multiple testing, volcano data
///        and baseline-table descriptives. Includes every header of `radiogenomics/stats/`.

#include "radiogenomics/stats/anova.hpp"
#include "radiogenomics/stats/chi_square.hpp"
#include "radiogenomics/stats/correlation.hpp"
#include "radiogenomics/stats/descriptives.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/fisher_exact.hpp"
#include "radiogenomics/stats/groups.hpp"
#include "radiogenomics/stats/kruskal_wallis.hpp"
#include "radiogenomics/stats/mann_whitney.hpp"
#include "radiogenomics/stats/multiple_testing.hpp"
#include "radiogenomics/stats/ranks.hpp"
#include "radiogenomics/stats/shapiro_wilk.hpp"
#include "radiogenomics/stats/t_test.hpp"
#include "radiogenomics/stats/test_result.hpp"
#include "radiogenomics/stats/volcano.hpp"
