// radiomics_extract on the kinds of input PyRadiomics reads through SimpleITK: a 2-D NIfTI (dim[0] = 2) runs the
// library's 2-D path with PyRadiomics' 2-D semantics; the LBP2D image type of parameter files; int8, uint32, int64
// and uint64 images kept in the pixel type SimpleITK gives them, in segment and voxel mode (LBP3D samples clipped
// and rounded to it). Fixtures: tests/fixtures/extract/generate_two_d_fixtures.py and generate_integer_lbp3d.py
// (nibabel files; PyRadiomics 3.1 oracle values, LBP3D images by SciPy).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <string>

#include "extract_test_util.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace et = rg_extract_test;

namespace {

std::string two_d(const std::string& name) { return et::quote(rg_test::fixture("extract/two_d/" + name)); }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// radiomics_extract IMAGE MASK ARGS -o out.csv, checked to succeed; the output table.
rg::io::csv_table extract(const std::string& image, const std::string& mask, const std::string& args,
                          const et::temp_folder& dir, std::string* err = nullptr)
{
    const auto r = et::run(image + " " + mask + " " + args + " -o " + et::quote(dir.file("out.csv")), dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    if (err != nullptr) {
        *err = r.err;
    }
    return rg::io::read_csv(dir.file("out.csv"));
}

/// The columns from `first` on (features), as written.
std::vector<std::pair<std::string, std::string>> feature_cells(const rg::io::csv_table& t, const std::string& first)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t c = t.column(first); c < t.column_count(); ++c) {
        out.emplace_back(t.header[c], t.rows.at(0)[c]);
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(radiomics_extract_two_d)

// The same 23 x 19 pixels as a 2-D NIfTI (no force2D) and as a one-slice volume (slice 1 mm) with force2D: the
// 2-D file goes through features::extract on image<T, 2> and gives the one-slice force2D row cell for cell (the
// one-slice run is the path radiomics_extract took for 2-D files before), for the intensity filters and LBP2D.
BOOST_AUTO_TEST_CASE(two_d_nifti_equals_one_slice_with_force2d)
{
    et::temp_folder dir("two_d_path");
    const std::string params = dir.file("p.yaml");
    et::write_text(params, "setting:\n  binWidth: 10\nimageType:\n  Original: {}\n  Square: {}\n  SquareRoot: {}\n"
                           "  Logarithm: {}\n  Exponential: {}\n  Gradient: {}\n  LBP2D: {}\nfeatureClass:\n"
                           "  shape2D:\n  firstorder:\n  glcm:\n  glrlm:\n  glszm:\n  gldm:\n  ngtdm:\n");
    std::string plane_err;
    const auto plane = extract(two_d("plane_image.nii.gz"), two_d("plane_mask.nii.gz"), "--param " + et::quote(params),
                               dir, &plane_err);
    const auto slice = extract(two_d("slice_image.nii.gz"), two_d("slice_mask.nii.gz"),
                               "--param " + et::quote(params) + " -s force2D:true", dir);
    // the diagnostics describe a 2-D image, as PyRadiomics' for a 2-D SimpleITK image
    BOOST_TEST(plane.rows[0][plane.column("diagnostics_Image-original_Dimensionality")] == "2D");
    BOOST_TEST(slice.rows[0][slice.column("diagnostics_Image-original_Dimensionality")] == "3D");
    const std::string size = plane.rows[0][plane.column("diagnostics_Image-original_Size")];
    BOOST_TEST(size == "(23, 19)");
    BOOST_TEST(slice.rows[0][slice.column("diagnostics_Image-original_Size")] == "(23, 19, 1)");
    BOOST_TEST(plane.rows[0][plane.column("diagnostics_Mask-original_BoundingBox")].size() > 0u);
    const auto a = feature_cells(plane, "original_shape2D_Elongation");
    const auto b = feature_cells(slice, "original_shape2D_Elongation");
    BOOST_TEST_REQUIRE(a.size() == b.size());
    BOOST_TEST(a.size() > 500u);  // 10 shape2D + 6 image types x 93 + LBP2D's 93
    for (std::size_t f = 0; f < a.size(); ++f) {
        BOOST_TEST(a[f].first == b[f].first);
        BOOST_TEST(a[f].second == b[f].second, a[f].first << ": 2-D " << a[f].second << ", one slice " << b[f].second);
    }
    // PyRadiomics' TotalEnergy = prod(spacing) x Energy: for a 2-D image the pixel area (nibabel stores the spacing
    // as float32 0.7 and 1.3)
    const double area = static_cast<double>(0.7f) * static_cast<double>(1.3f);
    const double energy = plane.number(0, plane.column("original_firstorder_Energy"));
    const double total = plane.number(0, plane.column("original_firstorder_TotalEnergy"));
    BOOST_TEST(std::fabs(total - area * energy) <= 1e-12 * total);
    // no LBP2D "features in 3D" warning for a 2-D image
    BOOST_TEST(!contains(plane_err, "LBP2D"), plane_err);
}

// PyRadiomics' shape class is 3-D only: for a 2-D image it warns and skips it (featureextractor.computeShape).
BOOST_AUTO_TEST_CASE(shape_of_a_two_d_image_is_skipped)
{
    et::temp_folder dir("two_d_shape");
    std::string err;
    const auto t = extract(two_d("plane_image.nii.gz"), two_d("plane_mask.nii.gz"), "", dir, &err);  // defaults
    BOOST_TEST(t.find_column("original_shape_Elongation") == rg::io::csv_table::npos);
    BOOST_TEST(t.find_column("original_shape2D_Elongation") == rg::io::csv_table::npos);  // not enabled by default
    BOOST_TEST(t.find_column("original_glcm_Contrast") != rg::io::csv_table::npos);
    BOOST_TEST(contains(err, "shape: skipped, the image is 2-D"), err);
    // resampling a 2-D image is refused naming the key
    const auto r = et::run(two_d("plane_image.nii.gz") + " " + two_d("plane_mask.nii.gz") +
                               " -s resampledPixelSpacing:[1,1,1]", dir);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(contains(r.err, "resampledPixelSpacing"), r.err);
}

// LBP2D from a parameter file (radius 2, 12 samples, method ror on the image type), against PyRadiomics 3.1 (the
// oracle, which calls scikit-image 0.19.3) on the one-slice volume with force2D: the 2-D file and the one-slice
// volume both give PyRadiomics' original and lbp-2D first order and GLCM.
BOOST_AUTO_TEST_CASE(lbp2d_against_pyradiomics)
{
    et::temp_folder dir("two_d_lbp2d");
    const auto expected = rg::io::read_csv(rg_test::fixture("extract/two_d/lbp2d_expected.csv"));
    std::size_t lbp_features = 0;
    for (const char* input : {"plane", "slice"}) {
        const std::string kind = input;
        const auto t = extract(two_d(kind + "_image.nii.gz"), two_d(kind + "_mask.nii.gz"),
                               "--param " + two_d("lbp2d.yaml"), dir);
        for (std::size_t r = 0; r < expected.row_count(); ++r) {
            const std::string name = expected.rows[r][0];
            const double want = expected.number(r, 1);
            const std::size_t c = t.find_column(name);
            BOOST_TEST_REQUIRE(c != rg::io::csv_table::npos, kind << ": no column " << name);
            const double got = t.number(0, c);
            BOOST_TEST(std::fabs(got - want) <= 1e-6 * std::fmax(std::fabs(want), 1e-6),
                       kind << " " << name << ": got " << std::setprecision(17) << got << ", PyRadiomics " << want);
            lbp_features += name.rfind("lbp-2D_", 0) == 0 ? 1 : 0;
        }
    }
    BOOST_TEST(lbp_features == 2u * 42u);  // 18 first order + 24 GLCM (PyRadiomics' defaults), for both inputs
}

// LBP2D on a volume without force2D: computed slice by slice with PyRadiomics' warning (getLBP2DImage).
BOOST_AUTO_TEST_CASE(lbp2d_on_a_volume_without_force2d_warns)
{
    et::temp_folder dir("two_d_lbp2d_warning");
    const std::string params = dir.file("p.yaml");
    et::write_text(params, "imageType:\n  LBP2D: {}\nfeatureClass:\n  firstorder: [Mean]\n");
    std::string err;
    const auto t = extract(two_d("slice_image.nii.gz"), two_d("slice_mask.nii.gz"), "--param " + et::quote(params),
                           dir, &err);
    BOOST_TEST(t.find_column("lbp-2D_firstorder_Mean") != rg::io::csv_table::npos);
    BOOST_TEST(contains(err, "LBP2D: computed in 2D but features extracted in 3D"), err);
    // voxel mode has no LBP2D maps: refused naming the image type
    const auto r = et::run(two_d("slice_image.nii.gz") + " " + two_d("slice_mask.nii.gz") + " --param " +
                               et::quote(params) + " --mode voxel --out-dir " + et::quote(dir.file("maps")), dir);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(contains(r.err, "imageType LBP2D"), r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(radiomics_extract_pixel_types)

// int8 / uint32 / int64 / uint64 images: radiomics_extract used int16 / double copies, whose LBP3D B-spline samples
// keep the overshoot beyond the type's range and the fractions (the generator checks that the kurtosis changes on
// 19 to 80 of 80 ROI voxels). Reference: PyRadiomics' getLBP3DImage re-run with SciPy in the file's dtype, first
// order by the PyRadiomics oracle.
BOOST_AUTO_TEST_CASE(lbp3d_in_the_pixel_type_simpleitk_reads)
{
    et::temp_folder dir("integer_lbp3d");
    const auto e = rg::io::read_csv(rg_test::fixture("extract/integer_lbp3d/expected.csv"));
    BOOST_TEST_REQUIRE(e.row_count() == 4u);
    for (std::size_t row = 0; row < e.row_count(); ++row) {
        const std::string name = e.rows[row][0];
        const auto t = extract(et::quote(rg_test::fixture("extract/integer_lbp3d/" + name + "_image.nii.gz")),
                               et::quote(rg_test::fixture("extract/integer_lbp3d/" + name + "_mask.nii.gz")),
                               "--param " + et::quote(rg_test::fixture("extract/lbp3d_firstorder_bw25.yaml")), dir);
        for (std::size_t c = 1; c < e.header.size(); ++c) {
            const double want = e.number(row, c);
            const double got = t.number(0, t.column(e.header[c]));
            const bool same = (std::isnan(want) && std::isnan(got)) ||
                              std::fabs(got - want) <= 1e-6 * std::fmax(std::fabs(want), 1e-6);
            BOOST_TEST(same, name << " " << e.header[c] << ": got " << std::setprecision(17) << got << ", PyRadiomics "
                                  << want);
        }
    }
}

// Voxel mode loads the image as segment mode does (it read every integer image as float, so its LBP3D samples were
// neither clipped nor rounded): on the int8 case, the lbp-3D-k Mean map with kernelRadius 1 and maskedKernel is, at
// each ROI voxel, the mean of the SciPy-made lbp-3D-k values (int8_kurtosis.csv) of the ROI voxels of its 3 x 3 x 3
// neighbourhood (PyRadiomics' voxel-based first-order Mean over the masked kernel).
BOOST_AUTO_TEST_CASE(voxel_mode_uses_the_same_pixel_type)
{
    et::temp_folder dir("integer_lbp3d_voxel");
    const std::string params = dir.file("p.yaml");
    et::write_text(params, "setting:\n  label: 1\n  binWidth: 25\nimageType:\n  LBP3D: {}\nfeatureClass:\n"
                           "  firstorder: [Mean]\nvoxelSetting:\n  kernelRadius: 1\n  maskedKernel: true\n");
    const std::string mask_path = rg_test::fixture("extract/integer_lbp3d/int8_mask.nii.gz");
    const auto r = et::run(et::quote(rg_test::fixture("extract/integer_lbp3d/int8_image.nii.gz")) + " " +
                               et::quote(mask_path) + " --param " + et::quote(params) + " --mode voxel --full-grid " +
                               "--map-format nii --out-dir " + et::quote(dir.file("maps")) + " -o " +
                               et::quote(dir.file("out.csv")), dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto map = rg::io::read_nifti<double, 3>(dir.file("maps/lbp-3D-k_firstorder_Mean.nii"));
    const auto k = rg::io::read_csv(rg_test::fixture("extract/integer_lbp3d/int8_kurtosis.csv"));
    std::map<std::array<long, 3>, double> kurtosis;
    for (std::size_t row = 0; row < k.row_count(); ++row) {
        kurtosis[{std::stol(k.rows[row][0]), std::stol(k.rows[row][1]), std::stol(k.rows[row][2])}] =
            std::strtod(k.rows[row][3].c_str(), nullptr);  // float.hex
    }
    BOOST_TEST_REQUIRE(kurtosis.size() == 80u);
    for (const auto& [at, value] : kurtosis) {
        static_cast<void>(value);
        double sum = 0.0;
        std::size_t n = 0;
        for (long dz = -1; dz <= 1; ++dz) {
            for (long dy = -1; dy <= 1; ++dy) {
                for (long dx = -1; dx <= 1; ++dx) {
                    const auto it = kurtosis.find({at[0] + dx, at[1] + dy, at[2] + dz});
                    if (it != kurtosis.end()) {
                        sum += it->second;
                        ++n;
                    }
                }
            }
        }
        const double want = sum / static_cast<double>(n);
        const double got = map(static_cast<std::size_t>(at[0]), static_cast<std::size_t>(at[1]),
                               static_cast<std::size_t>(at[2]));
        BOOST_TEST(std::fabs(got - want) <= 1e-9 * std::fabs(want),
                   "voxel (" << at[0] << ", " << at[1] << ", " << at[2] << "): map " << got << ", SciPy " << want);
    }
}

BOOST_AUTO_TEST_SUITE_END()
