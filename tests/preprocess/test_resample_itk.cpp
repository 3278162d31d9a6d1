// Nearest-neighbour resampling voxel for voxel against ITK 5.2 (itk::ResampleImageFilter +
// NearestNeighborInterpolateImageFunction, identity transform: what SimpleITK's sitkNearestNeighbor and hence
// PyRadiomics' mask resampling run). Reference: tests/fixtures/preprocess/itk_nearest.txt, made by
// tests/fixtures/preprocess/itk/generate_itk_fixtures.cpp (grids in hex floats; outputs as voxel counts, an FNV-1a
// hash of the whole output buffer, the middle row, and for masks the runs of set voxels).
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "radiogenomics/preprocess/crop.hpp"
#include "radiogenomics/preprocess/resample.hpp"
#include "preprocess_test_utils.hpp"
#include "test_paths.hpp"

namespace rg = radiogenomics;
namespace pp = radiogenomics::preprocess;
using g3 = rg::image_geometry<3>;

namespace {

/// One case of the fixture: key → whitespace-separated tokens.
struct itk_case {
    std::string name;
    std::string kind;
    std::map<std::string, std::vector<std::string>> fields;

    const std::vector<std::string>& at(const std::string& key) const
    {
        const auto it = fields.find(key);
        if (it == fields.end()) {
            throw std::runtime_error("itk_nearest.txt: case " + name + " has no " + key);
        }
        return it->second;
    }
    double number(const std::string& key, std::size_t i) const { return std::strtod(at(key).at(i).c_str(), nullptr); }
    long integer(const std::string& key, std::size_t i) const { return std::strtol(at(key).at(i).c_str(), nullptr, 10); }

    g3 geometry(const std::string& prefix) const
    {
        g3::size_type size{};
        g3::point_type spacing{};
        g3::point_type origin{};
        g3::direction_type direction{};
        for (std::size_t d = 0; d < 3; ++d) {
            size[d] = static_cast<std::size_t>(integer(prefix + "_size", d));
            spacing[d] = number(prefix + "_spacing", d);  // strtod reads C99 hex floats: the exact bits
            origin[d] = number(prefix + "_origin", d);
            for (std::size_t c = 0; c < 3; ++c) {
                direction[d][c] = number(prefix + "_direction", 3 * d + c);
            }
        }
        return g3(size, spacing, origin, direction);
    }
};

std::vector<itk_case> read_itk_cases()
{
    std::ifstream in(rg_test::fixture("preprocess/itk_nearest.txt"));
    BOOST_TEST_REQUIRE(in.good(), "tests/fixtures/preprocess/itk_nearest.txt");
    std::vector<itk_case> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream tokens(line);
        std::string key;
        tokens >> key;
        if (key == "case") {
            cases.emplace_back();
            tokens >> cases.back().name >> cases.back().kind;
            continue;
        }
        if (key == "end") {
            continue;
        }
        std::vector<std::string> values;
        for (std::string v; tokens >> v;) {
            values.push_back(v);
        }
        cases.back().fields[key] = values;
    }
    return cases;
}

/// The generator's ROI pattern (same integer arithmetic): ellipsoid from doubled centre/semi-axes plus specks.
bool in_blob(const itk_case& c, long i, long j, long k)
{
    const long d[3] = {2 * i - c.integer("blob", 0), 2 * j - c.integer("blob", 1), 2 * k - c.integer("blob", 2)};
    const long a0 = c.integer("blob", 3) * c.integer("blob", 3);
    const long a1 = c.integer("blob", 4) * c.integer("blob", 4);
    const long a2 = c.integer("blob", 5) * c.integer("blob", 5);
    const long speck = c.integer("blob", 6);
    const bool inside = d[0] * d[0] * a1 * a2 + d[1] * d[1] * a0 * a2 + d[2] * d[2] * a0 * a1 <= a0 * a1 * a2;
    return inside || (speck > 0 && (7 * i + 13 * j + 29 * k) % speck == 0);
}

rg::image<std::uint8_t, 3> blob_mask(const itk_case& c)
{
    rg::image<std::uint8_t, 3> mask(c.geometry("source"), std::uint8_t{0});
    const auto n = mask.shape();
    for (std::size_t k = 0; k < n[2]; ++k) {
        for (std::size_t j = 0; j < n[1]; ++j) {
            for (std::size_t i = 0; i < n[0]; ++i) {
                mask(i, j, k) = in_blob(c, static_cast<long>(i), static_cast<long>(j), static_cast<long>(k)) ? 1 : 0;
            }
        }
    }
    return mask;
}

/// Voxel count, hash, middle row and (masks) runs of `out` against the case.
template <class TPixel>
void compare_output(const itk_case& c, const rg::image<TPixel, 3>& out, bool runs)
{
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        nonzero += out[i] != 0 ? 1 : 0;
    }
    BOOST_TEST(nonzero == static_cast<std::size_t>(c.integer("nonzero", 0)));
    const auto& shape = out.shape();
    const std::size_t j = shape[1] / 2;
    const std::size_t k = shape[2] / 2;
    for (std::size_t i = 0; i < shape[0]; ++i) {
        BOOST_TEST(static_cast<long>(out(i, j, k)) == c.integer("middle_row", i), "middle row voxel " << i);
    }
    if (runs) {
        std::vector<long> mine;
        for (std::size_t i = 0; i < out.size();) {
            if (out[i] == 0) {
                ++i;
                continue;
            }
            std::size_t e = i;
            while (e < out.size() && out[e] != 0) {
                ++e;
            }
            mine.push_back(static_cast<long>(i));
            mine.push_back(static_cast<long>(e - i));
            i = e;
        }
        std::vector<long> itk;
        for (std::size_t r = 1; r < c.at("runs").size(); ++r) {
            itk.push_back(c.integer("runs", r));
        }
        BOOST_TEST(mine == itk, boost::test_tools::per_element());
    }
    BOOST_TEST(rg_test::hex64(rg_test::fnv1a(out.data().data(), out.size() * sizeof(TPixel))) == c.at("fnv1a").at(0));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resample_itk)

