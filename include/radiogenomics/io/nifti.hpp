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
/// Any on-disk integer or real datatype is converted to the requested `TPixel` (unscaled integers exactly, 64-bit
/// ones included; `read_nifti_header` says which type SimpleITK would give the file); `scl_slope` /
/// `scl_inter` are applied when `scl_slope` is non-zero (NIfTI rule). Converting to an integer
/// `TPixel` (labels) refuses values that are not integers (0.5, NaN; 1e-6 relative slack for scaling
/// round-off) or do not fit. NaN/Inf voxels are kept as stored (the clib's loader would zero them).
/// A `pixdim` of 0 (or non-finite) on a spatial axis is refused (the clib would make it 1).

#include <nifti2_io.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/core/temporary_name.hpp"
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
TPixel convert_value(double value, const std::string& path, std::size_t linear, const char* disk_type)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        static_cast<void>(path);
        static_cast<void>(linear);
        static_cast<void>(disk_type);
        return static_cast<TPixel>(value);
    } else {
        const double rounded = std::nearbyint(value);
        if (!std::isfinite(value) || rounded < static_cast<double>(std::numeric_limits<TPixel>::lowest()) ||
            rounded > static_cast<double>(std::numeric_limits<TPixel>::max())) {
            raise<io_error>("io.read_nifti", "'", path, "': voxel ", linear, ": got ", value,
                            ", expected a value that fits the requested integer voxel type. Read as float instead.");
        }
        // Integer voxels (labels) are read exactly: a real value off an integer (0.5, 1.5) is refused rather
        // than rounded into another label; scaling noise (scl_slope 0.1 x 10 = 1.0000000000000002) is not.
        if (std::fabs(value - rounded) > 1e-6 * std::fmax(1.0, std::fabs(value))) {
            raise<io_error>("io.read_nifti", "'", path, "': voxel ", linear, ": got ", value,
                            ", expected an integer value: the file stores ", disk_type,
                            " voxels and is read as integer labels (a mask), which are not rounded. "
                            "The mask is not integer-valued: threshold or round it first.");
        }
        return static_cast<TPixel>(rounded);
    }
}

/// True when the integer `value` is a value of the integer type `TTo` (compared in integers: no rounding through
/// double, which cannot hold every 64-bit value).
template <class TTo, class TFrom>
constexpr bool integer_fits(TFrom value)
{
    using to_limits = std::numeric_limits<TTo>;
    if constexpr (std::is_signed_v<TFrom> == std::is_signed_v<TTo>) {
        return value >= to_limits::lowest() && value <= to_limits::max();
    } else if constexpr (std::is_signed_v<TFrom>) {
        return value >= 0 && static_cast<std::make_unsigned_t<TFrom>>(value) <= to_limits::max();
    } else {
        return value <= static_cast<std::make_unsigned_t<TTo>>(to_limits::max());
    }
}

template <class TDisk, class TPixel, std::size_t VDim>
void copy_voxels(const unsigned char* raw, image<TPixel, VDim>& out, double slope, double inter,
                 const std::string& path, const char* disk_type)
{
    const bool scaled = slope != 0.0 && !(slope == 1.0 && inter == 0.0);
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i) {
        TDisk stored;
        std::memcpy(&stored, raw + i * sizeof(TDisk), sizeof(TDisk));
        if (!scaled) {
            // Unscaled voxels convert in one step: exactly between integer types (64-bit values beyond 2^53
            // included), with one rounding into a real type (an int64 -> double -> float path would round twice).
            if constexpr (std::is_floating_point_v<TPixel>) {
                out[i] = static_cast<TPixel>(stored);
                continue;
            } else if constexpr (std::is_integral_v<TDisk>) {
                if (!integer_fits<TPixel>(stored)) {
                    raise<io_error>("io.read_nifti", "'", path, "': voxel ", i, ": got ", +stored,
                                    ", expected a value that fits the requested integer voxel type. Read it as ",
                                    disk_type, " or float instead.");
                }
                out[i] = static_cast<TPixel>(stored);
                continue;
            }
        }
        const double value = scaled ? static_cast<double>(stored) * slope + inter : static_cast<double>(stored);
        out[i] = convert_value<TPixel>(value, path, i, disk_type);
    }
}

