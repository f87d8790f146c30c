// `finwave quiz --practice`: generated exercises in the terminal, scheduled
// by Leitner boxes (review.hpp). Due cards come first, then new exercises;
// a wrong answer comes back later in the same session.
#include <algorithm>
#include <deque>
#include <iostream>

#include "finwave/event_text.hpp"
#include "finwave/practice.hpp"
#include "lesson_files.hpp"
#include "quiz.hpp"
#include "review.hpp"

namespace finwave {

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

const std::string& in_lang(const practice::Text& t, const i18n::Words& w) { return w.lang() == i18n::Lang::Zh ? t.zh : t.en; }

std::string card_id(const practice::Exercise& ex) { return "practice:" + std::to_string(ex.level) + ":" + std::to_string(ex.seed); }

std::optional<practice::Exercise> exercise_of(const std::string& id) {
    unsigned level = 0;
    unsigned long long seed = 0;
    char extra = 0;
    if (std::sscanf(id.c_str(), "practice:%u:%llu%c", &level, &seed, &extra) != 2 || level < 1 || level > 3) return std::nullopt;
    return practice::generate(seed, static_cast<int>(level));
}

}  // namespace

void show_generated(const practice::Exercise& ex, const i18n::Words& w, std::ostream& out) {
    const Simulation sim = practice::simulate(ex);
    out << "\n== " << w("cli_practice.title", {std::to_string(ex.level), std::to_string(ex.seed)}) << " ==\n";
    for (const auto& f : ex.story) out << "  - " << in_lang(f, w) << '\n';
    std::string knobs = std::string("profile=") + to_string(ex.profile);
    for (const auto& k : ex.knobs) knobs += " " + k;
    out << "  " << w("cli_practice.knobs", {knobs}) << "\n  " << w("cli_quiz.so_far") << '\n';
    for (const auto& e : sim.trace())
        if (practice::shown(ex, e))
            out << "    " << format_instant(e.t) << "  " << w(std::string("side.") + to_string(e.side) + "_lower") << "  "
                << i18n::event_text(e, w) << '\n';
    out << in_lang(ex.prompt, w) << '\n';
    for (std::size_t i = 0; i < ex.choices.size(); ++i)
        out << "  " << static_cast<char>('A' + i) << ") " << in_lang(ex.choices[i].text, w) << '\n';
}

namespace {

// Shows a generated exercise as the learner may see it before answering,
// reads the answer and explains. True when right; nothing when the input ended.
std::optional<bool> ask_generated(const practice::Exercise& ex, const i18n::Words& w, std::istream& in, std::ostream& out) {
    show_generated(ex, w, out);
    const std::string& ask = ex.choices.empty() ? w("cli_quiz.your_number") : w("cli_quiz.your_answer");
    std::optional<std::string> given;
    while (!given) {
        out << "  " << ask << (!ask.empty() && static_cast<unsigned char>(ask.back()) < 0x80 ? " " : "") << std::flush;
        std::string line;
        if (!std::getline(in, line)) break;
        line = trim(line);
        if (ex.choices.empty()) {
            given = line;
        } else if (line.size() == 1) {
            const int i = std::toupper(static_cast<unsigned char>(line[0])) - 'A';
            if (i >= 0 && i < static_cast<int>(ex.choices.size())) given = ex.choices[static_cast<std::size_t>(i)].value;
        }
        if (!given) out << "  " << w("cli_quiz.unclear") << '\n';
    }
    if (!given) return std::nullopt;
    const bool ok = *given == ex.answer;
    std::string shown_answer = ex.answer;
    for (std::size_t i = 0; i < ex.choices.size(); ++i)
        if (ex.choices[i].value == ex.answer) shown_answer = std::string(1, static_cast<char>('A' + i)) + ") " + in_lang(ex.choices[i].text, w);
    out << "  " << (ok ? w("quiz.right") : w("cli_quiz.wrong", {shown_answer})) << ' ' << in_lang(ex.why, w) << '\n';
    return ok;
}

// A lesson question by its card id, "lesson:LESSON/QUESTION".
struct LessonCard {
    const Lesson* lesson = nullptr;
    std::size_t step = 0;
    const Question* question = nullptr;
};

std::vector<std::pair<std::string, LessonCard>> lesson_cards(const LessonSet& set, const std::string& lang) {
    std::vector<const Lesson*> lessons;
    for (const auto& [id, per_lang] : set.by_id)
        if (auto it = per_lang.find(lang); it != per_lang.end()) lessons.push_back(&it->second);
    std::sort(lessons.begin(), lessons.end(), [](const Lesson* a, const Lesson* b) { return a->order < b->order; });
    std::vector<std::pair<std::string, LessonCard>> out;
    for (const Lesson* l : lessons)
        for (std::size_t s = 0; s < l->steps.size(); ++s)
            for (const Question& q : l->steps[s].questions) out.push_back({"lesson:" + l->id + "/" + q.id, {l, s, &q}});
    return out;
}

}  // namespace

