// The extractor's pipeline choices that make it fast or PyRadiomics-like, checked against independent
// computations: the LoG evaluated on the ROI box only (vs the whole-image filter), percentiles by selection (vs
// NumPy's definition on a sorted copy), re-segmentation once on the original image (PyRadiomics `execute`),
// and NaN/Inf inside a filtered image's ROI (NaN features for that image only, with a warning).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/filters/laplacian_of_gaussian.hpp"
#include "radiogenomics/filters/margin.hpp"
#include "radiogenomics/filters/square.hpp"
#include "radiogenomics/filters/wavelet_undecimated.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;
namespace fl = radiogenomics::filters;

namespace {

double feature(const rf::feature_list& list, const std::string& name)
{
    for (const auto& f : list) {
        if (f.name == name) {
            return f.value;
        }
    }
    BOOST_FAIL("feature " << name << " missing");
    return 0.0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(extractor_pipeline)

// laplacian_of_gaussian_block on the IBSI CT phantom's ROI box with the extractor's margin (tolerance 1e-9)
// against the whole-image filter: bit-identical to the filter run on the context crop, and equal to the
// whole-image float32 values up to float32 rounding flips (the margin's 1e-9 boundary influence can only change
// the last bit of an intermediate).
BOOST_AUTO_TEST_CASE(log_block_matches_whole_image)
{
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    const auto box = fl::label_bounding_box(mask);
    for (const double sigma : {1.0, 3.0}) {
        fl::filter_margin_parameters p;
        p.log_sigma_mm = sigma;
        const auto margin = fl::required_margin(fl::image_type::log, img.spacing(), p);
        const auto context = fl::expand_crop(box, margin, img.shape());
        std::array<std::size_t, 3> context_start{};
        std::array<std::size_t, 3> out_start{};
        for (std::size_t d = 0; d < 3; ++d) {
            context_start[d] = static_cast<std::size_t>(context.start[d]);
            out_start[d] = static_cast<std::size_t>(box.start[d]);
        }
        const auto block = fl::laplacian_of_gaussian_block<float>(img, sigma, context_start, context.size, out_start, box.size);
        const auto on_context = fl::laplacian_of_gaussian<float>(img.region(context.start, context.size), sigma);
        const auto whole = fl::laplacian_of_gaussian<float>(img, sigma);
        std::size_t not_identical = 0;
        std::size_t beyond_one_step = 0;
        double worst = 0.0;
        double scale = 0.0;
        for (std::size_t k = 0; k < box.size[2]; ++k) {
            for (std::size_t j = 0; j < box.size[1]; ++j) {
                for (std::size_t i = 0; i < box.size[0]; ++i) {
                    const float b = block(i, j, k);
                    const std::size_t ci = i + out_start[0] - context_start[0];
                    const std::size_t cj = j + out_start[1] - context_start[1];
                    const std::size_t ck = k + out_start[2] - context_start[2];
                    not_identical += b != on_context(ci, cj, ck) ? 1 : 0;
                    const float w = whole(i + out_start[0], j + out_start[1], k + out_start[2]);
                    const float larger = std::max(std::fabs(w), std::fabs(b));
                    const float step = std::nextafter(larger, std::numeric_limits<float>::infinity()) - larger;
                    beyond_one_step += std::fabs(b - w) > step ? 1 : 0;
                    worst = std::max(worst, std::fabs(static_cast<double>(b) - static_cast<double>(w)));
                    scale = std::max(scale, std::fabs(static_cast<double>(w)));
                }
            }
        }
        BOOST_TEST_MESSAGE("LoG sigma " << sigma << ": context " << context.size[0] << "x" << context.size[1] << "x"
                                        << context.size[2] << ", max |block - whole| " << worst << " (max |LoG| "
                                        << scale << "), " << beyond_one_step << " voxel(s) beyond one float32 step");
        BOOST_TEST(not_identical == 0u);
        // The boundary influence left by the margin (< 1e-9 of the range) can only flip roundings of the float32
        // intermediates: differences stay at float32 resolution of the LoG's range, and are rare.
        BOOST_TEST(worst <= 1e-7 * scale);
        BOOST_TEST(beyond_one_step <= 10u);
    }
}

// The lane-blocked recursive Gaussian kernel (vectorised across lines) equals the one-line kernel bit for bit,
// for both orders, several sigmas, short lines and every block width the passes use.
BOOST_AUTO_TEST_CASE(recursive_gaussian_block_equals_line_kernel)
{
    namespace fd = radiogenomics::filters::detail;
    std::uint64_t state = 5;
    std::size_t mismatches = 0;
    for (const int order : {0, 2}) {
        for (const double sigma : {0.7, 3.0, 7.5}) {
            for (const std::size_t n : {4u, 5u, 60u, 201u}) {
                for (const std::size_t w : {64u, 32u, 16u, 7u}) {
                    const auto c = fd::recursive_gaussian_setup(sigma, 0.977, order, true);
                    std::vector<double> data(n * w), out(n * w), scratch(n * w);
                    for (auto& v : data) {
                        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                        v = static_cast<double>(state >> 40) / 1e3 - 5000.0;
                    }
                    fd::recursive_filter_block(data.data(), out.data(), scratch.data(), n, w, c);
                    std::vector<double> line(n), line_out(n), line_scratch(n);
                    for (std::size_t e = 0; e < w; ++e) {
                        for (std::size_t m = 0; m < n; ++m) {
                            line[m] = data[m * w + e];
                        }
                        fd::recursive_filter_line(line.data(), line_out.data(), line_scratch.data(), n, c);
                        for (std::size_t m = 0; m < n; ++m) {
                            mismatches += line_out[m] != out[m * w + e] ? 1 : 0;
                        }
                    }
                }
            }
        }
    }
    BOOST_TEST(mismatches == 0u);
}

// wavelet_undecimated_each (depth first, reused buffers) delivers exactly wavelet_undecimated's bands: same
// index, name, level and values, for an odd-sized image (wrap padding + crop) and two levels.
BOOST_AUTO_TEST_CASE(wavelet_each_equals_wavelet)
{
    rg::image<float, 3> img(rg::image_geometry<3>({13, 10, 9}, {1.0, 1.0, 2.0}, {0.0, 0.0, 0.0}));
    std::uint64_t state = 17;
    for (std::size_t i = 0; i < img.size(); ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        img[i] = static_cast<float>(static_cast<double>(state >> 40) / 1e4);
    }
    for (const std::size_t levels : {1u, 2u}) {
        fl::wavelet_options options;
        options.level = levels;
        const auto bands = fl::wavelet_undecimated(img, options);
        std::size_t delivered = 0;
        fl::wavelet_undecimated_each(img, options, [&](std::size_t index, const std::string& name, std::size_t level,
                                                       const rg::image<float, 3>& response) {
            ++delivered;
            BOOST_REQUIRE(index < bands.size());
            BOOST_TEST(bands[index].name == name);
            BOOST_TEST(bands[index].level == level);
            BOOST_REQUIRE(response.shape() == img.shape());
            std::size_t differ = 0;
            for (std::size_t i = 0; i < response.size(); ++i) {
                differ += response[i] != bands[index].response[i] ? 1 : 0;
            }
            BOOST_TEST(differ == 0u, name << " level " << level);
        });
        BOOST_TEST(delivered == bands.size());
    }
}

// Percentiles, median and IQR by selection equal NumPy's linear-interpolation definition evaluated on a sorted
// copy (numpy_percentile, the textbook formula of numpy.percentile), for small and tied samples.
BOOST_AUTO_TEST_CASE(percentiles_by_selection_equal_sorted_definition)
{
    std::uint64_t state = 99;
    for (const std::size_t n : {1u, 2u, 3u, 4u, 5u, 9u, 10u, 11u, 100u, 1001u}) {
        for (const double spread : {3.0, 1000.0}) {  // 3: many ties
            rf::roi_data roi;
            for (std::size_t i = 0; i < n; ++i) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                roi.values.push_back(std::floor(spread * static_cast<double>(state >> 11) / 9007199254740992.0));
            }
            roi.levels.assign(n, 1);
            roi.grid.max_level = 1;
            roi.spacing = {1.0, 1.0, 1.0};
            const auto f = rf::first_order_features(roi, rf::settings{});
            std::vector<double> sorted = roi.values;
            std::sort(sorted.begin(), sorted.end());
            const auto get = [&](rf::first_order_feature which) { return f[static_cast<std::size_t>(which)]; };
            BOOST_TEST(get(rf::first_order_feature::percentile_10) == rf::detail::numpy_percentile(sorted, 10.0));
            BOOST_TEST(get(rf::first_order_feature::percentile_90) == rf::detail::numpy_percentile(sorted, 90.0));
            BOOST_TEST(get(rf::first_order_feature::median) == rf::detail::numpy_median(sorted));
            BOOST_TEST(get(rf::first_order_feature::interquartile_range) ==
                       rf::detail::numpy_percentile(sorted, 75.0) - rf::detail::numpy_percentile(sorted, 25.0));
        }
    }
}

// PyRadiomics' `execute` re-segments the mask once, on the original image, and every image type uses that
// mask. A 10x10x4 ramp 0..399 with the whole image as ROI and resegmentRange [100, 399]: the ROI is the 300
// voxels >= 100. Square (c = 1/sqrt(max|x|) = 1/sqrt(399)) then has minimum (100 c)^2 = 10000/399 over that ROI.
// Re-segmenting the square image on its own values (the old behaviour) would keep only (c x)^2 >= 100, i.e.
// x >= 199.75, and give a minimum of 200^2/399.
BOOST_AUTO_TEST_CASE(resegmentation_once_on_the_original_image)
{
    rg::image<double, 3> img(rg::image_geometry<3>({10, 10, 4}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}));
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<double>(i);
    }
    const auto mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{1});
    rf::extractor_settings s;
    s.setting.resegment_range = std::array<double, 2>{100.0, 399.0};
    rf::image_type_settings square;
    square.type = fl::image_type::square;
    s.image_types = {rf::image_type_settings{}, square};
    s.classes = {{rf::feature_class::first_order, {"Minimum", "Maximum", "Mean"}}};
    const auto f = rf::extract(img, mask, s);
    BOOST_TEST(feature(f, "original_firstorder_Minimum") == 100.0);
    BOOST_TEST(feature(f, "square_firstorder_Minimum") == 10000.0 / 399.0, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(feature(f, "square_firstorder_Maximum") == 399.0, boost::test_tools::tolerance(1e-12));
    // mean of (x^2 / 399) over x = 100..399: (sum x^2) / (300 * 399)
    double sum_sq = 0.0;
    for (int x = 100; x <= 399; ++x) {
        sum_sq += static_cast<double>(x) * x;
    }
    BOOST_TEST(feature(f, "square_firstorder_Mean") == sum_sq / (300.0 * 399.0), boost::test_tools::tolerance(1e-12));
}

