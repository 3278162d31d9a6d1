// 2-D radiomics (`image<TPixel, 2>`): every 2-D instantiation of the feature engine lives in this TU.
// - A 2-D image gives exactly (bit for bit) the features of the same pixels as a one-slice volume with force2D
//   (spacing 1 mm along z so that TotalEnergy's pixel area equals the voxel volume), for the original image and
//   the intensity filters.
// - IBSI 1 digital phantom, slice by slice through the 2-D path, features averaged over the slices: the IBSI
//   consensus values of the 2D aggregations (GLCM/GLRLM "2D averaged" = `_2D_avg`, GLSZM/NGTDM/NGLDM "2D" = `_2D`;
//   shared/reference/ibsi1/reference_values.csv, manual: Zwanenburg et al., arXiv:1612.07003) within tolerance.
// - TotalEnergy of a 2-D image multiplies by the pixel area (PyRadiomics: np.multiply.reduce of the 2 spacings).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <iomanip>
#include <map>
#include <string>

#include "feature_test_util.hpp"
#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

/// A 23 x 19 float image with seeded random intensities (0..200) and an irregular mask (a disc with a notch and a
/// detached 2-pixel island), spacing 0.7 x 1.3 mm, an oblique in-plane direction.
struct plane_case {
    rg::image<float, 2> img;
    rg::mask_image<2> mask;
    plane_case()
    {
        const double c = std::cos(0.3), s = std::sin(0.3);
        const rg::image_geometry<2> grid({23, 19}, {0.7, 1.3}, {-4.0, 12.5}, {{{c, -s}, {s, c}}});
        img = rg::image<float, 2>(grid);
        mask = rg::mask_image<2>(grid, 0);
        rg::random_engine engine(20261203);
        for (std::size_t j = 0; j < 19; ++j) {
            for (std::size_t i = 0; i < 23; ++i) {
                img(i, j) = static_cast<float>(std::floor(rg::uniform(engine, 0.0, 200.0)));
                const double dx = static_cast<double>(i) - 11.0, dy = static_cast<double>(j) - 9.0;
                const bool disc = dx * dx + dy * dy <= 64.0 && !(i > 11 && j > 7 && j < 11);
                mask(i, j) = disc ? 1 : 0;
            }
        }
        mask(1, 1) = 1;
        mask(2, 1) = 1;
    }
};

rf::extractor_settings intensity_image_types()
{
    using rg::filters::image_type;
    rf::extractor_settings s;
    s.setting.bin_width = 10.0;
    s.image_types.clear();
    for (image_type t : {image_type::original, image_type::square, image_type::square_root, image_type::logarithm,
                         image_type::exponential}) {
        rf::image_type_settings entry;
        entry.type = t;
        s.image_types.push_back(entry);
    }
    s.classes = {{rf::feature_class::first_order, {}}, {rf::feature_class::shape_2d, {}},
                 {rf::feature_class::glcm, {}},        {rf::feature_class::glrlm, {}},
                 {rf::feature_class::glszm, {}},       {rf::feature_class::gldm, {}},
                 {rf::feature_class::ngtdm, {}}};
    return s;
}

