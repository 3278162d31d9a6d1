#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "preprocess_test_utils.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#ifdef RG_HAVE_NIFTI
#include "radiogenomics/io/nifti.hpp"
#endif

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
inline auto tt(double t) { return boost::test_tools::tolerance(t); }
using g3 = rg::image_geometry<3>;
using g2 = rg::image_geometry<2>;

namespace {

g3::direction_type rotation_z(double degrees)
{
    const double t = degrees * 3.14159265358979323846 / 180.0;
    return {{{std::cos(t), -std::sin(t), 0.0}, {std::sin(t), std::cos(t), 0.0}, {0.0, 0.0, 1.0}}};
}

g3::direction_type rotation_x(double degrees)
{
    const double t = degrees * 3.14159265358979323846 / 180.0;
    return {{{1.0, 0.0, 0.0}, {0.0, std::cos(t), -std::sin(t)}, {0.0, std::sin(t), std::cos(t)}}};
}

/// Fills an image with f(physical point).
template <class TFunction>
rg::image<double, 3> sample(const g3& g, TFunction f)
{
    rg::image<double, 3> img(g);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = f(img.index_to_physical(img.index_of(i)));
    }
    return img;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resample)

BOOST_AUTO_TEST_CASE(interpolator_matches_scipy_map_coordinates_3d)
{
    // Reference: scipy.ndimage.map_coordinates(vol, [z, y, x], order=1, mode='nearest') and
    // (order=3, mode='mirror'), tests/fixtures/preprocess/generate_preprocess_fixtures.py section 1.
    const g3 g({7, 6, 5}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    const auto vol = rg_test::image_from_column<double, 3>(g, "interp_volume.csv", "value");
    const pp::image_interpolator<double, 3> linear(vol, pp::interpolator::linear);
    const pp::image_interpolator<double, 3> bspline(vol, pp::interpolator::bspline);
    const auto x = rg_test::preprocess_column("interp_points.csv", "x");
    const auto y = rg_test::preprocess_column("interp_points.csv", "y");
    const auto z = rg_test::preprocess_column("interp_points.csv", "z");
    const auto lin = rg_test::preprocess_column("interp_points.csv", "linear");
    const auto bsp = rg_test::preprocess_column("interp_points.csv", "bspline");
    BOOST_REQUIRE_EQUAL(x.size(), 65u);
    for (std::size_t p = 0; p < x.size(); ++p) {
        const g3::point_type c{x[p], y[p], z[p]};
        BOOST_TEST_CONTEXT("point " << p)
        {
            BOOST_TEST(linear.inside(c));
            BOOST_TEST(linear.at_index(c) == lin[p], tt(1e-12));
            BOOST_TEST(bspline.at_index(c) == bsp[p], tt(1e-10));
        }
    }
}

BOOST_AUTO_TEST_CASE(interpolator_matches_scipy_map_coordinates_2d)
{
    const g2 g({9, 8}, {1.0, 1.0}, {0.0, 0.0});
    const auto img = rg_test::image_from_column<double, 2>(g, "interp_image2d.csv", "value");
    const pp::image_interpolator<double, 2> linear(img, pp::interpolator::linear);
    const pp::image_interpolator<double, 2> bspline(img, pp::interpolator::bspline);
    const auto x = rg_test::preprocess_column("interp_points2d.csv", "x");
    const auto y = rg_test::preprocess_column("interp_points2d.csv", "y");
    const auto lin = rg_test::preprocess_column("interp_points2d.csv", "linear");
    const auto bsp = rg_test::preprocess_column("interp_points2d.csv", "bspline");
    for (std::size_t p = 0; p < x.size(); ++p) {
        const g2::point_type c{x[p], y[p]};
        BOOST_TEST(linear.at_index(c) == lin[p], tt(1e-12));
        BOOST_TEST(bspline.at_index(c) == bsp[p], tt(1e-10));
    }
}

BOOST_AUTO_TEST_CASE(rotated_grids_match_scipy_with_default_value)
{
    // Source rotated 20° about z, output rotated −35° about x, different spacing and origin; values from
    // map_coordinates at the mapped continuous indices, −7 outside [−0.5, n − 0.5) (fixture section 2).
    const g3 src_grid({7, 6, 5}, {1.5, 2.0, 2.5}, {-3.0, 4.0, 1.0}, rotation_z(20.0));
    const g3 out_grid({6, 7, 5}, {1.7, 1.3, 2.2}, {-2.0, 3.5, 0.5}, rotation_x(-35.0));
    const auto vol = rg_test::image_from_column<double, 3>(src_grid, "interp_volume.csv", "value");
    const auto lin = pp::resample(vol, out_grid, pp::interpolator::linear, -7.0);
    const auto bsp = pp::resample(vol, out_grid, pp::interpolator::bspline, -7.0);
    const auto inside = rg_test::preprocess_column("resample_rotated.csv", "inside");
    const auto lin_ref = rg_test::preprocess_column("resample_rotated.csv", "linear");
    const auto bsp_ref = rg_test::preprocess_column("resample_rotated.csv", "bspline");
    BOOST_REQUIRE_EQUAL(lin.size(), inside.size());
    std::size_t n_inside = 0;
    for (std::size_t i = 0; i < lin.size(); ++i) {
        n_inside += inside[i] > 0.5;
        BOOST_TEST(lin[i] == lin_ref[i], tt(1e-10));
        BOOST_TEST(bsp[i] == bsp_ref[i], tt(1e-9));
    }
    BOOST_TEST(n_inside == 114u);  // both in and out voxels are exercised
}

BOOST_AUTO_TEST_CASE(linear_reproduces_linear_functions_exactly)
{
    // f(p) = 3 + 0.5 x − 1.25 y + 2 z is reproduced exactly by multilinear interpolation (any grid, inside the
    // convex hull of the source centres). Axis-aligned (separable path) and rotated (general path).
    const auto f = [](const g3::point_type& p) { return 3.0 + 0.5 * p[0] - 1.25 * p[1] + 2.0 * p[2]; };
    const g3 src({20, 18, 12}, {2.0, 2.5, 3.0}, {-10.0, -12.0, -8.0});
    const auto img = sample(src, f);
    const g3 aligned({30, 25, 20}, {1.1, 1.3, 1.2}, {-8.5, -10.0, -6.0});
    const g3 rotated({12, 12, 8}, {1.0, 1.2, 1.5}, {-2.0, -3.0, 0.0}, rotation_z(30.0));
    for (const auto* grid : {&aligned, &rotated}) {
        const auto out = pp::resample(img, *grid, pp::interpolator::linear, std::nan(""));
        std::size_t checked = 0;
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto c = src.physical_to_index(out.index_to_physical(out.index_of(i)));
            bool hull = true;
            for (std::size_t d = 0; d < 3; ++d) {
                hull = hull && c[d] >= 0.0 && c[d] <= static_cast<double>(src.shape()[d] - 1);
            }
            if (hull) {
                BOOST_TEST(std::abs(out[i] - f(out.index_to_physical(out.index_of(i)))) < 1e-12);
                ++checked;
            }
        }
        BOOST_TEST(checked > 1000u);
    }
}

