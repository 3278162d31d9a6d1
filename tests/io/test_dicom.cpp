// io/dicom.hpp against DICOM series written by pydicom 2.3.1 (tests/fixtures/io/make_dicom_fixtures.py), the
// same volume as NIfTI/NRRD, and SUV factors from that script's own transcription of the QIBA pseudo-code.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "io_test_util.hpp"
#include "radiogenomics/io/dicom.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/nrrd.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/io/atomic_file.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/study/manifest.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace io = radiogenomics::io;

namespace {

std::string dcm(const std::string& name) { return rg_test::fixture("io/dicom/" + name); }

io::dicom_series_info only_series(const std::string& name)
{
    return io::select_dicom_series(io::scan_dicom_folder(dcm(name)), "", dcm(name));
}

bool close(double a, double b, double relative) { return std::fabs(a - b) <= relative * std::fabs(b); }

}  // namespace

BOOST_AUTO_TEST_SUITE(dicom)

BOOST_AUTO_TEST_CASE(ct_series_equals_the_nifti_and_nrrd_volume)
{
    const auto series = io::scan_dicom_folder(dcm("ct"));
    BOOST_TEST(series.size() == 1u);
    BOOST_TEST(series[0].modality == "CT");
    BOOST_TEST(series[0].instances() == 6u);
    BOOST_TEST((io::dicom_pixel_type(series[0]) == io::pixel_type::int32));  // slope 1, intercept -1024
    // files are named and numbered in reverse slice order: sorting is by position along the normal
    const auto img = io::read_dicom_series<std::int32_t>(series[0]);
    const auto nifti = io::read_nifti<std::int16_t, 3>(rg_test::fixture("io/ct.nii"));
    const auto nrrd = io::read_nrrd<std::int16_t, 3>(rg_test::fixture("io/ct_raw.nrrd"));
    BOOST_TEST(io_test::same_voxels(img, nifti));
    BOOST_TEST(io_test::geometry_difference(img.geometry(), nifti.geometry()) < 1e-6);  // NIfTI sform is float32
    BOOST_TEST(io_test::geometry_difference(img.geometry(), nrrd.geometry()) < 1e-9);   // DS strings: 16 characters
    BOOST_TEST(io_test::same_voxels(io::read_dicom_image<double>(dcm("ct")), nifti));
}

BOOST_AUTO_TEST_CASE(pet_suv_factors_equal_the_independent_qiba_implementation)
{
    const rg::io::csv_table expected = rg::io::read_csv(dcm("suv_expected.csv"));
    BOOST_TEST(expected.row_count() == 6u);  // five single-frame PET series and the enhanced PET
    for (std::size_t r = 0; r < expected.row_count(); ++r) {
        const std::string name = expected.rows[r][0];
        BOOST_TEST_CONTEXT(name)
        {
            const auto series = only_series(name);
            const io::pet_suv_info info = io::read_pet_suv_info(series);
            BOOST_TEST(close(info.suv_bw_factor, expected.number(r, 1), 1e-9));
            BOOST_TEST(close(info.suv_lbm_factor, expected.number(r, 2), 1e-9));
            BOOST_TEST(close(info.suv_bsa_factor, expected.number(r, 3), 1e-9));
            if (info.units == "BQML") {
                BOOST_TEST(info.injection_to_scan_seconds == expected.number(r, 4));
                // the metadata struct drives preprocess::suv to the same factor
                BOOST_TEST(close(rg::preprocess::suv_bw_factor(io::to_pet_metadata(info)), info.suv_bw_factor, 1e-12));
            }
            // SUV voxels are the per-slice rescaled activity times the factor
            io::pet_suv_info used;
            const auto suv = io::read_dicom_suv(series, io::suv_type::lean_body_mass, {}, &used);
            const auto activity = io::read_dicom_series<double>(series);
            for (std::size_t i = 0; i < suv.size(); i += 7) {
                BOOST_TEST(close(suv[i], activity[i] * info.suv_lbm_factor, 1e-15));
            }
            BOOST_TEST(!used.tags_used.empty());
        }
    }
    // the post-processed series takes its scan time from the earliest AcquisitionTime (QIBA rule)
    const auto early = io::read_pet_suv_info(only_series("pet_acq_early"));
    BOOST_TEST(early.injection_to_scan_seconds == 4200.0);  // 10:15:00 - 09:05:00, not 10:40:00
    // activity of voxel (3, 3, 2) against make_dicom_fixtures.pet_activity (stored with a per-slice slope)
    const auto activity = io::read_dicom_series<double>(only_series("pet_bqml"));
    const double exact = 1000.0 + 350.0 * 3 + 120.0 * 3 + 2000.0 * std::exp(-(0.25 + 0.0 + 0.0) / 4.0);
    BOOST_TEST(close(activity(3, 3, 2), exact, 1e-4));
}

