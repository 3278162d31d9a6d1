#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <csignal>

#include <sys/resource.h>

#include <nifti2_io.h>

#include "radiogenomics/io/nifti.hpp"
#include "nifti_bytes.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace fs = std::filesystem;

namespace {

/// A fresh folder under the system temp dir, removed at scope exit.
struct temp_folder {
    fs::path path;
    temp_folder()
    {
        path = fs::temp_directory_path() / ("rg_io_test_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~temp_folder() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::vector<char> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<char>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <class TError>
void check_throws_with(const std::function<void()>& action, const std::string& fragment)
{
    try {
        action();
        BOOST_FAIL("expected an exception containing '" << fragment << "'");
    } catch (const TError& e) {
        BOOST_TEST_INFO("message: " << e.what());
        BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(nifti)

// Geometry and voxel values of the IBSI 1 digital phantom as stated in ibsi1/README.md.
BOOST_AUTO_TEST_CASE(ibsi_digital_phantom_loads_with_stated_geometry)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/digital_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/digital_phantom/mask.nii.gz"));
    BOOST_TEST(img.shape()[0] == 5u);
    BOOST_TEST(img.shape()[1] == 4u);
    BOOST_TEST(img.shape()[2] == 4u);
    for (std::size_t d = 0; d < 3; ++d) {
        BOOST_TEST(img.spacing()[d] == 2.0);
        BOOST_TEST(img.origin()[d] == 0.0);
        // sform diag(-2,-2,2) in RAS is the identity direction in LPS.
        BOOST_TEST(img.geometry().direction()[d][d] == 1.0);
    }
    // README table, slice k=0 row j=0: 1 4 4 1 1; k=2 row j=2: 1 1 9* 1 1.
    BOOST_TEST(img(0, 0, 0) == 1.0f);
    BOOST_TEST(img(1, 0, 0) == 4.0f);
    BOOST_TEST(img(2, 1, 0) == 6.0f);
    BOOST_TEST(img(2, 2, 2) == 9.0f);
    BOOST_TEST(mask(2, 2, 2) == 0);
    BOOST_TEST(rg::count_label(mask) == 74u);
    double sum = 0.0;
    for (std::size_t i = 0; i < img.size(); ++i) {
        sum += mask[i] ? img[i] : 0.0;
    }
    BOOST_TEST(sum / 74.0 == 2.1486, boost::test_tools::tolerance(1e-4));  // README: mean 2.1486
}

// Geometry of the IBSI 1 CT phantom (README) and the mask's centre of mass in LPS as PyRadiomics'
// diagnostics report it (pyradiomics/ibsi_ct_phantom_paper.settings.json).
BOOST_AUTO_TEST_CASE(ibsi_ct_phantom_geometry_matches_simpleitk_lps)
{
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    BOOST_TEST(mask.shape()[0] == 204u);
    BOOST_TEST(mask.shape()[1] == 201u);
    BOOST_TEST(mask.shape()[2] == 60u);
    BOOST_TEST(mask.spacing()[0] == 0.9769999980926514, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(mask.spacing()[2] == 3.0);
    BOOST_TEST(rg::count_label(mask) == 125256u);
    double ci[3] = {0.0, 0.0, 0.0};
    for (std::size_t n = 0; n < mask.size(); ++n) {
        if (mask[n]) {
            const auto index = mask.index_of(n);
            for (std::size_t d = 0; d < 3; ++d) {
                ci[d] += static_cast<double>(index[d]);
            }
        }
    }
    rg::image_geometry<3>::point_type centre{ci[0] / 125256.0, ci[1] / 125256.0, ci[2] / 125256.0};
    BOOST_TEST(centre[0] == 102.26201539247621, boost::test_tools::tolerance(1e-10));
    const auto p = mask.geometry().index_to_physical(centre);
    BOOST_TEST(p[0] == -74.48451188902193, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(p[1] == 16.332758367855362, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(p[2] == -18.742500088822, boost::test_tools::tolerance(1e-6));

    const auto ct = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    BOOST_TEST(ct.geometry().same_grid(mask.geometry()));
    float lo = ct[0];
    float hi = ct[0];
    for (std::size_t n = 0; n < ct.size(); ++n) {
        lo = std::min(lo, ct[n]);
        hi = std::max(hi, ct[n]);
    }
    BOOST_TEST(lo == -1000.0f);  // README: float32 HU from -1000 to 3065
    BOOST_TEST(hi == 3065.0f);
}

// IBSI 2 orientation phantom: value = i + j + k on 32 x 48 x 64 (ibsi2/README.md) — checks axis order.
BOOST_AUTO_TEST_CASE(orientation_phantom_keeps_axis_order)
{
    const auto img = rg::io::read_nifti<int, 3>(rg_test::shared_reference("ibsi2/phantoms/orientation/image.nii.gz"));
    BOOST_TEST(img.shape()[0] == 32u);
    BOOST_TEST(img.shape()[1] == 48u);
    BOOST_TEST(img.shape()[2] == 64u);
    BOOST_TEST(img(31, 0, 0) == 31);
    BOOST_TEST(img(0, 47, 0) == 47);
    BOOST_TEST(img(0, 0, 63) == 63);
    BOOST_TEST(img(5, 7, 11) == 23);
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_values_and_oblique_geometry)
{
    temp_folder tmp;
    const double c = std::cos(0.3);
    const double s = std::sin(0.3);
    rg::image_geometry<3>::direction_type d{{{c, -s, 0.0}, {s, c, 0.0}, {0.0, 0.0, 1.0}}};
    rg::image<float, 3> img(rg::image_geometry<3>({7, 5, 3}, {0.8, 1.25, 3.0}, {-12.5, 40.0, 7.0}, d));
    for (std::size_t n = 0; n < img.size(); ++n) {
        img[n] = static_cast<float>(n) * 0.5f - 3.0f;
    }
    for (const auto* name : {"a.nii", "b.nii.gz"}) {
        for (const auto format : {rg::io::nifti_format::nifti1, rg::io::nifti_format::nifti2}) {
            const std::string path = tmp.file(name);
            rg::io::write_nifti(img, path, format);
            BOOST_TEST(!fs::exists(path + ".partial"));
            const auto back = rg::io::read_nifti<float, 3>(path);
            BOOST_TEST(back.geometry().same_grid(img.geometry(), 1e-6));
            bool equal = true;
            for (std::size_t n = 0; n < img.size(); ++n) {
                equal = equal && back[n] == img[n];
            }
            BOOST_TEST(equal);
        }
    }
    rg::image<std::int16_t, 2> slice(rg::image_geometry<2>({4, 3}, {0.5, 0.5}, {1.0, 2.0}), std::int16_t{-7});
    rg::io::write_nifti(slice, tmp.file("s.nii.gz"));
    const auto back2 = rg::io::read_nifti<std::int16_t, 2>(tmp.file("s.nii.gz"));
    BOOST_TEST(back2(3, 2) == -7);
    BOOST_TEST(back2.origin()[1] == 2.0, boost::test_tools::tolerance(1e-9));
    // A 2D file read as 3D gets a size-1 third axis.
    const auto as3d = rg::io::read_nifti<float, 3>(tmp.file("s.nii.gz"));
    BOOST_TEST(as3d.shape()[2] == 1u);
}

// NIfTI-1 header: scl_slope at byte 112, scl_inter at byte 116 (float32, nifti1.h).
BOOST_AUTO_TEST_CASE(scl_slope_and_inter_are_applied)
{
    temp_folder tmp;
    rg::image<std::int16_t, 3> img(rg::image_geometry<3>({3, 2, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}));
    for (std::size_t n = 0; n < img.size(); ++n) {
        img[n] = static_cast<std::int16_t>(n);
    }
    const std::string path = tmp.file("scaled.nii");
    rg::io::write_nifti(img, path);
    auto bytes = read_bytes(path);
    const float slope = 2.5f;
    const float inter = -1024.0f;
    std::memcpy(bytes.data() + 112, &slope, 4);
    std::memcpy(bytes.data() + 116, &inter, 4);
    write_bytes(path, bytes);
    const auto back = rg::io::read_nifti<double, 3>(path);
    BOOST_TEST(back[5] == 5.0 * 2.5 - 1024.0);
    // 2.5 x odd values are not integers: an integer (label) read refuses them instead of rounding
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<std::int32_t, 3>(path); }, "got -1021.5");
    const float two = 2.0f;
    std::memcpy(bytes.data() + 112, &two, 4);
    write_bytes(path, bytes);
    const auto as_int = rg::io::read_nifti<std::int32_t, 3>(path);
    BOOST_TEST(as_int[5] == -1014);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<std::uint8_t, 3>(path); }, "fits the requested integer");
}

BOOST_AUTO_TEST_CASE(bad_files_get_clear_errors)
{
    temp_folder tmp;
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("missing.nii.gz")); },
                                    "does not exist");
    write_bytes(tmp.file("text.nii"), std::vector<char>(400, 'x'));
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("text.nii")); }, "text.nii");
    write_bytes(tmp.file("image.png"), std::vector<char>(10, 'x'));
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("image.png")); }, "extension");

    // Truncated gzip: the first half of the CT phantom.
    auto bytes = read_bytes(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    bytes.resize(bytes.size() / 2);
    write_bytes(tmp.file("truncated.nii.gz"), bytes);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("truncated.nii.gz")); },
                                    "truncated.nii.gz");

    // Truncated uncompressed: header intact, half of the voxels missing.
    rg::image<float, 3> img(rg::image_geometry<3>({10, 10, 10}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}), 1.0f);
    rg::io::write_nifti(img, tmp.file("full.nii"));
    auto raw = read_bytes(tmp.file("full.nii"));
    raw.resize(raw.size() - 2000);
    write_bytes(tmp.file("short.nii"), raw);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("short.nii")); }, "short.nii");

    // A 4D series with two volumes.
    const std::int64_t dims[8] = {4, 3, 3, 3, 2, 1, 1, 1};
    nifti_image* nim = nifti_make_new_nim(dims, DT_FLOAT32, 1);
    nifti_set_filenames(nim, tmp.file("series.nii").c_str(), 0, 1);
    nifti_image_write(nim);
    nifti_image_free(nim);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("series.nii")); }, "4D");

    check_throws_with<rg::io_error>([&] { rg::io::write_nifti(img, tmp.file("out.mha")); }, "extension");
    check_throws_with<rg::io_error>([&] { rg::io::write_nifti(img, tmp.file("no_such_dir/x.nii")); }, "x.nii");
}

