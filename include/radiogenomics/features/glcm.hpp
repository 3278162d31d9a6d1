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

/// Reusable scratch of `glcm_features`: with one workspace per thread (voxel-based maps keep one per worker),
/// repeated calls allocate nothing once the buffers have grown to the largest matrix seen.
struct glcm_workspace {
    std::vector<double> p, px, py, sum_p, diff_p, g;
    std::vector<double> log_pxy;  ///< log2(p_x(i) p_y(j) + eps), cached for the symmetric reuse
    std::vector<double> log_p;    ///< log2(p(i,j) + eps), likewise
    std::vector<std::size_t> rows, cols;
    std::array<std::vector<double>, static_cast<std::size_t>(glcm_feature::count)> per;
    std::vector<double> mcc_scratch;
};

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

/// Largest order of the symmetric MCC matrix solved by `jacobi_eigenvalues` (larger ones go to Eigen's
/// tridiagonal QR, which needs fewer operations from about 6 levels on).
inline constexpr std::size_t glcm_mcc_small = 5;

/// Eigenvalues of the symmetric m x m matrix `a` (row-major, overwritten; m <= glcm_mcc_small) into `values`, by
/// the cyclic Jacobi method (Golub & Van Loan, Matrix Computations, 4th ed., Algorithm 8.5.3; rotation angle
/// from their Algorithm 8.5.1 `symSchur2`). Backward stable like Eigen's tridiagonal QR, in place and without
/// allocation, so it is the cheaper path for the few grey levels of a voxel-map kernel. A rotation is skipped
/// when its off-diagonal entry is below 1e-17 of the matrix's Frobenius norm (it moves no eigenvalue by more
/// than that, below the backward error of any of the solvers); sweeps stop when none is left.
inline void jacobi_eigenvalues(double* a, std::size_t m, double* values)
{
    double norm2 = 0.0;
    for (std::size_t k = 0; k < m * m; ++k) {
        norm2 += a[k] * a[k];
    }
    const double skip = 1e-17 * std::sqrt(norm2);
    for (int sweep = 0; sweep < 100; ++sweep) {
        bool rotated = false;
        for (std::size_t p = 0; p + 1 < m; ++p) {
            for (std::size_t q = p + 1; q < m; ++q) {
                const double apq = a[p * m + q];
                if (!(std::fabs(apq) > skip)) {
                    continue;
                }
                rotated = true;
                const double app = a[p * m + p];
                const double aqq = a[q * m + q];
                const double theta = (aqq - app) / (2.0 * apq);
                const double t = (theta >= 0.0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(1.0 + theta * theta));
                const double c = 1.0 / std::sqrt(1.0 + t * t);
                const double s = t * c;
                a[p * m + p] = app - t * apq;
                a[q * m + q] = aqq + t * apq;
                a[p * m + q] = 0.0;
                a[q * m + p] = 0.0;
                for (std::size_t r = 0; r < m; ++r) {
                    if (r == p || r == q) {
                        continue;
                    }
                    const double arp = a[r * m + p];
                    const double arq = a[r * m + q];
                    const double np = c * arp - s * arq;
                    const double nq = s * arp + c * arq;
                    a[r * m + p] = np;
                    a[p * m + r] = np;
                    a[r * m + q] = nq;
                    a[q * m + r] = nq;
                }
            }
        }
        if (!rotated) {
            break;
        }
    }
    for (std::size_t k = 0; k < m; ++k) {
        values[k] = a[k * m + k];
    }
}