/// The on-disk header's `pixdim[1..ndim]` as written (the clib replaces 0 and non-finite values by 1 before
/// anyone sees them). Returns false when the header cannot be read again.
inline bool raw_pixdim(const std::string& path, std::array<double, 8>& pixdim)
{
    int version = 0;
    void* header = nifti_read_header(path.c_str(), &version, 0);
    if (header == nullptr) {
        return false;
    }
    for (std::size_t d = 0; d < 8; ++d) {
        pixdim[d] = version == 2 ? static_cast<const nifti_2_header*>(header)->pixdim[d]
                                 : static_cast<const nifti_1_header*>(header)->pixdim[d];
    }
    std::free(header);
    return true;
}

struct znz_closer {
    void operator()(znzptr* file) const
    {
        znzFile f = file;
        znzclose(f);
    }
};

/// Reads the voxel bytes of `nim` (read with its header only) exactly as stored, swapped to the CPU's byte
/// order. The clib's own loader replaces NaN/Inf floats by 0; this one keeps them.
inline std::vector<unsigned char> read_raw_voxels(const nifti_image& nim, const std::string& path)
{
    const char* where = "io.read_nifti";
    if (nim.nbyper <= 0 || nim.nvox <= 0 || nim.iname == nullptr) {
        raise<io_error>(where, "'", path, "': voxel data: got ", nim.nvox, " voxels of ", nim.nbyper,
                        " bytes, expected a non-empty image");
    }
    const auto count = static_cast<std::uint64_t>(nim.nvox);
    const auto bytes_per_voxel = static_cast<std::uint64_t>(nim.nbyper);
    if (count > std::numeric_limits<std::uint64_t>::max() / bytes_per_voxel) {
        raise<io_error>(where, "'", path, "': voxel count: got ", nim.nvox, ", expected a size that fits in memory");
    }
    const std::uint64_t bytes = count * bytes_per_voxel;
    const bool gz = nifti_is_gzfile(nim.iname) != 0;
    if (!gz) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(nim.iname, ec);
        if (!ec && size < static_cast<std::uint64_t>(nim.iname_offset) + bytes) {
            raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 file (truncated data: got ", size,
                            " bytes, expected ", static_cast<std::uint64_t>(nim.iname_offset) + bytes, ")");
        }
    }
    std::unique_ptr<znzptr, znz_closer> file(znzopen(nim.iname, "rb", gz ? 1 : 0));
    if (!file) {
        raise<io_error>(where, "'", path, "': cannot open the voxel data: ", std::strerror(errno));
    }
    if (znzseek(file.get(), static_cast<znz_off_t>(nim.iname_offset), SEEK_SET) < 0) {
        raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 file (truncated data before offset ",
                        nim.iname_offset, ")");
    }
    // Read in chunks, growing the buffer only as data arrives (a gzip stream's length is unknown up front).
    std::vector<unsigned char> data;
    const std::size_t chunk_bytes = std::size_t{64} << 20;
    while (data.size() < bytes) {
        const std::size_t done = data.size();
        const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(bytes - done, chunk_bytes));
        try {
            data.resize(done + chunk);
        } catch (const std::bad_alloc&) {
            raise<io_error>(where, "'", path, "': voxel data: got ", bytes, " bytes (", nim.nvox,
                            " voxels), expected a size that fits in memory");
        }
        const std::size_t got = znzread(data.data() + done, 1, chunk, file.get());
        if (got < chunk) {
            raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 file (truncated data: got ",
                            done + got, " bytes of voxels, expected ", bytes, ")");
        }
    }
    if (nim.swapsize > 1 && nim.byteorder != nifti_short_order()) {
        nifti_swap_Nbytes(nim.nvox, nim.swapsize, data.data());
    }
    return data;
}

/// `errno`'s text, or `fallback` when errno is 0 (zlib can fail without setting it).
inline std::string os_reason(int reason, const char* fallback)
{
    return reason != 0 ? std::string(std::strerror(reason)) : std::string(fallback);
}

