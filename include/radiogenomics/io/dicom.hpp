#pragma once
/// \file dicom.hpp
/// \brief DICOM image series (CT, PET, any single-frame cross-sectional modality) into `image<TPixel, 3>` in
/// LPS, and PET standardised uptake values from the scanner's tags, through DCMTK.
///
/// The only file that includes DCMTK; it needs the `radiogenomics::dicom` target (Debian's `libdcmtk-dev`).
///
/// \par Series
/// `scan_dicom_folder` reads the headers of every file below a folder (recursively, up to the pixel data)
/// and groups them by SeriesInstanceUID (0020,000E). Files that are not DICOM are skipped; a folder without
/// any DICOM image is an error.
///
/// \par Geometry (DICOM PS3.3 C.7.6.2.1.1)
/// ImageOrientationPatient (0020,0037) gives the row direction r (index i, along a row) and the column
/// direction c (index j); PixelSpacing (0028,0030) is "row spacing \ column spacing", so spacing[0] is its
/// second value and spacing[1] its first. The slice normal is n = r × c; slices are sorted by
/// ImagePositionPatient (0020,0032) · n (never by file name or InstanceNumber), the origin is the first
/// slice's position and the slice spacing the distance between consecutive positions. A series is refused,
/// naming the offending files, when orientations, pixel spacings or sizes differ, two slices share a position
/// (duplicate), a gap differs from the others by more than `slice_tolerance_mm` (missing slice, non-uniform
/// spacing), or the positions do not lie on the normal (gantry tilt). All values are in LPS mm already.
///
/// \par Enhanced multi-frame images (Enhanced CT / PET / MR Image Storage; DICOM PS3.3 C.7.6.16)
/// Every frame of a file with functional groups is a slice: ImagePositionPatient from its Plane Position (Patient)
/// group (0020,9113), ImageOrientationPatient from Plane Orientation (Patient) (0020,9116), PixelSpacing from Pixel
/// Measures (0028,9110) and RescaleSlope/RescaleIntercept from Pixel Value Transformation (0028,9145), each taken
/// from the frame's Per-frame Functional Groups (5200,9230), else from the Shared Functional Groups (5200,9229).
/// The frames are then sorted and checked as single-frame slices are; a file whose frames repeat positions
/// (temporal positions, several stacks) is refused as duplicate slices. Each file is decoded once.
///
/// \par Intensities (DICOM PS3.3 C.11.1.1.2)
/// Each slice's stored values become `stored × RescaleSlope + RescaleIntercept` with that slice's own
/// slope and intercept (PET writes one slope per slice): HU for CT, Bq/mL for PET with Units BQML.
///
/// \par SUV (QIBA FDG-PET/CT Profile v1.13, Appendix G, vendor-neutral pseudo-code)
/// `read_pet_suv_info` computes the factor f such that SUV = (stored × slope + intercept) × f:
/// - Units (0054,1001) BQML: f = W[g] / D_decayed with W PatientWeight (0010,1030) in kg × 1000 and
///   D_decayed = RadionuclideTotalDose (0018,1074) × 2^(−Δt / RadionuclideHalfLife (0018,1075)), Δt from the
///   injection — RadiopharmaceuticalStartDateTime (0018,1078), else SeriesDate (0008,0021) +
///   RadiopharmaceuticalStartTime (0018,1072), taken on the previous day when it is later than the scan time
///   (injection before midnight) — to the scan time: SeriesDate/SeriesTime (0008,0021/0031) unless the series
///   time is later than the earliest AcquisitionDate/AcquisitionTime (0008,0022/0032) of the series
///   (a post-processed series), then GE's private scan time (0009,xx0D, "GEMS_PETD_01") or else that earliest
///   acquisition time. DecayCorrection (0054,1102) START decays the dose to the scan time (QIBA); ADMIN means
///   the images are decay-corrected to the injection, so the dose is not decayed; NONE decays the dose to the
///   earliest acquisition time (one factor for the series: bed-to-bed decay differences are ignored).
/// - CNTS: f = Philips' SUV scale factor (7053,xx00, "Philips PET Private Group"); without it, Philips'
///   activity concentration scale factor (7053,xx09) turns the rescaled values into Bq/mL and BQML follows.
/// - GML: the values are SUVbw already, f = 1.
/// - Enhanced PET (no Units / DecayCorrection of the classic PET IOD): the units are the UCUM code of the Pixel
///   Value Transformation's Measurement Units Code Sequence (0040,08EA) (Bq/ml, {counts}, {SUVbw}g/ml), and
///   Decay Corrected (0018,9758) YES decays the dose to Decay Correction DateTime (0018,9701), NO is NONE.
/// SUL (lean body mass, Janmahasatian et al., Clin Pharmacokinet 2005;44:1051, the QIBA Appendix H consensus):
/// LBM = 9270 W / (6680 + 216 BMI) for males, 9270 W / (8780 + 244 BMI) for females, BMI = W / H², W in kg,
/// H PatientSize (0010,1020) in m, PatientSex (0010,0040); f_SUL = f × LBM / W. SUVbsa (Du Bois & Du Bois 1916):
/// BSA = 0.007184 W^0.425 (100 H)^0.725 m², in cm²; f_bsa = f × BSA[cm²] / W[g] (unit cm²/mL).
/// A missing or implausible tag is an `io_error` naming the tag and the override (`suv_overrides`) that
/// supplies the value.

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/pixel_type.hpp"
#include "radiogenomics/io/suv_options.hpp"
#include "radiogenomics/preprocess/suv.hpp"

namespace radiogenomics::io {

/// The header of one slice of a series (what `scan_dicom_folder` keeps): a single-frame file, or one frame of an
/// enhanced multi-frame file.
struct dicom_slice {
    std::string path;
    int instance_number = 0;
    std::optional<std::array<double, 3>> position;     ///< ImagePositionPatient (0020,0032)
    std::optional<std::array<double, 6>> orientation;  ///< ImageOrientationPatient (0020,0037)
    std::optional<std::array<double, 2>> pixel_spacing; ///< PixelSpacing (0028,0030): row, column spacing
    std::size_t rows = 0;
    std::size_t columns = 0;
    std::size_t frames = 1;  ///< NumberOfFrames (0028,0008) of the file
    std::size_t frame = 0;   ///< which frame of the file this slice is (enhanced multi-frame; 0 otherwise)
    double slope = 1.0;      ///< RescaleSlope (0028,1053), per frame from the Pixel Value Transformation group
    double intercept = 0.0;  ///< RescaleIntercept (0028,1052), likewise
};

/// One series found by `scan_dicom_folder`.
struct dicom_series_info {
    std::string uid;          ///< SeriesInstanceUID (0020,000E)
    std::string modality;     ///< Modality (0008,0060)
    std::string description;  ///< SeriesDescription (0008,103E)
    std::string frame_of_reference_uid;
    std::vector<dicom_slice> slices;  ///< in file-name order (frames of a multi-frame file in frame order)
    std::vector<std::string> problems;  ///< what would stop reading it as a volume (missing geometry, ...)
    std::size_t instances() const { return slices.size(); }  ///< slices (frames of multi-frame files count each)
    /// Distinct files (an enhanced multi-frame file holds many slices).
    std::size_t files() const
    {
        std::size_t n = 0;
        for (std::size_t i = 0; i < slices.size(); ++i) {
            n += i == 0 || slices[i].path != slices[i - 1].path ? 1 : 0;
        }
        return n;
    }
};

/// Options of `scan_dicom_folder`.
struct dicom_scan_options {
    bool recursive = true;
};

/// Options of `read_dicom_series`.
struct dicom_read_options {
    std::string series_uid;            ///< empty: the folder must hold exactly one series
    double slice_tolerance_mm = 0.01;  ///< allowed deviation of each slice gap from the median gap (mm)
};

/// Everything that went into the SUV factors of a PET series (QIBA Appendix G), with the tags used.
struct pet_suv_info {
    std::string units;             ///< BQML, CNTS or GML
    std::string decay_correction;  ///< START, ADMIN or NONE
    double weight_kg = 0.0;
    double height_m = 0.0;         ///< 0 when unknown
    char sex = '\0';               ///< 'M', 'F' or 0 when unknown
    double dose_bq = 0.0;
    double half_life_s = 0.0;
    double injection_to_scan_seconds = 0.0;
    double decay_factor = 1.0;     ///< 2^(−Δt/T½) applied to the dose (1 for ADMIN)
    double activity_scale = 1.0;   ///< Philips (7053,xx09) when it was used, else 1
    double suv_bw_factor = 0.0;    ///< SUVbw = rescaled value × this
    double suv_lbm_factor = 0.0;   ///< SUL; 0 when height or sex is unknown
    double suv_bsa_factor = 0.0;   ///< SUVbsa (cm²/mL); 0 when height is unknown
    std::vector<std::pair<std::string, std::string>> tags_used;  ///< ("(0054,1001) Units", "BQML"), ...
    std::vector<std::string> notes;  ///< rules applied (midnight, post-processed series time, overrides)

    /// The factor for `type`; throws `io_error` naming the missing tag when it could not be computed.
    double factor(suv_type type) const
    {
        if (type == suv_type::lean_body_mass && !(suv_lbm_factor > 0.0)) {
            raise<io_error>("io.pet_suv_info.factor", "SUL: got no PatientSize (0010,1020) or PatientSex (0010,0040), "
                            "expected both for the lean body mass. Give --height M and --sex M|F.");
        }
        if (type == suv_type::body_surface_area && !(suv_bsa_factor > 0.0)) {
            raise<io_error>("io.pet_suv_info.factor", "SUVbsa: got no PatientSize (0010,1020), expected the height "
                            "for the body surface area. Give --height M.");
        }
        return type == suv_type::lean_body_mass ? suv_lbm_factor
               : type == suv_type::body_surface_area ? suv_bsa_factor
                                                     : suv_bw_factor;
    }
};

namespace detail {

/// Once: registers DCMTK's JPEG, JPEG-LS and RLE decoders (global, not thread-safe in DCMTK itself) and
/// silences DCMTK's logger (the library reports through exceptions, never on stderr).
inline void register_dicom_codecs()
{
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
        DcmRLEDecoderRegistration::registerCodecs();
    });
}

