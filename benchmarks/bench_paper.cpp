// Pipeline-level benchmarks of the study (issue 7 "Performance"), on one full-size synthetic patient
// (512 × 512 × 80 CT, 192 × 192 × 93 PET): the BAT mask inside the supraclavicular box vs on the
// whole grid, and the parts of PET → CT B-spline resampling (prefilter of the PET volume vs the
// whole-grid resampling vs one tumour-sized block). Figures: benchmarks/README.md, section "paper".
#include <benchmark/benchmark.h>

#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "radiogenomics/preprocess/suv.hpp"
#include "radiogenomics/preprocess/threshold.hpp"
#include "radiogenomics/synth/cohort.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
namespace rs = radiogenomics::synth;

namespace {

struct full_patient {
    rs::synthetic_patient patient;
    rg::image<float, 3> suv_pet;  ///< SUV on the PET grid
    rg::image<float, 3> suv_ct;   ///< SUV on the CT grid
};

const full_patient& patient()
{
    static const full_patient p = [] {
        full_patient out;
        rs::cohort_options o;
        o.seed = 42;
        out.patient = rs::generate_patient(o, std::size_t{0});
        out.suv_pet = pp::suv_body_weight(out.patient.pet, out.patient.pet_info);
        out.suv_ct = pp::resample_as<float>(out.suv_pet, out.patient.ct.geometry(), pp::interpolator::bspline, 0.0);
        return out;
    }();
    return p;
}

// Arg 0: whole grid then AND with the box (what the pipeline did), 1: `index_region` (what it does).
void bm_bat_mask(benchmark::State& state)
{
    const rg::thread_count_guard guard(1);
    const auto& p = patient();
    pp::bat_options<3> o;
    o.min_component_volume_mm3 = 100.0;
    const bool region = state.range(0) != 0;
    if (region) {
        o.index_region = p.patient.supraclavicular_region;
    }
    for (auto _ : state) {
        auto mask = pp::brown_adipose_tissue_mask(p.suv_ct, p.patient.ct, o);
        if (!region) {
            mask = pp::remove_small_components_by_volume(
                pp::mask_and(mask, pp::region_mask(mask.geometry(), p.patient.supraclavicular_region)), 100.0);
        }
        benchmark::DoNotOptimize(mask.begin_pointer());
    }
}

// The B-spline prefilter of the whole PET volume (the part that cannot be restricted to a block).
void bm_bspline_prefilter(benchmark::State& state)
{
    const rg::thread_count_guard guard(1);
    const auto& p = patient();
    for (auto _ : state) {
        const pp::image_interpolator<float, 3> interp(p.suv_pet, pp::interpolator::bspline);
        benchmark::DoNotOptimize(interp.values().data());
    }
}

// Whole CT grid (Arg 0) or a 150 × 150 × 40 tumour-sized block (Arg 1), prefilter included.
void bm_bspline_resample(benchmark::State& state)
{
    const rg::thread_count_guard guard(1);
    const auto& p = patient();
    const auto& g = p.patient.ct.geometry();
    rg::image<float, 3> out = state.range(0) == 0 ? rg::image<float, 3>(g, 0.0f)
                                                  : rg::image<float, 3>(g.region({180, 180, 10}, {150, 150, 40}), 0.0f);
    for (auto _ : state) {
        pp::resample_into(p.suv_pet, out, pp::interpolator::bspline, 0.0);
        benchmark::DoNotOptimize(out.begin_pointer());
    }
}

}  // namespace

BENCHMARK(bm_bat_mask)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_bspline_prefilter)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_bspline_resample)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
