#pragma once
/// \file voxel_maps.hpp
/// \brief Voxel-based feature maps: every first-order and texture feature per ROI voxel, over a kernel around
/// it (PyRadiomics `voxelBased=True`, `pyradiomics --mode voxel`).
///
/// \par Semantics (PyRadiomics 3.1, radiomics/base.py `_calculateVoxels`, C `set_bb`; checked against its maps)
/// - **Crop box.** PyRadiomics crops image and mask to the (re-segmented) ROI's bounding box grown by
///   `kernelRadius` on every side, clipped to the image. Maps live on that box (`voxel_plan::geometry`).
/// - **Discretisation once, not per kernel.** Grey levels come from one discretisation over the whole ROI
///   (`maskedKernel` true) or over the whole crop box (`maskedKernel` false; *not* the whole image). `Ng` and the
///   grey-level set are those of that discretisation: GLCM Idmn/Idn use that Ng, and every level-valued feature
///   (JointAverage, the grey-level emphases, Busyness, ...) uses those level numbers.
/// - **Kernel.** For ROI voxel v: the voxels within Chebyshev distance `kernelRadius` (a cube, clipped to the crop
///   box; a square in-plane with force2D). With `maskedKernel` only kernel voxels in the ROI take part (pairs, runs,
///   zones, dependences and neighbourhoods stay inside kernel ∩ ROI); without, every kernel voxel does.
///   Texture offsets are limited by the crop box's size, as PyRadiomics' `generate_angles`.
/// - **Values only at ROI voxels**; every other voxel of a map is `init_value`.
/// - A voxel's value equals a segment-based extraction on its kernel region with the discretisation fixed as
///   above (the property the tests check).
///
/// \par Deliberate difference: GLCM JointAverage and MCC follow PyRadiomics' `voxelBatch: 1`
/// PyRadiomics deletes an empty GLCM direction only when it is empty for every voxel of a batch. With its default
/// `voxelBatch` (-1, one batch) a kernel with an empty direction keeps it as NaN: JointAverage (which uses `mean`,
/// not `nanmean`) becomes NaN there, and the NaN makes `numpy.linalg.eigvals` raise for MCC, which PyRadiomics then
/// leaves at initValue for the *whole batch*. Here every voxel is its own batch, so both are well defined and
/// independent of `voxel_batch`: they equal PyRadiomics' `voxelBatch: 1` maps, and JointAverage equals its default
/// run wherever that is finite. Every other map equals the default run.
///
/// \par Undefined values (PyRadiomics' conventions, per kernel)
/// A kernel of one voxel (masked, isolated ROI voxel) has no GLCM pair: every GLCM feature is NaN. NGTDM of a
/// kernel whose voxels have no neighbour in it: NaN. Flat kernel: glcm Correlation 1, ngtdm Coarseness 1e6, first
/// order Skewness/Kurtosis 0.
///
/// \par Memory and threads
/// Classes are computed one after another; a class keeps its values at ROI voxels only (ROI voxels × its
/// features) and hands out one map at a time to the caller's sink, so the peak is one class's values plus one map
/// whatever the number of features. Voxels are processed in parallel in chunks of `voxel_batch` (values never
/// depend on it or on the thread count: each voxel writes its own slot).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/features/extractor.hpp"
#include "radiogenomics/features/feature_table.hpp"
#include "radiogenomics/features/first_order.hpp"
#include "radiogenomics/features/gldm.hpp"
#include "radiogenomics/features/glcm.hpp"
#include "radiogenomics/features/glrlm.hpp"
#include "radiogenomics/features/glszm.hpp"
#include "radiogenomics/features/ngtdm.hpp"
#include "radiogenomics/features/roi.hpp"
#include "radiogenomics/features/settings.hpp"
#include "radiogenomics/preprocess/discretize.hpp"