BOOST_AUTO_TEST_CASE(linear_reproduces_linear_functions_2d)
{
    // 2-D, source rotated by 30° and output axis-aligned (per-pixel path) and a flipped-axis output (separable).
    const auto f = [](double x, double y) { return -2.0 + 0.75 * x + 0.3 * y; };
    const double t = 30.0 * 3.14159265358979323846 / 180.0;
    const g2 src({30, 25}, {1.5, 2.0}, {0.0, 0.0}, {{{std::cos(t), -std::sin(t)}, {std::sin(t), std::cos(t)}}});
    rg::image<double, 2> img(src);
    for (std::size_t i = 0; i < img.size(); ++i) {
        const auto p = img.index_to_physical(img.index_of(i));
        img[i] = f(p[0], p[1]);
    }
    const g2 aligned({20, 20}, {0.7, 0.9}, {-5.0, 8.0});
    const g2 flipped({15, 12}, {1.1, 1.3}, src.index_to_physical(g2::point_type{25.0, 20.0}),
                     {{{-std::cos(t), std::sin(t)}, {-std::sin(t), -std::cos(t)}}});
    for (const auto* grid : {&aligned, &flipped}) {
        const auto out = pp::resample(img, *grid, pp::interpolator::linear, std::nan(""));
        std::size_t checked = 0;
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto p = out.index_to_physical(out.index_of(i));
            const auto c = src.physical_to_index(p);
            if (c[0] >= 0.0 && c[0] <= 29.0 && c[1] >= 0.0 && c[1] <= 24.0) {
                BOOST_TEST(std::abs(out[i] - f(p[0], p[1])) < 1e-12);
                ++checked;
            }
        }
        BOOST_TEST(checked > 100u);
    }
}

