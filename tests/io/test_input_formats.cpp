// radiomics_extract on the same volume stored as NIfTI, NRRD (and DICOM when built): identical features.
// Runs the binary (RG_EXTRACT_BINARY) on the fixtures of tests/fixtures/io.
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io_test_util.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;

namespace {

std::string fx(const std::string& name) { return rg_test::fixture("io/" + name); }

std::string quote(const std::string& s) { return "'" + s + "'"; }

struct run_result {
    int exit_code = -1;
    std::string err;
};

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

run_result extract(const std::string& arguments, const io_test::temp_dir& tmp)
{
    const std::string err = tmp.file("stderr.txt");
    const std::string command = quote(RG_EXTRACT_BINARY) + " " + arguments + " -q 2> " + quote(err);
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(err)};
}

/// The `original_*` feature columns of row `row` of a radiomics_extract CSV.
std::vector<std::pair<std::string, double>> features_of(const std::string& csv, std::size_t row = 0)
{
    const rg::io::csv_table table = rg::io::read_csv(csv);
    std::vector<std::pair<std::string, double>> out;
    for (std::size_t c = 0; c < table.header.size(); ++c) {
        if (table.header[c].rfind("original_", 0) == 0) {
            out.emplace_back(table.header[c], table.number(row, c));
        }
    }
    return out;
}