inline std::string dicom_string(DcmItem* item, const DcmTagKey& key)
{
    OFString value;
    if (item != nullptr && item->findAndGetOFStringArray(key, value).good()) {
        std::string out = value.c_str();
        while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) {
            out.pop_back();
        }
        std::size_t start = 0;
        while (start < out.size() && out[start] == ' ') {
            ++start;
        }
        return out.substr(start);
    }
    return "";
}

inline std::optional<double> dicom_number(DcmItem* item, const DcmTagKey& key, unsigned long index = 0)
{
    Float64 value = 0.0;
    if (item != nullptr && item->findAndGetFloat64(key, value, index).good() && std::isfinite(value)) {
        return value;
    }
    // IS and other string VRs (findAndGetFloat64 reads FL/FD/DS only)
    OFString text;
    if (item != nullptr && item->findAndGetOFString(key, text, index).good() && !text.empty()) {
        char* end = nullptr;
        const double parsed = std::strtod(text.c_str(), &end);
        if (end != text.c_str() && std::isfinite(parsed)) {
            return parsed;
        }
    }
    return std::nullopt;
}

template <std::size_t N>
std::optional<std::array<double, N>> dicom_numbers(DcmItem* item, const DcmTagKey& key)
{
    std::array<double, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        const auto v = dicom_number(item, key, static_cast<unsigned long>(i));
        if (!v) {
            return std::nullopt;
        }
        out[i] = *v;
    }
    return out;
}

inline std::size_t dicom_unsigned(DcmItem* item, const DcmTagKey& key, std::size_t fallback)
{
    Uint16 value = 0;
    if (item->findAndGetUint16(key, value).good()) {
        return value;
    }
    const std::string text = dicom_string(item, key);
    return text.empty() ? fallback : static_cast<std::size_t>(std::strtoul(text.c_str(), nullptr, 10));
}

/// The value of private element (group, xx`element`) of the block reserved by `creator`.
inline std::string dicom_private(DcmItem* item, Uint16 group, const char* creator, Uint16 element)
{
    for (Uint16 block = 0x10; block <= 0xFF; ++block) {
        if (dicom_string(item, DcmTagKey(group, block)) == creator) {
            return dicom_string(item, DcmTagKey(group, static_cast<Uint16>((block << 8) | element)));
        }
    }
    return "";
}

// --- DICOM dates and times (PS3.5 6.2: DA YYYYMMDD, TM HHMMSS.FFFFFF, DT YYYYMMDDHHMMSS.FFFFFF&ZZXX) -------

/// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

inline std::optional<double> parse_da(const std::string& text)
{
    std::string digits;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
        }
    }
    if (digits.size() != 8) {
        return std::nullopt;
    }
    const long long y = std::stoll(digits.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoul(digits.substr(4, 2)));
    const unsigned d = static_cast<unsigned>(std::stoul(digits.substr(6, 2)));
    if (m < 1 || m > 12 || d < 1 || d > 31) {
        return std::nullopt;
    }
    return static_cast<double>(days_from_civil(y, m, d)) * 86400.0;
}

/// Seconds since midnight of a TM ("HHMMSS.FFFFFF", "HHMM", "HH", or the old "HH:MM:SS").
inline std::optional<double> parse_tm(const std::string& text)
{
    std::string t;
    for (char c : text) {
        if (c != ':' && c != ' ') {
            t += c;
        }
    }
    const std::size_t dot = t.find('.');
    const std::string whole = t.substr(0, dot);
    if (whole.size() < 2 || whole.size() > 6 || whole.size() % 2 != 0 ||
        whole.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    double seconds = std::stod(whole.substr(0, 2)) * 3600.0;
    if (whole.size() >= 4) {
        seconds += std::stod(whole.substr(2, 2)) * 60.0;
    }
    if (whole.size() == 6) {
        seconds += std::stod(whole.substr(4, 2));
    }
    if (dot != std::string::npos && dot + 1 < t.size()) {
        const std::string frac = t.substr(dot + 1);
        if (frac.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        seconds += std::stod("0." + frac);
    }
    return seconds < 86400.0 + 1.0 ? std::optional<double>(seconds) : std::nullopt;
}

/// Seconds since 1970-01-01 of a DT (a time-zone suffix is ignored: both ends of an interval are local).
inline std::optional<double> parse_dt(const std::string& text)
{
    std::string t = text.substr(0, text.find_first_of("+-"));
    if (t.size() < 8) {
        return std::nullopt;
    }
    const auto day = parse_da(t.substr(0, 8));
    if (!day) {
        return std::nullopt;
    }
    if (t.size() == 8) {
        return *day;
    }
    const auto time = parse_tm(t.substr(8));
    return time ? std::optional<double>(*day + *time) : std::nullopt;
}

inline std::string format_seconds_since_epoch(double seconds)
{
    const auto days = static_cast<long long>(std::floor(seconds / 86400.0));
    double rest = seconds - static_cast<double>(days) * 86400.0;
    // civil_from_days (H. Hinnant)
    long long z = days + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const long long y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
    const int hh = static_cast<int>(rest / 3600.0);
    rest -= hh * 3600.0;
    const int mm = static_cast<int>(rest / 60.0);
    rest -= mm * 60.0;
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02u %02d:%02d:%06.3f", y, m, d, hh, mm, rest);
    return buffer;
}

/// Loads a DICOM file (headers only when `headers_only`); nullopt when it is not DICOM.
inline std::unique_ptr<DcmFileFormat> load_dicom(const std::string& path, bool headers_only)
{
    register_dicom_codecs();
    auto file = std::make_unique<DcmFileFormat>();
    const OFCondition status = headers_only
        ? file->loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect,
                                 DCM_PixelData)
        : file->loadFile(path.c_str());
    if (status.bad()) {
        return nullptr;
    }
    return file;
}

/// Item 0 of `sequence` inside `item`, or nullptr.
inline DcmItem* first_item(DcmItem* item, const DcmTagKey& sequence)
{
    DcmItem* out = nullptr;
    if (item == nullptr || item->findAndGetSequenceItem(sequence, out, 0).bad()) {
        return nullptr;
    }
    return out;
}

/// A functional-group attribute of frame `f`: per-frame first, then shared.
inline DcmItem* frame_group(DcmItem* ds, unsigned long f, const DcmTagKey& group)
{
    DcmItem* per_frame = nullptr;
    if (ds->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, per_frame, static_cast<int>(f)).good()) {
        if (DcmItem* g = first_item(per_frame, group)) {
            return g;
        }
    }
    return first_item(first_item(ds, DCM_SharedFunctionalGroupsSequence), group);
}

/// "folder/file.dcm": enough to find the file in messages without the whole path.
inline std::string short_name(const std::string& path)
{
    const std::filesystem::path p(path);
    const std::string folder = p.parent_path().filename().string();
    return folder.empty() ? p.filename().string() : folder + "/" + p.filename().string();
}

/// "folder/file.dcm" or "folder/file.dcm frame 7" for a frame of a multi-frame file.
inline std::string slice_name(const dicom_slice& slice)
{
    return slice.frames > 1 ? short_name(slice.path) + " frame " + std::to_string(slice.frame + 1) : short_name(slice.path);
}

}  // namespace detail

/// Reads the headers of every file under `folder` and returns its image series (largest first). Throws
/// `io_error` when the folder does not exist or holds no DICOM image.
inline std::vector<dicom_series_info> scan_dicom_folder(const std::string& folder, const dicom_scan_options& options = {})
{
    namespace fs = std::filesystem;
    const char* where = "io.scan_dicom_folder";
    if (!fs::is_directory(folder)) {
        raise<io_error>(where, "'", folder, "': got no such folder, expected a folder of DICOM files");
    }
    std::vector<std::string> files;
    std::error_code ec;
    if (options.recursive) {
        for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) {
                break;
            }
            if (it->is_regular_file(ec)) {
                files.push_back(it->path().string());
            }
        }
    } else {
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            if (entry.is_regular_file(ec)) {
                files.push_back(entry.path().string());
            }
        }
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, dicom_series_info> by_uid;
    std::vector<std::string> order;
    for (const auto& path : files) {
        if (detail::short_name(path) == "DICOMDIR") {
            continue;
        }
        const auto file = detail::load_dicom(path, true);
        if (!file) {
            continue;
        }
        DcmDataset* ds = file->getDataset();
        const std::string uid = detail::dicom_string(ds, DCM_SeriesInstanceUID);
        if (uid.empty() || detail::dicom_string(ds, DCM_SOPInstanceUID).empty()) {
            continue;  // not a DICOM instance (or garbage that DCMTK parsed as an empty dataset)
        }
        if (!ds->tagExists(DCM_Rows) || !ds->tagExists(DCM_Columns) || detail::dicom_string(ds, DCM_Modality) == "SEG") {
            continue;  // not an image (structured report, RT plan, a segmentation beside its image, ...)
        }
        auto [it, inserted] = by_uid.try_emplace(uid);
        dicom_series_info& s = it->second;
        if (inserted) {
            order.push_back(uid);
            s.uid = uid;
            s.modality = detail::dicom_string(ds, DCM_Modality);
            s.description = detail::dicom_string(ds, DCM_SeriesDescription);
            s.frame_of_reference_uid = detail::dicom_string(ds, DCM_FrameOfReferenceUID);
        }
        dicom_slice slice;
        slice.path = path;
        slice.instance_number = static_cast<int>(detail::dicom_number(ds, DCM_InstanceNumber).value_or(0.0));
        slice.rows = detail::dicom_unsigned(ds, DCM_Rows, 0);
        slice.columns = detail::dicom_unsigned(ds, DCM_Columns, 0);
        slice.frames = static_cast<std::size_t>(std::max(1.0, detail::dicom_number(ds, DCM_NumberOfFrames).value_or(1.0)));
        slice.slope = detail::dicom_number(ds, DCM_RescaleSlope).value_or(1.0);
        slice.intercept = detail::dicom_number(ds, DCM_RescaleIntercept).value_or(0.0);
        const std::string name = detail::short_name(path);
        if (slice.frames > 1 || ds->tagExists(DCM_PerFrameFunctionalGroupsSequence)) {
            // enhanced multi-frame (PS3.3 C.7.6.16): one slice per frame, geometry and rescaling from the
            // per-frame functional groups, else the shared ones
            if (!ds->tagExists(DCM_PerFrameFunctionalGroupsSequence) && !ds->tagExists(DCM_SharedFunctionalGroupsSequence)) {
                s.problems.push_back(name + ": multi-frame (" + std::to_string(slice.frames) +
                                     " frames) without functional groups (only enhanced multi-frame images are read)");
                s.slices.push_back(std::move(slice));
                continue;
            }
            bool complete = true;
            for (std::size_t f = 0; f < slice.frames; ++f) {
                dicom_slice frame = slice;
                frame.frame = f;
                const auto fl = static_cast<unsigned long>(f);
                frame.position = detail::dicom_numbers<3>(detail::frame_group(ds, fl, DCM_PlanePositionSequence),
                                                          DCM_ImagePositionPatient);
                frame.orientation = detail::dicom_numbers<6>(detail::frame_group(ds, fl, DCM_PlaneOrientationSequence),
                                                             DCM_ImageOrientationPatient);
                frame.pixel_spacing = detail::dicom_numbers<2>(detail::frame_group(ds, fl, DCM_PixelMeasuresSequence),
                                                               DCM_PixelSpacing);
                if (DcmItem* t = detail::frame_group(ds, fl, DCM_PixelValueTransformationSequence)) {
                    frame.slope = detail::dicom_number(t, DCM_RescaleSlope).value_or(1.0);
                    frame.intercept = detail::dicom_number(t, DCM_RescaleIntercept).value_or(0.0);
                }
                if (complete && (!frame.position || !frame.orientation || !frame.pixel_spacing)) {
                    complete = false;
                    s.problems.push_back(name + " frame " + std::to_string(f + 1) + ": no Plane Position (0020,9113), "
                                         "Plane Orientation (0020,9116) or Pixel Measures (0028,9110) functional group");
                }
                s.slices.push_back(std::move(frame));
            }
            continue;
        }
        slice.position = detail::dicom_numbers<3>(ds, DCM_ImagePositionPatient);
        slice.orientation = detail::dicom_numbers<6>(ds, DCM_ImageOrientationPatient);
        slice.pixel_spacing = detail::dicom_numbers<2>(ds, DCM_PixelSpacing);
        if (!slice.position || !slice.orientation || !slice.pixel_spacing) {
            s.problems.push_back(name + ": no ImagePositionPatient/ImageOrientationPatient/PixelSpacing");
        }
        s.slices.push_back(std::move(slice));
    }
    if (by_uid.empty()) {
        raise<io_error>(where, "'", folder, "': got ", files.size(), " files and no DICOM image among them, expected "
                        "a folder holding a DICOM series (searched ", options.recursive ? "recursively" : "not recursively",
                        ")");
    }
    std::vector<dicom_series_info> out;
    for (const auto& uid : order) {
        out.push_back(std::move(by_uid[uid]));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const dicom_series_info& a, const dicom_series_info& b) { return a.instances() > b.instances(); });
    return out;
}

