// Fuzz target `batch_csv`: the bytes as a PyRadiomics batch CSV (Image,Mask[,Label]; examples/support/
// batch_runner.hpp) through pyradiomics::read_batch_csv. The cases' files are not read.
#include "fuzz_support.hpp"

#include <string>

#include "support/batch_runner.hpp"

namespace pr = radiogenomics::pyradiomics;

RG_FUZZ_TARGET(batch_csv)
{
    const std::string path = (rg_fuzz::scratch_dir() / "cases.csv").string();
    rg_fuzz::write_file(path, data, size);
    rg_fuzz::attempt([&] { static_cast<void>(pr::read_batch_csv(path)); });
    return 0;
}
