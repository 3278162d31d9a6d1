// Fuzz target `manifest`: the bytes as a study manifest CSV (study/manifest.hpp) through
// study::manifest_source and every row's clinical record. The rows' image files are not read.
#include "fuzz_support.hpp"

#include <string>

#include "radiogenomics/study/manifest.hpp"

namespace study = radiogenomics::study;

RG_FUZZ_TARGET(manifest)
{
    const std::string path = (rg_fuzz::scratch_dir() / "manifest.csv").string();
    rg_fuzz::write_file(path, data, size);
    rg_fuzz::attempt([&] {
        const study::manifest_source source(path);
        static_cast<void>(source.description());
        for (std::size_t i = 0; i < source.size(); ++i) {
            static_cast<void>(source.record(i));
        }
    });
    return 0;
}
