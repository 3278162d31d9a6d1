#pragma once
/// \file glcm.hpp
/// \brief GLCM features, PyRadiomics class `glcm` (24 default features).
///
/// Symbols (PyRadiomics docs): \f$p(i,j)\f$ the GLCM of one offset normalised to sum 1; i, j the grey
/// levels present in the ROI; \f$N_g\f$ the largest level; \f$p_x(i)=\sum_j p(i,j)\f$,
/// \f$p_y(j)=\sum_i p(i,j)\f$; \f$\mu_x=\sum i\,p(i,j)\f$, \f$\mu_y\f$; \f$\sigma_x, \sigma_y\f$ their standard
/// deviations; \f$p_{x+y}(k)=\sum_{i+j=k}p(i,j)\f$, \f$p_{x-y}(k)=\sum_{|i-j|=k}p(i,j)\f$;
/// \f$HX, HY\f$ the entropies of \f$p_x, p_y\f$; \f$HXY=-\sum p\log_2(p+\epsilon)\f$,
/// \f$HXY1=-\sum p\log_2(p_xp_y+\epsilon)\f$, \f$HXY2=-\sum p_xp_y\log_2(p_xp_y+\epsilon)\f$;
/// \f$\epsilon\f$ = machine epsilon.
///
/// \par Aggregation
/// Every feature is computed per offset and averaged over offsets, ignoring NaN (PyRadiomics'
/// `numpy.nanmean`). This is IBSI "3D averaged" (ITBB) in 3D and, with force2D, "2.5D direction-merged"
/// ... averaged per offset of all slices (JJUI).
///
/// \par Degenerate input
/// One grey level: Correlation 1, MCC 1, Imc1 0, Imc2 0, entropies \f$-\log_2(1+\epsilon)\f$. No offset
/// with a pair (all empty): every feature NaN.

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <vector>

#include <Eigen/Dense>

#include "radiogenomics/features/detail/size_matrix.hpp"
#include "radiogenomics/features/glcm_matrix.hpp"