BOOST_AUTO_TEST_CASE(bspline_reproduces_smooth_functions)
{
    // Cubic splines reproduce cubics away from the borders (the mirror boundary perturbs the first voxels);
    // a sine of period 40 mm on 2 mm samples is reproduced to ~1e-5 of its amplitude.
    const auto cubic = [](const g3::point_type& p) {
        return 1.0 + 0.02 * p[0] * p[0] - 0.01 * p[1] * p[2] + 1e-4 * p[0] * p[1] * p[2];
    };
    const auto wave = [](const g3::point_type& p) {
        const double k = 2.0 * 3.14159265358979323846 / 40.0;
        return std::sin(k * p[0]) * std::cos(k * p[1]) + 0.5 * std::sin(k * p[2]);
    };
    // The mirror boundary only perturbs voxels near the border (the error decays as |z|^d = 0.268^d), so the
    // output grids stay >= 14 source voxels inside.
    const g3 src({64, 64, 48}, {2.0, 2.0, 2.0}, {-64.0, -64.0, -48.0});
    const g3 out_aligned({30, 30, 20}, {1.3, 1.1, 1.9}, {-18.0, -16.0, -18.0});
    const g3 out_rotated({16, 16, 12}, {1.5, 1.5, 1.5}, {-10.0, -12.0, -8.0}, rotation_z(25.0));
    for (const auto* grid : {&out_aligned, &out_rotated}) {
        const auto a = pp::resample(sample(src, cubic), *grid, pp::interpolator::bspline);
        const auto b = pp::resample(sample(src, wave), *grid, pp::interpolator::bspline);
        double err_cubic = 0.0;
        double err_wave = 0.0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto p = a.index_to_physical(a.index_of(i));
            err_cubic = std::max(err_cubic, std::abs(a[i] - cubic(p)));
            err_wave = std::max(err_wave, std::abs(b[i] - wave(p)));
        }
        BOOST_TEST(err_cubic < 1e-7);
        BOOST_TEST(err_wave < 2e-4);
        // linear is much worse on the sine: the test would catch a B-spline that degraded to linear
        const auto c = pp::resample(sample(src, wave), *grid, pp::interpolator::linear);
        double err_linear = 0.0;
        for (std::size_t i = 0; i < c.size(); ++i) {
            err_linear = std::max(err_linear, std::abs(c[i] - wave(c.index_to_physical(c.index_of(i)))));
        }
        BOOST_TEST(err_linear > 10.0 * err_wave);
    }
}

BOOST_AUTO_TEST_CASE(nearest_picks_the_voxel_under_rotation)
{
    // Source rotated 90° about z: index axis 0 runs along +y and axis 1 along −x. Output: identity direction,
    // same spacing, centres exactly on source centres → nearest must copy the voxel at the same point.
    const g3 src({5, 4, 3}, {2.0, 3.0, 1.5}, {10.0, 20.0, 0.0}, rotation_z(90.0));
    rg::image<int, 3> img(src);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<int>(i);
    }
    // output axis 0 (x) steps −3 mm = −1 source index along axis 1; axis 1 (y) steps +2 mm = +1 along axis 0
    const g3 out({4, 5, 3}, {3.0, 2.0, 1.5}, {10.0 - 3.0 * 3.0, 20.0, 0.0});
    const auto res = pp::resample(img, out, pp::interpolator::nearest, -1.0);
    for (std::ptrdiff_t k = 0; k < 3; ++k) {
        for (std::ptrdiff_t j = 0; j < 5; ++j) {
            for (std::ptrdiff_t i = 0; i < 4; ++i) {
                // physical x = 10 − 9 + 3 i ; source axis-1 index = (10 − x)/3 = 3 − i ; source axis-0 index = j
                BOOST_TEST(res(i, j, k) == img(j, 3 - i, k));
            }
        }
    }
    // a point 0.4 voxel off a centre still rounds to it; 0.6 goes to the next
    const pp::image_interpolator<int, 3> nn(img, pp::interpolator::nearest);
    BOOST_TEST(nn.at_index({1.4, 2.0, 1.0}) == img(1, 2, 1));
    BOOST_TEST(nn.at_index({1.6, 2.0, 1.0}) == img(2, 2, 1));
    BOOST_TEST(nn.at_index({-0.49, 0.0, 0.0}) == img(0, 0, 0));
    BOOST_TEST(nn.at_index({-0.51, 0.0, 0.0}, -5.0) == -5.0);
    BOOST_TEST(nn.at_index({4.49, 0.0, 0.0}) == img(4, 0, 0));
    BOOST_TEST(nn.at_index({4.5, 0.0, 0.0}, -5.0) == -5.0);  // ITK: [−0.5, n − 0.5)
}