/// The series with `uid`, or — when `uid` is empty — the only series (optionally the only one of
/// `modality`). Throws `io_error` listing the series when the choice is ambiguous or the UID absent.
inline dicom_series_info select_dicom_series(const std::vector<dicom_series_info>& series, const std::string& uid,
                                             const std::string& folder, const std::string& modality = "")
{
    const char* where = "io.select_dicom_series";
    std::string listing;
    for (const auto& s : series) {
        listing += (listing.empty() ? "" : "; ") + s.uid + " (" + s.modality + ", " + std::to_string(s.files()) +
                   " files" + (s.description.empty() ? "" : ", '" + s.description + "'") + ")";
    }
    std::vector<const dicom_series_info*> hits;
    for (const auto& s : series) {
        if ((uid.empty() || s.uid == uid) && (modality.empty() || s.modality == modality)) {
            hits.push_back(&s);
        }
    }
    if (hits.size() == 1) {
        return *hits.front();
    }
    if (hits.empty()) {
        raise<io_error>(where, "'", folder, "': series: got ", uid.empty() ? "no " + modality + " series" : "'" + uid + "'",
                        ", expected one of ", listing, ".");
    }
    raise<io_error>(where, "'", folder, "': got ", hits.size(), " series (mixed series: ", listing,
                    "), expected one. Select one by SeriesInstanceUID (dicom_to_nifti --list shows them).");
}

/// The LPS grid of a series and its slices in physical order (see the file comment for the checks).
struct dicom_volume_layout {
    image_geometry<3> geometry;
    std::vector<std::size_t> order;  ///< indices into `series.slices`, along the normal
};

inline dicom_volume_layout dicom_series_layout(const dicom_series_info& series, double slice_tolerance_mm = 0.01)
{
    const char* where = "io.read_dicom_series";
    const std::string& id = series.uid;
    if (!series.problems.empty()) {
        raise<io_error>(where, "series ", id, ": got ", series.problems.front(),
                        series.problems.size() > 1 ? " (and " + std::to_string(series.problems.size() - 1) + " more)" : "",
                        ", expected images with ImagePositionPatient, ImageOrientationPatient and PixelSpacing (single-frame) or plane position, orientation and pixel measures functional groups (enhanced multi-frame).");
    }
    const dicom_slice& first = series.slices.front();
    const auto& o = *first.orientation;
    const std::array<double, 3> r{o[0], o[1], o[2]};
    const std::array<double, 3> c{o[3], o[4], o[5]};
    const std::array<double, 3> n{r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    const double n_norm = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    if (!(n_norm > 0.5)) {
        raise<geometry_error>(where, "series ", id, ", '", detail::slice_name(first),
                              "': ImageOrientationPatient: got parallel row and column directions, expected orthogonal unit vectors.");
    }
    for (const auto& s : series.slices) {
        for (std::size_t k = 0; k < 6; ++k) {
            if (std::fabs((*s.orientation)[k] - o[k]) > 1e-4) {
                raise<geometry_error>(where, "series ", id, ": ImageOrientationPatient of '", detail::slice_name(s),
                                      "' differs from '", detail::slice_name(first), "', expected one orientation "
                                      "for the whole series.");
            }
        }
        if (s.rows != first.rows || s.columns != first.columns ||
            std::fabs((*s.pixel_spacing)[0] - (*first.pixel_spacing)[0]) > 1e-6 ||
            std::fabs((*s.pixel_spacing)[1] - (*first.pixel_spacing)[1]) > 1e-6) {
            raise<geometry_error>(where, "series ", id, ": Rows/Columns/PixelSpacing of '", detail::slice_name(s),
                                  "' differ from '", detail::slice_name(first), "', expected one slice size.");
        }
    }
    std::vector<std::pair<double, std::size_t>> along;
    for (std::size_t i = 0; i < series.slices.size(); ++i) {
        const auto& p = *series.slices[i].position;
        along.emplace_back((p[0] * n[0] + p[1] * n[1] + p[2] * n[2]) / n_norm, i);
    }
    std::stable_sort(along.begin(), along.end());
    dicom_volume_layout out;
    for (const auto& a : along) {
        out.order.push_back(a.second);
    }
    double spacing_z = 1.0;
    if (along.size() > 1) {
        std::vector<double> gaps;
        for (std::size_t i = 1; i < along.size(); ++i) {
            gaps.push_back(along[i].first - along[i - 1].first);
        }
        std::vector<double> sorted = gaps;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted[sorted.size() / 2];
        for (std::size_t i = 0; i < gaps.size(); ++i) {
            const std::string a = detail::slice_name(series.slices[along[i].second]);
            const std::string b = detail::slice_name(series.slices[along[i + 1].second]);
            if (gaps[i] < 1e-3 * std::max(1.0, median)) {
                raise<geometry_error>(where, "series ", id, ": duplicate slice: got '", a, "' and '", b,
                                      "' at the same position (", along[i].first, " mm along the normal), expected one "
                                      "slice per position. ",
                                      series.slices[along[i].second].frames > 1 &&
                                              series.slices[along[i].second].path == series.slices[along[i + 1].second].path
                                          ? "The multi-frame file repeats positions (several temporal positions or "
                                            "stacks): only one 3D stack is read as a volume."
                                          : "Remove one of them.");
            }
            if (std::fabs(gaps[i] - median) > slice_tolerance_mm) {
                const double ratio = gaps[i] / median;
                raise<geometry_error>(where, "series ", id, ": slice gap between '", a, "' and '", b, "': got ", gaps[i],
                                      " mm, expected ", median, " mm (the median gap) within ", slice_tolerance_mm, " mm",
                                      std::fabs(ratio - std::round(ratio)) < 0.05 && ratio > 1.5
                                          ? " (" + std::to_string(static_cast<int>(std::round(ratio)) - 1) +
                                                " missing slice(s))"
                                          : " (non-uniform spacing)",
                                      ". Complete the series or raise slice_tolerance_mm.");
            }
        }
        spacing_z = std::accumulate(gaps.begin(), gaps.end(), 0.0) / static_cast<double>(gaps.size());
        // positions must lie on the normal through the first slice (no gantry tilt)
        const auto& p0 = *series.slices[out.order.front()].position;
        for (std::size_t i = 1; i < out.order.size(); ++i) {
            const auto& p = *series.slices[out.order[i]].position;
            const double t = along[i].first - along[0].first;
            double off = 0.0;
            for (std::size_t d = 0; d < 3; ++d) {
                const double e = p[d] - p0[d] - t * n[d] / n_norm;
                off += e * e;
            }
            if (std::sqrt(off) > std::max(slice_tolerance_mm, 1e-3)) {
                raise<geometry_error>(where, "series ", id, ": slice '", detail::slice_name(series.slices[out.order[i]]),
                                      "' lies ", std::sqrt(off), " mm off the slice normal, expected positions along "
                                      "the normal (gantry tilt or inconsistent positions are not supported).");
            }
        }
    }
    image_geometry<3> g;
    g.set_shape({first.columns, first.rows, series.slices.size()});
    g.set_spacing({(*first.pixel_spacing)[1], (*first.pixel_spacing)[0], spacing_z});
    const auto& origin = *series.slices[out.order.front()].position;
    g.set_origin({origin[0], origin[1], origin[2]});
    typename image_geometry<3>::direction_type direction{};
    for (std::size_t d = 0; d < 3; ++d) {
        direction[d][0] = r[d];
        direction[d][1] = c[d];
        direction[d][2] = n[d] / n_norm;
    }
    try {
        g.set_direction(direction);
    } catch (const geometry_error& e) {
        raise<geometry_error>(where, "series ", id, ": ", e.what());
    }
    out.geometry = g;
    return out;
}

/// The voxel type `read_dicom_series` would best use: int32 when every slice has slope 1 and an integral
/// intercept (CT), else float64.
inline io::pixel_type dicom_pixel_type(const dicom_series_info& series)
{
    for (const auto& s : series.slices) {
        if (s.slope != 1.0 || s.intercept != std::floor(s.intercept)) {
            return io::pixel_type::float64;
        }
    }
    return io::pixel_type::int32;
}

namespace detail {

template <class TPixel>
TPixel dicom_convert(double value, const std::string& path)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        static_cast<void>(path);
        return static_cast<TPixel>(value);
    } else {
        const double rounded = std::nearbyint(value);
        if (rounded != value || rounded < static_cast<double>(std::numeric_limits<TPixel>::lowest()) ||
            rounded > static_cast<double>(std::numeric_limits<TPixel>::max())) {
            raise<io_error>("io.read_dicom_series", "'", path, "': rescaled value: got ", value,
                            ", expected an integer that fits the requested voxel type. Read as float or double.");
        }
        return static_cast<TPixel>(rounded);
    }
}

