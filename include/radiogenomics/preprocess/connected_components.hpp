#pragma once
/// \file connected_components.hpp
/// \brief Connected-component labelling of binary masks (4/8 in 2-D, 6/18/26 in 3-D), component sizes,
///        largest component, removal of small components.
///
/// \par Connectivity
/// Two foreground voxels are neighbours when their index offset \f$\delta\f$ has \f$\max|\delta_d| = 1\f$ and
/// \f$\sum|\delta_d| \le m\f$, with \f$m = 1\f$ for 4/6 (faces), \f$m = 2\f$ for 18 (faces and edges) and
/// \f$m = D\f$ for 8/26 (also corners) — SciPy `generate_binary_structure(rank, m)`.
///
/// \par Label order
/// Labels 1…N are numbered in the scan order (x fastest, then y, then z) of each component's first voxel,
/// which is the order `scipy.ndimage.label` gives a NumPy array indexed `[z, y, x]`.
///
/// \par Algorithm
/// Run-based two-pass labelling: each x-row is split into runs of foreground voxels; runs are joined to
/// overlapping runs of the already-scanned neighbour rows with a union–find whose root is always the
/// earliest run; a final pass numbers the roots in scan order and paints the runs (parallel over slices).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"
#include "radiogenomics/preprocess/detail/allocation.hpp"

namespace radiogenomics::preprocess {

/// Result of `label_components`.
template <std::size_t VDim>
struct component_labels {
    label_image<VDim> labels;        ///< 0 = background, 1…count = components
    std::size_t count = 0;           ///< number of components
    std::vector<std::size_t> sizes;  ///< sizes[l] = voxels with label l (sizes[0] = background), length count + 1
};

/// Face connectivity of a dimension: 4 in 2-D, 6 in 3-D (the default of SciPy and ITK).
template <std::size_t VDim>
constexpr int face_connectivity()
{
    return static_cast<int>(2 * VDim);
}

/// Full (corner) connectivity: 8 in 2-D, 26 in 3-D.
template <std::size_t VDim>
constexpr int full_connectivity()
{
    return VDim == 2 ? 8 : 26;
}

namespace detail {

/// Maximum L1 norm of a neighbour offset for a connectivity; throws for an invalid one.
template <std::size_t VDim>
int connectivity_order(int connectivity, const char* where)
{
    static_assert(VDim == 2 || VDim == 3, "connected components are defined for 2-D and 3-D images");
    if constexpr (VDim == 2) {
        if (connectivity == 4) {
            return 1;
        }
        if (connectivity == 8) {
            return 2;
        }
        raise<invalid_argument>(where, "connectivity: got ", connectivity, ", expected 4 or 8 for a 2-D image.");
    } else {
        if (connectivity == 6) {
            return 1;
        }
        if (connectivity == 18) {
            return 2;
        }
        if (connectivity == 26) {
            return 3;
        }
        raise<invalid_argument>(where, "connectivity: got ", connectivity, ", expected 6, 18 or 26 for a 3-D image.");
    }
}

struct run {
    std::int32_t start;
    std::int32_t end;  // inclusive
};

inline std::int32_t find_root(std::vector<std::int32_t>& parent, std::int32_t r)
{
    while (parent[static_cast<std::size_t>(r)] != r) {
        const std::int32_t grand = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(r)])];
        parent[static_cast<std::size_t>(r)] = grand;
        r = grand;
    }
    return r;
}

inline void unite(std::vector<std::int32_t>& parent, std::int32_t a, std::int32_t b)
{
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a < b) {
        parent[static_cast<std::size_t>(b)] = a;
    } else if (b < a) {
        parent[static_cast<std::size_t>(a)] = b;
    }
}

}  // namespace detail