BOOST_AUTO_TEST_CASE(identity_resampling_returns_the_input)
{
    const g3 g({9, 7, 5}, {0.8, 1.1, 2.5}, {3.0, -4.0, 7.0}, rotation_z(17.0));
    rg::image<float, 3> img(g);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)) * 100.0);
    }
    for (const auto method : {pp::interpolator::nearest, pp::interpolator::linear, pp::interpolator::bspline}) {
        const auto out = pp::resample(img, g, method);
        BOOST_TEST(out.geometry().same_grid(g));
        for (std::size_t i = 0; i < img.size(); ++i) {
            // B-spline interpolates its samples: coefficients → values reproduce them to rounding
            BOOST_TEST(static_cast<double>(out[i]) == static_cast<double>(img[i]), tt(1e-5));
        }
    }
}

BOOST_AUTO_TEST_CASE(separable_and_general_paths_agree)
{
    // The axis-aligned fast path must equal the per-voxel path: rotate both grids by the same direction
    // (A stays diagonal) vs. evaluating every voxel through image_interpolator.
    const g3 src({11, 9, 7}, {1.0, 1.5, 2.0}, {0.0, 0.0, 0.0}, rotation_z(40.0));
    rg::image<double, 3> img(src);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = std::cos(0.11 * static_cast<double>(i * i % 97));
    }
    const auto origin = src.index_to_physical(g3::point_type{-1.23, 0.41, 0.77});
    // offsets chosen so that no output centre falls on a nearest-neighbour tie (x.5)
    const g3 out({14, 10, 9}, {0.93, 1.37, 1.71}, origin, rotation_z(40.0));
    for (const auto method : {pp::interpolator::nearest, pp::interpolator::linear, pp::interpolator::bspline}) {
        const auto fast = pp::resample(img, out, method, 123.0);
        const pp::image_interpolator<double, 3> slow(img, method);
        for (std::size_t i = 0; i < fast.size(); ++i) {
            const auto p = out.index_to_physical(fast.index_of(i));
            BOOST_TEST(fast[i] == slow.at_point(p, 123.0), tt(1e-11));
        }
    }
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_thread_count)
{
    const g3 src({20, 20, 10}, {2.0, 2.0, 3.0}, {0.0, 0.0, 0.0});
    rg::image<float, 3> img(src);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<float>((i * 7919u) % 1000u);
    }
    const g3 out({37, 35, 26}, {1.1, 1.1, 1.2}, {-1.0, 0.5, -0.5});
    rg::image<float, 3> one;
    {
        rg::thread_count_guard guard(1);
        one = pp::resample(img, out, pp::interpolator::bspline);
    }
    const auto many = pp::resample(img, out, pp::interpolator::bspline);
    rg::image<float, 3> reused(out, -99.0f);  // resample_into overwrites every voxel of a preallocated image
    pp::resample_into(img, reused, pp::interpolator::bspline);
    for (std::size_t i = 0; i < one.size(); ++i) {
        BOOST_TEST(one[i] == many[i]);
        BOOST_TEST(reused[i] == many[i]);
    }
}

