#pragma once
// Helpers shared by the tests/io suites: temporary folders, exception checks, geometry comparison.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "radiogenomics/core/image.hpp"

namespace io_test {

/// A fresh folder under the system temp dir, removed at scope exit.
struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const std::string& tag)
    {
        path = std::filesystem::temp_directory_path() /
               ("rg_io_" + tag + "_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    std::string file(const std::string& name) const { return (path / name).string(); }
};

/// Runs `action`, expects `TError` whose message contains every fragment.
template <class TError>
void throws_with(const std::function<void()>& action, std::initializer_list<std::string> fragments)
{
    try {
        action();
        BOOST_FAIL("expected an exception");
    } catch (const TError& e) {
        const std::string what = e.what();
        BOOST_TEST_INFO("message: " << what);
        BOOST_TEST(what.find('\n') == std::string::npos);
        BOOST_TEST(what.rfind("[radiogenomics.", 0) == 0u);
        for (const auto& f : fragments) {
            BOOST_TEST_INFO("fragment: " << f);
            BOOST_TEST(what.find(f) != std::string::npos);
        }
    }
}

/// Largest absolute difference of spacing, origin (mm) and direction between two grids; shapes must agree.
inline double geometry_difference(const radiogenomics::image_geometry<3>& a, const radiogenomics::image_geometry<3>& b)
{
    BOOST_TEST(a.shape() == b.shape());
    double worst = 0.0;
    for (std::size_t r = 0; r < 3; ++r) {
        worst = std::max(worst, std::fabs(a.spacing()[r] - b.spacing()[r]));
        worst = std::max(worst, std::fabs(a.origin()[r] - b.origin()[r]));
        for (std::size_t c = 0; c < 3; ++c) {
            worst = std::max(worst, std::fabs(a.direction()[r][c] - b.direction()[r][c]));
        }
    }
    return worst;
}

/// Voxel-wise equality (same shape required).
template <class TA, class TB>
bool same_voxels(const radiogenomics::image<TA, 3>& a, const radiogenomics::image<TB, 3>& b)
{
    if (a.shape() != b.shape()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (static_cast<double>(a[i]) != static_cast<double>(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace io_test
