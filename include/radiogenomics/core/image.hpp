#pragma once
/// \file image.hpp
/// \brief `image<TPixel, VDim>`: voxels in an xtensor container with their physical geometry.
///
/// \par Storage and axis order
/// Index `(i, j, k)` addresses physical axes (x, y, z) in that order, and spacing[d] pairs with
/// shape[d]. Voxels are stored column-major (i fastest), the memory order of NIfTI and ITK, so the
/// linear offset of `(i, j, k)` is `i + nx * (j + ny * k)` and files map to memory without a
/// transpose. `data()` exposes the xtensor container for vectorised expressions.
///
/// \par Physical convention
/// LPS millimetres; see `image_geometry.hpp`.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image_geometry.hpp"
#include "radiogenomics/core/xtensor.hpp"

namespace radiogenomics {

/// A `VDim`-dimensional image of `TPixel` voxels with spacing, origin and direction.
template <class TPixel, std::size_t VDim>
class image {
public:
    static constexpr std::size_t dimension = VDim;
    using pixel_type = TPixel;
    using geometry_type = image_geometry<VDim>;
    using container_type = xt::xtensor<TPixel, VDim, xt::layout_type::column_major>;
    using size_type = typename geometry_type::size_type;
    using index_type = typename geometry_type::index_type;
    using point_type = typename geometry_type::point_type;

    image() = default;

    /// An image on `geometry` with every voxel set to `fill`.
    explicit image(const geometry_type& geometry, TPixel fill = TPixel{})
        : m_geometry(geometry), m_data(container_type::from_shape(geometry.shape()))
    {
        m_data.fill(fill);
    }

