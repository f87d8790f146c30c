// The lessons found at run time: every file listed in lessons/index.json,
// parsed on arrival. A file that does not parse or did not load is kept as a
// problem with its file and line; it never stops the other lessons.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/lesson.hpp"
#include "strings.hpp"

namespace finwave::web {

struct CatalogEntry {
    std::string id;
    int order = 0;
    std::array<std::optional<Lesson>, kLangCount> by_lang;
};

struct LoadProblem {
    std::string file;  // as the author knows it, e.g. "lessons/en/03-rst.md"
    int line = 0;      // 0: the file as a whole
    std::string message;
    std::string text() const;  // "file:line: message"
};

class Catalog {
public:
    // `path` is relative to lessons/, e.g. "en/02-states-step-by-step.md":
    // its first folder is the language.
    void add_file(std::string_view path, std::string_view text);
    void add_failure(std::string_view path, std::string_view message);

    const std::vector<CatalogEntry>& entries() const { return entries_; }
    const std::vector<LoadProblem>& problems() const { return problems_; }
    const CatalogEntry* find(std::string_view id) const;
    // The lesson in `lang`, or in the other language when it has no translation.
    const Lesson* lesson(std::string_view id, Lang lang) const;

private:
    std::vector<CatalogEntry> entries_;  // sorted by order, then id
    std::vector<LoadProblem> problems_;
};

}  // namespace finwave::web