BOOST_AUTO_TEST_CASE(overrides_supply_missing_tags)
{
    const auto series = only_series("bad_no_weight");
    io::suv_overrides o;
    o.weight_kg = 72.5;
    const auto info = io::read_pet_suv_info(series, o);
    const auto reference = io::read_pet_suv_info(only_series("pet_bqml"));
    BOOST_TEST(close(info.suv_bw_factor, reference.suv_bw_factor, 1e-12));
    o.injection = "090000";  // 10 min earlier than the tag's 09:10:00
    BOOST_TEST(io::read_pet_suv_info(series, o).injection_to_scan_seconds == 4500.0);
    o.injection = "235000";  // later than the 10:15 scan: the previous day (injection before midnight)
    const auto midnight = io::read_pet_suv_info(series, o);
    BOOST_TEST(midnight.injection_to_scan_seconds == 10.0 * 60.0 + 10.0 * 3600.0 + 15.0 * 60.0);
    BOOST_TEST(midnight.notes.back().find("previous day") != std::string::npos);
    o.injection = "20240311090000";  // explicit date 25 h before
    io_test::throws_with<rg::io_error>([&] { io::read_pet_suv_info(series, o); }, {"less than 24 h", "--injection-time"});
    o.injection = "20240312101600";  // explicit date after the scan
    io_test::throws_with<rg::io_error>([&] { io::read_pet_suv_info(series, o); }, {"injection after the scan"});
    o.injection.reset();
    o.dose_bq = 370.0;  // MBq by mistake
    io_test::throws_with<rg::io_error>([&] { io::read_pet_suv_info(series, o); },
                                       {"(0018,1074) RadionuclideTotalDose", "MBq", "--dose"});
    o.dose_bq.reset();
    o.sex.reset();
    io::pet_suv_info no_height = info;
    no_height.suv_lbm_factor = 0.0;
    io_test::throws_with<rg::io_error>([&] { no_height.factor(io::suv_type::lean_body_mass); }, {"--height", "--sex"});
}

