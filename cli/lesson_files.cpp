#include "lesson_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "finwave/lesson_folder.hpp"

namespace finwave {

std::optional<std::string> read_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot read '" + path + "': " + std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

LessonSet load_lessons(const std::vector<std::string>& roots) {
    namespace fs = std::filesystem;
    LessonSet set;
    std::vector<std::pair<std::string, std::string>> files;  // path, language
    for (const auto& root : roots) {
        std::error_code ec;
        if (fs::is_regular_file(root, ec)) {
            files.emplace_back(root, fs::path(root).parent_path().filename().string());
            continue;
        }
        if (!fs::is_directory(root, ec)) {
            set.fatal = "no lesson file or folder '" + root + "'";
            return set;
        }
        for (const LessonFile& f : lesson_files(root)) files.emplace_back(f.path.string(), f.lang);
    }
    std::sort(files.begin(), files.end());
    for (const auto& [path, lang] : files) {
        std::string error;
        auto text = read_file(path, error);
        if (!text) {
            set.problems.push_back(error);
            continue;
        }
        auto parsed = parse_lesson(*text, path, lang);
        if (auto* e = std::get_if<LessonError>(&parsed)) {
            set.problems.push_back(e->to_string());
            continue;
        }
        Lesson lesson = std::get<Lesson>(std::move(parsed));
        set.languages.insert(lang);
        if (set.by_id[lesson.id].count(lang)) {
            set.problems.push_back(path + ":1: lesson id '" + lesson.id + "' is used twice in " + lang);
            continue;
        }
        const std::string id = lesson.id;
        set.by_id[id].emplace(lang, std::move(lesson));
    }
    return set;
}

}  // namespace finwave