namespace radiogenomics::features {

/// PyRadiomics' `voxelSetting` keys, with its defaults.
struct voxel_settings {
    /// `kernelRadius`: kernel half-size in voxels (Chebyshev): 1 = 3×3×3.
    int kernel_radius = 1;
    /// `maskedKernel`: only ROI voxels of a kernel take part (and discretise over the ROI); false = every kernel
    /// voxel (discretise over the crop box).
    bool masked_kernel = true;
    /// `initValue`: value of map voxels outside the ROI. Must be finite.
    double init_value = 0.0;
    /// `voxelBatch`: voxels per parallel work chunk (<= 0: 256). Changes no value.
    long voxel_batch = -1;
};

/// One finished map: PyRadiomics name (`original_glcm_Contrast`) and values on the crop box (or full grid).
struct voxel_map {
    std::string name;
    image<double, 3> values;
};

/// The prepared input of the maps of one image: crop box, its discretised levels and the ROI voxels.
struct voxel_plan {
    std::array<std::size_t, 3> start{};   ///< crop box start in the input grid (x, y, z)
    std::array<std::size_t, 3> size{};    ///< crop box size
    image_geometry<3> geometry;           ///< crop box geometry (places maps exactly on the input)
    image_geometry<3> input_geometry;     ///< the input grid
    std::vector<std::int32_t> levels;     ///< crop box grey levels, x fastest; 0 = not a kernel member
    std::vector<double> values;           ///< crop box intensities, x fastest
    std::vector<std::size_t> roi;         ///< crop box offsets of the ROI voxels (map voxels), x fastest
    std::vector<std::int32_t> present;    ///< grey levels present in the discretisation range
    std::int32_t max_level = 0;           ///< PyRadiomics `Ng`
    std::array<double, 3> spacing{};
    settings options;                     ///< feature settings (distances, force2D, ...)
    voxel_settings voxel;

