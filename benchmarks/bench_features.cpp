// Feature engine benchmarks: each texture matrix (and its features) on a 64x64x40 ROI with 32 and 256
// grey levels; the original 107-feature set and the study's 1,781-feature set on the IBSI CT phantom;
// the 342-feature BAT set; the 1,781 set for a ~50x50x30 ROI in a 512x512x200 image and for a ~4,100-voxel
// ROI in a 256x256x25 MR-like image (the two PyRadiomics peer cases are the CT phantom and this one).
// Voxel-based maps (Original, 93 features, kernelRadius 1) on the MR-like ROI and the CT phantom.
// Figures and the PyRadiomics peer figures: benchmarks/README.md, section "features".
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <utility>
#include <string>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/features/voxel_maps.hpp"
#include "radiogenomics/io/nifti.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

/// 64x64x40 smooth random texture (sines + LCG noise), the whole block is the ROI.
const rf::roi_data& texture_roi(int grey_levels)
{
    static std::map<int, rf::roi_data> cache;
    auto it = cache.find(grey_levels);
    if (it != cache.end()) {
        return it->second;
    }
    rg::image<float, 3> img(rg::image_geometry<3>({64, 64, 40}, {1.0, 1.0, 2.0}, {0.0, 0.0, 0.0}));
    std::uint64_t state = 42;
    for (std::size_t i = 0; i < img.size(); ++i) {
        const auto p = img.index_of(i);
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const double noise = static_cast<double>(state >> 11) / 9007199254740992.0;
        img[i] = static_cast<float>(100.0 * std::sin(0.21 * static_cast<double>(p[0])) * std::cos(0.17 * static_cast<double>(p[1])) +
                                    60.0 * std::sin(0.3 * static_cast<double>(p[2])) + 40.0 * noise);
    }
    const auto mask = rg::make_image_like<std::uint8_t>(img, std::uint8_t{1});
    rf::settings s;
    s.bin_count = grey_levels;
    return cache.emplace(grey_levels, rf::make_roi(img, mask, s)).first->second;
}

const rf::settings default_settings{};

void BM_glcm(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::glcm_features(rf::glcm_matrix(roi.grid, default_settings)));
    }
}
void BM_glcm_matrix_only(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::glcm_matrix(roi.grid, default_settings));
    }
}
void BM_glrlm(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::glrlm_features(rf::glrlm_matrix(roi.grid, default_settings)));
    }
}
void BM_glszm(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::glszm_features(rf::glszm_matrix(roi.grid, default_settings)));
    }
}
void BM_gldm(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::gldm_features(rf::gldm_matrix(roi.grid, default_settings)));
    }
}
void BM_ngtdm(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::ngtdm_features(rf::ngtdm_matrix(roi.grid, default_settings)));
    }
}
void BM_first_order(benchmark::State& state)
{
    const auto& roi = texture_roi(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::first_order_features(roi, default_settings));
    }
}
BENCHMARK(BM_glcm)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_glcm_matrix_only)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_glrlm)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_glszm)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_gldm)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ngtdm)->Arg(32)->Arg(256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_first_order)->Arg(32)->Unit(benchmark::kMillisecond);

/// shared/reference next to the repository (from this file's path), or $RG_SHARED_REFERENCE.
std::string reference(const std::string& relative)
{
    if (const char* env = std::getenv("RG_SHARED_REFERENCE")) {
        return std::string(env) + "/" + relative;
    }
    std::string here = __FILE__;
    here = here.substr(0, here.rfind('/'));  // .../benchmarks
    here = here.substr(0, here.rfind('/'));  // repository root
    return here + "/../shared/reference/" + relative;
}

