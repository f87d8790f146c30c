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
#include "finwave/lesson_folder.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::fuzz {

// A new tutor each time (a run must not see the last one's answers or
// place), on lessons read and parsed once.
inline web::Tutor repo_tutor() {
    static const web::Catalog catalog = [] {
        web::Catalog c;
        for (const LessonFile& f : lesson_files(std::filesystem::path(FINWAVE_REPO_ROOT) / "lessons")) {
            std::ifstream in(f.path, std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            c.add_file(f.rel, s.str());
        }
        return c;
    }();
    return web::Tutor(catalog, web::builtin_strings());
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
