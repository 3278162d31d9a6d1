#pragma once
/// \file nrrd.hpp
/// \brief NRRD reading and writing (`.nrrd`, detached `.nhdr`), label maps and 3D Slicer segmentations
/// (`.seg.nrrd`) through teem, the reference NRRD library.
///
/// The only file that includes teem; it needs the `radiogenomics::nrrd` target (Debian's `libteem-dev`).
/// teem parses the header (NRRD0001–NRRD0005), reads the raw / gzip / ASCII / hex / bzip2 encodings,
/// attached or detached (`data file:`) data in either endianness, and reports short data; this header
/// turns its state into our `image` and its `biff` messages into one-line `io_error`s naming the file.
///
/// \par Geometry
/// Our images are LPS (see `image_geometry.hpp`). With a `space` field, the `space directions` columns give
/// spacing (their norms) and direction, `space origin` the origin; `space` `left-posterior-superior` (and
/// `3D-right-handed`, which ITK also reads as LPS) is kept, `right-anterior-superior` flips x and y,
/// `left-anterior-superior` flips y. `scanner-xyz`, left-handed and time spaces are refused. Without a `space`
/// field the per-axis `spacings` (1 when absent) and `axis mins` (0 when absent) give an axis-aligned grid,
/// as ITK's NRRD reader does. Sheared `space directions` are refused.
///
/// \par Slicer segmentations (`.seg.nrrd`)
/// Slicer writes segment metadata as key/value pairs `Segment<N>_ID`, `Segment<N>_Name`,
/// `Segment<N>_LabelValue`, `Segment<N>_Layer` (Slicer ≥ 4.11; older files have no layers and use
/// label N + 1). With several layers the data are 4-D, the first axis (kind `list`, no space direction)
/// indexing the layer. `read_nrrd_segment` selects a segment by name, ID or label value and returns a
/// label map holding that segment's label value where the segment is present and 0 elsewhere.

#include <teem/nrrd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/core/image.hpp"
#include "radiogenomics/io/pixel_type.hpp"

