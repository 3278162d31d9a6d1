#pragma once
/// \file preprocessing.hpp
/// \brief Feature preprocessing fitted on training rows only (no leakage): median imputation,
/// variance filter, optional univariate top-k selection per token group, z-score scaling.
///
/// \par Steps (fit on the training rows, then `transform` any rows)
/// 1. Missing values: NaN and ±Inf are treated as missing and replaced by the training median of
///    the column (a column with no finite training value gets 0 and is then dropped as constant).
/// 2. Variance filter: a column whose (population) variance on the imputed training rows is
///    \f$\le\f$ `variance_threshold` is dropped (default 0: constant columns).
/// 3. Selection (when `top_k > 0`): within each token group, the `top_k` columns with the smallest
///    two-sided Mann–Whitney p-value between the classes (`stats/mann_whitney.hpp`, SciPy's
///    `mannwhitneyu` defaults) are kept; ties keep the lower column index. If that header is not
///    available the largest |Welch t| is used instead (`selection_statistic()` says which).
/// 4. Scaling: \f$ z = (x - \mu)/\sigma \f$ with the training mean and population standard
///    deviation (scikit-learn's `StandardScaler`).
/// Groups keep their order; a group whose columns were all dropped stays with zero columns (its
/// token is then a learned constant).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"
#include "radiogenomics/learn/transformer_encoder.hpp"
#include "radiogenomics/stats/mann_whitney.hpp"  // learn sits above stats: top-k selection ranks by Mann–Whitney p

namespace radiogenomics::learn {

/// Median of the finite values of `column` (NaN/Inf ignored; 0 when none is finite): the imputation value of
/// `feature_preprocessor` and of the study's label-free alignment target.
template <class TColumn>
double finite_median(const TColumn& column)
{
    std::vector<double> finite;
    for (Eigen::Index r = 0; r < column.size(); ++r) {
        if (std::isfinite(column(r))) {
            finite.push_back(column(r));
        }
    }
    if (finite.empty()) {
        return 0.0;
    }
    std::sort(finite.begin(), finite.end());
    const std::size_t h = finite.size() / 2;
    return finite.size() % 2 == 1 ? finite[h] : 0.5 * (finite[h - 1] + finite[h]);
}

/// Settings of `feature_preprocessor`.
struct preprocessing_options {
    double variance_threshold = 0.0;  ///< drop columns with training variance <= this
    index top_k = 0;                  ///< keep the k best columns per group (0: keep all)
    bool standardize = true;          ///< z-score with training mean / std
};

/// Name of the univariate statistic used for top-k selection (`stats::mann_whitney` two-sided p).
inline const char* selection_statistic() { return "mann_whitney_p"; }

/// Fitted preprocessing; `transform` maps raw rows to model inputs.
class feature_preprocessor {
public:
    feature_preprocessor() = default;

    /// Fits on training rows `x` (NaN/Inf allowed) with 0/1 `labels` and the column `groups`.
    void fit(const matrix<double>& x, const std::vector<int>& labels, const std::vector<token_group>& groups,
             const preprocessing_options& options = {})
    {
        const std::string where = "learn.feature_preprocessor.fit";
        if (x.rows() == 0 || static_cast<index>(labels.size()) != x.rows()) {
            raise(where, "rows: got ", x.rows(), " rows and ", labels.size(), " labels, expected the same non-zero count.");
        }
        index expected = 0;
        for (const auto& g : groups) {
            if (g.begin != expected || g.count < 0) {
                raise(where, "group '", g.name, "': got begin ", g.begin, ", expected contiguous groups from column ", expected, ".");
            }
            expected += g.count;
        }
        if (expected != x.cols()) {
            raise(where, "groups: got ", expected, " columns in groups, expected ", x.cols(), " (every column in one group).");
        }
        m_input_columns = x.cols();
        const index n = x.rows();
        m_median.assign(static_cast<std::size_t>(x.cols()), 0.0);
        std::vector<double> variance(static_cast<std::size_t>(x.cols()), 0.0);
        matrix<double> imputed = x;
        for (index c = 0; c < x.cols(); ++c) {
            const double median = finite_median(x.col(c));
            m_median[static_cast<std::size_t>(c)] = median;
            for (index r = 0; r < n; ++r) {
                if (!std::isfinite(imputed(r, c))) {
                    imputed(r, c) = median;
                }
            }
            const double mean = imputed.col(c).mean();
            variance[static_cast<std::size_t>(c)] = (imputed.col(c).array() - mean).square().mean();
        }
        m_selected.clear();
        m_groups.clear();
        for (const auto& g : groups) {
            std::vector<index> kept;
            for (index c = g.begin; c < g.begin + g.count; ++c) {
                if (variance[static_cast<std::size_t>(c)] > options.variance_threshold) {
                    kept.push_back(c);
                }
            }
            if (options.top_k > 0 && static_cast<index>(kept.size()) > options.top_k) {
                kept = select_top_k(imputed, labels, kept, options.top_k);
            }
            m_groups.push_back(token_group{g.name, static_cast<index>(m_selected.size()), static_cast<index>(kept.size())});
            m_selected.insert(m_selected.end(), kept.begin(), kept.end());
        }
        m_mean.assign(m_selected.size(), 0.0);
        m_scale.assign(m_selected.size(), 1.0);
        if (options.standardize) {
            for (std::size_t k = 0; k < m_selected.size(); ++k) {
                const auto col = imputed.col(m_selected[k]);
                m_mean[k] = col.mean();
                const double sd = std::sqrt((col.array() - m_mean[k]).square().mean());
                m_scale[k] = sd > 0 ? sd : 1.0;
            }
        }
    }

