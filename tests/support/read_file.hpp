// What the test suites read from the repository: whole files, byte for byte.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace finwave::repo {

// The file's bytes, or nothing if it cannot be opened.
inline std::optional<std::string> read_file_if_any(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The file's bytes; a file the suite expects but cannot open is an empty
// text, which the suite's own checks then report.
inline std::string read_file(const std::filesystem::path& p) { return read_file_if_any(p).value_or(std::string{}); }

}  // namespace finwave::repo
