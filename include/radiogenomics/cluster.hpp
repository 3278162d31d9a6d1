#pragma once
/// \file cluster.hpp
/// \brief Clustering: agglomerative linkage (SciPy-compatible), flat cuts and leaf order,
/// k-means, cluster-validity scores (Davies–Bouldin, silhouette, Calinski–Harabasz), and the agreement
/// of two clusterings (adjusted Rand index).

#include "radiogenomics/cluster/adjusted_rand_index.hpp"
#include "radiogenomics/cluster/cluster_scores.hpp"
#include "radiogenomics/cluster/fcluster.hpp"
#include "radiogenomics/cluster/kmeans.hpp"
#include "radiogenomics/cluster/linkage.hpp"
