#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "filters_test_support.hpp"
#include "radiogenomics/filters.hpp"
#include "radiogenomics/io/nifti.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;
using rg_filters_test::relative_difference;
using rg_filters_test::roi_stats;
using rg_filters_test::stats_in_mask;

// Reference: PyRadiomics' own output (../shared/reference/pyradiomics, README there) for the IBSI CT phantom and
// the synthetic PET volume with the study's 19 image types. The first-order Mean, Minimum, Maximum and Variance
// of each filtered image inside the mask are plain statistics of the filtered voxels, so they check the filter.

namespace {

struct named_image {
    std::string name;
    rg::image<double, 3> values;
};

/// Every image type of the study, filtered from `input` (whole image or crop, with the whole image's max|x|).
template <class TPixel>
std::vector<named_image> study_images(const rg::image<TPixel, 3>& input, const rg::mask_image<3>& mask,
                                      double max_abs_value)
{
    std::vector<named_image> out;
    out.push_back({"original", rg::cast_image<double>(input)});
    out.push_back({"square", rf::square(input, max_abs_value)});
    out.push_back({"squareroot", rf::square_root(input, max_abs_value)});
    out.push_back({"logarithm", rf::logarithm(input, max_abs_value)});
    out.push_back({"exponential", rf::exponential(input, max_abs_value)});
    out.push_back({"gradient", rg::cast_image<double>(rf::gradient_magnitude(input))});
    auto lbp = rf::local_binary_pattern_3d(input, mask);
    out.push_back({rf::lbp3d_image_type_name(1), lbp.levels[0]});
    out.push_back({rf::lbp3d_image_type_name(2), lbp.levels[1]});
    out.push_back({rf::lbp3d_image_type_name(0), lbp.kurtosis});
    for (auto& band : rf::wavelet_undecimated(input)) {
        out.push_back({rf::wavelet_image_type_name(band.name, band.level), rg::cast_image<double>(band.response)});
    }
    for (const double sigma : {1.0, 3.0}) {
        out.push_back({rf::log_image_type_name(sigma), rg::cast_image<double>(rf::laplacian_of_gaussian(input, sigma))});
    }
    return out;
}

struct case_paths {
    std::string image;
    std::string mask;
    std::string csv;
};

template <class TPixel = float>
void compare_with_pyradiomics(const case_paths& paths, double tolerance)
{
    const auto input = rg::io::read_nifti<TPixel, 3>(rg_test::shared_reference(paths.image));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference(paths.mask));
    const auto reference = rg_filters_test::read_pyradiomics(paths.csv);
    const auto images = study_images(input, mask, rf::max_abs(input));
    BOOST_TEST(images.size() == 19u);
    const auto names = rf::paper_image_type_names();
    for (std::size_t t = 0; t < images.size(); ++t) {
        BOOST_TEST(images[t].name == names[t]);
        const roi_stats s = stats_in_mask(images[t].values, mask);
        const std::pair<const char*, double> checks[] = {
            {"Mean", s.mean}, {"Minimum", s.minimum}, {"Maximum", s.maximum}, {"Variance", s.variance}};
        for (const auto& [feature, value] : checks) {
            const std::string key = images[t].name + "_firstorder_" + feature;
            const auto it = reference.find(key);
            BOOST_TEST_REQUIRE((it != reference.end()), key << " missing from " << paths.csv);
            // floor: a mean that is ~0 (wavelet details) is compared relative to the image's spread instead
            const double floor = 1e-6 * std::sqrt(s.variance) + 1e-12;
            const double rel = relative_difference(value, it->second, floor);
            BOOST_TEST_MESSAGE(paths.csv << " " << key << " ours " << value << " pyradiomics " << it->second
                                         << " rel " << rel);
            BOOST_TEST(rel <= tolerance, key << ": ours " << value << " PyRadiomics " << it->second << " rel " << rel);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pyradiomics_filters)

BOOST_AUTO_TEST_CASE(ct_phantom_all_image_types)
{
    compare_with_pyradiomics({"ibsi1/ct_phantom/image.nii.gz", "ibsi1/ct_phantom/mask.nii.gz",
                              "pyradiomics/ibsi_ct_phantom_paper.csv"},
                             1e-6);
}

BOOST_AUTO_TEST_CASE(synthetic_pet_all_image_types)
{
    compare_with_pyradiomics({"pyradiomics/synthetic_pet/image.nii.gz", "pyradiomics/synthetic_pet/mask.nii.gz",
                              "pyradiomics/synthetic_pet_paper_bw025.csv"},
                             1e-6);
}

// Brown-fat case: int16 CT (PyWavelets works in float64, SciPy's map_coordinates returns int16 samples for LBP3D)
// and float32 PET on the same grid, a scattered mask of 14 pieces.
BOOST_AUTO_TEST_CASE(synthetic_bat_ct_int16_all_image_types)
{
    compare_with_pyradiomics<std::int16_t>({"pyradiomics/synthetic_bat/ct.nii.gz", "pyradiomics/synthetic_bat/mask.nii.gz",
                                            "pyradiomics/synthetic_bat_ct_firstorder.csv"},
                                           1e-6);
}

BOOST_AUTO_TEST_CASE(synthetic_bat_pet_all_image_types)
{
    compare_with_pyradiomics({"pyradiomics/synthetic_bat/pet.nii.gz", "pyradiomics/synthetic_bat/mask.nii.gz",
                              "pyradiomics/synthetic_bat_pet_firstorder.csv"},
                             1e-6);
}

BOOST_AUTO_TEST_CASE(crop_with_margin_equals_whole_image_in_mask)
{
    const auto input = rg::io::read_nifti<float, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("pyradiomics/synthetic_pet/mask.nii.gz"));
    const double m = rf::max_abs(input);
    const auto whole = study_images(input, mask, m);
    const auto box = rf::label_bounding_box(mask);
    // the largest margin of the study's filters: LoG sigma 3 mm on 3 mm z-spacing vs 4 mm in-plane, LBP, wavelet
    rf::filter_margin margin;
    for (const auto type : {rf::image_type::gradient, rf::image_type::lbp3d, rf::image_type::wavelet}) {
        const auto mt = rf::required_margin(type, input.spacing());
        for (std::size_t d = 0; d < 3; ++d) {
            margin.voxels[d] = std::max(margin.voxels[d], mt.voxels[d]);
        }
    }
    rf::filter_margin_parameters p;
    p.log_sigma_mm = 3.0;
    const auto log_margin = rf::required_margin(rf::image_type::log, input.spacing(), p);
    for (std::size_t d = 0; d < 3; ++d) {
        margin.voxels[d] = std::max(margin.voxels[d], log_margin.voxels[d]);
    }
    margin.full_axis_at_border = true;
    const auto crop = rf::expand_crop(box, margin, input.shape());
    BOOST_TEST_MESSAGE("crop start " << crop.start[0] << "," << crop.start[1] << "," << crop.start[2] << " size "
                                     << crop.size[0] << "x" << crop.size[1] << "x" << crop.size[2]);
    const auto cropped_input = input.region(crop.start, crop.size);
    const auto cropped_mask = mask.region(crop.start, crop.size);
    const auto part = study_images(cropped_input, cropped_mask, m);
    for (std::size_t t = 0; t < whole.size(); ++t) {
        double worst = 0.0;
        double scale = 0.0;
        for (std::size_t linear = 0; linear < cropped_mask.size(); ++linear) {
            if (cropped_mask[linear] != 1) {
                continue;
            }
            auto index = cropped_mask.index_of(linear);
            for (std::size_t d = 0; d < 3; ++d) {
                index[d] += crop.start[d];
            }
            const double a = part[t].values[linear];
            const double b = whole[t].values.at(index);
            worst = std::max(worst, std::abs(a - b));
            scale = std::max(scale, std::abs(b));
        }
        BOOST_TEST_MESSAGE(whole[t].name << ": crop vs whole max |diff| " << worst << " (max |value| " << scale << ")");
        BOOST_TEST(worst <= 1e-6 * scale, whole[t].name << ": crop differs by " << worst);
    }
}

BOOST_AUTO_TEST_SUITE_END()
