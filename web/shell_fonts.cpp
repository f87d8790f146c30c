// The shell's fonts: which characters the lessons and the UI need, which of
// them the built-in subset lacks, and the fallback font that fills the gap.
//
// The subset (finwave-ui.ttf) holds the characters of the shipped lessons and
// the string tables, so a learner who reads only those downloads nothing
// more. A lesson a teacher adds later may use characters outside it: then the
// fallback (finwave-fallback.ttf, every character of GB 2312) is fetched once,
// and the atlas is rebuilt with the glyphs this catalogue needs from it, no
// more. What neither font has is listed in a notice.
#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8, ImTextStrToUtf8

#include <algorithm>
#include <cstdio>
#include <vector>

#include "shell.hpp"

namespace finwave::web {

namespace {

// A set of BMP characters: a bit per code point. (A std::set here was most
// of the time spent collecting, a node per character of every lesson.)
using CharSet = std::vector<bool>;
CharSet empty_set() { return CharSet(0x10000, false); }

void add_text(CharSet& out, const std::string& text) {
    const char* p = text.c_str();
    const char* end = p + text.size();
    while (p < end) {
        unsigned int c = 0;
        const int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        p += n;
        // ASCII is in every face; above the BMP ImGui 1.86 has no glyphs.
        if (c >= 0x80 && c <= 0xFFFF && c != 0xFEFF) out[c] = true;
    }
}

bool is_drawn(ImWchar c) {
    // Spaces and joiners take no glyph of their own.
    return c != 0x3000 && c != 0x00A0 && !(c >= 0x2000 && c <= 0x200F) && !(c >= 0x2028 && c <= 0x202F);
}

std::vector<ImWchar> as_list(const CharSet& chars) {
    std::vector<ImWchar> list;
    for (std::size_t c = 0; c < chars.size(); ++c)
        if (chars[c]) list.push_back(static_cast<ImWchar>(c));
    return list;
}

// With `base` (ImGui's ranges, 0-terminated) first: ImGui reads ranges as
// they come, so an overlap costs nothing but a lookup.
std::vector<ImWchar> as_ranges(const std::vector<ImWchar>& chars, const ImWchar* base = nullptr) {
    std::vector<ImWchar> ranges;
    for (; base != nullptr && base[0] != 0; base += 2) ranges.insert(ranges.end(), {base[0], base[1]});
    const std::size_t first = ranges.size();
    for (ImWchar c : chars) {
        if (ranges.size() > first && ranges.back() + 1 == c) ranges.back() = c;
        else {
            ranges.push_back(c);
            ranges.push_back(c);
        }
    }
    ranges.push_back(0);
    return ranges;
}

std::string utf8(ImWchar c) {
    char buf[5] = {};
    ImTextStrToUtf8(buf, sizeof buf, &c, &c + 1);
    return buf;
}

bool file_exists(const std::string& path) {
    if (path.empty()) return false;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f != nullptr) std::fclose(f);
    return f != nullptr;
}

}  // namespace

// Everything a learner may read, per language: each lesson as the catalogue
// gives it in that language (Catalog::lesson: another language's text where
// a lesson lacks one), every lesson's title in any language (the list), and
// that language's string table. An English reader's atlas then holds no
// Chinese beyond the language switch, and a Chinese reader's all of it.
void Shell::collect_text_glyphs(const Tutor& tutor) {
    CharSet titles = empty_set();
    for (const CatalogEntry& e : tutor.catalog().entries())
        for (const auto& lesson : e.by_lang)
            if (lesson) add_text(titles, lesson->title);
    const UiStrings& strings = builtin_strings();
    const ImWchar* latin = ImGui::GetIO().Fonts->GetGlyphRangesDefault();
    for (Lang l : {Lang::En, Lang::Zh}) {
        const auto li = static_cast<std::size_t>(l);
        CharSet all = titles;
        for (const CatalogEntry& e : tutor.catalog().entries()) {
            const finwave::Lesson* lesson = tutor.catalog().lesson(e.id, l);
            if (lesson == nullptr) continue;
            for (const finwave::Step& s : lesson->steps) {
                add_text(all, s.title);
                add_text(all, s.markdown);
                for (const finwave::Question& q : s.questions) {
                    add_text(all, q.prompt);
                    add_text(all, q.why);
                    for (const auto& c : q.choices) add_text(all, c.text);
                    for (const auto& [index, text] : q.wrong) add_text(all, text);
                }
            }
        }
        CharSet table = empty_set();
        for (const auto& key : strings.keys(l)) add_text(table, strings.get(l, key));
        for (std::size_t c = 0; c < table.size(); ++c)
            if (table[c]) all[c] = true;
        text_glyphs_[li] = as_list(all);
        text_ranges_[li] = as_ranges(text_glyphs_[li], latin);
        // The monospaced face is ASCII: what the events, packets and timers
        // show in Chinese comes from the table, so those characters are merged in.
        table_ranges_[li] = as_ranges(as_list(table));
    }
}

// After the atlas is built: which needed characters no font in it has. The
// first time some are missing, the fallback is fetched (browser) or read
// (desktop); once it is in, what is still missing is shown in a notice.
void Shell::check_glyphs() {
    const ImFont* body = ui::fonts().body;
    missing_glyphs_.clear();
    std::string listed;  // "㐀 (U+3400)": on the canvas the character itself cannot show
    if (body == nullptr || font_glyphs_ == 0) return;
    for (ImWchar c : text_glyphs_[static_cast<std::size_t>(font_lang_)]) {
        if (!is_drawn(c) || body->FindGlyphNoFallback(c) != nullptr) continue;
        missing_glyphs_ += utf8(c);
        char code[16];
        std::snprintf(code, sizeof code, " (U+%04X)", static_cast<unsigned>(c));
        listed += (listed.empty() ? "" : ", ") + utf8(c) + code;
    }
    if (missing_glyphs_.empty()) return;
    if (fallback_ == Fallback::None) {
        if (config_.fetch_fallback_font != nullptr) {
            fallback_ = Fallback::Loading;
            config_.fetch_fallback_font();
        } else {
            fallback_ = file_exists(config_.fallback_font_path) ? Fallback::Loaded : Fallback::Failed;
            fonts_dirty_ = true;
        }
        return;
    }
    if ((fallback_ == Fallback::Loaded || fallback_ == Fallback::Failed) && !missing_warned_ && app_) {
        missing_warned_ = true;
        std::printf("finwave: no font has %s\n", missing_glyphs_.c_str());
        app_->tutor().add_notice(Alert::Level::Warning, "notice.glyphs_missing", {listed});
    }
}

void Shell::fallback_font_arrived(bool ok, const std::string& why) {
    fallback_ = ok ? Fallback::Loaded : Fallback::Failed;
    if (!ok && app_) app_->tutor().add_notice(Alert::Level::Error, "notice.font_failed", {config_.fallback_font_path + ": " + why});
    fonts_dirty_ = true;
    request_frame();
}

const char* Shell::fallback_state() const {
    switch (fallback_) {
        case Fallback::None: return "unused";
        case Fallback::Loading: return "loading";
        case Fallback::Loaded: return "loaded";
        case Fallback::Failed: return "failed";
    }
    return "unused";
}

}  // namespace finwave::web
