// Reading lesson files from disk for the command-line tool (the engine itself
// never touches files).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "finwave/lesson.hpp"

namespace finwave {

std::optional<std::string> read_file(const std::string& path, std::string& error);

struct LessonSet {
    std::map<std::string, std::map<std::string, Lesson>> by_id;  // id -> language -> lesson
    std::set<std::string> languages;
    std::vector<std::string> problems;  // files that could not be read or parsed
    std::string fatal;                  // a root that does not exist
};

// `roots` are lesson folders (holding en/, zh/, ...) or single lesson files
// (their folder's name is the language).
LessonSet load_lessons(const std::vector<std::string>& roots);

}  // namespace finwave