    /// An image on `geometry` holding `data`; throws `geometry_error` if the shapes differ.
    image(const geometry_type& geometry, container_type data) : m_geometry(geometry), m_data(std::move(data))
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (m_data.shape()[d] != geometry.shape()[d]) {
                raise<geometry_error>("core.image", "data shape[", d, "]: got ", m_data.shape()[d], ", expected ",
                                      geometry.shape()[d], " (the geometry's shape).");
            }
        }
    }

    const geometry_type& geometry() const { return m_geometry; }
    const size_type& shape() const { return m_geometry.shape(); }
    const point_type& spacing() const { return m_geometry.spacing(); }
    const point_type& origin() const { return m_geometry.origin(); }
    std::size_t size() const { return m_data.size(); }
    bool empty() const { return m_data.size() == 0; }

    /// Replaces spacing/origin/direction; the shape must stay the same.
    void set_geometry(const geometry_type& geometry)
    {
        if (geometry.shape() != m_geometry.shape()) {
            raise<geometry_error>("core.image.set_geometry", "shape: got ", geometry.describe(),
                                  ", expected the image's shape ", m_geometry.describe(), ".");
        }
        m_geometry = geometry;
    }

    /// The voxel container (column-major). Do not resize it; assign values freely.
    container_type& data() { return m_data; }
    const container_type& data() const { return m_data; }

    /// Contiguous voxel storage in column-major order.
    TPixel* begin_pointer() { return m_data.data(); }
    const TPixel* begin_pointer() const { return m_data.data(); }

    template <class... TIndex>
    TPixel& operator()(TIndex... index)
    {
        static_assert(sizeof...(TIndex) == VDim, "one index per dimension");
        return m_data(static_cast<std::size_t>(index)...);
    }

    template <class... TIndex>
    const TPixel& operator()(TIndex... index) const
    {
        static_assert(sizeof...(TIndex) == VDim, "one index per dimension");
        return m_data(static_cast<std::size_t>(index)...);
    }

    /// Voxel at an index array; throws `geometry_error` naming the index and the shape when it lies outside.
    TPixel& at(const index_type& index)
    {
        check_inside(index);
        return m_data.data()[offset(index)];
    }
    const TPixel& at(const index_type& index) const
    {
        check_inside(index);
        return m_data.data()[offset(index)];
    }

    /// Voxel at an index array without a bounds check, for hot loops whose indices are inside by construction.
    TPixel& unchecked(const index_type& index) { return m_data.data()[offset(index)]; }
    const TPixel& unchecked(const index_type& index) const { return m_data.data()[offset(index)]; }

    /// True when every component of `index` lies in [0, shape[d]).
    bool contains(const index_type& index) const
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (index[d] < 0 || static_cast<std::size_t>(index[d]) >= m_geometry.shape()[d]) {
                return false;
            }
        }
        return true;
    }

    /// Voxel at a linear column-major offset.
    TPixel& operator[](std::size_t linear) { return m_data.data()[linear]; }
    const TPixel& operator[](std::size_t linear) const { return m_data.data()[linear]; }

    /// Linear column-major offset of an index.
    std::size_t offset(const index_type& index) const
    {
        std::size_t linear = 0;
        for (std::size_t d = VDim; d-- > 0;) {
            linear = linear * m_geometry.shape()[d] + static_cast<std::size_t>(index[d]);
        }
        return linear;
    }

    /// Index of a linear column-major offset.
    index_type index_of(std::size_t linear) const
    {
        index_type index{};
        for (std::size_t d = 0; d < VDim; ++d) {
            index[d] = static_cast<std::ptrdiff_t>(linear % m_geometry.shape()[d]);
            linear /= m_geometry.shape()[d];
        }
        return index;
    }

    /// Physical point of an integer index.
    point_type index_to_physical(const index_type& index) const { return m_geometry.index_to_physical(index); }
    /// Continuous index of a physical point.
    point_type physical_to_index(const point_type& point) const { return m_geometry.physical_to_index(point); }

    /// A copy of the block of `size` voxels starting at `start` (geometry follows: origin moves).
    /// Throws `geometry_error` if the block leaves the image.
    image region(const index_type& start, const size_type& size) const
    {
        for (std::size_t d = 0; d < VDim; ++d) {
            if (start[d] < 0 || static_cast<std::size_t>(start[d]) + size[d] > shape()[d]) {
                raise<geometry_error>("core.image.region", "block on axis ", d, ": got start ", start[d], " size ",
                                      size[d], ", expected it inside [0, ", shape()[d], ").");
            }
        }
        image out(m_geometry.region(start, size));
        index_type source{};
        const std::size_t n = out.size();
        for (std::size_t linear = 0; linear < n; ++linear) {
            const index_type local = out.index_of(linear);
            for (std::size_t d = 0; d < VDim; ++d) {
                source[d] = local[d] + start[d];
            }
            out[linear] = unchecked(source);
        }
        return out;
    }

private:
    void check_inside(const index_type& index) const
    {
        if (!contains(index)) {
            std::string text = "(";
            for (std::size_t d = 0; d < VDim; ++d) {
                text += (d ? ", " : "") + std::to_string(index[d]);
            }
            raise<geometry_error>("core.image.at", "index: got ", text + ")", ", expected it inside the shape ",
                                  m_geometry.describe(), ". Use unchecked() only for indices known to be inside.");
        }
    }

    geometry_type m_geometry;
    container_type m_data;
};

/// Binary mask (0 = outside, non-zero = inside, or labels 1..255).
template <std::size_t VDim>
using mask_image = image<std::uint8_t, VDim>;

/// Connected-component labels (0 = background).
template <std::size_t VDim>
using label_image = image<std::int32_t, VDim>;

/// A new image with `source`'s geometry, every voxel `fill`.
template <class TOut, class TIn, std::size_t VDim>
image<TOut, VDim> make_image_like(const image<TIn, VDim>& source, TOut fill = TOut{})
{
    return image<TOut, VDim>(source.geometry(), fill);
}

/// Converts voxel type with `static_cast` (geometry kept).
template <class TOut, class TIn, std::size_t VDim>
image<TOut, VDim> cast_image(const image<TIn, VDim>& source)
{
    image<TOut, VDim> out(source.geometry());
    const std::size_t n = source.size();
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<TOut>(source[i]);
    }
    return out;
}