namespace radiogenomics::io {

/// Data encoding for `write_nrrd`.
enum class nrrd_encoding { raw, gzip, ascii };

/// One segment of a Slicer `.seg.nrrd` (from its `Segment<N>_*` key/value pairs).
struct nrrd_segment {
    int index = 0;             ///< N of `Segment<N>_*`
    std::string id;            ///< `Segment<N>_ID`
    std::string name;          ///< `Segment<N>_Name`
    int label_value = 0;       ///< `Segment<N>_LabelValue` (N + 1 when absent)
    std::size_t layer = 0;     ///< `Segment<N>_Layer` (0 when absent)
};

/// What a NRRD header says, without reading the voxels.
struct nrrd_header_info {
    io::pixel_type pixel_type = io::pixel_type::other;
    std::vector<std::size_t> sizes;                  ///< per axis, fastest first
    std::size_t layers = 1;                          ///< size of a leading non-spatial axis (segmentation layers)
    std::map<std::string, std::string> key_values;   ///< `key:=value` lines
    std::vector<nrrd_segment> segments;              ///< Slicer segments (empty for a plain NRRD)
};

namespace detail {

/// teem's `biff` error store is global: every teem call goes through this lock.
inline std::mutex& teem_mutex()
{
    static std::mutex mutex;
    return mutex;
}

struct nrrd_nuke {
    void operator()(Nrrd* n) const { nrrdNuke(n); }
};
struct nrrd_nix {
    void operator()(Nrrd* n) const { nrrdNix(n); }
};
struct nio_nix {
    void operator()(NrrdIoState* n) const { nrrdIoStateNix(n); }
};
using nrrd_owner = std::unique_ptr<Nrrd, nrrd_nuke>;
using nrrd_wrapper = std::unique_ptr<Nrrd, nrrd_nix>;
using nio_owner = std::unique_ptr<NrrdIoState, nio_nix>;

/// The innermost (most specific) line of teem's pending error message, without its "[nrrd] function:"
/// prefix ("" when none).
inline std::string teem_error()
{
    char* raw = biffGetDone(NRRD);
    if (raw == nullptr) {
        return "";
    }
    std::string text(raw);
    std::free(raw);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    const std::size_t newline = text.find_last_of('\n');
    std::string line = newline == std::string::npos ? text : text.substr(newline + 1);
    const std::size_t bracket = line.find("] ");
    if (line.rfind("[", 0) == 0 && bracket != std::string::npos) {
        line = line.substr(bracket + 2);
        const std::size_t colon = line.find(": ");
        if (colon != std::string::npos && line.find(' ') > colon) {
            line = line.substr(colon + 2);
        }
    }
    return line;
}

/// What teem's message says was expected (for the "expected ..." part of our message).
inline std::string teem_expectation(const std::string& message)
{
    if (message.find("encoding") != std::string::npos) {
        return "an encoding teem reads (raw, gzip, bzip2, ascii, hex)";
    }
    if (message.find("got only") != std::string::npos || message.find("short") != std::string::npos ||
        message.find("EOF") != std::string::npos || message.find("gz") != std::string::npos ||
        message.find("data file") != std::string::npos) {
        return "as much voxel data as the header declares (type x sizes)";
    }
    return "a valid NRRD header (magic NRRD000N, type, dimension, sizes, encoding)";
}

inline bool nrrd_ends_with(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline io::pixel_type pixel_type_of_nrrd(int type)
{
    switch (type) {
    case nrrdTypeChar: return io::pixel_type::int8;
    case nrrdTypeUChar: return io::pixel_type::uint8;
    case nrrdTypeShort: return io::pixel_type::int16;
    case nrrdTypeUShort: return io::pixel_type::uint16;
    case nrrdTypeInt: return io::pixel_type::int32;
    case nrrdTypeUInt: return io::pixel_type::uint32;
    case nrrdTypeLLong: return io::pixel_type::int64;
    case nrrdTypeULLong: return io::pixel_type::uint64;
    case nrrdTypeFloat: return io::pixel_type::float32;
    case nrrdTypeDouble: return io::pixel_type::float64;
    default: return io::pixel_type::other;
    }
}

template <class TPixel>
constexpr int nrrd_type_of()
{
    if constexpr (std::is_same_v<TPixel, std::uint8_t> || std::is_same_v<TPixel, bool>) {
        return nrrdTypeUChar;
    } else if constexpr (std::is_same_v<TPixel, std::int8_t>) {
        return nrrdTypeChar;
    } else if constexpr (std::is_same_v<TPixel, std::int16_t>) {
        return nrrdTypeShort;
    } else if constexpr (std::is_same_v<TPixel, std::uint16_t>) {
        return nrrdTypeUShort;
    } else if constexpr (std::is_same_v<TPixel, std::int32_t>) {
        return nrrdTypeInt;
    } else if constexpr (std::is_same_v<TPixel, std::uint32_t>) {
        return nrrdTypeUInt;
    } else if constexpr (std::is_same_v<TPixel, std::int64_t>) {
        return nrrdTypeLLong;
    } else if constexpr (std::is_same_v<TPixel, std::uint64_t>) {
        return nrrdTypeULLong;
    } else if constexpr (std::is_same_v<TPixel, float>) {
        return nrrdTypeFloat;
    } else if constexpr (std::is_same_v<TPixel, double>) {
        return nrrdTypeDouble;
    } else {
        static_assert(sizeof(TPixel) == 0, "write_nrrd: unsupported voxel type");
        return 0;
    }
}

/// Loads `path` (header only when `skip_data`). Caller holds `teem_mutex()`.
inline nrrd_owner load_nrrd(const std::string& path, const char* where, bool skip_data)
{
    if (!std::filesystem::is_regular_file(path)) {
        raise<io_error>(where, "'", path, "': the NRRD file does not exist or cannot be opened");
    }
    if (!nrrd_ends_with(path, ".nrrd") && !nrrd_ends_with(path, ".nhdr")) {
        raise<io_error>(where, "'", path, "': got an unknown extension, expected .nrrd or .nhdr");
    }
    nrrdStateVerboseIO = 0;
    nrrd_owner n(nrrdNew());
    nio_owner nio(nrrdIoStateNew());
    nio->skipData = skip_data ? 1 : 0;
    if (nrrdLoad(n.get(), path.c_str(), nio.get()) != 0) {
        const std::string why = teem_error();
        raise<io_error>(where, "'", path, "': teem: got '", why, "', expected ", teem_expectation(why), ".");
    }
    if (n->type == nrrdTypeBlock) {
        raise<io_error>(where, "'", path, "': type: got block, expected an integer or real scalar type");
    }
    return n;
}

inline std::map<std::string, std::string> nrrd_key_values(const Nrrd* n)
{
    std::map<std::string, std::string> out;
    const unsigned int count = nrrdKeyValueSize(n);
    for (unsigned int i = 0; i < count; ++i) {
        char* key = nullptr;
        char* value = nullptr;
        nrrdKeyValueIndex(n, &key, &value, i);
        if (key != nullptr) {
            out[key] = value != nullptr ? value : "";
        }
        std::free(key);
        std::free(value);
    }
    return out;
}

/// Parses an integer key/value; throws naming the key when it is not one.
inline long long key_integer(const std::map<std::string, std::string>& kv, const std::string& key, long long fallback,
                             const std::string& path)
{
    const auto it = kv.find(key);
    if (it == kv.end()) {
        return fallback;
    }
    char* end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (end == it->second.c_str() || *end != '\0') {
        raise<io_error>("io.read_nrrd", "'", path, "': key '", key, "': got '", it->second,
                        "', expected an integer (Slicer segmentation metadata)");
    }
    return v;
}

inline std::vector<nrrd_segment> slicer_segments(const std::map<std::string, std::string>& kv, const std::string& path)
{
    std::vector<nrrd_segment> out;
    for (int i = 0; kv.count("Segment" + std::to_string(i) + "_ID") > 0 ||
                    kv.count("Segment" + std::to_string(i) + "_Name") > 0;
         ++i) {
        const std::string prefix = "Segment" + std::to_string(i) + "_";
        nrrd_segment s;
        s.index = i;
        s.id = kv.count(prefix + "ID") ? kv.at(prefix + "ID") : "";
        s.name = kv.count(prefix + "Name") ? kv.at(prefix + "Name") : s.id;
        s.label_value = static_cast<int>(key_integer(kv, prefix + "LabelValue", i + 1, path));
        const long long layer = key_integer(kv, prefix + "Layer", 0, path);
        if (layer < 0) {
            raise<io_error>("io.read_nrrd", "'", path, "': key '", prefix, "Layer': got ", layer,
                            ", expected a layer index >= 0");
        }
        s.layer = static_cast<std::size_t>(layer);
        out.push_back(s);
    }
    return out;
}

/// Number of leading non-spatial axes (0 or 1: a `list` axis of segmentation layers).
inline std::size_t leading_list_axes(const Nrrd* n)
{
    if (n->dim < 2) {
        return 0;
    }
    const NrrdAxisInfo& a = n->axis[0];
    const bool has_direction = n->spaceDim > 0 && nrrdSpaceVecExists(n->spaceDim, a.spaceDirection);
    const bool spatial_kind = a.kind == nrrdKindDomain || a.kind == nrrdKindSpace || a.kind == nrrdKindUnknown;
    return (n->spaceDim > 0 && !has_direction) || (n->spaceDim == 0 && !spatial_kind && n->dim == 4) ? 1 : 0;
}

inline nrrd_header_info header_of(const Nrrd* n, const std::string& path)
{
    nrrd_header_info out;
    out.pixel_type = pixel_type_of_nrrd(n->type);
    for (unsigned int d = 0; d < n->dim; ++d) {
        out.sizes.push_back(n->axis[d].size);
    }
    out.layers = leading_list_axes(n) == 1 ? n->axis[0].size : 1;
    out.key_values = nrrd_key_values(n);
    out.segments = slicer_segments(out.key_values, path);
    return out;
}

template <std::size_t VDim>
image_geometry<VDim> nrrd_geometry(const Nrrd* n, std::size_t first, const std::string& path, const char* where)
{
    const std::size_t spatial = n->dim - first;
    if (spatial > VDim) {
        for (std::size_t d = first + VDim; d < n->dim; ++d) {
            if (n->axis[d].size > 1) {
                raise<io_error>(where, "'", path, "': got ", spatial, " spatial axes with axis ", d, " of size ",
                                n->axis[d].size, ", expected at most ", VDim, " (time series/vector images are not supported)");
            }
        }
    }
    typename image_geometry<VDim>::size_type shape{};
    typename image_geometry<VDim>::point_type spacing{};
    typename image_geometry<VDim>::point_type origin{};
    typename image_geometry<VDim>::direction_type direction{};
    for (std::size_t c = 0; c < VDim; ++c) {
        shape[c] = c < spatial ? n->axis[first + c].size : 1;
        direction[c][c] = 1.0;
        spacing[c] = 1.0;
    }
    if (n->spaceDim > 0) {
        std::array<double, 3> sign{1.0, 1.0, 1.0};
        switch (n->space) {
        case nrrdSpaceLeftPosteriorSuperior:
        case nrrdSpace3DRightHanded: break;
        case nrrdSpaceRightAnteriorSuperior: sign = {-1.0, -1.0, 1.0}; break;
        case nrrdSpaceLeftAnteriorSuperior: sign = {1.0, -1.0, 1.0}; break;
        case nrrdSpaceUnknown:
            if (n->spaceDim == 3 || n->spaceDim == VDim) {
                break;  // "space dimension: 3" without a named space: taken as LPS (ITK does the same)
            }
            [[fallthrough]];
        default:
            raise<io_error>(where, "'", path, "': space: got '", airEnumStr(nrrdSpace, n->space),
                            "' (dimension ", n->spaceDim, "), expected left-posterior-superior, right-anterior-superior, "
                            "left-anterior-superior or 3D-right-handed");
        }
        if (n->spaceDim > 3) {
            raise<io_error>(where, "'", path, "': space dimension: got ", n->spaceDim, ", expected at most 3");
        }
        for (std::size_t c = 0; c < VDim && c < spatial; ++c) {
            const NrrdAxisInfo& a = n->axis[first + c];
            if (!nrrdSpaceVecExists(n->spaceDim, a.spaceDirection)) {
                raise<io_error>(where, "'", path, "': space directions of axis ", first + c,
                                ": got none, expected a vector for every spatial axis");
            }
            double norm = 0.0;
            for (std::size_t r = 0; r < n->spaceDim; ++r) {
                norm += a.spaceDirection[r] * a.spaceDirection[r];
            }
            norm = std::sqrt(norm);
            if (!(norm > 0.0) || !std::isfinite(norm)) {
                raise<geometry_error>(where, "'", path, "': space direction of axis ", first + c, ": got norm ", norm,
                                      ", expected a finite value > 0");
            }
            spacing[c] = norm;
            for (std::size_t r = 0; r < VDim; ++r) {
                direction[r][c] = r < n->spaceDim ? sign[r] * a.spaceDirection[r] / norm : 0.0;
            }
        }
        for (std::size_t r = 0; r < VDim && r < n->spaceDim; ++r) {
            const double o = n->spaceOrigin[r];
            origin[r] = std::isfinite(o) ? sign[r] * o : 0.0;
        }
    } else {
        for (std::size_t c = 0; c < VDim && c < spatial; ++c) {
            const NrrdAxisInfo& a = n->axis[first + c];
            spacing[c] = std::isfinite(a.spacing) ? std::fabs(a.spacing) : 1.0;
            origin[c] = std::isfinite(a.min) ? a.min : 0.0;
        }
    }
    image_geometry<VDim> g;
    g.set_shape(shape);
    try {
        g.set_spacing(spacing);
        g.set_origin(origin);
        g.set_direction(direction);
    } catch (const geometry_error& e) {
        raise<geometry_error>(where, "'", path, "': ", e.what(), " (sheared space directions are not supported)");
    }
    return g;
}

template <class TPixel>
TPixel nrrd_convert(double value, const std::string& path, std::size_t linear)
{
    if constexpr (std::is_floating_point_v<TPixel>) {
        static_cast<void>(path);
        static_cast<void>(linear);
        return static_cast<TPixel>(value);
    } else {
        const double rounded = std::nearbyint(value);
        if (!std::isfinite(value) || rounded < static_cast<double>(std::numeric_limits<TPixel>::lowest()) ||
            rounded > static_cast<double>(std::numeric_limits<TPixel>::max())) {
            raise<io_error>("io.read_nrrd", "'", path, "': voxel ", linear, ": got ", value,
                            ", expected a value that fits the requested integer voxel type. Read as float instead.");
        }
        return static_cast<TPixel>(rounded);
    }
}

/// Copies voxels `layer, layer + stride, ...` of the teem buffer into `out`.
template <class TDisk, class TPixel, std::size_t VDim>
void copy_nrrd(const void* raw, image<TPixel, VDim>& out, std::size_t layer, std::size_t stride, const std::string& path)
{
    const auto* source = static_cast<const TDisk*>(raw);
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = nrrd_convert<TPixel>(static_cast<double>(source[i * stride + layer]), path, i);
    }
}

template <class TPixel, std::size_t VDim>
image<TPixel, VDim> nrrd_to_image(const Nrrd* n, std::size_t layer, const std::string& path, const char* where)
{
    const std::size_t first = leading_list_axes(n);
    const std::size_t stride = first == 1 ? n->axis[0].size : 1;
    image<TPixel, VDim> out(nrrd_geometry<VDim>(n, first, path, where));
    if (out.size() * stride != nrrdElementNumber(n)) {
        raise<io_error>(where, "'", path, "': voxel count: got ", nrrdElementNumber(n), ", expected ",
                        out.size() * stride);
    }
    switch (n->type) {
    case nrrdTypeChar: copy_nrrd<std::int8_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeUChar: copy_nrrd<std::uint8_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeShort: copy_nrrd<std::int16_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeUShort: copy_nrrd<std::uint16_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeInt: copy_nrrd<std::int32_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeUInt: copy_nrrd<std::uint32_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeLLong: copy_nrrd<std::int64_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeULLong: copy_nrrd<std::uint64_t>(n->data, out, layer, stride, path); break;
    case nrrdTypeFloat: copy_nrrd<float>(n->data, out, layer, stride, path); break;
    case nrrdTypeDouble: copy_nrrd<double>(n->data, out, layer, stride, path); break;
    default:
        raise<io_error>(where, "'", path, "': type: got ", airEnumStr(nrrdType, n->type),
                        ", expected an integer or real scalar type");
    }
    return out;
}

inline std::string describe_segments(const std::vector<nrrd_segment>& segments)
{
    std::string out;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        out += (i ? ", " : "") + std::string("'") + segments[i].name + "' (label " +
               std::to_string(segments[i].label_value) + ", layer " + std::to_string(segments[i].layer) + ")";
    }
    return out;
}

}  // namespace detail