/// Decodes the frames of one file into `out`: each (slice, k) pair puts frame `slice->frame`'s stored values ×
/// its slope + intercept (× `extra_scale`) at slice k. The file is loaded (and decompressed) once. When `allocate`
/// is given and `out` is empty, `out` gets that grid only after a frame's PixelData proved as long as Rows ×
/// Columns say (a header can claim any size; the volume is not allocated on its word).
template <class TPixel>
void read_dicom_frames(const std::string& path, const std::vector<std::pair<const dicom_slice*, std::size_t>>& frames,
                       image<TPixel, 3>& out, double extra_scale, const image_geometry<3>* allocate = nullptr)
{
    const char* where = "io.read_dicom_series";
    register_dicom_codecs();
    const auto file = load_dicom(path, false);
    if (!file) {
        raise<io_error>(where, "'", path, "': got an unreadable file, expected a DICOM image");
    }
    DcmDataset* ds = file->getDataset();
    const E_TransferSyntax xfer = ds->getOriginalXfer();
    if (ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad() || !ds->canWriteXfer(EXS_LittleEndianExplicit)) {
        raise<io_error>(where, "'", path, "': transfer syntax: got ", DcmXfer(xfer).getXferName(),
                        ", expected an uncompressed, JPEG, JPEG-LS or RLE syntax that DCMTK decodes");
    }
    const std::size_t samples = dicom_unsigned(ds, DCM_SamplesPerPixel, 1);
    const std::size_t bits = dicom_unsigned(ds, DCM_BitsAllocated, 16);
    const std::size_t stored_bits = dicom_unsigned(ds, DCM_BitsStored, bits);
    const bool is_signed = dicom_unsigned(ds, DCM_PixelRepresentation, 0) == 1;
    if (samples != 1) {
        raise<io_error>(where, "'", path, "': SamplesPerPixel: got ", samples, ", expected 1 (greyscale)");
    }
    if (bits != 8 && bits != 16 && bits != 32) {
        raise<io_error>(where, "'", path, "': BitsAllocated: got ", bits, ", expected 8, 16 or 32");
    }
    if (stored_bits < 1 || stored_bits > bits) {
        raise<io_error>(where, "'", path, "': BitsStored: got ", stored_bits, ", expected 1 to BitsAllocated (", bits, ")");
    }
    DcmElement* element = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr) {
        raise<io_error>(where, "'", path, "': got no PixelData (7FE0,0010), expected the image's pixels");
    }
    Uint8* data = nullptr;
    if (element->getUint8Array(data).bad() || data == nullptr) {  // OB; OW pixel data hands out words
        Uint16* words = nullptr;
        data = element->getUint16Array(words).good() ? reinterpret_cast<Uint8*>(words) : nullptr;
    }
    if (data == nullptr) {
        raise<io_error>(where, "'", path, "': PixelData: got no readable pixel values, expected ", bits, "-bit samples");
    }
    const std::size_t bytes = bits / 8;
    // stored value → signed/unsigned integer (PS3.5 8.1.1: the low BitsStored bits; two's complement when signed)
    const std::uint32_t mask = stored_bits >= 32 ? 0xFFFFFFFFu : (1u << stored_bits) - 1u;
    const std::uint32_t sign_bit = stored_bits >= 32 ? 0x80000000u : 1u << (stored_bits - 1);
    const auto value_of = [&](std::uint32_t v) -> std::int64_t {
        v &= mask;
        if (is_signed && (v & sign_bit) != 0) {
            return static_cast<std::int64_t>(v) - (std::int64_t{1} << stored_bits);
        }
        return static_cast<std::int64_t>(v);
    };
    for (const auto& [slice, k] : frames) {
        const std::size_t n = slice->rows * slice->columns;
        const std::size_t begin = slice->frame * n * bytes;
        if (element->getLength() < begin + n * bytes) {
            raise<io_error>(where, "'", path, "': PixelData: got ", element->getLength(), " bytes, expected ",
                            (slice->frame + 1) * n * bytes, " for frame ", slice->frame + 1, " of ", slice->columns, " x ",
                            slice->rows, " x ", bits, " bits");
        }
        if (allocate != nullptr && out.empty()) {
            out = image<TPixel, 3>(*allocate);
        }
        const Uint8* frame = data + begin;
        const std::size_t offset = k * n;
        const double slope = slice->slope * extra_scale;
        const double intercept = slice->intercept * extra_scale;
        // one loop per sample width (TRaw: uint8/16/32), little endian (the representation chosen above)
        const auto decode = [&](auto raw_tag) {
            using raw_type = decltype(raw_tag);
            const auto raw = [&](std::size_t i) {
                raw_type v = 0;
                std::memcpy(&v, frame + sizeof(raw_type) * i, sizeof(raw_type));
                return value_of(v);
            };
            if constexpr (!std::is_floating_point_v<TPixel>) {
                // integral rescaling (CT: slope 1, intercept -1024) in integers; the range check stays per voxel
                if (slope == std::floor(slope) && intercept == std::floor(intercept) && extra_scale == 1.0 &&
                    std::fabs(slope) < 2147483648.0 && std::fabs(intercept) < 2147483648.0) {
                    const auto a = static_cast<std::int64_t>(slope);
                    const auto b = static_cast<std::int64_t>(intercept);
                    const auto lo = static_cast<std::int64_t>(std::numeric_limits<TPixel>::lowest());
                    const auto hi = static_cast<std::int64_t>(std::numeric_limits<TPixel>::max());
                    for (std::size_t i = 0; i < n; ++i) {
                        const std::int64_t v = raw(i) * a + b;
                        if (v < lo || v > hi) {
                            out[offset + i] = dicom_convert<TPixel>(static_cast<double>(v), path);  // throws
                        }
                        out[offset + i] = static_cast<TPixel>(v);
                    }
                    return;
                }
            }
            for (std::size_t i = 0; i < n; ++i) {
                const double value = (static_cast<double>(raw(i)) * slice->slope + slice->intercept) * extra_scale;
                if constexpr (std::is_floating_point_v<TPixel>) {
                    out[offset + i] = static_cast<TPixel>(value);
                } else {
                    out[offset + i] = dicom_convert<TPixel>(value, path);
                }
            }
        };
        if (bytes == 2) {
            decode(std::uint16_t{});
        } else if (bytes == 1) {
            decode(std::uint8_t{});
        } else {
            decode(std::uint32_t{});
        }
    }
}

}  // namespace detail

/// Reads a series as `image<TPixel, 3>` in LPS with per-slice (per-frame) rescaling (values × `extra_scale`).
/// Each file is read once, whatever number of frames it holds.
template <class TPixel>
image<TPixel, 3> read_dicom_series(const dicom_series_info& series, const dicom_read_options& options = {},
                                   double extra_scale = 1.0)
{
    const dicom_volume_layout layout = dicom_series_layout(series, options.slice_tolerance_mm);
    image<TPixel, 3> out;  // allocated once the first frame's pixels match its header (read_dicom_frames)
    std::map<std::string, std::vector<std::pair<const dicom_slice*, std::size_t>>> by_file;
    std::vector<std::string> file_order;  // first use along the normal: errors name the first bad file
    for (std::size_t k = 0; k < layout.order.size(); ++k) {
        const dicom_slice& slice = series.slices[layout.order[k]];
        auto& frames = by_file[slice.path];
        if (frames.empty()) {
            file_order.push_back(slice.path);
        }
        frames.emplace_back(&slice, k);
    }
    for (const auto& path : file_order) {
        detail::read_dicom_frames(path, by_file[path], out, extra_scale, &layout.geometry);
    }
    return out;
}

/// Reads the series of `folder` (the only one, or `options.series_uid`).
template <class TPixel>
image<TPixel, 3> read_dicom_image(const std::string& folder, const dicom_read_options& options = {})
{
    return read_dicom_series<TPixel>(select_dicom_series(scan_dicom_folder(folder), options.series_uid, folder), options);
}

namespace detail {

[[noreturn]] inline void missing_pet_tag(const std::string& file, const char* tag, const std::string& got,
                                         const char* expected, const char* hint)
{
    raise<io_error>("io.read_pet_suv_info", "'", file, "': ", tag, ": got ", got.empty() ? "nothing" : "'" + got + "'",
                    ", expected ", expected, ". ", hint);
}

}  // namespace detail

