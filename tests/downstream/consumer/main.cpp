// Downstream consumer: uses the core image model, the header-only CSV writer and SVG plots, and each linked
// component (NIfTI; NRRD and DICOM when their targets define RG_HAVE_NRRD / RG_HAVE_DICOM; the study
// application when the consumer requires it: CONSUMER_USES_STUDY); exits non-zero on failure.
#include <cstdio>
#include <filesystem>
#include <string>

#include "radiogenomics/core.hpp"
#include "radiogenomics/io/csv.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/report.hpp"
#if defined(RG_HAVE_NRRD)
#include "radiogenomics/io/nrrd.hpp"
#endif
#if defined(RG_HAVE_DICOM)
#include "radiogenomics/io/dicom.hpp"
#endif
#if defined(CONSUMER_USES_STUDY)
// light study headers only (the whole pipeline takes minutes to compile); linking radiogenomics::study
// already needs its declared dependencies (NIfTI, nlohmann-json) to be found
#include "radiogenomics/study/report_folder.hpp"
#include "radiogenomics/study/study_options.hpp"
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
    const std::string csv_path = (std::filesystem::temp_directory_path() / "rg_consumer.csv").string();
    rg::io::csv_writer csv({"a", "b"});
    csv.add_row({"1", "x,y"});
    csv.save(csv_path);
    const auto table = rg::io::read_csv(csv_path);
    std::filesystem::remove(csv_path);
    ok = ok && table.rows.size() == 1 && table.rows[0][1] == "x,y";
    ok = ok && rg::report::svg_scatter({{0.0, 1.0, 0, "p"}}).find("<svg") != std::string::npos;
#if defined(CONSUMER_USES_STUDY)
    ok = ok && rg::study::study_options{}.out_dir == "report" &&
         rg::study::detail::staging_pid(".report.partial-12-3", "report") == 12;
    components += " study";
#endif
#if defined(__SANITIZE_ADDRESS__)
    components += "; AddressSanitizer";  // GCC's macro; run_downstream.cmake checks it under the asan preset
#endif
    std::printf("consumer: radiogenomics %s %s (%s)\n", rg::version_string, ok ? "ok" : "FAILED", components.c_str());
    return ok ? 0 : 1;
}
