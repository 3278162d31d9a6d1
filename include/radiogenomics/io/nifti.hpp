#pragma once
/// \file nifti.hpp
/// \brief NIfTI-1 / NIfTI-2 reading and writing (`.nii`, `.nii.gz`) through the NIfTI C library.
///
/// The only file that includes the NIfTI clib; it needs the `radiogenomics::io` target (Debian's
/// `libnifti2-dev`).
///
/// \par Geometry
/// NIfTI world coordinates are RAS; the library's images are LPS (see `image_geometry.hpp`), so on
/// read the first two rows of the affine (and origin) change sign, and on write they change back.
/// The affine is taken from the sform when `sform_code > 0`, else from the qform when
/// `qform_code > 0`, else from `pixdim` alone (NIfTI "method 1"). Spacing is the column norm of the
/// affine, the direction its normalised columns; an affine with shear is refused.
///
/// \par Intensities
/// Any on-disk integer or real datatype is converted to the requested `TPixel`; `scl_slope` /
/// `scl_inter` are applied when `scl_slope` is non-zero (NIfTI rule). Converting to an integer
/// `TPixel` rounds to nearest and refuses values that do not fit.

#include <nifti2_io.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/pixel_type.hpp"

namespace radiogenomics::io {

/// On-disk format for `write_nifti`.
enum class nifti_format { nifti1, nifti2 };

namespace detail {

struct nifti_deleter {
    void operator()(nifti_image* nim) const { nifti_image_free(nim); }
};
using nifti_pointer = std::unique_ptr<nifti_image, nifti_deleter>;

inline bool ends_with(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline bool has_nifti_extension(const std::string& path)
{
    return ends_with(path, ".nii") || ends_with(path, ".nii.gz");
}

struct fs_path_parent {
    std::string path;
    bool exists;
};

/// The folder part of `path` ("." when there is none) and whether it exists.
inline fs_path_parent parent_folder(const std::string& path)
{
    const std::size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    return {folder, std::filesystem::is_directory(folder)};
}

inline bool file_exists(const std::string& path)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return false;
    }
    std::fclose(file);
    return true;
}

/// Silences the clib's own diagnostics (the library reports through exceptions instead).
inline void quiet_clib() { nifti_set_debug_level(0); }

template <class TPixel>
TPixel convert_value(double value, const std::string& path, std::size_t linear)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        static_cast<void>(path);
        static_cast<void>(linear);
        return static_cast<TPixel>(value);
    } else {
        const double rounded = std::nearbyint(value);
        if (!std::isfinite(value) || rounded < static_cast<double>(std::numeric_limits<TPixel>::lowest()) ||
            rounded > static_cast<double>(std::numeric_limits<TPixel>::max())) {
            raise<io_error>("io.read_nifti", path, ": voxel ", linear, ": got ", value,
                            ", expected a value that fits the requested integer voxel type. Read as float instead.");
        }
        return static_cast<TPixel>(rounded);
    }
}

template <class TDisk, class TPixel, std::size_t VDim>
void copy_voxels(const void* raw, image<TPixel, VDim>& out, double slope, double inter, const std::string& path)
{
    const auto* source = static_cast<const TDisk*>(raw);
    const bool scaled = slope != 0.0 && !(slope == 1.0 && inter == 0.0);
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double value = scaled ? static_cast<double>(source[i]) * slope + inter : static_cast<double>(source[i]);
        out[i] = convert_value<TPixel>(value, path, i);
    }
}

template <class TPixel>
constexpr int datatype_of()
{
    if constexpr (std::is_same_v<TPixel, std::uint8_t> || std::is_same_v<TPixel, bool>) {
        return DT_UINT8;
    } else if constexpr (std::is_same_v<TPixel, std::int8_t>) {
        return DT_INT8;
    } else if constexpr (std::is_same_v<TPixel, std::int16_t>) {
        return DT_INT16;
    } else if constexpr (std::is_same_v<TPixel, std::uint16_t>) {
        return DT_UINT16;
    } else if constexpr (std::is_same_v<TPixel, std::int32_t>) {
        return DT_INT32;
    } else if constexpr (std::is_same_v<TPixel, std::uint32_t>) {
        return DT_UINT32;
    } else if constexpr (std::is_same_v<TPixel, std::int64_t>) {
        return DT_INT64;
    } else if constexpr (std::is_same_v<TPixel, std::uint64_t>) {
        return DT_UINT64;
    } else if constexpr (std::is_same_v<TPixel, float>) {
        return DT_FLOAT32;
    } else if constexpr (std::is_same_v<TPixel, double>) {
        return DT_FLOAT64;
    } else {
        static_assert(sizeof(TPixel) == 0, "write_nifti: unsupported voxel type");
        return 0;
    }
}

}  // namespace detail

