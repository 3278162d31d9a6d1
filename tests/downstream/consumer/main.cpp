// Downstream consumer: uses the core image model and the NIfTI component; exits non-zero on failure.
#include <cstdio>
#include <filesystem>

#include "radiogenomics/core.hpp"
#include "radiogenomics/io/nifti.hpp"

int main()
{
    namespace rg = radiogenomics;
    rg::image<float, 3> img(rg::image_geometry<3>({4, 3, 2}, {1.0, 2.0, 3.0}, {0.0, 0.0, 0.0}), 2.5f);
    const std::string path = (std::filesystem::temp_directory_path() / "rg_consumer.nii.gz").string();
    rg::io::write_nifti(img, path);
    const auto back = rg::io::read_nifti<float, 3>(path);
    std::filesystem::remove(path);
    const bool ok = back.geometry().same_grid(img.geometry()) && back(3, 2, 1) == 2.5f;
    std::printf("consumer: radiogenomics %s %s\n", rg::version_string, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
