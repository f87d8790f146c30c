#include "finwave/lesson_folder.hpp"

#include <algorithm>

#include "finwave/lesson.hpp"

namespace finwave {

std::vector<LessonFile> lesson_files(const std::filesystem::path& dir, bool* exists) {
    namespace fs = std::filesystem;
    std::vector<LessonFile> out;
    std::error_code ec;
    if (exists) *exists = fs::is_directory(dir, ec);
    for (const auto& lang : fs::directory_iterator(dir, ec)) {
        if (!lang.is_directory(ec)) continue;
        const std::string code = lang.path().filename().string();
        std::error_code inner;
        for (const auto& file : fs::directory_iterator(lang.path(), inner)) {
            const std::string name = file.path().filename().string();
            if (file.is_regular_file(inner) && is_lesson_file_name(name)) out.push_back({code, code + "/" + name, file.path()});
        }
    }
    std::sort(out.begin(), out.end(), [](const LessonFile& a, const LessonFile& b) { return a.rel < b.rel; });
    return out;
}

}  // namespace finwave
