#pragma once
/// \file error.hpp
/// \brief Exception types thrown for bad user input.
///
/// Every message has the stable shape
/// `"[radiogenomics.<module>.<function>] <what>: got <value>, expected <constraint>. <hint>"`
/// so that callers and tests can rely on the prefix.

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace radiogenomics {

/// Base of every exception the library throws on bad input.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A parameter or data value outside its allowed domain (NaN, negative count, empty group, ...).
class invalid_argument : public error {
public:
    using error::error;
};

/// Two images whose grids disagree, zero spacing, a non-orthonormal direction, ...
class geometry_error : public error {
public:
    using error::error;
};

/// An empty mask, a label that is absent, a mask too small for a feature class, ...
class mask_error : public error {
public:
    using error::error;
};

/// A missing, truncated or unsupported file.
class io_error : public error {
public:
    using error::error;
};

namespace detail {

inline void append_all(std::ostringstream&) {}

template <class T, class... TRest>
void append_all(std::ostringstream& out, const T& first, const TRest&... rest)
{
    out << first;
    append_all(out, rest...);
}

}  // namespace detail

/// Builds `"[radiogenomics.<where>] <parts...>"`; `where` is `"<module>.<function>"`.
template <class... TParts>
std::string error_message(const std::string& where, const TParts&... parts)
{
    std::ostringstream out;
    out.precision(17);
    out << "[radiogenomics." << where << "] ";
    detail::append_all(out, parts...);
    return out.str();
}

/// Throws `TError` with `error_message(where, parts...)`.
template <class TError = invalid_argument, class... TParts>
[[noreturn]] void raise(const std::string& where, const TParts&... parts)
{
    throw TError(error_message(where, parts...));
}

}  // namespace radiogenomics
