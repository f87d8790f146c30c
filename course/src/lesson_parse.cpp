// Lesson files: front matter, steps, scenario/play/question blocks.
#include "finwave/lesson.hpp"
#include "finwave/parse_number.hpp"

#include <cctype>

namespace finwave {

const char* to_string(QuestionKind k) {
    switch (k) {
        case QuestionKind::Choice: return "choice";
        case QuestionKind::Predict: return "predict";
        case QuestionKind::Field: return "field";
        case QuestionKind::Order: return "order";
        case QuestionKind::Lost: return "lost";
    }
    return "?";
}

std::string LessonError::to_string() const { return file + ":" + std::to_string(line) + ": " + message; }

namespace {

struct Line {
    std::string_view text;
    int number;
};

std::vector<Line> split_lines(std::string_view text) {
    std::vector<Line> out;
    std::size_t pos = 0;
    int n = 1;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(pos, end - pos);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        out.push_back({l, n++});
        if (end == text.size()) break;
        pos = end + 1;
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_fence(std::string_view l) { return starts_with(trim(l), "```"); }

// Joins continuation lines: a space between words, nothing between two
// Chinese characters.
void append_continuation(std::string& value, std::string_view more) {
    const bool wide_end = !value.empty() && static_cast<unsigned char>(value.back()) >= 0x80;
    const bool wide_start = !more.empty() && static_cast<unsigned char>(more.front()) >= 0x80;
    if (!value.empty() && !(wide_end && wide_start)) value += ' ';
    value += more;
}

struct Parser {
    std::string file;
    std::string lang;
    std::optional<LessonError> error;

    bool fail(int line, std::string message) {
        if (!error) error = LessonError{file, line, std::move(message)};
        return false;
    }

    int resolve_choice(const Question& q, std::string_view ref) {
        ref = trim(ref);
        if (ref.size() == 1 && ref[0] >= 'A' && ref[0] <= 'Z') {
            const int i = ref[0] - 'A';
            return i < static_cast<int>(q.choices.size()) ? i : -1;
        }
        for (std::size_t i = 0; i < q.choices.size(); ++i)
            if (q.choices[i].text == ref || q.choices[i].value == ref) return static_cast<int>(i);
        return -1;
    }

    bool question(const std::vector<Line>& body, int fence_line, Question& q) {
        q.line = fence_line;
        std::string* last = nullptr;
        std::string answer;
        std::vector<std::pair<std::string, std::string>> wrong_refs;
        std::vector<int> wrong_lines;
        int answer_line = fence_line;
        for (const auto& l : body) {
            if (trim(l.text).empty()) {
                last = nullptr;
                continue;
            }
            if (starts_with(l.text, "  ") && last) {
                append_continuation(*last, trim(l.text));
                continue;
            }
            const auto colon = l.text.find(':');
            if (colon == std::string_view::npos)
                return fail(l.number, "expected 'key: value' in a question, found '" + std::string(trim(l.text)) + "'");
            const std::string_view key = trim(l.text.substr(0, colon));
            const std::string value(trim(l.text.substr(colon + 1)));
            last = nullptr;
            if (key == "id") {
                q.id = value;
            } else if (key == "kind") {
                if (value == "choice") q.kind = QuestionKind::Choice;
                else if (value == "predict") q.kind = QuestionKind::Predict;
                else if (value == "field") q.kind = QuestionKind::Field;
                else if (value == "order") q.kind = QuestionKind::Order;
                else if (value == "lost") q.kind = QuestionKind::Lost;
                else return fail(l.number, "unknown question kind '" + value + "'; expected choice, predict, field, order or lost");
            } else if (key == "prompt") {
                q.prompt = value;
                last = &q.prompt;
            } else if (key == "choice") {
                Choice c;
                c.text = value;
                // "客户端 {client}": the braces give the value the engine answers with.
                const auto open = value.rfind('{');
                if (!value.empty() && value.back() == '}' && open != std::string::npos) {
                    c.text = std::string(trim(std::string_view(value).substr(0, open)));
                    c.value = value.substr(open + 1, value.size() - open - 2);
                } else {
                    c.value = value;
                }
                if (c.text.empty()) return fail(l.number, "empty choice");
                q.choices.push_back(c);
                last = &q.choices.back().text;
            } else if (key == "answer") {
                answer = value;
                answer_line = l.number;
            } else if (key == "check") {
                q.check = value;
            } else if (key == "why") {
                q.why = value;
                last = &q.why;
            } else if (starts_with(key, "wrong ")) {
                wrong_refs.emplace_back(std::string(trim(key.substr(6))), value);
                wrong_lines.push_back(l.number);
                last = &wrong_refs.back().second;
            } else {
                return fail(l.number, "unknown question key '" + std::string(key) + "'; expected id, kind, prompt, choice, answer, check, why or wrong X");
            }
        }
        if (q.id.empty()) return fail(fence_line, "a question needs an 'id'");
        if (q.prompt.empty()) return fail(fence_line, "question '" + q.id + "' needs a 'prompt'");
        if (q.why.empty()) return fail(fence_line, "question '" + q.id + "' needs a 'why': the explanation shown after answering");
        if (q.kind == QuestionKind::Field) {
            const auto n = parse_integer<std::int64_t>(answer);
            if (!n) return fail(answer_line, "question '" + q.id + "' (field) needs a whole-number 'answer'");
            q.answer_number = n;
            if (q.check.empty()) return fail(fence_line, "question '" + q.id + "' (field) needs a 'check' so the engine can prove the number");
        } else if (q.kind == QuestionKind::Order) {
            if (q.choices.size() < 2) return fail(fence_line, "question '" + q.id + "' (order) needs at least two 'choice' items");
            if (q.check != "order") return fail(fence_line, "question '" + q.id + "' (order) needs 'check: order'");
        } else {
            if (q.choices.size() < 2) return fail(fence_line, "question '" + q.id + "' needs at least two 'choice' lines");
            if (answer.empty()) return fail(fence_line, "question '" + q.id + "' needs an 'answer'");
            q.answer_index = resolve_choice(q, answer);
            if (q.answer_index < 0) return fail(answer_line, "the answer '" + answer + "' of question '" + q.id + "' is none of its choices");
            if (q.kind == QuestionKind::Predict && q.check.empty())
                return fail(fence_line, "question '" + q.id + "' (predict) needs a 'check': its answer must come from the engine");
        }
        for (std::size_t i = 0; i < wrong_refs.size(); ++i) {
            const int idx = resolve_choice(q, wrong_refs[i].first);
            if (idx < 0) return fail(wrong_lines[i], "'wrong " + wrong_refs[i].first + "' names no choice of question '" + q.id + "'");
            if (idx == q.answer_index) return fail(wrong_lines[i], "'wrong " + wrong_refs[i].first + "' is the right answer of question '" + q.id + "'");
            q.wrong.emplace_back(idx, wrong_refs[i].second);
        }
        return true;
    }

    bool play_block(const std::vector<Line>& body, Step& step) {
        for (const auto& l : body) {
            const auto w = words_of(l.text);
            if (w.empty() || w[0][0] == '#') continue;
            PlayDirective d;
            d.line = l.number;
            const bool from = w[0] == "from";
            if ((w[0] != "until" && !from) || w.size() < 2)
                return fail(l.number, "expected 'until SIDE STATE', 'until SIDE eof', 'until TIME', 'until end' or 'from' with a SIDE STATE, SIDE eof or TIME");
            if (from && !step.play.empty())
                return fail(l.number, "'from' lines (where the step opens) come before the 'until' lines (where its Play stops)");
            if (from && w.size() == 2 && w[1] == "end")
                return fail(l.number, "a step cannot open at the end of its run: 'from end' leaves nothing to watch");
            if (w.size() == 2 && w[1] == "end") {
                d.kind = PlayDirective::Kind::UntilEnd;
            } else if (w.size() == 2) {
                auto t = w[1] == "0" ? std::optional<Duration>(Duration{}) : parse_duration(w[1]);
                if (!t) return fail(l.number, "expected a time with a unit (e.g. 500ms) or 'end' after 'until', found '" + std::string(w[1]) + "'");
                d.kind = PlayDirective::Kind::UntilTime;
                d.time = *t;
            } else if (w.size() == 3) {
                auto side = parse_side(w[1]);
                if (!side) return fail(l.number, "expected client or server after '" + std::string(w[0]) + "', found '" + std::string(w[1]) + "'");
                d.side = *side;
                if (w[2] == "eof") {
                    d.kind = PlayDirective::Kind::UntilEof;
                } else if (auto st = parse_state(w[2])) {
                    d.kind = PlayDirective::Kind::UntilState;
                    d.state = *st;
                } else {
                    return fail(l.number, "expected a state name (e.g. FIN-WAIT-2) or eof, found '" + std::string(w[2]) + "'");
                }
            } else {
                return fail(l.number, "too many words in '" + std::string(trim(l.text)) + "'");
            }
            (from ? step.open : step.play).push_back(d);
        }
        return true;
    }

    bool scenario_block(const std::vector<Line>& body, int fence_line, const std::string& lesson_id, std::size_t step_no, Step& step) {
        std::string text;
        bool named = false;
        for (const auto& l : body) {
            const auto w = words_of(l.text);
            if (!w.empty() && w[0] == "scenario") named = true;
            text += std::string(l.text) + "\n";
        }
        int first = fence_line + 1;
        if (!named) {
            // Lessons need not name their scenarios: one line ahead, one line back.
            text = "scenario " + lesson_id + "-step-" + std::to_string(step_no) + "\n" + text;
            first -= 1;
        }
        auto parsed = parse_scenario(text, file, first);
        if (auto* e = std::get_if<ParseError>(&parsed)) return fail(e->line, e->message);
        step.scenario = std::get<Scenario>(parsed);
        return true;
    }
};

}  // namespace

std::variant<Lesson, LessonError> parse_lesson(std::string_view text, std::string_view file, std::string_view lang) {
    Parser p{std::string(file), std::string(lang), std::nullopt};
    Lesson lesson;
    lesson.file = std::string(file);
    lesson.lang = std::string(lang);
    const auto lines = split_lines(text);
    std::size_t i = 0;
    auto error = [&](int line, std::string msg) -> std::variant<Lesson, LessonError> { return LessonError{std::string(file), line, std::move(msg)}; };
    while (i < lines.size() && trim(lines[i].text).empty()) ++i;
    if (i >= lines.size() || trim(lines[i].text) != "---") return error(i < lines.size() ? lines[i].number : 1, "a lesson starts with front matter: a '---' line, then id, title and order");
    const int fm_line = lines[i].number;
    ++i;
    bool closed = false;
    bool have_order = false;
    for (; i < lines.size(); ++i) {
        const std::string_view l = trim(lines[i].text);
        if (l == "---") {
            closed = true;
            ++i;
            break;
        }
        if (l.empty()) continue;
        const auto colon = l.find(':');
        if (colon == std::string_view::npos) return error(lines[i].number, "expected 'key: value' in the front matter, found '" + std::string(l) + "'");
        const std::string_view key = trim(l.substr(0, colon));
        const std::string_view value = trim(l.substr(colon + 1));
        if (key == "id") {
            for (char c : value)
                if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-'))
                    return error(lines[i].number, "a lesson id uses letters, digits and '-' only: '" + std::string(value) + "'");
            lesson.id = std::string(value);
        } else if (key == "title") {
            lesson.title = std::string(value);
        } else if (key == "order") {
            auto n = parse_integer<std::int64_t>(value);
            if (!n || *n < 0 || *n > 10000) return error(lines[i].number, "'order' is a whole number, found '" + std::string(value) + "'");
            lesson.order = static_cast<int>(*n);
            have_order = true;
        } else {
            return error(lines[i].number, "unknown front matter key '" + std::string(key) + "'; expected id, title or order");
        }
    }
    if (!closed) return error(fm_line, "the front matter is not closed with a second '---' line");
    if (lesson.id.empty()) return error(fm_line, "the front matter needs an 'id'");
    if (lesson.title.empty()) return error(fm_line, "the front matter needs a 'title'");
    if (!have_order) return error(fm_line, "the front matter needs an 'order'");

    Step* step = nullptr;
    for (; i < lines.size(); ++i) {
        const Line& l = lines[i];
        if (starts_with(l.text, "## ")) {
            lesson.steps.emplace_back();
            step = &lesson.steps.back();
            step->title = std::string(trim(l.text.substr(3)));
            step->line = l.number;
            continue;
        }
        if (!step) {
            if (trim(l.text).empty()) continue;
            return error(l.number, "text before the first step: every step starts with a '## ' heading");
        }
        if (is_fence(l.text)) {
            const std::string_view info = trim(trim(l.text).substr(3));
            std::vector<Line> body;
            std::size_t j = i + 1;
            while (j < lines.size() && !is_fence(lines[j].text)) body.push_back(lines[j++]);
            if (j >= lines.size()) return error(l.number, "this ``` block is never closed");
            if (info == "scenario") {
                if (step->scenario) return error(l.number, "a step has at most one scenario block");
                if (!p.scenario_block(body, l.number, lesson.id, lesson.steps.size(), *step)) return *p.error;
            } else if (info == "play") {
                if (!p.play_block(body, *step)) return *p.error;
            } else if (info == "question") {
                Question q;
                if (!p.question(body, l.number, q)) return *p.error;
                for (const auto& s : lesson.steps)
                    for (const auto& other : s.questions)
                        if (other.id == q.id) return error(l.number, "question id '" + q.id + "' is used twice in this lesson");
                step->questions.push_back(std::move(q));
            } else {
                // An ordinary code block belongs to the text.
                for (std::size_t k = i; k <= j; ++k) step->markdown += std::string(lines[k].text) + "\n";
            }
            i = j;
            continue;
        }
        step->markdown += std::string(l.text) + "\n";
    }
    if (lesson.steps.empty()) return error(fm_line, "the lesson has no steps: start each with a '## ' heading");
    for (auto& s : lesson.steps) {
        while (!s.markdown.empty() && (s.markdown.back() == '\n' || s.markdown.back() == ' ')) s.markdown.pop_back();
        std::size_t lead = 0;
        while (lead < s.markdown.size() && s.markdown[lead] == '\n') ++lead;
        s.markdown.erase(0, lead);
        if (s.title.empty()) return error(s.line, "a step needs a title after '## '");
    }
    return lesson;
}

bool is_lesson_file_name(std::string_view name) {
    if (name.size() <= 3 || name.substr(name.size() - 3) != ".md") return false;
    const std::string_view stem = name.substr(0, name.size() - 3);
    for (char c : stem)
        if (c >= 'a' && c <= 'z') return true;
    return false;
}

}  // namespace finwave
