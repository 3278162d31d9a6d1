// Fuzz target `parameters`: the bytes as a PyRadiomics parameter file (YAML or JSON; examples/support/
// pyradiomics_params.hpp) through pyradiomics::read_parameter_file, and as one `--setting NAME:VALUE` override.
#include "fuzz_support.hpp"

#include <string>

#include "support/pyradiomics_params.hpp"

namespace pr = radiogenomics::pyradiomics;

RG_FUZZ_TARGET(parameters)
{
    const std::string path = (rg_fuzz::scratch_dir() / "params.yaml").string();
    rg_fuzz::write_file(path, data, size);
    rg_fuzz::attempt([&] {
        const pr::parameter_set p = pr::read_parameter_file(path);
        if (p.uniform_settings()) {
            static_cast<void>(p.extractor());
        }
    });
    const std::string text(reinterpret_cast<const char*>(data), size);
    rg_fuzz::attempt([&] { static_cast<void>(pr::parse_parameters("", "<fuzz>", {text})); });
    return 0;
}
