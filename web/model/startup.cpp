#include "startup.hpp"


#include "finwave/builtin.hpp"
#include "finwave/parse_number.hpp"

namespace finwave::web {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_' || u == '.') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

// A yes/no parameter; a bare "?embed" means yes.
std::optional<bool> parse_switch(std::string_view s) {
    for (std::string_view yes : {"", "1", "true", "yes", "on"})
        if (s == yes) return true;
    for (std::string_view no : {"0", "false", "no", "off"})
        if (s == no) return false;
    return std::nullopt;
}

// Shown to the learner: keep a hostile or huge parameter short.
std::string shown(std::string_view s) {
    std::string out(s.substr(0, 40));
    if (s.size() > 40) out += "…";
    return out;
}

// The lesson that asks question `id`: `lesson` if it is given (and asks it),
// else the first lesson of the course that does.
std::optional<std::string> lesson_of_question(const Tutor& t, const std::string& id, const std::optional<std::string>& lesson) {
    auto asks = [&](const std::string& lesson_id) {
        const Lesson* l = t.catalog().lesson(lesson_id, t.lang());
        if (!l) return false;
        for (const Step& s : l->steps)
            for (const Question& q : s.questions)
                if (q.id == id) return true;
        return false;
    };
    if (lesson) return asks(*lesson) ? lesson : std::nullopt;
    for (const CatalogEntry& e : t.catalog().entries())
        if (asks(e.id)) return e.id;
    return std::nullopt;
}

}  // namespace