BOOST_AUTO_TEST_CASE(bad_series_get_one_line_errors_naming_files)
{
    io_test::throws_with<rg::io_error>([] { io::scan_dicom_folder(dcm("empty")); },
                                       {"io.scan_dicom_folder", "empty", "no DICOM image", "expected a folder"});
    io_test::throws_with<rg::io_error>([] { io::scan_dicom_folder(dcm("no_such_folder")); }, {"no_such_folder"});
    io_test::throws_with<rg::io_error>([] { only_series("bad_mixed"); },
                                       {"bad_mixed", "mixed series", "(CT, 6 files", "(PT, 5 files", "--list"});
    io_test::throws_with<rg::geometry_error>([] { io::read_dicom_series<float>(only_series("bad_missing")); },
                                             {"bad_missing/slice_004.dcm", "bad_missing/slice_002.dcm", "1 missing slice"});
    io_test::throws_with<rg::geometry_error>([] { io::read_dicom_series<float>(only_series("bad_duplicate")); },
                                             {"duplicate slice", "slice_004.dcm", "slice_004_copy.dcm"});
    io_test::throws_with<rg::geometry_error>([] { io::read_dicom_series<float>(only_series("bad_spacing")); },
                                             {"non-uniform spacing", "slice_003.dcm", "got 3.4"});
    io_test::throws_with<rg::geometry_error>([] { io::read_dicom_series<float>(only_series("bad_tilt")); },
                                             {"bad_tilt/slice_005.dcm", "off the slice normal", "gantry tilt"});
    io_test::throws_with<rg::io_error>([] { io::read_dicom_series<float>(only_series("bad_syntax")); },
                                       {"bad_syntax/slice_006.dcm", "transfer syntax: got JPEG 2000", "expected an uncompressed"});
    io::dicom_read_options lenient;
    lenient.slice_tolerance_mm = 1.0;  // the explicit option to accept the 0.9 mm irregularity
    BOOST_TEST(io::read_dicom_series<float>(only_series("bad_spacing"), lenient).shape()[2] == 6u);
    io_test::throws_with<rg::io_error>([] { io::read_pet_suv_info(only_series("bad_no_units")); },
                                       {"bad_no_units/pet_01.dcm", "(0054,1001) Units", "got nothing", "BQML, CNTS or GML"});
    io_test::throws_with<rg::io_error>([] { io::read_pet_suv_info(only_series("bad_no_weight")); },
                                       {"bad_no_weight/pet_01.dcm", "(0010,1030) PatientWeight", "--weight"});
    io_test::throws_with<rg::io_error>([] { io::read_pet_suv_info(only_series("ct")); }, {"Modality", "expected PT"});
    io_test::throws_with<rg::io_error>([] { io::read_dicom_series<std::int16_t>(only_series("pet_bqml")); },
                                       {"pet_01.dcm", "expected an integer"});
}

// make_dicom_fixtures.py rtstruct(): polygons given in index units of the CT grid (oblique), stored in LPS mm.
BOOST_AUTO_TEST_CASE(rtstruct_rasterisation_equals_the_analytic_inside_test)
{
    const auto series = only_series("ct");
    const auto grid = io::dicom_series_layout(series).geometry;
    const auto rois = io::read_rtstruct_rois(dcm("rtstruct.dcm"));
    BOOST_TEST(rois.size() == 2u);
    BOOST_TEST(rois[0].name == "ring");
    BOOST_TEST(rois[0].contours == 8u);
    const auto ring = io::read_rtstruct_mask(dcm("rtstruct.dcm"), "ring", grid, series.frame_of_reference_uid);
    const auto triangle = io::read_rtstruct_mask(dcm("rtstruct.dcm"), "2", grid, "", 7);
    std::size_t n_ring = 0;
    std::size_t n_triangle = 0;
    for (std::size_t k = 0; k < 6; ++k) {
        for (std::size_t j = 0; j < 10; ++j) {
            for (std::size_t i = 0; i < 12; ++i) {
                const double x = static_cast<double>(i);
                const double y = static_cast<double>(j);
                // even-odd: the inner rectangle is a hole; no contour on slices 0 and 5 (no interpolation)
                const bool outer = x > 1.5 && x < 9.5 && y > 1.5 && y < 8.5;
                const bool hole = x > 3.5 && x < 6.5 && y > 3.5 && y < 5.5;
                const bool in_ring = k >= 1 && k <= 4 && outer && !hole;
                const bool in_triangle = k == 2 && x > 0.2 && y > 0.3 && (x - 0.2) / 10.5 + (y - 0.3) / 9.3 < 1.0;
                BOOST_TEST(ring(i, j, k) == (in_ring ? 1 : 0));
                BOOST_TEST(triangle(i, j, k) == (in_triangle ? 7 : 0));
                n_ring += in_ring;
                n_triangle += in_triangle;
            }
        }
    }
    BOOST_TEST(n_ring == 4u * (8u * 7u - 3u * 2u));
    BOOST_TEST(n_triangle > 40u);
    io_test::throws_with<rg::mask_error>([&] { io::read_rtstruct_mask(dcm("rtstruct.dcm"), "liver", grid); },
                                         {"rtstruct.dcm", "'liver'", "expected one of 'ring' (1), 'triangle' (2)"});
    io_test::throws_with<rg::geometry_error>(
        [&] { io::read_rtstruct_mask(dcm("rtstruct.dcm"), "ring", grid, "1.2.3.4"); }, {"frame of reference", "1.2.3.4"});
    // a grid the contours do not lie on (half a slice off)
    auto shifted = grid;
    const auto origin = grid.index_to_physical(std::array<double, 3>{0.0, 0.0, 0.5});
    shifted.set_origin(origin);
    io_test::throws_with<rg::geometry_error>([&] { io::read_rtstruct_mask(dcm("rtstruct.dcm"), "ring", shifted); },
                                             {"expected a contour on one slice"});
    io_test::throws_with<rg::io_error>([&] { io::read_rtstruct_rois(dcm("ct/slice_001.dcm")); }, {"expected RTSTRUCT"});
}