/// MCC of one normalised GLCM `p` (n x n, row-major) with marginals px, py; `rows` / `cols` are the levels
/// with p_x > 0 / p_y > 0, increasing.
///
/// \f$Q = A P^T\f$ with \f$A(i,k) = p(i,k)/(p_x(i)p_y(k)+\epsilon)\f$ (levels with \f$p_x = 0\f$ give zero rows and
/// columns, i.e. eigenvalues 0). \f$S = D_x^{1/2} Q D_x^{-1/2}\f$ has the same eigenvalues and is symmetric up
/// to the \f$\epsilon\f$ terms; its antisymmetric part K changes eigenvalues only to second order
/// (\f$\|K\|^2/\mathrm{gap}\f$). When that bound is below 1e-10 relative, the symmetric solver is used (Jacobi
/// for at most `glcm_mcc_small` levels, Eigen's otherwise); else the general one on Q (all give numpy's
/// eigenvalues to rounding).
inline double glcm_mcc(const double* p, const double* px, const double* py, std::size_t n,
                       const std::vector<std::size_t>& rows, const std::vector<std::size_t>& cols,
                       std::size_t absent_levels, std::vector<double>& scratch)
{
    if (n + absent_levels < 2) {
        return 1.0;  // PyRadiomics: one grey level
    }
    const auto m = static_cast<Eigen::Index>(rows.size());
    const auto c = static_cast<Eigen::Index>(cols.size());
    const double eps = std::numeric_limits<double>::epsilon();
    const std::size_t zeros = n + absent_levels - rows.size();
    // second-largest of the symmetric eigenvalues `values` (m of them) plus `zeros` zeros; `ok` tells whether
    // the antisymmetric part (k_norm) is negligible for it (else the caller uses the general solver)
    const auto second_of = [&](std::vector<double>& values, double k_norm, bool& ok) {
        // the three largest of values + zeros decide: more than three zeros change neither (bit for bit)
        values.resize(values.size() + std::min<std::size_t>(zeros, 3), 0.0);
        std::sort(values.begin(), values.end());
        const std::size_t last = values.size() - 1;
        const double second = values[last - 1];
        double gap = values[last] - second;
        if (last >= 2) {
            gap = std::min(gap, second - values[last - 2]);
        }
        ok = k_norm * k_norm <= 1e-10 * gap * std::max(std::fabs(second), 1e-6);
        return second;
    };
    if (m >= 2 && static_cast<std::size_t>(m) <= glcm_mcc_small) {
        const auto mm = static_cast<std::size_t>(m);
        const auto cc = static_cast<std::size_t>(c);
        // scratch: A (m x c), Q (m x m), S (m x m), eigenvalues
        scratch.resize(mm * cc + 2 * mm * mm + mm);
        double* a = scratch.data();
        double* q = a + mm * cc;
        double* s = q + mm * mm;
        for (std::size_t r = 0; r < mm; ++r) {
            const std::size_t i = rows[r];
            for (std::size_t k = 0; k < cc; ++k) {
                const std::size_t kk = cols[k];
                a[r * cc + k] = p[i * n + kk] / (px[i] * py[kk] + eps);
            }
        }
        for (std::size_t r = 0; r < mm; ++r) {
            for (std::size_t t = 0; t < mm; ++t) {
                double sum = 0.0;
                const double* prow = p + rows[t] * n;
                for (std::size_t k = 0; k < cc; ++k) {
                    sum += a[r * cc + k] * prow[cols[k]];
                }
                q[r * mm + t] = sum;
            }
        }
        double k2 = 0.0;
        for (std::size_t r = 0; r < mm; ++r) {
            const double root_r = std::sqrt(px[rows[r]]);
            for (std::size_t t = 0; t <= r; ++t) {
                const double root_t = std::sqrt(px[rows[t]]);
                const double srt = root_r * q[r * mm + t] * (1.0 / root_t);
                const double str = root_t * q[t * mm + r] * (1.0 / root_r);
                const double sym = 0.5 * (srt + str);
                s[r * mm + t] = sym;
                s[t * mm + r] = sym;
                k2 += r == t ? 0.0 : 2.0 * (srt - str) * (srt - str);
            }
        }
        std::vector<double> values(mm);
        jacobi_eigenvalues(s, mm, values.data());
        bool ok = false;
        const double second = second_of(values, 0.5 * std::sqrt(k2), ok);
        if (ok) {
            return second < 0.0 ? std::nan("") : std::sqrt(second);
        }
        Eigen::MatrixXd qm(m, m);
        for (std::size_t r = 0; r < mm; ++r) {
            for (std::size_t t = 0; t < mm; ++t) {
                qm(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(t)) = q[r * mm + t];
            }
        }
        return mcc_from_general(qm, zeros);
    }
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
        bool ok = false;
        const double second = second_of(values, k_norm, ok);
        if (ok) {
            return second < 0.0 ? std::nan("") : std::sqrt(second);
        }
    }
    return mcc_from_general(q, zeros);
}

}  // namespace detail