/// Reads a NIfTI-1 or NIfTI-2 file (`.nii` / `.nii.gz`) into an `image<TPixel, VDim>`.
///
/// A file with fewer dimensions than `VDim` gets size-1 trailing axes (a 2D slice read as 3D);
/// trailing size-1 axes beyond `VDim` are dropped. Throws `io_error` naming the file for: a missing
/// file, a file that is not NIfTI or is truncated, 4D (or higher) data with more than one volume,
/// complex/RGB datatypes, integer overflow; `geometry_error` for a sheared or degenerate affine.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> read_nifti(const std::string& path)
{
    static_assert(VDim >= 1 && VDim <= 3, "read_nifti supports 1 to 3 spatial dimensions");
    const char* where = "io.read_nifti";
    if (!detail::file_exists(path)) {
        raise<io_error>(where, "'", path, "': the file does not exist or cannot be opened");
    }
    if (!detail::has_nifti_extension(path)) {
        raise<io_error>(where, "'", path, "': got an unknown extension, expected .nii or .nii.gz");
    }
    detail::quiet_clib();
    detail::nifti_pointer nim(nifti_image_read(path.c_str(), 1));
    if (!nim) {
        raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 file (bad header or truncated data)");
    }
    if (nim->data == nullptr) {
        raise<io_error>(where, "'", path, "': the voxel data could not be read (truncated file?)");
    }
    const auto ndim = static_cast<std::size_t>(nim->dim[0]);
    if (ndim < 1 || ndim > 7) {
        raise<io_error>(where, "'", path, "': dim[0]: got ", nim->dim[0], ", expected 1..7");
    }
    for (std::size_t d = VDim; d < ndim; ++d) {
        if (nim->dim[d + 1] > 1) {
            raise<io_error>(where, "'", path, "': got ", ndim, "-D data with dim[", d + 1, "] = ", nim->dim[d + 1],
                            ", expected at most ", VDim, " spatial dimensions (4D/time series are not supported)");
        }
    }

    // Affine in RAS: sform, else qform (the clib fills qto_xyz from pixdim when qform_code is 0).
    const nifti_dmat44& affine = nim->sform_code > 0 ? nim->sto_xyz : nim->qto_xyz;
    typename image_geometry<VDim>::size_type shape{};
    typename image_geometry<VDim>::point_type spacing{};
    typename image_geometry<VDim>::point_type origin{};
    typename image_geometry<VDim>::direction_type direction{};
    for (std::size_t c = 0; c < VDim; ++c) {
        shape[c] = c < ndim ? static_cast<std::size_t>(nim->dim[c + 1]) : 1;
        double norm = 0.0;
        for (std::size_t r = 0; r < 3; ++r) {
            norm += affine.m[r][c] * affine.m[r][c];
        }
        norm = std::sqrt(norm);
        if (!(norm > 0.0) || !std::isfinite(norm)) {
            raise<geometry_error>(where, "'", path, "': spacing of axis ", c, ": got ", norm,
                                  ", expected a finite value > 0 (degenerate affine)");
        }
        spacing[c] = norm;
        for (std::size_t r = 0; r < VDim; ++r) {
            const double lps_sign = r < 2 ? -1.0 : 1.0;
            direction[r][c] = lps_sign * affine.m[r][c] / norm;
        }
    }
    for (std::size_t r = 0; r < VDim; ++r) {
        origin[r] = (r < 2 ? -1.0 : 1.0) * affine.m[r][3];
    }
    image_geometry<VDim> geometry;
    geometry.set_shape(shape);
    try {
        geometry.set_spacing(spacing);
        geometry.set_origin(origin);
        geometry.set_direction(direction);
    } catch (const geometry_error& e) {
        raise<geometry_error>(where, "'", path, "': ", e.what(),
                              " (sheared or oblique-projected affines are not supported)");
    }

    image<TPixel, VDim> out(geometry);
    if (static_cast<std::size_t>(nim->nvox) != out.size()) {
        raise<io_error>(where, "'", path, "': voxel count: got ", nim->nvox, ", expected ", out.size());
    }
    const double slope = nim->scl_slope;
    const double inter = nim->scl_inter;
    switch (nim->datatype) {
    case DT_UINT8: detail::copy_voxels<std::uint8_t>(nim->data, out, slope, inter, path); break;
    case DT_INT8: detail::copy_voxels<std::int8_t>(nim->data, out, slope, inter, path); break;
    case DT_INT16: detail::copy_voxels<std::int16_t>(nim->data, out, slope, inter, path); break;
    case DT_UINT16: detail::copy_voxels<std::uint16_t>(nim->data, out, slope, inter, path); break;
    case DT_INT32: detail::copy_voxels<std::int32_t>(nim->data, out, slope, inter, path); break;
    case DT_UINT32: detail::copy_voxels<std::uint32_t>(nim->data, out, slope, inter, path); break;
    case DT_INT64: detail::copy_voxels<std::int64_t>(nim->data, out, slope, inter, path); break;
    case DT_UINT64: detail::copy_voxels<std::uint64_t>(nim->data, out, slope, inter, path); break;
    case DT_FLOAT32: detail::copy_voxels<float>(nim->data, out, slope, inter, path); break;
    case DT_FLOAT64: detail::copy_voxels<double>(nim->data, out, slope, inter, path); break;
    default:
        raise<io_error>(where, "'", path, "': datatype: got ", nifti_datatype_to_string(nim->datatype),
                        ", expected an integer or real scalar type (complex/RGB are not supported)");
    }
    return out;
}