/// SUV factors of a PET series from its tags (QIBA Appendix G; see the file comment) and `overrides`.
inline pet_suv_info read_pet_suv_info(const dicom_series_info& series, const suv_overrides& overrides = {})
{
    const char* where = "io.read_pet_suv_info";
    if (series.slices.empty()) {
        raise<io_error>(where, "series ", series.uid, ": got no files, expected a PET series");
    }
    const std::string& path = series.slices.front().path;
    const auto file = detail::load_dicom(path, true);
    if (!file) {
        raise<io_error>(where, "'", path, "': got an unreadable file, expected a DICOM PET image");
    }
    DcmDataset* ds = file->getDataset();
    pet_suv_info info;
    const auto used = [&](const char* tag, const std::string& value) { info.tags_used.emplace_back(tag, value); };
    if (series.modality != "PT") {
        raise<io_error>(where, "'", path, "': (0008,0060) Modality: got '", series.modality, "', expected PT for SUV");
    }
    info.units = detail::dicom_string(ds, DCM_Units);
    const char* units_tag = "(0054,1001) Units";
    std::string units_text;  // what the file says, when it is not the classic defined term
    if (info.units.empty()) {
        // Enhanced PET (PS3.3 Table A.56-2): the Measurement Units Code Sequence (0040,08EA) of the Pixel Value
        // Transformation functional group, CID 84 "PET Units" (UCUM codes)
        const std::string code = detail::dicom_string(
            detail::first_item(detail::frame_group(ds, 0, DCM_PixelValueTransformationSequence),
                               DCM_MeasurementUnitsCodeSequence),
            DCM_CodeValue);
        if (!code.empty()) {
            info.units = code == "Bq/ml" ? "BQML" : code == "{SUVbw}g/ml" ? "GML" : code == "{counts}" ? "CNTS" : code;
            units_tag = "(0040,08EA) Measurement Units Code Sequence";
            units_text = code + " (" + info.units + ")";
        }
    }
    if (info.units != "BQML" && info.units != "CNTS" && info.units != "GML") {
        detail::missing_pet_tag(path, units_tag, info.units,
                                "BQML, CNTS or GML (enhanced PET: UCUM Bq/ml, {counts} or {SUVbw}g/ml)",
                                "SUV cannot be computed without knowing what the pixel values are.");
    }
    used(units_tag, units_text.empty() ? info.units : units_text);
    info.decay_correction = detail::dicom_string(ds, DCM_DecayCorrection);
    std::optional<double> decay_reference;  // enhanced PET: the time the values are decay-corrected to
    const bool classic_decay = !info.decay_correction.empty();
    if (!classic_decay) {
        // Enhanced PET Corrections (PS3.3 C.8.22.6): Decay Corrected (0018,9758) YES / NO, and when YES the
        // Decay Correction DateTime (0018,9701) the values refer to; the dose is decayed to that time
        const std::string decayed = detail::dicom_string(ds, DCM_DecayCorrected);
        if (decayed == "NO") {
            info.decay_correction = "NONE";
            used("(0018,9758) DecayCorrected", decayed);
        } else if (decayed == "YES") {
            const std::string when = detail::dicom_string(ds, DCM_DecayCorrectionDateTime);
            decay_reference = detail::parse_dt(when);
            if (!decay_reference) {
                detail::missing_pet_tag(path, "(0018,9701) DecayCorrectionDateTime", when,
                                        "the date and time the values are decay-corrected to (DecayCorrected is YES)",
                                        "The reference time of the pixel values is unknown.");
            }
            info.decay_correction = "START";
            used("(0018,9758) DecayCorrected", decayed);
            used("(0018,9701) DecayCorrectionDateTime", when);
            info.notes.push_back("enhanced PET: the dose is decayed to DecayCorrectionDateTime (0018,9701)");
        }
    }
    const std::string corrected = detail::dicom_string(ds, DCM_CorrectedImage);
    if (!corrected.empty()) {
        used("(0028,0051) CorrectedImage", corrected);
        if (corrected.find("ATTN") == std::string::npos) {
            info.notes.push_back("CorrectedImage lacks ATTN: the images are not attenuation-corrected");
        }
    }

    // weight, height, sex
    if (overrides.weight_kg) {
        info.weight_kg = *overrides.weight_kg;
        info.notes.push_back("weight from --weight");
    } else {
        info.weight_kg = detail::dicom_number(ds, DCM_PatientWeight).value_or(0.0);
    }
    if (!(info.weight_kg >= 1.0 && info.weight_kg <= 500.0)) {
        detail::missing_pet_tag(path, "(0010,1030) PatientWeight",
                                info.weight_kg > 0.0 ? std::to_string(info.weight_kg) : "",
                                "a weight in kg within [1, 500]", "Give the weight with --weight KG.");
    }
    used("(0010,1030) PatientWeight [kg]", std::to_string(info.weight_kg));
    info.height_m = overrides.height_m ? *overrides.height_m : detail::dicom_number(ds, DCM_PatientSize).value_or(0.0);
    if (info.height_m != 0.0 && !(info.height_m >= 0.3 && info.height_m <= 2.6)) {
        detail::missing_pet_tag(path, "(0010,1020) PatientSize", std::to_string(info.height_m),
                                "a height in metres within [0.3, 2.6]", "Give the height with --height M.");
    }
    if (info.height_m > 0.0) {
        used("(0010,1020) PatientSize [m]", std::to_string(info.height_m));
    }
    const std::string sex = overrides.sex ? std::string(1, *overrides.sex) : detail::dicom_string(ds, DCM_PatientSex);
    info.sex = sex == "M" || sex == "F" ? sex[0] : '\0';
    if (info.sex) {
        used("(0010,0040) PatientSex", sex);
    }

    // Body size for SUL and SUVbsa relative to body weight (Janmahasatian 2005; Du Bois 1916).
    double lbm_over_weight = 0.0;
    double bsa_cm2_over_weight_g = 0.0;
    if (info.height_m > 0.0) {
        const double bmi = info.weight_kg / (info.height_m * info.height_m);
        if (info.sex) {
            const double lbm = info.sex == 'M' ? 9270.0 * info.weight_kg / (6680.0 + 216.0 * bmi)
                                               : 9270.0 * info.weight_kg / (8780.0 + 244.0 * bmi);
            lbm_over_weight = lbm / info.weight_kg;
        }
        const double bsa_m2 = 0.007184 * std::pow(info.weight_kg, 0.425) * std::pow(info.height_m * 100.0, 0.725);
        bsa_cm2_over_weight_g = bsa_m2 * 1e4 / (info.weight_kg * 1000.0);
    }
    const auto finish = [&](double bw) {
        info.suv_bw_factor = bw;
        info.suv_lbm_factor = bw * lbm_over_weight;
        info.suv_bsa_factor = bw * bsa_cm2_over_weight_g;
        return info;
    };

    if (info.units == "GML") {
        info.notes.push_back("Units GML: the values are SUVbw already (QIBA: factor 1)");
        return finish(1.0);
    }
    if (info.units == "CNTS") {
        const std::string suv = detail::dicom_private(ds, 0x7053, "Philips PET Private Group", 0x00);
        const std::string activity = detail::dicom_private(ds, 0x7053, "Philips PET Private Group", 0x09);
        if (!suv.empty() && std::strtod(suv.c_str(), nullptr) > 0.0) {
            used("(7053,xx00) Philips SUV scale factor", suv);
            return finish(std::strtod(suv.c_str(), nullptr));
        }
        if (activity.empty() || !(std::strtod(activity.c_str(), nullptr) > 0.0)) {
            detail::missing_pet_tag(path, "(7053,xx00) Philips SUV scale factor", suv,
                                    "a factor > 0 (or (7053,xx09) activity concentration scale factor) for Units CNTS",
                                    "Counts cannot be converted to SUV without the vendor's factor.");
        }
        info.activity_scale = std::strtod(activity.c_str(), nullptr);
        used("(7053,xx09) Philips activity concentration scale factor", activity);
        info.notes.push_back("Units CNTS: rescaled values x (7053,xx09) are Bq/mL, then as BQML");
    }

    // BQML (or CNTS turned into Bq/mL): decay the dose to the scan time.
    if (info.decay_correction != "START" && info.decay_correction != "ADMIN" && info.decay_correction != "NONE") {
        detail::missing_pet_tag(path, "(0054,1102) DecayCorrection", info.decay_correction,
                                "START, ADMIN or NONE (enhanced PET: (0018,9758) DecayCorrected YES or NO)",
                                "The reference time of the pixel values is unknown.");
    }
    if (classic_decay) {
        used("(0054,1102) DecayCorrection", info.decay_correction);
    }
    DcmItem* nuclide = nullptr;
    ds->findAndGetSequenceItem(DCM_RadiopharmaceuticalInformationSequence, nuclide, 0);
    if (overrides.dose_bq) {
        info.dose_bq = *overrides.dose_bq;
        info.notes.push_back("dose from --dose");
    } else {
        info.dose_bq = detail::dicom_number(nuclide, DCM_RadionuclideTotalDose).value_or(0.0);
    }
    if (!(info.dose_bq >= 1e6 && info.dose_bq <= 1e11)) {
        detail::missing_pet_tag(path, "(0018,1074) RadionuclideTotalDose", info.dose_bq > 0 ? std::to_string(info.dose_bq) : "",
                                "a dose in Bq within [1e6, 1e11] (1 MBq to 100 GBq; a value in MBq is a common mistake)",
                                "Give the injected dose in Bq with --dose BQ.");
    }
    used("(0018,1074) RadionuclideTotalDose [Bq]", std::to_string(info.dose_bq));
    info.half_life_s = overrides.half_life_s ? *overrides.half_life_s
                                             : detail::dicom_number(nuclide, DCM_RadionuclideHalfLife).value_or(0.0);
    if (!(info.half_life_s > 0.0)) {
        detail::missing_pet_tag(path, "(0018,1075) RadionuclideHalfLife", "", "a half-life in s > 0",
                                "Give it with --half-life S (F-18: 6586.2).");
    }
    used("(0018,1075) RadionuclideHalfLife [s]", std::to_string(info.half_life_s));

    // Scan time: series date/time unless it is after the earliest acquisition (QIBA Appendix G).
    const std::string series_date = detail::dicom_string(ds, DCM_SeriesDate);
    const std::string series_time = detail::dicom_string(ds, DCM_SeriesTime);
    const auto series_day = detail::parse_da(series_date);
    const auto series_tod = detail::parse_tm(series_time);
    std::optional<double> earliest_acquisition;
    for (std::size_t i = 0; i < series.slices.size(); ++i) {
        const dicom_slice& s = series.slices[i];
        if (i > 0 && s.path == series.slices[i - 1].path) {
            continue;  // the next frame of a multi-frame file: its frames were read with the file
        }
        const auto f = detail::load_dicom(s.path, true);
        if (!f) {
            continue;
        }
        DcmDataset* d = f->getDataset();
        std::optional<double> t = detail::parse_dt(detail::dicom_string(d, DCM_AcquisitionDateTime));
        if (!t) {
            const auto day = detail::parse_da(detail::dicom_string(d, DCM_AcquisitionDate));
            const auto tod = detail::parse_tm(detail::dicom_string(d, DCM_AcquisitionTime));
            if (day && tod) {
                t = *day + *tod;
            }
        }
        for (std::size_t frame = 0; s.frames > 1 && frame < s.frames; ++frame) {
            // enhanced PET: FrameAcquisitionDateTime (0018,9074) of the Frame Content functional group
            const auto ft = detail::parse_dt(detail::dicom_string(
                detail::frame_group(d, static_cast<unsigned long>(frame), DCM_FrameContentSequence),
                DCM_FrameAcquisitionDateTime));
            if (ft && (!t || *ft < *t)) {
                t = ft;
            }
        }
        if (t && (!earliest_acquisition || *t < *earliest_acquisition)) {
            earliest_acquisition = t;
        }
    }
    std::optional<double> scan;
    if (series_day && series_tod) {
        scan = *series_day + *series_tod;
        used("(0008,0021)/(0008,0031) SeriesDate/SeriesTime", series_date + " " + series_time);
    }
    if (info.decay_correction == "NONE" && earliest_acquisition) {
        scan = earliest_acquisition;
        info.notes.push_back("DecayCorrection NONE: dose decayed to the earliest AcquisitionTime");
    } else if (scan && earliest_acquisition && *scan > *earliest_acquisition) {
        const std::string ge = detail::dicom_private(ds, 0x0009, "GEMS_PETD_01", 0x0D);
        const auto ge_time = detail::parse_dt(ge);
        if (ge_time) {
            scan = ge_time;
            used("(0009,xx0D) GE private scan date/time", ge);
            info.notes.push_back("SeriesTime is after AcquisitionTime: scan time from GE's private scan date/time");
        } else {
            scan = earliest_acquisition;
            info.notes.push_back("SeriesTime is after the earliest AcquisitionTime (post-processed series): scan time = "
                                 "earliest AcquisitionDate/AcquisitionTime");
        }
    } else if (!scan) {
        scan = earliest_acquisition;
    }
    if (decay_reference) {
        scan = decay_reference;  // enhanced PET: the values' own reference time
    }
    if (!scan) {
        detail::missing_pet_tag(path, "(0008,0021)/(0008,0031) SeriesDate/SeriesTime", series_date + series_time,
                                "a scan date and time (or AcquisitionDate/AcquisitionTime)", "The decay time is unknown.");
    }
    const double scan_day = std::floor(*scan / 86400.0) * 86400.0;

    // Injection time.
    std::optional<double> injection;
    bool time_only = false;
    std::string injection_text;
    if (overrides.injection) {
        injection_text = *overrides.injection;
        injection = injection_text.size() > 8 && injection_text.find_first_not_of("0123456789.") == std::string::npos &&
                            injection_text.size() >= 12
                        ? detail::parse_dt(injection_text)
                        : std::nullopt;
        if (!injection) {
            const auto tod = detail::parse_tm(injection_text);
            if (tod) {
                injection = scan_day + *tod;
                time_only = true;
            }
        }
        if (!injection) {
            raise<invalid_argument>(where, "--injection-time: got '", injection_text,
                                    "', expected YYYYMMDDHHMMSS or HHMMSS (the scan's date).");
        }
        info.notes.push_back("injection time from --injection-time");
    } else {
        injection_text = detail::dicom_string(nuclide, DCM_RadiopharmaceuticalStartDateTime);
        injection = detail::parse_dt(injection_text);
        if (injection) {
            used("(0018,1078) RadiopharmaceuticalStartDateTime", injection_text);
        } else {
            injection_text = detail::dicom_string(nuclide, DCM_RadiopharmaceuticalStartTime);
            const auto tod = detail::parse_tm(injection_text);
            if (!tod) {
                detail::missing_pet_tag(path, "(0018,1072) RadiopharmaceuticalStartTime", injection_text,
                                        "the injection time (or (0018,1078) RadiopharmaceuticalStartDateTime)",
                                        "Give it with --injection-time HHMMSS.");
            }
            injection = (series_day ? *series_day : scan_day) + *tod;
            time_only = true;
            used("(0018,1072) RadiopharmaceuticalStartTime", injection_text);
        }
    }
    if (time_only && *injection > *scan) {
        *injection -= 86400.0;  // QIBA: the start date is not explicit; the injection was before midnight
        info.notes.push_back("injection time later than the scan time: taken on the previous day (midnight)");
    }
    info.injection_to_scan_seconds = *scan - *injection;
    if (info.injection_to_scan_seconds < 0.0) {
        raise<io_error>(where, "'", path, "': injection ", detail::format_seconds_since_epoch(*injection),
                        ": got an injection after the scan (", detail::format_seconds_since_epoch(*scan),
                        "), expected the injection first. Check (0018,1078)/(0018,1072) or give --injection-time.");
    }
    if (info.injection_to_scan_seconds > 86400.0) {
        raise<io_error>(where, "'", path, "': injection-to-scan time: got ", info.injection_to_scan_seconds,
                        " s, expected less than 24 h. Check the dates or give --injection-time.");
    }
    info.decay_factor = info.decay_correction == "ADMIN" ? 1.0
                                                         : std::exp2(-info.injection_to_scan_seconds / info.half_life_s);
    const double decayed_dose = info.dose_bq * info.decay_factor;
    return finish(info.activity_scale * info.weight_kg * 1000.0 / decayed_dose);
}