/// True for `.nrrd` / `.nhdr` paths (Slicer's `.seg.nrrd` included).
inline bool is_nrrd_path(const std::string& path)
{
    return detail::nrrd_ends_with(path, ".nrrd") || detail::nrrd_ends_with(path, ".nhdr");
}

/// Reads only the header (type, sizes, key/value pairs, Slicer segments). Throws `io_error` naming the
/// file for a missing file, an unknown extension or a header teem cannot parse.
inline nrrd_header_info read_nrrd_header(const std::string& path)
{
    const std::lock_guard<std::mutex> lock(detail::teem_mutex());
    const detail::nrrd_owner n = detail::load_nrrd(path, "io.read_nrrd_header", true);
    return detail::header_of(n.get(), path);
}

/// Reads a NRRD file (`.nrrd`, or a detached `.nhdr` with its data file) into an `image<TPixel, VDim>`
/// in LPS. A file with fewer axes than `VDim` gets size-1 trailing axes; trailing size-1 axes beyond `VDim`
/// are dropped. A leading non-spatial (layer) axis is refused unless it has size 1: read segmentations with
/// `read_nrrd_segment`. Throws `io_error` naming the file for: a missing file, a corrupt header, data
/// shorter than the header declares, an unknown encoding, an unsupported space or type, integer overflow;
/// `geometry_error` for zero or sheared space directions.
template <class TPixel, std::size_t VDim>
image<TPixel, VDim> read_nrrd(const std::string& path)
{
    static_assert(VDim >= 1 && VDim <= 3, "read_nrrd supports 1 to 3 spatial dimensions");
    const char* where = "io.read_nrrd";
    const std::lock_guard<std::mutex> lock(detail::teem_mutex());
    const detail::nrrd_owner n = detail::load_nrrd(path, where, false);
    if (detail::leading_list_axes(n.get()) == 1 && n->axis[0].size > 1) {
        raise<io_error>(where, "'", path, "': got ", n->axis[0].size, " layers (a non-spatial first axis), expected "
                        "one scalar volume. Select one segment with read_nrrd_segment.");
    }
    return detail::nrrd_to_image<TPixel, VDim>(n.get(), 0, path, where);
}

