#pragma once
/// \file sha1.hpp
/// \brief SHA-1 of a byte buffer (FIPS 180-4, section 6.1), for PyRadiomics' image and mask hash diagnostics
/// (`diagnostics_Image-original_Hash` is SimpleITK's `Hash`, the SHA-1 of the pixel buffer).
///
/// Not for security: SHA-1 is used here only to reproduce PyRadiomics' diagnostic values.
///
/// \par Implementation
/// With `RG_HAVE_OPENSSL` (examples/CMakeLists.txt defines it when CMake finds OpenSSL's libcrypto, Debian
/// `libssl-dev`, which the quick start installs) the hash is OpenSSL's `EVP_Digest` with `EVP_sha1()`: maintained
/// and hardware accelerated (SHA extensions / AVX2), several times faster than the portable code on a
/// full-size CT. Without it, or if OpenSSL reports a failure, `detail::sha1_hex_portable` (FIPS 180-4, written
/// here) gives the same digest; tests/extract checks both against FIPS vectors and a `sha1sum` fixture.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#if defined(RG_HAVE_OPENSSL)
#include <openssl/evp.h>
#endif

namespace radiogenomics::pyradiomics {

namespace detail {

inline std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

/// One 64-byte block of the compression function (FIPS 180-4, 6.1.2).
inline void sha1_block(std::array<std::uint32_t, 5>& h, const unsigned char* block)
{
    std::array<std::uint32_t, 80> w{};
    for (int t = 0; t < 16; ++t) {
        w[static_cast<std::size_t>(t)] = (std::uint32_t{block[4 * t]} << 24) | (std::uint32_t{block[4 * t + 1]} << 16) |
                                         (std::uint32_t{block[4 * t + 2]} << 8) | std::uint32_t{block[4 * t + 3]};
    }
    for (std::size_t t = 16; t < 80; ++t) {
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (std::size_t t = 0; t < 80; ++t) {
        std::uint32_t f = 0;
        std::uint32_t k = 0;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5A827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ED9EBA1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        const std::uint32_t temp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = temp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

/// 20 digest bytes as 40 lower-case hex digits.
inline std::string hex_digits(const unsigned char* digest, std::size_t n)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xFu];
    }
    return out;
}

/// Portable SHA-1 (FIPS 180-4) of `size` bytes at `data`, as 40 lower-case hex digits: the fallback of
/// `sha1_hex` when OpenSSL is not available.
inline std::string sha1_hex_portable(const void* data, std::size_t size)
{
    std::array<std::uint32_t, 5> h{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::size_t full = size / 64;
    for (std::size_t b = 0; b < full; ++b) {
        detail::sha1_block(h, bytes + 64 * b);
    }
    // padding: 0x80, zeros, 64-bit big-endian bit length (FIPS 180-4, 5.1.1)
    std::array<unsigned char, 128> tail{};
    const std::size_t rest = size - 64 * full;
    for (std::size_t i = 0; i < rest; ++i) {
        tail[i] = bytes[64 * full + i];
    }
    tail[rest] = 0x80;
    const std::size_t tail_blocks = rest + 1 + 8 <= 64 ? 1 : 2;
    const std::uint64_t bits = static_cast<std::uint64_t>(size) * 8u;
    for (int i = 0; i < 8; ++i) {
        tail[tail_blocks * 64 - 1 - static_cast<std::size_t>(i)] = static_cast<unsigned char>(bits >> (8 * i));
    }
    for (std::size_t b = 0; b < tail_blocks; ++b) {
        detail::sha1_block(h, tail.data() + 64 * b);
    }
    std::array<unsigned char, 20> digest{};
    for (std::size_t w = 0; w < 5; ++w) {
        for (std::size_t b = 0; b < 4; ++b) {
            digest[4 * w + b] = static_cast<unsigned char>(h[w] >> (24 - 8 * b));
        }
    }
    return hex_digits(digest.data(), digest.size());
}

}  // namespace detail

/// Whether `sha1_hex` uses OpenSSL (true when built with `RG_HAVE_OPENSSL`).
inline constexpr bool sha1_uses_openssl =
#if defined(RG_HAVE_OPENSSL)
    true;
#else
    false;
#endif

/// SHA-1 of `size` bytes at `data`, as 40 lower-case hex digits (OpenSSL when available, see the file comment).
inline std::string sha1_hex(const void* data, std::size_t size)
{
#if defined(RG_HAVE_OPENSSL)
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data, size, digest, &length, EVP_sha1(), nullptr) == 1 && length == 20) {
        return detail::hex_digits(digest, length);
    }
#endif
    return detail::sha1_hex_portable(data, size);
}

}  // namespace radiogenomics::pyradiomics
