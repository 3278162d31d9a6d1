#pragma once
/// \file serialization.hpp
/// \brief Text format for named matrices (model weights, test fixtures), version 1.
///
/// \code
/// radiogenomics-learn-weights 1
/// model <kind> <config...>          (one line; compared verbatim on load)
/// count <n>
/// <name> <rows> <cols>              (then rows*cols numbers, row-major, whitespace separated)
/// ...
/// end
/// \endcode
/// Numbers are written with 17 significant digits, so doubles round-trip exactly. Loading into a
/// model refuses a file whose version, model line, parameter names or shapes differ, naming the first
/// difference.
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "radiogenomics/core/error.hpp"
#include "radiogenomics/learn/parameter.hpp"
#include "radiogenomics/io/atomic_file.hpp"

namespace radiogenomics::learn {

/// Magic word and version of the weight format.
inline constexpr const char* weights_magic = "radiogenomics-learn-weights";
inline constexpr int weights_version = 1;

/// A parsed weight file: its model line and its named matrices in file order.
struct named_matrices {
    std::string model;
    std::vector<std::pair<std::string, matrix<double>>> entries;

    /// The matrix called `name`; throws `io_error` when absent.
    const matrix<double>& get(const std::string& name) const
    {
        for (const auto& entry : entries) {
            if (entry.first == name) {
                return entry.second;
            }
        }
        raise<io_error>("learn.named_matrices.get", "entry: got no '", name, "', expected it in the file.");
    }
};

/// Writes `model_line` and the parameter values in the version-1 text format (atomically).
template <class TReal>
void save_parameters(const std::string& path, const std::string& model_line, const parameter_list<TReal>& parameters)
{
    std::ostringstream out;
    out.precision(17);
    out << weights_magic << ' ' << weights_version << '\n' << "model " << model_line << '\n';
    out << "count " << parameters.size() << '\n';
    for (const auto* p : parameters) {
        out << p->name << ' ' << p->value.rows() << ' ' << p->value.cols() << '\n';
        for (index r = 0; r < p->value.rows(); ++r) {
            for (index c = 0; c < p->value.cols(); ++c) {
                out << (c == 0 ? "" : " ") << static_cast<double>(p->value(r, c));
            }
            out << '\n';
        }
    }
    out << "end\n";
    io::write_file_atomic(path, out.str());
}

/// Reads a version-1 file; throws `io_error` for a missing file, a bad tag or a truncated body.
inline named_matrices read_named_matrices(const std::string& path)
{
    const std::string where = "learn.read_named_matrices";
    std::ifstream in(path);
    if (!in) {
        raise<io_error>(where, path, ": cannot open the file.");
    }
    std::string magic;
    int version = 0;
    if (!(in >> magic >> version) || magic != weights_magic) {
        raise<io_error>(where, path, ": header: got '", magic, "', expected '", weights_magic, " ", weights_version,
                        "'. Not a radiogenomics weight file.");
    }
    if (version != weights_version) {
        raise<io_error>(where, path, ": format version: got ", version, ", expected ", weights_version, ".");
    }
    named_matrices result;
    std::string word;
    in >> word;
    if (word != "model") {
        raise<io_error>(where, path, ": second line: got '", word, "', expected 'model ...'.");
    }
    std::getline(in, result.model);
    if (!result.model.empty() && result.model.front() == ' ') {
        result.model.erase(0, 1);
    }
    std::size_t count = 0;
    if (!(in >> word >> count) || word != "count") {
        raise<io_error>(where, path, ": count line: got '", word, "', expected 'count <n>'.");
    }
    for (std::size_t i = 0; i < count; ++i) {
        std::string name;
        index rows = -1;
        index cols = -1;
        if (!(in >> name >> rows >> cols) || rows < 0 || cols < 0) {
            raise<io_error>(where, path, ": entry ", i + 1, " of ", count, ": got a malformed header, expected '<name> <rows> <cols>'.");
        }
        matrix<double> values(rows, cols);
        for (index r = 0; r < rows; ++r) {
            for (index c = 0; c < cols; ++c) {
                std::string token;
                if (!(in >> token)) {
                    raise<io_error>(where, path, ": entry '", name, "': got end of file, expected ", rows * cols,
                                    " numbers. The file is truncated.");
                }
                try {
                    values(r, c) = std::stod(token);
                } catch (const std::exception&) {
                    raise<io_error>(where, path, ": entry '", name, "': got '", token, "', expected a number.");
                }
            }
        }
        result.entries.emplace_back(std::move(name), std::move(values));
    }
    if (!(in >> word) || word != "end") {
        raise<io_error>(where, path, ": trailer: got '", word, "', expected 'end'. The file is truncated or has extra entries.");
    }
    return result;
}

/// Loads a file written by `save_parameters` into `parameters`, refusing any mismatch.
template <class TReal>
void load_parameters(const std::string& path, const std::string& model_line, const parameter_list<TReal>& parameters)
{
    const std::string where = "learn.load_parameters";
    const named_matrices file = read_named_matrices(path);
    if (file.model != model_line) {
        raise<io_error>(where, path, ": model: got '", file.model, "', expected '", model_line,
                        "'. The file was saved from a model of another configuration.");
    }
    if (file.entries.size() != parameters.size()) {
        raise<io_error>(where, path, ": parameter count: got ", file.entries.size(), ", expected ",
                        parameters.size(), ".");
    }
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const auto& entry = file.entries[i];
        auto* p = parameters[i];
        if (entry.first != p->name || entry.second.rows() != p->value.rows() || entry.second.cols() != p->value.cols()) {
            raise<io_error>(where, path, ": parameter ", i + 1, ": got '", entry.first, "' ", entry.second.rows(), "x",
                            entry.second.cols(), ", expected '", p->name, "' ", p->value.rows(), "x", p->value.cols(), ".");
        }
    }
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        parameters[i]->value = file.entries[i].second.template cast<TReal>();
    }
}

}  // namespace radiogenomics::learn
