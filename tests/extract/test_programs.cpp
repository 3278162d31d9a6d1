// Bad input of the other example programs (reproduce_paper, cluster, tsne, feature_stats, tp53_classifier,
// pet_ct_demo): one data-driven table per program, run by et::check_cases (exit status, one-line message,
// files that must or must not exist afterwards, no *.partial-* left behind). Adding a case is one line.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "extract_test_util.hpp"

namespace et = rg_extract_test;
namespace fs = std::filesystem;

namespace {

/// A CSV of 30 rows (id + 3 numeric columns) in two loose groups.
void write_rows30(const et::temp_folder& dir)
{
    std::string text = "id,a,b,c\n";
    for (int r = 0; r < 30; ++r) {
        const double shift = r < 15 ? 0.0 : 5.0;
        text += "p" + std::to_string(r) + "," + std::to_string(shift + 0.1 * (r % 7)) + "," +
                std::to_string(shift + 0.07 * (r % 5)) + "," + std::to_string(0.3 * (r % 3)) + "\n";
    }
    et::write_text(dir.file("rows30.csv"), text);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(programs_bad_input)

// reproduce_paper never deletes files it did not write, refuses what it cannot use and leaves nothing
// behind when it fails early (issue 18).
BOOST_AUTO_TEST_CASE(reproduce_paper_table)
{
    et::temp_folder dir("reproduce");
    fs::create_directories(dir.path / "precious");
    et::write_text(dir.file("precious/notes.txt"), "keep me");
    et::write_text(dir.file("precious/settings.json"), "{}");  // used to mark a folder as a report, removed whole
    et::write_text(dir.file("afile"), "a file");
    et::write_text(dir.file("dup.csv"), "id,cancer_type,ct_path,pet_path,tumour_mask_path,tp53\n"
                                        "p1,ovarian,a.nii.gz,b.nii.gz,c.nii.gz,positive\n"
                                        "p1,ovarian,a.nii.gz,b.nii.gz,c.nii.gz,negative\n");
    const std::string fast = " --scale small --original-only --no-automatic --epochs 1 -q";
    const std::vector<et::bad_input_case> table{
        {"--out {dir}/precious" + fast, 1, "which holds files this program did not write",
         {"{dir}/precious/notes.txt", "{dir}/precious/settings.json"}},
        {"--out {dir}/afile" + fast, 1, "which is an existing file", {"{dir}/afile"}},
        {"--out {dir}/afile/report" + fast, 1, "cannot create", {"{dir}/afile"}},
        {"--manifest {dir}/dup.csv --out {dir}/dup_report" + fast, 1, "'p1' on lines 2 3", {}, {"{dir}/dup_report"}},
        {"--patients 6 --out {dir}/new/deeper/report" + fast, 1, "usable patients: got", {}, {"{dir}/new"}},
        // without -q: progress as plain lines (stderr is a file), still one error line at the end
        {"--patients 6 --scale small --original-only --no-automatic --out {dir}/loud", 1, "usable patients: got", {},
         {"{dir}/loud"}},
    };
    et::check_cases(RG_REPRODUCE_BINARY, table, dir);
    // the too-few-patients message does not point at a staging folder
    const auto r = et::run_program(RG_REPRODUCE_BINARY, "--patients 6 --out " + dir.file("r6") + fast, dir);
    BOOST_TEST(r.err.find(".partial") == std::string::npos, r.err);
}

// SIGKILL mid-run: no report folder that looks complete (only a hidden .NAME.partial-* staging folder).
BOOST_AUTO_TEST_CASE(reproduce_paper_killed_leaves_no_report)
{
    et::temp_folder dir("killed");
    const std::string command = "timeout -s KILL 1 " + et::quote(RG_REPRODUCE_BINARY) + " --scale small -q --out " +
                                et::quote(dir.file("report")) + " > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    static_cast<void>(status);
    // killed: no report; finished within the second: a complete one (with its file list)
    BOOST_TEST((!fs::exists(dir.file("report")) || fs::exists(dir.file("report/report_files.txt"))));
    BOOST_TEST((!fs::exists(dir.file("report")) || fs::exists(dir.file("report/index.html"))));
}

BOOST_AUTO_TEST_CASE(cluster_table)
{
    et::temp_folder dir("cluster");
    write_rows30(dir);
    const std::vector<et::bad_input_case> table{
        // used to clamp k to 29 without a word
        {"{dir}/rows30.csv -o {dir}/scan.csv --scan 2..100 -q", 0, "scanning k = 2..29", {"{dir}/scan.csv"}},
        {"{dir}/rows30.csv -o {dir}/out.csv --k 31", 1, "--k: got 31", {}, {"{dir}/out.csv"}},
        {"{dir}/rows30.csv -o {dir}/out.csv --scan 9..2", 1, "k range: got 9..2", {}, {"{dir}/out.csv"}},
        {"{dir}/nope.csv -o {dir}/out.csv", 1, "nope.csv", {}, {"{dir}/out.csv"}},
        {"{dir}/rows30.csv -o {dir}/no_such_folder/out.csv", 1, "No such file or directory", {},
         {"{dir}/no_such_folder"}},
    };
    et::check_cases(RG_CLUSTER_BINARY, table, dir);
    // -q: nothing on stderr for a good run
    const auto quiet = et::run_program(RG_CLUSTER_BINARY, dir.file("rows30.csv") + " -o " + dir.file("q.csv") + " -q", dir);
    BOOST_TEST(quiet.exit_code == 0);
    BOOST_TEST(quiet.err.empty(), quiet.err);
}

BOOST_AUTO_TEST_CASE(other_programs_tables)
{
    et::temp_folder dir("others");
    write_rows30(dir);
    et::write_text(dir.file("afile"), "a file");
    et::check_cases(RG_TSNE_BINARY,
                    {
                        {"{dir}/nope.csv -o {dir}/t.csv", 1, "nope.csv", {}, {"{dir}/t.csv"}},
                        {"{dir}/rows30.csv -o {dir}/no_such_folder/t.csv --perplexity 5 -q", 1,
                         "No such file or directory", {}, {"{dir}/no_such_folder"}},
                    },
                    dir);
    et::check_cases(RG_FEATURE_STATS_BINARY,
                    {
                        {"{dir}/nope.csv --label a -o {dir}/s.csv", 2, "File does not exist", {}, {"{dir}/s.csv"}},
                        {"{dir}/rows30.csv --label nope -o {dir}/s.csv", 1, "nope", {}, {"{dir}/s.csv"}},
                    },
                    dir);
    et::check_cases(RG_TP53_CLASSIFIER_BINARY,
                    {
                        {"{dir}/nope.csv --label a -q", 2, "File does not exist"},
                        {"{dir}/rows30.csv --label nope -q", 1, "nope"},
                        {"{dir}/rows30.csv --label a --bogus", 2, "--bogus"},
                    },
                    dir);
    // --out under a file: std::filesystem::filesystem_error used to escape main (abort)
    et::check_cases(RG_PET_CT_DEMO_BINARY,
                    {
                        {"--scale small --features original -q --out {dir}/afile/volumes", 1, "cannot create directories",
                         {"{dir}/afile"}},
                    },
                    dir);
#if defined(RG_DICOM_TO_NIFTI_BINARY)
    // a usage error is 2 (CLI11_PARSE used to return CLI11's own 106/109); a full disk while writing the NIfTI
    // (a file-size limit: write(2) fails like on a full device; sh counts 512-byte blocks) names the reason
    const std::string ct = RG_SOURCE_DIR "/tests/fixtures/io/dicom/ct";
    et::check_cases(RG_DICOM_TO_NIFTI_BINARY,
                    {
                        {"", 2, "dir is required"},
                        {ct + " {dir}/ct.nii --bogus", 2, "--bogus"},
                        {ct, 2, "got no OUT.nii.gz"},
                        {"{dir}/nope {dir}/ct.nii", 1, "nope"},
                        {ct + " {dir}/no_such_folder/ct.nii", 1, "does not exist", {}, {"{dir}/no_such_folder"}},
                        {ct + " {dir}/ct.nii", 1, "File too large", {}, {"{dir}/ct.nii"}, "trap '' XFSZ; ulimit -f 1;"},
                        {ct + " {dir}/ct.nii", 0, "", {"{dir}/ct.nii"}},
                    },
                    dir);
#endif
}

BOOST_AUTO_TEST_SUITE_END()
