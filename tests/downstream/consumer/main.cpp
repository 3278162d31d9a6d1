// Downstream consumer: uses the core image model and each linked I/O component (NIfTI; NRRD and DICOM when
// their targets define RG_HAVE_NRRD / RG_HAVE_DICOM); exits non-zero on failure.
#include <cstdio>
#include <filesystem>
#include <string>

#include "radiogenomics/core.hpp"
#include "radiogenomics/io/nifti.hpp"
#if defined(RG_HAVE_NRRD)
#include "radiogenomics/io/nrrd.hpp"
#endif
#if defined(RG_HAVE_DICOM)
#include "radiogenomics/io/dicom.hpp"
#endif

int main()
{
    namespace rg = radiogenomics;
    rg::image<float, 3> img(rg::image_geometry<3>({4, 3, 2}, {1.0, 2.0, 3.0}, {0.0, 0.0, 0.0}), 2.5f);
    const std::string path = (std::filesystem::temp_directory_path() / "rg_consumer.nii.gz").string();
    rg::io::write_nifti(img, path);
    const auto back = rg::io::read_nifti<float, 3>(path);
    std::filesystem::remove(path);
    bool ok = back.geometry().same_grid(img.geometry()) && back(3, 2, 1) == 2.5f;
    std::string components = "io";
#if defined(RG_HAVE_NRRD)
    const std::string nrrd_path = (std::filesystem::temp_directory_path() / "rg_consumer.nrrd").string();
    rg::io::write_nrrd(img, nrrd_path);
    const auto nrrd_back = rg::io::read_nrrd<float, 3>(nrrd_path);
    std::filesystem::remove(nrrd_path);
    ok = ok && nrrd_back.geometry().same_grid(img.geometry()) && nrrd_back(3, 2, 1) == 2.5f;
    components += " nrrd";
#endif
#if defined(RG_HAVE_DICOM)
    try {
        rg::io::scan_dicom_folder(std::filesystem::temp_directory_path().string() + "/rg_consumer_no_dicom_here");
        ok = false;
    } catch (const rg::io_error&) {
        // expected: the folder does not exist
    }
    components += " dicom";
#endif
    std::printf("consumer: radiogenomics %s %s (%s)\n", rg::version_string, ok ? "ok" : "FAILED", components.c_str());
    return ok ? 0 : 1;
}
