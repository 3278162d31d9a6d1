// The radiomics_extract binary: PyRadiomics' values on the IBSI CT phantom and the synthetic PET/BAT cases
// (shared/reference/pyradiomics, a PyRadiomics 3.1 run), the CSV/JSON/txt formats, batch mode and bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extract_test_util.hpp"
#include "radiogenomics/io/csv.hpp"
#include "nifti_bytes.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace et = rg_extract_test;

namespace {

std::string param(const std::string& name) { return et::quote(std::string(RG_SOURCE_DIR) + "/examples/params/" + name); }
std::string shared(const std::string& path) { return et::quote(rg_test::shared_reference(path)); }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool close(double a, double b, double rel = 1e-6, double abs_floor = 1e-12)
{
    if (std::isnan(a) || std::isnan(b)) {
        return std::isnan(a) && std::isnan(b);
    }
    return std::fabs(a - b) <= rel * std::fmax(std::fabs(a), std::fabs(b)) + abs_floor;
}

/// PyRadiomics reference CSV (name,value) in file order.
std::vector<std::pair<std::string, double>> reference(const std::string& csv)
{
    const auto t = rg::io::read_csv(rg_test::shared_reference("pyradiomics/" + csv));
    std::vector<std::pair<std::string, double>> out;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        out.emplace_back(t.rows[r][t.column("name")], t.number(r, t.column("value")));
    }
    return out;
}

/// Row `row` of an output table against a reference CSV: every feature, same order, nothing extra.
void compare_row(const rg::io::csv_table& t, std::size_t row, const std::string& csv)
{
    const auto ref = reference(csv);
    const std::size_t first = t.column(ref.front().first);
    BOOST_TEST_REQUIRE(t.column_count() == first + ref.size(), "feature columns: " << t.column_count() - first);
    std::size_t equal = 0;
    for (std::size_t f = 0; f < ref.size(); ++f) {
        BOOST_TEST_CONTEXT(csv << ": " << ref[f].first)
        {
            BOOST_TEST_REQUIRE(t.header[first + f] == ref[f].first);  // PyRadiomics' order
            const double got = t.number(row, first + f);
            const bool ok = close(got, ref[f].second);
            equal += ok ? 1 : 0;
            // every row is checked, LBP3D included (bit-exact with PyRadiomics on this phantom)
            BOOST_TEST(ok, "got " << std::setprecision(17) << got << ", PyRadiomics " << ref[f].second);
        }
    }
    BOOST_TEST_MESSAGE(csv << ": " << equal << "/" << ref.size() << " features equal to 1e-6");
}

/// PyRadiomics' diagnostics of a reference run (its settings.json) against row `row`.
void compare_diagnostics(const rg::io::csv_table& t, std::size_t row, const std::string& settings_json)
{
    std::ifstream in(rg_test::shared_reference("pyradiomics/" + settings_json));
    const auto d = nlohmann::json::parse(in).at("diagnostics");
    const auto cell = [&](const std::string& name) { return t.rows[row][t.column(name)]; };
    BOOST_TEST(cell("diagnostics_Image-original_Hash") == d.at("diagnostics_Image-original_Hash").get<std::string>());
    BOOST_TEST(cell("diagnostics_Mask-original_Hash") == d.at("diagnostics_Mask-original_Hash").get<std::string>());
    const auto bb = d.at("diagnostics_Mask-original_BoundingBox");
    std::string tuple = "(";
    for (std::size_t i = 0; i < bb.size(); ++i) {
        tuple += (i ? ", " : "") + std::to_string(bb[i].get<long>());
    }
    BOOST_TEST(cell("diagnostics_Mask-original_BoundingBox") == tuple + ")");
    BOOST_TEST(cell("diagnostics_Mask-original_VoxelNum") == std::to_string(d.at("diagnostics_Mask-original_VoxelNum").get<long>()));
    BOOST_TEST(cell("diagnostics_Mask-original_VolumeNum") == std::to_string(d.at("diagnostics_Mask-original_VolumeNum").get<long>()));
    BOOST_TEST(std::stod(cell("diagnostics_Image-original_Mean")) == d.at("diagnostics_Image-original_Mean").get<double>(),
               boost::test_tools::tolerance(1e-12));
    // centre of mass (index and physical), as "(x, y, z)"
    for (const char* key : {"diagnostics_Mask-original_CenterOfMassIndex", "diagnostics_Mask-original_CenterOfMass"}) {
        std::string text = cell(key);
        for (char& c : text) {
            c = (c == '(' || c == ')' || c == ',') ? ' ' : c;
        }
        std::istringstream s(text);
        for (std::size_t i = 0; i < 3; ++i) {
            double v = 0.0;
            s >> v;
            BOOST_TEST(close(v, d.at(key)[i].get<double>(), 1e-9), key << "[" << i << "]: got " << v);
        }
    }
}