    std::size_t offset(std::size_t i, std::size_t j, std::size_t k) const { return i + size[0] * (j + size[1] * k); }
};

namespace detail {

inline void check_voxel_settings(const voxel_settings& v, const image_geometry<3>& grid, const char* where)
{
    if (v.kernel_radius < 1) {
        raise<invalid_argument>(where, "kernelRadius: got ", v.kernel_radius,
                                ", expected an integer >= 1 (1 = a 3x3x3 kernel).");
    }
    if (!std::isfinite(v.init_value)) {
        raise<invalid_argument>(where, "initValue: got ", v.init_value,
                                ", expected a finite number (the value of map voxels outside the ROI).");
    }
    const auto side = static_cast<std::size_t>(2 * v.kernel_radius + 1);
    bool fits = false;
    for (std::size_t d = 0; d < 3; ++d) {
        fits = fits || side <= grid.shape()[d];
    }
    if (!fits) {
        raise<invalid_argument>(where, "kernelRadius: got ", v.kernel_radius, " (a kernel of ", side,
                                " voxels per side), expected a kernel no larger than the image (shape ",
                                grid.shape()[0], " x ", grid.shape()[1], " x ", grid.shape()[2],
                                "). Use a smaller kernelRadius.");
    }
}

}  // namespace detail

/// Prepares the maps of `img` (ROI `options.label` of `mask`, re-segmented by `options.resegment_range`):
/// validates, crops and discretises once. Throws what `make_roi` throws, `invalid_argument` for a bad voxel setting
/// (kernel radius < 1, initValue not finite, kernel larger than the image in every axis) or NaN/Inf in an unmasked
/// crop box, and `mask_error` for a one-voxel ROI.
template <class TPixel, class TMask>
voxel_plan make_voxel_plan(const image<TPixel, 3>& img, const image<TMask, 3>& mask, const settings& options,
                           const voxel_settings& voxel)
{
    const char* where = "features.make_voxel_plan";
    detail::check_voxel_settings(voxel, img.geometry(), where);
    const roi_data roi = make_roi(img, mask, options);
    if (roi.values.size() < 2) {
        raise<mask_error>(where, "ROI voxels: got ", roi.values.size(),
                          ", expected at least 2 for voxel-based maps (a one-voxel ROI has no texture).");
    }
    voxel_plan plan;
    plan.options = options;
    plan.voxel = voxel;
    plan.spacing = roi.spacing;
    plan.input_geometry = img.geometry();
    const auto r = static_cast<std::size_t>(voxel.kernel_radius);
    for (std::size_t d = 0; d < 3; ++d) {
        const std::size_t lo = roi.box.lower[d] >= r ? roi.box.lower[d] - r : 0;
        const std::size_t hi = std::min(roi.box.upper[d] + r, img.shape()[d] - 1);
        plan.start[d] = lo;
        plan.size[d] = hi - lo + 1;
    }
    plan.geometry = img.geometry().region(
        {static_cast<std::ptrdiff_t>(plan.start[0]), static_cast<std::ptrdiff_t>(plan.start[1]),
         static_cast<std::ptrdiff_t>(plan.start[2])},
        plan.size);
    const std::size_t n = plan.size[0] * plan.size[1] * plan.size[2];
    plan.values.resize(n);
    for (std::size_t k = 0; k < plan.size[2]; ++k) {
        for (std::size_t j = 0; j < plan.size[1]; ++j) {
            for (std::size_t i = 0; i < plan.size[0]; ++i) {
                plan.values[plan.offset(i, j, k)] =
                    static_cast<double>(img(plan.start[0] + i, plan.start[1] + j, plan.start[2] + k));
            }
        }
    }
    // ROI voxels (texture grid offsets of make_roi -> crop box offsets), in x-fastest order
    const texture_grid& g = roi.grid;
    std::vector<std::size_t> roi_offsets(g.roi_offsets.size());
    for (std::size_t v = 0; v < g.roi_offsets.size(); ++v) {
        const std::size_t o = g.roi_offsets[v];
        const std::size_t gi = o % g.shape[0];
        const std::size_t gj = (o / g.shape[0]) % g.shape[1];
        const std::size_t gk = o / (g.shape[0] * g.shape[1]);
        roi_offsets[v] = plan.offset(gi - g.margin + roi.box.lower[0] - plan.start[0],
                                     gj - g.margin + roi.box.lower[1] - plan.start[1],
                                     gk - g.margin + roi.box.lower[2] - plan.start[2]);
    }
    plan.roi = roi_offsets;
    plan.levels.assign(n, 0);
    if (voxel.masked_kernel) {
        // discretised over the ROI: make_roi's levels
        for (std::size_t v = 0; v < roi_offsets.size(); ++v) {
            plan.levels[roi_offsets[v]] = roi.levels[v];
        }
        plan.present = g.present;
        plan.max_level = g.max_level;
    } else {
        // discretised over the whole crop box (PyRadiomics' maskArray of ones on its cropped image)
        for (std::size_t o = 0; o < n; ++o) {
            if (!std::isfinite(plan.values[o])) {
                raise<invalid_argument>(where, "crop-box voxel ", o, ": got ", plan.values[o],
                                        ", expected a finite intensity (maskedKernel false uses every kernel voxel). "
                                        "Replace NaN/Inf or use maskedKernel true.");
            }
        }
        std::optional<double> ibsi_minimum;
        if (options.ibsi_compliant) {
            ibsi_minimum = options.resegment_range && std::isfinite((*options.resegment_range)[0])
                               ? (*options.resegment_range)[0]
                               : *std::min_element(plan.values.begin(), plan.values.end());
        }
        auto disc = preprocess::discretize_values(plan.values, options.bin_width, options.bin_count,
                                                  std::is_same_v<TPixel, float>, ibsi_minimum);
        plan.levels = std::move(disc.levels);
        plan.max_level = disc.max_level;
        std::vector<char> seen(static_cast<std::size_t>(plan.max_level) + 1, 0);
        for (std::int32_t l : plan.levels) {
            seen[static_cast<std::size_t>(l)] = 1;
        }
        for (std::size_t l = 1; l < seen.size(); ++l) {
            if (seen[l]) {
                plan.present.push_back(static_cast<std::int32_t>(l));
            }
        }
    }
    return plan;
}

namespace detail {

/// Scratch of one worker: the kernel as a small ROI.
struct kernel_workspace {
    roi_data roi;
    std::vector<char> seen;
    glcm_workspace glcm;  ///< GLCM feature buffers, reused from voxel to voxel
};

/// Fills `ws.roi` with the kernel of ROI voxel `centre` (crop box offset): values, levels, a texture grid of the
/// kernel window with a zero border, the kernel's present levels, the discretisation's Ng and the crop box's
/// extent (texture offsets). Returns the number of the discretisation's levels absent from the kernel.
inline std::size_t fill_kernel(const voxel_plan& plan, std::size_t centre, kernel_workspace& ws)
{
    const settings& options = plan.options;
    std::size_t margin = 1;
    for (int d : options.distances) {
        margin = std::max(margin, static_cast<std::size_t>(d));
    }
    const auto r = static_cast<std::ptrdiff_t>(plan.voxel.kernel_radius);
    const std::array<std::size_t, 3> c{centre % plan.size[0], (centre / plan.size[0]) % plan.size[1],
                                       centre / (plan.size[0] * plan.size[1])};
    std::array<std::ptrdiff_t, 3> lo{};
    std::array<std::ptrdiff_t, 3> hi{};
    for (std::size_t d = 0; d < 3; ++d) {
        const bool flat = options.force_2d && static_cast<int>(2 - d) == options.force_2d_dimension;
        const std::ptrdiff_t rd = flat ? 0 : r;
        lo[d] = std::max<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(c[d]) - rd, 0);
        hi[d] = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(c[d]) + rd,
                                         static_cast<std::ptrdiff_t>(plan.size[d]) - 1);
    }
    roi_data& roi = ws.roi;
    texture_grid& grid = roi.grid;
    roi.spacing = plan.spacing;
    grid.margin = margin;
    for (std::size_t d = 0; d < 3; ++d) {
        grid.shape[d] = static_cast<std::size_t>(hi[d] - lo[d] + 1) + 2 * margin;
        grid.crop_extent[d] = plan.size[d];
    }
    grid.levels.assign(grid.shape[0] * grid.shape[1] * grid.shape[2], 0);
    grid.roi_offsets.clear();
    roi.values.clear();
    roi.levels.clear();
    ws.seen.assign(static_cast<std::size_t>(plan.max_level) + 1, 0);
    for (std::ptrdiff_t k = lo[2]; k <= hi[2]; ++k) {
        for (std::ptrdiff_t j = lo[1]; j <= hi[1]; ++j) {
            const std::size_t row = plan.offset(0, static_cast<std::size_t>(j), static_cast<std::size_t>(k));
            const std::size_t grow =
                margin + grid.shape[0] * (static_cast<std::size_t>(j - lo[1]) + margin +
                                          grid.shape[1] * (static_cast<std::size_t>(k - lo[2]) + margin));
            for (std::ptrdiff_t i = lo[0]; i <= hi[0]; ++i) {
                const std::int32_t l = plan.levels[row + static_cast<std::size_t>(i)];
                if (l == 0) {
                    continue;
                }
                const std::size_t o = grow + static_cast<std::size_t>(i - lo[0]);
                grid.levels[o] = l;
                grid.roi_offsets.push_back(o);
                roi.values.push_back(plan.values[row + static_cast<std::size_t>(i)]);
                roi.levels.push_back(l);
                ws.seen[static_cast<std::size_t>(l)] = 1;
            }
        }
    }
    grid.present.clear();
    for (std::size_t l = 1; l < ws.seen.size(); ++l) {
        if (ws.seen[l]) {
            grid.present.push_back(static_cast<std::int32_t>(l));
        }
    }
    grid.max_level = plan.max_level;
    return plan.present.size() - grid.present.size();
}