UrlParams parse_query(std::string_view q) {
    UrlParams p;
    if (!q.empty() && q.front() == '?') q.remove_prefix(1);
    while (!q.empty()) {
        const auto amp = q.find('&');
        const std::string_view pair = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        const auto eq = pair.find('=');
        const std::string key = decode(pair.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
        if (key == "lang") p.lang = value;
        else if (key == "lesson") p.lesson = value;
        else if (key == "step") p.step = value;
        else if (key == "mode") p.mode = value;
        else if (key == "profile") p.profile = value;
        else if (key == "scenario") p.scenario = value;
        else if (key == "embed") p.embed = value;
        else if (key == "question") p.question = value;
        else if (key == "practice") p.practice = value;
        else if (key == "level") p.level = value;
    }
    return p;
}

void start(Tutor& t, const StartOptions& o) {
    const UrlParams url = parse_query(o.query);
    t.load_progress_text(o.saved_progress);

    std::optional<Lang> lang;
    if (url.lang) {
        lang = parse_lang(*url.lang);
        if (!lang) t.add_notice(Alert::Level::Warning, "notice.bad_lang", {shown(*url.lang)});
    }
    if (!lang) lang = parse_lang(o.saved_lang);
    if (!lang && o.browser_lang.substr(0, 2) == "zh") lang = Lang::Zh;
    t.set_lang(lang.value_or(Lang::En));
    t.take_lang_dirty();  // chosen, not changed by the learner: nothing to save

    enum class Mode { Lesson, Quiz, Sandbox } mode = Mode::Lesson;
    if (url.mode) {
        if (*url.mode == "quiz") mode = Mode::Quiz;
        else if (*url.mode == "sandbox") mode = Mode::Sandbox;
        else if (!url.mode->empty() && *url.mode != "lesson") t.add_notice(Alert::Level::Warning, "notice.bad_mode", {shown(*url.mode)});
    }
    if (url.embed) {
        if (const auto on = parse_switch(*url.embed)) t.set_embedded(*on);
        else t.add_notice(Alert::Level::Warning, "notice.bad_embed", {shown(*url.embed)});
    }
    std::optional<Profile> profile;
    if (url.profile) {
        profile = parse_profile(*url.profile);
        if (!profile) t.add_notice(Alert::Level::Warning, "notice.bad_profile", {shown(*url.profile)});
    }
    // One question alone: a quiz of that question, in the small layout.
    std::optional<std::string> question_lesson;
    if (url.question) {
        question_lesson = lesson_of_question(t, *url.question, url.lesson);
        if (!question_lesson) {
            t.add_notice(Alert::Level::Warning, "notice.unknown_question", {shown(*url.question)});
        } else {
            mode = Mode::Quiz;
            t.set_focus_question(*url.question);
            if (!url.embed) t.set_embedded(true);
        }
    }
    // Before a lesson opens, so that it opens on a question.
    t.set_quiz_only(mode == Mode::Quiz);

    const auto& entries = t.catalog().entries();
    bool opened = false;
    if (url.scenario && mode == Mode::Quiz) t.add_notice(Alert::Level::Warning, "notice.scenario_in_quiz", {shown(*url.scenario)});
    if (mode == Mode::Sandbox || (url.scenario && mode != Mode::Quiz)) {
        std::string name(kDefaultScenario);
        if (url.scenario) name = *url.scenario;
        else if (url.lesson && find_builtin(*url.lesson)) name = *url.lesson;
        if (!find_builtin(name) && !find_host_builtin(name)) {
            t.add_notice(Alert::Level::Warning, "notice.unknown_scenario", {shown(name), std::string(kDefaultScenario)});
            name = kDefaultScenario;
        }
        opened = t.open_sandbox(name);
    } else if (question_lesson) {
        opened = t.open_lesson(*question_lesson, 0);
        if (opened) {
            if (auto step = t.step_of_question(*url.question)) t.go_step(*step);
        }
    } else if (url.lesson) {
        if (t.catalog().find(*url.lesson)) {
            opened = t.open_lesson(*url.lesson, 0);
        } else if (find_builtin(*url.lesson) && mode != Mode::Quiz) {
            opened = t.open_sandbox(*url.lesson);
        } else {
            t.add_notice(Alert::Level::Warning, "notice.unknown_lesson", {shown(*url.lesson)});
        }
    }
    if (url.practice && !opened) {
        const auto seed = parse_integer<std::uint64_t>(*url.practice);
        std::optional<int> level = 0;
        if (url.level) {
            level = parse_integer<int>(*url.level);
            if (level && (*level < 1 || *level > 3)) level.reset();
        }
        if (!seed) t.add_notice(Alert::Level::Warning, "notice.bad_practice", {shown(*url.practice)});
        else if (!level) t.add_notice(Alert::Level::Warning, "notice.bad_practice_level", {shown(*url.level)});
        else opened = t.open_practice(*seed, *level);
    } else if (url.level && !url.practice) {
        t.add_notice(Alert::Level::Warning, "notice.level_without_practice", {shown(*url.level)});
    }
    if (!opened && !entries.empty()) opened = t.open_lesson(entries.front().id, 0);
    if (!opened) {
        t.add_notice(Alert::Level::Error, "notice.no_lessons");
        t.open_sandbox(kDefaultScenario);
    }
    if (url.step && question_lesson) t.add_notice(Alert::Level::Warning, "notice.step_with_question", {shown(*url.step)});
    if (url.step && !question_lesson && t.lesson() && !t.in_sandbox()) {
        const std::string& s = *url.step;
        const std::size_t n = parse_integer<std::size_t>(s).value_or(0);
        const std::size_t steps = t.lesson()->steps.size();
        if (n == 0 || n > steps) {
            t.add_notice(Alert::Level::Warning, "notice.bad_step", {shown(s), std::to_string(steps)});
        } else {
            t.go_step(n - 1);
            if (t.quiz_only() && !t.step_has_questions(t.step_index())) {
                if (auto q = t.question_step(t.step_index(), +1)) t.go_step(*q);
                else if (auto back = t.question_step(t.step_index(), -1)) t.go_step(*back);
            }
        }
    }
    if (profile) t.set_profile(*profile);
}

std::string location_query(const Tutor& t) {
    std::string q = "?lang=";
    q += lang_code(t.lang());
    if (const auto* ex = t.practice_exercise()) {
        q += "&practice=" + std::to_string(ex->seed) + "&level=" + std::to_string(ex->level);
    } else if (t.in_sandbox()) {
        q += "&scenario=" + encode(t.sandbox_scenario());
    } else if (!t.lesson_id().empty()) {
        q += "&lesson=" + encode(t.lesson_id());
        if (!t.focus_question().empty()) {
            q += "&question=" + encode(t.focus_question());
        } else {
            q += "&step=" + std::to_string(t.step_index() + 1);
            if (t.quiz_only()) q += "&mode=quiz";
        }
    }
    if (t.profile_overridden()) q += std::string("&profile=") + to_string(t.profile());
    if (t.embedded()) q += "&embed=1";
    return q;
}

}  // namespace finwave::web