/// Writes `header` then `bytes` bytes of voxels to `temporary` (gzip-compressed when `gz`), checks every write,
/// the close and an fsync, then renames it to `path`; on any failure removes the temporary and throws
/// `io_error` naming `path` and the operating system's reason ("No space left on device", "File too large").
inline void write_file_checked(const std::string& path, const std::string& temporary, bool gz,
                               const std::vector<unsigned char>& header, const void* voxels, std::size_t bytes)
{
    const char* where = "io.write_nifti";
    const auto fail = [&](const char* what, int reason, const char* fallback) {
        std::remove(temporary.c_str());
        raise<io_error>(where, "'", path, "': ", what, " '", temporary, "' failed: ", os_reason(reason, fallback),
                        ". Check the free space and permissions of the folder.");
    };
    errno = 0;
    znzFile file = znzopen(temporary.c_str(), "wb", gz ? 1 : 0);
    if (znz_isnull(file)) {
        fail("opening", errno, "cannot create the file");
    }
    const auto write = [&](const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        const std::size_t chunk_bytes = std::size_t{16} << 20;
        for (std::size_t done = 0; done < size;) {
            const std::size_t chunk = std::min(size - done, chunk_bytes);
            errno = 0;
            if (znzwrite(p + done, 1, chunk, file) != chunk) {
                const int reason = errno;
                znzclose(file);
                fail("writing", reason, "short write");
            }
            done += chunk;
        }
    };
    write(header.data(), header.size());
    write(voxels, bytes);
    errno = 0;
    if (znzclose(file) != 0) {  // flushes the stdio/zlib buffers: a full disk often shows here
        fail("closing", errno, "the data could not be flushed");
    }
    const int fd = ::open(temporary.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
        const int reason = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        fail("syncing", reason, "fsync failed");
    }
    ::close(fd);
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        fail("renaming into place", errno, "rename failed");
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
    // Header only: the clib's data loader replaces NaN/Inf by 0, so the voxels are read below as stored.
    detail::nifti_pointer nim(nifti_image_read(path.c_str(), 0));
    if (!nim) {
        raise<io_error>(where, "'", path, "': not a readable NIfTI-1/NIfTI-2 file (bad header or truncated data)");
    }
    const auto ndim = static_cast<std::size_t>(nim->dim[0]);
    if (ndim < 1 || ndim > 7) {
        raise<io_error>(where, "'", path, "': dim[0]: got ", nim->dim[0], ", expected 1..7");
    }
    // pixdim 0 (or NaN/Inf) would silently become spacing 1 in the clib: refuse it, naming the axis.
    std::array<double, 8> pixdim{};
    if (detail::raw_pixdim(path, pixdim)) {
        for (std::size_t d = 0; d < std::min<std::size_t>(ndim, VDim); ++d) {
            if (!(pixdim[d + 1] != 0.0) || !std::isfinite(pixdim[d + 1])) {
                raise<geometry_error>(where, "'", path, "': pixdim[", d + 1, "] (voxel spacing of axis ", d,
                                      "): got ", pixdim[d + 1], ", expected a finite non-zero value. "
                                      "Fix the header's voxel size (e.g. nibabel's header.set_zooms).");
            }
        }
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

    std::size_t voxels = 1;
    for (std::size_t d = 0; d < VDim; ++d) {
        voxels *= shape[d];
    }
    if (static_cast<std::size_t>(nim->nvox) != voxels) {
        raise<io_error>(where, "'", path, "': voxel count: got ", nim->nvox, ", expected ", voxels);
    }
    const double slope = nim->scl_slope;
    const double inter = nim->scl_inter;
    switch (nim->datatype) {
    case DT_UINT8: case DT_INT8: case DT_INT16: case DT_UINT16: case DT_INT32: case DT_UINT32:
    case DT_INT64: case DT_UINT64: case DT_FLOAT32: case DT_FLOAT64: break;
    default:
        raise<io_error>(where, "'", path, "': datatype: got ", nifti_datatype_to_string(nim->datatype),
                        ", expected an integer or real scalar type (complex/RGB are not supported)");
    }
    // Voxels first, image second: a header claiming more voxels than the file holds fails on the data it
    // actually has instead of allocating what the header claims.
    const std::vector<unsigned char> raw = detail::read_raw_voxels(*nim, path);
    image<TPixel, VDim> out(geometry);
    const unsigned char* data = raw.data();
    const char* type = nifti_datatype_to_string(nim->datatype);
    type += std::strncmp(type, "NIFTI_TYPE_", 11) == 0 ? 11 : 0;  // "FLOAT32"
    switch (nim->datatype) {
    case DT_UINT8: detail::copy_voxels<std::uint8_t>(data, out, slope, inter, path, type); break;
    case DT_INT8: detail::copy_voxels<std::int8_t>(data, out, slope, inter, path, type); break;
    case DT_INT16: detail::copy_voxels<std::int16_t>(data, out, slope, inter, path, type); break;
    case DT_UINT16: detail::copy_voxels<std::uint16_t>(data, out, slope, inter, path, type); break;
    case DT_INT32: detail::copy_voxels<std::int32_t>(data, out, slope, inter, path, type); break;
    case DT_UINT32: detail::copy_voxels<std::uint32_t>(data, out, slope, inter, path, type); break;
    case DT_INT64: detail::copy_voxels<std::int64_t>(data, out, slope, inter, path, type); break;
    case DT_UINT64: detail::copy_voxels<std::uint64_t>(data, out, slope, inter, path, type); break;
    case DT_FLOAT32: detail::copy_voxels<float>(data, out, slope, inter, path, type); break;
    default: detail::copy_voxels<double>(data, out, slope, inter, path, type); break;
    }
    return out;
}

/// Voxel type stored in a NIfTI file (`other` for complex/RGB and the like); the same enum as NRRD's.
using nifti_pixel_type = pixel_type;

/// What a NIfTI header says about its voxels, without reading them.
struct nifti_header_info {
    nifti_pixel_type pixel_type = nifti_pixel_type::other;
    bool scaled = false;  ///< scl_slope is non-zero and (scl_slope, scl_inter) != (1, 0)
    /// `dim[0]`: the number of axes the file declares. 2 for a 2-D slice, which SimpleITK (hence PyRadiomics)
    /// reads as a 2-D image; `read_nifti<T, 3>` reads it as a one-slice volume, `read_nifti<T, 2>` as a plane.
    std::size_t dimension = 3;
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
    out.dimension = static_cast<std::size_t>(std::max<long long>(static_cast<long long>(nim->dim[0]), 0));
    return out;
}

/// The pixel type SimpleITK's `ReadImage` (ITK's NiftiImageIO) gives a NIfTI file, which PyRadiomics keeps (LBP3D
/// rounds and clips its B-spline samples to it): the datatype itself — int8 stays int8, uint32 uint32, the 64-bit
/// integers 64-bit — except that a scaled file (`scaled`: ITK applies scl_slope / scl_inter) is float32 unless it
/// stores float64. Checked against ITK 5.2 for every datatype (tests/fixtures/io/pixel_types/itk_pixel_types.csv).
inline pixel_type simpleitk_pixel_type(const nifti_header_info& header)
{
    if (header.scaled && header.pixel_type != pixel_type::float64 && header.pixel_type != pixel_type::other) {
        return pixel_type::float32;
    }
    return header.pixel_type;
}

/// Writes `img` as `.nii` or `.nii.gz` (chosen by the extension), NIfTI-1 by default.
///
/// Geometry is stored in both qform and sform (code 1, scanner anatomical), converted LPS → RAS.
/// The file is written under a unique temporary name in the same folder (every write, the close and an
/// fsync checked) and renamed into place, so a failed write — a full disk, a file-size limit — never leaves
/// a half-written file under `path`; the `io_error` names the file and the operating system's reason.
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
    // Unique per process and call, so two runs writing the same file never share the temporary.
    const std::string temporary = temporary_name(stem) + (gz ? ".nii.gz" : ".nii");
    const detail::fs_path_parent parent = detail::parent_folder(path);
    if (!parent.exists) {
        raise<io_error>(where, "'", path, "': the folder '", parent.path, "' does not exist");
    }
    // The clib builds the header; the bytes are written here, every write and the close checked (the clib's
    // own writer ignores short writes, so a full disk would leave a truncated file that looks complete).
    const bool nifti2 = format == nifti_format::nifti2;
    nim->nifti_type = nifti2 ? NIFTI_FTYPE_NIFTI2_1 : NIFTI_FTYPE_NIFTI1_1;
    nim->iname_offset = nifti2 ? 544 : 352;  // header + the 4-byte extension flag (no extensions)
    std::vector<unsigned char> header;
    if (nifti2) {
        nifti_2_header h{};
        if (nifti_convert_nim2n2hdr(nim.get(), &h) != 0) {
            raise<io_error>(where, "'", path, "': the NIfTI library could not build the NIfTI-2 header");
        }
        header.resize(sizeof(h));
        std::memcpy(header.data(), &h, sizeof(h));
    } else {
        nifti_1_header h{};
        if (nifti_convert_nim2n1hdr(nim.get(), &h) != 0) {
            raise<io_error>(where, "'", path, "': the NIfTI library could not build the NIfTI-1 header");
        }
        header.resize(sizeof(h));
        std::memcpy(header.data(), &h, sizeof(h));
    }
    header.resize(static_cast<std::size_t>(nim->iname_offset), 0);  // extension flag 0 0 0 0
    detail::write_file_checked(path, temporary, gz, header, img.begin_pointer(), img.size() * sizeof(TPixel));
}

}  // namespace radiogenomics::io