void require_identical(const rf::feature_list& plane, const rf::feature_list& volume)
{
    BOOST_TEST_REQUIRE(plane.size() == volume.size());
    for (std::size_t n = 0; n < plane.size(); ++n) {
        BOOST_TEST(plane[n].name == volume[n].name);
        const bool same = plane[n].value == volume[n].value ||
                          (std::isnan(plane[n].value) && std::isnan(volume[n].value));
        BOOST_TEST(same, plane[n].name << ": 2-D " << std::setprecision(17) << plane[n].value << ", one-slice volume "
                                       << volume[n].value);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(two_d)

BOOST_AUTO_TEST_CASE(plane_equals_one_slice_volume_with_force2d)
{
    const plane_case c;
    rf::extractor_settings s = intensity_image_types();
    const auto plane = rf::extract(c.img, c.mask, s);
    s.setting.force_2d = true;
    s.setting.force_2d_dimension = 0;
    const auto volume = rf::extract(rg::to_slice_volume(c.img), rg::to_slice_volume(c.mask), s);
    // 5 image types x (19 + 24 + 16 + 16 + 14 + 5 default texture/first-order features) + 9 shape2D
    BOOST_TEST(plane.size() == 5u * (18u + 24u + 16u + 16u + 14u + 5u) + 9u);
    require_identical(plane, volume);
    // the other entry points agree with extract()
    const auto original = rf::extract_original(c.img, c.mask, s.setting, s.classes);
    for (std::size_t n = 0; n < original.size(); ++n) {
        BOOST_TEST(original[n].name == plane[n].name);
        BOOST_TEST(original[n].value == plane[n].value);
    }
}

BOOST_AUTO_TEST_CASE(normalised_plane_equals_one_slice_volume)
{
    const plane_case c;
    rf::extractor_settings s = intensity_image_types();
    s.setting.normalize = true;
    s.setting.normalize_scale = 100.0;
    const auto plane = rf::extract(c.img, c.mask, s);
    s.setting.force_2d = true;
    require_identical(plane, rf::extract(rg::to_slice_volume(c.img), rg::to_slice_volume(c.mask), s));
}

BOOST_AUTO_TEST_CASE(shape_class_of_a_plane_is_shape2d)
{
    const plane_case c;
    rf::settings s;
    s.bin_width = 10.0;
    const auto values = rf::extract_original(c.img, c.mask, s, {{rf::feature_class::shape, {}}});
    BOOST_TEST_REQUIRE(values.size() == 9u);
    BOOST_TEST(values.front().name == "original_shape2D_Elongation");
    // PixelSurface: pixel count x pixel area
    const double pixels = static_cast<double>(rg::count_label(c.mask, std::uint8_t{1}));
    for (const auto& v : values) {
        if (v.name == "original_shape2D_PixelSurface") {
            BOOST_TEST(v.value == pixels * 0.7 * 1.3, boost::test_tools::tolerance(1e-12));
        }
    }
    // 3-D shape of a 2-D ROI is refused with a message naming shape2D
    const auto roi = rf::make_roi(c.img, c.mask, s);
    BOOST_CHECK_EXCEPTION(rf::shape_features(roi, s), rg::invalid_argument, [](const rg::invalid_argument& e) {
        return std::string(e.what()).find("shape2D") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(total_energy_uses_the_pixel_area)
{
    // PyRadiomics firstorder: TotalEnergy = prod(spacing) * sum(x^2); for 2-D the product of the two spacings.
    const plane_case c;
    rf::settings s;
    s.bin_width = 10.0;
    const auto roi = rf::make_roi(c.img, c.mask, s);
    double sum = 0.0;
    for (std::size_t n = 0; n < c.img.size(); ++n) {
        if (c.mask[n] == 1) {
            sum += static_cast<double>(c.img[n]) * static_cast<double>(c.img[n]);
        }
    }
    const auto values = rf::first_order_features(roi, s);
    BOOST_TEST(values[static_cast<std::size_t>(rf::first_order_feature::total_energy)] == 0.7 * 1.3 * sum,
               boost::test_tools::tolerance(1e-12));
    // the same pixels as a volume with 2.5 mm slices: 2.5 times as much
    const auto thick = rf::make_roi(rg::to_slice_volume(c.img, 2.5), rg::to_slice_volume(c.mask, 2.5), s);
    BOOST_TEST(rf::first_order_features(thick, s)[static_cast<std::size_t>(rf::first_order_feature::total_energy)] ==
                   2.5 * 0.7 * 1.3 * sum,
               boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(texture_uses_four_directions_and_eight_neighbours)
{
    // A 2-D ROI's texture offsets: 4 unidirectional (GLCM/GLRLM), 8 bidirectional (GLSZM/GLDM/NGTDM).
    const plane_case c;
    rf::settings s;
    s.bin_width = 10.0;
    const auto roi = rf::make_roi(c.img, c.mask, s);
    BOOST_TEST(roi.dimension == 2u);
    BOOST_TEST(roi.grid.crop_extent[2] == 1u);
    BOOST_TEST(rf::texture_offsets(roi.grid.crop_extent, s.distances, false, false, 0).size() == 4u);
    BOOST_TEST(rf::texture_offsets(roi.grid.crop_extent, s.distances, true, false, 0).size() == 8u);
}

BOOST_AUTO_TEST_CASE(ibsi_digital_phantom_slice_by_slice)
{
    const auto volume =
        rg::io::read_nifti<double, 3>(rg_test::shared_reference("ibsi1/digital_phantom/image.nii.gz"));
    const auto volume_mask =
        rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/digital_phantom/mask.nii.gz"));
    rf::settings s;
    s.bin_width = 1.0;  // the phantom is not discretised (IBSI): levels 1..6
    s.ibsi_compliant = true;
    const std::size_t slices = volume.shape()[2];
    std::map<std::string, double> mean;
    for (std::size_t k = 0; k < slices; ++k) {
        const std::array<std::ptrdiff_t, 3> start{0, 0, static_cast<std::ptrdiff_t>(k)};
        const std::array<std::size_t, 3> size{volume.shape()[0], volume.shape()[1], 1};
        const auto img = rg::to_plane(volume.region(start, size));
        const auto mask = rg::to_plane(volume_mask.region(start, size));
        for (const auto& [name, value] : rg_features_test::all_texture_features(rf::make_roi(img, mask, s), s)) {
            mean[name] += value / static_cast<double>(slices);
        }
    }
    // IBSI references of the 2D aggregations, paired with PyRadiomics names through the force2D rows of
    // pyradiomics_mapping.csv (2.5D tags) with the suffix switched to the per-slice aggregation.
    const auto t = rg::io::read_csv(rg_test::shared_reference("ibsi1/reference_values.csv"));
    const auto tag = t.column("tag"), agg = t.column("aggregation"), ds = t.column("dataset"),
               val = t.column("value"), tol = t.column("tolerance");
    std::map<std::pair<std::string, std::string>, std::pair<double, double>> reference;
    for (std::size_t r = 0; r < t.row_count(); ++r) {
        if (t.rows[r][ds] == "digital_phantom") {
            reference[{t.rows[r][tag], t.rows[r][agg]}] = {
                t.number(r, val), t.rows[r][tol].empty() ? std::nan("") : t.number(r, tol)};
        }
    }
    const auto mapping = rg::io::read_csv(rg_test::shared_reference("ibsi1/pyradiomics_mapping.csv"));
    const std::string prefix = "2D_original_";
    int total = 0;
    for (std::size_t r = 0; r < mapping.row_count(); ++r) {
        const std::string name = mapping.rows[r][1];
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::string feature = name.substr(prefix.size());
        if (feature.rfind("shape_", 0) == 0 || feature.rfind("firstorder_", 0) == 0) {
            continue;  // IBSI defines morphology and intensity statistics in 3D only
        }
        std::string tag_full = mapping.rows[r][0];
        for (const auto& [from, to] : {std::pair<std::string, std::string>{"_2_5D_avg", "_2D_avg"}, {"_2_5D", "_2D"}}) {
            if (tag_full.size() > from.size() && tag_full.compare(tag_full.size() - from.size(), from.size(), from) == 0) {
                tag_full = tag_full.substr(0, tag_full.size() - from.size()) + to;
                break;
            }
        }
        const auto [ibsi_tag, aggregation] = rg_features_test::split_ibsi_tag(tag_full);
        BOOST_TEST_REQUIRE((aggregation == "2D averaged" || aggregation == "2D"), tag_full);
        const auto ref = reference.find({ibsi_tag, aggregation});
        BOOST_TEST_REQUIRE((ref != reference.end()), "no IBSI reference for " << tag_full);
        BOOST_TEST_REQUIRE((mean.count(feature) == 1), "no computed value for " << feature);
        const double x = mean.at(feature);
        ++total;
        BOOST_TEST(rg_features_test::within_ibsi(x, ref->second.first, ref->second.second),
                   tag_full << " (" << feature << "): got " << std::setprecision(6) << x << ", IBSI "
                            << ref->second.first << " +- " << ref->second.second);
    }
    BOOST_TEST(total >= 60);
}

BOOST_AUTO_TEST_CASE(bad_two_d_input)
{
    const plane_case c;
    rf::settings s;
    // mask on another grid
    rg::mask_image<2> other(rg::image_geometry<2>({5, 5}, {1.0, 1.0}, {0.0, 0.0}), 1);
    BOOST_CHECK_THROW(rf::make_roi(c.img, other, s), rg::geometry_error);
    // a one-row ROI fails minimumROIDimensions 2, as in 3-D
    rg::mask_image<2> row(c.img.geometry(), 0);
    row(3, 4) = 1;
    row(4, 4) = 1;
    BOOST_CHECK_THROW(rf::make_roi(c.img, row, s), rg::mask_error);
    // to_plane of a volume thicker than one slice
    rg::image<float, 3> thick(rg::image_geometry<3>({4, 4, 2}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}));
    BOOST_CHECK_THROW(rg::to_plane(thick), rg::geometry_error);
}

BOOST_AUTO_TEST_SUITE_END()
