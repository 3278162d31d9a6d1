#pragma once
/// \file test_result.hpp
/// \brief Result structs shared by the hypothesis tests, and the `alternative` of a test.
///
/// Every test returns at least `{statistic, p_value, df}` (Boost.Math style: results are plain
/// values, bad input throws `radiogenomics::invalid_argument`). `df` is NaN when the test has no
/// degrees of freedom. Degenerate input for which SciPy defines a value (NaN, inf, 1.0) gives that
/// value; each function documents its cases under "Degenerate input".

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::stats {

/// Alternative hypothesis, as SciPy's `alternative=` argument.
enum class alternative {
    two_sided,  ///< "two-sided": the location (or association) differs
    less,       ///< "less": the first sample is stochastically smaller / association negative
    greater     ///< "greater": the first sample is stochastically larger / association positive
};

/// Parses "two-sided" / "less" / "greater" (SciPy spelling; "two_sided" accepted too).
inline alternative parse_alternative(const std::string& text)
{
    if (text == "two-sided" || text == "two_sided") {
        return alternative::two_sided;
    }
    if (text == "less") {
        return alternative::less;
    }
    if (text == "greater") {
        return alternative::greater;
    }
    raise("stats.parse_alternative", "alternative: got '", text, "', expected 'two-sided', 'less' or 'greater'.");
}

/// SciPy spelling of an alternative.
inline std::string to_string(alternative alt)
{
    switch (alt) {
    case alternative::less:
        return "less";
    case alternative::greater:
        return "greater";
    default:
        return "two-sided";
    }
}

/// The common result of a test: statistic, p-value and degrees of freedom (NaN when not applicable).
struct test_result {
    double statistic = std::numeric_limits<double>::quiet_NaN();  ///< test statistic
    double p_value = std::numeric_limits<double>::quiet_NaN();    ///< p-value in [0, 1] (NaN when undefined)
    double df = std::numeric_limits<double>::quiet_NaN();         ///< degrees of freedom, NaN when none
};

/// Read-only view of a float or double column, bound without copying when the column is contiguous
/// (a `VectorXf`, a column of a column-major `MatrixXf`, an `Eigen::Map` over a buffer).
template <class TReal>
using vector_view = Eigen::Ref<const Eigen::Matrix<TReal, Eigen::Dynamic, 1>>;

/// Read-only view of a float or double matrix (rows: observations, columns: features), without copying.
template <class TReal>
using matrix_view = Eigen::Ref<const Eigen::Matrix<TReal, Eigen::Dynamic, Eigen::Dynamic>>;

namespace detail {

/// The scalar shared by the Eigen expressions `TDerived...`; only float and double are accepted.
template <class TFirst, class... TRest>
struct real_of {
    using type = typename TFirst::Scalar;
    static_assert(std::is_same_v<type, float> || std::is_same_v<type, double>,
                  "radiogenomics::stats takes float or double data");
    static_assert((std::is_same_v<type, typename TRest::Scalar> && ...),
                  "radiogenomics::stats: the samples of one test must share one scalar type (float or double)");
};

/// See `real_of`.
template <class... TDerived>
using real_t = typename real_of<TDerived...>::type;

/// The statistics are computed in double, SciPy's precision: a double column is viewed as is, a float
/// column is promoted once (exactly, float → double is lossless), so float input gives the double result.
template <class TReal>
auto as_double(const vector_view<TReal>& x)
{
    if constexpr (std::is_same_v<TReal, double>) {
        return x;
    } else {
        return Eigen::VectorXd(x.template cast<double>());
    }
}

inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf_value = std::numeric_limits<double>::infinity();

/// True when any entry is NaN.
template <class TDerived>
bool has_nan(const Eigen::DenseBase<TDerived>& values)
{
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
        for (Eigen::Index i = 0; i < values.rows(); ++i) {
            if (std::isnan(values(i, j))) {
                return true;
            }
        }
    }
    return false;
}

/// Mean with NumPy semantics for an empty input (NaN).
inline double mean(const Eigen::Ref<const Eigen::VectorXd>& x)
{
    return x.size() == 0 ? nan_value : x.sum() / static_cast<double>(x.size());
}

/// Sample variance with `ddof` (two-pass); NaN when `n - ddof <= 0`, as `numpy.var`.
inline double variance(const Eigen::Ref<const Eigen::VectorXd>& x, int ddof = 1)
{
    const double n = static_cast<double>(x.size());
    if (n - ddof <= 0) {
        return nan_value;
    }
    const double m = mean(x);
    return (x.array() - m).square().sum() / (n - ddof);
}

}  // namespace detail
}  // namespace radiogenomics::stats
