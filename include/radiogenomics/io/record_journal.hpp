#pragma once
/// \file record_journal.hpp
/// \brief An append-only file of durable records (one per finished unit of work), so a job killed at any
/// moment — SIGKILL, a lost node, a batch system's time limit — restarts where it stopped.
///
/// \par Format
/// A header: the 8 bytes `RGJRNL01`, the key's length (u32), the key (text naming the job: whoever opens the
/// journal again must present the same key), the key's CRC-32 (u32). Then records: payload length (u32),
/// payload CRC-32 (u32), payload. Integers are little-endian. CRC-32 is the IEEE 802.3 polynomial
/// (`boost::crc_32_type`, as zlib and PNG).
///
/// \par Durability
/// `append` writes the record with one `write` and then `fsync`s the file, so a record is on disk when
/// `append` returns. A process killed in the middle of `append` leaves at most one incomplete record at the
/// end; opening the journal again keeps every complete record whose CRC matches and cuts the file after the
/// last of them (`dropped_bytes` says how much was cut). Records are never rewritten in place.
///
/// \par One writer
/// The open journal holds an exclusive `flock`: a second process opening it (say a requeued job while a stray
/// process of the old one still runs) gets `io_error` instead of interleaving records (on a file system without
/// locks, e.g. Lustre mounted without `flock`, the journal works unlocked). POSIX only
/// (open/flock/write/fsync/ftruncate).

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/crc.hpp>

#include "radiogenomics/core/error.hpp"

namespace radiogenomics::io {

namespace detail {

inline std::uint32_t journal_crc(std::string_view bytes)
{
    boost::crc_32_type crc;
    crc.process_bytes(bytes.data(), bytes.size());
    return crc.checksum();
}

inline void put_u32(std::string& out, std::uint32_t v)
{
    for (int b = 0; b < 4; ++b) {
        out.push_back(static_cast<char>((v >> (8 * b)) & 0xFFu));
    }
}

inline std::uint32_t get_u32(const char* p)
{
    std::uint32_t v = 0;
    for (int b = 3; b >= 0; --b) {
        v = (v << 8) | static_cast<unsigned char>(p[b]);
    }
    return v;
}

constexpr std::string_view journal_magic{"RGJRNL01", 8};

}  // namespace detail

/// An open journal: the records found when it was opened, and `append` for new ones.
class record_journal {
public:
    /// Opens `path` (created when missing or empty) for a job named `key`. Throws `invalid_argument` when the
    /// file is not a journal or was written for another key, `io_error` (with the OS reason) when it cannot be
    /// read, created or cut.
    record_journal(std::string path, std::string_view key) : m_path(std::move(path))
    {
        const char* where = "io.record_journal";
        m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0) {
            const int reason = errno;
            raise<io_error>(where, "'", m_path, "': cannot open the journal: ", std::strerror(reason), ".");
        }
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {  // a file system without locks
            const int reason = errno;                                         // (ENOLCK, ENOSYS) goes unlocked
            ::close(m_fd);
            raise<io_error>(where, "'", m_path, "': the journal is locked (", std::strerror(reason),
                            "): another process is writing it, expected none. Wait for it or stop it first.");
        }
        std::string bytes;
        try {
            bytes = read_all();
        } catch (...) {
            ::close(m_fd);
            throw;
        }
        std::string header(detail::journal_magic);
        detail::put_u32(header, static_cast<std::uint32_t>(key.size()));
        header.append(key);
        detail::put_u32(header, detail::journal_crc(key));
        if (bytes.size() < header.size() && header.compare(0, bytes.size(), bytes) == 0) {
            // empty, or killed while writing the header: start afresh
            if (::ftruncate(m_fd, 0) != 0 || ::lseek(m_fd, 0, SEEK_SET) < 0) {
                const int reason = errno;
                ::close(m_fd);
                raise<io_error>(where, "'", m_path, "': cannot reset the journal: ", std::strerror(reason), ".");
            }
            try {
                write_durably(header);
            } catch (...) {
                ::close(m_fd);
                throw;
            }
            return;
        }
        if (bytes.compare(0, detail::journal_magic.size(), detail::journal_magic) != 0) {
            ::close(m_fd);
            raise<invalid_argument>(where, "'", m_path, "': got a file that is not a radiogenomics journal (no ",
                                    "RGJRNL01 header), expected a journal or no file. Remove or rename it.");
        }
        if (bytes.compare(0, header.size(), header) != 0) {
            ::close(m_fd);
            raise<invalid_argument>(where, "'", m_path, "': the journal was written for another job, expected one for ",
                                    "this job (its inputs, parameters or program version differ). Remove it to start ",
                                    "afresh, or rerun with the original inputs.");
        }
        std::size_t at = header.size();
        while (bytes.size() - at >= 8) {
            const std::uint32_t length = detail::get_u32(bytes.data() + at);
            const std::uint32_t crc = detail::get_u32(bytes.data() + at + 4);
            if (bytes.size() - at - 8 < length) {
                break;  // cut short: the writer was killed during this record
            }
            std::string_view payload(bytes.data() + at + 8, length);
            if (detail::journal_crc(payload) != crc) {
                break;  // torn write
            }
            m_records.emplace_back(payload);
            at += 8 + static_cast<std::size_t>(length);
        }
        if (at < bytes.size()) {
            m_dropped = bytes.size() - at;
            if (::ftruncate(m_fd, static_cast<off_t>(at)) != 0 || ::fsync(m_fd) != 0) {
                const int reason = errno;
                ::close(m_fd);
                raise<io_error>(where, "'", m_path, "': cannot cut the incomplete last record: ", std::strerror(reason),
                                ".");
            }
        }
        if (::lseek(m_fd, 0, SEEK_END) < 0) {
            const int reason = errno;
            ::close(m_fd);
            raise<io_error>(where, "'", m_path, "': cannot seek to the end: ", std::strerror(reason), ".");
        }
    }