// make_dicom_fixtures.py seg(): the tumour and fat of reference_volume.py, frames in reverse slice order.
BOOST_AUTO_TEST_CASE(seg_binary_and_fractional_segments_on_the_image_grid)
{
    const auto series = only_series("ct");
    const auto grid = io::dicom_series_layout(series).geometry;
    const auto info = io::read_dicom_seg_info(dcm("seg_binary.dcm"));
    BOOST_TEST(info.type == "BINARY");
    BOOST_TEST(info.segments.size() == 2u);
    BOOST_TEST(info.segments[1].label == "fat");
    BOOST_TEST(info.segments[1].frames == 6u);
    const auto tumour_nifti = io::read_nifti<std::int32_t, 3>(rg_test::fixture("io/mask.nii"));
    const auto tumour = io::read_dicom_seg_mask(dcm("seg_binary.dcm"), "tumour", grid, series.uid,
                                                series.frame_of_reference_uid);
    BOOST_TEST(io_test::same_voxels(tumour, tumour_nifti));
    const auto [fat_nrrd, fat_segment] = io::read_nrrd_segment<3>(rg_test::fixture("io/seg.seg.nrrd"), "fat");
    BOOST_TEST(io_test::same_voxels(io::read_dicom_seg_mask(dcm("seg_binary.dcm"), "2", grid), fat_nrrd));
    // fractional: 0.8 inside the tumour, 0.3 on the fat slab (below one half: outside)
    const auto fractional = io::read_dicom_seg_mask(dcm("seg_fractional.dcm"), "TUMOUR", grid);
    BOOST_TEST(io_test::same_voxels(fractional, tumour_nifti));
    io_test::throws_with<rg::geometry_error>(
        [&] { io::read_dicom_seg_mask(dcm("seg_other.dcm"), "tumour", grid, series.uid, series.frame_of_reference_uid); },
        {"seg_other.dcm", "FrameOfReferenceUID", "another study"});
    io_test::throws_with<rg::geometry_error>(
        [&] { io::read_dicom_seg_mask(dcm("seg_other.dcm"), "tumour", grid, series.uid); },
        {"seg_other.dcm", "referenced series", series.uid});
    io_test::throws_with<rg::mask_error>([&] { io::read_dicom_seg_mask(dcm("seg_binary.dcm"), "liver", grid); },
                                         {"'liver'", "expected one of 'tumour' (1), 'fat' (2)"});
    const auto pet_grid = io::dicom_series_layout(only_series("pet_bqml")).geometry;
    io_test::throws_with<rg::geometry_error>([&] { io::read_dicom_seg_mask(dcm("seg_binary.dcm"), "tumour", pet_grid); },
                                             {"seg_binary.dcm", "frame size 12 x 10", "expected frames on the image's slices"});
    auto shifted = grid;  // half a voxel off in plane
    shifted.set_origin(grid.index_to_physical(std::array<double, 3>{0.5, 0.0, 0.0}));
    io_test::throws_with<rg::geometry_error>([&] { io::read_dicom_seg_mask(dcm("seg_binary.dcm"), "tumour", shifted); },
                                             {"seg_binary.dcm", "not a slice of the image grid", "Resample"});
}