// A full disk (here a file-size limit, which fails write(2) with EFBIG like ENOSPC on a full device) makes
// write_nifti throw naming the file and the operating system's reason, and leaves neither the file nor a
// temporary behind. The clib's own writer ignored short writes and left a truncated file.
BOOST_AUTO_TEST_CASE(short_writes_are_errors_naming_the_file_and_the_reason)
{
    temp_folder tmp;
    rg::image<float, 3> img(rg::image_geometry<3>({40, 40, 40}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}), 1.0f);
    std::uint32_t state = 12345u;
    for (std::size_t i = 0; i < img.size(); ++i) {
        state = state * 1664525u + 1013904223u;  // LCG noise: gzip cannot shrink it under the limit
        img[i] = static_cast<float>(state >> 8);
    }
    struct rlimit old {};
    BOOST_REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto previous = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old;
    small.rlim_cur = 64 * 1024;
    BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    for (const char* name : {"big.nii", "big.nii.gz"}) {
        BOOST_TEST_CONTEXT(name)
        {
            std::string message;
            try {
                rg::io::write_nifti(img, tmp.file(name));
            } catch (const rg::io_error& e) {
                message = e.what();
            }
            BOOST_TEST(message.find(tmp.file(name)) != std::string::npos);
            BOOST_TEST(message.find(std::strerror(EFBIG)) != std::string::npos);  // "File too large"
            BOOST_TEST(message.find('\n') == std::string::npos);
        }
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previous);
    BOOST_TEST(std::distance(fs::directory_iterator(tmp.path), fs::directory_iterator()) == 0);  // no leftovers
    // With room, the same image round-trips through the NIfTI library's own reader (NIfTI-1 and -2).
    for (const auto format : {rg::io::nifti_format::nifti1, rg::io::nifti_format::nifti2}) {
        rg::io::write_nifti(img, tmp.file("ok.nii"), format);
        const bool two = format == rg::io::nifti_format::nifti2;
        const auto bytes = read_bytes(tmp.file("ok.nii"));
        std::int32_t sizeof_hdr = 0;
        std::memcpy(&sizeof_hdr, bytes.data(), 4);
        BOOST_TEST(sizeof_hdr == (two ? 540 : 348));  // NIfTI-2 / NIfTI-1 standard header sizes
        BOOST_TEST(std::string(bytes.data() + (two ? 4 : 344), 3) == (two ? "n+2" : "n+1"));  // single-file magic
        BOOST_TEST(bytes.size() == (two ? 544u : 352u) + img.size() * sizeof(float));  // vox_offset + voxels
        nifti_image* nim = nifti_image_read(tmp.file("ok.nii").c_str(), 1);
        BOOST_REQUIRE(nim != nullptr);
        BOOST_TEST(nim->nvox == static_cast<std::int64_t>(img.size()));
        BOOST_TEST(std::memcmp(nim->data, img.begin_pointer(), img.size() * sizeof(float)) == 0);
        nifti_image_free(nim);
    }
}