/// Labels the connected components of the non-zero voxels of `mask`.
/// \param connectivity 4 or 8 (2-D); 6, 18 or 26 (3-D). Default: faces (4/6), as SciPy and ITK.
/// \throws invalid_argument for another connectivity.
template <class TMask, std::size_t VDim>
component_labels<VDim> label_components(const image<TMask, VDim>& mask, int connectivity = face_connectivity<VDim>())
{
    const int order = detail::connectivity_order<VDim>(connectivity, "preprocess.label_components");
    const std::ptrdiff_t nx = static_cast<std::ptrdiff_t>(mask.shape()[0]);
    const std::ptrdiff_t ny = static_cast<std::ptrdiff_t>(mask.shape()[1]);
    const std::ptrdiff_t nz = VDim == 3 ? static_cast<std::ptrdiff_t>(mask.shape()[VDim - 1]) : 1;
    const std::ptrdiff_t rows = ny * nz;
    component_labels<VDim> result;
    result.labels = detail::make_filled_image<std::int32_t>(mask.geometry(), 0);
    if (mask.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        raise<invalid_argument>("preprocess.label_components", "mask size: got ", mask.size(),
                                " voxels, expected at most 2^31 - 1.");
    }

    // pass 1: runs per row, collected per slice in parallel then concatenated in order
    std::vector<std::vector<detail::run>> slice_runs(static_cast<std::size_t>(nz));
    std::vector<std::vector<std::int32_t>> slice_row_counts(static_cast<std::size_t>(nz));
    const TMask* m = mask.begin_pointer();
    RG_PARALLEL_FOR
    for (std::ptrdiff_t k = 0; k < nz; ++k) {
        auto& runs = slice_runs[static_cast<std::size_t>(k)];
        auto& counts = slice_row_counts[static_cast<std::size_t>(k)];
        counts.assign(static_cast<std::size_t>(ny), 0);
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            const TMask* row = m + nx * (j + ny * k);
            std::ptrdiff_t i = 0;
            while (i < nx) {
                while (i < nx && row[i] == TMask{}) {
                    ++i;
                }
                if (i == nx) {
                    break;
                }
                const std::ptrdiff_t start = i;
                while (i < nx && row[i] != TMask{}) {
                    ++i;
                }
                runs.push_back({static_cast<std::int32_t>(start), static_cast<std::int32_t>(i - 1)});
                ++counts[static_cast<std::size_t>(j)];
            }
        }
    }
    std::vector<std::size_t> row_begin(static_cast<std::size_t>(rows) + 1, 0);
    std::size_t total = 0;
    for (std::ptrdiff_t k = 0; k < nz; ++k) {
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            row_begin[static_cast<std::size_t>(j + ny * k)] = total;
            total += static_cast<std::size_t>(slice_row_counts[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)]);
        }
    }
    row_begin[static_cast<std::size_t>(rows)] = total;
    std::vector<detail::run> runs;
    runs.reserve(total);
    for (auto& s : slice_runs) {
        runs.insert(runs.end(), s.begin(), s.end());
        std::vector<detail::run>().swap(s);
    }

    // pass 2: union with overlapping runs of the backward neighbour rows
    std::vector<std::int32_t> parent(total);
    for (std::size_t r = 0; r < total; ++r) {
        parent[r] = static_cast<std::int32_t>(r);
    }
    struct neighbour_row {
        std::ptrdiff_t dj;
        std::ptrdiff_t dk;
        std::int32_t extend;  // allowed x offset beyond overlap (0 or 1)
    };
    std::vector<neighbour_row> neighbours;
    // row offsets (dj, dk) scanned before the current row; the x offset may be ±1 when |dj|+|dk|+1 <= order
    const std::ptrdiff_t dk_lo = VDim == 3 ? -1 : 0;
    for (std::ptrdiff_t dk = dk_lo; dk <= 0; ++dk) {
        for (std::ptrdiff_t dj = -1; dj <= 1; ++dj) {
            if (dk == 0 && dj >= 0) {
                continue;
            }
            const int l1 = static_cast<int>((dj != 0) + (dk != 0));
            if (l1 > order) {
                continue;
            }
            neighbours.push_back({dj, dk, l1 + 1 <= order ? 1 : 0});
        }
    }
    for (std::ptrdiff_t k = 0; k < nz; ++k) {
        for (std::ptrdiff_t j = 0; j < ny; ++j) {
            const std::size_t row = static_cast<std::size_t>(j + ny * k);
            const std::size_t b0 = row_begin[row];
            const std::size_t e0 = row_begin[row + 1];
            if (b0 == e0) {
                continue;
            }
            for (const auto& nb : neighbours) {
                const std::ptrdiff_t jj = j + nb.dj;
                const std::ptrdiff_t kk = k + nb.dk;
                if (jj < 0 || jj >= ny || kk < 0) {
                    continue;
                }
                const std::size_t nrow = static_cast<std::size_t>(jj + ny * kk);
                std::size_t p = b0;
                std::size_t q = row_begin[nrow];
                const std::size_t qe = row_begin[nrow + 1];
                while (p < e0 && q < qe) {
                    const auto& a = runs[p];
                    const auto& c = runs[q];
                    if (a.end + nb.extend < c.start) {
                        ++p;
                    } else if (c.end + nb.extend < a.start) {
                        ++q;
                    } else {
                        detail::unite(parent, static_cast<std::int32_t>(p), static_cast<std::int32_t>(q));
                        if (a.end < c.end) {
                            ++p;
                        } else {
                            ++q;
                        }
                    }
                }
            }
        }
    }

    // pass 3: number roots in scan order (the root is the earliest run of its component)
    std::vector<std::int32_t> run_label(total);
    std::int32_t next = 0;
    for (std::size_t r = 0; r < total; ++r) {
        const std::int32_t root = detail::find_root(parent, static_cast<std::int32_t>(r));
        run_label[r] = static_cast<std::size_t>(root) == r ? ++next : run_label[static_cast<std::size_t>(root)];
    }
    result.count = static_cast<std::size_t>(next);
    result.sizes.assign(result.count + 1, 0);
    std::size_t foreground = 0;
    for (std::size_t r = 0; r < total; ++r) {
        const auto len = static_cast<std::size_t>(runs[r].end - runs[r].start + 1);
        result.sizes[static_cast<std::size_t>(run_label[r])] += len;
        foreground += len;
    }
    result.sizes[0] = mask.size() - foreground;
    std::int32_t* out = result.labels.begin_pointer();
    RG_PARALLEL_FOR
    for (std::ptrdiff_t row = 0; row < rows; ++row) {
        std::int32_t* line = out + nx * row;
        for (std::size_t r = row_begin[static_cast<std::size_t>(row)]; r < row_begin[static_cast<std::size_t>(row) + 1];
             ++r) {
            std::fill(line + runs[r].start, line + runs[r].end + 1, run_label[r]);
        }
    }
    return result;
}

