// What the app-model targets share: a tutor on the repository's real
// lessons (read once), and the input split into NUL-separated fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::fuzz {

inline const web::Tutor& repo_tutor() {
    static const web::Tutor tutor = [] {
        web::Catalog c;
        const std::filesystem::path root = std::filesystem::path(FINWAVE_REPO_ROOT) / "lessons";
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
            const auto rel = std::filesystem::relative(entry.path(), root).generic_string();
            if (rel.find('/') == std::string::npos) continue;  // lessons/README.md
            std::ifstream in(entry.path(), std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            c.add_file(rel, s.str());
        }
        return web::Tutor(std::move(c), web::builtin_strings());
    }();
    return tutor;
}

// Fields separated by NUL bytes; missing ones are empty.
inline std::vector<std::string> fields(const std::uint8_t* data, std::size_t size, std::size_t count) {
    std::vector<std::string> out(count);
    std::size_t field = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == 0 && field + 1 < count) {
            ++field;
            continue;
        }
        out[field].push_back(static_cast<char>(data[i]));
    }
    return out;
}

}  // namespace finwave::fuzz