/// The segments of a Slicer `.seg.nrrd` (empty for a NRRD without `Segment<N>_*` keys).
inline std::vector<nrrd_segment> read_nrrd_segments(const std::string& path)
{
    return read_nrrd_header(path).segments;
}

/// Finds a segment by name (exact, then case-insensitive), by ID, or — when `selector` is an integer — by
/// label value (which must then be unique across layers). Throws `mask_error` listing the segments when none
/// or several match.
inline nrrd_segment find_nrrd_segment(const std::vector<nrrd_segment>& segments, const std::string& selector,
                                      const std::string& path)
{
    const char* where = "io.read_nrrd_segment";
    if (segments.empty()) {
        raise<mask_error>(where, "'", path, "': segment '", selector, "': got a NRRD without Slicer segment "
                          "metadata (Segment0_ID, ...), expected a .seg.nrrd. Select a label by number instead.");
    }
    for (const auto& s : segments) {
        if (s.name == selector || s.id == selector) {
            return s;
        }
    }
    const auto lower = [](std::string t) {
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return t;
    };
    for (const auto& s : segments) {
        if (lower(s.name) == lower(selector)) {
            return s;
        }
    }
    char* end = nullptr;
    const long value = std::strtol(selector.c_str(), &end, 10);
    if (!selector.empty() && end != selector.c_str() && *end == '\0') {
        std::vector<nrrd_segment> hits;
        for (const auto& s : segments) {
            if (s.label_value == value) {
                hits.push_back(s);
            }
        }
        if (hits.size() == 1) {
            return hits.front();
        }
        if (hits.size() > 1) {
            raise<mask_error>(where, "'", path, "': label ", value, ": got ", hits.size(), " segments with this label "
                              "value in different layers (", detail::describe_segments(hits),
                              "), expected one. Select the segment by name.");
        }
    }
    raise<mask_error>(where, "'", path, "': segment: got '", selector, "', expected one of ",
                      detail::describe_segments(segments), ".");
}