// A constant int16 image: LBP3D samples are exactly the constant (rounded to int16), so SciPy's kurtosis is
// 0/0 = NaN on every ROI voxel of lbp-3D-k. That image's features are all NaN with one warning; the other
// image types are computed. NaN inside the ORIGINAL image's ROI stays an error.
BOOST_AUTO_TEST_CASE(nan_in_a_filtered_roi_gives_nan_features_for_that_image_only)
{
    rg::image<std::int16_t, 3> img(rg::image_geometry<3>({12, 12, 8}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}),
                                   std::int16_t{40});
    auto mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{0});
    for (std::size_t k = 2; k < 6; ++k) {
        for (std::size_t j = 3; j < 9; ++j) {
            for (std::size_t i = 3; i < 9; ++i) {
                mask(i, j, k) = 1;
            }
        }
    }
    rf::extractor_settings s;
    rf::image_type_settings lbp;
    lbp.type = fl::image_type::lbp3d;
    s.image_types = {rf::image_type_settings{}, lbp};
    std::vector<std::string> warnings;
    s.on_warning = [&](const std::string& m) { warnings.push_back(m); };
    const auto f = rf::extract(img, mask, s);
    std::size_t k_features = 0;
    for (const auto& v : f) {
        if (v.name.rfind("lbp-3D-k_", 0) == 0) {
            ++k_features;
            BOOST_TEST(std::isnan(v.value), v.name);
        }
    }
    BOOST_TEST(k_features == 93u);  // 18 + 24 + 16 + 16 + 14 + 5 default non-shape features
    BOOST_TEST(feature(f, "original_firstorder_Mean") == 40.0);
    BOOST_TEST(std::isfinite(feature(f, "lbp-3D-m1_firstorder_Mean")));
    BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
    BOOST_TEST(warnings[0].find("lbp-3D-k") != std::string::npos);

    rg::image<double, 3> with_nan(img.geometry(), 40.0);
    with_nan(5, 5, 3) = std::numeric_limits<double>::quiet_NaN();
    BOOST_CHECK_THROW(rf::extract(with_nan, mask, s), rg::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