/// Rows of `table` a selection computes: the default features, or the named ones in table order.
template <std::size_t N>
std::vector<std::size_t> selected_rows(const std::array<feature_info, N>& table, const std::vector<std::string>& names,
                                       const std::string& prefix)
{
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < N; ++r) {
        const bool wanted = names.empty() ? table[r].default_enabled
                                          : std::find(names.begin(), names.end(), table[r].name) != names.end();
        if (wanted) {
            rows.push_back(r);
        }
    }
    for (const auto& n : names) {
        bool found = false;
        for (std::size_t r = 0; r < N; ++r) {
            found = found || n == table[r].name;
        }
        if (!found) {
            raise<invalid_argument>("features.voxel_maps", "feature name '", n, "' for ", prefix,
                                    ": got an unknown name, expected a PyRadiomics feature of that class.");
        }
    }
    return rows;
}

/// All values of class `which` for the kernel in `ws` (absent: levels missing from the kernel, for GLCM MCC).
template <class TValues>
void copy_rows(const TValues& values, const std::vector<std::size_t>& rows, double* out)
{
    for (std::size_t s = 0; s < rows.size(); ++s) {
        out[s] = values[rows[s]];
    }
}

inline void kernel_class_values(feature_class which, kernel_workspace& ws, std::size_t absent,
                                const settings& options, const std::vector<std::size_t>& rows, double* out)
{
    const roi_data& roi = ws.roi;
    switch (which) {
    case feature_class::first_order: copy_rows(first_order_features(roi, options), rows, out); break;
    case feature_class::glcm: {
        glcm_matrices m = glcm_matrix(roi.grid, options);
        m.absent_levels = absent;
        copy_rows(glcm_features(m, ws.glcm), rows, out);
        break;
    }
    case feature_class::glrlm: copy_rows(glrlm_features(glrlm_matrix(roi.grid, options)), rows, out); break;
    case feature_class::glszm: copy_rows(glszm_features(glszm_matrix(roi.grid, options)), rows, out); break;
    case feature_class::gldm: copy_rows(gldm_features(gldm_matrix(roi.grid, options)), rows, out); break;
    case feature_class::ngtdm: copy_rows(ngtdm_features(ngtdm_matrix(roi.grid, options)), rows, out); break;
    default: break;
    }
}