/// The PET metadata of `preprocess::suv_body_weight` for a BQML series (ADMIN: no decay, so zero time);
/// `preprocess::suv_bw_factor(to_pet_metadata(info))` equals `info.suv_bw_factor`. Throws `invalid_argument`
/// for CNTS/GML series, whose factor is not weight over decayed dose: use `info.suv_bw_factor` there.
inline preprocess::pet_metadata to_pet_metadata(const pet_suv_info& info)
{
    if (info.units != "BQML") {
        raise<invalid_argument>("io.to_pet_metadata", "Units: got ", info.units,
                                ", expected BQML. Multiply by pet_suv_info::suv_bw_factor instead.");
    }
    preprocess::pet_metadata m;
    m.patient_weight_kg = info.weight_kg;
    m.injected_dose_bq = info.dose_bq;
    m.half_life_seconds = info.half_life_s;
    m.injection_to_scan_seconds = info.decay_correction == "ADMIN" ? 0.0 : info.injection_to_scan_seconds;
    return m;
}

/// A PET series in SUV (`type`), with the factors and tags in `info` when given.
inline image<double, 3> read_dicom_suv(const dicom_series_info& series, suv_type type,
                                       const suv_overrides& overrides = {}, pet_suv_info* info = nullptr,
                                       const dicom_read_options& options = {})
{
    const pet_suv_info suv = read_pet_suv_info(series, overrides);
    const double factor = suv.factor(type);
    if (info != nullptr) {
        *info = suv;
    }
    image<double, 3> activity = read_dicom_series<double>(series, options);
    for (std::size_t i = 0; i < activity.size(); ++i) {
        activity[i] *= factor;
    }
    return activity;
}

// --- RT Structure Set (DICOM PS3.3 C.8.8.5 / C.8.8.6) -------------------------------------------------

/// One ROI of an RT Structure Set.
struct rtstruct_roi {
    int number = 0;           ///< ROINumber (3006,0022)
    std::string name;         ///< ROIName (3006,0026)
    std::string frame_of_reference_uid;  ///< ReferencedFrameOfReferenceUID (3006,0024)
    std::size_t contours = 0; ///< closed planar contours in ROIContourSequence (3006,0039)
};

namespace detail {

inline std::unique_ptr<DcmFileFormat> load_rtstruct(const std::string& path, const char* where)
{
    if (!std::filesystem::is_regular_file(path)) {
        raise<io_error>(where, "'", path, "': the RTSTRUCT file does not exist or cannot be opened");
    }
    auto file = load_dicom(path, false);
    if (!file) {
        raise<io_error>(where, "'", path, "': got an unreadable file, expected a DICOM RT Structure Set");
    }
    const std::string modality = dicom_string(file->getDataset(), DCM_Modality);
    if (modality != "RTSTRUCT") {
        raise<io_error>(where, "'", path, "': (0008,0060) Modality: got '", modality, "', expected RTSTRUCT");
    }
    return file;
}

/// Even–odd point-in-polygon test (ray casting to +x); `xs`, `ys` the polygon's vertices.
inline bool inside_polygon(double x, double y, const std::vector<double>& xs, const std::vector<double>& ys)
{
    bool inside = false;
    const std::size_t n = xs.size();
    for (std::size_t a = 0, b = n - 1; a < n; b = a++) {
        if ((ys[a] > y) != (ys[b] > y)) {
            const double cross = xs[a] + (y - ys[a]) * (xs[b] - xs[a]) / (ys[b] - ys[a]);
            if (x < cross) {
                inside = !inside;
            }
        }
    }
    return inside;
}

}  // namespace detail

/// The ROIs of an RT Structure Set file.
inline std::vector<rtstruct_roi> read_rtstruct_rois(const std::string& path)
{
    const char* where = "io.read_rtstruct_rois";
    const auto file = detail::load_rtstruct(path, where);
    DcmDataset* ds = file->getDataset();
    std::vector<rtstruct_roi> out;
    for (unsigned long i = 0;; ++i) {
        DcmItem* item = nullptr;
        if (ds->findAndGetSequenceItem(DCM_StructureSetROISequence, item, static_cast<int>(i)).bad() || item == nullptr) {
            break;
        }
        rtstruct_roi roi;
        roi.number = static_cast<int>(detail::dicom_number(item, DCM_ROINumber).value_or(-1.0));
        roi.name = detail::dicom_string(item, DCM_ROIName);
        roi.frame_of_reference_uid = detail::dicom_string(item, DCM_ReferencedFrameOfReferenceUID);
        out.push_back(roi);
    }
    for (unsigned long i = 0;; ++i) {
        DcmItem* item = nullptr;
        if (ds->findAndGetSequenceItem(DCM_ROIContourSequence, item, static_cast<int>(i)).bad() || item == nullptr) {
            break;
        }
        const int number = static_cast<int>(detail::dicom_number(item, DCM_ReferencedROINumber).value_or(-1.0));
        DcmSequenceOfItems* contours = nullptr;
        std::size_t count = 0;
        if (item->findAndGetSequence(DCM_ContourSequence, contours).good() && contours != nullptr) {
            count = contours->card();
        }
        for (auto& roi : out) {
            if (roi.number == number) {
                roi.contours += count;
            }
        }
    }
    return out;
}

