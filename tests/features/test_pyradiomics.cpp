// PyRadiomics equality: every original_* feature of PyRadiomics' own output (shared/reference/pyradiomics,
// a faithful PyRadiomics 3.1 run, see its README) must be reproduced to 1e-6 relative.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <string>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

/// Compares every reference row starting with `prefix`; prints the per-class fraction matched.
void compare(const rf::feature_list& got, const std::string& csv, const std::string& prefix)
{
    const auto reference = rg_features_test::read_reference(rg_test::shared_reference("pyradiomics/" + csv));
    std::map<std::string, double> mine;
    for (const auto& f : got) {
        mine[f.name] = f.value;
    }
    std::map<std::string, std::pair<int, int>> per_class;  // matched, total
    for (const auto& [name, value] : reference) {
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::string cls = name.substr(prefix.size(), name.find('_', prefix.size()) - prefix.size());
        auto& tally = per_class[cls];
        ++tally.second;
        const auto it = mine.find(name);
        BOOST_TEST_CONTEXT(csv << ": " << name)
        {
            BOOST_TEST_REQUIRE((it != mine.end()), "feature missing from the extractor output");
            const bool ok = rg_features_test::close(it->second, value);
            BOOST_TEST(ok, "got " << it->second << ", PyRadiomics " << value);
            tally.first += ok ? 1 : 0;
        }
    }
    for (const auto& [cls, tally] : per_class) {
        BOOST_TEST_MESSAGE(csv << " " << prefix << cls << ": " << tally.first << "/" << tally.second
                               << " equal to 1e-6");
    }
    // no extra features either
    for (const auto& f : got) {
        BOOST_TEST((reference.count(f.name) == 1), f.name << " is not in the PyRadiomics output");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pyradiomics_equality)

BOOST_AUTO_TEST_CASE(ct_phantom_original_bin_width_25)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 25.0;
    compare(rf::extract_original(img, mask, s), "ibsi_ct_phantom_paper.csv", "original_");
}

BOOST_AUTO_TEST_CASE(synthetic_pet_original_bin_width_025)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 0.25;
    compare(rf::extract_original(img, mask, s), "synthetic_pet_paper_bw025.csv", "original_");
}

BOOST_AUTO_TEST_CASE(synthetic_bat_ct_original_first_order)
{
    const auto img = rg::io::read_nifti<std::int16_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/ct.nii.gz"));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_bat/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 25.0;
    compare(rf::extract_original(img, mask, s, {{rf::feature_class::first_order, {}}}),
            "synthetic_bat_ct_firstorder.csv", "original_");
}

BOOST_AUTO_TEST_SUITE_END()
