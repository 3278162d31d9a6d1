#pragma once
/// \file embed.hpp
/// \brief Embedding: t-SNE (exact and Barnes–Hut) and the trustworthiness of an embedding.

#include "radiogenomics/embed/trustworthiness.hpp"
#include "radiogenomics/embed/tsne.hpp"