BOOST_AUTO_TEST_CASE(itk_round_half_up_is_itks_sse2_rounding)
{
    // ITK Math::RoundHalfIntegerUp on x86-64: nearest integer of 2x + 0.5 (ties to even), halved toward -inf.
    BOOST_TEST(pp::detail::itk_round_half_up(0.5) == 1);
    BOOST_TEST(pp::detail::itk_round_half_up(1.5) == 2);
    BOOST_TEST(pp::detail::itk_round_half_up(-0.5) == 0);
    BOOST_TEST(pp::detail::itk_round_half_up(-1.5) == -1);
    BOOST_TEST(pp::detail::itk_round_half_up(2.4999999999999996) == 2);
    BOOST_TEST(pp::detail::itk_round_half_up(-0.49999999999999994) == 0);
}

BOOST_AUTO_TEST_CASE(nearest_neighbour_equals_itk_voxel_for_voxel)
{
    const auto cases = read_itk_cases();
    BOOST_TEST_REQUIRE(cases.size() == 9u);
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("case " << c.name)
        {
            const g3 out_grid = c.geometry("output");
            if (c.kind == "id") {
                // every source voxel holds its linear index + 1, so the output names the voxel chosen
                rg::image<std::uint32_t, 3> src(c.geometry("source"));
                for (std::size_t i = 0; i < src.size(); ++i) {
                    src[i] = static_cast<std::uint32_t>(i + 1);
                }
                compare_output(c, pp::resample(src, out_grid, pp::interpolator::nearest, 0.0), false);
            } else if (c.kind == "mask") {
                const auto mask = blob_mask(c);
                BOOST_TEST(rg::count_label(mask, std::uint8_t{1}) == static_cast<std::size_t>(c.integer("source_count", 0)));
                compare_output(c, pp::resample_mask(mask, out_grid), true);
            }
        }
    }
}

// The kind of case: MR-like 256 x 256 x 25 at 0.78 x 0.78 x 6.5 mm (LPS-flipped, as SimpleITK reads a
// NIfTI; float32 origin), a 4,241-voxel ROI, resampledPixelSpacing [1, 1, 1], padDistance 5. PyRadiomics' grid
// (size 38 x 35 x 71 and origin bits), the nearest-neighbour mask (ITK: 16,934 voxels; rounding c + 0.5 in plain
// double arithmetic gave 16,962) and the B-spline int16 image, all as ITK 5.2 gives them.
BOOST_AUTO_TEST_CASE(pyradiomics_resampling_of_an_mr_like_case_equals_itk)
{
    const auto cases = read_itk_cases();
    const itk_case* found = nullptr;
    for (const auto& c : cases) {
        found = c.kind == "pyradiomics" ? &c : found;
    }
    BOOST_TEST_REQUIRE(found != nullptr);
    const itk_case& c = *found;
    const auto mask = blob_mask(c);
    BOOST_TEST(rg::count_label(mask, std::uint8_t{1}) == static_cast<std::size_t>(c.integer("source_count", 0)));
    pp::bounding_box<3> box;
    for (std::size_t d = 0; d < 3; ++d) {
        box.lower[d] = c.integer("bounding_box", d);
        box.upper[d] = c.integer("bounding_box", d) + c.integer("bounding_box", 3 + d) - 1;
    }
    const g3 grid = pp::pyradiomics_resampled_grid(mask.geometry(), {1.0, 1.0, 1.0}, box, 5);
    const g3 itk_grid = c.geometry("output");
    for (std::size_t d = 0; d < 3; ++d) {
        BOOST_TEST(grid.shape()[d] == itk_grid.shape()[d]);
        BOOST_TEST(grid.spacing()[d] == itk_grid.spacing()[d]);
        BOOST_TEST(grid.origin()[d] == itk_grid.origin()[d]);  // bit for bit
    }
    const auto resampled = pp::resample_mask(mask, grid);
    compare_output(c, resampled, true);

    rg::image<std::int16_t, 3> img(mask.geometry());
    const auto n = img.shape();
    for (std::size_t k = 0; k < n[2]; ++k) {
        for (std::size_t j = 0; j < n[1]; ++j) {
            for (std::size_t i = 0; i < n[0]; ++i) {
                const long x = static_cast<long>(i);
                const long y = static_cast<long>(j);
                const long z = static_cast<long>(k);
                img(i, j, k) = static_cast<std::int16_t>(200 + (x * x + 3 * y * y + 17 * z * z + 5 * x * y) % 613 -
                                                         ((x + 2 * y + 3 * z) % 7) * 40);
            }
        }
    }
    const auto image_out = pp::resample(img, grid, pp::interpolator::bspline, 0.0);
    long long sum = 0;
    for (std::size_t i = 0; i < image_out.size(); ++i) {
        sum += image_out[i];
    }
    BOOST_TEST(sum == std::strtoll(c.at("bspline_int16_sum").at(0).c_str(), nullptr, 10));
    BOOST_TEST(rg_test::hex64(rg_test::fnv1a(image_out.data().data(), image_out.size() * sizeof(std::int16_t))) ==
               c.at("bspline_int16_fnv1a").at(0));
}

BOOST_AUTO_TEST_SUITE_END()