/// Mask (0/1) of the largest component; ties go to the component met first in scan order.
/// \throws mask_error for an empty mask.
template <class TMask, std::size_t VDim>
mask_image<VDim> largest_component(const image<TMask, VDim>& mask, int connectivity = face_connectivity<VDim>())
{
    const auto cc = label_components(mask, connectivity);
    if (cc.count == 0) {
        raise<mask_error>("preprocess.largest_component", "mask: got no non-zero voxel among ", mask.size(),
                          ", expected at least one. The mask is empty.");
    }
    std::size_t best = 1;
    for (std::size_t l = 2; l <= cc.count; ++l) {
        if (cc.sizes[l] > cc.sizes[best]) {
            best = l;
        }
    }
    mask_image<VDim> out(mask.geometry(), 0);
    const auto target = static_cast<std::int32_t>(best);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = cc.labels[i] == target ? 1 : 0;
    }
    return out;
}

/// Mask (0/1) keeping only components with at least `min_voxels` voxels (an empty result is allowed).
template <class TMask, std::size_t VDim>
mask_image<VDim> remove_small_components(const image<TMask, VDim>& mask, std::size_t min_voxels,
                                         int connectivity = face_connectivity<VDim>())
{
    const auto cc = label_components(mask, connectivity);
    std::vector<std::uint8_t> keep(cc.count + 1, 0);
    for (std::size_t l = 1; l <= cc.count; ++l) {
        keep[l] = cc.sizes[l] >= min_voxels ? 1 : 0;
    }
    auto out = detail::make_uninitialized_image<std::uint8_t>(mask.geometry());  // every voxel written below
    const std::size_t n = out.size();
    RG_PARALLEL_FOR
    for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(n); ++i) {
        out[static_cast<std::size_t>(i)] = keep[static_cast<std::size_t>(cc.labels[static_cast<std::size_t>(i)])];
    }
    return out;
}

/// Mask (0/1) keeping only components whose volume (voxels × voxel volume, mm³) is at least `min_volume_mm3`.
/// \throws invalid_argument for a negative or non-finite volume.
template <class TMask, std::size_t VDim>
mask_image<VDim> remove_small_components_by_volume(const image<TMask, VDim>& mask, double min_volume_mm3,
                                                   int connectivity = face_connectivity<VDim>())
{
    if (!(min_volume_mm3 >= 0.0) || !std::isfinite(min_volume_mm3)) {
        raise<invalid_argument>("preprocess.remove_small_components_by_volume", "min_volume_mm3: got ",
                                min_volume_mm3, ", expected a finite value >= 0.");
    }
    const double voxels = min_volume_mm3 / mask.geometry().voxel_volume();
    // keep size * volume >= min  <=>  size >= ceil(min / volume) (with a relative tolerance for exact multiples)
    const auto min_voxels = static_cast<std::size_t>(std::ceil(voxels * (1.0 - 1e-12)));
    return remove_small_components(mask, min_voxels, connectivity);
}

}  // namespace radiogenomics::preprocess
