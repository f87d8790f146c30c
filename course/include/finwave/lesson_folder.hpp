// Which files of a lessons folder are lessons: the one rule the command-line
// tool and the desktop app read folders by, and the one the build's
// lessons/index.json (scripts/publish-site.py) writes for the browser.
// The only part of the course library that touches the file system.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace finwave {

struct LessonFile {
    std::string lang;  // the subfolder's name: "en", "zh", ...
    std::string rel;   // "<lang>/<name>.md", with '/' on every system
    std::filesystem::path path;
};

// Every lesson file in `dir`/<lang>/, sorted by `rel`. A folder that cannot be
// read gives no files; `exists` says whether `dir` is a folder at all.
std::vector<LessonFile> lesson_files(const std::filesystem::path& dir, bool* exists = nullptr);

}  // namespace finwave