/// Computes the GLCM features of `m` (per offset, then NaN-ignoring mean), reusing `ws`'s buffers.
///
/// Only the levels with a pair along an offset (rows with \f$p_x > 0\f$, columns with \f$p_y > 0\f$) are
/// visited: every other cell adds an exact zero to each sum, so skipping it changes no bit. For a symmetric
/// matrix (`symmetricalGLCM`) \f$p_x = p_y\f$ bit for bit, so \f$\log_2(p_xp_y+\epsilon)\f$ and
/// \f$\log_2(p+\epsilon)\f$ of cell (j, i) are those of cell (i, j), computed once.
inline glcm_values glcm_features(const glcm_matrices& m, glcm_workspace& ws)
{
    constexpr std::size_t nf = static_cast<std::size_t>(glcm_feature::count);
    const std::size_t n = m.size();
    const std::size_t na = m.offsets.size();
    const double eps = std::numeric_limits<double>::epsilon();
    const double ng = static_cast<double>(m.max_level);
    for (auto& v : ws.per) {
        v.resize(na);
    }
    ws.p.resize(n * n);
    ws.px.resize(n);
    ws.py.resize(n);
    ws.log_pxy.resize(n * n);
    ws.log_p.resize(n * n);
    const std::size_t max_level = static_cast<std::size_t>(m.max_level);
    ws.sum_p.assign(2 * max_level + 1, 0.0);  // zero between offsets: each offset clears what it filled
    ws.diff_p.assign(max_level + 1, 0.0);
    ws.g.resize(n);
    double* p = ws.p.data();
    double* px = ws.px.data();
    double* py = ws.py.data();
    double* g = ws.g.data();
    double* log_pxy = ws.log_pxy.data();
    double* log_p = ws.log_p.data();
    std::vector<double>& sum_p = ws.sum_p;
    std::vector<double>& diff_p = ws.diff_p;
    std::vector<std::size_t>& rows = ws.rows;
    std::vector<std::size_t>& cols = ws.cols;
    for (std::size_t a = 0; a < n; ++a) {
        g[a] = static_cast<double>(m.levels[a]);
    }
    for (std::size_t angle = 0; angle < na; ++angle) {
        const double* c = m.matrix(angle);
        double total = 0.0;
        for (std::size_t k = 0; k < n * n; ++k) {
            total += c[k];
        }
        // rows / columns holding a count (all of them for an empty matrix, whose cells are NaN)
        rows.clear();
        cols.clear();
        bool symmetric = total != 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            bool row = total == 0.0;
            bool col = total == 0.0;
            for (std::size_t j = 0; j < n; ++j) {
                row = row || c[i * n + j] != 0.0;
                col = col || c[j * n + i] != 0.0;
                symmetric = symmetric && c[i * n + j] == c[j * n + i];
            }
            if (row) {
                rows.push_back(i);
            }
            if (col) {
                cols.push_back(i);
            }
        }
        std::fill(px, px + n, 0.0);
        std::fill(py, py + n, 0.0);
        std::size_t sum_lo = sum_p.size(), sum_hi = 0, diff_hi = 0;  // filled ranges (all else stays 0)
        double ux = 0.0, uy = 0.0, auto_corr = 0.0, contrast = 0.0, energy = 0.0, hxy = 0.0, pmax = 0.0;
        for (std::size_t i : rows) {
            for (std::size_t j : cols) {
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
                    double l;
                    if (symmetric && j < i) {
                        l = log_p[j * n + i];  // p(i,j) = p(j,i) bit for bit
                    } else {
                        l = std::log2(v + eps);
                        log_p[i * n + j] = l;
                    }
                    hxy -= v * l;
                }
                pmax = std::max(pmax, v);
                const auto ks = static_cast<std::size_t>(m.levels[i] + m.levels[j]);
                const auto kd = static_cast<std::size_t>(std::abs(m.levels[i] - m.levels[j]));
                sum_p[ks] += v;
                diff_p[kd] += v;
                sum_lo = std::min(sum_lo, ks);
                sum_hi = std::max(sum_hi, ks);
                diff_hi = std::max(diff_hi, kd);
            }
        }
        // p_x = p_y bit for bit when the counts are symmetric (same terms, same order)
        bool same_marginals = symmetric;
        for (std::size_t i : rows) {
            same_marginals = same_marginals && px[i] == py[i];
        }
        double hx = 0.0, hy = 0.0;
        for (std::size_t i : rows) {
            hx -= px[i] * std::log2(px[i] + eps);
        }
        if (same_marginals) {
            hy = hx;
        } else {
            for (std::size_t i : cols) {
                hy -= py[i] * std::log2(py[i] + eps);
            }
        }
        double prom = 0.0, shade = 0.0, tend = 0.0, sigx2 = 0.0, sigy2 = 0.0, corm = 0.0, hxy1 = 0.0, hxy2 = 0.0;
        for (std::size_t i : rows) {
            for (std::size_t j : cols) {
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
                    double l;
                    if (same_marginals && j < i) {
                        l = log_pxy[j * n + i];  // px(i) py(j) = px(j) py(i) when px = py
                    } else {
                        l = std::log2(pxy + eps);
                        log_pxy[i * n + j] = l;
                    }
                    hxy1 -= v * l;
                    hxy2 -= pxy * l;
                } else if (v != 0.0) {
                    hxy1 -= v * std::log2(eps);
                }
            }
        }
        double diff_avg = 0.0, diff_entropy = 0.0, id = 0.0, idm = 0.0, idmn = 0.0, idn = 0.0, inv_var = 0.0;
        const std::size_t diff_end = rows.empty() ? 0 : diff_hi + 1;
        for (std::size_t k = 0; k < diff_end; ++k) {
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
        for (std::size_t k = 0; k < diff_end; ++k) {
            if (diff_p[k] == 0.0) {
                continue;
            }
            const double kd = static_cast<double>(k);
            diff_var += diff_p[k] * (kd - diff_avg) * (kd - diff_avg);
        }
        // sum_p and diff_p span the discretisation's levels (2 Ng + 1 and Ng + 1 entries) while a small ROI (a
        // voxel-map kernel) fills few of them: zero entries are skipped, which changes no bit.
        double sum_avg = 0.0, sum_entropy = 0.0;
        for (std::size_t k = std::max<std::size_t>(sum_lo, 2); k <= sum_hi && k < sum_p.size(); ++k) {
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
        if (!rows.empty()) {  // leave sum_p / diff_p zero for the next offset
            std::fill(sum_p.begin() + static_cast<std::ptrdiff_t>(sum_lo),
                      sum_p.begin() + static_cast<std::ptrdiff_t>(sum_hi) + 1, 0.0);
            std::fill(diff_p.begin(), diff_p.begin() + static_cast<std::ptrdiff_t>(diff_hi) + 1, 0.0);
        }
        double mcc = std::nan("");
        if (total != 0.0) {
            // levels with p_x > 0 / p_y > 0 are exactly those holding a count
            mcc = detail::glcm_mcc(p, px, py, n, rows, cols, m.absent_levels, ws.mcc_scratch);
        }

        const auto put = [&](glcm_feature f, double v) { ws.per[static_cast<std::size_t>(f)][angle] = v; };
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
        out[f] = detail::nanmean(ws.per[f]);
    }
    return out;
}

/// Computes the GLCM features of `m` (per offset, then NaN-ignoring mean).
inline glcm_values glcm_features(const glcm_matrices& m)
{
    glcm_workspace ws;
    return glcm_features(m, ws);
}

}  // namespace radiogenomics::features
