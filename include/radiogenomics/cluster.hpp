#pragma once
/// \file cluster.hpp
/// \brief Clustering: agglomerative linkage (SciPy-compatible), flat cuts and leaf order,
/// k-means, and cluster-validity scores (Davies–Bouldin, silhouette, Calinski–Harabasz).

#include "radiogenomics/cluster/cluster_scores.hpp"
#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/cluster/kmeans.hpp"
#include "radiogenomics/cluster/linkage.hpp"
