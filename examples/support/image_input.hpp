#pragma once
/// \file image_input.hpp
/// \brief The input kinds the example programs accept for images and masks — NIfTI (`.nii`, `.nii.gz`),
/// NRRD (`.nrrd`, `.nhdr`, Slicer `.seg.nrrd`) and DICOM series folders — behind one dispatch, so every
/// program reads them the same way and names the input kind in its errors.
///
/// NRRD needs the `radiogenomics::nrrd` component (`RG_HAVE_NRRD`), DICOM `radiogenomics::dicom`
/// (`RG_HAVE_DICOM`); without them those inputs are refused with a message saying how to enable them.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/nifti.hpp"
#include "radiogenomics/io/pixel_type.hpp"
#include "radiogenomics/io/suv_options.hpp"
#if defined(RG_HAVE_NRRD)
#include "radiogenomics/io/nrrd.hpp"
#endif
#if defined(RG_HAVE_DICOM)
#include "radiogenomics/io/dicom.hpp"
#endif

namespace radiogenomics::pyradiomics {

/// What to make of a DICOM PET series (Modality PT) given as an image: SUV of `type` from the scanner's tags
/// (QIBA vendor-neutral pseudo-code, `io/dicom.hpp`), body weight by default as QIBA and the study; no `type`
/// keeps the rescaled activity (Bq/mL for Units BQML). Other inputs and modalities ignore it.
struct pet_input_options {
    std::optional<io::suv_type> type = io::suv_type::body_weight;
    io::suv_overrides overrides;
};

/// What an image or mask path holds.
enum class input_kind { nifti, nrrd, dicom_series, dicom_rtstruct };

inline const char* input_kind_name(input_kind kind)
{
    switch (kind) {
    case input_kind::nifti: return "NIfTI";
    case input_kind::nrrd: return "NRRD";
    case input_kind::dicom_series: return "DICOM series";
    case input_kind::dicom_rtstruct: return "DICOM RTSTRUCT/SEG";
    }
    return "?";
}

namespace detail {

inline bool input_has_suffix(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] inline void component_missing(const std::string& path, const char* what, input_kind kind)
{
    const bool nrrd = kind == input_kind::nrrd;
    raise<io_error>("pyradiomics.read_input", what, " '", path, "': got ", input_kind_name(kind),
                    ", expected NIfTI: this build has no ", nrrd ? "NRRD (teem)" : "DICOM (DCMTK)",
                    " support. Install ", nrrd ? "libteem-dev" : "libdcmtk-dev", " and reconfigure (", 
                    nrrd ? "RG_WITH_NRRD" : "RG_WITH_DICOM", "=ON).");
}

}  // namespace detail

/// A folder is a DICOM series; `.dcm` a DICOM object (an RT Structure Set or a SEG as a mask); `.nrrd`/`.nhdr` NRRD;
/// anything else NIfTI (its reader checks the extension).
inline input_kind classify_input(const std::string& path)
{
    if (std::filesystem::is_directory(path)) {
        return input_kind::dicom_series;
    }
    if (detail::input_has_suffix(path, ".dcm")) {
        return input_kind::dicom_rtstruct;
    }
    if (detail::input_has_suffix(path, ".nrrd") || detail::input_has_suffix(path, ".nhdr")) {
        return input_kind::nrrd;
    }
    return input_kind::nifti;
}

/// The voxel type an image input is read as (SimpleITK's: a NIfTI file's datatype, float32 when a scaling
/// applies; see `io::simpleitk_pixel_type`) and whether a scaling applies.
struct input_header {
    input_kind kind = input_kind::nifti;
    io::pixel_type pixel_type = io::pixel_type::other;
    bool scaled = false;
    /// 2 for a 2-D NIfTI (`dim[0] = 2`), which PyRadiomics (SimpleITK) treats as a 2-D image; else 3.
    std::size_t dimension = 3;
};

#if defined(RG_HAVE_DICOM)
namespace detail {

/// The SUV factor of a PET series as `pet` asks, with the program's way out added to a tag error.
inline double pet_input_suv_factor(const io::dicom_series_info& series, const pet_input_options& pet)
{
    try {
        return io::read_pet_suv_info(series, pet.overrides).factor(*pet.type);
    } catch (const io_error& e) {
        // the library's message names the file, the tag and its override; add the way to skip SUV altogether
        throw io_error(std::string(e.what()) + " Or read the activity without SUV (--suv none).");
    }
}

}  // namespace detail
#endif

/// Reads the header of an image or mask input (`what` is "image" or "mask", used in messages). For a DICOM PET
/// image with `pet.type` the SUV tags are checked here already (a missing tag names itself).
inline input_header read_input_header(const std::string& path, const char* what, const pet_input_options& pet = {})
{
    input_header out;
    out.kind = classify_input(path);
    switch (out.kind) {
    case input_kind::nifti: {
        const io::nifti_header_info h = io::read_nifti_header(path);
        out.pixel_type = io::simpleitk_pixel_type(h);
        out.scaled = h.scaled;
        out.dimension = h.dimension == 2 ? 2 : 3;
        break;
    }
    case input_kind::nrrd:
#if defined(RG_HAVE_NRRD)
        out.pixel_type = io::read_nrrd_header(path).pixel_type;
        break;
#else
        detail::component_missing(path, what, out.kind);
#endif
    case input_kind::dicom_rtstruct:
#if defined(RG_HAVE_DICOM)
        if (std::string(what) == "mask") {
            if (io::dicom_file_modality(path) == "SEG") {
                static_cast<void>(io::read_dicom_seg_info(path));
            } else {
                static_cast<void>(io::read_rtstruct_rois(path));
            }
            out.pixel_type = io::pixel_type::int32;
            break;
        }
#endif
        raise<io_error>("pyradiomics.read_input", what, " '", path, "': got a single DICOM file, expected an image "
                        "file or a DICOM series folder (an RTSTRUCT .dcm is a mask).");
    case input_kind::dicom_series:
#if defined(RG_HAVE_DICOM)
    {
        // int32 when every slice's rescaling is integral (CT in HU), else double (PET in Bq/mL or SUV)
        const io::dicom_series_info series = io::select_dicom_series(io::scan_dicom_folder(path), "", path);
        out.pixel_type = io::dicom_pixel_type(series);
        if (series.modality == "PT" && pet.type && std::string(what) == "image") {
            static_cast<void>(detail::pet_input_suv_factor(series, pet));
            out.pixel_type = io::pixel_type::float64;
        }
        break;
    }
#else
        detail::component_missing(path, what, out.kind);
#endif
    }
    static_cast<void>(what);
    static_cast<void>(pet);
    return out;
}

/// Calls `f(TPixel{})` with the voxel type an image input is read as — SimpleITK's pixel type for the file
/// (`read_input_header`), which PyRadiomics keeps: LBP3D rounds its B-spline samples to it and clips them to its
/// range, as SciPy's `map_coordinates` output (an int8 image clips at -128/127, unsigned images at 0; a wider copy
/// would keep the overshoot) — and returns its result. Segment and voxel mode both load through it.
template <class TFunction>
decltype(auto) with_input_pixel_type(const input_header& header, const std::string& path, TFunction&& f)
{
    using io::pixel_type;
    switch (header.pixel_type) {
    case pixel_type::uint8: return f(std::uint8_t{});
    case pixel_type::int8: return f(std::int8_t{});
    case pixel_type::uint16: return f(std::uint16_t{});
    case pixel_type::int16: return f(std::int16_t{});
    case pixel_type::uint32: return f(std::uint32_t{});
    case pixel_type::int32: return f(std::int32_t{});
    case pixel_type::uint64: return f(std::uint64_t{});
    case pixel_type::int64: return f(std::int64_t{});
    case pixel_type::float32: return f(float{});
    case pixel_type::float64: return f(double{});
    case pixel_type::other: break;
    }
    raise<io_error>("pyradiomics.read_input", input_kind_name(header.kind), " image '", path,
                    "': got a complex/RGB datatype, expected a scalar integer or real image.");
}

/// Reads an image input as `image<TPixel, 3>` in LPS; a DICOM PET series in SUV as `pet` asks (read it as
/// `double`: `read_input_header` says float64 then).
template <class TPixel>
image<TPixel, 3> read_input_image(const std::string& path, const pet_input_options& pet = {})
{
    switch (classify_input(path)) {
    case input_kind::nifti: return io::read_nifti<TPixel, 3>(path);
    case input_kind::nrrd:
#if defined(RG_HAVE_NRRD)
        return io::read_nrrd<TPixel, 3>(path);
#else
        detail::component_missing(path, "image", input_kind::nrrd);
#endif
    case input_kind::dicom_series:
#if defined(RG_HAVE_DICOM)
    {
        const io::dicom_series_info series = io::select_dicom_series(io::scan_dicom_folder(path), "", path);
        if (series.modality != "PT" || !pet.type) {
            return io::read_dicom_series<TPixel>(series);
        }
        const double factor = detail::pet_input_suv_factor(series, pet);
        return io::read_dicom_series<TPixel>(series, {}, factor);  // (stored x slope + intercept) x factor
    }
#else
        static_cast<void>(pet);
        detail::component_missing(path, "image", input_kind::dicom_series);
#endif
    case input_kind::dicom_rtstruct:
        raise<io_error>("pyradiomics.read_input", "image '", path, "': got a single DICOM file, expected an image "
                        "file or a DICOM series folder.");
    }
    raise<io_error>("pyradiomics.read_input", "image '", path, "': unknown input kind");
}

/// A mask input: the label map and, when a segment was selected by name, the label value to use.
struct mask_input {
    label_image<3> mask;
    std::optional<int> label;
};

/// Reads a mask input. `segment` (may be empty) selects a segment of a Slicer `.seg.nrrd` by name, ID or
/// label value, an ROI of an RT Structure Set or a segment of a DICOM SEG (`.dcm`) by name; for other masks a name is refused (numbers
/// go through `setting.label` as in PyRadiomics). An RTSTRUCT is rasterised onto `image_grid`, a SEG placed on
/// it; without a name, the ROI / segment number is `label`.
inline mask_input read_input_mask(const std::string& path, const std::string& segment,
                                  const image_geometry<3>& image_grid, int label)
{
    mask_input out;
    const input_kind kind = classify_input(path);
    if (kind == input_kind::dicom_rtstruct) {
#if defined(RG_HAVE_DICOM)
        const std::string roi = segment.empty() ? std::to_string(label) : segment;
        const std::int32_t value = segment.empty() ? label : 1;
        out.mask = io::dicom_file_modality(path) == "SEG" ? io::read_dicom_seg_mask(path, roi, image_grid, "", "", value)
                                                          : io::read_rtstruct_mask(path, roi, image_grid, "", value);
        out.label = value;
        return out;
#else
        detail::component_missing(path, "mask", input_kind::dicom_series);
#endif
    }
    static_cast<void>(image_grid);
    static_cast<void>(label);
    if (kind == input_kind::nrrd) {
#if defined(RG_HAVE_NRRD)
        if (!segment.empty()) {
            auto [mask, s] = io::read_nrrd_segment<3>(path, segment);
            out.mask = std::move(mask);
            out.label = s.label_value;
            return out;
        }
        const io::nrrd_header_info h = io::read_nrrd_header(path);
        if (h.layers > 1) {
            raise<mask_error>("pyradiomics.read_input", "mask '", path, "': got a segmentation with ", h.layers,
                              " layers and no segment selected, expected --label NAME (or a Label column) naming one "
                              "segment of it.");
        }
        out.mask = io::read_nrrd<std::int32_t, 3>(path);
        return out;
#else
        detail::component_missing(path, "mask", kind);
#endif
    }
    if (!segment.empty()) {
        raise<mask_error>("pyradiomics.read_input", "mask '", path, "': segment name: got '", segment, "', expected a "
                          "number for a ", input_kind_name(kind), " mask (names select segments of a Slicer .seg.nrrd "
                          "or of an RTSTRUCT/SEG .dcm).");
    }
    if (kind == input_kind::dicom_series) {
        raise<io_error>("pyradiomics.read_input", "mask '", path, "': got a folder, expected a mask file "
                        "(NIfTI, NRRD, Slicer .seg.nrrd, or an RTSTRUCT or SEG .dcm).");
    }
    out.mask = io::read_nifti<std::int32_t, 3>(path);
    return out;
}

}  // namespace radiogenomics::pyradiomics
