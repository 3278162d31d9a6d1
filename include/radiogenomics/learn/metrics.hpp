#pragma once
/// \file metrics.hpp
/// \brief Binary classification metrics: confusion matrix, accuracy, precision, recall
/// (sensitivity), specificity, F1, ROC AUC with a DeLong 95% CI, Youden-optimal threshold.
///
/// Labels are 0/1 with 1 the positive class (e.g. TP53-mutated); scores are P(class 1). A sample is
/// predicted positive when its score is \f$\ge\f$ the threshold. With \f$TP, FP, TN, FN\f$:
/// \f[ \mathrm{acc} = \frac{TP+TN}{N},\ \mathrm{prec} = \frac{TP}{TP+FP},\ \mathrm{rec} = \frac{TP}{TP+FN},
///     \mathrm{spec} = \frac{TN}{TN+FP},\ F_1 = \frac{2\,\mathrm{prec}\,\mathrm{rec}}{\mathrm{prec}+\mathrm{rec}} \f]
/// A 0/0 ratio is 0, as scikit-learn's `zero_division=0`.
///
/// \par AUC and DeLong
/// \f$ \mathrm{AUC} = \frac{1}{mn}\sum_{i\in P}\sum_{j\in N}\psi(s_i, s_j)\f$ with \f$\psi = 1, \tfrac12, 0\f$
/// for \f$>, =, <\f$ (equals `sklearn.metrics.roc_auc_score`). DeLong, DeLong & Clarke-Pearson (1988):
/// \f$ V_{10}(i) = \frac1n\sum_j \psi(s_i,s_j)\f$, \f$ V_{01}(j) = \frac1m\sum_i\psi(s_i,s_j)\f$,
/// \f$ \mathrm{Var} = S_{10}/m + S_{01}/n \f$ (sample variances, ddof 1), CI \f$= \mathrm{AUC} \pm z_{0.975}\sqrt{\mathrm{Var}}\f$
/// clipped to [0, 1]. With only one class present the AUC and its CI are NaN (scikit-learn raises).
///
/// \par Scores in float or double
/// Scores are read through `score_view`: a `std::vector<float>` or `std::vector<double>`, a contiguous Eigen vector
/// of either (a column of a model's `matrix<float>` output, an `Eigen::Map`), or a braced list, without copying.
/// Everything is computed in double, scikit-learn's precision: a float score is promoted exactly, so float scores
/// give the same metrics, bit for bit, as the same values in double (comparisons with the threshold included;
/// `youden_threshold` returns the chosen score as a double).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/normal_quantile.hpp"