    /// Imputes, selects and scales the rows of `x` (same columns as at `fit`).
    matrix<double> transform(const matrix<double>& x) const
    {
        if (x.cols() != m_input_columns) {
            raise("learn.feature_preprocessor.transform", "columns: got ", x.cols(), ", expected ", m_input_columns, ". Fit first.");
        }
        matrix<double> out(x.rows(), static_cast<index>(m_selected.size()));
        for (std::size_t k = 0; k < m_selected.size(); ++k) {
            const index c = m_selected[k];
            for (index r = 0; r < x.rows(); ++r) {
                const double v = std::isfinite(x(r, c)) ? x(r, c) : m_median[static_cast<std::size_t>(c)];
                out(r, static_cast<index>(k)) = (v - m_mean[k]) / m_scale[k];
            }
        }
        return out;
    }

    /// Groups of the transformed columns.
    const std::vector<token_group>& groups() const { return m_groups; }
    /// Input column of each output column.
    const std::vector<index>& selected_columns() const { return m_selected; }
    /// Training median of every input column (the imputation value).
    const std::vector<double>& medians() const { return m_median; }
    /// Training mean and scale of every output column.
    const std::vector<double>& means() const { return m_mean; }
    const std::vector<double>& scales() const { return m_scale; }

private:
    static std::vector<index> select_top_k(const matrix<double>& x, const std::vector<int>& labels,
                                           const std::vector<index>& candidates, index k)
    {
        std::vector<double> score(candidates.size(), 0.0);  // smaller is better
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            std::vector<double> a;
            std::vector<double> b;
            for (index r = 0; r < x.rows(); ++r) {
                (labels[static_cast<std::size_t>(r)] == 1 ? a : b).push_back(x(r, candidates[i]));
            }
            if (a.empty() || b.empty()) {
                raise("learn.feature_preprocessor.fit", "classes: got one class in the training rows, expected both for feature selection.");
            }
            const Eigen::Map<const Eigen::VectorXd> va(a.data(), static_cast<index>(a.size()));
            const Eigen::Map<const Eigen::VectorXd> vb(b.data(), static_cast<index>(b.size()));
            const double p = stats::mann_whitney(va, vb).p_value;
            score[i] = std::isnan(p) ? 2.0 : p;
        }
        std::vector<std::size_t> order(candidates.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t l, std::size_t r) { return score[l] < score[r]; });
        std::vector<index> kept;
        for (index i = 0; i < k; ++i) {
            kept.push_back(candidates[order[static_cast<std::size_t>(i)]]);
        }
        std::sort(kept.begin(), kept.end());
        return kept;
    }

    index m_input_columns = 0;
    std::vector<double> m_median;
    std::vector<index> m_selected;
    std::vector<double> m_mean;
    std::vector<double> m_scale;
    std::vector<token_group> m_groups;
};

}  // namespace radiogenomics::learn
