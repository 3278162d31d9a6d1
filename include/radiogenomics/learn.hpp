#pragma once
/// \file learn.hpp
/// \brief Umbrella header of the learn concern: Transformer classifier with hand-written backprop,
/// losses, optimisers, training, validation protocol, metrics and baselines.
#include "radiogenomics/learn/parameter.hpp"
#include "radiogenomics/learn/linear.hpp"
#include "radiogenomics/learn/layer_norm.hpp"
#include "radiogenomics/learn/dropout.hpp"
#include "radiogenomics/learn/feed_forward.hpp"
#include "radiogenomics/learn/multi_head_attention.hpp"
#include "radiogenomics/learn/encoder_layer.hpp"
#include "radiogenomics/learn/serialization.hpp"
#include "radiogenomics/learn/transformer_encoder.hpp"
#include "radiogenomics/learn/loss.hpp"
#include "radiogenomics/learn/optimizer.hpp"
#include "radiogenomics/learn/grad_check.hpp"
#include "radiogenomics/learn/training.hpp"
#include "radiogenomics/learn/metrics.hpp"
#include "radiogenomics/learn/logistic_regression.hpp"
#include "radiogenomics/learn/mlp.hpp"
#include "radiogenomics/learn/preprocessing.hpp"
#include "radiogenomics/learn/cross_validation.hpp"