BOOST_AUTO_TEST_CASE(integer_output_truncates_and_clamps_like_itk)
{
    // ITK ResampleImageFilter clamps to the output range and truncates toward zero: midpoints 10.5 → 10 and
    // −10.5 → −10 (SimpleITK keeps an int16 image int16 when PyRadiomics resamples it).
    const g2 src({2, 1}, {1.0, 1.0}, {0.0, 0.0});
    rg::image<short, 2> img(src);
    img(0, 0) = 10;
    img(1, 0) = 11;
    const g2 mid({1, 1}, {1.0, 1.0}, {0.5, 0.0});
    BOOST_TEST(pp::resample(img, mid, pp::interpolator::linear)(0, 0) == 10);
    img(0, 0) = -10;
    img(1, 0) = -11;
    BOOST_TEST(pp::resample(img, mid, pp::interpolator::linear)(0, 0) == -10);
    BOOST_TEST(pp::resample_as<double>(img, mid, pp::interpolator::linear)(0, 0) == -10.5);
    rg::image<std::uint8_t, 2> bytes(src, 200);
    const auto neg = pp::resample_as<std::uint8_t>(bytes, g2({3, 1}, {1.0, 1.0}, {5.0, 0.0}),
                                                   pp::interpolator::linear, -40.0);
    BOOST_TEST(+neg(0, 0) == 0);  // default −40 clamped to the uint8 range
    const auto big = pp::resample_as<std::uint8_t>(bytes, g2({3, 1}, {1.0, 1.0}, {5.0, 0.0}),
                                                   pp::interpolator::linear, 300.0);
    BOOST_TEST(+big(0, 0) == 255);
}