/// Rasterises one ROI of an RT Structure Set onto `grid` (usually the referenced image's): a voxel is inside
/// when its centre is inside the ROI's closed planar contours on its slice, several contours on one slice
/// combining by the even–odd rule (so a contour inside another is a hole). Contours are not interpolated
/// between slices: a slice without a contour stays empty. `selector` is the ROI name (exact, then
/// case-insensitive) or number. Returns a label map with `label` inside. Throws `mask_error` naming the ROIs
/// when none matches, `geometry_error` when a contour does not lie on a slice of the grid or its frame of
/// reference differs from `frame_of_reference_uid` (when given).
inline label_image<3> read_rtstruct_mask(const std::string& path, const std::string& selector, const image_geometry<3>& grid,
                                         const std::string& frame_of_reference_uid = "", std::int32_t label = 1)
{
    const char* where = "io.read_rtstruct_mask";
    const std::vector<rtstruct_roi> rois = read_rtstruct_rois(path);
    const rtstruct_roi* chosen = nullptr;
    for (const auto& r : rois) {
        if (r.name == selector) {
            chosen = &r;
        }
    }
    const auto lower = [](std::string t) {
        for (auto& c : t) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return t;
    };
    for (const auto& r : rois) {
        if (chosen == nullptr && lower(r.name) == lower(selector)) {
            chosen = &r;
        }
    }
    for (const auto& r : rois) {
        if (chosen == nullptr && std::to_string(r.number) == selector) {
            chosen = &r;
        }
    }
    if (chosen == nullptr) {
        std::string names;
        for (const auto& r : rois) {
            names += (names.empty() ? "" : ", ") + std::string("'") + r.name + "' (" + std::to_string(r.number) + ")";
        }
        raise<mask_error>(where, "'", path, "': ROI: got '", selector, "', expected one of ",
                          names.empty() ? "(no ROI in the file)" : names, ".");
    }
    if (!frame_of_reference_uid.empty() && !chosen->frame_of_reference_uid.empty() &&
        chosen->frame_of_reference_uid != frame_of_reference_uid) {
        raise<geometry_error>(where, "'", path, "': ROI '", chosen->name, "' frame of reference: got ",
                              chosen->frame_of_reference_uid, ", expected the image's ", frame_of_reference_uid,
                              ". The structure set belongs to another study or registration.");
    }
    const auto file = detail::load_rtstruct(path, where);
    DcmDataset* ds = file->getDataset();
    label_image<3> out(grid, 0);
    const std::size_t nx = grid.shape()[0];
    const std::size_t ny = grid.shape()[1];
    // per slice: the XOR of every contour's inside test (even–odd across contours)
    for (unsigned long i = 0;; ++i) {
        DcmItem* item = nullptr;
        if (ds->findAndGetSequenceItem(DCM_ROIContourSequence, item, static_cast<int>(i)).bad() || item == nullptr) {
            break;
        }
        if (static_cast<int>(detail::dicom_number(item, DCM_ReferencedROINumber).value_or(-1.0)) != chosen->number) {
            continue;
        }
        for (unsigned long c = 0;; ++c) {
            DcmItem* contour = nullptr;
            if (item->findAndGetSequenceItem(DCM_ContourSequence, contour, static_cast<int>(c)).bad() || contour == nullptr) {
                break;
            }
            const std::string type = detail::dicom_string(contour, DCM_ContourGeometricType);
            if (type != "CLOSED_PLANAR") {
                continue;  // POINT / OPEN_PLANAR / OPEN_NONPLANAR enclose no area
            }
            DcmElement* data = nullptr;
            if (contour->findAndGetElement(DCM_ContourData, data).bad() || data == nullptr || data->getVM() < 9 ||
                data->getVM() % 3 != 0) {
                raise<io_error>(where, "'", path, "': ROI '", chosen->name, "' contour ", c + 1,
                                ": ContourData (3006,0050): got ", data == nullptr ? 0 : data->getVM(),
                                " values, expected x\\y\\z triplets of at least 3 points");
            }
            std::vector<double> xs;
            std::vector<double> ys;
            double k_sum = 0.0;
            double k_min = std::numeric_limits<double>::infinity();
            double k_max = -k_min;
            const unsigned long points = data->getVM() / 3;
            for (unsigned long p = 0; p < points; ++p) {
                std::array<double, 3> xyz{};
                for (unsigned long d = 0; d < 3; ++d) {
                    Float64 v = 0.0;
                    data->getFloat64(v, 3 * p + d);
                    xyz[d] = v;
                }
                const auto index = grid.physical_to_index({xyz[0], xyz[1], xyz[2]});
                xs.push_back(index[0]);
                ys.push_back(index[1]);
                k_sum += index[2];
                k_min = std::min(k_min, index[2]);
                k_max = std::max(k_max, index[2]);
            }
            const double k_mean = k_sum / static_cast<double>(points);
            const double k_round = std::round(k_mean);
            if (k_max - k_min > 0.1 || std::fabs(k_mean - k_round) > 0.1) {
                raise<geometry_error>(where, "'", path, "': ROI '", chosen->name, "' contour ", c + 1,
                                      ": got slice index ", k_min, "..", k_max, " on the image grid, expected a "
                                      "contour on one slice of the image (within 0.1 slice). Rasterise onto the "
                                      "referenced image's grid.");
            }
            if (k_round < 0.0 || k_round >= static_cast<double>(grid.shape()[2])) {
                continue;  // outside the image
            }
            const auto k = static_cast<std::size_t>(k_round);
            const double x_lo = std::max(0.0, std::ceil(*std::min_element(xs.begin(), xs.end())));
            const double x_hi = std::min(static_cast<double>(nx) - 1.0, std::floor(*std::max_element(xs.begin(), xs.end())));
            const double y_lo = std::max(0.0, std::ceil(*std::min_element(ys.begin(), ys.end())));
            const double y_hi = std::min(static_cast<double>(ny) - 1.0, std::floor(*std::max_element(ys.begin(), ys.end())));
            for (double y = y_lo; y <= y_hi; y += 1.0) {
                for (double x = x_lo; x <= x_hi; x += 1.0) {
                    if (detail::inside_polygon(x, y, xs, ys)) {
                        auto& v = out(static_cast<std::size_t>(x), static_cast<std::size_t>(y), k);
                        v = v == 0 ? label : 0;
                    }
                }
            }
        }
    }
    return out;
}

// --- Segmentation objects (DICOM PS3.3 C.8.20, Segmentation IOD) --------------------------------------

/// One segment of a DICOM SEG.
struct dicom_seg_segment {
    int number = 0;     ///< SegmentNumber (0062,0004)
    std::string label;  ///< SegmentLabel (0062,0005)
    std::size_t frames = 0;
};

/// What a DICOM SEG holds (without its pixels).
struct dicom_seg_info {
    std::string type;  ///< SegmentationType (0062,0001): BINARY or FRACTIONAL
    std::string frame_of_reference_uid;
    std::vector<std::string> referenced_series;  ///< ReferencedSeriesSequence (0008,1115) SeriesInstanceUIDs
    std::vector<dicom_seg_segment> segments;
};

namespace detail {

inline std::unique_ptr<DcmFileFormat> load_seg(const std::string& path, const char* where)
{
    if (!std::filesystem::is_regular_file(path)) {
        raise<io_error>(where, "'", path, "': the SEG file does not exist or cannot be opened");
    }
    auto file = load_dicom(path, false);
    if (!file) {
        raise<io_error>(where, "'", path, "': got an unreadable file, expected a DICOM Segmentation");
    }
    const std::string modality = dicom_string(file->getDataset(), DCM_Modality);
    if (modality != "SEG") {
        raise<io_error>(where, "'", path, "': (0008,0060) Modality: got '", modality, "', expected SEG");
    }
    return file;
}

inline dicom_seg_info seg_info_of(DcmDataset* ds)
{
    dicom_seg_info info;
    info.type = dicom_string(ds, DCM_SegmentationType);
    info.frame_of_reference_uid = dicom_string(ds, DCM_FrameOfReferenceUID);
    for (int i = 0;; ++i) {
        DcmItem* item = nullptr;
        if (ds->findAndGetSequenceItem(DCM_ReferencedSeriesSequence, item, i).bad() || item == nullptr) {
            break;
        }
        info.referenced_series.push_back(dicom_string(item, DCM_SeriesInstanceUID));
    }
    for (int i = 0;; ++i) {
        DcmItem* item = nullptr;
        if (ds->findAndGetSequenceItem(DCM_SegmentSequence, item, i).bad() || item == nullptr) {
            break;
        }
        dicom_seg_segment s;
        s.number = static_cast<int>(dicom_number(item, DCM_SegmentNumber).value_or(-1.0));
        s.label = dicom_string(item, DCM_SegmentLabel);
        info.segments.push_back(s);
    }
    const auto frames = static_cast<unsigned long>(dicom_number(ds, DCM_NumberOfFrames).value_or(1.0));
    for (unsigned long f = 0; f < frames; ++f) {
        const int number = static_cast<int>(
            dicom_number(frame_group(ds, f, DCM_SegmentIdentificationSequence), DCM_ReferencedSegmentNumber).value_or(-1.0));
        for (auto& s : info.segments) {
            s.frames += s.number == number ? 1 : 0;
        }
    }
    return info;
}

}  // namespace detail

/// The segments, type and references of a DICOM SEG file.
inline dicom_seg_info read_dicom_seg_info(const std::string& path)
{
    const auto file = detail::load_seg(path, "io.read_dicom_seg_info");
    return detail::seg_info_of(file->getDataset());
}