/// Voxel type stored in a NIfTI file (`other` for complex/RGB and the like); the same enum as NRRD's.
using nifti_pixel_type = pixel_type;

/// What a NIfTI header says about its voxels, without reading them.
struct nifti_header_info {
    nifti_pixel_type pixel_type = nifti_pixel_type::other;
    bool scaled = false;  ///< scl_slope is non-zero and (scl_slope, scl_inter) != (1, 0)
};

/// Reads only the header of a NIfTI-1/NIfTI-2 file (e.g. to pick the `TPixel` of `read_nifti` the way
/// SimpleITK picks its pixel type). Throws `io_error` naming the file when it is missing or not NIfTI.
inline nifti_header_info read_nifti_header(const std::string& path)
{
    const char* where = "io.read_nifti_header";
    if (!detail::file_exists(path)) {
        raise<io_error>(where, "'", path, "': the file does not exist or cannot be opened");
    }
    if (!detail::has_nifti_extension(path)) {
        raise<io_error>(where, "'", path, "': got an unknown extension, expected .nii or .nii.gz");
    }
    detail::quiet_clib();
    detail::nifti_pointer nim(nifti_image_read(path.c_str(), 0));
    if (!nim) {
        raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 header");
    }
    nifti_header_info out;
    switch (nim->datatype) {
    case DT_UINT8: out.pixel_type = nifti_pixel_type::uint8; break;
    case DT_INT8: out.pixel_type = nifti_pixel_type::int8; break;
    case DT_UINT16: out.pixel_type = nifti_pixel_type::uint16; break;
    case DT_INT16: out.pixel_type = nifti_pixel_type::int16; break;
    case DT_UINT32: out.pixel_type = nifti_pixel_type::uint32; break;
    case DT_INT32: out.pixel_type = nifti_pixel_type::int32; break;
    case DT_UINT64: out.pixel_type = nifti_pixel_type::uint64; break;
    case DT_INT64: out.pixel_type = nifti_pixel_type::int64; break;
    case DT_FLOAT32: out.pixel_type = nifti_pixel_type::float32; break;
    case DT_FLOAT64: out.pixel_type = nifti_pixel_type::float64; break;
    default: out.pixel_type = nifti_pixel_type::other; break;
    }
    out.scaled = nim->scl_slope != 0.0 && !(nim->scl_slope == 1.0 && nim->scl_inter == 0.0);
    return out;
}