BOOST_AUTO_TEST_CASE(mask_resampling_nearest_and_partial_volume)
{
    // 1-D-like mask 0 0 1 1 1 1 0 0 at 2 mm resampled to 1 mm: linear indicator + threshold 0.5 keeps the points
    // within half a source voxel of a member (fraction ≥ 0.5), nearest keeps labels.
    const g2 src({8, 1}, {2.0, 1.0}, {0.0, 0.0});
    rg::mask_image<2> mask(src, 0);
    for (std::ptrdiff_t i = 2; i <= 5; ++i) {
        mask(i, 0) = 3;
    }
    const g2 fine({16, 1}, {1.0, 1.0}, {-0.5, 0.0});
    const auto nn = pp::resample_mask(mask, fine);
    pp::mask_resample_options<std::uint8_t> lin_options;
    lin_options.method = pp::interpolator::linear;
    const auto pv = pp::resample_mask(mask, fine, lin_options);
    for (std::ptrdiff_t i = 0; i < 16; ++i) {
        const double x = -0.5 + static_cast<double>(i);  // physical x; source index x / 2
        const double c = x / 2.0;
        const bool nearest_in = std::floor(c + 0.5) >= 2.0 && std::floor(c + 0.5) <= 5.0;
        // linear fraction: 1 inside [4, 10], ramps to 0 over one source voxel (2 mm) on each side
        const double frac = std::clamp(std::min(c - 1.0, 6.0 - c), 0.0, 1.0);
        BOOST_TEST_CONTEXT("x = " << x)
        {
            BOOST_TEST(+nn(i, 0) == (nearest_in ? 3 : 0));
            BOOST_TEST(+pv(i, 0) == (frac >= 0.5 ? 1 : 0));
        }
    }
    lin_options.partial_volume_threshold = 0.9;
    BOOST_TEST(rg::count_label(pp::resample_mask(mask, fine, lin_options)) < rg::count_label(pv));
    lin_options.method = pp::interpolator::bspline;
    BOOST_CHECK_THROW(pp::resample_mask(mask, fine, lin_options), rg::invalid_argument);
    lin_options.method = pp::interpolator::linear;
    lin_options.partial_volume_threshold = 0.0;
    BOOST_CHECK_THROW(pp::resample_mask(mask, fine, lin_options), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pyradiomics_grid_whole_image)
{
    // PyRadiomics resampleImage: origin index ½(s' − s)/s, size ceil(n s / s'). Hand-worked:
    // n = 10, s = 3 → s' = 2: size ceil(15) = 15, origin index ½(2 − 3)/3 = −1/6 → x = 5 + 3·(−1/6) = 4.5.
    const g3 g({10, 4, 5}, {3.0, 1.0, 2.0}, {5.0, 0.0, -1.0});
    const auto r = pp::pyradiomics_resampled_grid(g, {2.0, 0.0, 3.0});
    BOOST_TEST(r.shape()[0] == 15u);
    BOOST_TEST(r.shape()[1] == 4u);  // 0 keeps the spacing
    BOOST_TEST(r.shape()[2] == 4u);  // ceil(5 · 2/3) = 4
    BOOST_TEST(r.origin()[0] == 4.5, tt(1e-12));
    BOOST_TEST(r.origin()[1] == 0.0, tt(1e-12));
    BOOST_TEST(r.origin()[2] == -0.5, tt(1e-12));  // −1 + 2·(½(3 − 2)/2)
    // the corners of both grids coincide
    BOOST_TEST(r.origin()[0] - 0.5 * r.spacing()[0] == g.origin()[0] - 0.5 * g.spacing()[0], tt(1e-12));
    BOOST_CHECK_THROW(pp::pyradiomics_resampled_grid(g, {2.0, -1.0, 3.0}), rg::geometry_error);
}

BOOST_AUTO_TEST_CASE(pyradiomics_grid_around_roi_matches_reference_diagnostics)
{
    // IBSI CT phantom (204 × 201 × 60, spacing 0.977 × 0.977 × 3), mask bounding box lower (51, 51, 17) size
    // (100, 99, 26) (PyRadiomics diagnostics in shared/reference/pyradiomics/
    // ibsi_ct_phantom_original_bincount32_resampled.settings.json): resampledPixelSpacing [2, 2, 2], padDistance 5
    // gives diagnostics_Image-interpolated_Size [61, 61, 51].
    const g3 g({204, 201, 60}, {0.9769999980926514, 0.9769999980926514, 3.0}, {0.0, 0.0, 0.0});
    pp::bounding_box<3> roi;
    roi.lower = {51, 51, 17};
    roi.upper = {150, 149, 42};
    const auto r = pp::pyradiomics_resampled_grid(g, {2.0, 2.0, 2.0}, roi, 5);
    BOOST_TEST(r.shape()[0] == 61u);
    BOOST_TEST(r.shape()[1] == 61u);
    BOOST_TEST(r.shape()[2] == 51u);
    // hand-worked: l_x = floor((51 − ½)·0.4885 − 5) = 19 → origin index 19/0.4885 + ½(2 − 0.977)/0.977
    const double ratio = 0.9769999980926514 / 2.0;
    BOOST_TEST(r.origin()[0] == (19.0 / ratio + 0.5 * (2.0 - 0.9769999980926514) / 0.9769999980926514) *
                                    0.9769999980926514,
               tt(1e-12));
    // equal spacing → PyRadiomics only crops with the pad
    const auto same = pp::pyradiomics_resampled_grid(g, {0.0, 0.0, 0.0}, roi, 5);
    BOOST_TEST(same.shape()[0] == 110u);
    BOOST_TEST(same.origin()[2] == 12.0 * 3.0, tt(1e-12));
}

BOOST_AUTO_TEST_CASE(ibsi_grid_aligns_centres)
{
    // IBSI 1 §2.4 "align grid centers": n = 5, s = 2 → s' = 3: n' = ceil(10/3) = 4; centres at 4 mm (old) and
    // 4 mm (new): origin index ½·4 − ½·3·1.5 = −0.25 → x = −0.5.
    const g2 g({5, 4}, {2.0, 1.0}, {0.0, 0.0});
    const auto r = pp::ibsi_resampled_grid(g, {3.0, 1.0});
    BOOST_TEST(r.shape()[0] == 4u);
    BOOST_TEST(r.origin()[0] == -0.5, tt(1e-12));
    const double old_centre = g.origin()[0] + 0.5 * 4.0 * 2.0;
    const double new_centre = r.origin()[0] + 0.5 * 3.0 * 3.0;
    BOOST_TEST(old_centre == new_centre, tt(1e-12));
}

// resampledPixelSpacing 0.001 mm used to reach the allocator (std::bad_alloc); the grid size is checked first
// and the message names the setting and the size (issue 18).
BOOST_AUTO_TEST_CASE(huge_resampled_grids_are_refused_before_allocation)
{
    const g3 g({200, 200, 100}, {1.0, 1.0, 2.0}, {0.0, 0.0, 0.0});
    const auto refused = [](const rg::invalid_argument& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find("resampledPixelSpacing [0.001, 0.001, 0.001]: got a resampled grid of "
                                          "200000 x 200000 x 200000 voxels") != std::string::npos;
    };
    BOOST_CHECK_EXCEPTION(pp::pyradiomics_resampled_grid(g, {0.001, 0.001, 0.001}), rg::invalid_argument, refused);
    BOOST_CHECK_EXCEPTION(pp::ibsi_resampled_grid(g, {0.001, 0.001, 0.001}), rg::invalid_argument, refused);
    pp::bounding_box<3> roi;
    roi.lower = {10, 10, 10};
    roi.upper = {20, 20, 20};
    BOOST_CHECK_THROW(pp::pyradiomics_resampled_grid(g, {0.001, 0.001, 0.001}, roi, 5), rg::invalid_argument);
    // a fine but sane grid still works: 0.5 mm -> 400 x 400 x 400 = 6.4e7 voxels
    BOOST_TEST(pp::pyradiomics_resampled_grid(g, {0.5, 0.5, 0.5}).size() == 64000000u);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused)
{
    const g3 g({4, 4, 4}, {1.0, 1.0, 1.0}, {0.0, 0.0, 0.0});
    rg::image<double, 3> img(g, 1.0);
    img(1, 2, 3) = std::numeric_limits<double>::quiet_NaN();
    try {
        pp::resample(img, g);
        BOOST_FAIL("expected invalid_argument");
    } catch (const rg::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("[radiogenomics.preprocess.image_interpolator] source voxel (1, 2, 3)") ==
                   0u);
    }
    img(1, 2, 3) = std::numeric_limits<double>::infinity();
    BOOST_CHECK_THROW(pp::resample(img, g, pp::interpolator::bspline), rg::invalid_argument);
    const rg::image<double, 3> empty;
    BOOST_CHECK_THROW(pp::resample(empty, g), rg::invalid_argument);
    BOOST_CHECK_THROW(pp::resample(rg::image<double, 3>(g, 0.0), g3()), rg::geometry_error);
}