/// A 2-D image as a one-slice volume: shape (nx, ny, 1), spacing (sx, sy, `slice_thickness`), the in-plane
/// direction embedded with z = (0, 0, 1), origin z 0. Voxels are copied in the same column-major order.
template <class TPixel>
image<TPixel, 3> to_slice_volume(const image<TPixel, 2>& plane, double slice_thickness = 1.0)
{
    const auto& g = plane.geometry();
    image_geometry<3>::direction_type direction{};
    for (std::size_t r = 0; r < 2; ++r) {
        for (std::size_t c = 0; c < 2; ++c) {
            direction[r][c] = g.direction()[r][c];
        }
    }
    direction[2][2] = 1.0;
    const image_geometry<3> volume_grid({g.shape()[0], g.shape()[1], 1}, {g.spacing()[0], g.spacing()[1], slice_thickness},
                                        {g.origin()[0], g.origin()[1], 0.0}, direction);
    image<TPixel, 3> out(volume_grid);
    std::copy(plane.begin_pointer(), plane.begin_pointer() + plane.size(), out.begin_pointer());
    return out;
}

/// The inverse of `to_slice_volume`: a volume one slice thick along z as a 2-D image (in-plane spacing, origin and
/// direction kept). Throws `geometry_error` when shape[2] is not 1 or the z axis is oblique to the plane.
template <class TPixel>
image<TPixel, 2> to_plane(const image<TPixel, 3>& volume)
{
    const char* where = "core.to_plane";
    const auto& g = volume.geometry();
    if (g.shape()[2] != 1) {
        raise<geometry_error>(where, "slices along z: got ", g.shape()[2], ", expected 1 (a one-slice volume).");
    }
    image_geometry<2>::direction_type direction{};
    for (std::size_t r = 0; r < 2; ++r) {
        for (std::size_t c = 0; c < 2; ++c) {
            direction[r][c] = g.direction()[r][c];
        }
        if (std::abs(g.direction()[2][r]) > 1e-6 || std::abs(g.direction()[r][2]) > 1e-6) {
            raise<geometry_error>(where, "direction: got ", g.describe(),
                                  ", expected an in-plane x-y grid (z axis along (0, 0, 1)).");
        }
    }
    const image_geometry<2> plane_grid({g.shape()[0], g.shape()[1]}, {g.spacing()[0], g.spacing()[1]},
                                       {g.origin()[0], g.origin()[1]}, direction);
    image<TPixel, 2> out(plane_grid);
    std::copy(volume.begin_pointer(), volume.begin_pointer() + volume.size(), out.begin_pointer());
    return out;
}

/// Throws `invalid_argument` naming the first NaN/Inf voxel (floating-point images only).
template <class TPixel, std::size_t VDim>
void require_finite(const image<TPixel, VDim>& img, const std::string& where, const char* name = "image")
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        const std::size_t n = img.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(img[i])) {
                const auto index = img.index_of(i);
                std::string text = "(";
                for (std::size_t d = 0; d < VDim; ++d) {
                    text += (d ? ", " : "") + std::to_string(index[d]);
                }
                text += ")";
                raise<invalid_argument>(where, name, " voxel ", text, ": got ", img[i],
                                        ", expected a finite value. Replace NaN/Inf before processing.");
            }
        }
    } else {
        static_cast<void>(img);
        static_cast<void>(where);
        static_cast<void>(name);
    }
}

/// Number of voxels where `mask` equals `label` (or is non-zero when `label == 0`).
template <class TMask, std::size_t VDim>
std::size_t count_label(const image<TMask, VDim>& mask, TMask label = TMask{})
{
    std::size_t count = 0;
    const std::size_t n = mask.size();
    for (std::size_t i = 0; i < n; ++i) {
        count += label == TMask{} ? (mask[i] != TMask{}) : (mask[i] == label);
    }
    return count;
}

}  // namespace radiogenomics