inline std::vector<std::size_t> class_rows(const class_selection& sel, const std::string& prefix)
{
    switch (sel.which) {
    case feature_class::first_order: return selected_rows(first_order_table, sel.names, prefix);
    case feature_class::glcm: return selected_rows(glcm_table, sel.names, prefix);
    case feature_class::glrlm: return selected_rows(glrlm_table, sel.names, prefix);
    case feature_class::glszm: return selected_rows(glszm_table, sel.names, prefix);
    case feature_class::gldm: return selected_rows(gldm_table, sel.names, prefix);
    case feature_class::ngtdm: return selected_rows(ngtdm_table, sel.names, prefix);
    default: return {};
    }
}

inline std::string_view row_name(feature_class which, std::size_t row)
{
    switch (which) {
    case feature_class::first_order: return first_order_table[row].name;
    case feature_class::glcm: return glcm_table[row].name;
    case feature_class::glrlm: return glrlm_table[row].name;
    case feature_class::glszm: return glszm_table[row].name;
    case feature_class::gldm: return gldm_table[row].name;
    case feature_class::ngtdm: return ngtdm_table[row].name;
    default: return {};
    }
}

}  // namespace detail

/// Values of the selected features of one class at every ROI voxel of `plan` (voxel-major: voxel v's values are
/// `[v * rows.size(), (v + 1) * rows.size())`). Parallel over chunks of `voxel_batch` voxels; identical for any
/// thread count and batch size.
inline std::vector<double> voxel_class_values(const voxel_plan& plan, feature_class which,
                                              const std::vector<std::size_t>& rows)
{
    const std::size_t nv = plan.roi.size();
    const std::size_t nf = rows.size();
    std::vector<double> out(nv * nf);
    const std::size_t batch = plan.voxel.voxel_batch > 0 ? static_cast<std::size_t>(plan.voxel.voxel_batch) : 256;
    const auto chunks = static_cast<long>((nv + batch - 1) / batch);
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(chunks));
    RG_PARALLEL_FOR_DYNAMIC
    for (long c = 0; c < chunks; ++c) {
        try {
            detail::kernel_workspace ws;
            const std::size_t first = static_cast<std::size_t>(c) * batch;
            const std::size_t last = std::min(nv, first + batch);
            for (std::size_t v = first; v < last; ++v) {
                const std::size_t absent = detail::fill_kernel(plan, plan.roi[v], ws);
                detail::kernel_class_values(which, ws, absent, plan.options, rows, out.data() + v * nf);
            }
        } catch (...) {
            errors[static_cast<std::size_t>(c)] = std::current_exception();
        }
    }
    detail::rethrow_first(errors);
    return out;
}