namespace radiogenomics::features {

/// GLCM features in PyRadiomics' output order.
enum class glcm_feature : std::size_t {
    /// \brief Autocorrelation: \f$\sum p(i,j)\,ij\f$. IBSI `cm_auto_corr` (QWB0).
    autocorrelation,
    /// \brief ClusterProminence: \f$\sum p(i,j)(i+j-\mu_x-\mu_y)^4\f$. IBSI `cm_clust_prom` (AE86).
    cluster_prominence,
    /// \brief ClusterShade: \f$\sum p(i,j)(i+j-\mu_x-\mu_y)^3\f$. IBSI `cm_clust_shade` (7NFM).
    cluster_shade,
    /// \brief ClusterTendency: \f$\sum p(i,j)(i+j-\mu_x-\mu_y)^2\f$. IBSI `cm_clust_tend` (DG8W).
    cluster_tendency,
    /// \brief Contrast: \f$\sum p(i,j)(i-j)^2\f$. IBSI `cm_contrast` (ACUI).
    contrast,
    /// \brief Correlation: \f$\frac{\sum p(i,j)(i-\mu_x)(j-\mu_y)}{\sigma_x\sigma_y+\epsilon}\f$, 1 when
    /// \f$\sigma_x\sigma_y=0\f$. IBSI `cm_corr` (NI2N).
    correlation,
    /// \brief DifferenceAverage: \f$\sum_k k\,p_{x-y}(k)\f$. IBSI `cm_diff_avg` (TF7R).
    difference_average,
    /// \brief DifferenceEntropy: \f$-\sum_k p_{x-y}(k)\log_2(p_{x-y}(k)+\epsilon)\f$. IBSI `cm_diff_entr` (NTRS).
    difference_entropy,
    /// \brief DifferenceVariance: \f$\sum_k (k-DA)^2p_{x-y}(k)\f$. IBSI `cm_diff_var` (D3YU).
    difference_variance,
    /// \brief Id: \f$\sum_k \frac{p_{x-y}(k)}{1+k}\f$. IBSI `cm_inv_diff` (IB1Z).
    id,
    /// \brief Idm: \f$\sum_k \frac{p_{x-y}(k)}{1+k^2}\f$. IBSI `cm_inv_diff_mom` (WF0Z).
    idm,
    /// \brief Idmn: \f$\sum_k \frac{p_{x-y}(k)}{1+k^2/N_g^2}\f$. IBSI `cm_inv_diff_mom_norm` (1QCO).
    idmn,
    /// \brief Idn: \f$\sum_k \frac{p_{x-y}(k)}{1+k/N_g}\f$. IBSI `cm_inv_diff_norm` (NDRX).
    idn,
    /// \brief Imc1: \f$\frac{HXY-HXY1}{\max(HX,HY)}\f$ (0 when the max is 0). IBSI `cm_info_corr1` (R8DG).
    imc1,
    /// \brief Imc2: \f$\sqrt{1-e^{-2(HXY2-HXY)}}\f$ (0 when HXY2 = HXY). IBSI `cm_info_corr2` (JN9H).
    imc2,
    /// \brief InverseVariance: \f$\sum_{k\ge1}\frac{p_{x-y}(k)}{k^2}\f$. IBSI `cm_inv_var` (E8JP).
    inverse_variance,
    /// \brief JointAverage: \f$\mu_x\f$. IBSI `cm_joint_avg` (60VM).
    joint_average,
    /// \brief JointEnergy: \f$\sum p(i,j)^2\f$. IBSI `cm_energy` (8ZQL), angular second moment.
    joint_energy,
    /// \brief JointEntropy: HXY. IBSI `cm_joint_entr` (TU9B).
    joint_entropy,
    /// \brief MCC: \f$\sqrt{\lambda_2(Q)}\f$, \f$Q(i,j)=\sum_k\frac{p(i,k)p(j,k)}{p_x(i)p_y(k)+\epsilon}\f$,
    /// second-largest eigenvalue. No IBSI counterpart. One grey level: 1.
    mcc,
    /// \brief MaximumProbability: \f$\max p(i,j)\f$. IBSI `cm_joint_max` (GYBY).
    maximum_probability,
    /// \brief SumAverage: \f$\sum_k k\,p_{x+y}(k)\f$. IBSI `cm_sum_avg` (ZGXS).
    sum_average,
    /// \brief SumEntropy: \f$-\sum_k p_{x+y}(k)\log_2(p_{x+y}(k)+\epsilon)\f$. IBSI `cm_sum_entr` (P6QZ).
    sum_entropy,
    /// \brief SumSquares: \f$\sum p(i,j)(i-\mu_x)^2\f$. IBSI `cm_joint_var` (UR99).
    sum_squares,
    count
};

using glcm_values = std::array<double, static_cast<std::size_t>(glcm_feature::count)>;

namespace detail {

/// Square root of the second-largest eigenvalue (numpy sort order: real part, then imaginary) of a general
/// matrix, as PyRadiomics' `numpy.linalg.eigvals` path.
inline double mcc_from_general(const Eigen::MatrixXd& q, std::size_t extra_zeros)
{
    Eigen::EigenSolver<Eigen::MatrixXd> solver(q, false);
    if (solver.info() != Eigen::Success) {
        return std::nan("");
    }
    auto values = solver.eigenvalues();
    std::vector<std::complex<double>> sorted(values.data(), values.data() + values.size());
    sorted.resize(sorted.size() + extra_zeros, std::complex<double>(0.0, 0.0));
    std::sort(sorted.begin(), sorted.end(), [](const std::complex<double>& a, const std::complex<double>& b) {
        return a.real() < b.real() || (a.real() == b.real() && a.imag() < b.imag());
    });
    const std::complex<double> second = sorted[sorted.size() - 2];
    bool all_real = true;
    for (const auto& v : sorted) {
        all_real = all_real && v.imag() == 0.0;
    }
    if (all_real) {
        return second.real() < 0.0 ? std::nan("") : std::sqrt(second.real());
    }
    return std::sqrt(second).real();
}

/// MCC of one normalised GLCM `p` (n x n, row-major) with marginals px, py.
///
/// \f$Q = A P^T\f$ with \f$A(i,k) = p(i,k)/(p_x(i)p_y(k)+\epsilon)\f$ (levels with \f$p_x = 0\f$ give zero rows and
/// columns, i.e. eigenvalues 0). \f$S = D_x^{1/2} Q D_x^{-1/2}\f$ has the same eigenvalues and is symmetric up
/// to the \f$\epsilon\f$ terms; its antisymmetric part K changes eigenvalues only to second order
/// (\f$\|K\|^2/\mathrm{gap}\f$). When that bound is below 1e-10 relative, the symmetric solver is used;
/// otherwise the general one on Q (both give numpy's eigenvalues to rounding).
inline double glcm_mcc(const std::vector<double>& p, const std::vector<double>& px, const std::vector<double>& py,
                       std::size_t n, std::size_t absent_levels = 0)
{
    std::vector<std::size_t> rows, cols;
    for (std::size_t i = 0; i < n; ++i) {
        if (px[i] > 0.0) {
            rows.push_back(i);
        }
        if (py[i] > 0.0) {
            cols.push_back(i);
        }
    }
    if (n + absent_levels < 2) {
        return 1.0;  // PyRadiomics: one grey level
    }
    const auto m = static_cast<Eigen::Index>(rows.size());
    const auto c = static_cast<Eigen::Index>(cols.size());
    const double eps = std::numeric_limits<double>::epsilon();
    Eigen::MatrixXd a(m, c), pm(m, c);
    for (Eigen::Index r = 0; r < m; ++r) {
        const std::size_t i = rows[static_cast<std::size_t>(r)];
        for (Eigen::Index k = 0; k < c; ++k) {
            const std::size_t kk = cols[static_cast<std::size_t>(k)];
            pm(r, k) = p[i * n + kk];
            a(r, k) = p[i * n + kk] / (px[i] * py[kk] + eps);
        }
    }
    const Eigen::MatrixXd q = a * pm.transpose();
    const std::size_t zeros = n + absent_levels - rows.size();
    if (m < 2) {
        return mcc_from_general(q, zeros);
    }
    Eigen::VectorXd root(m);
    for (Eigen::Index r = 0; r < m; ++r) {
        root(r) = std::sqrt(px[rows[static_cast<std::size_t>(r)]]);
    }
    const Eigen::MatrixXd sm = root.asDiagonal() * q * root.cwiseInverse().asDiagonal();
    const Eigen::MatrixXd sym = 0.5 * (sm + sm.transpose());
    const double k_norm = 0.5 * (sm - sm.transpose()).norm();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(sym, Eigen::EigenvaluesOnly);
    if (solver.info() == Eigen::Success) {
        std::vector<double> values(solver.eigenvalues().data(), solver.eigenvalues().data() + m);
        values.resize(values.size() + zeros, 0.0);
        std::sort(values.begin(), values.end());
        const std::size_t last = values.size() - 1;
        const double second = values[last - 1];
        double gap = values[last] - second;
        if (last >= 2) {
            gap = std::min(gap, second - values[last - 2]);
        }
        if (k_norm * k_norm <= 1e-10 * gap * std::max(std::fabs(second), 1e-6)) {
            return second < 0.0 ? std::nan("") : std::sqrt(second);
        }
    }
    return mcc_from_general(q, zeros);
}

}  // namespace detail

/// Computes the GLCM features of `m` (per offset, then NaN-ignoring mean).
inline glcm_values glcm_features(const glcm_matrices& m)
{
    constexpr std::size_t nf = static_cast<std::size_t>(glcm_feature::count);
    const std::size_t n = m.size();
    const std::size_t na = m.offsets.size();
    const double eps = std::numeric_limits<double>::epsilon();
    const double ng = static_cast<double>(m.max_level);
    std::vector<std::vector<double>> per(nf, std::vector<double>(na));
    std::vector<double> p(n * n), px(n), py(n);
    const std::size_t max_level = static_cast<std::size_t>(m.max_level);
    std::vector<double> sum_p(2 * max_level + 1), diff_p(max_level + 1);
    std::vector<double> g(n);
    for (std::size_t a = 0; a < n; ++a) {
        g[a] = static_cast<double>(m.levels[a]);
    }
    for (std::size_t angle = 0; angle < na; ++angle) {
        const double* c = m.matrix(angle);
        double total = 0.0;
        for (std::size_t k = 0; k < n * n; ++k) {
            total += c[k];
        }
        std::fill(px.begin(), px.end(), 0.0);
        std::fill(py.begin(), py.end(), 0.0);
        std::fill(sum_p.begin(), sum_p.end(), 0.0);
        std::fill(diff_p.begin(), diff_p.end(), 0.0);
        double ux = 0.0, uy = 0.0, auto_corr = 0.0, contrast = 0.0, energy = 0.0, hxy = 0.0, pmax = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                const double v = total == 0.0 ? std::nan("") : c[i * n + j] / total;
                p[i * n + j] = v;
                px[i] += v;
                py[j] += v;
                ux += g[i] * v;
                uy += g[j] * v;
                auto_corr += v * g[i] * g[j];
                contrast += v * (g[i] - g[j]) * (g[i] - g[j]);
                energy += v * v;
                if (v != 0.0) {  // a zero cell adds exactly 0 (the logarithm is skipped, not the term)
                    hxy -= v * std::log2(v + eps);
                }
                pmax = std::max(pmax, v);
                sum_p[static_cast<std::size_t>(m.levels[i] + m.levels[j])] += v;
                diff_p[static_cast<std::size_t>(std::abs(m.levels[i] - m.levels[j]))] += v;
            }
        }
        double hx = 0.0, hy = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            hx -= px[i] * std::log2(px[i] + eps);
            hy -= py[i] * std::log2(py[i] + eps);
        }
        double prom = 0.0, shade = 0.0, tend = 0.0, sigx2 = 0.0, sigy2 = 0.0, corm = 0.0, hxy1 = 0.0, hxy2 = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                const double v = p[i * n + j];
                const double s = g[i] + g[j] - ux - uy;
                const double s2 = s * s;
                tend += v * s2;
                shade += v * s2 * s;
                prom += v * s2 * s2;
                sigx2 += v * (g[i] - ux) * (g[i] - ux);
                sigy2 += v * (g[j] - uy) * (g[j] - uy);
                corm += v * (g[i] - ux) * (g[j] - uy);
                const double pxy = px[i] * py[j];
                if (pxy != 0.0) {  // one logarithm for both sums; pxy = 0 adds exactly 0 to each
                    const double l = std::log2(pxy + eps);
                    hxy1 -= v * l;
                    hxy2 -= pxy * l;
                } else if (v != 0.0) {
                    hxy1 -= v * std::log2(eps);
                }
            }
        }
        double diff_avg = 0.0, diff_entropy = 0.0, id = 0.0, idm = 0.0, idmn = 0.0, idn = 0.0, inv_var = 0.0;
        for (std::size_t k = 0; k < diff_p.size(); ++k) {
            const double v = diff_p[k];
            if (v == 0.0) {
                continue;  // an empty difference adds exactly +0 to every sum (and skips a logarithm)
            }
            const double kd = static_cast<double>(k);
            diff_avg += kd * v;
            diff_entropy -= v * std::log2(v + eps);
            id += v / (1.0 + kd);
            idm += v / (1.0 + kd * kd);
            idmn += v / (1.0 + (kd * kd) / (ng * ng));
            idn += v / (1.0 + kd / ng);
            if (k > 0) {
                inv_var += v / (kd * kd);
            }
        }
        double diff_var = 0.0;
        for (std::size_t k = 0; k < diff_p.size(); ++k) {
            if (diff_p[k] == 0.0) {
                continue;
            }
            const double kd = static_cast<double>(k);
            diff_var += diff_p[k] * (kd - diff_avg) * (kd - diff_avg);
        }
        // sum_p and diff_p span the discretisation's levels (2 Ng + 1 and Ng + 1 entries) while a small ROI (a
        // voxel-map kernel) fills few of them: zero entries are skipped, which changes no bit.
        double sum_avg = 0.0, sum_entropy = 0.0;
        for (std::size_t k = 2; k < sum_p.size(); ++k) {
            if (sum_p[k] == 0.0) {
                continue;
            }
            sum_avg += static_cast<double>(k) * sum_p[k];
            sum_entropy -= sum_p[k] * std::log2(sum_p[k] + eps);
        }
        const double sigx = std::sqrt(sigx2);
        const double sigy = std::sqrt(sigy2);
        const double corr = sigx * sigy == 0.0 ? 1.0 : corm / (sigx * sigy + eps);
        const double div = std::fmax(hx, hy);
        const double imc1 = div != 0.0 ? (hxy - hxy1) / div : (hxy - hxy1);
        double imc2 = 0.0;
        if (hxy2 != hxy) {
            const double r = 1.0 - std::exp(-2.0 * (hxy2 - hxy));
            imc2 = r < 0.0 ? std::nan("") : std::sqrt(r);
        }
        const double mcc = total == 0.0 ? std::nan("") : detail::glcm_mcc(p, px, py, n, m.absent_levels);

        const auto put = [&](glcm_feature f, double v) { per[static_cast<std::size_t>(f)][angle] = v; };
        put(glcm_feature::autocorrelation, auto_corr);
        put(glcm_feature::cluster_prominence, prom);
        put(glcm_feature::cluster_shade, shade);
        put(glcm_feature::cluster_tendency, tend);
        put(glcm_feature::contrast, contrast);
        put(glcm_feature::correlation, total == 0.0 ? std::nan("") : corr);
        put(glcm_feature::difference_average, diff_avg);
        put(glcm_feature::difference_entropy, diff_entropy);
        put(glcm_feature::difference_variance, diff_var);
        put(glcm_feature::id, id);
        put(glcm_feature::idm, idm);
        put(glcm_feature::idmn, idmn);
        put(glcm_feature::idn, idn);
        put(glcm_feature::imc1, imc1);
        put(glcm_feature::imc2, total == 0.0 ? std::nan("") : imc2);
        put(glcm_feature::inverse_variance, inv_var);
        put(glcm_feature::joint_average, ux);
        put(glcm_feature::joint_energy, energy);
        put(glcm_feature::joint_entropy, hxy);
        put(glcm_feature::mcc, mcc);
        put(glcm_feature::maximum_probability, total == 0.0 ? std::nan("") : pmax);
        put(glcm_feature::sum_average, sum_avg);
        put(glcm_feature::sum_entropy, sum_entropy);
        put(glcm_feature::sum_squares, sigx2);
    }
    glcm_values out{};
    for (std::size_t f = 0; f < nf; ++f) {
        out[f] = detail::nanmean(per[f]);
    }
    return out;
}

}  // namespace radiogenomics::features