/// One segment of a Slicer `.seg.nrrd` as a label map: the segment's label value where its layer holds that
/// value, 0 elsewhere (other segments, also those sharing the layer, are cleared). Also returns the segment.
template <std::size_t VDim = 3>
std::pair<label_image<VDim>, nrrd_segment> read_nrrd_segment(const std::string& path, const std::string& selector)
{
    const char* where = "io.read_nrrd_segment";
    const std::lock_guard<std::mutex> lock(detail::teem_mutex());
    const detail::nrrd_owner n = detail::load_nrrd(path, where, false);
    const nrrd_header_info header = detail::header_of(n.get(), path);
    const nrrd_segment segment = find_nrrd_segment(header.segments, selector, path);
    if (segment.layer >= header.layers) {
        raise<io_error>(where, "'", path, "': segment '", segment.name, "' layer: got ", segment.layer, ", expected < ",
                        header.layers, " (the number of layers in the data)");
    }
    label_image<VDim> out = detail::nrrd_to_image<std::int32_t, VDim>(n.get(), segment.layer, path, where);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = out[i] == segment.label_value ? segment.label_value : 0;
    }
    return {std::move(out), segment};
}

/// Writes `img` as NRRD: attached (`.nrrd`) or detached (`.nhdr` + `.raw`/`.raw.gz` beside it), `space:
/// left-posterior-superior`, `space directions` / `space origin` from the geometry, optional key/value
/// pairs. The files are written in a temporary folder beside `path` and renamed into place (the data file
/// before the header), so a failed write never leaves a half-written file under `path`.
template <class TPixel, std::size_t VDim>
void write_nrrd(const image<TPixel, VDim>& img, const std::string& path, nrrd_encoding encoding = nrrd_encoding::gzip,
                const std::map<std::string, std::string>& key_values = {})
{
    static_assert(VDim >= 1 && VDim <= 3, "write_nrrd supports 1 to 3 spatial dimensions");
    namespace fs = std::filesystem;
    const char* where = "io.write_nrrd";
    if (!is_nrrd_path(path)) {
        raise<io_error>(where, "'", path, "': got an unknown extension, expected .nrrd or .nhdr");
    }
    if (img.empty()) {
        raise<invalid_argument>(where, "'", path, "': got an empty image, expected at least one voxel");
    }
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(folder)) {
        raise<io_error>(where, "'", path, "': the folder '", folder.string(), "' does not exist");
    }
    const std::lock_guard<std::mutex> lock(detail::teem_mutex());
    detail::nrrd_wrapper n(nrrdNew());
    std::array<std::size_t, VDim> sizes{};
    for (std::size_t d = 0; d < VDim; ++d) {
        sizes[d] = img.shape()[d];
    }
    if (nrrdWrap_nva(n.get(), const_cast<TPixel*>(img.begin_pointer()), detail::nrrd_type_of<TPixel>(),
                     static_cast<unsigned int>(VDim), sizes.data()) != 0 ||
        nrrdSpaceSet(n.get(), nrrdSpaceLeftPosteriorSuperior) != 0) {
        raise<io_error>(where, "'", path, "': teem refused the image (", detail::teem_error(), ")");
    }
    const auto& g = img.geometry();
    std::array<double, NRRD_SPACE_DIM_MAX> origin{};
    for (std::size_t r = 0; r < 3; ++r) {
        origin[r] = r < VDim ? g.origin()[r] : 0.0;
    }
    nrrdSpaceOriginSet(n.get(), origin.data());
    for (std::size_t c = 0; c < VDim; ++c) {
        for (std::size_t r = 0; r < 3; ++r) {
            n->axis[c].spaceDirection[r] = r < VDim ? g.direction()[r][c] * g.spacing()[c] : 0.0;
        }
        n->axis[c].kind = nrrdKindDomain;
    }
    for (const auto& [key, value] : key_values) {
        nrrdKeyValueAdd(n.get(), key.c_str(), value.c_str());
    }
    detail::nio_owner nio(nrrdIoStateNew());
    nio->encoding = encoding == nrrd_encoding::gzip    ? nrrdEncodingGzip
                    : encoding == nrrd_encoding::ascii ? nrrdEncodingAscii
                                                       : nrrdEncodingRaw;
    if (!nio->encoding->available()) {
        raise<io_error>(where, "'", path, "': encoding: got ", nio->encoding->name,
                        ", expected one this teem build supports (raw, ascii)");
    }
    const fs::path scratch = folder / (".rg_partial_" + target.filename().string());
    std::error_code ec;
    fs::remove_all(scratch, ec);
    fs::create_directory(scratch, ec);
    if (ec) {
        raise<io_error>(where, "'", path, "': cannot create the temporary folder '", scratch.string(), "'");
    }
    const fs::path temporary = scratch / target.filename();
    if (nrrdSave(temporary.string().c_str(), n.get(), nio.get()) != 0) {
        const std::string why = detail::teem_error();
        fs::remove_all(scratch, ec);
        raise<io_error>(where, "'", path, "': teem could not write it (", why, ")");
    }
    // Detached: move the data file(s) first, then the header that names them.
    for (const auto& entry : fs::directory_iterator(scratch)) {
        if (entry.path().filename() != target.filename()) {
            fs::rename(entry.path(), folder / entry.path().filename(), ec);
            if (ec) {
                fs::remove_all(scratch, ec);
                raise<io_error>(where, "'", path, "': cannot move the data file into place");
            }
        }
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        fs::remove_all(scratch, ec);
        raise<io_error>(where, "'", path, "': cannot rename the temporary file into place");
    }
    fs::remove_all(scratch, ec);
}

}  // namespace radiogenomics::io
