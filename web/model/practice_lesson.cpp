#include "practice_lesson.hpp"

#include <cstdio>
#include <variant>

#include "finwave/parse_number.hpp"
#include "text.hpp"

namespace finwave::web {

namespace {

// The generator's sentences are plain text: keep Markdown from reading
// fin_timeout or a '*' as emphasis.
std::string escape_markdown(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '#') out += '\\';
        out += c;
    }
    return out;
}

const std::string& in(const practice::Text& t, Lang l) { return l == Lang::Zh ? t.zh : t.en; }

}  // namespace

std::string practice_card_id(const practice::Exercise& ex) { return "practice:" + std::to_string(ex.level) + ":" + std::to_string(ex.seed); }

std::optional<std::pair<std::uint64_t, int>> parse_practice_card(std::string_view id) {
    constexpr std::string_view prefix = "practice:";
    if (!id.starts_with(prefix)) return std::nullopt;
    id.remove_prefix(prefix.size());
    const auto colon = id.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto level = parse_integer<int>(id.substr(0, colon));
    const auto seed = parse_integer<std::uint64_t>(id.substr(colon + 1));
    if (!level || !seed || *level < 1 || *level > 3) return std::nullopt;
    return std::pair{*seed, *level};
}

PracticeLesson make_practice_lesson(const practice::Exercise& ex, const UiStrings& strings,
                                    const std::array<std::string, kLangCount>& lesson_titles) {
    PracticeLesson out;
    out.exercise = ex;
    auto parsed = parse_scenario(ex.scenario, "practice");
    const Scenario* sc = std::get_if<Scenario>(&parsed);
    for (std::size_t li = 0; li < kLangCount; ++li) {
        const Lang lang = static_cast<Lang>(li);
        auto tr = [&](std::string_view key) -> const std::string& { return strings.get(lang, key); };
        Lesson& l = out.by_lang[li];
        l.id = practice_card_id(ex);
        l.lang = std::string(lang_code(lang));
        l.file = "practice";
        l.title = format_text(tr("practice_view.title"), {std::to_string(ex.level), std::to_string(ex.seed)});

        Step ask;
        ask.title = tr("practice_view.ask_title");
        std::string md;
        for (const auto& f : ex.story) md += "- " + escape_markdown(in(f, lang)) + "\n";
        std::string knobs = std::string("`profile=") + to_string(ex.profile) + "`";
        for (const auto& k : ex.knobs) knobs += " `" + k + "`";
        md += "\n" + format_text(tr("practice_view.knobs"), {knobs}) + "\n";
        ask.markdown = md;
        if (sc) ask.scenario = *sc;
        // The run opens at the question's moment: everything before it is on
        // the ladder, nothing after it (an exclusive moment stops one
        // microsecond short, the trace's resolution).
        PlayDirective at;
        at.kind = PlayDirective::Kind::UntilTime;
        at.time = Duration::micros(ex.shown_until.us - (ex.shown_inclusive ? 0 : 1));
        if (at.time.us > 0) ask.open.push_back(at);

        Question q;
        q.id = std::string(kPracticeQuestion);
        q.kind = ex.choices.empty() ? QuestionKind::Field : QuestionKind::Choice;
        q.prompt = escape_markdown(in(ex.prompt, lang));
        for (std::size_t i = 0; i < ex.choices.size(); ++i) {
            q.choices.push_back({in(ex.choices[i].text, lang), ex.choices[i].value});
            if (ex.choices[i].value == ex.answer) q.answer_index = static_cast<int>(i);
        }
        if (ex.choices.empty()) q.answer_number = parse_integer<std::int64_t>(ex.answer);
        q.why = escape_markdown(in(ex.why, lang));
        ask.questions.push_back(std::move(q));
        l.steps.push_back(std::move(ask));

        Step rest;
        rest.title = tr("practice_view.rest_title");
        rest.markdown = tr("practice_view.rest_text") + "\n";
        if (!lesson_titles[li].empty()) rest.markdown += "\n" + format_text(tr("practice_view.lesson"), {escape_markdown(lesson_titles[li])}) + "\n";
        PlayDirective end;
        end.kind = PlayDirective::Kind::UntilEnd;
        rest.play.push_back(end);
        l.steps.push_back(std::move(rest));
    }
    return out;
}

}  // namespace finwave::web
