#pragma once
// A NIfTI-1 file built byte by byte, independently of the NIfTI C library and of radiogenomics::io, for
// tests that need values or header fields the clib would "fix" (NaN/Inf voxels, pixdim 0, float masks).
//
// Layout: the NIfTI-1 standard's `struct nifti_1_header` (nifti1.h, 348 bytes, offsets below), 4 zero
// extension bytes, then the voxels at vox_offset 352 (single-file ".nii", little-endian as on x86).
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace rg_test {

struct nifti_bytes_options {
    std::int16_t dim[3] = {3, 2, 2};
    float pixdim[3] = {2.0f, 3.0f, 4.0f};
    bool sform = true;  ///< sform_code 1 with srow = diag(pixdim) (RAS); otherwise qform 0 / sform 0 (pixdim only)
};

/// Bytes of a float32 NIfTI-1 volume holding `values` (i fastest).
inline std::vector<char> nifti1_float32_bytes(const std::vector<float>& values, const nifti_bytes_options& o = {})
{
    std::vector<char> b(352, 0);
    const auto put = [&](std::size_t offset, const auto value) { std::memcpy(b.data() + offset, &value, sizeof(value)); };
    put(0, std::int32_t{348});              // sizeof_hdr
    put(40, std::int16_t{3});               // dim[0]
    for (std::size_t d = 0; d < 3; ++d) {
        put(42 + 2 * d, o.dim[d]);          // dim[1..3]
        put(80 + 4 * d, o.pixdim[d]);       // pixdim[1..3]
    }
    for (std::size_t d = 4; d < 8; ++d) {
        put(40 + 2 * d, std::int16_t{1});   // dim[4..7]
    }
    put(70, std::int16_t{16});              // datatype DT_FLOAT32
    put(72, std::int16_t{32});              // bitpix
    put(76, 1.0f);                          // pixdim[0] = qfac
    put(108, 352.0f);                       // vox_offset
    put(123, char{2});                      // xyzt_units: mm
    if (o.sform) {
        put(254, std::int16_t{1});          // sform_code: scanner
        put(280, o.pixdim[0]);              // srow_x[0]
        put(296 + 4, o.pixdim[1]);          // srow_y[1]
        put(312 + 8, o.pixdim[2]);          // srow_z[2]
    }
    std::memcpy(b.data() + 344, "n+1\0", 4);  // magic
    const std::size_t start = b.size();
    b.resize(start + 4 * values.size());
    std::memcpy(b.data() + start, values.data(), 4 * values.size());
    return b;
}

inline void write_nifti1_float32(const std::string& path, const std::vector<float>& values,
                                 const nifti_bytes_options& o = {})
{
    const auto bytes = nifti1_float32_bytes(values, o);
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace rg_test
