// io::record_journal: records survive reopening, a torn or corrupt tail is cut, another job's journal and a
// second writer are refused, and the on-disk CRC is the standard CRC-32.
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "radiogenomics/io/record_journal.hpp"

namespace rg = radiogenomics;

namespace {

struct journal_file {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("rg_journal_" + std::to_string(static_cast<long>(::getpid())) + ".journal");
    journal_file() { std::filesystem::remove(path); }
    ~journal_file() { std::filesystem::remove(path); }
    std::string bytes() const
    {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(record_journal)

BOOST_AUTO_TEST_CASE(crc_is_the_standard_crc32)
{
    // CRC-32 (IEEE 802.3, as zlib's crc32) check value of "123456789": 0xCBF43926 (the CRC catalogue's "check")
    BOOST_TEST(rg::io::detail::journal_crc("123456789") == 0xCBF43926u);
}

BOOST_AUTO_TEST_CASE(records_survive_reopening_and_a_torn_tail_is_cut)
{
    journal_file f;
    {
        rg::io::record_journal j(f.path.string(), "job A");
        BOOST_TEST(j.records().empty());
        j.append("first");
        j.append(std::string("with\0zero", 9));
        j.append("");
    }
    const std::string complete = f.bytes();
    // header: 8 magic + 4 length + 5 key + 4 crc = 21 bytes; records: 8 + payload each
    BOOST_TEST(complete.size() == 21u + (8 + 5) + (8 + 9) + 8);
    {
        rg::io::record_journal j(f.path.string(), "job A");
        BOOST_TEST(j.records().size() == 3u);
        BOOST_TEST(j.records()[1] == std::string("with\0zero", 9));
        BOOST_TEST(j.dropped_bytes() == 0u);
        j.append("fourth record");
    }
    // a kill during the write of the fifth record: half of it on disk
    const std::string four = f.bytes();
    f.write(four + std::string("\x20\x00\x00\x00\x01\x02\x03\x04partial", 15));
    {
        rg::io::record_journal j(f.path.string(), "job A");
        BOOST_TEST(j.records().size() == 4u);
        BOOST_TEST(j.records()[3] == "fourth record");
        BOOST_TEST(j.dropped_bytes() == 15u);
        j.append("fifth");
    }
    // a flipped byte in the last record's payload: its CRC no longer matches, the record is dropped
    std::string flipped = f.bytes();
    flipped.back() ^= 0x01;
    f.write(flipped);
    rg::io::record_journal j(f.path.string(), "job A");
    BOOST_TEST(j.records().size() == 4u);
    BOOST_TEST(j.dropped_bytes() == 8u + 5u);
    j.remove();
    BOOST_TEST(!std::filesystem::exists(f.path));
}

BOOST_AUTO_TEST_CASE(another_job_and_a_second_writer_are_refused)
{
    journal_file f;
    {
        rg::io::record_journal j(f.path.string(), "job A");
        j.append("x");
        // a second writer while the first holds the journal
        BOOST_CHECK_EXCEPTION(rg::io::record_journal(f.path.string(), "job A"), rg::io_error, [](const auto& e) {
            return std::string(e.what()).find("another process is writing it") != std::string::npos;
        });
    }
    BOOST_CHECK_EXCEPTION(rg::io::record_journal(f.path.string(), "job B"), rg::invalid_argument, [](const auto& e) {
        return std::string(e.what()).find("written for another job") != std::string::npos;
    });
    f.write("not a journal at all");
    BOOST_CHECK_EXCEPTION(rg::io::record_journal(f.path.string(), "job A"), rg::invalid_argument, [](const auto& e) {
        return std::string(e.what()).find("not a radiogenomics journal") != std::string::npos;
    });
    // a header cut short (killed while creating the journal) starts afresh
    f.write("RGJRN");
    rg::io::record_journal j(f.path.string(), "job A");
    BOOST_TEST(j.records().empty());
}

BOOST_AUTO_TEST_SUITE_END()