namespace radiogenomics::learn {

/// Counts of a binary confusion matrix.
struct confusion_counts {
    long tn = 0;
    long fp = 0;
    long fn = 0;
    long tp = 0;
    long total() const { return tn + fp + fn + tp; }
};

/// Every metric at one threshold.
struct binary_metrics {
    double threshold = 0.5;
    confusion_counts confusion;
    double accuracy = 0;
    double precision = 0;
    double recall = 0;  ///< sensitivity
    double specificity = 0;
    double f1 = 0;
    double auc = std::numeric_limits<double>::quiet_NaN();
    double auc_variance = std::numeric_limits<double>::quiet_NaN();  ///< DeLong
    double auc_ci_low = std::numeric_limits<double>::quiet_NaN();
    double auc_ci_high = std::numeric_limits<double>::quiet_NaN();
};

/// AUC with its DeLong variance and confidence interval.
struct auc_interval {
    double auc = std::numeric_limits<double>::quiet_NaN();
    double variance = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
};

/// \brief Read-only view of binary-classifier scores, float or double, bound without copying: a `std::vector` of
/// either, a contiguous Eigen vector of either (inner stride 1: a `VectorXf`, a column of a column-major matrix, a
/// `Map`), or a pointer and a count; a braced list (`{0.1, 0.7}`) is copied into the view. Entries are read as double
/// (exact for float). A view must not outlive what it views.
class score_view {
public:
    score_view(const std::vector<double>& values) : m_double(values.data()), m_size(values.size()) {}
    score_view(const std::vector<float>& values) : m_float(values.data()), m_size(values.size()) {}
    score_view(std::initializer_list<double> values)
        : m_owned(values), m_double(m_owned.data()), m_size(m_owned.size())
    {
    }
    score_view(const score_view& other)
        : m_owned(other.m_owned), m_double(other.owns() ? m_owned.data() : other.m_double), m_float(other.m_float),
          m_size(other.m_size)
    {
    }
    score_view& operator=(const score_view&) = delete;
    score_view(const double* values, std::size_t size) : m_double(values), m_size(size) {}
    score_view(const float* values, std::size_t size) : m_float(values), m_size(size) {}
    /// A contiguous float or double Eigen vector (one row or one column); throws `invalid_argument` for a matrix or
    /// a strided vector (e.g. a row of a column-major matrix: `.eval()` it, or pass its transpose's column).
    template <class TDerived>
    score_view(const Eigen::DenseBase<TDerived>& values) : m_size(static_cast<std::size_t>(values.size()))
    {
        using scalar = typename TDerived::Scalar;
        static_assert(std::is_same_v<scalar, float> || std::is_same_v<scalar, double>,
                      "radiogenomics::learn metrics take float or double scores");
        static_assert((static_cast<unsigned>(TDerived::Flags) & Eigen::DirectAccessBit) != 0,
                      "radiogenomics::learn metrics read scores in place: pass a vector with storage (call .eval())");
        const TDerived& v = values.derived();
        if ((v.rows() != 1 && v.cols() != 1) || (v.size() > 1 && v.innerStride() != 1)) {
            raise("learn.score_view", "scores: got a ", v.rows(), " x ", v.cols(), " Eigen object with inner stride ",
                  v.innerStride(), ", expected a contiguous vector. Pass .eval() of it.");
        }
        if constexpr (std::is_same_v<scalar, float>) {
            m_float = v.data();
        } else {
            m_double = v.data();
        }
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    /// Score `i` as double (a float score promoted exactly).
    double operator[](std::size_t i) const
    {
        return m_float != nullptr ? static_cast<double>(m_float[i]) : m_double[i];
    }

private:
    bool owns() const { return !m_owned.empty() && m_double == m_owned.data(); }

    std::vector<double> m_owned;  ///< a braced list's copy (declared first: the pointers below may point into it)
    const double* m_double = nullptr;
    const float* m_float = nullptr;
    std::size_t m_size = 0;
};

namespace detail {

inline void check_binary_input(const std::string& where, const std::vector<int>& labels, const score_view& scores)
{
    if (labels.size() != scores.size() || labels.empty()) {
        raise(where, "sizes: got ", labels.size(), " labels and ", scores.size(),
              " scores, expected the same non-zero count.");
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] != 0 && labels[i] != 1) {
            raise(where, "label ", i, ": got ", labels[i], ", expected 0 or 1.");
        }
        if (!std::isfinite(scores[i])) {
            raise(where, "score ", i, ": got ", scores[i], ", expected a finite value.");
        }
    }
}

inline double safe_ratio(double num, double den) { return den > 0 ? num / den : 0.0; }

}  // namespace detail

/// Confusion counts with "score >= threshold" as positive.
inline confusion_counts confusion(const std::vector<int>& labels, score_view scores, double threshold = 0.5)
{
    detail::check_binary_input("learn.confusion", labels, scores);
    confusion_counts c;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const bool predicted = scores[i] >= threshold;
        if (labels[i] == 1) {
            (predicted ? c.tp : c.fn) += 1;
        } else {
            (predicted ? c.fp : c.tn) += 1;
        }
    }
    return c;
}

