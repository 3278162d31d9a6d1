// Fuzz target `dicom`: the bytes are one or more DICOM files separated by the line "RGFUZZ-NEXT-FILE\n"
// (so a seed can hold a whole series), written to a fresh folder. The folder goes through the series reader
// (io::scan_dicom_folder, io::read_dicom_image as float and int32, io::read_pet_suv_info / io::read_dicom_suv),
// and every file through the RTSTRUCT and SEG readers (io::read_rtstruct_rois / io::read_rtstruct_mask,
// io::read_dicom_seg_info / io::read_dicom_seg_mask) on the series' grid when it has one, else on a small grid.
#include "fuzz_support.hpp"

#include <cstdint>
#include <optional>

#include "radiogenomics/io/dicom.hpp"

namespace io = radiogenomics::io;

RG_FUZZ_TARGET(dicom)
{
    const std::filesystem::path folder = rg_fuzz::fresh_folder("dicom");
    const auto parts = rg_fuzz::split_files(data, size, "RGFUZZ-NEXT-FILE\n");
    std::vector<std::string> files;
    for (std::size_t i = 0; i < parts.size() && i < 16; ++i) {
        files.push_back((folder / ("file_" + std::to_string(100 + i) + ".dcm")).string());
        rg_fuzz::write_file(files.back(), parts[i].data(), parts[i].size());
    }
    std::optional<radiogenomics::image_geometry<3>> grid;
    rg_fuzz::attempt([&] {
        const auto series = io::select_dicom_series(io::scan_dicom_folder(folder.string()), "", folder.string());
        static_cast<void>(io::dicom_pixel_type(series));
        grid = io::dicom_series_layout(series).geometry;
        rg_fuzz::attempt([&] { static_cast<void>(io::read_dicom_series<float>(series)); });
        rg_fuzz::attempt([&] { static_cast<void>(io::read_dicom_series<std::int32_t>(series)); });
        rg_fuzz::attempt([&] { static_cast<void>(io::read_dicom_suv(series, io::suv_type::lean_body_mass)); });
    });
    if (!grid) {
        radiogenomics::image_geometry<3> small;
        small.set_shape({8, 8, 4});
        grid = small;
    }
    for (const auto& file : files) {
        rg_fuzz::attempt([&] { static_cast<void>(io::dicom_file_modality(file)); });
        rg_fuzz::attempt([&] { static_cast<void>(io::read_rtstruct_mask(file, "1", *grid)); });
        rg_fuzz::attempt([&] { static_cast<void>(io::read_dicom_seg_mask(file, "1", *grid)); });
        rg_fuzz::attempt([&] { static_cast<void>(io::read_dicom_seg_info(file)); });
    }
    return 0;
}
