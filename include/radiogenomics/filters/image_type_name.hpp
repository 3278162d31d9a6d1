#pragma once
/// \file image_type_name.hpp
/// \brief PyRadiomics' image-type names (the prefix of every feature name, e.g. `wavelet-LLH_firstorder_Mean`).

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::filters {

/// The image types PyRadiomics can enable (the study uses all but LBP2D).
enum class image_type { original, square, square_root, logarithm, exponential, gradient, lbp3d, wavelet, log, lbp2d };

/// PyRadiomics' `imageType` key: Original, Square, SquareRoot, Logarithm, Exponential, Gradient, LBP3D, Wavelet, LoG.
inline std::string image_type_key(image_type type)
{
    switch (type) {
    case image_type::original: return "Original";
    case image_type::square: return "Square";
    case image_type::square_root: return "SquareRoot";
    case image_type::logarithm: return "Logarithm";
    case image_type::exponential: return "Exponential";
    case image_type::gradient: return "Gradient";
    case image_type::lbp3d: return "LBP3D";
    case image_type::wavelet: return "Wavelet";
    case image_type::log: return "LoG";
    case image_type::lbp2d: return "LBP2D";
    }
    return "";
}

/// Parses a PyRadiomics `imageType` key; throws `invalid_argument` for an unknown one.
inline image_type parse_image_type_key(const std::string& key)
{
    for (image_type t : {image_type::original, image_type::square, image_type::square_root, image_type::logarithm,
                         image_type::exponential, image_type::gradient, image_type::lbp3d, image_type::wavelet,
                         image_type::log, image_type::lbp2d}) {
        if (image_type_key(t) == key) {
            return t;
        }
    }
    raise<invalid_argument>("filters.parse_image_type_key", "image type: got \"", key,
                            "\", expected one of Original, Square, SquareRoot, Logarithm, Exponential, Gradient, "
                            "LBP3D, Wavelet, LoG, LBP2D.");
}

/// Name of a single-output image type: original, square, squareroot, logarithm, exponential, gradient.
inline std::string image_type_name(image_type type)
{
    switch (type) {
    case image_type::original: return "original";
    case image_type::square: return "square";
    case image_type::square_root: return "squareroot";
    case image_type::logarithm: return "logarithm";
    case image_type::exponential: return "exponential";
    case image_type::gradient: return "gradient";
    case image_type::lbp2d: return "lbp-2D";
    default: break;
    }
    raise<invalid_argument>("filters.image_type_name", "image type: got ", image_type_key(type),
                            ", expected a single-output type; use lbp3d_/wavelet_/log_image_type_name.");
}

/// Python's `repr` of a float (CPython `float_repr`, `PyOS_double_to_string(x, 'r', 0, Py_DTSF_ADD_DOT_0)`):
/// the shortest digit string that round-trips, written in positional notation when the decimal exponent
/// \f$e\f$ (value \f$= d.ddd \times 10^{e}\f$) satisfies \f$-4 \le e < 16\f$, with ".0" appended to an integral
/// value (-1000.0 -> "-1000.0", 1e15 -> "1000000000000000.0"), and otherwise in exponent notation with a signed,
/// at least two-digit exponent and no ".0" (1e16 -> "1e+16", 1e-05 -> "1e-05", 1.5e-07 -> "1.5e-07").
/// Non-finite values give "nan", "inf", "-inf"; negative zero "-0.0".
inline std::string python_float_repr(double value)
{
    if (std::isnan(value)) {
        return "nan";
    }
    if (std::isinf(value)) {
        return value < 0 ? "-inf" : "inf";
    }
    // Shortest round-trip digits in scientific form, e.g. "-1.2345e-05" (std::to_chars, C++17).
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
    const std::string text(buffer, result.ptr);
    const bool negative = text[0] == '-';
    const std::size_t e_pos = text.find('e');
    std::string digits;
    for (std::size_t i = negative ? 1 : 0; i < e_pos; ++i) {
        if (text[i] != '.') {
            digits += text[i];
        }
    }
    const int exponent = std::atoi(text.c_str() + e_pos + 1);
    std::string out = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1) {
            out += "." + digits.substr(1);
        }
        char exp_text[16];
        std::snprintf(exp_text, sizeof(exp_text), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        return out + exp_text;
    }
    if (exponent < 0) {
        return out + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    }
    const auto point = static_cast<std::size_t>(exponent) + 1;  // digits before the decimal point
    if (digits.size() <= point) {
        return out + digits + std::string(point - digits.size(), '0') + ".0";
    }
    return out + digits.substr(0, point) + "." + digits.substr(point);
}

/// `log-sigma-<sigma>-mm-3D` with PyRadiomics' `str(sigma).replace('.', '-')`: 1.0 -> `log-sigma-1-0-mm-3D`.
inline std::string log_image_type_name(double sigma_mm)
{
    std::string s = python_float_repr(sigma_mm);
    for (char& c : s) {
        if (c == '.') {
            c = '-';
        }
    }
    return "log-sigma-" + s + "-mm-3D";
}

/// `wavelet-<band>` for level 1, `wavelet<level>-<band>` above (PyRadiomics `getWaveletImage`).
inline std::string wavelet_image_type_name(const std::string& band, std::size_t level = 1)
{
    return level <= 1 ? "wavelet-" + band : "wavelet" + std::to_string(level) + "-" + band;
}

/// `lbp-3D-m<level>` (level 1-based) or, for level 0, the kurtosis image `lbp-3D-k`.
inline std::string lbp3d_image_type_name(std::size_t level)
{
    return level == 0 ? std::string("lbp-3D-k") : "lbp-3D-m" + std::to_string(level);
}

/// The study's 19 image types in PyRadiomics' output order (with LoG sigma 1 and 3 mm, coif1 level 1).
inline std::vector<std::string> paper_image_type_names()
{
    return {"original",    "square",      "squareroot",  "logarithm",   "exponential",
            "gradient",    "lbp-3D-m1",   "lbp-3D-m2",   "lbp-3D-k",    "wavelet-LLH",
            "wavelet-LHL", "wavelet-LHH", "wavelet-HLL", "wavelet-HLH", "wavelet-HHL",
            "wavelet-HHH", "wavelet-LLL", "log-sigma-1-0-mm-3D", "log-sigma-3-0-mm-3D"};
}

}  // namespace radiogenomics::filters
