// io/nrrd.hpp against NRRD files written by an independent plain-Python writer
// (tests/fixtures/io/make_nrrd_fixtures.py) and the same volume as NIfTI-1.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "io_test_util.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/nrrd.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;

namespace {

std::string fx(const std::string& name) { return rg_test::fixture("io/" + name); }

}  // namespace

BOOST_AUTO_TEST_SUITE(nrrd)

// reference_volume.py: shape (12, 10, 6), spacing (0.75, 0.8, 2.5), origin (-40.25, 12.5, -101) LPS, oblique.
BOOST_AUTO_TEST_CASE(every_encoding_and_space_gives_the_nifti_volume)
{
    const auto reference = rg::io::read_nifti<std::int16_t, 3>(fx("ct.nii"));
    BOOST_TEST(reference.shape()[0] == 12u);
    BOOST_TEST(reference.origin()[0] == -40.25, boost::test_tools::tolerance(1e-9));
    for (const char* name : {"ct_raw.nrrd", "ct_raw_be.nrrd", "ct_gzip.nrrd", "ct_ascii.nrrd", "ct_detached.nhdr",
                             "ct_ras.nrrd"}) {
        BOOST_TEST_CONTEXT(name)
        {
            const auto img = rg::io::read_nrrd<std::int16_t, 3>(fx(name));
            BOOST_TEST(io_test::same_voxels(img, reference));
            // NIfTI's sform is float32: 1e-6 mm covers its rounding; the NRRD files agree to 1e-12.
            BOOST_TEST(io_test::geometry_difference(img.geometry(), reference.geometry()) < 1e-6);
            BOOST_TEST(img.spacing()[1] == 0.8, boost::test_tools::tolerance(1e-12));
            BOOST_TEST(img.origin()[1] == 12.5, boost::test_tools::tolerance(1e-12));
        }
    }
    const auto as_float = rg::io::read_nrrd<float, 3>(fx("ct_gzip.nrrd"));
    BOOST_TEST(io_test::same_voxels(as_float, reference));
}

BOOST_AUTO_TEST_CASE(header_reports_type_and_segments)
{
    const auto h = rg::io::read_nrrd_header(fx("ct_detached.nhdr"));
    BOOST_TEST((h.pixel_type == rg::io::pixel_type::int16));
    BOOST_TEST(h.sizes.size() == 3u);
    BOOST_TEST(h.segments.empty());
    const auto seg = rg::io::read_nrrd_header(fx("seg.seg.nrrd"));
    BOOST_TEST(seg.layers == 2u);
    BOOST_TEST(seg.segments.size() == 3u);
    BOOST_TEST(seg.segments[2].name == "liver");
    BOOST_TEST(seg.segments[2].label_value == 2);
    BOOST_TEST(seg.segments[2].layer == 1u);
    BOOST_TEST(seg.key_values.at("Segmentation_MasterRepresentation") == "Binary labelmap");
}

