#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/core/random.hpp"
#include "radiogenomics/filters.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::filters;

namespace {

rg::image<float, 3> random_volume(std::size_t nx, std::size_t ny, std::size_t nz, std::uint64_t seed)
{
    rg::image<float, 3> img(rg::image_geometry<3>({nx, ny, nz}, {0.8, 0.9, 2.0}, {-10.0, 5.0, 3.0}));
    rg::random_engine engine(seed);
    for (std::size_t i = 0; i < img.size(); ++i) {
        img[i] = static_cast<float>(rg::normal(engine, 50.0, 30.0));
    }
    return img;
}

template <class TPixel>
bool identical(const rg::image<TPixel, 3>& a, const rg::image<TPixel, 3>& b)
{
    if (a.shape() != b.shape()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i]) && !(std::isnan(static_cast<double>(a[i])) && std::isnan(static_cast<double>(b[i])))) {
            return false;
        }
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(filter_properties)

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_thread_count)
{
    const auto img = random_volume(23, 19, 17, 7);
    rg::mask_image<3> mask(img.geometry(), 0);
    for (std::size_t i = 0; i < mask.size(); i += 3) {
        mask[i] = 1;
    }
    auto run = [&](int threads) {
        rg::thread_count_guard guard(threads);
        return std::make_tuple(rf::laplacian_of_gaussian(img, 2.0), rf::wavelet_undecimated(img),
                               rf::local_binary_pattern_3d(img, mask), rf::gradient_magnitude(img),
                               rf::square_root(img));
    };
    const auto one = run(1);
    const auto many = run(4);
    BOOST_TEST(identical(std::get<0>(one), std::get<0>(many)));
    for (std::size_t b = 0; b < 8; ++b) {
        BOOST_TEST(identical(std::get<1>(one)[b].response, std::get<1>(many)[b].response));
    }
    BOOST_TEST(identical(std::get<2>(one).kurtosis, std::get<2>(many).kurtosis));
    BOOST_TEST(identical(std::get<2>(one).levels[1], std::get<2>(many).levels[1]));
    BOOST_TEST(identical(std::get<3>(one), std::get<3>(many)));
    BOOST_TEST(identical(std::get<4>(one), std::get<4>(many)));
}

BOOST_AUTO_TEST_CASE(filters_keep_input_geometry)
{
    const auto img = random_volume(9, 8, 7, 3);
    const auto& g = img.geometry();
    BOOST_TEST(rf::laplacian_of_gaussian(img, 1.0).geometry().same_grid(g));
    BOOST_TEST(rf::gradient_magnitude(img).geometry().same_grid(g));
    BOOST_TEST(rf::wavelet_undecimated(img)[0].response.geometry().same_grid(g));
    BOOST_TEST(rf::laplacian_of_gaussian_convolution(img, {}).geometry().same_grid(g));
    BOOST_TEST(rf::exponential(img).geometry().same_grid(g));
}

BOOST_AUTO_TEST_CASE(recursive_log_of_a_quadratic_is_its_laplacian)
{
    // f = a x^2 + b y^2 + c z^2 (physical mm) has Laplacian 2(a + b + c) everywhere; the scale-normalised LoG returns
    // sigma^2 times it away from the borders (the recursive Gaussian's derivative is exact for polynomials up to the
    // approximation error of Deriche's fit, ~1e-3 relative).
    rg::image<double, 3> img(rg::image_geometry<3>({60, 60, 60}, {0.5, 1.0, 1.5}, {0, 0, 0}));
    const double a = 0.3;
    const double b = -0.1;
    const double c = 0.05;
    for (std::size_t k = 0; k < 60; ++k) {
        for (std::size_t j = 0; j < 60; ++j) {
            for (std::size_t i = 0; i < 60; ++i) {
                const double x = 0.5 * (double(i) - 30.0);
                const double y = 1.0 * (double(j) - 30.0);
                const double z = 1.5 * (double(k) - 30.0);
                img(i, j, k) = a * x * x + b * y * y + c * z * z;
            }
        }
    }
    const double sigma = 2.0;
    const auto out = rf::laplacian_of_gaussian<double>(img, sigma);
    BOOST_TEST(out(30, 30, 30) == sigma * sigma * 2.0 * (a + b + c), boost::test_tools::tolerance(5e-3));
    const auto raw = rf::laplacian_of_gaussian<double>(img, sigma, false);
    BOOST_TEST(raw(30, 30, 30) == 2.0 * (a + b + c), boost::test_tools::tolerance(5e-3));
}

