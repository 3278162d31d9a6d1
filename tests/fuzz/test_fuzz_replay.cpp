// Replays the committed fuzz corpora (fuzz/corpus/<target>/*, seeds from the test fixtures, inputs libFuzzer
// found new coverage with, and every input that once crashed a parser) through the fuzz target bodies
// (fuzz/target_*.cpp). A target body lets only radiogenomics::error with the library's prefix through, so a
// crash, another exception type or (under the asan preset) a leak or undefined behaviour fails this test.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"

namespace {

std::vector<std::string> corpus_files(const std::string& target)
{
    std::vector<std::string> files;
    const std::filesystem::path folder = std::filesystem::path(RG_FUZZ_CORPUS_DIR) / target;
    if (std::filesystem::is_directory(folder)) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
            if (entry.is_regular_file()) {
                files.push_back(entry.path().string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::uint8_t> bytes_of(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fuzz_replay)

BOOST_AUTO_TEST_CASE(every_target_of_this_build_is_registered)
{
    std::vector<std::string> registered;
    for (const auto& t : rg_fuzz::registry()) {
        registered.emplace_back(t.name);
    }
    std::sort(registered.begin(), registered.end());
    std::vector<std::string> expected;
    std::stringstream list(RG_FUZZ_TARGETS);
    for (std::string name; std::getline(list, name, ',');) {
        expected.push_back(name);
    }
    std::sort(expected.begin(), expected.end());
    BOOST_TEST(registered == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_corpus_file_runs_clean_through_its_target)
{
    for (const auto& target : rg_fuzz::registry()) {
        const auto files = corpus_files(target.name);
        BOOST_TEST_CONTEXT("target " << target.name)
        {
            BOOST_TEST(files.size() >= 2u);  // seeds at least
            const auto start = std::chrono::steady_clock::now();
            for (const auto& file : files) {
                BOOST_TEST_CONTEXT("input " << file)
                {
                    const std::vector<std::uint8_t> data = bytes_of(file);
                    try {
                        BOOST_TEST(target.run(data.data(), data.size()) == 0);
                    } catch (const std::exception& e) {
                        BOOST_ERROR("escaped the parser: " << e.what());
                    }
                }
            }
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            BOOST_TEST_MESSAGE("fuzz_replay " << target.name << ": " << files.size() << " inputs in " << seconds << " s");
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