int cmd_quiz_practice(const std::vector<std::string>& args, std::istream& in, std::ostream& out) {
    std::vector<std::string> rest;
    std::string error;
    auto o = parse_practice_options(args, rest, error);
    if (!o) {
        std::cerr << "finwave: " << error << '\n';
        return 2;
    }
    std::string lang = "en", path = default_review_path(), dir = "lessons";
    long today = today_days();
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == "--practice") continue;
        if (rest[i] == "--lang" && i + 1 < rest.size()) lang = rest[++i];
        else if (rest[i] == "--progress" && i + 1 < rest.size()) path = rest[++i];
        else if (rest[i] == "--dir" && i + 1 < rest.size()) dir = rest[++i];
        else if (rest[i] == "--today" && i + 1 < rest.size()) {
            auto d = review::parse_date(rest[++i]);
            if (!d) {
                std::cerr << "finwave: --today takes a date like 2026-12-01, got '" << rest[i] << "'\n";
                return 2;
            }
            today = *d;
        } else {
            std::cerr << "finwave: quiz --practice takes --count N, --seed S, --level 1|2|3, --lang en|zh, --progress FILE, --today "
                         "YYYY-MM-DD and --dir DIR; got '"
                      << rest[i] << "'\n";
            return 2;
        }
    }
    if (lang != "en" && lang != "zh") {
        std::cerr << "finwave: --lang takes en or zh, got '" << lang << "'\n";
        return 2;
    }
    auto schedule = load_review(path, error);
    if (!schedule) {
        // Never overwrite what could not be read: the learner may want it back.
        std::cerr << "finwave: " << error << "; the file is left as it is (move it away to start a new schedule)\n";
        return 2;
    }
    const i18n::Words w(*i18n::parse_lang(lang));

    // The lessons' questions are scheduled with the generated ones; without
    // lessons (another folder, no --dir) the practice is generated only.
    const LessonSet set = load_lessons({dir});
    const auto lessons = set.fatal.empty() ? lesson_cards(set, lang) : std::vector<std::pair<std::string, LessonCard>>{};
    if (!set.fatal.empty()) out << w("cli_practice.no_lessons", {dir}) << '\n';
    auto find_lesson = [&](const std::string& id) -> const LessonCard* {
        for (const auto& [cid, c] : lessons)
            if (cid == id) return &c;
        return nullptr;
    };

    std::deque<std::string> queue;
    for (const auto& [id, c] : schedule->cards)
        if (c.due <= today) queue.push_back(id);
    const std::size_t due = queue.size();
    std::size_t next_lesson = 0;
    for (std::uint64_t i = 0; i < o->count; ++i) {
        // Without --seed each day brings new exercises.
        const std::uint64_t seed = (o->seed_given ? o->seed : static_cast<std::uint64_t>(today) * 1000) + i;
        const auto ex = practice::generate(seed, o->level);
        if (!schedule->cards.count(card_id(ex))) queue.push_back(card_id(ex));
        // One new lesson question for every two new exercises, in course order.
        if (i % 2 == 1) {
            while (next_lesson < lessons.size() && schedule->cards.count(lessons[next_lesson].first)) ++next_lesson;
            if (next_lesson < lessons.size()) queue.push_back(lessons[next_lesson++].first);
        }
    }
    out << w("cli_practice.start", {std::to_string(due), std::to_string(queue.size() - due), review::format_date(today)}) << '\n';

    int asked = 0, right = 0;
    std::size_t guard = 0;
    while (!queue.empty() && guard++ < 200) {
        const std::string id = queue.front();
        queue.pop_front();
        bool ok = false;
        std::string lesson_id;
        if (id.starts_with("lesson:")) {
            const LessonCard* lc = find_lesson(id);
            if (!lc) {
                out << w("cli_practice.unknown_card", {id}) << '\n';
                continue;
            }
            const auto sim = simulation_for_step(*lc->lesson, lc->step);
            out << "\n== " << lc->lesson->title << " / " << lc->lesson->steps[lc->step].title << " ==\n";
            const auto answered = ask_lesson_question(*lc->question, sim, w, in, out);
            if (!answered) {
                out << '\n';
                break;
            }
            ok = *answered;
            lesson_id = lc->lesson->id;
        } else {
            auto ex = exercise_of(id);
            if (!ex) {
                out << w("cli_practice.unknown_card", {id}) << '\n';
                continue;
            }
            const auto answered = ask_generated(*ex, w, in, out);
            if (!answered) {
                out << '\n';
                break;
            }
            ok = *answered;
            lesson_id = ex->lesson;
        }
        ++asked;
        out << "  " << w("cli_practice.lesson", {lesson_id}) << '\n';
        review::Card& c = schedule->cards[id];
        review::record_answer(c, ok, today);
        if (ok) {
            ++right;
            out << "  " << w("cli_practice.next", {review::format_date(c.due), std::to_string(c.box)}) << '\n';
        } else {
            // Back in two questions (or next, when the queue is short).
            queue.insert(queue.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(2, queue.size())), id);
            out << "  " << w("cli_practice.again") << '\n';
        }
        if (!save_review(path, *schedule, error)) {
            std::cerr << "finwave: " << error << '\n';
            return 1;
        }
    }
    out << '\n' << w("cli_quiz.score", {std::to_string(right), std::to_string(asked)}) << '\n';
    if (asked == 0) out << w("cli_practice.nothing_due") << '\n';
    return 0;
}

}  // namespace finwave