/// One segment of a DICOM SEG (binary, or fractional with fraction ≥ 0.5 inside) on `grid`, the referenced
/// image's grid: each frame's ImagePositionPatient (Plane Position functional group) must fall on a slice of
/// the grid at a whole-pixel offset, with the grid's orientation and pixel spacing. Frames are placed by that
/// position, so they may come in any order, cover a subset of the slices or a window of each slice (slices
/// without a frame stay empty). A frame off the grid (between slices, a fraction of a pixel, another orientation
/// or spacing, outside the image), two frames of the segment on the same voxels, or a frame without a
/// Segment Identification is an error naming the frame — never a mask placed on the wrong voxels. `selector` is the
/// SegmentLabel (exact, then case-insensitive) or SegmentNumber. With `series_uid` / `frame_of_reference_uid`
/// given, the SEG must reference that series and frame of reference. Returns `label` inside, 0 elsewhere.
inline label_image<3> read_dicom_seg_mask(const std::string& path, const std::string& selector,
                                          const image_geometry<3>& grid, const std::string& series_uid = "",
                                          const std::string& frame_of_reference_uid = "", std::int32_t label = 1)
{
    const char* where = "io.read_dicom_seg_mask";
    const auto file = detail::load_seg(path, where);
    DcmDataset* ds = file->getDataset();
    const dicom_seg_info info = detail::seg_info_of(ds);
    if (info.type != "BINARY" && info.type != "FRACTIONAL") {
        raise<io_error>(where, "'", path, "': (0062,0001) SegmentationType: got '", info.type,
                        "', expected BINARY or FRACTIONAL");
    }
    const dicom_seg_segment* chosen = nullptr;
    const auto lower = [](std::string t) {
        for (auto& c : t) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return t;
    };
    for (const auto& s : info.segments) {
        if (chosen == nullptr && s.label == selector) {
            chosen = &s;
        }
    }
    for (const auto& s : info.segments) {
        if (chosen == nullptr && (lower(s.label) == lower(selector) || std::to_string(s.number) == selector)) {
            chosen = &s;
        }
    }
    if (chosen == nullptr) {
        std::string names;
        for (const auto& s : info.segments) {
            names += (names.empty() ? "" : ", ") + std::string("'") + s.label + "' (" + std::to_string(s.number) + ")";
        }
        raise<mask_error>(where, "'", path, "': segment: got '", selector, "', expected one of ",
                          names.empty() ? "(no segment in the file)" : names, ".");
    }
    if (!frame_of_reference_uid.empty() && info.frame_of_reference_uid != frame_of_reference_uid) {
        raise<geometry_error>(where, "'", path, "': FrameOfReferenceUID: got ", info.frame_of_reference_uid,
                              ", expected the image's ", frame_of_reference_uid, ". The SEG belongs to another study or registration.");
    }
    if (!series_uid.empty() && !info.referenced_series.empty() &&
        std::find(info.referenced_series.begin(), info.referenced_series.end(), series_uid) == info.referenced_series.end()) {
        raise<geometry_error>(where, "'", path, "': referenced series: got ", info.referenced_series.front(),
                              ", expected the image series ", series_uid, ". Give the SEG of this series.");
    }
    const std::size_t rows = detail::dicom_unsigned(ds, DCM_Rows, 0);
    const std::size_t columns = detail::dicom_unsigned(ds, DCM_Columns, 0);
    const auto frames = static_cast<std::size_t>(detail::dicom_number(ds, DCM_NumberOfFrames).value_or(1.0));
    const std::size_t bits = detail::dicom_unsigned(ds, DCM_BitsAllocated, 1);
    const double maximum = detail::dicom_number(ds, DCM_MaximumFractionalValue).value_or(255.0);
    if ((info.type == "BINARY" && bits != 1) || (info.type == "FRACTIONAL" && bits != 8)) {
        raise<io_error>(where, "'", path, "': BitsAllocated: got ", bits, ", expected ",
                        info.type == "BINARY" ? "1 for BINARY" : "8 for FRACTIONAL");
    }
    if (ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad()) {
        raise<io_error>(where, "'", path, "': transfer syntax: got ", DcmXfer(ds->getOriginalXfer()).getXferName(),
                        ", expected one DCMTK decodes");
    }
    const Uint8* pixels = nullptr;
    unsigned long length = 0;
    if (ds->findAndGetUint8Array(DCM_PixelData, pixels, &length).bad() || pixels == nullptr) {
        raise<io_error>(where, "'", path, "': got no PixelData (7FE0,0010), expected the segment frames");
    }
    const std::size_t per_frame = rows * columns;
    const std::size_t needed = info.type == "BINARY" ? (frames * per_frame + 7) / 8 : frames * per_frame;
    if (length < needed) {
        raise<io_error>(where, "'", path, "': PixelData: got ", length, " bytes, expected ", needed,
                        " for ", frames, " frames of ", columns, " x ", rows);
    }
    for (std::size_t d = 0; d < 2; ++d) {
        const std::size_t n = d == 0 ? columns : rows;
        if (n > grid.shape()[d]) {
            raise<geometry_error>(where, "'", path, "': frame size ", columns, " x ", rows, ": got more than the image's ",
                                  grid.shape()[0], " x ", grid.shape()[1], ", expected frames on the image's slices.");
        }
    }
    label_image<3> out(grid, 0);
    std::vector<std::array<long, 4>> placed;  // (i, j, k, frame) of every frame of the segment placed so far
    for (std::size_t f = 0; f < frames; ++f) {
        const auto number = detail::dicom_number(
            detail::frame_group(ds, f, DCM_SegmentIdentificationSequence), DCM_ReferencedSegmentNumber);
        if (!number) {
            raise<io_error>(where, "'", path, "': frame ", f + 1, ": got no Segment Identification (0062,000A) "
                            "ReferencedSegmentNumber, expected the segment each frame belongs to. The SEG is incomplete.");
        }
        if (std::none_of(info.segments.begin(), info.segments.end(),
                         [&](const dicom_seg_segment& s) { return s.number == static_cast<int>(*number); })) {
            raise<io_error>(where, "'", path, "': frame ", f + 1, ": ReferencedSegmentNumber: got ", *number,
                            ", expected a SegmentNumber of the Segment Sequence (0062,0002).");
        }
        if (static_cast<int>(*number) != chosen->number) {
            continue;
        }
        const auto position = detail::dicom_numbers<3>(detail::frame_group(ds, f, DCM_PlanePositionSequence),
                                                       DCM_ImagePositionPatient);
        const auto orientation = detail::dicom_numbers<6>(detail::frame_group(ds, f, DCM_PlaneOrientationSequence),
                                                          DCM_ImageOrientationPatient);
        const auto spacing = detail::dicom_numbers<2>(detail::frame_group(ds, f, DCM_PixelMeasuresSequence),
                                                      DCM_PixelSpacing);
        if (!position || !orientation || !spacing) {
            raise<io_error>(where, "'", path, "': frame ", f + 1, ": got no Plane Position/Plane Orientation/Pixel "
                            "Measures functional group, expected the frame's geometry");
        }
        bool same = std::fabs((*spacing)[1] - grid.spacing()[0]) <= 1e-4 * grid.spacing()[0] &&
                    std::fabs((*spacing)[0] - grid.spacing()[1]) <= 1e-4 * grid.spacing()[1];
        for (std::size_t r = 0; r < 3; ++r) {
            same = same && std::fabs((*orientation)[r] - grid.direction()[r][0]) <= 1e-4 &&
                   std::fabs((*orientation)[3 + r] - grid.direction()[r][1]) <= 1e-4;
        }
        const auto index = grid.physical_to_index({(*position)[0], (*position)[1], (*position)[2]});
        std::array<long, 3> start{};
        for (std::size_t d = 0; d < 3; ++d) {
            start[d] = std::lround(index[d]);
            same = same && std::fabs(index[d] - static_cast<double>(start[d])) <= 0.01;
        }
        if (!same) {
            raise<geometry_error>(where, "'", path, "': frame ", f + 1, " of segment '", chosen->label,
                                  "': got a plane (position ", (*position)[0], "\\", (*position)[1], "\\", (*position)[2],
                                  ", continuous index ", index[0], ", ", index[1], ", ", index[2],
                                  ") that is not a slice of the image grid, expected frames on the image's slices with "
                                  "its orientation and pixel spacing. Resample the segmentation onto the image first.");
        }
        if (start[0] < 0 || start[1] < 0 || start[2] < 0 || static_cast<std::size_t>(start[2]) >= grid.shape()[2] ||
            static_cast<std::size_t>(start[0]) + columns > grid.shape()[0] ||
            static_cast<std::size_t>(start[1]) + rows > grid.shape()[1]) {
            raise<geometry_error>(where, "'", path, "': frame ", f + 1, " of segment '", chosen->label, "': got index ",
                                  start[0], ", ", start[1], ", ", start[2], ", expected a frame inside the image grid ",
                                  grid.describe(), ".");
        }
        for (const auto& p : placed) {
            // two frames of one segment covering the same voxels: which one holds is undefined
            if (p[2] == start[2] && std::labs(p[0] - start[0]) < static_cast<long>(columns) &&
                std::labs(p[1] - start[1]) < static_cast<long>(rows)) {
                raise<geometry_error>(where, "'", path, "': frames ", p[3] + 1, " and ", f + 1, " of segment '",
                                      chosen->label, "': got both on slice ", start[2], " of the image grid (overlapping "
                                      "in plane), expected one frame per slice and segment.");
            }
        }
        placed.push_back({start[0], start[1], start[2], static_cast<long>(f)});
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t c = 0; c < columns; ++c) {
                const std::size_t bit = f * per_frame + r * columns + c;
                const bool inside = info.type == "BINARY"
                                        ? ((pixels[bit / 8] >> (bit % 8)) & 1u) != 0
                                        : static_cast<double>(pixels[bit]) / maximum >= 0.5;
                if (inside) {
                    out(static_cast<std::size_t>(start[0]) + c, static_cast<std::size_t>(start[1]) + r,
                        static_cast<std::size_t>(start[2])) = label;
                }
            }
        }
    }
    return out;
}

/// Modality (0008,0060) of a DICOM file ("" when the file is not DICOM): tells an RTSTRUCT from a SEG.
inline std::string dicom_file_modality(const std::string& path)
{
    const auto file = detail::load_dicom(path, true);
    return file ? detail::dicom_string(file->getDataset(), DCM_Modality) : "";
}

}  // namespace radiogenomics::io
