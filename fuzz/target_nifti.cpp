// Fuzz target `nifti`: the bytes as a `.nii` file (`.nii.gz` when they start with the gzip magic) through
// io::read_nifti_header and io::read_nifti as an image (float), a mask (int32) and a 2D slice.
#include "fuzz_support.hpp"

#include <cstdint>

#include "radiogenomics/io/nifti.hpp"

namespace io = radiogenomics::io;

RG_FUZZ_TARGET(nifti)
{
    const bool gz = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
    const std::string path = (rg_fuzz::scratch_dir() / (gz ? "input.nii.gz" : "input.nii")).string();
    rg_fuzz::write_file(path, data, size);
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nifti_header(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nifti<float, 3>(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nifti<std::int32_t, 3>(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nifti<double, 2>(path)); });
    return 0;
}