/// Writes `img` as `.nii` or `.nii.gz` (chosen by the extension), NIfTI-1 by default.
///
/// Geometry is stored in both qform and sform (code 1, scanner anatomical), converted LPS → RAS.
/// The file is written under a temporary name in the same folder and renamed into place, so a
/// failed write never leaves a half-written file under `path`.
template <class TPixel, std::size_t VDim>
void write_nifti(const image<TPixel, VDim>& img, const std::string& path, nifti_format format = nifti_format::nifti1)
{
    static_assert(VDim >= 1 && VDim <= 3, "write_nifti supports 1 to 3 spatial dimensions");
    const char* where = "io.write_nifti";
    if (!detail::has_nifti_extension(path)) {
        raise<io_error>(where, "'", path, "': got an unknown extension, expected .nii or .nii.gz");
    }
    if (img.empty()) {
        raise<invalid_argument>(where, "'", path, "': got an empty image, expected at least one voxel");
    }
    detail::quiet_clib();
    std::array<std::int64_t, 8> dims{};
    dims[0] = static_cast<std::int64_t>(VDim);
    for (std::size_t d = 0; d < 7; ++d) {
        dims[d + 1] = d < VDim ? static_cast<std::int64_t>(img.shape()[d]) : 1;
    }
    detail::nifti_pointer nim(nifti_make_new_nim(dims.data(), detail::datatype_of<TPixel>(), 0));
    if (!nim) {
        raise<io_error>(where, "'", path, "': the NIfTI library could not create a header");
    }
    const auto& g = img.geometry();
    nifti_dmat44 affine{};
    for (std::size_t r = 0; r < 4; ++r) {
        for (std::size_t c = 0; c < 4; ++c) {
            affine.m[r][c] = (r == c) ? 1.0 : 0.0;
        }
    }
    for (std::size_t r = 0; r < 3; ++r) {
        const double ras_sign = r < 2 ? -1.0 : 1.0;
        for (std::size_t c = 0; c < 3; ++c) {
            affine.m[r][c] = (r < VDim && c < VDim) ? ras_sign * g.direction()[r][c] * g.spacing()[c]
                                                    : (r == c ? ras_sign : 0.0);
        }
        affine.m[r][3] = r < VDim ? ras_sign * g.origin()[r] : 0.0;
    }
    for (std::size_t d = 0; d < VDim; ++d) {
        nim->pixdim[d + 1] = g.spacing()[d];
    }
    nim->dx = nim->pixdim[1];
    nim->dy = nim->pixdim[2];
    nim->dz = nim->pixdim[3];
    nim->sform_code = NIFTI_XFORM_SCANNER_ANAT;
    nim->qform_code = NIFTI_XFORM_SCANNER_ANAT;
    nim->sto_xyz = affine;
    nim->sto_ijk = nifti_dmat44_inverse(affine);
    double qfac = 1.0;
    nifti_dmat44_to_quatern(affine, &nim->quatern_b, &nim->quatern_c, &nim->quatern_d, &nim->qoffset_x,
                            &nim->qoffset_y, &nim->qoffset_z, nullptr, nullptr, nullptr, &qfac);
    nim->qfac = qfac;
    nim->qto_xyz = nifti_quatern_to_dmat44(nim->quatern_b, nim->quatern_c, nim->quatern_d, nim->qoffset_x,
                                           nim->qoffset_y, nim->qoffset_z, nim->dx, nim->dy, nim->dz, nim->qfac);
    nim->qto_ijk = nifti_dmat44_inverse(nim->qto_xyz);
    nim->scl_slope = 0.0;
    nim->scl_inter = 0.0;
    nim->xyz_units = NIFTI_UNITS_MM;

    const bool gz = detail::ends_with(path, ".gz");
    const std::string stem = path.substr(0, path.size() - (gz ? 7 : 4));
    const std::string temporary = stem + ".partial" + (gz ? ".nii.gz" : ".nii");
    const detail::fs_path_parent parent = detail::parent_folder(path);
    if (!parent.exists) {
        raise<io_error>(where, "'", path, "': the folder '", parent.path, "' does not exist");
    }
    // The type must be set before the file names: the clib derives single-file layout from it.
    nim->nifti_type = format == nifti_format::nifti2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
    if (nifti_set_filenames(nim.get(), temporary.c_str(), 0, 1) != 0) {
        raise<io_error>(where, "'", path, "': the NIfTI library refused the file name");
    }
    // The clib reads the voxels through nim->data; it does not take ownership while we detach it.
    nim->data = const_cast<TPixel*>(img.begin_pointer());
    std::remove(temporary.c_str());
    nifti_image_write(nim.get());
    nim->data = nullptr;
    if (!detail::file_exists(temporary)) {
        raise<io_error>(where, "'", path, "': the NIfTI library could not write '", temporary, "'");
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        raise<io_error>(where, "'", path, "': cannot rename the temporary file into place");
    }
}

}  // namespace radiogenomics::io