BOOST_AUTO_TEST_CASE(recursive_log_rejects_bad_input)
{
    const auto img = random_volume(9, 8, 3, 1);
    BOOST_CHECK_THROW(rf::laplacian_of_gaussian(img, 1.0), rg::geometry_error);  // an axis of 3 < 4 voxels
    const auto ok = random_volume(9, 8, 7, 1);
    BOOST_CHECK_THROW(rf::laplacian_of_gaussian(ok, 0.0), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::laplacian_of_gaussian(ok, std::nan("")), rg::invalid_argument);
    // PyRadiomics' skip rule: size >= ceil(sigma / spacing) + 1 on every axis (z: 7 voxels of 2 mm)
    BOOST_TEST(rf::pyradiomics_log_applicable(ok.geometry(), 3.0));
    BOOST_TEST(!rf::pyradiomics_log_applicable(ok.geometry(), 13.0));
    BOOST_TEST(!rf::pyradiomics_log_applicable(img.geometry(), 1.0));
}

BOOST_AUTO_TEST_CASE(lbp_and_wavelet_reject_bad_input)
{
    const auto img = random_volume(9, 8, 7, 2);
    rg::mask_image<3> other(rg::image_geometry<3>({9, 8, 6}, {0.8, 0.9, 2.0}, {-10.0, 5.0, 3.0}), 1);
    BOOST_CHECK_THROW(rf::local_binary_pattern_3d(img, other), rg::geometry_error);
    rf::wavelet_options o;
    o.wavelet = "db99";
    BOOST_CHECK_THROW(rf::wavelet_undecimated(img, o), rg::invalid_argument);
    o.wavelet = "coif1";
    o.level = 0;
    BOOST_CHECK_THROW(rf::wavelet_undecimated(img, o), rg::invalid_argument);
    auto bad = img;
    bad(1, 1, 1) = std::numeric_limits<float>::infinity();
    BOOST_CHECK_THROW(rf::wavelet_undecimated(bad), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::gradient_magnitude(bad), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::mean_filter(img, 4, rf::boundary_mode::constant), rg::invalid_argument);
}

BOOST_AUTO_TEST_CASE(lbp_constant_neighbourhood_gives_nan_kurtosis)
{
    // SciPy's kurtosis of 42 identical samples is NaN (m2 below its precision threshold); every sample >= centre,
    // so m1 = sqrt(42) * 42 * Y00^2 = sqrt(42) * 42 / (4 pi). m2 is not 0: PyRadiomics passes the polar angle as
    // SciPy's azimuth, so its degree-1 "harmonics" do not sum to 0 over the sphere; 18.401806215963287 is the
    // value of PyRadiomics' formulas with scipy.special.sph_harm (SciPy 1.10.1) on the all-ones pattern.
    rg::image<double, 3> flat(rg::image_geometry<3>({7, 7, 7}, {1, 1, 1}, {0, 0, 0}), 5.0);
    rg::mask_image<3> mask(flat.geometry(), 0);
    mask(3, 3, 3) = 1;
    const auto r = rf::local_binary_pattern_3d(flat, mask);
    BOOST_TEST(std::isnan(r.kurtosis(3, 3, 3)));
    const double pi = 3.141592653589793;
    BOOST_TEST(r.levels[0](3, 3, 3) == std::sqrt(42.0) * 42.0 / (4.0 * pi), boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r.levels[1](3, 3, 3) == 18.401806215963287, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(r.levels[0](0, 0, 0) == 0.0);  // outside the ROI
}

BOOST_AUTO_TEST_CASE(icosphere_has_trimesh_vertex_count_on_the_unit_sphere)
{
    const auto v1 = rf::detail::icosphere_vertices(1, 1.0);
    BOOST_TEST(v1.size() == 42u);
    const auto v2 = rf::detail::icosphere_vertices(2, 1.0);
    BOOST_TEST(v2.size() == 162u);
    for (const auto& p : v2) {
        BOOST_TEST(std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]) == 1.0, boost::test_tools::tolerance(1e-14));
    }
}

