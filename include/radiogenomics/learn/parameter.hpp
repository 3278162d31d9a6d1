#pragma once
/// \file parameter.hpp
/// \brief Trainable parameters (value + gradient) and the deterministic matrix products every layer uses.
///
/// Activations are row-major in meaning: a matrix holds one row per token (or per sample) and one
/// column per feature. A batch of `B` samples with `T` tokens each is a `(B*T) × d` matrix whose row
/// `s*T + t` is token `t` of sample `s`.
///
/// \par Determinism
/// Eigen parallelises large products itself when OpenMP is on, and its blocking then depends on the
/// thread count, which changes the summation order. Every product here therefore runs through
/// `detail::product_*`, which splits the output into blocks of a FIXED size inside our own parallel
/// loop; Eigen runs each block serially (it never nests inside a parallel region), so every output
/// coefficient is summed in the same order whatever the number of threads.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"


namespace radiogenomics::learn {

/// Index type used for sizes (Eigen's).
using index = Eigen::Index;

/// Dense column-major matrix of `TReal`.
template <class TReal>
using matrix = Eigen::Matrix<TReal, Eigen::Dynamic, Eigen::Dynamic>;

/// Dense column vector of `TReal`.
template <class TReal>
using vector = Eigen::Matrix<TReal, Eigen::Dynamic, 1>;

/// One trainable tensor: its value, the gradient accumulated by `backward`, and a stable name
/// (`"layers.0.self_attn.q_proj.weight"`) used by save/load and by the tests.
template <class TReal>
struct parameter {
    std::string name;
    matrix<TReal> value;
    matrix<TReal> grad;

    void resize(const std::string& parameter_name, index rows, index cols)
    {
        name = parameter_name;
        value = matrix<TReal>::Zero(rows, cols);
        grad = matrix<TReal>::Zero(rows, cols);
    }
    void zero_grad() { grad.setZero(); }
};

/// What a forward pass needs besides its input: training mode (dropout active) and the engine that
/// draws dropout masks (required when training with a non-zero dropout rate).
struct forward_context {
    bool training = false;
    random_engine* engine = nullptr;
};

/// Non-owning list of a model's parameters in a fixed order.
template <class TReal>
using parameter_list = std::vector<parameter<TReal>*>;

/// Sets every gradient in the list to zero.
template <class TReal>
void zero_grad(const parameter_list<TReal>& parameters)
{
    for (auto* p : parameters) {
        p->zero_grad();
    }
}

/// Appends `list` to `out` (used when composing layers).
template <class TReal>
void append_parameters(parameter_list<TReal>& out, const parameter_list<TReal>& list)
{
    out.insert(out.end(), list.begin(), list.end());
}

namespace detail {

/// Row-block size of the deterministic products (fixed: never derived from the thread count).
inline constexpr index product_block = 64;

/// Multiply-adds below which a loop stays serial.
inline constexpr double parallel_work = 2.0e5;

/// `c = a * b^T` (a: n×k, b: m×k, c: n×m), blocked over rows of `a`.
template <class TReal>
void product_nt(const matrix<TReal>& a, const matrix<TReal>& b, matrix<TReal>& c)
{
    c.resize(a.rows(), b.rows());
    if (a.cols() == 0) {  // empty inner dimension (a token group with no column left)
        c.setZero();
        return;
    }
    const index n = a.rows();
    const index blocks = (n + product_block - 1) / product_block;
    const double work = static_cast<double>(n) * static_cast<double>(a.cols()) * static_cast<double>(b.rows());
    RG_PARALLEL_FOR_IF(blocks > 1 && work > parallel_work)
    for (index blk = 0; blk < blocks; ++blk) {
        const index begin = blk * product_block;
        const index count = std::min(product_block, n - begin);
        c.middleRows(begin, count).noalias() = a.middleRows(begin, count) * b.transpose();
    }
}

/// `c = a * b` (a: n×k, b: k×m, c: n×m), blocked over rows of `a`.
template <class TReal>
void product_nn(const matrix<TReal>& a, const matrix<TReal>& b, matrix<TReal>& c)
{
    c.resize(a.rows(), b.cols());
    if (a.cols() == 0) {
        c.setZero();
        return;
    }
    const index n = a.rows();
    const index blocks = (n + product_block - 1) / product_block;
    const double work = static_cast<double>(n) * static_cast<double>(a.cols()) * static_cast<double>(b.cols());
    RG_PARALLEL_FOR_IF(blocks > 1 && work > parallel_work)
    for (index blk = 0; blk < blocks; ++blk) {
        const index begin = blk * product_block;
        const index count = std::min(product_block, n - begin);
        c.middleRows(begin, count).noalias() = a.middleRows(begin, count) * b;
    }
}

/// `c += a^T * b` (a: n×m, b: n×k, c: m×k): the weight-gradient reduction over the batch rows,
/// blocked over rows of `c` (columns of `a`) so each coefficient sums the batch in one fixed order.
template <class TReal>
void accumulate_tn(const matrix<TReal>& a, const matrix<TReal>& b, matrix<TReal>& c)
{
    const index m = a.cols();
    const index blocks = (m + product_block - 1) / product_block;
    const double work = static_cast<double>(m) * static_cast<double>(a.rows()) * static_cast<double>(b.cols());
    RG_PARALLEL_FOR_IF(blocks > 1 && work > parallel_work)
    for (index blk = 0; blk < blocks; ++blk) {
        const index begin = blk * product_block;
        const index count = std::min(product_block, m - begin);
        c.middleRows(begin, count).noalias() += a.middleCols(begin, count).transpose() * b;
    }
}

}  // namespace detail
}  // namespace radiogenomics::learn