// NaN/Inf voxels survive the read (the clib's loader turns them into 0). The file is built byte by byte
// (tests/nifti_bytes.hpp), not by the NIfTI library, so the values on disk are known independently.
BOOST_AUTO_TEST_CASE(non_finite_voxels_survive)
{
    temp_folder tmp;
    std::vector<float> values(12);
    for (std::size_t n = 0; n < values.size(); ++n) {
        values[n] = static_cast<float>(n);
    }
    values[4] = std::numeric_limits<float>::quiet_NaN();
    values[7] = std::numeric_limits<float>::infinity();
    values[9] = -std::numeric_limits<float>::infinity();
    rg_test::write_nifti1_float32(tmp.file("nan.nii"), values);
    const auto img = rg::io::read_nifti<float, 3>(tmp.file("nan.nii"));
    BOOST_TEST(std::isnan(img[4]));
    BOOST_TEST(img[7] == std::numeric_limits<float>::infinity());
    BOOST_TEST(img[9] == -std::numeric_limits<float>::infinity());
    BOOST_TEST(img[5] == 5.0f);
    BOOST_TEST(img.geometry().spacing()[1] == 3.0);  // srow_y[1]
    const auto as_double = rg::io::read_nifti<double, 3>(tmp.file("nan.nii"));
    BOOST_TEST(std::isnan(as_double[4]));
    // an integer read of a NaN is refused
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<std::int32_t, 3>(tmp.file("nan.nii")); }, "voxel 4");
}

