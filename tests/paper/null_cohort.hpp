#pragma once
/// \file null_cohort.hpp
/// \brief A cohort of features with no TP53 information (the statistical null), built without
/// images so the model and clustering stages can be checked at the study's size in seconds.
///
/// Each source's columns follow a few latent factors plus noise (radiomics columns are strongly
/// correlated) and are split into image-type families by name, so the single-source models get
/// several tokens as in the study. TP53 labels, cancer types, stages, grades and lymph-node status
/// are drawn independently of every feature and of each other.
#include <array>
#include <cstdint>
#include <string>

#include "radiogenomics/core/random.hpp"
#include "radiogenomics/study/cohort_processing.hpp"

namespace radiogenomics::test {

/// `patients` patients, `positives` of them TP53+ (the study: 79 of 259), `columns` per tumour
/// source and `columns / 4` per BAT source.
inline study::cohort_features null_cohort(std::size_t patients, std::size_t positives, std::size_t columns,
                                           std::uint64_t seed)
{
    study::cohort_features c;
    random_engine engine(seed);
    std::vector<int> tp53(patients, 0);
    for (std::size_t i = 0; i < positives; ++i) {
        tp53[i] = 1;
    }
    shuffle(tp53, engine);
    for (std::size_t i = 0; i < patients; ++i) {
        synth::clinical_record r;
        r.index = i;
        r.id = "NULL-" + std::to_string(i + 1);
        r.type = static_cast<synth::cancer_type>(static_cast<int>(uniform01(engine) * 3.0) % 3);
        r.stage = static_cast<synth::figo_stage>(static_cast<int>(uniform01(engine) * 5.0) % 5);
        r.grade = static_cast<synth::tumour_grade>(static_cast<int>(uniform01(engine) * 3.0) % 3);
        r.lymph_node_positive = uniform01(engine) < 0.3;
        r.tp53_positive = tp53[i] == 1;
        c.clinical.push_back(r);
    }
    const std::array<const char*, 3> families{"original_firstorder_", "wavelet-LLH_glcm_", "log-sigma-1-0-mm-3D_glrlm_"};
    for (std::size_t s = 0; s < study::source_count; ++s) {
        const std::size_t p = s < 2 ? columns : std::max<std::size_t>(columns / 4, 3);
        constexpr int factors = 4;
        Eigen::MatrixXd loading(factors, static_cast<Eigen::Index>(p));
        for (Eigen::Index j = 0; j < loading.size(); ++j) {
            loading.data()[j] = standard_normal(engine);
        }
        Eigen::MatrixXd x(static_cast<Eigen::Index>(patients), static_cast<Eigen::Index>(p));
        for (std::size_t i = 0; i < patients; ++i) {
            Eigen::RowVectorXd f(factors);
            for (int k = 0; k < factors; ++k) {
                f[k] = standard_normal(engine);
            }
            for (std::size_t j = 0; j < p; ++j) {
                x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
                    f.dot(loading.col(static_cast<Eigen::Index>(j))) + 0.7 * standard_normal(engine);
            }
        }
        c.manual[s] = x;
        for (std::size_t j = 0; j < p; ++j) {
            c.names[s].push_back(std::string(families[j * families.size() / p]) + "f" + std::to_string(j));
        }
    }
    for (std::size_t s = 0; s < 2; ++s) {
        c.automatic[s] = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(patients), c.manual[s].cols(),
                                                   std::numeric_limits<double>::quiet_NaN());
        c.automatic_names[s] = c.names[s];
    }
    c.source_description = "null cohort (features independent of TP53)";
    return c;
}

}  // namespace radiogenomics::test