/// Options of `for_each_voxel_map`.
struct voxel_map_options {
    /// Image-type prefix of the names (`original`, `wavelet-LLH`, ...).
    std::string image_type = "original";
    /// Feature classes (shape classes are skipped: PyRadiomics has no voxel-based shape).
    std::vector<class_selection> classes = all_classes();
    /// Paste each map into the input grid (init_value outside the crop box) instead of the crop box.
    bool full_grid = false;
    /// Optional progress: (voxels done, voxels total) after each class; the library never prints.
    std::function<void(std::size_t, std::size_t)> on_progress{};
};

/// Computes the maps of `plan` class by class and hands each finished map to `sink(voxel_map&&)` in PyRadiomics'
/// order (classes firstorder, glcm, glrlm, glszm, gldm, ngtdm as selected; features in table order). At most one
/// class's ROI values and one map are held at a time.
template <class TSink>
void for_each_voxel_map(const voxel_plan& plan, const voxel_map_options& options, TSink&& sink)
{
    const feature_class order[] = {feature_class::first_order, feature_class::glcm, feature_class::glrlm,
                                   feature_class::glszm, feature_class::gldm, feature_class::ngtdm};
    std::size_t total = 0;
    for (const auto& sel : options.classes) {
        total += is_shape_class(sel.which) ? 0 : plan.roi.size();
    }
    std::size_t done = 0;
    for (feature_class which : order) {
        for (const auto& sel : options.classes) {
            if (sel.which != which) {
                continue;
            }
            const std::string prefix = options.image_type + "_" +
                                       std::string(feature_class_names[static_cast<std::size_t>(which)]) + "_";
            const std::vector<std::size_t> rows = detail::class_rows(sel, prefix);
            const std::vector<double> values = voxel_class_values(plan, which, rows);
            done += plan.roi.size();
            if (options.on_progress) {
                options.on_progress(done, total);
            }
            const std::size_t nf = rows.size();
            for (std::size_t s = 0; s < nf; ++s) {
                voxel_map map;
                map.name = prefix + std::string(detail::row_name(which, rows[s]));
                if (options.full_grid) {
                    map.values = image<double, 3>(plan.input_geometry, plan.voxel.init_value);
                    for (std::size_t v = 0; v < plan.roi.size(); ++v) {
                        const std::size_t o = plan.roi[v];
                        const std::size_t i = o % plan.size[0];
                        const std::size_t j = (o / plan.size[0]) % plan.size[1];
                        const std::size_t k = o / (plan.size[0] * plan.size[1]);
                        map.values(plan.start[0] + i, plan.start[1] + j, plan.start[2] + k) = values[v * nf + s];
                    }
                } else {
                    map.values = image<double, 3>(plan.geometry, plan.voxel.init_value);
                    double* data = map.values.begin_pointer();
                    for (std::size_t v = 0; v < plan.roi.size(); ++v) {
                        data[plan.roi[v]] = values[v * nf + s];
                    }
                }
                sink(std::move(map));
            }
        }
    }
}

