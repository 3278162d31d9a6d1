// Fuzz target `nrrd`: the bytes as a `.nrrd` file through io::read_nrrd_header, io::read_nrrd (image and
// mask), and the Slicer segmentation readers (io::read_nrrd_segments, io::read_nrrd_segment by name and number).
#include "fuzz_support.hpp"

#include <cstdint>

#include "radiogenomics/io/nrrd.hpp"

namespace io = radiogenomics::io;

RG_FUZZ_TARGET(nrrd)
{
    const std::string path = (rg_fuzz::scratch_dir() / "input.nrrd").string();
    rg_fuzz::write_file(path, data, size);
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd_header(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd<float, 3>(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd<std::int32_t, 3>(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd_segments(path)); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd_segment<3>(path, "tumour")); });
    rg_fuzz::attempt([&] { static_cast<void>(io::read_nrrd_segment<3>(path, "1")); });
    return 0;
}
