#include "quiz.hpp"

#include <algorithm>
#include <iostream>
#include <optional>

#include "finwave/event_text.hpp"
#include "finwave/trace.hpp"
#include "lesson_files.hpp"

namespace finwave {

namespace {

std::string letter(std::size_t i) { return std::string(1, static_cast<char>('A' + i)); }

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

// What the learner needs to see to answer a question about a paused run.
void show_so_far(const Simulation& sim, const i18n::Words& w, std::ostream& out) {
    out << "  " << w("cli_quiz.so_far") << '\n';
    for (const auto& e : sim.trace()) {
        if (e.kind != EventKind::Send && e.kind != EventKind::Drop && e.kind != EventKind::State) continue;
        if (e.kind == EventKind::State && (e.to == State::SynSent || e.to == State::SynReceived || e.to == State::Listen)) continue;
        out << "    " << format_instant(e.t) << "  " << w(std::string("side.") + to_string(e.side) + "_lower") << "  " << i18n::event_text(e, w) << '\n';
    }
}

// The order items, shuffled the same way every time for the same question.
std::vector<std::size_t> shuffled(const Question& q) {
    std::vector<std::size_t> idx(q.choices.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::uint64_t seed = 1469598103934665603ull;
    for (char c : q.id) seed = (seed ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    Rng r(seed);
    for (std::size_t i = idx.size(); i > 1; --i) std::swap(idx[i - 1], idx[r.below(static_cast<std::uint32_t>(i))]);
    if (std::is_sorted(idx.begin(), idx.end())) std::reverse(idx.begin(), idx.end());
    return idx;
}

}  // namespace

// Asks one lesson question; true when answered right, nothing when the
// input ended first.
std::optional<bool> ask_lesson_question(const Question& q, const std::optional<Simulation>& sim, const i18n::Words& w,
                                        std::istream& in, std::ostream& out) {
    bool input_over = false;
    auto read_answer = [&](const std::string& ask) -> std::optional<std::string> {
        // The tables trim trailing spaces: an ASCII prompt gets its space here.
        out << "  " << ask << (!ask.empty() && static_cast<unsigned char>(ask.back()) < 0x80 ? " " : "") << std::flush;
        std::string line;
        if (!std::getline(in, line)) {
            input_over = true;
            out << '\n';
            return std::nullopt;
        }
        return trim(line);
    };
    out << "\n" << q.prompt << '\n';
    if (sim && (q.kind == QuestionKind::Predict || q.kind == QuestionKind::Lost)) show_so_far(*sim, w, out);
    // The right answer comes from the engine whenever it can be computed.
    int answer = q.answer_index;
    std::optional<std::string> engine_value;
    if (sim && !q.check.empty()) {
        const CheckResult r = evaluate_check(*sim, q.check, &q);
        if (r.value) engine_value = *r.value;
        if (engine_value && q.kind != QuestionKind::Field && q.kind != QuestionKind::Order)
            for (std::size_t c = 0; c < q.choices.size(); ++c)
                if (choice_matches(q.choices[c], *engine_value)) answer = static_cast<int>(c);
    }
    bool correct = false;
    std::string shown_answer;
    if (q.kind == QuestionKind::Field) {
        auto a = read_answer(w("cli_quiz.your_number"));
        if (!a) return std::nullopt;
        shown_answer = engine_value ? *engine_value : std::to_string(*q.answer_number);
        correct = *a == shown_answer;
    } else if (q.kind == QuestionKind::Order) {
        const auto order = shuffled(q);
        for (std::size_t i = 0; i < order.size(); ++i) out << "  " << letter(i) << ") " << q.choices[order[i]].text << '\n';
        auto a = read_answer(w("cli_quiz.your_order"));
        if (!a) return std::nullopt;
        std::string expected;
        for (std::size_t k = 0; k < order.size(); ++k)
            for (std::size_t i = 0; i < order.size(); ++i)
                if (order[i] == k) expected += letter(i);
        std::string typed;
        for (char c : *a)
            if (c != ' ' && c != ',') typed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        correct = typed == expected;
        shown_answer = expected;
    } else {
        for (std::size_t i = 0; i < q.choices.size(); ++i) out << "  " << letter(i) << ") " << q.choices[i].text << '\n';
        std::optional<int> picked;
        while (!picked && !input_over) {
            auto a = read_answer(w("cli_quiz.your_answer"));
            if (!a) break;
            if (a->size() == 1) {
                const int i = std::toupper(static_cast<unsigned char>((*a)[0])) - 'A';
                if (i >= 0 && i < static_cast<int>(q.choices.size())) picked = i;
            }
            if (!picked) out << "  " << w("cli_quiz.unclear") << '\n';
        }
        if (!picked) return std::nullopt;
        correct = *picked == answer;
        shown_answer = letter(static_cast<std::size_t>(answer)) + ") " + q.choices[static_cast<std::size_t>(answer)].text;
        if (!correct)
            for (const auto& [idx, text] : q.wrong)
                if (idx == *picked) out << "  " << text << '\n';
    }
    if (correct) out << "  " << w("quiz.right") << ' ' << q.why << '\n';
    else out << "  " << w("cli_quiz.wrong", {shown_answer}) << ' ' << q.why << '\n';
    return correct;
}

int cmd_quiz(const std::vector<std::string>& args, std::istream& in, std::ostream& out) {
    for (const auto& a : args)
        if (a == "--practice") return cmd_quiz_practice(args, in, out);
    std::string lang = "en";
    std::string only;
    std::string dir = "lessons";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--lang" && i + 1 < args.size()) lang = args[++i];
        else if (args[i] == "--lesson" && i + 1 < args.size()) only = args[++i];
        else if (args[i] == "--dir" && i + 1 < args.size()) dir = args[++i];
        else {
            std::cerr << "finwave: quiz takes --lang en|zh, --lesson ID and --dir DIR; got '" << args[i] << "'\n";
            return 2;
        }
    }
    if (lang != "en" && lang != "zh") {
        std::cerr << "finwave: --lang takes en or zh, got '" << lang << "'\n";
        return 2;
    }
    LessonSet set = load_lessons({dir});
    if (!set.fatal.empty()) {
        std::cerr << "finwave: " << set.fatal << '\n';
        return 2;
    }
    for (const auto& p : set.problems) std::cerr << "finwave: skipped: " << p << '\n';
    std::vector<const Lesson*> lessons;
    for (const auto& [id, per_lang] : set.by_id) {
        auto it = per_lang.find(lang);
        if (it == per_lang.end()) continue;
        if (!only.empty() && id != only) continue;
        lessons.push_back(&it->second);
    }
    if (!only.empty() && lessons.empty()) {
        std::cerr << "finwave: no lesson '" << only << "' in " << lang << "; lessons:";
        for (const auto& [id, per_lang] : set.by_id) std::cerr << ' ' << id;
        std::cerr << '\n';
        return 2;
    }
    std::sort(lessons.begin(), lessons.end(), [](const Lesson* a, const Lesson* b) { return a->order < b->order; });

    const i18n::Words w(*i18n::parse_lang(lang));
    int asked = 0;
    int right = 0;
    bool input_over = false;
    for (const Lesson* lesson : lessons) {
        for (std::size_t s = 0; s < lesson->steps.size() && !input_over; ++s) {
            const Step& step = lesson->steps[s];
            if (step.questions.empty()) continue;
            auto sim = simulation_for_step(*lesson, s);
            out << "\n== " << lesson->title << " / " << step.title << " ==\n";
            for (const Question& q : step.questions) {
                const auto correct = ask_lesson_question(q, sim, w, in, out);
                if (!correct) {
                    input_over = true;
                    break;
                }
                ++asked;
                if (*correct) ++right;
            }
        }
    }
    out << '\n' << w("cli_quiz.score", {std::to_string(right), std::to_string(asked)}) << '\n';
    if (asked == 0) out << "(" << w("cli_quiz.no_questions") << ")\n";
    return 0;
}

}  // namespace finwave