/// Every map of `img` (one image type, already filtered) on the crop box, as a vector (convenient for few
/// features; use `make_voxel_plan` + `for_each_voxel_map` to bound memory).
template <class TPixel, class TMask>
std::vector<voxel_map> extract_voxel_maps(const image<TPixel, 3>& img, const image<TMask, 3>& mask,
                                          const settings& options, const voxel_settings& voxel = {},
                                          const voxel_map_options& map_options = {})
{
    const voxel_plan plan = make_voxel_plan(img, mask, options, voxel);
    std::vector<voxel_map> out;
    for_each_voxel_map(plan, map_options, [&out](voxel_map&& m) { out.push_back(std::move(m)); });
    return out;
}


/// Options of `for_each_image_type_voxel_map`.
struct voxel_extraction_options {
    voxel_settings voxel{};
    bool full_grid = false;  ///< maps on the input grid instead of the crop box
    /// Optional progress: (image types done, image types total, name of the image just started).
    std::function<void(std::size_t, std::size_t, const std::string&)> on_image{};
    /// Optional progress within an image: (voxels done over its classes, total).
    std::function<void(std::size_t, std::size_t)> on_progress{};
};

namespace detail {

/// Calls `f(name, image)` for every image of image type `type` computed on the whole (normalised) image `img`
/// (PyRadiomics applies each filter once to the whole image; `roi_full` is the re-segmented ROI, label 1, for
/// LBP3D). LoG sigmas that PyRadiomics skips are skipped.
template <class TPixel, class F>
void for_each_type_image(const image<TPixel, 3>& img, const image<std::uint8_t, 3>& roi_full,
                         const image_type_settings& type, double whole_max_abs, F&& f)
{
    using filters::image_type;
    switch (type.type) {
    case image_type::original: f(std::string("original"), img); break;
    case image_type::square: f(std::string("square"), filters::square<double>(img, whole_max_abs)); break;
    case image_type::square_root: f(std::string("squareroot"), filters::square_root<double>(img, whole_max_abs)); break;
    case image_type::logarithm: f(std::string("logarithm"), filters::logarithm<double>(img, whole_max_abs)); break;
    case image_type::exponential: f(std::string("exponential"), filters::exponential<double>(img, whole_max_abs)); break;
    case image_type::gradient:
        f(std::string("gradient"), filters::gradient_magnitude<float>(img, type.gradient_use_spacing));
        break;
    case image_type::log:
        for (double sigma : type.sigma) {
            if (!filters::pyradiomics_log_applicable(img.geometry(), sigma)) {
                continue;
            }
            const std::array<std::size_t, 3> zero{0, 0, 0};
            f(filters::log_image_type_name(sigma),
              filters::laplacian_of_gaussian_block<float>(img, sigma, zero, img.shape(), zero, img.shape()));
        }
        break;
    case image_type::wavelet:
        filters::wavelet_undecimated_each(img, type.wavelet, [&](std::size_t, const std::string& band,
                                                                 std::size_t level, const auto& response) {
            f(filters::wavelet_image_type_name(band, level), response);
        });
        break;
    case image_type::lbp3d: {
        auto lbp_options = type.lbp;
        lbp_options.label = 1;
        const filters::lbp3d_result result = filters::local_binary_pattern_3d(img, roi_full, lbp_options);
        for (std::size_t l = 0; l < result.levels.size(); ++l) {
            f(filters::lbp3d_image_type_name(l + 1), result.levels[l]);
        }
        f(filters::lbp3d_image_type_name(0), result.kurtosis);
        break;
    }
    default: break;
    }
}

}  // namespace detail

