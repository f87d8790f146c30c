#include "catalog.hpp"

#include <algorithm>

namespace finwave::web {

std::string LoadProblem::text() const {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}

void Catalog::add_failure(std::string_view path, std::string_view message) {
    problems_.push_back({"lessons/" + std::string(path), 0, std::string(message)});
}

void Catalog::add_file(std::string_view path, std::string_view text) {
    const std::string file = "lessons/" + std::string(path);
    const auto slash = path.find('/');
    const auto lang = slash == std::string_view::npos ? std::nullopt : parse_lang(path.substr(0, slash));
    if (!lang) {
        problems_.push_back({file, 0, "not under a language folder (lessons/en/ or lessons/zh/)"});
        return;
    }
    auto parsed = parse_lesson(text, file, lang_code(*lang));
    if (auto* e = std::get_if<LessonError>(&parsed)) {
        problems_.push_back({e->file, e->line, e->message});
        return;
    }
    Lesson lesson = std::move(std::get<Lesson>(parsed));
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const CatalogEntry& c) { return c.id == lesson.id; });
    if (it == entries_.end()) {
        entries_.push_back({lesson.id, lesson.order, {}});
        it = entries_.end() - 1;
    }
    auto& slot = it->by_lang[static_cast<int>(*lang)];
    if (slot) {
        problems_.push_back({file, 1, "the id '" + lesson.id + "' is already used by " + slot->file});
        return;
    }
    it->order = lesson.order;
    slot = std::move(lesson);
    std::stable_sort(entries_.begin(), entries_.end(), [](const CatalogEntry& a, const CatalogEntry& b) {
        return a.order != b.order ? a.order < b.order : a.id < b.id;
    });
}

const CatalogEntry* Catalog::find(std::string_view id) const {
    for (const auto& e : entries_)
        if (e.id == id) return &e;
    return nullptr;
}

const Lesson* Catalog::lesson(std::string_view id, Lang lang) const {
    const CatalogEntry* e = find(id);
    if (!e) return nullptr;
    if (const auto& l = e->by_lang[static_cast<int>(lang)]) return &*l;
    for (const auto& l : e->by_lang)
        if (l) return &*l;
    return nullptr;
}

}  // namespace finwave::web