    record_journal(const record_journal&) = delete;
    record_journal& operator=(const record_journal&) = delete;
    ~record_journal()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    /// The complete records found when the journal was opened, in the order they were appended.
    const std::vector<std::string>& records() const { return m_records; }
    /// Bytes of an incomplete or corrupt tail cut off when the journal was opened (0 after a clean stop).
    std::size_t dropped_bytes() const { return m_dropped; }
    const std::string& path() const { return m_path; }

    /// Appends one record; it is on disk (fsync) when this returns. Throws `io_error` with the OS reason.
    void append(std::string_view payload)
    {
        std::string record;
        record.reserve(payload.size() + 8);
        detail::put_u32(record, static_cast<std::uint32_t>(payload.size()));
        detail::put_u32(record, detail::journal_crc(payload));
        record.append(payload);
        write_durably(record);
    }

    /// Closes and deletes the journal (after the job's output is safely written).
    void remove()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        if (::unlink(m_path.c_str()) != 0 && errno != ENOENT) {
            const int reason = errno;
            raise<io_error>("io.record_journal.remove", "'", m_path, "': cannot delete the journal: ",
                            std::strerror(reason), ".");
        }
    }

private:
    std::string read_all()
    {
        std::string out;
        char buffer[1 << 16];
        for (;;) {
            const ssize_t n = ::read(m_fd, buffer, sizeof(buffer));
            if (n == 0) {
                return out;
            }
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                const int reason = errno;
                raise<io_error>("io.record_journal", "'", m_path, "': cannot read the journal: ", std::strerror(reason),
                                ".");
            }
            out.append(buffer, static_cast<std::size_t>(n));
        }
    }

    void write_durably(std::string_view bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                const int reason = errno;
                raise<io_error>("io.record_journal.append", "'", m_path, "': writing ", bytes.size(),
                                " bytes failed: ", std::strerror(reason), ".");
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(m_fd) != 0) {
            const int reason = errno;
            raise<io_error>("io.record_journal.append", "'", m_path, "': fsync failed: ", std::strerror(reason), ".");
        }
    }

    std::string m_path;
    int m_fd = -1;
    std::vector<std::string> m_records;
    std::size_t m_dropped = 0;
};

}  // namespace radiogenomics::io
