#pragma once
/// \file chi_square.hpp
/// \brief Chi-square test of independence on an r × c table, as `scipy.stats.chi2_contingency`
///        (SciPy 1.10), and Cramér's V as `scipy.stats.contingency.association(method="cramer")`.
///
/// With row sums \f$ r_i \f$, column sums \f$ c_j \f$ and total n, the expected counts are
/// \f$ E_{ij} = r_i c_j / n \f$, dof = (r-1)(c-1) and
/// \f[ \chi^2 = \sum_{ij} \frac{(O_{ij} - E_{ij})^2}{E_{ij}}, \qquad p = P(\chi^2_{dof} \ge \chi^2). \f]
/// Yates' continuity correction (applied only when dof = 1, i.e. a 2 × 2 table, and
/// `correction = true`, SciPy's default) moves each observed count towards its expected value by
/// \f$ \min(0.5, |O_{ij} - E_{ij}|) \f$. When dof = 0 (one row or one column) the statistic is 0
/// and p = 1, as SciPy. Cramér's V uses the uncorrected statistic:
/// \f$ V = \sqrt{\chi^2 / (n \min(r-1, c-1))} \f$ (Cramér 1946, Mathematical Methods of Statistics).
///
/// \par Degenerate input
/// An empty table, a negative or NaN/inf count, or a zero row or column (some expected count is 0)
/// throws, as SciPy raises for all but NaN. Non-integer counts are accepted (SciPy accepts them).
/// V is NaN when min(r-1, c-1) = 0.

#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/stats/distributions.hpp"
#include "radiogenomics/stats/test_result.hpp"

namespace radiogenomics::stats {

/// Result of `chi_square_independence`: `statistic` = \f$ \chi^2 \f$ (corrected when
/// `yates_applied`), `df` = dof.
struct chi_square_result : test_result {
    Eigen::MatrixXd expected;              ///< expected counts \f$ E_{ij} \f$
    bool yates_applied = false;            ///< the Yates correction was used for `statistic`
    double cramers_v = detail::nan_value;  ///< Cramér's V from the uncorrected statistic
};

namespace detail {

inline void check_contingency_table(const Eigen::Ref<const Eigen::MatrixXd>& observed, const char* where)
{
    if (observed.size() == 0) {
        raise(where, "table size: got ", observed.rows(), " x ", observed.cols(), ", expected a non-empty table.");
    }
    for (Eigen::Index j = 0; j < observed.cols(); ++j) {
        for (Eigen::Index i = 0; i < observed.rows(); ++i) {
            const double v = observed(i, j);
            if (!std::isfinite(v) || v < 0.0) {
                raise(where, "count (", i, ", ", j, "): got ", v, ", expected a finite count >= 0.");
            }
        }
    }
}

inline Eigen::MatrixXd expected_counts(const Eigen::Ref<const Eigen::MatrixXd>& observed, const char* where)
{
    const Eigen::VectorXd rows = observed.rowwise().sum();
    const Eigen::RowVectorXd cols = observed.colwise().sum();
    const double total = observed.sum();
    Eigen::MatrixXd expected = rows * cols / total;
    for (Eigen::Index j = 0; j < expected.cols(); ++j) {
        for (Eigen::Index i = 0; i < expected.rows(); ++i) {
            if (!(expected(i, j) > 0.0)) {
                raise(where, "expected count (", i, ", ", j, "): got ", expected(i, j),
                      ", expected > 0. Row ", i, " or column ", j, " of the table sums to zero; drop it.");
            }
        }
    }
    return expected;
}

inline double pearson_statistic(const Eigen::Ref<const Eigen::MatrixXd>& observed, const Eigen::MatrixXd& expected)
{
    return ((observed - expected).array().square() / expected.array()).sum();
}

}  // namespace detail

/// Expected counts \f$ r_i c_j / n \f$ of a contingency table (`scipy.stats.contingency.expected_freq`).
inline Eigen::MatrixXd expected_frequencies(const Eigen::Ref<const Eigen::MatrixXd>& observed)
{
    detail::check_contingency_table(observed, "stats.expected_frequencies");
    return detail::expected_counts(observed, "stats.expected_frequencies");
}

/// Cramér's V of a table (uncorrected \f$ \chi^2 \f$); NaN when the table has one row or column.
inline double cramers_v(const Eigen::Ref<const Eigen::MatrixXd>& observed)
{
    detail::check_contingency_table(observed, "stats.cramers_v");
    const Eigen::MatrixXd expected = detail::expected_counts(observed, "stats.cramers_v");
    const double k = static_cast<double>(std::min(observed.rows(), observed.cols()) - 1);
    if (k <= 0.0) {
        return detail::nan_value;
    }
    return std::sqrt(detail::pearson_statistic(observed, expected) / (observed.sum() * k));
}

/// Chi-square test of independence (`chi2_contingency(observed, correction)`).
inline chi_square_result chi_square_independence(const Eigen::Ref<const Eigen::MatrixXd>& observed,
                                                 bool correction = true)
{
    constexpr const char* where = "stats.chi_square_independence";
    detail::check_contingency_table(observed, where);
    chi_square_result out;
    out.expected = detail::expected_counts(observed, where);
    const double dof = static_cast<double>((observed.rows() - 1) * (observed.cols() - 1));
    out.df = dof;
    const double uncorrected = detail::pearson_statistic(observed, out.expected);
    const double k = static_cast<double>(std::min(observed.rows(), observed.cols()) - 1);
    out.cramers_v = k > 0.0 ? std::sqrt(uncorrected / (observed.sum() * k)) : detail::nan_value;
    if (dof == 0.0) {
        out.statistic = 0.0;
        out.p_value = 1.0;
        return out;
    }
    if (dof == 1.0 && correction) {
        Eigen::MatrixXd adjusted = observed;
        for (Eigen::Index j = 0; j < adjusted.cols(); ++j) {
            for (Eigen::Index i = 0; i < adjusted.rows(); ++i) {
                const double diff = out.expected(i, j) - observed(i, j);
                const double step = std::min(0.5, std::abs(diff));
                adjusted(i, j) += diff > 0.0 ? step : (diff < 0.0 ? -step : 0.0);
            }
        }
        out.statistic = detail::pearson_statistic(adjusted, out.expected);
        out.yates_applied = true;
    } else {
        out.statistic = uncorrected;
    }
    out.p_value = chi_squared_sf(dof, out.statistic);
    return out;
}

}  // namespace radiogenomics::stats