/// Every feature equal within 1e-6 relative (NIfTI stores its affine as float32: ~1e-7 on spacing).
void check_same_features(const std::vector<std::pair<std::string, double>>& a,
                         const std::vector<std::pair<std::string, double>>& b)
{
    BOOST_TEST(a.size() == b.size());
    BOOST_TEST(a.size() > 100u);
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        BOOST_TEST_CONTEXT(a[i].first)
        {
            BOOST_TEST(a[i].first == b[i].first);
            if (std::isnan(a[i].second)) {
                BOOST_TEST(std::isnan(b[i].second));
            } else {
                BOOST_TEST(std::fabs(a[i].second - b[i].second) <= 1e-6 * std::max(1.0, std::fabs(a[i].second)));
            }
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(input_formats)

BOOST_AUTO_TEST_CASE(nifti_and_nrrd_give_the_same_features)
{
    io_test::temp_dir tmp("formats");
    BOOST_TEST(extract(quote(fx("ct.nii")) + " " + quote(fx("mask.nii")) + " -o " + quote(tmp.file("nifti.csv")), tmp)
                   .exit_code == 0);
    const auto reference = features_of(tmp.file("nifti.csv"));
    BOOST_TEST(extract(quote(fx("ct_gzip.nrrd")) + " " + quote(fx("mask.nrrd")) + " -o " + quote(tmp.file("nrrd.csv")), tmp)
                   .exit_code == 0);
    check_same_features(reference, features_of(tmp.file("nrrd.csv")));
    // a detached header image and the tumour segment of a two-layer Slicer segmentation, selected by name
    BOOST_TEST(extract(quote(fx("ct_detached.nhdr")) + " " + quote(fx("seg.seg.nrrd")) + " --label tumour -o " +
                           quote(tmp.file("seg.csv")), tmp)
                   .exit_code == 0);
    check_same_features(reference, features_of(tmp.file("seg.csv")));
}

#if defined(RG_HAVE_DICOM)
BOOST_AUTO_TEST_CASE(dicom_series_folder_gives_the_same_features)
{
    io_test::temp_dir tmp("formats_dicom");
    BOOST_TEST(extract(quote(fx("ct.nii")) + " " + quote(fx("mask.nii")) + " -o " + quote(tmp.file("nifti.csv")), tmp)
                   .exit_code == 0);
    const run_result r = extract(quote(fx("dicom/ct")) + " " + quote(fx("seg.seg.nrrd")) + " --label tumour -o " +
                                     quote(tmp.file("dicom.csv")), tmp);
    BOOST_TEST_INFO(r.err);
    BOOST_TEST(r.exit_code == 0);
    check_same_features(features_of(tmp.file("nifti.csv")), features_of(tmp.file("dicom.csv")));
    run_result bad = extract(quote(fx("dicom/bad_missing")) + " " + quote(fx("mask.nii")), tmp);
    BOOST_TEST(bad.exit_code == 1);
    BOOST_TEST(bad.err.find("missing slice") != std::string::npos);
    bad = extract(quote(fx("dicom/bad_mixed")) + " " + quote(fx("mask.nii")), tmp);
    BOOST_TEST(bad.exit_code == 1);
    BOOST_TEST(bad.err.find("mixed series") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rtstruct_and_seg_masks_by_name_and_number)
{
    io_test::temp_dir tmp("formats_rtstruct");
    std::ofstream(tmp.file("cases.csv")) << "Image,Mask,Label\n"
                                         << fx("dicom/ct") << "," << fx("dicom/rtstruct.dcm") << ",ring\n"
                                         << fx("dicom/ct") << "," << fx("dicom/rtstruct.dcm") << ",1\n"
                                         << fx("ct.nii") << "," << fx("dicom/rtstruct.dcm") << ",liver\n"
                                         << fx("ct.nii") << "," << fx("dicom/seg_binary.dcm") << ",tumour\n"
                                         << fx("ct.nii") << "," << fx("mask.nii") << ",1\n";
    const run_result r = extract(quote(tmp.file("cases.csv")) + " -o " + quote(tmp.file("out.csv")), tmp);
    BOOST_TEST_INFO(r.err);
    BOOST_TEST(r.exit_code == 0);
    const rg::io::csv_table table = rg::io::read_csv(tmp.file("out.csv"));
    const std::size_t voxels = table.find_column("diagnostics_Mask-original_VoxelNum");
    BOOST_TEST(table.rows[0][voxels] == "200");  // ring: 4 slices x (8 x 7 - 3 x 2), make_dicom_fixtures.py
    check_same_features(features_of(tmp.file("out.csv"), 0), features_of(tmp.file("out.csv"), 1));
    const std::size_t error = table.find_column("error");
    BOOST_TEST(table.rows[2][error].find("'liver', expected one of 'ring' (1)") != std::string::npos);
    check_same_features(features_of(tmp.file("out.csv"), 3), features_of(tmp.file("out.csv"), 4));  // SEG = NIfTI
}

// A PET series folder is read in SUV from its tags (QIBA; SUVbw by default). Expected values: make_dicom_fixtures.py
// pet_suv_statistics() — the activity as pydicom stored it times that script's own QIBA factor.
BOOST_AUTO_TEST_CASE(dicom_pet_series_gives_features_on_suv)
{
    io_test::temp_dir tmp("formats_suv");
    const rg::io::csv_table expected = rg::io::read_csv(fx("dicom/pet_suv_expected.csv"));
    BOOST_TEST(expected.row_count() == 4u);
    const auto check = [&](const std::string& csv, std::size_t row) {
        const rg::io::csv_table out = rg::io::read_csv(csv);
        const std::pair<const char*, const char*> pairs[] = {
            {"diagnostics_Image-original_Mean", "image_mean"}, {"diagnostics_Image-original_Minimum", "image_min"},
            {"diagnostics_Image-original_Maximum", "image_max"}, {"diagnostics_Mask-original_VoxelNum", "roi_voxels"},
            {"original_firstorder_Mean", "roi_mean"},           {"original_firstorder_Minimum", "roi_min"},
            {"original_firstorder_Maximum", "roi_max"},         {"original_firstorder_Median", "roi_median"}};
        for (const auto& [column, reference] : pairs) {
            BOOST_TEST_CONTEXT(column << " (" << expected.rows[row][1] << ")")
            {
                const double got = out.number(0, out.find_column(column));
                const double want = expected.number(row, expected.find_column(reference));
                BOOST_TEST(std::fabs(got - want) <= 1e-9 * std::fabs(want));
            }
        }
    };
    for (std::size_t r = 0; r < expected.row_count(); ++r) {
        const std::string suv = expected.rows[r][1];
        const run_result result = extract(quote(fx("dicom/pet_bqml")) + " " + quote(fx("dicom/pet_mask.nrrd")) +
                                               " --suv " + suv + " -o " + quote(tmp.file(suv + ".csv")), tmp);
        BOOST_TEST_INFO(result.err);
        BOOST_TEST(result.exit_code == 0);
        check(tmp.file(suv + ".csv"), r);
    }
    // SUVbw without asking (QIBA's and the study's SUV)
    BOOST_TEST(extract(quote(fx("dicom/pet_bqml")) + " " + quote(fx("dicom/pet_mask.nrrd")) + " -o " +
                           quote(tmp.file("default.csv")), tmp).exit_code == 0);
    check(tmp.file("default.csv"), 0);
    // a missing tag names itself, its override and --suv none; the override gives the same SUV (same activity)
    run_result bad = extract(quote(fx("dicom/bad_no_weight")) + " " + quote(fx("dicom/pet_mask.nrrd")), tmp);
    BOOST_TEST(bad.exit_code == 1);
    BOOST_TEST_INFO(bad.err);
    BOOST_TEST(bad.err.find("bad_no_weight/pet_01.dcm") != std::string::npos);
    BOOST_TEST(bad.err.find("(0010,1030) PatientWeight") != std::string::npos);
    BOOST_TEST(bad.err.find("--weight KG") != std::string::npos);
    BOOST_TEST(bad.err.find("--suv none") != std::string::npos);
    BOOST_TEST(extract(quote(fx("dicom/bad_no_weight")) + " " + quote(fx("dicom/pet_mask.nrrd")) + " --weight 72.5 -o " +
                           quote(tmp.file("weight.csv")), tmp).exit_code == 0);
    check(tmp.file("weight.csv"), 0);
    // batch rows: SUV for each PET folder; the row without weight fails alone, naming the tag
    std::ofstream(tmp.file("cases.csv")) << "Image,Mask\n"
                                         << fx("dicom/pet_bqml") << "," << fx("dicom/pet_mask.nrrd") << "\n"
                                         << fx("dicom/bad_no_weight") << "," << fx("dicom/pet_mask.nrrd") << "\n";
    const run_result batch = extract(quote(tmp.file("cases.csv")) + " -o " + quote(tmp.file("batch.csv")), tmp);
    BOOST_TEST(batch.exit_code == 0);
    check(tmp.file("batch.csv"), 0);
    const rg::io::csv_table table = rg::io::read_csv(tmp.file("batch.csv"));
    BOOST_TEST(table.rows[1][table.find_column("error")].find("(0010,1030) PatientWeight") != std::string::npos);
    BOOST_TEST(extract(quote(tmp.file("cases.csv")) + " --validate", tmp).exit_code == 1);  // tags checked up front
    // a patient's override would apply to every row of a batch: refused
    const run_result shared = extract(quote(tmp.file("cases.csv")) + " --weight 70", tmp);
    BOOST_TEST(shared.exit_code == 2);
    BOOST_TEST(shared.err.find("single case only") != std::string::npos);
}
#endif

BOOST_AUTO_TEST_CASE(batch_mixes_formats_and_segment_names)
{
    io_test::temp_dir tmp("formats_batch");
    std::ofstream(tmp.file("cases.csv")) << "Image,Mask,Label\n"
                                         << fx("ct.nii") << "," << fx("mask.nii") << ",1\n"
                                         << fx("ct_ras.nrrd") << "," << fx("seg.seg.nrrd") << ",tumour\n"
                                         << fx("ct_raw_be.nrrd") << "," << fx("seg.seg.nrrd") << ",liver\n"
                                         << fx("ct_raw.nrrd") << "," << fx("seg.seg.nrrd") << ",spleen\n";
    const run_result r = extract(quote(tmp.file("cases.csv")) + " -o " + quote(tmp.file("out.csv")), tmp);
    BOOST_TEST_INFO(r.err);
    BOOST_TEST(r.exit_code == 0);
    check_same_features(features_of(tmp.file("out.csv"), 0), features_of(tmp.file("out.csv"), 1));
    const rg::io::csv_table table = rg::io::read_csv(tmp.file("out.csv"));
    const std::size_t voxels = table.find_column("diagnostics_Mask-original_VoxelNum");
    BOOST_TEST(table.rows[2][voxels] == "72");  // liver: 3 x 4 x 6 voxels (reference_volume.py)
    const std::size_t error = table.find_column("error");
    BOOST_TEST(table.rows[3][error].find("'spleen', expected one of 'tumour'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_inputs_name_file_and_kind)
{
    io_test::temp_dir tmp("formats_bad");
    run_result r = extract(quote(fx("bad_encoding.nrrd")) + " " + quote(fx("mask.nii")), tmp);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("bad_encoding.nrrd") != std::string::npos);
    r = extract(quote(fx("ct.nii")) + " " + quote(fx("seg.seg.nrrd")), tmp);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("2 layers and no segment selected") != std::string::npos);
    r = extract(quote(fx("ct.nii")) + " " + quote(fx("mask.nii")) + " --label tumour", tmp);
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("expected a number for a NIfTI mask") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