/// Voxel-based maps of every enabled image type (`options.image_types`, in order) and class: normalisation (if
/// set) and re-segmentation once on the original image, each filter applied once to the whole image, then the maps
/// of each filtered image on its crop box (the re-segmented ROI as mask, as PyRadiomics). Each finished map goes to
/// `sink(voxel_map&&)`; at most one filtered image, one class's ROI values and one map are held at a time.
/// Shape classes are ignored (no voxel-based shape). Throws what `make_voxel_plan` throws; a filtered image with
/// NaN/Inf inside the ROI throws `invalid_argument` naming its image type.
template <class TPixel, class TMask, class TSink>
void for_each_image_type_voxel_map(const image<TPixel, 3>& input, const image<TMask, 3>& mask,
                                   const extractor_settings& options, const voxel_extraction_options& voxel,
                                   TSink&& sink)
{
    const auto body = [&](const auto& img) {
        detail::check_voxel_settings(voxel.voxel, img.geometry(), "features.for_each_image_type_voxel_map");
        const roi_data roi = make_roi(img, mask, options.setting);
        image<std::uint8_t, 3> roi_full(img.geometry(), std::uint8_t{0});
        {
            const image<std::uint8_t, 3> block = detail::roi_mask_block(roi, img.geometry());
            for (std::size_t k = 0; k < block.shape()[2]; ++k) {
                for (std::size_t j = 0; j < block.shape()[1]; ++j) {
                    for (std::size_t i = 0; i < block.shape()[0]; ++i) {
                        roi_full(roi.box.lower[0] + i, roi.box.lower[1] + j, roi.box.lower[2] + k) = block(i, j, k);
                    }
                }
            }
        }
        bool needs_max_abs = false;
        for (const auto& t : options.image_types) {
            needs_max_abs = needs_max_abs || filters::required_margin(t.type, roi.spacing).needs_whole_image_max_abs;
        }
        const double whole_max_abs = needs_max_abs ? filters::max_abs(img) : 0.0;
        settings filtered_settings = options.setting;
        filtered_settings.resegment_range.reset();
        filtered_settings.label = 1;
        filtered_settings.normalize = false;
        settings original_settings = options.setting;
        original_settings.normalize = false;
        std::vector<class_selection> texture;
        for (const auto& sel : options.classes) {
            if (!is_shape_class(sel.which)) {
                texture.push_back(sel);
            }
        }
        for (std::size_t t = 0; t < options.image_types.size(); ++t) {
            image_type_settings type = options.image_types[t];
            // force2D: the wavelet decomposes in-plane (PyRadiomics' getWaveletImage)
            type.wavelet = filters::force_2d_wavelet_options(type.wavelet, options.setting.force_2d,
                                                             options.setting.force_2d_dimension);
            detail::for_each_type_image(img, roi_full, type, whole_max_abs, [&](const std::string& name,
                                                                                const auto& filtered) {
                if (voxel.on_image) {
                    voxel.on_image(t, options.image_types.size(), name);
                }
                voxel_plan plan;
                try {
                    plan = type.type == filters::image_type::original
                               ? make_voxel_plan(filtered, mask, original_settings, voxel.voxel)
                               : make_voxel_plan(filtered, roi_full, filtered_settings, voxel.voxel);
                } catch (const invalid_argument& e) {
                    raise<invalid_argument>("features.for_each_image_type_voxel_map", "image type ", name, ": ",
                                            e.what());
                }
                voxel_map_options mo;
                mo.image_type = name;
                mo.classes = texture;
                mo.full_grid = voxel.full_grid;
                mo.on_progress = voxel.on_progress;
                for_each_voxel_map(plan, mo, sink);
            });
        }
    };
    if (options.setting.normalize) {
        preprocess::normalize_options n;
        n.scale = options.setting.normalize_scale;
        body(preprocess::normalize<double>(input, n));
    } else {
        body(input);
    }
}

}  // namespace radiogenomics::features
