// NIfTI datatypes as SimpleITK reads them (issue 17): `read_nifti_header` + `simpleitk_pixel_type` against ITK 5.2's
// NiftiImageIO, and every stored value read exactly in that type (64-bit integers beyond 2^53 included). Fixtures:
// tests/fixtures/io/pixel_types (files built byte by byte by make_pixel_type_fixtures.py; the component types by
// itk/probe_pixel_types.cpp).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
using rg::io::pixel_type;

namespace {

std::string pixel_file(const std::string& name) { return rg_test::fixture("io/pixel_types/" + name); }

/// ITK's component type names (ImageIOBase::GetComponentTypeAsString) -> the SimpleITK pixel type they give
/// (long / unsigned long are 64 bits on Linux: sitkInt64 / sitkUInt64).
pixel_type from_itk(const std::string& component)
{
    static const std::map<std::string, pixel_type> names{
        {"char", pixel_type::int8},         {"unsigned_char", pixel_type::uint8},
        {"short", pixel_type::int16},       {"unsigned_short", pixel_type::uint16},
        {"int", pixel_type::int32},         {"unsigned_int", pixel_type::uint32},
        {"long", pixel_type::int64},        {"unsigned_long", pixel_type::uint64},
        {"long_long", pixel_type::int64},   {"unsigned_long_long", pixel_type::uint64},
        {"float", pixel_type::float32},     {"double", pixel_type::float64}};
    return names.at(component);
}

/// Reads `path` as `T` and checks every voxel against the generator's text values (integers compared as integers).
template <class T>
void check_values(const std::string& path, const std::vector<std::string>& cells)
{
    const auto img = rg::io::read_nifti<T, 3>(path);
    BOOST_TEST_REQUIRE(img.size() == cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if constexpr (std::is_floating_point_v<T>) {
            const double want = std::stod(cells[i]);
            BOOST_TEST(static_cast<double>(img[i]) == static_cast<double>(static_cast<T>(want)), path << " voxel " << i);
        } else if constexpr (std::is_signed_v<T>) {
            BOOST_TEST(static_cast<long long>(img[i]) == std::stoll(cells[i]), path << " voxel " << i);
        } else {
            BOOST_TEST(static_cast<unsigned long long>(img[i]) == std::stoull(cells[i]), path << " voxel " << i);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(nifti_pixel_types)

BOOST_AUTO_TEST_CASE(pixel_type_and_dimension_as_itk_reads_them)
{
    const auto itk = rg::io::read_csv(pixel_file("itk_pixel_types.csv"));
    BOOST_TEST_REQUIRE(itk.row_count() == 14u);
    for (std::size_t r = 0; r < itk.row_count(); ++r) {
        const std::string name = itk.rows[r][0];
        const bool two_d_fixture = name == "plane_image" || name == "slice_image";
        const std::string path =
            two_d_fixture ? rg_test::fixture("extract/two_d/" + name + ".nii.gz") : pixel_file(name + ".nii");
        const auto header = rg::io::read_nifti_header(path);
        BOOST_TEST((rg::io::simpleitk_pixel_type(header) == from_itk(itk.rows[r][1])), name << ": ITK " << itk.rows[r][1]);
        BOOST_TEST(header.dimension == static_cast<std::size_t>(std::stoi(itk.rows[r][2])), name);
        BOOST_TEST(header.scaled == (name.find("_scaled") != std::string::npos), name);
    }
}

BOOST_AUTO_TEST_CASE(every_datatype_is_read_exactly_in_its_simpleitk_type)
{
    const auto values = rg::io::read_csv(pixel_file("values.csv"));
    BOOST_TEST_REQUIRE(values.row_count() == 12u);
    for (std::size_t r = 0; r < values.row_count(); ++r) {
        const std::string name = values.rows[r][0];
        const std::string path = pixel_file(name + ".nii");
        const std::vector<std::string> cells(values.rows[r].begin() + 1, values.rows[r].end());
        switch (rg::io::simpleitk_pixel_type(rg::io::read_nifti_header(path))) {
        case pixel_type::int8: check_values<std::int8_t>(path, cells); break;
        case pixel_type::uint8: check_values<std::uint8_t>(path, cells); break;
        case pixel_type::int16: check_values<std::int16_t>(path, cells); break;
        case pixel_type::uint16: check_values<std::uint16_t>(path, cells); break;
        case pixel_type::int32: check_values<std::int32_t>(path, cells); break;
        case pixel_type::uint32: check_values<std::uint32_t>(path, cells); break;
        case pixel_type::int64: check_values<std::int64_t>(path, cells); break;
        case pixel_type::uint64: check_values<std::uint64_t>(path, cells); break;
        case pixel_type::float32: check_values<float>(path, cells); break;
        case pixel_type::float64: check_values<double>(path, cells); break;
        default: BOOST_FAIL(name << ": no pixel type");
        }
    }
}

// A value outside the requested integer type is an error naming the voxel, compared in integers: 2^63 + 5 in a
// uint64 file does not fit int64, 2^53 + 1 in an int64 file is read exactly as int64 (a double would round it).
BOOST_AUTO_TEST_CASE(integer_range_is_checked_in_integers)
{
    const auto exact = rg::io::read_nifti<std::int64_t, 3>(pixel_file("int64.nii"));
    BOOST_TEST(exact[5] == (std::int64_t{1} << 53) + 1);
    try {
        static_cast<void>(rg::io::read_nifti<std::int64_t, 3>(pixel_file("uint64.nii")));
        BOOST_FAIL("a uint64 value above INT64_MAX read as int64");
    } catch (const rg::io_error& e) {
        BOOST_TEST(std::string(e.what()).find("voxel 1: got 18446744073709551615") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(static_cast<void>(rg::io::read_nifti<std::int8_t, 3>(pixel_file("int16.nii"))), rg::io_error);
    BOOST_CHECK_THROW(static_cast<void>(rg::io::read_nifti<std::uint32_t, 3>(pixel_file("int8.nii"))), rg::io_error);
    // a real type takes an integer with one rounding: int64 2^62 + 3 -> float is 2^62 (nearest float)
    const auto as_float = rg::io::read_nifti<float, 3>(pixel_file("int64.nii"));
    BOOST_TEST(as_float[10] == 4611686018427387904.0f);
}

BOOST_AUTO_TEST_SUITE_END()