// make_dicom_fixtures.py enhanced_fixtures(): one multi-frame file each, frames out of order; geometry and values
// from reference_volume.py (CT, MR) or the script's own float64 NRRD (PET: stored x per-frame slope).
BOOST_AUTO_TEST_CASE(enhanced_multiframe_images_read_as_one_volume)
{
    const auto nifti = io::read_nifti<std::int16_t, 3>(rg_test::fixture("io/ct.nii"));
    const auto nrrd = io::read_nrrd<std::int16_t, 3>(rg_test::fixture("io/ct_raw.nrrd"));
    const auto ct = only_series("enhanced_ct");
    BOOST_TEST(ct.modality == "CT");
    BOOST_TEST(ct.instances() == 6u);  // six frames
    BOOST_TEST(ct.files() == 1u);
    BOOST_TEST((io::dicom_pixel_type(ct) == io::pixel_type::int32));  // shared RescaleIntercept -1024, slope 1
    const auto ct_img = io::read_dicom_series<std::int32_t>(ct);
    BOOST_TEST(io_test::same_voxels(ct_img, nifti));
    BOOST_TEST(io_test::geometry_difference(ct_img.geometry(), nrrd.geometry()) < 1e-9);
    // MR: orientation and pixel measures per frame, no Pixel Value Transformation (stored = HU + 200)
    const auto mr_img = io::read_dicom_image<double>(dcm("enhanced_mr"));
    BOOST_TEST(io_test::geometry_difference(mr_img.geometry(), nrrd.geometry()) < 1e-9);
    bool mr_equal = mr_img.shape() == nifti.shape();
    for (std::size_t i = 0; mr_equal && i < mr_img.size(); ++i) {
        mr_equal = mr_img[i] == static_cast<double>(nifti[i]) + 200.0;
    }
    BOOST_TEST(mr_equal);
    // PET: oblique, one RescaleSlope per frame
    const auto pet = only_series("enhanced_pet");
    BOOST_TEST((io::dicom_pixel_type(pet) == io::pixel_type::float64));
    const auto pet_img = io::read_dicom_series<double>(pet);
    const auto expected = io::read_nrrd<double, 3>(dcm("enhanced_pet_expected.nrrd"));
    BOOST_TEST(io_test::geometry_difference(pet_img.geometry(), expected.geometry()) < 1e-9);
    BOOST_TEST(pet_img.shape() == expected.shape());
    double worst = 0.0;
    for (std::size_t i = 0; i < pet_img.size() && i < expected.size(); ++i) {
        worst = std::max(worst, std::fabs(pet_img[i] - expected[i]) / std::fabs(expected[i]));
    }
    BOOST_TEST(worst < 1e-12);
    // SUV of the enhanced PET: its factor is checked with the single-frame series above (suv_expected.csv); its
    // units and decay reference come from the enhanced attributes, not the classic PET ones
    const auto suv = io::read_dicom_suv(pet, io::suv_type::body_weight);
    const auto pet_info = io::read_pet_suv_info(pet);
    BOOST_TEST(close(suv[17], pet_img[17] * pet_info.suv_bw_factor, 1e-15));
    BOOST_TEST(pet_info.units == "BQML");
    BOOST_TEST(pet_info.tags_used[0].first == "(0040,08EA) Measurement Units Code Sequence");
    BOOST_TEST(pet_info.injection_to_scan_seconds == 4050.0);  // 09:12:30 -> DecayCorrectionDateTime 10:20:00
    // a 4D multi-frame file (two temporal positions per slice) is not one volume
    io_test::throws_with<rg::geometry_error>([] { io::read_dicom_series<float>(only_series("bad_enhanced_4d")); },
                                             {"duplicate slice", "bad_enhanced_4d/ct.dcm frame", "temporal positions"});
}

