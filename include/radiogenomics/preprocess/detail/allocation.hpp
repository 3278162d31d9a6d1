#pragma once
/// \file allocation.hpp
/// \brief Allocation of large output volumes without a redundant fill, with a transparent-huge-page hint.
///
/// A 512 × 512 × 250 float volume is 262 MB; with 4 KiB pages its first touch costs ~65,000 page faults, which on
/// virtual machines can take longer than the interpolation that fills it. Like NumPy's data allocator
/// (`madvise(MADV_HUGEPAGE)` for buffers ≥ 4 MB on Linux), we ask for 2 MiB pages. The hint changes no result.

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/parallel.hpp"

namespace radiogenomics::preprocess::detail {

/// Advises the kernel to back `[data, data + bytes)` with huge pages (Linux, ≥ 4 MB); no-op elsewhere.
inline void advise_huge_pages(void* data, std::size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
    if (bytes < (std::size_t{4} << 20)) {
        return;
    }
    const auto begin = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1);
    const std::uintptr_t last = (begin + bytes) & ~(huge - 1);
    if (last > first) {
        static_cast<void>(madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE));
    }
#else
    static_cast<void>(data);
    static_cast<void>(bytes);
#endif
}

/// An image whose voxels are left uninitialised (arithmetic `TPixel`; callers overwrite every voxel).
/// `image(geometry, fill)` would write the whole volume once more.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> make_uninitialized_image(const image_geometry<VDim>& geometry)
{
    image<TPixel, VDim> out(geometry, image<TPixel, VDim>::container_type::from_shape(geometry.shape()));
    advise_huge_pages(out.begin_pointer(), out.size() * sizeof(TPixel));
    return out;
}

/// An image filled with `value` (the fill runs in parallel over slices; memory is advised as above).
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> make_filled_image(const image_geometry<VDim>& geometry, TPixel value)
{
    auto out = make_uninitialized_image<TPixel>(geometry);
    const auto n = static_cast<std::ptrdiff_t>(out.size());
    TPixel* data = out.begin_pointer();
    constexpr std::ptrdiff_t block = 1 << 16;
    RG_PARALLEL_FOR
    for (std::ptrdiff_t b = 0; b < (n + block - 1) / block; ++b) {
        const std::ptrdiff_t end = (b + 1) * block < n ? (b + 1) * block : n;
        for (std::ptrdiff_t i = b * block; i < end; ++i) {
            data[i] = value;
        }
    }
    return out;
}

}  // namespace radiogenomics::preprocess::detail