BOOST_AUTO_TEST_CASE(slicer_segments_by_name_id_and_label)
{
    const auto mask = rg::io::read_nifti<std::int32_t, 3>(fx("mask.nii"));
    const auto label_map = rg::io::read_nrrd<std::int32_t, 3>(fx("mask.nrrd"));
    BOOST_TEST(io_test::same_voxels(label_map, mask));

    const auto [tumour, s0] = rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "tumour");
    BOOST_TEST(s0.layer == 0u);
    BOOST_TEST(io_test::same_voxels(tumour, mask));
    BOOST_TEST(io_test::geometry_difference(tumour.geometry(), mask.geometry()) < 1e-6);

    // fat and liver share layer 1 (values 1 and 2); each selection keeps only its own voxels.
    const auto [liver, s2] = rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "Segment_3");
    BOOST_TEST(s2.name == "liver");
    const auto [fat, s1] = rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "FAT");
    BOOST_TEST(s1.label_value == 1);
    std::size_t n_fat = 0;
    std::size_t n_liver = 0;
    for (std::size_t i = 0; i < fat.size(); ++i) {
        const auto index = fat.index_of(i);
        // reference_volume.py: fat is 2 <= i <= 4, 1 <= j <= 8; liver is i >= 9, j <= 3
        const bool in_fat = index[0] >= 2 && index[0] <= 4 && index[1] >= 1 && index[1] <= 8;
        const bool in_liver = index[0] >= 9 && index[1] <= 3;
        BOOST_TEST(fat[i] == (in_fat ? 1 : 0));
        BOOST_TEST(liver[i] == (in_liver ? 2 : 0));
        n_fat += in_fat;
        n_liver += in_liver;
    }
    BOOST_TEST(n_fat == 3u * 8u * 6u);
    BOOST_TEST(n_liver == 3u * 4u * 6u);
    // label 2 is unique (liver); label 1 is in both layers
    BOOST_TEST(rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "2").second.name == "liver");
    io_test::throws_with<rg::mask_error>([] { rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "1"); },
                                         {"seg.seg.nrrd", "label 1", "tumour", "fat", "by name"});
    io_test::throws_with<rg::mask_error>([] { rg::io::read_nrrd_segment<3>(fx("seg.seg.nrrd"), "spleen"); },
                                         {"seg.seg.nrrd", "'spleen'", "expected one of 'tumour' (label 1, layer 0)"});
    io_test::throws_with<rg::mask_error>([] { rg::io::read_nrrd_segment<3>(fx("mask.nrrd"), "tumour"); },
                                         {"mask.nrrd", "Segment0_ID"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("seg.seg.nrrd")); },
                                       {"seg.seg.nrrd", "2 layers", "read_nrrd_segment"});
}

BOOST_AUTO_TEST_CASE(bad_files_get_one_line_errors)
{
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("bad_header.nrrd")); },
                                       {"io.read_nrrd", "bad_header.nrrd", "size is zero", "expected a valid NRRD header"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("bad_short.nrrd")); },
                                       {"bad_short.nrrd", "got only 360", "expected as much voxel data as the header declares"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("bad_encoding.nrrd")); },
                                       {"bad_encoding.nrrd", "lzma", "expected an encoding teem reads"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("missing.nrrd")); },
                                       {"missing.nrrd", "does not exist"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<float, 3>(fx("ct.nii")); },
                                       {"ct.nii", "expected .nrrd or .nhdr"});
    io_test::throws_with<rg::io_error>([] { rg::io::read_nrrd<std::uint8_t, 3>(fx("ct_raw.nrrd")); },
                                       {"ct_raw.nrrd", "fits the requested integer"});
}

BOOST_AUTO_TEST_CASE(write_round_trip_every_encoding_and_detached)
{
    const auto reference = rg::io::read_nrrd<std::int16_t, 3>(fx("ct_raw.nrrd"));
    io_test::temp_dir tmp("nrrd");
    for (const auto& [name, encoding] :
         {std::pair<std::string, rg::io::nrrd_encoding>{"a.nrrd", rg::io::nrrd_encoding::raw},
          {"b.nrrd", rg::io::nrrd_encoding::gzip}, {"c.nrrd", rg::io::nrrd_encoding::ascii},
          {"d.nhdr", rg::io::nrrd_encoding::gzip}}) {
        BOOST_TEST_CONTEXT(name)
        {
            rg::io::write_nrrd(reference, tmp.file(name), encoding, {{"source", "test"}});
            const auto back = rg::io::read_nrrd<std::int16_t, 3>(tmp.file(name));
            BOOST_TEST(io_test::same_voxels(back, reference));
            BOOST_TEST(io_test::geometry_difference(back.geometry(), reference.geometry()) < 1e-12);
            BOOST_TEST(rg::io::read_nrrd_header(tmp.file(name)).key_values.at("source") == "test");
        }
    }
    BOOST_TEST(std::filesystem::exists(tmp.file("d.raw.gz")));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(tmp.path)) {
        ++files;
    }
    BOOST_TEST(files == 5u);  // a, b, c, d.nhdr, d.raw.gz: no temporary left behind
    io_test::throws_with<rg::io_error>([&] { rg::io::write_nrrd(reference, tmp.file("no/such/x.nrrd")); },
                                       {"x.nrrd", "does not exist"});
}

BOOST_AUTO_TEST_SUITE_END()
