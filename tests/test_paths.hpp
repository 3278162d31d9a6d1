#pragma once
// Where tests find their data: fixtures under tests/fixtures and the shared reference data
// (../shared/reference relative to the repository root).
#include <string>

namespace rg_test {

inline std::string source_dir() { return RG_SOURCE_DIR; }
inline std::string fixture(const std::string& relative) { return source_dir() + "/tests/fixtures/" + relative; }
inline std::string shared_reference(const std::string& relative)
{
    return std::string(RG_SHARED_DIR) + "/reference/" + relative;
}

}  // namespace rg_test