// pixdim 0 is refused with the axis named (the clib silently makes it 1).
BOOST_AUTO_TEST_CASE(zero_pixdim_is_refused)
{
    temp_folder tmp;
    rg_test::nifti_bytes_options o;
    o.sform = false;
    o.pixdim[1] = 0.0f;
    rg_test::write_nifti1_float32(tmp.file("pixdim.nii"), std::vector<float>(12, 1.0f), o);
    check_throws_with<rg::geometry_error>([&] { rg::io::read_nifti<float, 3>(tmp.file("pixdim.nii")); },
                                          "pixdim[2] (voxel spacing of axis 1): got 0");
    o.pixdim[1] = 3.0f;
    rg_test::write_nifti1_float32(tmp.file("good.nii"), std::vector<float>(12, 1.0f), o);
    BOOST_TEST((rg::io::read_nifti<float, 3>(tmp.file("good.nii")).geometry().spacing()[1] == 3.0));
}

// A float mask read as integer labels: 0.5 and 1.5 are refused with how the file was read (they used to
// become 0, "the mask is empty", and 2).
BOOST_AUTO_TEST_CASE(non_integer_labels_are_refused)
{
    temp_folder tmp;
    std::vector<float> values(12, 0.0f);
    values[3] = 0.5f;
    rg_test::write_nifti1_float32(tmp.file("half.nii"), values);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<std::int32_t, 3>(tmp.file("half.nii")); },
                                    "voxel 3: got 0.5, expected an integer value: the file stores FLOAT32");
    values[3] = 1.5f;
    rg_test::write_nifti1_float32(tmp.file("one_and_half.nii"), values);
    check_throws_with<rg::io_error>([&] { rg::io::read_nifti<std::int32_t, 3>(tmp.file("one_and_half.nii")); },
                                    "not integer-valued");
    values[3] = 2.0f;
    rg_test::write_nifti1_float32(tmp.file("two.nii"), values);
    BOOST_TEST((rg::io::read_nifti<std::int32_t, 3>(tmp.file("two.nii"))[3] == 2));
}

BOOST_AUTO_TEST_SUITE_END()