#ifdef RG_HAVE_NIFTI
BOOST_AUTO_TEST_CASE(ibsi_ct_phantom_matches_pyradiomics_resampling)
{
    // PyRadiomics resampleImage(resampledPixelSpacing [2, 2, 2], sitkBSpline, padDistance 5) on the IBSI 1 CT
    // phantom; expected values are the diagnostics of
    // shared/reference/pyradiomics/ibsi_ct_phantom_original_bincount32_resampled.settings.json:
    // Image-interpolated Size/Mean/Minimum/Maximum, Mask-interpolated VoxelNum/BoundingBox/Mean/Minimum/Maximum.
    const auto img = rg::io::read_nifti<float, 3>(rg_test::shared_reference("ibsi1/ct_phantom/image.nii.gz"));
    const auto mask = rg::io::read_nifti<std::uint8_t, 3>(rg_test::shared_reference("ibsi1/ct_phantom/mask.nii.gz"));
    const auto roi = pp::mask_bounding_box(mask, std::uint8_t{1});
    const auto grid = pp::pyradiomics_resampled_grid(img.geometry(), {2.0, 2.0, 2.0}, roi, 5);
    BOOST_TEST(grid.shape()[0] == 61u);
    BOOST_TEST(grid.shape()[1] == 61u);
    BOOST_TEST(grid.shape()[2] == 51u);
    const auto res = pp::resample(img, grid, pp::interpolator::bspline);
    const auto res_mask = pp::resample_mask(mask, grid);
    double sum = 0.0, lo = 1e300, hi = -1e300, roi_sum = 0.0, roi_lo = 1e300, roi_hi = -1e300;
    std::size_t roi_n = 0;
    for (std::size_t i = 0; i < res.size(); ++i) {
        const double v = res[i];
        sum += v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        if (res_mask[i] == 1) {
            roi_sum += v;
            roi_lo = std::min(roi_lo, v);
            roi_hi = std::max(roi_hi, v);
            ++roi_n;
        }
    }
    BOOST_TEST(sum / static_cast<double>(res.size()) == -157.9490004686954, tt(1e-9));
    BOOST_TEST(lo == -1056.9735107421875, tt(1e-6));
    BOOST_TEST(hi == 1106.4039306640625, tt(1e-6));
    BOOST_TEST(roi_n == 45107u);
    BOOST_TEST(roi_sum / static_cast<double>(roi_n) == -42.34652760044997, tt(1e-9));
    BOOST_TEST(roi_lo == -990.7769775390625, tt(1e-6));
    BOOST_TEST(roi_hi == 752.3536376953125, tt(1e-6));
    const auto box = pp::mask_bounding_box(res_mask, std::uint8_t{1});
    BOOST_TEST(box.lower[0] == 6);
    BOOST_TEST(box.lower[2] == 6);
    BOOST_TEST(box.size()[0] == 49u);
    BOOST_TEST(box.size()[1] == 48u);
    BOOST_TEST(box.size()[2] == 39u);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
