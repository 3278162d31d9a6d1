// LBP3D on sparse multi-label ROIs (issue 17, item 2: `lbp-3D-k` first-order percentiles): label 1 a sparse ROI of
// isolated voxels and small components spanning every slice (B-spline samples outside the image: SciPy's
// mode='constant'), other labels adjacent, images full of ties (int16, uint16, float32, float64; three spacings).
// References: tests/fixtures/features/generate_lbp3d_sparse_roi.py. The LBP3D images are PyRadiomics'
// getLBP3DImage re-run with SciPy 1.10 (the oracle cannot run LBP3D: trimesh), and the first-order values are the
// PyRadiomics oracle's on those images given as Original images with the label map (what PyRadiomics computes
// for the lbp-3D-* image types).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <string>
#include <tuple>

#include "feature_test_util.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

using voxel_key = std::tuple<std::string, std::size_t, std::size_t, std::size_t>;

/// (case, i, j, k) -> SciPy's {m1, m2, kurtosis} at that ROI voxel (float.hex in the fixture: exact).
std::map<voxel_key, std::array<double, 3>> read_scipy_images()
{
    const auto t = rg::io::read_csv(rg_test::fixture("features/lbp3d_sparse_roi_images.csv"));
    std::map<voxel_key, std::array<double, 3>> out;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        const auto& row = t.rows[r];
        const auto index = [&](const char* c) { return static_cast<std::size_t>(t.number(r, t.column(c))); };
        const auto hex = [&](const char* c) { return std::strtod(row[t.column(c)].c_str(), nullptr); };
        out[{row[t.column("case")], index("i"), index("j"), index("k")}] = {hex("m1"), hex("m2"), hex("kurtosis")};
    }
    return out;
}

/// LBP3D images and first-order features of one case, compared with the fixtures.
template <class TPixel>
void check_case(const rg::io::csv_table& cases, std::size_t r,
                const std::map<voxel_key, std::array<double, 3>>& scipy,
                const std::map<std::string, std::map<std::string, double>>& expected)
{
    const std::string name = cases.rows[r][cases.column("case")];
    const auto img = rg::io::read_nifti<TPixel, 3>(rg_test::fixture("features/" + cases.rows[r][cases.column("image")]));
    const auto mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::fixture("features/" + cases.rows[r][cases.column("mask")]));
    BOOST_TEST_CONTEXT(name)
    {
        // 1. The LBP3D images at every ROI voxel, bit for bit (whole image, as PyRadiomics).
        const auto lbp = rg::filters::local_binary_pattern_3d(img, mask);
        std::size_t voxels = 0, differing = 0;
        const auto& shape = img.geometry().shape();
        for (std::size_t k = 0; k < shape[2]; ++k) {
            for (std::size_t j = 0; j < shape[1]; ++j) {
                for (std::size_t i = 0; i < shape[0]; ++i) {
                    if (mask(i, j, k) != 1) {
                        continue;
                    }
                    ++voxels;
                    const auto it = scipy.find({name, i, j, k});
                    BOOST_TEST_REQUIRE((it != scipy.end()), "ROI voxel " << i << "," << j << "," << k);
                    const std::array<double, 3> mine{lbp.levels[0](i, j, k), lbp.levels[1](i, j, k),
                                                     lbp.kurtosis(i, j, k)};
                    for (std::size_t c = 0; c < 3; ++c) {
                        if (mine[c] != it->second[c]) {
                            ++differing;
                            BOOST_TEST_MESSAGE(name << " voxel " << i << "," << j << "," << k << " image " << c
                                                    << ": " << std::hexfloat << mine[c] << " SciPy " << it->second[c]
                                                    << std::defaultfloat);
                        }
                    }
                }
            }
        }
        BOOST_TEST(voxels > 0u);
        BOOST_TEST(differing == 0u, differing << " of " << 3 * voxels << " LBP3D values differ from SciPy's");

        // 2. First order of lbp-3D-m1/m2/k through the extractor (default crop of the filter input), 1e-6.
        rf::extractor_settings settings;
        settings.setting.label = std::stoi(cases.rows[r][cases.column("label")]);
        const std::string bin_count = cases.rows[r][cases.column("binCount")];
        if (bin_count != "-") {
            settings.setting.bin_count = std::stoi(bin_count);
        } else {
            settings.setting.bin_width = std::stod(cases.rows[r][cases.column("binWidth")]);
        }
        rf::image_type_settings type;
        type.type = rg::filters::image_type::lbp3d;
        settings.image_types = {type};
        settings.classes = {{rf::feature_class::first_order, {}}};
        const auto got = rf::extract(img, mask, settings);
        const auto& want = expected.at(name);
        std::map<std::string, double> mine;
        for (const auto& f : got) {
            mine[f.name] = f.value;
        }
        BOOST_TEST(mine.size() == want.size());
        for (const auto& [feature, value] : want) {
            const auto it = mine.find(feature);
            BOOST_TEST_REQUIRE((it != mine.end()), feature << " missing from the extractor output");
            BOOST_TEST(rg_features_test::close(it->second, value),
                       feature << ": got " << std::setprecision(17) << it->second << ", PyRadiomics " << value);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lbp3d_sparse_roi)

BOOST_AUTO_TEST_CASE(lbp3d_first_order_on_sparse_multi_label_rois_equals_pyradiomics)
{
    const auto cases = rg::io::read_csv(rg_test::fixture("features/lbp3d_sparse_roi_cases.csv"));
    const auto scipy = read_scipy_images();
    std::map<std::string, std::map<std::string, double>> expected;
    const auto table = rg::io::read_csv(rg_test::fixture("features/lbp3d_sparse_roi_expected.csv"));
    for (const auto& row : table.rows) {
        for (std::size_t c = 1; c < table.header.size(); ++c) {
            expected[row[0]][table.header[c]] = std::strtod(row[c].c_str(), nullptr);
        }
    }
    BOOST_TEST_REQUIRE(cases.row_count() == 4u);
    BOOST_TEST_REQUIRE(expected.size() == 4u);
    BOOST_TEST_REQUIRE(cases.rows[0][0] == "mr_int16");
    BOOST_TEST_REQUIRE(cases.rows[1][0] == "iso_float32");
    BOOST_TEST_REQUIRE(cases.rows[2][0] == "aniso_f64");
    BOOST_TEST_REQUIRE(cases.rows[3][0] == "mr_uint16");
    check_case<std::int16_t>(cases, 0, scipy, expected);  // mr_int16: SciPy rounds the samples to int16
    check_case<float>(cases, 1, scipy, expected);          // iso_float32
    check_case<double>(cases, 2, scipy, expected);         // aniso_f64
    // mr_uint16: SciPy clips samples below 0 to 0 in the uint16 output. Read as int32 (what radiomics_extract
    // did with uint16 files), 27 kurtosis values keep their negative samples and lbp-3D-k's 75th/90th
    // percentiles move by 4.5e-3/3.4e-3: the pixel type must stay uint16.
    check_case<std::uint16_t>(cases, 3, scipy, expected);
}

BOOST_AUTO_TEST_SUITE_END()