BOOST_AUTO_TEST_CASE(pyradiomics_image_type_names)
{
    // PyRadiomics: 'log-sigma-%s-mm-3D' % str(sigma).replace('.', '-'); wavelet[level]-<band>; lbp-3D-m<level>/k
    BOOST_TEST(rf::log_image_type_name(1.0) == "log-sigma-1-0-mm-3D");
    BOOST_TEST(rf::log_image_type_name(3.0) == "log-sigma-3-0-mm-3D");
    BOOST_TEST(rf::log_image_type_name(0.5) == "log-sigma-0-5-mm-3D");
    BOOST_TEST(rf::log_image_type_name(2.25) == "log-sigma-2-25-mm-3D");
    BOOST_TEST(rf::wavelet_image_type_name("LLH") == "wavelet-LLH");
    BOOST_TEST(rf::wavelet_image_type_name("HHH", 2) == "wavelet2-HHH");
    BOOST_TEST(rf::lbp3d_image_type_name(0) == "lbp-3D-k");
    BOOST_TEST(rf::lbp3d_image_type_name(2) == "lbp-3D-m2");
    BOOST_TEST(rf::image_type_name(rf::image_type::square_root) == "squareroot");
    BOOST_TEST(rf::image_type_key(rf::parse_image_type_key("LBP3D")) == "LBP3D");
    BOOST_TEST(rf::image_type_key(rf::parse_image_type_key("LBP2D")) == "LBP2D");
    BOOST_TEST(rf::image_type_name(rf::image_type::lbp2d) == "lbp-2D");  // PyRadiomics getLBP2DImage's name
    BOOST_CHECK_THROW(rf::parse_image_type_key("LBP4D"), rg::invalid_argument);
    BOOST_CHECK_THROW(rf::image_type_name(rf::image_type::wavelet), rg::invalid_argument);
    BOOST_TEST(rf::paper_image_type_names().size() == 19u);
}

BOOST_AUTO_TEST_CASE(margins_and_crops)
{
    const std::array<double, 3> spacing{0.977, 0.977, 3.0};
    BOOST_TEST(rf::required_margin(rf::image_type::square, spacing).needs_whole_image_max_abs);
    BOOST_TEST(rf::required_margin(rf::image_type::gradient, spacing).voxels[2] == 1u);
    rf::filter_margin_parameters p;
    p.log_sigma_mm = 3.0;
    const auto log = rf::required_margin(rf::image_type::log, spacing, p);
    BOOST_TEST(log.voxels[0] > log.voxels[2]);  // finer in-plane spacing needs more voxels
    const auto wav = rf::required_margin(rf::image_type::wavelet, spacing);
    BOOST_TEST(wav.full_axis_at_border);
    rf::crop_box box;
    box.start = {10, 2, 5};
    box.size = {5, 5, 5};
    const auto grown = rf::expand_crop(box, wav, {100, 100, 100});
    BOOST_TEST(grown.start[0] == 10 - static_cast<std::ptrdiff_t>(wav.voxels[0]));
    BOOST_TEST(grown.start[1] == 0);       // touches the border: whole axis
    BOOST_TEST(grown.size[1] == 100u);
    rg::mask_image<3> empty(rg::image_geometry<3>({4, 4, 4}, {1, 1, 1}, {0, 0, 0}), 0);
    BOOST_CHECK_THROW(rf::label_bounding_box(empty), rg::mask_error);
}

BOOST_AUTO_TEST_SUITE_END()