/// Writes the small synthetic case and variants next to each other; returns the parameter file for it.
std::string write_small_cases(const et::temp_folder& dir)
{
    auto c = et::make_small_case();
    rg::io::write_nifti(c.img, dir.file("image.nii.gz"));
    rg::io::write_nifti(c.mask, dir.file("mask.nii.gz"));
    // empty mask
    rg::io::write_nifti(rg::label_image<3>(c.mask.geometry(), 0), dir.file("empty.nii.gz"));
    // geometry mismatch: origin moved by 0.3 voxel (inside the image: correctMask can repair it)
    auto shifted = c.mask;
    auto g = shifted.geometry();
    g.set_origin({g.origin()[0] + 0.45, g.origin()[1], g.origin()[2]});
    shifted.set_geometry(g);
    rg::io::write_nifti(shifted, dir.file("shifted.nii.gz"));
    // ROI outside the image's physical space (origin moved by 100 mm)
    auto far = c.mask;
    g = far.geometry();
    g.set_origin({g.origin()[0] + 100.0, g.origin()[1], g.origin()[2]});
    far.set_geometry(g);
    rg::io::write_nifti(far, dir.file("outside.nii.gz"));
    // shifted by 1e-6 mm only (float32 in the header: ~9.5e-7): within ITK's default tolerance (1e-6 x 1.5 mm)
    auto tiny = c.mask;
    g = tiny.geometry();
    g.set_origin({g.origin()[0] + 1e-6, g.origin()[1], g.origin()[2]});
    tiny.set_geometry(g);
    rg::io::write_nifti(tiny, dir.file("tiny_shift.nii.gz"));
    et::write_text(dir.file("corrupt.nii.gz"), "this is not a NIfTI file\n");
    et::write_text(dir.file("params.yaml"), "setting:\n  binWidth: 25\nimageType:\n  Original: {}\n"
                                            "featureClass:\n  firstorder:\n  glcm: [Contrast]\n");
    return dir.file("params.yaml");
}

