// Voxel-based maps (features/voxel_maps.hpp) against PyRadiomics 3.1's own voxel-mode maps
// (shared/reference/pyradiomics_voxel, see its README: RadiomicsFeatureExtractor.execute(..., voxelBased=True)),
// every map at every voxel to 1e-6 relative; the kernel property; batch/thread invariance; bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "feature_test_util.hpp"
#include "radiogenomics/core/parallel.hpp"
#include <random>
#include "radiogenomics/features/voxel_maps.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/csv.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace rf = radiogenomics::features;

namespace {

struct voxel_case {
    std::string folder;       ///< reference folder
    std::string input;        ///< inputs/<input>/{image,mask}.nii.gz
    double bin_width;
    int radius;
    bool masked;
    bool has_batch1;          ///< a *_voxelBatch1 folder holds JointAverage and MCC
};

const std::vector<voxel_case>& voxel_cases()
{
    // settings.json of each reference folder (params): binWidth, kernelRadius, maskedKernel; initValue 0.
    static const std::vector<voxel_case> cases{
        {"ibsi_digital_phantom_r1_masked", "ibsi_digital_phantom", 1.0, 1, true, true},
        {"synthetic_blob_r1_masked", "synthetic_blob", 25.0, 1, true, true},
        {"synthetic_blob_r2_unmasked", "synthetic_blob", 25.0, 2, false, false},
    };
    return cases;
}

std::string voxel_reference(const std::string& relative) { return rg_test::shared_reference("pyradiomics_voxel/" + relative); }

rg::image<float, 3> read_image(const voxel_case& c)
{
    return rg::io::read_nifti<float, 3>(voxel_reference("inputs/" + c.input + "/image.nii.gz"));
}

rg::image<std::uint8_t, 3> read_mask(const voxel_case& c)
{
    return rg::io::read_nifti<std::uint8_t, 3>(voxel_reference("inputs/" + c.input + "/mask.nii.gz"));
}

rf::settings feature_settings(const voxel_case& c)
{
    rf::settings s;
    s.bin_width = c.bin_width;
    return s;
}

rf::voxel_settings kernel_settings(const voxel_case& c)
{
    rf::voxel_settings v;
    v.kernel_radius = c.radius;
    v.masked_kernel = c.masked;
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(voxel_maps)

BOOST_AUTO_TEST_CASE(every_pyradiomics_map_at_every_voxel)
{
    for (const auto& c : voxel_cases()) {
        const auto img = read_image(c);
        const auto mask = read_mask(c);
        rf::voxel_map_options mo;
        mo.full_grid = true;  // the reference maps are pasted into the input grid
        const rf::voxel_plan plan = rf::make_voxel_plan(img, mask, feature_settings(c), kernel_settings(c));
        std::map<std::string, rg::image<double, 3>> ours;
        rf::for_each_voxel_map(plan, mo, [&](rf::voxel_map&& m) { ours.emplace(m.name, std::move(m.values)); });
        BOOST_TEST(ours.size() == 93u);

        const auto manifest = rg::io::read_csv(voxel_reference(c.folder + "/manifest.csv"));
        BOOST_TEST(manifest.row_count() == 93u);
        const std::size_t feature_column = manifest.column("feature");
        std::size_t checked = 0;
        for (const auto& row : manifest.rows) {
            const std::string& name = row[feature_column];
            // JointAverage / MCC: PyRadiomics' voxelBatch-1 maps (voxel_maps.hpp, "Deliberate difference")
            const bool batch1 = c.has_batch1 && (name == "original_glcm_JointAverage" || name == "original_glcm_MCC");
            const std::string folder = batch1 ? c.folder + "_voxelBatch1" : c.folder;
            const auto reference = rg::io::read_nifti<double, 3>(voxel_reference(folder + "/" + name + ".nii.gz"));
            const auto found = ours.find(name);
            BOOST_REQUIRE_MESSAGE(found != ours.end(), c.folder << ": no map " << name);
            const auto& map = found->second;
            BOOST_REQUIRE(map.geometry().same_grid(reference.geometry()));
            std::size_t bad = 0;
            for (std::size_t i = 0; i < map.size(); ++i) {
                if (!rg_features_test::close(map[i], reference[i], 1e-6, 1e-12)) {
                    if (bad < 3) {
                        BOOST_ERROR(c.folder << " " << name << " voxel " << i << ": got " << map[i] << ", expected "
                                             << reference[i]);
                    }
                    ++bad;
                }
            }
            BOOST_TEST(bad == 0u, c.folder << " " << name << ": " << bad << " voxels differ");
            ++checked;
        }
        BOOST_TEST(checked == 93u);
    }
}

BOOST_AUTO_TEST_CASE(crop_box_geometry_is_pyradiomics_output_grid)
{
    // settings.json -> pyradiomics_output_grid: index_lower_xyz [4, 4, 0], size_xyz [17, 12, 12] (r1);
    // [3, 3, 0], [19, 14, 12] (r2).
    const auto& r1 = voxel_cases()[1];
    const auto& r2 = voxel_cases()[2];
    const auto img = read_image(r1);
    const auto mask = read_mask(r1);
    const auto p1 = rf::make_voxel_plan(img, mask, feature_settings(r1), kernel_settings(r1));
    BOOST_TEST((p1.start == std::array<std::size_t, 3>{4, 4, 0}));
    BOOST_TEST((p1.size == std::array<std::size_t, 3>{17, 12, 12}));
    const auto p2 = rf::make_voxel_plan(img, mask, feature_settings(r2), kernel_settings(r2));
    BOOST_TEST((p2.start == std::array<std::size_t, 3>{3, 3, 0}));
    BOOST_TEST((p2.size == std::array<std::size_t, 3>{19, 14, 12}));
    const auto origin = img.geometry().index_to_physical(std::array<std::ptrdiff_t, 3>{4, 4, 0});
    for (std::size_t d = 0; d < 3; ++d) {
        BOOST_TEST(p1.geometry.origin()[d] == origin[d]);
    }
    // crop-box maps hold the same values as the full-grid ones
    rf::voxel_map_options crop;
    crop.classes = {{rf::feature_class::first_order, {"Mean"}}};
    rf::voxel_map_options full = crop;
    full.full_grid = true;
    std::vector<rf::voxel_map> a, b;
    rf::for_each_voxel_map(p1, crop, [&](rf::voxel_map&& m) { a.push_back(std::move(m)); });
    rf::for_each_voxel_map(p1, full, [&](rf::voxel_map&& m) { b.push_back(std::move(m)); });
    BOOST_REQUIRE(a.size() == 1u && b.size() == 1u);
    BOOST_TEST(a[0].values(3, 2, 5) == b[0].values(7, 6, 5));
}

// For random ROI voxels, the map value equals the ordinary (segment-based) extraction on the kernel region as an
// ROI, with the grey levels fixed by the voxel-mode discretisation (levels, present set and Ng of the whole ROI or
// crop box). This checks the kernel construction and the MCC/absent-level shortcut independently of PyRadiomics.
BOOST_AUTO_TEST_CASE(map_value_is_segment_extraction_on_the_kernel)
{
    for (const auto& c : voxel_cases()) {
        const auto img = read_image(c);
        const auto mask = read_mask(c);
        const rf::settings s = feature_settings(c);
        const rf::voxel_plan plan = rf::make_voxel_plan(img, mask, s, kernel_settings(c));
        std::map<std::string, std::vector<double>> maps;  // name -> crop-box values
        rf::for_each_voxel_map(plan, rf::voxel_map_options{}, [&](rf::voxel_map&& m) {
            maps[m.name] = std::vector<double>(m.values.begin_pointer(), m.values.begin_pointer() + m.values.size());
        });
        std::mt19937_64 engine(20261203u);
        for (int trial = 0; trial < 8; ++trial) {
            const std::size_t v = static_cast<std::size_t>(engine() % plan.roi.size());
            const std::size_t centre = plan.roi[v];
            const std::array<std::size_t, 3> ci{centre % plan.size[0], (centre / plan.size[0]) % plan.size[1],
                                                centre / (plan.size[0] * plan.size[1])};
            // the kernel region as a mask on the input grid
            rg::image<std::uint8_t, 3> kernel(img.geometry(), std::uint8_t{0});
            for (std::size_t k = 0; k < plan.size[2]; ++k) {
                for (std::size_t j = 0; j < plan.size[1]; ++j) {
                    for (std::size_t i = 0; i < plan.size[0]; ++i) {
                        const std::array<std::size_t, 3> p{i, j, k};
                        bool inside = plan.levels[plan.offset(i, j, k)] > 0;
                        for (std::size_t d = 0; d < 3; ++d) {
                            const auto delta = static_cast<long>(p[d]) - static_cast<long>(ci[d]);
                            inside = inside && std::labs(delta) <= c.radius;
                        }
                        if (inside) {
                            kernel(plan.start[0] + i, plan.start[1] + j, plan.start[2] + k) = 1;
                        }
                    }
                }
            }
            rf::settings ks = s;
            ks.minimum_roi_dimensions = 0;
            rf::roi_data roi = rf::make_roi(img, kernel, ks);
            // fixed discretisation: the plan's levels at the kernel voxels, its present levels and Ng
            rf::texture_grid& g = roi.grid;
            for (std::size_t n = 0; n < g.roi_offsets.size(); ++n) {
                const std::size_t o = g.roi_offsets[n];
                const std::size_t gi = o % g.shape[0] - g.margin + roi.box.lower[0] - plan.start[0];
                const std::size_t gj = (o / g.shape[0]) % g.shape[1] - g.margin + roi.box.lower[1] - plan.start[1];
                const std::size_t gk = o / (g.shape[0] * g.shape[1]) - g.margin + roi.box.lower[2] - plan.start[2];
                const std::int32_t level = plan.levels[plan.offset(gi, gj, gk)];
                g.levels[o] = level;
                roi.levels[n] = level;
            }
            g.present = plan.present;
            g.max_level = plan.max_level;
            g.crop_extent = plan.size;
            const auto expected = rg_features_test::all_features(roi, s);
            for (const auto& [name, values] : maps) {
                const std::string key = name.substr(std::string("original_").size());
                const auto e = expected.find(key);
                BOOST_REQUIRE_MESSAGE(e != expected.end(), key);
                BOOST_TEST(rg_features_test::close(values[centre], e->second, 1e-9, 1e-12),
                           c.folder << " voxel " << centre << " " << key << ": map " << values[centre]
                                    << ", kernel extraction " << e->second);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(voxel_batch_and_threads_change_no_bit)
{
    const auto& c = voxel_cases()[1];
    const auto img = read_image(c);
    const auto mask = read_mask(c);
    const auto run = [&](long batch, int threads) {
        const rg::thread_count_guard guard(threads);
        rf::voxel_settings v = kernel_settings(c);
        v.voxel_batch = batch;
        std::vector<double> all;
        rf::for_each_voxel_map(rf::make_voxel_plan(img, mask, feature_settings(c), v), rf::voxel_map_options{},
                               [&](rf::voxel_map&& m) {
                                   all.insert(all.end(), m.values.begin_pointer(),
                                              m.values.begin_pointer() + m.values.size());
                               });
        return all;
    };
    const auto reference = run(-1, 1);
    for (const auto& [batch, threads] : std::vector<std::pair<long, int>>{{1, 2}, {7, 2}, {1000, 1}, {-1, 2}}) {
        const auto other = run(batch, threads);
        BOOST_REQUIRE(other.size() == reference.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < other.size(); ++i) {
            const bool same = (std::isnan(other[i]) && std::isnan(reference[i])) || other[i] == reference[i];
            differ += same ? 0 : 1;
        }
        BOOST_TEST(differ == 0u, "voxelBatch " << batch << ", " << threads << " threads");
    }
}

BOOST_AUTO_TEST_CASE(bad_input)
{
    const auto& c = voxel_cases()[0];
    const auto img = read_image(c);
    const auto mask = read_mask(c);
    const rf::settings s = feature_settings(c);
    rf::voxel_settings v;
    for (int radius : {0, -1}) {
        v.kernel_radius = radius;
        BOOST_CHECK_THROW(rf::make_voxel_plan(img, mask, s, v), rg::invalid_argument);
    }
    v = {};
    v.kernel_radius = 3;  // 7 voxels per side; the phantom is 5 x 4 x 4
    BOOST_CHECK_THROW(rf::make_voxel_plan(img, mask, s, v), rg::invalid_argument);
    v = {};
    v.init_value = std::nan("");
    BOOST_CHECK_THROW(rf::make_voxel_plan(img, mask, s, v), rg::invalid_argument);
    v.init_value = std::numeric_limits<double>::infinity();
    BOOST_CHECK_THROW(rf::make_voxel_plan(img, mask, s, v), rg::invalid_argument);
    // one-voxel ROI (even when minimumROIDimensions would allow it)
    rg::image<std::uint8_t, 3> one(mask.geometry(), std::uint8_t{0});
    one(2, 2, 2) = 1;
    rf::settings lenient = s;
    lenient.minimum_roi_dimensions = 0;
    BOOST_CHECK_THROW(rf::make_voxel_plan(img, one, lenient, rf::voxel_settings{}), rg::mask_error);
    BOOST_CHECK_THROW(rf::make_voxel_plan(img, one, s, rf::voxel_settings{}), rg::mask_error);
    // the message names the function and the bad value
    try {
        v = {};
        v.kernel_radius = 0;
        rf::make_voxel_plan(img, mask, s, v);
        BOOST_ERROR("no exception");
    } catch (const rg::invalid_argument& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("[radiogenomics.features.make_voxel_plan] kernelRadius: got 0") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