/// ROC AUC with the DeLong variance and a `confidence` interval (NaN when a class is absent).
inline auc_interval delong_auc(const std::vector<int>& labels, score_view scores, double confidence = 0.95)
{
    detail::check_binary_input("learn.delong_auc", labels, scores);
    if (!(confidence > 0.0 && confidence < 1.0)) {
        raise("learn.delong_auc", "confidence: got ", confidence, ", expected a value in (0, 1).");
    }
    std::vector<double> positives;
    std::vector<double> negatives;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        (labels[i] == 1 ? positives : negatives).push_back(scores[i]);
    }
    auc_interval result;
    const auto m = static_cast<double>(positives.size());
    const auto n = static_cast<double>(negatives.size());
    if (positives.empty() || negatives.empty()) {
        return result;
    }
    std::vector<double> v10(positives.size(), 0.0);
    std::vector<double> v01(negatives.size(), 0.0);
    for (std::size_t i = 0; i < positives.size(); ++i) {
        for (std::size_t j = 0; j < negatives.size(); ++j) {
            const double psi = positives[i] > negatives[j] ? 1.0 : positives[i] == negatives[j] ? 0.5 : 0.0;
            v10[i] += psi;
            v01[j] += psi;
        }
    }
    double auc = 0.0;
    for (auto& v : v10) {
        v /= n;
        auc += v;
    }
    auc /= m;
    for (auto& v : v01) {
        v /= m;
    }
    auto sample_variance = [auc](const std::vector<double>& values) {
        if (values.size() < 2) {
            return 0.0;
        }
        double s = 0.0;
        for (const double v : values) {
            s += (v - auc) * (v - auc);
        }
        return s / static_cast<double>(values.size() - 1);
    };
    result.auc = auc;
    result.variance = sample_variance(v10) / m + sample_variance(v01) / n;
    const double z = radiogenomics::normal_quantile(0.5 + 0.5 * confidence);
    result.low = std::max(0.0, auc - z * std::sqrt(result.variance));
    result.high = std::min(1.0, auc + z * std::sqrt(result.variance));
    return result;
}

/// ROC AUC (NaN when a class is absent).
inline double roc_auc(const std::vector<int>& labels, score_view scores)
{
    return delong_auc(labels, scores).auc;
}

/// Youden-optimal threshold: the highest distinct score \f$t\f$ maximising sensitivity + specificity − 1
/// (first maximum along `sklearn.metrics.roc_curve`'s decreasing thresholds). 0.5 when a class is absent.
inline double youden_threshold(const std::vector<int>& labels, score_view scores)
{
    detail::check_binary_input("learn.youden_threshold", labels, scores);
    std::vector<std::size_t> order(labels.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    double positives = 0;
    for (const int y : labels) {
        positives += y;
    }
    const double negatives = static_cast<double>(labels.size()) - positives;
    if (positives == 0 || negatives == 0) {
        return 0.5;
    }
    double tp = 0;
    double fp = 0;
    double best = 0.0;  // sklearn's first threshold (above every score) has J = 0
    double best_threshold = scores[order.front()] + 1.0;
    for (std::size_t k = 0; k < order.size(); ++k) {
        (labels[order[k]] == 1 ? tp : fp) += 1;
        if (k + 1 < order.size() && scores[order[k + 1]] == scores[order[k]]) {
            continue;  // all tied scores cross the threshold together
        }
        const double j = tp / positives - fp / negatives;
        if (j > best) {
            best = j;
            best_threshold = scores[order[k]];
        }
    }
    return best_threshold;
}

/// All metrics at `threshold` (and the threshold-free AUC with its DeLong CI).
inline binary_metrics evaluate_binary(const std::vector<int>& labels, score_view scores,
                                      double threshold = 0.5, double confidence = 0.95)
{
    binary_metrics m;
    m.threshold = threshold;
    m.confusion = confusion(labels, scores, threshold);
    const auto& c = m.confusion;
    m.accuracy = detail::safe_ratio(static_cast<double>(c.tp + c.tn), static_cast<double>(c.total()));
    m.precision = detail::safe_ratio(static_cast<double>(c.tp), static_cast<double>(c.tp + c.fp));
    m.recall = detail::safe_ratio(static_cast<double>(c.tp), static_cast<double>(c.tp + c.fn));
    m.specificity = detail::safe_ratio(static_cast<double>(c.tn), static_cast<double>(c.tn + c.fp));
    m.f1 = detail::safe_ratio(2.0 * m.precision * m.recall, m.precision + m.recall);
    const auc_interval a = delong_auc(labels, scores, confidence);
    m.auc = a.auc;
    m.auc_variance = a.variance;
    m.auc_ci_low = a.low;
    m.auc_ci_high = a.high;
    return m;
}

}  // namespace radiogenomics::learn