/// Bad-input fixtures built byte by byte (tests/nifti_bytes.hpp: independent of the NIfTI library, which
/// would zero NaN/Inf and replace pixdim 0 by 1) on a 6 x 6 x 6 grid of 2 x 3 x 4 mm.
void write_hand_built_cases(const et::temp_folder& dir)
{
    rg_test::nifti_bytes_options o;
    o.dim[0] = o.dim[1] = o.dim[2] = 6;
    std::vector<float> ramp(216);
    std::vector<float> roi(216, 0.0f);
    std::vector<float> half(216, 0.0f);
    for (std::size_t n = 0; n < ramp.size(); ++n) {
        const std::size_t i = n % 6, j = (n / 6) % 6, k = n / 36;
        ramp[n] = static_cast<float>(7 * i + 3 * j + 11 * k + (n * 13) % 5);
        const bool inside = i >= 1 && i <= 4 && j >= 1 && j <= 4 && k >= 1 && k <= 4;
        roi[n] = inside ? 1.0f : 0.0f;
        half[n] = inside ? (i == 2 ? 0.5f : 1.0f) : 0.0f;  // a resampled mask that was never thresholded
    }
    rg_test::write_nifti1_float32(dir.file("ramp.nii"), ramp, o);
    rg_test::write_nifti1_float32(dir.file("roi.nii"), roi, o);
    rg_test::write_nifti1_float32(dir.file("half_mask.nii"), half, o);
    auto nan_inside = ramp;
    nan_inside[2 + 6 * 2 + 36 * 2] = std::numeric_limits<float>::quiet_NaN();  // voxel (2, 2, 2): in the ROI
    rg_test::write_nifti1_float32(dir.file("nan_inside.nii"), nan_inside, o);
    auto inf_outside = ramp;
    inf_outside[0] = std::numeric_limits<float>::infinity();  // voxel (0, 0, 0): outside the ROI
    rg_test::write_nifti1_float32(dir.file("inf_outside.nii"), inf_outside, o);
    auto z = o;
    z.sform = false;
    z.pixdim[1] = 0.0f;
    rg_test::write_nifti1_float32(dir.file("pixdim0.nii"), ramp, z);
    auto huge = o;
    huge.dim[0] = huge.dim[1] = huge.dim[2] = 30000;  // 2.7e13 voxels claimed, 216 present
    rg_test::write_nifti1_float32(dir.file("huge_header.nii"), ramp, huge);
    // half of a gzip stream
    auto gz = et::read_text(dir.file("image.nii.gz"));
    et::write_text(dir.file("truncated.nii.gz"), gz.substr(0, gz.size() / 2));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(radiomics_extract_values)

// The study's 1,781 features of the IBSI CT phantom with params/paper.yaml, against PyRadiomics.
BOOST_AUTO_TEST_CASE(ct_phantom_paper_set)
{
    et::temp_folder dir("ct");
    const auto r = et::run(shared("ibsi1/ct_phantom/image.nii.gz") + " " + shared("ibsi1/ct_phantom/mask.nii.gz") +
                               " --param " + param("paper.yaml") + " -o " + et::quote(dir.file("out.csv")),
                           dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto t = rg::io::read_csv(dir.file("out.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 1u);
    BOOST_TEST(t.header[0] == "Image");
    BOOST_TEST(t.header[1] == "Mask");
    BOOST_TEST(t.header[2] == "error");
    BOOST_TEST(t.rows[0][2] == "");
    compare_row(t, 0, "ibsi_ct_phantom_paper.csv");
    compare_diagnostics(t, 0, "ibsi_ct_phantom_paper.settings.json");
    BOOST_TEST(!std::filesystem::exists(dir.file("out.csv.partial")));
}

// Batch mode on the synthetic BAT case (params/bat.yaml, 342 first-order features) with extra columns, a
// Label column and failing cases; --jobs 2 writes the same bytes as --jobs 1.
BOOST_AUTO_TEST_CASE(batch_bat_with_failing_cases)
{
    et::temp_folder dir("batch");
    write_small_cases(dir);
    const std::string ct = rg_test::shared_reference("pyradiomics/synthetic_bat/ct.nii.gz");
    const std::string mask = rg_test::shared_reference("pyradiomics/synthetic_bat/mask.nii.gz");
    et::write_text(dir.file("cases.csv"), "Subject,Image,Mask,Label,Note\n"
                                          "bat1," + ct + "," + mask + ",1,\"first, with comma\"\n"
                                          "missing,missing.nii.gz,mask.nii.gz,1,x\n"
                                          "corrupt,corrupt.nii.gz,mask.nii.gz,,x\n"
                                          "label2," + ct + "," + mask + ",2,x\n"
                                          "empty,image.nii.gz,empty.nii.gz,,x\n"
                                          "geometry,image.nii.gz,shifted.nii.gz,,x\n"
                                          "bat2," + ct + "," + mask + ",,last\n");
    const auto one = et::run(et::quote(dir.file("cases.csv")) + " -p " + param("bat.yaml") + " -o " +
                                 et::quote(dir.file("jobs1.csv")) + " --jobs 1",
                             dir);
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    BOOST_TEST(contains(one.err, "7/7 cases"));  // progress bar
    BOOST_TEST(contains(one.err, "ETA"));
    BOOST_TEST(contains(one.err, "5 of 7 cases failed"));
    BOOST_TEST(!contains(one.err, "\r"));  // stderr is a file: plain progress lines, no redraws
    const auto t = rg::io::read_csv(dir.file("jobs1.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 7u);
    const std::vector<std::string> first{"Subject", "Image", "Mask", "Label", "Note", "error"};
    for (std::size_t c = 0; c < first.size(); ++c) {
        BOOST_TEST(t.header[c] == first[c]);
    }
    BOOST_TEST(t.rows[0][t.column("Note")] == "first, with comma");
    const std::size_t error = t.column("error");
    BOOST_TEST(t.rows[0][error] == "");
    BOOST_TEST(t.rows[6][error] == "");
    BOOST_TEST(contains(t.rows[1][error], "does not exist"));
    BOOST_TEST(contains(t.rows[2][error], "not a readable NIfTI"));
    BOOST_TEST(contains(t.rows[3][error], "label 2: got 0 voxels"));
    BOOST_TEST(contains(t.rows[4][error], "mask is empty"));
    BOOST_TEST(contains(t.rows[5][error], "geometry"));
    compare_row(t, 0, "synthetic_bat_ct_firstorder.csv");
    compare_row(t, 6, "synthetic_bat_ct_firstorder.csv");
    compare_diagnostics(t, 0, "synthetic_bat_ct_firstorder.settings.json");
    BOOST_TEST(t.rows[1][t.column("original_firstorder_Mean")] == "");  // failed rows keep empty cells

    const auto two = et::run(et::quote(dir.file("cases.csv")) + " -p " + param("bat.yaml") + " -o " +
                                 et::quote(dir.file("jobs2.csv")) + " --jobs 2 -q",
                             dir);
    BOOST_TEST_REQUIRE(two.exit_code == 0, two.err);
    BOOST_TEST(!contains(two.err, "ETA"));  // -q
    BOOST_TEST((et::read_text(dir.file("jobs1.csv")) == et::read_text(dir.file("jobs2.csv"))));

    // --strict stops at the first failure: exit 1, one line naming the case, no output file
    const auto strict = et::run(et::quote(dir.file("cases.csv")) + " -p " + param("bat.yaml") + " -o " +
                                    et::quote(dir.file("strict.csv")) + " --strict -q",
                                dir);
    BOOST_TEST(strict.exit_code == 1);
    BOOST_TEST(et::line_count(strict.err) == 1u);
    BOOST_TEST(contains(strict.err, "case 2"));
    BOOST_TEST(!std::filesystem::exists(dir.file("strict.csv")));
}

// The synthetic PET case (PyRadiomics run with binWidth 0.25, all 19 image types) in batch mode, JSON output.
BOOST_AUTO_TEST_CASE(batch_pet_json_and_csv)
{
    et::temp_folder dir("pet");
    const std::string params = et::quote(rg_test::fixture("extract/synthetic_pet_bw025.yaml"));
    et::write_text(dir.file("cases.csv"),
                   "Image,Mask\n" + rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz") + "," +
                       rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz") + "\n");
    const auto csv = et::run(et::quote(dir.file("cases.csv")) + " -p " + params + " -o " +
                                 et::quote(dir.file("out.csv")) + " -q --names ibsi",
                             dir);
    BOOST_TEST_REQUIRE(csv.exit_code == 0, csv.err);
    auto t = rg::io::read_csv(dir.file("out.csv"));
    // --names ibsi appends IBSI-tag columns with the same values; drop them before the PyRadiomics comparison
    const std::size_t tag = t.column("original_stat_mean");
    BOOST_TEST(t.rows[0][tag] == t.rows[0][t.column("original_firstorder_Mean")]);
    BOOST_TEST(t.rows[0][t.column("wavelet-LLH_cm_energy")] == t.rows[0][t.column("wavelet-LLH_glcm_JointEnergy")]);
    const std::size_t first_ibsi = t.column("original_morph_pca_elongation");
    t.header.resize(first_ibsi);
    for (auto& row : t.rows) {
        row.resize(first_ibsi);
    }
    compare_row(t, 0, "synthetic_pet_paper_bw025.csv");
    compare_diagnostics(t, 0, "synthetic_pet_paper_bw025.settings.json");

    const auto json = et::run(et::quote(dir.file("cases.csv")) + " -p " + params + " -f json -q", dir);
    BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
    BOOST_TEST(et::line_count(json.out) == 1u);  // PyRadiomics writes one JSON object per case and line
    const auto j = nlohmann::json::parse(json.out);
    BOOST_TEST_REQUIRE(j.is_object());
    for (const auto& [name, value] : reference("synthetic_pet_paper_bw025.csv")) {
        BOOST_TEST_REQUIRE(j.contains(name));
        BOOST_TEST(close(j[name].get<double>(), value), name);
    }
}

// params/ibsi_digital_phantom.yaml (+ the ibsiCompliant extension via --setting) on the IBSI 1 digital phantom:
// every 3D feature of ibsi1/pyradiomics_mapping.csv in the output lies within the IBSI consensus value of
// ibsi1/reference_values.csv (its tolerance, or 3 significant digits where none is given).
BOOST_AUTO_TEST_CASE(ibsi_digital_phantom_consensus)
{
    et::temp_folder dir("ibsi");
    const auto r = et::run(shared("ibsi1/digital_phantom/image.nii.gz") + " " + shared("ibsi1/digital_phantom/mask.nii.gz") +
                               " -p " + param("ibsi_digital_phantom.yaml") + " -s ibsiCompliant:true",
                           dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    std::istringstream s(r.out);
    const auto t = rg::io::parse_csv(s, "stdout");
    const auto ref = rg::io::read_csv(rg_test::shared_reference("ibsi1/reference_values.csv"));
    std::map<std::pair<std::string, std::string>, std::pair<double, std::string>> consensus;
    for (std::size_t i = 0; i < ref.row_count(); ++i) {
        if (ref.rows[i][ref.column("dataset")] == "digital_phantom") {
            consensus[{ref.rows[i][ref.column("tag")], ref.rows[i][ref.column("aggregation")]}] = {
                ref.number(i, ref.column("value")), ref.rows[i][ref.column("tolerance")]};
        }
    }
    const auto mapping = rg::io::read_csv(rg_test::shared_reference("ibsi1/pyradiomics_mapping.csv"));
    std::size_t checked = 0;
    for (std::size_t i = 0; i < mapping.row_count(); ++i) {
        std::string tag = mapping.rows[i][0];
        const std::string name = mapping.rows[i][1];
        if (name.rfind("3D_original_", 0) != 0) {
            continue;
        }
        const std::string column = name.substr(3);
        if (t.find_column(column) == rg::io::csv_table::npos) {
            continue;  // not a default feature (e.g. Compactness1)
        }
        std::string aggregation;
        for (const auto& [suffix, label] : std::vector<std::pair<std::string, std::string>>{
                 {"_3D_avg", "3D averaged"}, {"_3D_comb", "3D merged"}, {"_3D", "3D"}}) {
            if (tag.size() > suffix.size() && tag.compare(tag.size() - suffix.size(), suffix.size(), suffix) == 0) {
                tag = tag.substr(0, tag.size() - suffix.size());
                aggregation = label;
                break;
            }
        }
        const auto it = consensus.find({tag, aggregation});
        BOOST_TEST_REQUIRE((it != consensus.end()), "no IBSI value for " << mapping.rows[i][0]);
        double x = t.number(0, t.column(column));
        if (column == "original_firstorder_Kurtosis") {
            x -= 3.0;  // IBSI stat_kurt is the excess kurtosis
        }
        const double value = it->second.first;
        double tolerance = 0.0;
        if (!it->second.second.empty()) {
            tolerance = std::stod(it->second.second);
        } else if (value != 0.0) {
            tolerance = 0.5 * std::pow(10.0, std::floor(std::log10(std::fabs(value))) - 2.0);
        } else {
            tolerance = 5e-4;
        }
        BOOST_TEST(std::fabs(x - value) <= tolerance * (1.0 + 1e-9), column << " (" << mapping.rows[i][0] << "): got " << x
                                                                            << ", IBSI " << value << " +- " << tolerance);
        ++checked;
    }
    BOOST_TEST_MESSAGE("IBSI digital phantom: " << checked << " features checked against the consensus");
    BOOST_TEST(checked >= 80u);
}

// resampledPixelSpacing [2, 2, 2] with sitkBSpline and binCount 32: the parameter file of the PyRadiomics run
// (its settings.json `params`, JSON being YAML) and its features and interpolated-grid diagnostics.
BOOST_AUTO_TEST_CASE(ct_phantom_resampled_bin_count)
{
    et::temp_folder dir("resampled");
    std::ifstream in(rg_test::shared_reference("pyradiomics/ibsi_ct_phantom_original_bincount32_resampled.settings.json"));
    const auto settings = nlohmann::ordered_json::parse(in);
    et::write_text(dir.file("params.yaml"), settings.at("params").dump(2));
    const auto r = et::run(shared("ibsi1/ct_phantom/image.nii.gz") + " " + shared("ibsi1/ct_phantom/mask.nii.gz") +
                               " -p " + et::quote(dir.file("params.yaml")) + " -o " + et::quote(dir.file("out.csv")),
                           dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto t = rg::io::read_csv(dir.file("out.csv"));
    compare_row(t, 0, "ibsi_ct_phantom_original_bincount32_resampled.csv");
    compare_diagnostics(t, 0, "ibsi_ct_phantom_original_bincount32_resampled.settings.json");
    const auto& d = settings.at("diagnostics");
    const auto cell = [&](const std::string& name) { return t.rows[0][t.column(name)]; };
    BOOST_TEST(cell("diagnostics_Image-interpolated_Size") == "(61, 61, 51)");
    BOOST_TEST(cell("diagnostics_Mask-interpolated_BoundingBox") == "(6, 6, 6, 49, 48, 39)");
    BOOST_TEST(cell("diagnostics_Mask-interpolated_VoxelNum") ==
               std::to_string(d.at("diagnostics_Mask-interpolated_VoxelNum").get<long>()));
    for (const char* key : {"diagnostics_Image-interpolated_Mean", "diagnostics_Mask-interpolated_Mean",
                            "diagnostics_Mask-interpolated_Minimum", "diagnostics_Mask-interpolated_Maximum"}) {
        BOOST_TEST(close(std::stod(cell(key)), d.at(key).get<double>(), 1e-9), key << ": got " << cell(key));
    }
}

// resegmentRange (absolute, relative, sigma): the first-order mean of the re-segmented ROI, computed here
// from the voxels by PyRadiomics' definitions (imageoperations.resegmentMask: relative = fraction of the ROI
// maximum, sigma = mean + k SD with numpy's ddof 0); shape keeps the label mask (resegmentShape false).
BOOST_AUTO_TEST_CASE(resegmentation_modes)
{
    et::temp_folder dir("reseg");
    write_small_cases(dir);
    const auto c = et::make_small_case();
    std::vector<double> roi;
    for (std::size_t i = 0; i < c.img.size(); ++i) {
        if (c.mask[i] == 1) {
            roi.push_back(c.img[i]);
        }
    }
    double max_value = -1e300, sum = 0.0;
    for (double v : roi) {
        max_value = std::max(max_value, v);
        sum += v;
    }
    const double mean = sum / static_cast<double>(roi.size());
    double ss = 0.0;
    for (double v : roi) {
        ss += (v - mean) * (v - mean);
    }
    const double sd = std::sqrt(ss / static_cast<double>(roi.size()));
    const auto mean_within = [&](double lo, double hi) {
        double s = 0.0;
        std::size_t n = 0;
        for (double v : roi) {
            if (v >= lo && v <= hi) {
                s += v;
                ++n;
            }
        }
        return s / static_cast<double>(n);
    };
    struct mode_case {
        std::string settings;
        double expected;
    };
    const std::vector<mode_case> modes{
        {"  resegmentRange: [300, 700]\n", mean_within(300.0, 700.0)},
        {"  resegmentRange: [400]\n", mean_within(400.0, 1e300)},
        {"  resegmentRange: [0.3, 0.8]\n  resegmentMode: relative\n", mean_within(0.3 * max_value, 0.8 * max_value)},
        {"  resegmentRange: [-1, 0.5]\n  resegmentMode: sigma\n", mean_within(mean - sd, mean + 0.5 * sd)},
    };
    for (const auto& m : modes) {
        et::write_text(dir.file("reseg.yaml"), "setting:\n  binWidth: 25\n" + m.settings +
                                                   "imageType:\n  Original: {}\n  Square: {}\n"
                                                   "featureClass:\n  shape: [VoxelVolume]\n  firstorder: [Mean]\n");
        const auto r = et::run(et::quote(dir.file("image.nii.gz")) + " " + et::quote(dir.file("mask.nii.gz")) + " -p " +
                                   et::quote(dir.file("reseg.yaml")),
                               dir);
        BOOST_TEST_CONTEXT(m.settings)
        {
            BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
            std::istringstream s(r.out);
            const auto t = rg::io::parse_csv(s, "stdout");
            BOOST_TEST(close(t.number(0, t.column("original_firstorder_Mean")), m.expected, 1e-12));
            // shape: the label mask, 12 x 10 x 6 voxels of 1.5 x 1.5 x 3 mm
            BOOST_TEST(close(t.number(0, t.column("original_shape_VoxelVolume")), 720 * 6.75, 1e-12));
            BOOST_TEST(t.rows[0][t.column("square_firstorder_Mean")] != "");
        }
    }
}

// A per-image-type setting (PyRadiomics customArgs) equals running that image type with the global setting.
BOOST_AUTO_TEST_CASE(per_image_type_settings)
{
    et::temp_folder dir("pertype");
    write_small_cases(dir);
    const std::string in = et::quote(dir.file("image.nii.gz")) + " " + et::quote(dir.file("mask.nii.gz"));
    et::write_text(dir.file("mixed.yaml"), "setting:\n  binWidth: 25\nimageType:\n  Original: {}\n"
                                           "  Square: {binWidth: 5}\n  Gradient: {}\nfeatureClass:\n  glcm:\n");
    et::write_text(dir.file("global25.yaml"), "setting:\n  binWidth: 25\nimageType:\n  Original: {}\n"
                                              "  Gradient: {}\nfeatureClass:\n  glcm:\n");
    et::write_text(dir.file("global5.yaml"), "setting:\n  binWidth: 5\nimageType:\n  Square: {}\n"
                                             "featureClass:\n  glcm:\n");
    const auto table_of = [&](const std::string& yaml, const std::string& extra = "") {
        const auto r = et::run(in + " -p " + et::quote(dir.file(yaml)) + extra, dir);
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
        std::istringstream s(r.out);
        return rg::io::parse_csv(s, yaml);
    };
    const auto mixed = table_of("mixed.yaml");
    const auto global25 = table_of("global25.yaml");
    const auto global5 = table_of("global5.yaml");
    std::size_t compared = 0;
    for (const auto* other : {&global25, &global5}) {
        for (std::size_t c = other->column("error") + 1; c < other->column_count(); ++c) {
            if (other->header[c].rfind("diagnostics_", 0) == 0) {
                continue;
            }
            BOOST_TEST(mixed.rows[0][mixed.column(other->header[c])] == other->rows[0][c], other->header[c]);
            ++compared;
        }
    }
    BOOST_TEST(compared == 3u * 24u);
    // feature order: image types in file order
    BOOST_TEST(mixed.column("original_glcm_Autocorrelation") < mixed.column("square_glcm_Autocorrelation"));
    BOOST_TEST(mixed.column("square_glcm_Autocorrelation") < mixed.column("gradient_glcm_Autocorrelation"));
    // --setting overrides the file
    const auto overridden = table_of("global25.yaml", " -s binWidth:5");
    BOOST_TEST(overridden.rows[0][overridden.column("original_glcm_Contrast")] !=
               global25.rows[0][global25.column("original_glcm_Contrast")]);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(radiomics_extract_bad_input)

// Every bad input of radiomics_extract, one line each (tests/extract/extract_test_util.hpp: exit status, a
// fragment of the one-line message, files that must or must not exist afterwards, no *.partial-* left).
BOOST_AUTO_TEST_CASE(bad_input_table)
{
    et::temp_folder dir("bad");
    write_small_cases(dir);
    write_hand_built_cases(dir);
    et::write_text(dir.file("syntax.yaml"), "setting:\n  binWidth: 25\n  label: 1: 2\n");
    et::write_text(dir.file("feature.yaml"), "featureClass:\n  glcm: [Contrast, Contrastt]\n");
    et::write_text(dir.file("bincount.yaml"), "setting:\n  binCount: 100001\n");
    et::write_text(dir.file("binwidth.yaml"), "setting:\n  binWidth: 0.0001\nfeatureClass:\n  firstorder:\n");
    et::write_text(dir.file("resampled.yaml"), "setting:\n  binWidth: 25\n  resampledPixelSpacing: [0.001, 0.001, 0.001]\n"
                                               "featureClass:\n  firstorder:\n");
    et::write_text(dir.file("levels.yaml"), "setting:\n  binWidth: 0.01\nfeatureClass:\n  ngtdm:\n");
    et::write_text(dir.file("two_images.csv"), "Image,Mask,Image\nimage.nii.gz,mask.nii.gz,image.nii.gz\n");
    et::write_text(dir.file("header_only.csv"), "Image,Mask\n");
    et::write_text(dir.file("missing_case.csv"), "Image,Mask\nnope.nii.gz,mask.nii.gz\nimage.nii.gz,mask.nii.gz\n");
    const std::string params = " -p {dir}/params.yaml";
    const std::string out = " -o {dir}/out.csv";
    const std::vector<std::string> no_out{"{dir}/out.csv"};
    const std::vector<et::bad_input_case> table{
        // arguments, exit status, message fragment, must exist, must not exist
        {"{dir}/nope.nii.gz {dir}/mask.nii.gz" + params + out, 1, "does not exist", {}, no_out},
        {"{dir}/image.nii.gz {dir}/nope.nii.gz" + params + out, 1, "does not exist", {}, no_out},
        {"{dir}/corrupt.nii.gz {dir}/mask.nii.gz" + params + out, 1, "not a readable NIfTI", {}, no_out},
        {"{dir}/image.nii.gz {dir}/corrupt.nii.gz" + params + out, 1, "not a readable NIfTI", {}, no_out},
        {"{dir}/truncated.nii.gz {dir}/mask.nii.gz" + params + out, 1, "truncated", {}, no_out},
        {"{dir}/huge_header.nii {dir}/roi.nii" + params + out, 1, "truncated data", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz --label 3" + params + out, 1, "label 3: got 0 voxels", {}, no_out},
        {"{dir}/image.nii.gz {dir}/empty.nii.gz" + params + out, 1, "mask is empty", {}, no_out},
        {"{dir}/image.nii.gz {dir}/shifted.nii.gz" + params + out, 1, "geometryTolerance", {}, no_out},
        {"{dir}/image.nii.gz {dir}/image.nrrd" + params + out, 1, "NRRD", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/syntax.yaml" + out, 2, "line 3, column", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/feature.yaml" + out, 2, "Contrastt", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/bincount.yaml" + out, 2, "setting.binCount", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/binwidth.yaml" + out, 1, "number of bins", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/missing.yaml" + out, 2, "missing.yaml", {}, no_out},
        // exit 3: the output cannot be written (the maps' folder, the -o file, stdout), naming the OS reason
        {"{dir}/image.nii.gz {dir}/mask.nii.gz --mode voxel --out-dir {dir}/syntax.yaml/maps" + out, 3, "output folder", {}, no_out},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -s binWidth:abc" + out, 2, "setting.binWidth", {}, no_out},
        // issue 18: NaN/Inf used to become 0 on read (wrong features, exit 0)
        {"{dir}/nan_inside.nii {dir}/roi.nii" + params + out, 1, "expected a finite intensity", {}, no_out},
        {"{dir}/inf_outside.nii {dir}/roi.nii" + params + " -o {dir}/inf_outside.csv", 0, "", {"{dir}/inf_outside.csv"}},
        // pixdim 0 used to become spacing 1
        {"{dir}/pixdim0.nii {dir}/roi.nii" + params + out, 1, "pixdim[2] (voxel spacing of axis 1): got 0", {}, no_out},
        // a float mask with 0.5 used to read as "the mask is empty" / 1.5 as label 2
        {"{dir}/ramp.nii {dir}/half_mask.nii" + params + out, 1, "The mask is not integer-valued", {}, no_out},
        // used to print std::bad_alloc
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/resampled.yaml" + out, 1, "resampledPixelSpacing [0.001, 0.001, 0.001]: got a resampled grid of", {}, no_out},
        // thousands of grey levels: a warning naming the bin width and the level count, then the features
        {"{dir}/image.nii.gz {dir}/mask.nii.gz -p {dir}/levels.yaml -o {dir}/levels.csv", 0, "warning: binWidth 0.01 gives", {"{dir}/levels.csv"}},
        // batch CSVs: two Image columns, a header without cases (used to exit 0 with an empty output)
        {"{dir}/two_images.csv" + params + out, 2, "2 columns named 'Image' (columns 1 and 3)", {}, no_out},
        {"{dir}/header_only.csv" + params + out, 2, "got a header and no cases", {}, no_out},
        {"{dir}/missing_case.csv --strict -q" + params + out, 1, "case 1", {}, no_out},
        // a write error carries the operating system's reason
        {"{dir}/image.nii.gz {dir}/mask.nii.gz" + params + " -o {dir}/no_such_folder/out.csv", 3, "No such file or directory", {}, {"{dir}/no_such_folder"}},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz" + params + " -o /dev/full", 3, "'/dev/full': writing"},
        {"{dir}/image.nii.gz {dir}/mask.nii.gz" + params + " -q -o /dev/full", 3, "No space left on device"},
        {"{dir}/two_images.csv" + params + " -o /dev/full", 2, "columns named 'Image'"},  // usage before output
        // a full disk under the voxel maps (a file-size limit fails write(2) like a full device; sh's ulimit -f
        // counts 512-byte blocks: 2 KB, under the 3.2 KB of one map of the small case)
        {"{dir}/image.nii.gz {dir}/mask.nii.gz --mode voxel --map-format nii --out-dir {dir}/small_maps -q" + out, 3,
         "File too large", {}, no_out, "trap '' XFSZ; ulimit -f 4;"},
    };
    et::check_cases(RG_EXTRACT_BINARY, table, dir);
    // a device is written directly, never replaced by a renamed temporary
    BOOST_TEST(std::filesystem::is_character_file("/dev/full"));
}

// PyRadiomics' geometryTolerance and correctMask semantics.
BOOST_AUTO_TEST_CASE(geometry_tolerance_and_correct_mask)
{
    et::temp_folder dir("geometry");
    write_small_cases(dir);
    const auto f = [&](const std::string& name) { return et::quote(dir.file(name)); };
    const std::string base = "setting:\n  binWidth: 25\nimageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n";
    et::write_text(dir.file("plain.yaml"), base);
    et::write_text(dir.file("correct.yaml"), "setting:\n  binWidth: 25\n  correctMask: true\nimageType:\n"
                                             "  Original: {}\nfeatureClass:\n  firstorder:\n");
    et::write_text(dir.file("tolerant.yaml"), "setting:\n  binWidth: 25\n  geometryTolerance: 0.5\nimageType:\n"
                                              "  Original: {}\nfeatureClass:\n  firstorder:\n");
    const auto reference_run = et::run(f("image.nii.gz") + " " + f("mask.nii.gz") + " -p " + f("plain.yaml"), dir);
    BOOST_TEST_REQUIRE(reference_run.exit_code == 0, reference_run.err);
    const auto mean_of = [](const std::string& csv_text) {
        std::istringstream s(csv_text);
        const auto t = rg::io::parse_csv(s, "out");
        return t.rows.at(0).at(t.column("original_firstorder_Mean"));
    };
    // ~1e-6 mm: within the default tolerance (1e-6 x spacing)
    const auto tiny = et::run(f("image.nii.gz") + " " + f("tiny_shift.nii.gz") + " -p " + f("plain.yaml"), dir);
    BOOST_TEST_REQUIRE(tiny.exit_code == 0, tiny.err);
    BOOST_TEST(mean_of(tiny.out) == mean_of(reference_run.out));
    // 0.45 mm (0.3 voxel): refused by default, accepted with geometryTolerance 0.5 (0.5 x 1.5 mm = 0.75 mm)
    const auto tolerant = et::run(f("image.nii.gz") + " " + f("shifted.nii.gz") + " -p " + f("tolerant.yaml"), dir);
    BOOST_TEST_REQUIRE(tolerant.exit_code == 0, tolerant.err);
    BOOST_TEST(mean_of(tolerant.out) == mean_of(reference_run.out));
    // correctMask: nearest-neighbour resampling onto the image grid; 0.3 voxel rounds back to the same voxels
    const auto corrected = et::run(f("image.nii.gz") + " " + f("shifted.nii.gz") + " -p " + f("correct.yaml"), dir);
    BOOST_TEST_REQUIRE(corrected.exit_code == 0, corrected.err);
    BOOST_TEST(mean_of(corrected.out) == mean_of(reference_run.out));
    // correctMask cannot repair an ROI outside the image
    const auto outside = et::run(f("image.nii.gz") + " " + f("outside.nii.gz") + " -p " + f("correct.yaml"), dir);
    BOOST_TEST(outside.exit_code == 1);
    BOOST_TEST(contains(outside.err, "outside the image"));
}

BOOST_AUTO_TEST_CASE(formats_and_defaults)
{
    et::temp_folder dir("formats");
    write_small_cases(dir);
    const auto f = [&](const std::string& name) { return et::quote(dir.file(name)); };
    const std::string in = f("image.nii.gz") + " " + f("mask.nii.gz") + " -p " + f("params.yaml");
    const auto csv = et::run(in, dir);
    BOOST_TEST_REQUIRE(csv.exit_code == 0, csv.err);
    std::istringstream s(csv.out);
    const auto t = rg::io::parse_csv(s, "stdout");
    BOOST_TEST_REQUIRE(t.row_count() == 1u);
    // params.yaml: firstorder (18 default features) then glcm Contrast, in that order
    const std::size_t first = t.column("original_firstorder_10Percentile");
    BOOST_TEST(t.column_count() == first + 19u);
    BOOST_TEST(t.header.back() == "original_glcm_Contrast");
    const auto json = et::run(in + " --format json", dir);
    BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
    const auto j = nlohmann::json::parse(json.out);
    BOOST_TEST(j.is_object());
    BOOST_TEST(j["original_glcm_Contrast"].get<double>() == std::stod(t.rows[0][t.column("original_glcm_Contrast")]));
    const auto txt = et::run(in + " --format txt", dir);
    BOOST_TEST_REQUIRE(txt.exit_code == 0, txt.err);
    BOOST_TEST(contains(txt.out, "original_glcm_Contrast: " + t.rows[0][t.column("original_glcm_Contrast")] + "\n"));
    // without --param: PyRadiomics' defaults (Original, all classes: shape 14 + 93 others)
    const auto defaults = et::run(f("image.nii.gz") + " " + f("mask.nii.gz"), dir);
    BOOST_TEST_REQUIRE(defaults.exit_code == 0, defaults.err);
    std::istringstream sd(defaults.out);
    const auto td = rg::io::parse_csv(sd, "stdout");
    BOOST_TEST(td.column_count() - td.column("original_shape_Elongation") == 107u);
    // Image/Mask cells: absolute paths by default (PyRadiomics' --format-path), or basename
    BOOST_TEST(t.rows[0][t.column("Image")] == dir.file("image.nii.gz"));
    const auto base = et::run(in + " --format-path basename", dir);
    BOOST_TEST_REQUIRE(base.exit_code == 0, base.err);
    BOOST_TEST(contains(base.out, "\nimage.nii.gz,mask.nii.gz,"));
    // --validate checks the parameters and the inputs without extracting
    const auto valid = et::run(in + " --validate", dir);
    BOOST_TEST(valid.exit_code == 0, valid.err);
    BOOST_TEST(valid.out.empty());
    const auto invalid = et::run(f("image.nii.gz") + " " + f("nope.nii.gz") + " --validate", dir);
    BOOST_TEST(invalid.exit_code == 1);
    BOOST_TEST(contains(invalid.err, "does not exist"));
    const auto version = et::run("--version", dir);
    BOOST_TEST(contains(version.out + version.err, "radiogenomics 0."));
    // a usage error
    const auto usage = et::run(f("image.nii.gz"), dir);
    BOOST_TEST(usage.exit_code == 2);
}

// A uint16 image (MR-like, black background with bright ROI voxels): radiomics_extract must keep the pixel type,
// since LBP3D rounds its B-spline samples to it as SciPy does (uint16 clips negative samples to 0). Reference:
// tests/fixtures/features/generate_lbp3d_sparse_roi.py, case mr_uint16 (PyRadiomics' getLBP3DImage re-run with
// SciPy, first order by the PyRadiomics oracle).
BOOST_AUTO_TEST_CASE(lbp3d_of_a_uint16_image)
{
    et::temp_folder dir("lbp3d_uint16");
    const auto fixture = [](const std::string& p) { return et::quote(rg_test::fixture(p)); };
    const auto r = et::run(fixture("features/lbp3d_sparse_roi/mr_uint16_image.nii.gz") + " " +
                               fixture("features/lbp3d_sparse_roi/mr_uint16_mask.nii.gz") + " --param " +
                               fixture("extract/lbp3d_firstorder_bw25.yaml") + " -o " + et::quote(dir.file("out.csv")),
                           dir);
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
    const auto t = rg::io::read_csv(dir.file("out.csv"));
    const auto e = rg::io::read_csv(rg_test::fixture("features/lbp3d_sparse_roi_expected.csv"));
    std::size_t row = e.row_count();
    for (std::size_t i = 0; i < e.row_count(); ++i) {
        row = e.rows[i][0] == "mr_uint16" ? i : row;
    }
    BOOST_TEST_REQUIRE(row < e.row_count());
    BOOST_TEST_REQUIRE(t.row_count() == 1u);
    for (std::size_t c = 1; c < e.header.size(); ++c) {
        const double want = e.number(row, c);
        const double got = t.number(0, t.column(e.header[c]));
        BOOST_TEST(close(got, want), e.header[c] << ": got " << std::setprecision(17) << got << ", PyRadiomics "
                                                 << want);
    }
}

BOOST_AUTO_TEST_SUITE_END()
