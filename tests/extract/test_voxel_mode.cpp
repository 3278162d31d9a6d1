// radiomics_extract --mode voxel: maps on PyRadiomics' crop box (or the input grid with --full-grid) equal to
// PyRadiomics 3.1's own voxel-mode maps (shared/reference/pyradiomics_voxel), the CSV listing each map's path,
// voxelSetting from the parameter file, and a clear error for an output folder that cannot be written.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "extract_test_util.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace et = rg_extract_test;

namespace {

std::string voxel_reference(const std::string& relative)
{
    return rg_test::shared_reference("pyradiomics_voxel/" + relative);
}

bool close(double a, double b)
{
    if (std::isnan(a) || std::isnan(b)) {
        return std::isnan(a) && std::isnan(b);
    }
    return std::fabs(a - b) <= 1e-6 * std::fmax(std::fabs(a), std::fabs(b)) + 1e-12;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(voxel_mode)

BOOST_AUTO_TEST_CASE(maps_equal_pyradiomics_and_csv_lists_paths)
{
    const et::temp_folder dir("voxel_mode");
    // synthetic_blob_r2_unmasked/settings.json -> params
    et::write_text(dir.file("params.yaml"), "setting:\n  binWidth: 25\n  label: 1\nvoxelSetting:\n  kernelRadius: 2\n"
                                            "  maskedKernel: false\n  initValue: 0.0\n");
    const std::string inputs = et::quote(voxel_reference("inputs/synthetic_blob/image.nii.gz")) + " " +
                               et::quote(voxel_reference("inputs/synthetic_blob/mask.nii.gz"));
    const auto r = et::run(inputs + " --mode voxel -q -p " + et::quote(dir.file("params.yaml")) + " --out-dir " +
                               et::quote(dir.file("maps")) + " -o " + et::quote(dir.file("out.csv")),
                           dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto table = rg::io::read_csv(dir.file("out.csv"));
    BOOST_TEST_REQUIRE(table.row_count() == 1u);
    BOOST_TEST(table.column_count() == 3u + 93u);  // Image, Mask, error, 93 maps
    BOOST_TEST(table.rows[0][table.column("error")].empty());
    std::size_t compared = 0;
    for (const char* name : {"original_firstorder_Mean", "original_glcm_JointAverage", "original_glcm_MCC",
                             "original_glrlm_RunEntropy", "original_glszm_ZoneEntropy", "original_gldm_DependenceEntropy",
                             "original_ngtdm_Coarseness"}) {
        const std::string path = table.rows[0][table.column(name)];
        BOOST_TEST(path == dir.file("maps") + "/" + name + ".nii.gz");
        const auto map = rg::io::read_nifti<double, 3>(path);
        const auto reference = rg::io::read_nifti<double, 3>(voxel_reference(std::string("synthetic_blob_r2_unmasked/") + name + ".nii.gz"));
        // settings.json pyradiomics_output_grid: index_lower_xyz [3, 3, 0], size_xyz [19, 14, 12]
        BOOST_TEST_REQUIRE((map.shape() == std::array<std::size_t, 3>{19, 14, 12}));
        const auto origin = reference.geometry().index_to_physical(std::array<std::ptrdiff_t, 3>{3, 3, 0});
        for (std::size_t d = 0; d < 3; ++d) {
            BOOST_TEST(std::fabs(map.geometry().origin()[d] - origin[d]) < 1e-4);  // NIfTI stores float32
        }
        std::size_t bad = 0;
        for (std::size_t k = 0; k < 12; ++k) {
            for (std::size_t j = 0; j < 14; ++j) {
                for (std::size_t i = 0; i < 19; ++i) {
                    bad += close(map(i, j, k), reference(i + 3, j + 3, k)) ? 0 : 1;
                }
            }
        }
        BOOST_TEST(bad == 0u, name);
        ++compared;
    }
    BOOST_TEST(compared == 7u);

    // --full-grid: the input grid, equal to the reference files as they are
    const auto full = et::run(inputs + " --mode voxel -q --full-grid -p " + et::quote(dir.file("params.yaml")) +
                                  " --out-dir " + et::quote(dir.file("full")) + " -o " + et::quote(dir.file("full.csv")),
                              dir);
    BOOST_TEST_REQUIRE(full.exit_code == 0, full.err);
    const auto a = rg::io::read_nifti<double, 3>(dir.file("full/original_glcm_Contrast.nii.gz"));
    const auto b = rg::io::read_nifti<double, 3>(voxel_reference("synthetic_blob_r2_unmasked/original_glcm_Contrast.nii.gz"));
    BOOST_TEST_REQUIRE((a.shape() == b.shape()));
    std::size_t bad = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        bad += close(a[i], b[i]) ? 0 : 1;
    }
    BOOST_TEST(bad == 0u);
}

BOOST_AUTO_TEST_CASE(unwritable_out_dir_and_bad_voxel_setting)
{
    const et::temp_folder dir("voxel_mode_bad");
    const std::string inputs = et::quote(voxel_reference("inputs/synthetic_blob/image.nii.gz")) + " " +
                               et::quote(voxel_reference("inputs/synthetic_blob/mask.nii.gz"));
    et::write_text(dir.file("file"), "x");
    const auto r = et::run(inputs + " --mode voxel -q --out-dir " + et::quote(dir.file("file") + "/maps") + " -o " +
                               et::quote(dir.file("out.csv")),
                           dir);
    BOOST_TEST(r.exit_code == 3);  // an output error (README: exit status)
    BOOST_TEST(r.err.find("output folder") != std::string::npos, r.err);
    BOOST_TEST(!std::filesystem::exists(dir.file("out.csv")));
    et::write_text(dir.file("bad.yaml"), "voxelSetting:\n  initValue: abc\n");
    const auto bad = et::run(inputs + " --mode voxel -q -p " + et::quote(dir.file("bad.yaml")) + " --out-dir " +
                                 et::quote(dir.file("maps")),
                             dir);
    BOOST_TEST(bad.exit_code == 2);
    BOOST_TEST(bad.err.find("voxelSetting.initValue") != std::string::npos, bad.err);
    BOOST_TEST(!std::filesystem::exists(dir.file("maps")));
}

BOOST_AUTO_TEST_SUITE_END()