void BM_ct_phantom(benchmark::State& state, bool paper_set)
{
    static const auto img = rg::io::read_nifti<float, 3>(reference("ibsi1/ct_phantom/image.nii.gz"));
    static const auto mask = rg::io::read_nifti<std::uint8_t, 3>(reference("ibsi1/ct_phantom/mask.nii.gz"));
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    if (paper_set) {
        s.image_types = rf::paper_image_types();
    }
    std::size_t n = 0;
    for (auto _ : state) {
        const auto features = rf::extract(img, mask, s);
        n = features.size();
        benchmark::DoNotOptimize(features.data());
    }
    state.counters["features"] = static_cast<double>(n);
}
BENCHMARK_CAPTURE(BM_ct_phantom, original_107, false)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_ct_phantom, paper_1781, true)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_bat_first_order_342(benchmark::State& state)
{
    static const auto img = rg::io::read_nifti<std::int16_t, 3>(reference("pyradiomics/synthetic_bat/ct.nii.gz"));
    static const auto mask = rg::io::read_nifti<std::uint8_t, 3>(reference("pyradiomics/synthetic_bat/mask.nii.gz"));
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rf::extractor_settings s;
    s.image_types = rf::paper_image_types();
    s.classes = {{rf::feature_class::first_order, {}}};
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::extract(img, mask, s).data());
    }
}
BENCHMARK(BM_bat_first_order_342)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The case: a ~50x50x30 ellipsoid ROI in a 512x512x200 CT-like image.
void BM_large_image_small_roi_1781(benchmark::State& state)
{
    static const auto data = [] {
        rg::image<float, 3> img(rg::image_geometry<3>({512, 512, 200}, {0.8, 0.8, 2.0}, {0.0, 0.0, 0.0}), -1000.0f);
        rg::mask_image<3> mask(img.geometry(), 0);
        std::uint64_t st = 7;
        for (std::size_t k = 60; k < 140; ++k) {
            for (std::size_t j = 180; j < 330; ++j) {
                for (std::size_t i = 180; i < 330; ++i) {
                    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                    const double dx = (static_cast<double>(i) - 255.0) / 25.0, dy = (static_cast<double>(j) - 255.0) / 25.0,
                                 dz = (static_cast<double>(k) - 100.0) / 15.0;
                    const double r2 = dx * dx + dy * dy + dz * dz;
                    img(i, j, k) = static_cast<float>(r2 < 4.0 ? 40.0 - 30.0 * r2 + 50.0 * static_cast<double>(st >> 40) / 16777216.0 : -100.0);
                    mask(i, j, k) = r2 < 1.0 ? 1 : 0;
                }
            }
        }
        return std::make_pair(img, mask);
    }();
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.image_types = rf::paper_image_types();
    for (auto _ : state) {
        benchmark::DoNotOptimize(rf::extract(data.first, data.second, s).data());
    }
}
BENCHMARK(BM_large_image_small_roi_1781)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The other PyRadiomics peer case (1.8 s): the 1,781 set on a 256x256x25 MR-like image
/// (0.9375 x 0.9375 x 6.5 mm, the grid of PyRadiomics' brain1 test case) with a ~4,100-voxel ellipsoid ROI.
/// The MR-like 256x256x25 image with a ~4,100-voxel ellipsoid ROI (see BM_mr_256x256x25_roi_4k_1781).
const std::pair<rg::image<float, 3>, rg::mask_image<3>>& mr_case()
{
    static const auto data = [] {
        rg::image<float, 3> img(rg::image_geometry<3>({256, 256, 25}, {0.9375, 0.9375, 6.5}, {0.0, 0.0, 0.0}), 0.0f);
        rg::mask_image<3> mask(img.geometry(), 0);
        std::uint64_t st = 11;
        for (std::size_t k = 0; k < 25; ++k) {
            for (std::size_t j = 0; j < 256; ++j) {
                for (std::size_t i = 0; i < 256; ++i) {
                    st = st * 6364136223846793005ULL + 1442695040888963407ULL;
                    const double x = static_cast<double>(i), y = static_cast<double>(j), z = static_cast<double>(k);
                    const double dx = (x - 140.0) / 14.5, dy = (y - 110.0) / 14.5, dz = (z - 12.0) / 4.7;
                    const double r2 = dx * dx + dy * dy + dz * dz;
                    const double tissue = 300.0 + 120.0 * std::sin(0.05 * x) * std::cos(0.04 * y) + 20.0 * z;
                    img(i, j, k) = static_cast<float>(tissue + (r2 < 1.0 ? 250.0 - 150.0 * r2 : 0.0) +
                                                      60.0 * static_cast<double>(st >> 40) / 16777216.0);
                    mask(i, j, k) = r2 < 1.0 ? 1 : 0;
                }
            }
        }
        return std::make_pair(img, mask);
    }();
    return data;
}

void BM_mr_256x256x25_roi_4k_1781(benchmark::State& state)
{
    const auto& data = mr_case();
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    rf::extractor_settings s;
    s.setting.bin_width = 25.0;
    s.image_types = rf::paper_image_types();
    std::size_t n = 0;
    for (auto _ : state) {
        const auto features = rf::extract(data.first, data.second, s);
        n = features.size();
        benchmark::DoNotOptimize(features.data());
    }
    state.counters["features"] = static_cast<double>(n);
    state.counters["roi_voxels"] = static_cast<double>(rg::count_label(data.second, std::uint8_t{1}));
}
BENCHMARK(BM_mr_256x256x25_roi_4k_1781)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Voxel-based maps (features/voxel_maps.hpp): Original image, the 93 default non-shape features, kernelRadius 1,
/// masked kernel, binWidth 25 — the PyRadiomics peer figures (18.1 s for a 4,137-voxel MR ROI; about
/// 9 minutes for the CT phantom's 125,256-voxel ROI). Maps are computed and dropped (no file output).
template <class TPixel, class TMask>
std::size_t run_voxel_maps(const rg::image<TPixel, 3>& img, const rg::image<TMask, 3>& mask)
{
    rf::settings s;
    s.bin_width = 25.0;
    const rf::voxel_plan plan = rf::make_voxel_plan(img, mask, s, rf::voxel_settings{});
    std::size_t n = 0;
    rf::for_each_voxel_map(plan, rf::voxel_map_options{}, [&n](rf::voxel_map&& m) {
        benchmark::DoNotOptimize(m.values.begin_pointer());
        ++n;
    });
    return n;
}

void BM_voxel_maps_mr_roi_4k_original(benchmark::State& state)
{
    const auto& data = mr_case();
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    std::size_t n = 0;
    for (auto _ : state) {
        n = run_voxel_maps(data.first, data.second);
    }
    state.counters["maps"] = static_cast<double>(n);
    state.counters["roi_voxels"] = static_cast<double>(rg::count_label(data.second, std::uint8_t{1}));
}
BENCHMARK(BM_voxel_maps_mr_roi_4k_original)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_voxel_maps_ct_phantom_original(benchmark::State& state)
{
    static const auto img = rg::io::read_nifti<float, 3>(reference("ibsi1/ct_phantom/image.nii.gz"));
    static const auto mask = rg::io::read_nifti<std::uint8_t, 3>(reference("ibsi1/ct_phantom/mask.nii.gz"));
    rg::thread_count_guard guard(static_cast<int>(state.range(0)));
    std::size_t n = 0;
    for (auto _ : state) {
        n = run_voxel_maps(img, mask);
    }
    state.counters["maps"] = static_cast<double>(n);
    state.counters["roi_voxels"] = static_cast<double>(rg::count_label(mask, std::uint8_t{1}));
}
BENCHMARK(BM_voxel_maps_ct_phantom_original)->Arg(1)->Arg(2)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
