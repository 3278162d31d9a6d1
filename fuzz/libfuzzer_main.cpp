// libFuzzer entry point of fuzz_<name>: the one target linked beside it (see fuzz/CMakeLists.txt).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    return rg_fuzz::registry().front().run(data, size);
}