// make_dicom_fixtures.py seg_variants(): frames placed by position; off-grid, repeated or unidentified frames refused.
BOOST_AUTO_TEST_CASE(seg_frames_subset_cropped_out_of_order_or_off_grid)
{
    const auto series = only_series("ct");
    const auto grid = io::dicom_series_layout(series).geometry;
    const auto tumour = io::read_nifti<std::int32_t, 3>(rg_test::fixture("io/mask.nii"));
    // 8 x 8 frames with top-left voxel (2, 1), on slices 3, 1, 4, 2 only, in that order
    const auto subset = io::read_dicom_seg_mask(dcm("seg_subset.dcm"), "tumour", grid, series.uid,
                                                series.frame_of_reference_uid, 5);
    std::size_t inside = 0;
    bool equal = subset.shape() == tumour.shape();
    for (std::size_t k = 0; equal && k < 6; ++k) {
        for (std::size_t j = 0; j < 10; ++j) {
            for (std::size_t i = 0; i < 12; ++i) {
                const bool covered = k >= 1 && k <= 4 && i >= 2 && i < 10 && j >= 1 && j < 9;
                const int want = covered && tumour(i, j, k) == 1 ? 5 : 0;
                equal = equal && subset(i, j, k) == want;
                inside += want != 0;
            }
        }
    }
    BOOST_TEST(equal);
    BOOST_TEST(inside > 50u);
    io_test::throws_with<rg::geometry_error>([&] { io::read_dicom_seg_mask(dcm("seg_offgrid.dcm"), "tumour", grid); },
                                             {"seg_offgrid.dcm", "frame 1 of segment 'tumour'", "continuous index",
                                              "not a slice of the image grid", "Resample"});
    io_test::throws_with<rg::geometry_error>([&] { io::read_dicom_seg_mask(dcm("seg_repeated.dcm"), "tumour", grid); },
                                             {"seg_repeated.dcm", "frames 3 and 4", "slice 2", "one frame per slice"});
    io_test::throws_with<rg::io_error>(
        [&] { io::read_dicom_seg_mask(dcm("seg_no_identification.dcm"), "tumour", grid); },
        {"seg_no_identification.dcm", "frame 3", "Segment Identification (0062,000A)"});
}

BOOST_AUTO_TEST_SUITE_END()

// study/manifest.hpp with DICOM folders: CT in HU, PET turned into SUVbw from its tags when the SUV columns are empty.

BOOST_AUTO_TEST_SUITE(dicom_manifest)

BOOST_AUTO_TEST_CASE(manifest_rows_with_dicom_folders)
{
    io_test::temp_dir tmp("manifest");
    rg::io::write_file_atomic(tmp.file("manifest.csv"),
        "id,cancer_type,ct_path,pet_path,pet_units,weight_kg,injected_dose_bq,injection_to_scan_s,tumour_mask_path,tp53\n"
        "P1,ovarian," + dcm("ct") + "," + dcm("pet_bqml") + ",,,,," + rg_test::fixture("io/mask.nii") + ",1\n"
        "P2,ovarian," + dcm("ct") + "," + dcm("pet_bqml") + ",Bq/mL,70,3.7e8,3600," + rg_test::fixture("io/mask.nii") + ",0\n"
        "P3,ovarian," + dcm("ct") + "," + dcm("bad_no_weight") + ",,,,," + rg_test::fixture("io/mask.nii") + ",0\n");
    const rg::study::manifest_source source(tmp.file("manifest.csv"));
    rg::study::patient_data p;
    source.load(0, p);
    BOOST_TEST(io_test::same_voxels(p.ct, rg::io::read_nifti<std::int16_t, 3>(rg_test::fixture("io/ct.nii"))));
    BOOST_TEST(p.pet_is_suv);
    const auto series = only_series("pet_bqml");
    const auto activity = io::read_dicom_series<double>(series);
    const double factor = io::read_pet_suv_info(series).suv_bw_factor;
    for (std::size_t i = 0; i < activity.size(); i += 5) {
        BOOST_TEST(close(p.pet[i], activity[i] * factor, 1e-6));  // float storage
    }
    source.load(1, p);  // SUV columns given: Bq/mL and the manifest's values
    BOOST_TEST(!p.pet_is_suv);
    BOOST_TEST(p.pet_info.patient_weight_kg == 70.0);
    BOOST_TEST(close(p.pet[0], activity[0], 1e-6));
    io_test::throws_with<rg::io_error>([&] { source.load(2, p); }, {"(0010,1030) PatientWeight", "--weight"});
}

BOOST_AUTO_TEST_SUITE_END()
