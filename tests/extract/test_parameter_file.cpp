// PyRadiomics parameter files -> extractor settings (examples/support/pyradiomics_params.hpp), and the
// schema errors PyRadiomics' validation raises (radiomics/schemas/paramSchema.yaml, schemaFuncs.py).
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "radiogenomics/io/csv.hpp"
#include "support/batch_runner.hpp"
#include "support/pyradiomics_params.hpp"
#include "support/sha1.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rp = radiogenomics::pyradiomics;
namespace rf = radiogenomics::features;

namespace {

std::string example_param(const std::string& name) { return std::string(RG_SOURCE_DIR) + "/examples/params/" + name; }

/// The error message of parsing `text`, or "" when it parses.
std::string parse_error(const std::string& text)
{
    try {
        rp::parse_parameters(text, "test.yaml");
    } catch (const rg::error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// `params` of a reference settings file, as JSON text (YAML is a superset of JSON).
std::string reference_params(const std::string& settings_json)
{
    std::ifstream in(rg_test::shared_reference("pyradiomics/" + settings_json));
    const auto j = nlohmann::ordered_json::parse(in);  // keeps the file's key order (image types, classes)
    return j.at("params").dump();
}

void check_same_extraction(const rp::parameter_set& a, const rp::parameter_set& b)
{
    BOOST_TEST_REQUIRE(a.image_types.size() == b.image_types.size());
    for (std::size_t t = 0; t < a.image_types.size(); ++t) {
        BOOST_TEST((a.image_types[t].type.type == b.image_types[t].type.type));
        BOOST_TEST(a.image_types[t].type.sigma == b.image_types[t].type.sigma, boost::test_tools::per_element());
        BOOST_TEST(rp::detail::same_settings(a.image_types[t].setting, b.image_types[t].setting));
    }
    BOOST_TEST_REQUIRE(a.classes.size() == b.classes.size());
    for (std::size_t c = 0; c < a.classes.size(); ++c) {
        BOOST_TEST((a.classes[c].which == b.classes[c].which));
        BOOST_TEST(a.classes[c].names == b.classes[c].names, boost::test_tools::per_element());
    }
    BOOST_TEST(rp::detail::same_settings(a.setting, b.setting));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pyradiomics_params)

// params/paper.yaml must describe exactly the PyRadiomics run of ibsi_ct_phantom_paper.csv.
BOOST_AUTO_TEST_CASE(paper_yaml_equals_the_reference_run)
{
    const auto mine = rp::read_parameter_file(example_param("paper.yaml"));
    const auto reference = rp::parse_parameters(reference_params("ibsi_ct_phantom_paper.settings.json"), "ref");
    check_same_extraction(mine, reference);
    BOOST_TEST(mine.setting.bin_width == 25.0);
    BOOST_TEST(mine.image_types.size() == 9u);
    BOOST_TEST(mine.classes.size() == 7u);
    BOOST_TEST(mine.uniform_settings());
    const auto& log = mine.image_types.back().type;
    BOOST_TEST((log.type == rg::filters::image_type::log));
    BOOST_TEST(log.sigma == (std::vector<double>{1.0, 3.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bat_yaml_equals_the_reference_run)
{
    const auto mine = rp::read_parameter_file(example_param("bat.yaml"));
    const auto reference = rp::parse_parameters(reference_params("synthetic_bat_ct_firstorder.settings.json"), "ref");
    check_same_extraction(mine, reference);
    BOOST_TEST_REQUIRE(mine.classes.size() == 1u);
    BOOST_TEST((mine.classes[0].which == rf::feature_class::first_order));
}

BOOST_AUTO_TEST_CASE(digital_phantom_yaml)
{
    const auto p = rp::read_parameter_file(example_param("ibsi_digital_phantom.yaml"));
    BOOST_TEST(p.setting.bin_width == 1.0);  // IBSI: no discretisation of the integer levels 1..6
    BOOST_TEST(p.image_types.size() == 1u);
    BOOST_TEST(p.classes.size() == 7u);
}

BOOST_AUTO_TEST_CASE(defaults_and_order)
{
    // empty file: PyRadiomics' defaults (Original, binWidth 25, all classes)
    const auto d = rp::parse_parameters("", "empty.yaml");
    BOOST_TEST(d.setting.bin_width == 25.0);
    BOOST_TEST(d.image_types.size() == 1u);
    BOOST_TEST(d.classes.size() == 7u);
    // file order of image types and classes is kept; feature lists are kept
    const auto p = rp::parse_parameters("imageType:\n  LoG: {sigma: [2.0]}\n  Original:\nfeatureClass:\n"
                                        "  glcm: [Contrast, JointEnergy]\n  firstorder:\n",
                                        "order.yaml");
    BOOST_TEST_REQUIRE(p.image_types.size() == 2u);
    BOOST_TEST((p.image_types[0].type.type == rg::filters::image_type::log));
    BOOST_TEST((p.image_types[1].type.type == rg::filters::image_type::original));
    BOOST_TEST_REQUIRE(p.classes.size() == 2u);
    BOOST_TEST((p.classes[0].which == rf::feature_class::glcm));
    BOOST_TEST(p.classes[0].names == (std::vector<std::string>{"Contrast", "JointEnergy"}),
               boost::test_tools::per_element());
    // per-image-type settings override the global ones for that type only (PyRadiomics customArgs)
    const auto q = rp::parse_parameters("setting:\n  binWidth: 10\n  sigma: [1.0]\nimageType:\n  Original: {}\n"
                                        "  LoG: {binWidth: 5}\n",
                                        "override.yaml");
    BOOST_TEST(q.image_types[0].setting.bin_width == 10.0);
    BOOST_TEST(q.image_types[1].setting.bin_width == 5.0);
    BOOST_TEST(q.image_types[1].type.sigma == (std::vector<double>{1.0}), boost::test_tools::per_element());
    BOOST_TEST(!q.uniform_settings());
    // resegmentRange with one value: lower bound only (PyRadiomics)
    const auto r = rp::parse_parameters("setting:\n  resegmentRange: [-100]\n", "reseg.yaml");
    BOOST_TEST_REQUIRE(r.setting.resegment_range.has_value());
    BOOST_TEST((*r.setting.resegment_range)[0] == -100.0);
    BOOST_TEST(std::isinf((*r.setting.resegment_range)[1]));
    // resampling: PyRadiomics' interpolator names and SimpleITK codes; interpolator null disables it
    const auto rs = rp::parse_parameters("setting:\n  resampledPixelSpacing: [2, 2, 0]\n  interpolator: 2\n", "rs.yaml");
    BOOST_TEST_REQUIRE(rs.resampled_spacing.has_value());
    BOOST_TEST((*rs.resampled_spacing)[2] == 0.0);
    BOOST_TEST((rs.interpolator == rg::preprocess::interpolator::linear));
    BOOST_TEST(!rp::parse_parameters("setting:\n  resampledPixelSpacing: [2, 2, 2]\n  interpolator:\n", "n.yaml")
                    .resampled_spacing.has_value());
    // null leaves the default
    BOOST_TEST(rp::parse_parameters("setting:\n  binWidth:\n", "null.yaml").setting.bin_width == 25.0);
}

// Line and column of YAML syntax errors: PyYAML's problem_mark (tests/fixtures/extract/yaml_errors.csv).
BOOST_AUTO_TEST_CASE(yaml_syntax_error_line_and_column)
{
    const auto t = rg::io::read_csv(rg_test::fixture("extract/yaml_errors.csv"));
    BOOST_TEST_REQUIRE(t.row_count() == 3u);
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        std::string text = t.rows[r][t.column("text")];
        for (std::size_t p = text.find("\\n"); p != std::string::npos; p = text.find("\\n", p + 1)) {
            text.replace(p, 2, "\n");
        }
        const std::string message = parse_error(text);
        const auto line = static_cast<long>(t.number(r, t.column("line")));
        const auto column = static_cast<long>(t.number(r, t.column("column")));
        BOOST_TEST_CONTEXT("YAML " << t.rows[r][t.column("text")] << " -> " << message)
        {
            BOOST_TEST(contains(message, "YAML syntax error"));
            BOOST_TEST(contains(message, "test.yaml line "));
            BOOST_TEST(!contains(message, "\n"));
            // PyYAML's exact line and column (1-based), not just the line
            BOOST_TEST(contains(message, "line " + std::to_string(line) + ", column " + std::to_string(column) + ":"));
        }
    }
}

BOOST_AUTO_TEST_CASE(schema_errors_name_the_key)
{
    struct bad {
        const char* text;
        const char* key;
        const char* detail;
    };
    const bad cases[] = {
        {"setting:\n  binwidth: 25\n", "setting.binwidth", "unknown setting"},
        {"setting:\n  binWidth: abc\n", "setting.binWidth", "a finite number"},
        {"setting:\n  binWidth: '25'\n", "setting.binWidth", "the string \"25\""},
        {"setting:\n  binWidth: -1\n", "setting.binWidth", "a number > 0"},
        {"setting:\n  binCount: 2.5\n", "setting.binCount", "an integer"},
        {"setting:\n  binCount: 200000\n", "setting.binCount", "1..100000"},
        {"setting:\n  label: true\n", "setting.label", "an integer"},
        {"setting:\n  normalize: 1\n", "setting.normalize", "true or false"},
        {"setting:\n  distances: 1\n", "setting.distances", "a list"},
        {"setting:\n  force2Ddimension: 3\n", "setting.force2Ddimension", "0..2"},
        {"setting:\n  resegmentMode: percentile\n", "setting.resegmentMode", "absolute, relative, sigma"},
        {"setting:\n  wavelet: nope\n", "setting.wavelet", "coif1"},
        {"setting:\n  removeOutliers: 3\n", "setting.removeOutliers", "not supported"},
        {"setting:\n  resampledPixelSpacing: [2, 2]\n", "setting.resampledPixelSpacing", "a list of 3 spacings"},
        {"setting:\n  interpolator: sitkGaussian\n", "setting.interpolator", "not supported"},
        {"setting:\n  interpolator: sitkCubic\n", "setting.interpolator", "sitkBSpline"},
        {"setting:\n  weightingNorm: euclidean\n", "setting.weightingNorm", "not supported"},
        {"voxelSetting:\n  kernelRadius: 0\n", "voxelSetting.kernelRadius", "an integer >= 1"},
        {"voxelSetting:\n  initValue: abc\n", "voxelSetting.initValue", "a finite number"},
        {"voxelSetting:\n  maskedKernel: 1\n", "voxelSetting.maskedKernel", "true or false"},
        {"voxelSetting:\n  kernelradius: 1\n", "voxelSetting.kernelradius", "unknown voxel setting"},
        {"imageType:\n  Wavelets: {}\n", "imageType.Wavelets", "unknown image type"},
        {"imageType:\n  LBP2D: {lbp2DSamples: 0}\n", "imageType.LBP2D.lbp2DSamples", "an integer in 1..31"},
        {"setting:\n  lbp2DMethod: nri_uniform\n", "setting.lbp2DMethod", "one of default, ror, uniform, var"},
        {"setting:\n  lbp2DRadius: 0\n", "setting.lbp2DRadius", "a number > 0"},
        {"imageType:\n  LoG: {sigma: [0]}\n", "imageType.LoG.sigma[0]", "a number > 0"},
        {"imageType:\n  LoG: {sigmas: [1]}\n", "imageType.LoG.sigmas", "unknown setting"},
        {"featureClass:\n  glcmm:\n", "featureClass.glcmm", "unknown feature class"},
        {"featureClass:\n  glcm: [Contrast, Contrastt]\n", "featureClass.glcm[1]", "Contrastt"},
        {"featureClass:\n  glcm: Contrast\n", "featureClass.glcm", "a list"},
        {"featureClass:\n  shape2D: [Perimeterr]\n", "featureClass.shape2D[0]", "Perimeterr"},
        {"settings:\n  binWidth: 25\n", "settings", "unknown top-level key"},
    };
    for (const auto& c : cases) {
        const std::string message = parse_error(c.text);
        BOOST_TEST_CONTEXT(c.text << " -> " << message)
        {
            BOOST_TEST(contains(message, "[radiogenomics.pyradiomics.parameters] test.yaml: "));
            const bool names_key =
                contains(message, std::string(c.key) + " (line") || contains(message, std::string(c.key) + ":");
            BOOST_TEST(names_key);
            BOOST_TEST(contains(message, c.detail));
            BOOST_TEST(!contains(message, "\n"));
        }
    }
}

// LBP2D (PyRadiomics' lbp-2D image type): its three settings, globally or on the image type, reach the filter
// options (defaults radius 1, 8 samples, uniform: PyRadiomics' getLBP2DImage kwargs defaults).
BOOST_AUTO_TEST_CASE(lbp2d_image_type)
{
    using rg::filters::lbp2d_method;
    const auto p = rp::parse_parameters("setting:\n  lbp2DSamples: 12\nimageType:\n  Original: {}\n  LBP2D:\n"
                                        "    lbp2DRadius: 2.5\n    lbp2DMethod: ror\n", "l.yaml");
    BOOST_TEST_REQUIRE(p.image_types.size() == 2u);
    const auto& lbp = p.image_types[1].type;
    BOOST_TEST((lbp.type == rg::filters::image_type::lbp2d));
    BOOST_TEST(lbp.lbp2d.radius == 2.5);
    BOOST_TEST(lbp.lbp2d.samples == 12);
    BOOST_TEST((lbp.lbp2d.method == lbp2d_method::ror));
    const auto d = rp::parse_parameters("imageType:\n  LBP2D: {}\n", "d.yaml");
    BOOST_TEST(d.image_types.front().type.lbp2d.radius == 1.0);
    BOOST_TEST(d.image_types.front().type.lbp2d.samples == 8);
    BOOST_TEST((d.image_types.front().type.lbp2d.method == lbp2d_method::uniform));
}

// The reader and the batch runner read the library's one feature-class table (features::feature_classes): every
// class it lists parses under its PyRadiomics name with any of its feature names, and names the IBSI tag of its rows;
// the defaults are its classes but shape2D in PyRadiomics' order (getFeatureClasses: module names sorted).
BOOST_AUTO_TEST_CASE(feature_classes_come_from_the_library_table)
{
    for (const auto& info : rf::feature_classes) {
        const std::string name(info.name);
        const std::string last(info.rows[info.size - 1].name);
        const auto p = rp::parse_parameters("featureClass:\n  " + name + ": [" + last + "]\n", "c.yaml");
        BOOST_TEST_REQUIRE(p.classes.size() == 1u);
        BOOST_TEST((p.classes[0].which == info.which), name);
        BOOST_TEST(p.classes[0].names == (std::vector<std::string>{last}), boost::test_tools::per_element());
        for (std::size_t r = 0; r < info.size; ++r) {
            BOOST_TEST(rp::ibsi_tag("original_" + name + "_" + std::string(info.rows[r].name)) ==
                       std::string(info.rows[r].ibsi_tag));
        }
    }
    std::vector<std::string> defaults;
    for (const auto& c : rp::default_parameters().classes) {
        defaults.emplace_back(rf::class_info(c.which).name);
    }
    BOOST_TEST(defaults == (std::vector<std::string>{"firstorder", "glcm", "gldm", "glrlm", "glszm", "ngtdm", "shape"}),
               boost::test_tools::per_element());
}

// PyRadiomics' command-line `--setting NAME:VALUE` overrides.
BOOST_AUTO_TEST_CASE(setting_overrides)
{
    const auto p = rp::parse_parameters("setting:\n  binWidth: 25\n", "o.yaml",
                                        {"binWidth:10", "resegmentRange: [-50, 100]", "label:2"});
    BOOST_TEST(p.setting.bin_width == 10.0);
    BOOST_TEST(p.setting.label == 2);
    BOOST_TEST_REQUIRE(p.setting.resegment_range.has_value());
    BOOST_TEST((*p.setting.resegment_range)[1] == 100.0);
    BOOST_TEST(p.image_types.front().setting.bin_width == 10.0);
    // PyRadiomics' own override syntax: comma lists without brackets, 1/0 booleans
    const auto q = rp::parse_parameters("", "o.yaml", {"resegmentRange:-50,100", "normalize:1", "sigma:2.0"});
    BOOST_TEST_REQUIRE(q.setting.resegment_range.has_value());
    BOOST_TEST((*q.setting.resegment_range)[0] == -50.0);
    BOOST_TEST((*q.setting.resegment_range)[1] == 100.0);
    BOOST_TEST(q.setting.normalize);
    const auto error_of = [](const std::string& item) {
        try {
            rp::parse_parameters("", "o.yaml", {item});
        } catch (const rg::error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(contains(error_of("binWidth"), "NAME:VALUE"));
    BOOST_TEST(contains(error_of("binWidth:abc"), "setting.binWidth"));
    BOOST_TEST(contains(error_of("binWitdh:5"), "unknown setting"));
    BOOST_TEST(contains(error_of("distances:[1, 2"), "YAML syntax error"));
}

BOOST_AUTO_TEST_CASE(missing_parameter_file)
{
    BOOST_CHECK_THROW(rp::read_parameter_file("/nonexistent/params.yaml"), rg::io_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(support)

// FIPS 180-4 / RFC 3174 test vectors.
BOOST_AUTO_TEST_CASE(sha1_vectors)
{
    BOOST_TEST(rp::sha1_hex("", 0) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    BOOST_TEST(rp::sha1_hex("abc", 3) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    BOOST_TEST(rp::sha1_hex(two_blocks.data(), two_blocks.size()) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    const std::string million(1000000, 'a');
    BOOST_TEST(rp::sha1_hex(million.data(), million.size()) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// sha1_hex (OpenSSL's EVP SHA-1 when built with RG_HAVE_OPENSSL) and the portable fallback against Python's
// hashlib: b = bytes((i * i) % 251 for i in range(1000003)); hashlib.sha1(b[:n]).hexdigest() for the padding
// edges n = 55, 56, 63, 64, 65, 119, 120 and for the whole buffer (Python 3.11).
BOOST_AUTO_TEST_CASE(sha1_openssl_and_portable_agree_with_hashlib)
{
    std::string bytes(1000003, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<char>((i * i) % 251);
    }
    const std::vector<std::pair<std::size_t, std::string>> expected{
        {55, "268ae4eddab5943db2f28913dc67a71ffe4e7d9b"},  {56, "181aaf15e362be8756ed7a88abad4bc1abb9fb9a"},
        {63, "eb0d33d27b7fca9c55d122e105e46829cb781248"},  {64, "1df6ec80e68b3dce311679aad6277f3280a39fe7"},
        {65, "874ac0f98c32112e5fae14504ebc4397c3ce7a70"},  {119, "cc41c58d5f70f06dabfae8301110d0745e04ee93"},
        {120, "9dfd239b5a95d6f8a983c68ac29af3795f7c560f"}, {1000003, "34f7cf92fd2e0b5f022ac3e6a5c5a556ef617003"}};
    for (const auto& [n, digest] : expected) {
        BOOST_TEST(rp::sha1_hex(bytes.data(), n) == digest, "n = " << n);
        BOOST_TEST(rp::detail::sha1_hex_portable(bytes.data(), n) == digest, "n = " << n);
    }
#if defined(RG_HAVE_OPENSSL)
    BOOST_TEST(rp::sha1_uses_openssl);
#endif
}

// Python's repr of floats (the values PyRadiomics writes), checked against CPython 3.11 output.
BOOST_AUTO_TEST_CASE(python_float_repr)
{
    BOOST_TEST(rp::python_repr(-1000.0) == "-1000.0");
    BOOST_TEST(rp::python_repr(0.1) == "0.1");
    BOOST_TEST(rp::python_repr(1e-05) == "1e-05");
    BOOST_TEST(rp::python_repr(0.0001) == "0.0001");
    BOOST_TEST(rp::python_repr(1e16) == "1e+16");
    BOOST_TEST(rp::python_repr(123456789012345.6) == "123456789012345.6");
    BOOST_TEST(rp::python_repr(-3.2e-16) == "-3.2e-16");
    BOOST_TEST(rp::python_repr(2.0 / 3.0) == "0.6666666666666666");
    BOOST_TEST(rp::python_repr(0.9769999980926514) == "0.9769999980926514");
    BOOST_TEST(rp::python_repr(std::nan("")) == "nan");
}

BOOST_AUTO_TEST_CASE(ibsi_tags)
{
    BOOST_TEST(rp::ibsi_tag("original_firstorder_Mean") == "stat_mean");
    BOOST_TEST(rp::ibsi_tag("wavelet-LLH_glcm_JointEnergy") == "cm_energy");
    BOOST_TEST(rp::ibsi_tag("log-sigma-1-0-mm-3D_glcm_MCC") == "");
    BOOST_TEST(rp::ibsi_tag("original_shape_MeshVolume") == "morph_volume");
}

BOOST_AUTO_TEST_SUITE_END()
