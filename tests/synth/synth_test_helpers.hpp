#pragma once
// Helpers shared by the synth tests: sample quartiles as numpy.percentile computes them, and the
// SUV of a CT voxel looked up in the PET volume (nearest neighbour).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "radiogenomics/synth.hpp"

namespace synth_test {

// numpy.percentile(x, 100 q) with the default 'linear' method: position (n − 1) q in the sorted sample.
inline double percentile(std::vector<double> x, double q)
{
    std::sort(x.begin(), x.end());
    const double pos = static_cast<double>(x.size() - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, x.size() - 1);
    return x[lo] + (pos - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

// SUV at the centre of CT voxel (i, j, k): nearest PET voxel, Bq/mL × W / decayed dose.
inline double suv_at_ct_voxel(const radiogenomics::synth::synthetic_patient& p, std::size_t i, std::size_t j,
                              std::size_t k)
{
    const auto point = p.ct.geometry().index_to_physical(std::array<double, 3>{
        static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)});
    const auto c = p.pet.geometry().physical_to_index(point);
    std::array<std::size_t, 3> n{};
    for (std::size_t d = 0; d < 3; ++d) {
        const double r = std::round(c[d]);
        n[d] = static_cast<std::size_t>(std::min(std::max(r, 0.0), static_cast<double>(p.pet.shape()[d] - 1)));
    }
    return p.pet(n[0], n[1], n[2]) * radiogenomics::preprocess::suv_bw_factor(p.pet_info);
}

// Mean SUV over the true tumour mask (CT voxels looked up in PET).
inline double mean_tumour_suv(const radiogenomics::synth::synthetic_patient& p)
{
    double sum = 0.0;
    std::size_t count = 0;
    const auto& s = p.ct.shape();
    for (std::size_t k = 0; k < s[2]; ++k) {
        for (std::size_t j = 0; j < s[1]; ++j) {
            for (std::size_t i = 0; i < s[0]; ++i) {
                if (p.tumour_truth(i, j, k) != 0) {
                    sum += suv_at_ct_voxel(p, i, j, k);
                    ++count;
                }
            }
        }
    }
    return count == 0 ? 0.0 : sum / static_cast<double>(count);
}

struct group_difference {
    double difference = 0.0;  // mean(positive) − mean(negative)
    double t = 0.0;           // Welch t statistic
};

inline group_difference welch(const std::vector<double>& positive, const std::vector<double>& negative)
{
    const auto moments = [](const std::vector<double>& x, double& mean, double& var) {
        mean = 0.0;
        for (const double v : x) {
            mean += v;
        }
        mean /= static_cast<double>(x.size());
        var = 0.0;
        for (const double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= static_cast<double>(x.size() - 1);
    };
    double m1 = 0.0, v1 = 0.0, m0 = 0.0, v0 = 0.0;
    moments(positive, m1, v1);
    moments(negative, m0, v0);
    group_difference out;
    out.difference = m1 - m0;
    out.t = out.difference /
            std::sqrt(v1 / static_cast<double>(positive.size()) + v0 / static_cast<double>(negative.size()));
    return out;
}

}  // namespace synth_test
