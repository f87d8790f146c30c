#include "finwave/lesson.hpp"

#include <cctype>
#include <charconv>

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

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

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
            const auto n = parse_int(answer);
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
            if (w[0] != "until" || w.size() < 2)
                return fail(l.number, "expected 'until SIDE STATE', 'until SIDE eof', 'until TIME' or 'until end'");
            if (w.size() == 2 && w[1] == "end") {
                d.kind = PlayDirective::Kind::UntilEnd;
            } else if (w.size() == 2) {
                auto t = w[1] == "0" ? std::optional<Duration>(Duration{}) : parse_duration(w[1]);
                if (!t) return fail(l.number, "expected a time with a unit (e.g. 500ms) or 'end' after 'until', found '" + std::string(w[1]) + "'");
                d.kind = PlayDirective::Kind::UntilTime;
                d.time = *t;
            } else if (w.size() == 3) {
                auto side = parse_side(w[1]);
                if (!side) return fail(l.number, "expected client or server after 'until', found '" + std::string(w[1]) + "'");
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
            step.play.push_back(d);
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
            auto n = parse_int(value);
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

// ---------------------------------------------------------------------------
// Running steps

void play(Simulation& sim, const PlayDirective& d) {
    switch (d.kind) {
        case PlayDirective::Kind::UntilEnd: sim.run(); return;
        case PlayDirective::Kind::UntilTime: sim.run_until(Instant{} + d.time); return;
        case PlayDirective::Kind::UntilState:
        case PlayDirective::Kind::UntilEof: break;
    }
    if (d.kind == PlayDirective::Kind::UntilState && sim.endpoint(d.side).state() == d.state) return;
    if (d.kind == PlayDirective::Kind::UntilEof && sim.endpoint(d.side).view().eof_seen) return;
    for (int guard = 0; guard < 1000000; ++guard) {
        const std::size_t before = sim.trace().size();
        if (!sim.step()) return;
        for (std::size_t k = before; k < sim.trace().size(); ++k) {
            const TraceEvent& e = sim.trace()[k];
            if (e.side != d.side) continue;
            if (d.kind == PlayDirective::Kind::UntilState && e.kind == EventKind::State && e.to == d.state) return;
            if (d.kind == PlayDirective::Kind::UntilEof && e.kind == EventKind::Notify && e.notice == Notice::Eof) return;
        }
    }
}

std::optional<Simulation> simulation_for_step(const Lesson& lesson, std::size_t index, Profile fallback) {
    if (index >= lesson.steps.size()) return std::nullopt;
    std::size_t start = index + 1;
    for (std::size_t k = index + 1; k-- > 0;) {
        if (lesson.steps[k].scenario) {
            start = k;
            break;
        }
    }
    if (start > index) return std::nullopt;
    const Scenario& sc = *lesson.steps[start].scenario;
    auto knobs = resolve_knobs(sc, sc.profile.value_or(fallback), {});
    if (std::holds_alternative<std::string>(knobs)) return std::nullopt;  // verify_lesson reports it
    Simulation sim(sc, std::get<Knobs>(knobs), sc.seed.value_or(1));
    for (std::size_t k = start; k <= index; ++k)
        for (const auto& d : lesson.steps[k].play) play(sim, d);
    return sim;
}

namespace {

bool sent_matches(const TraceEvent& e, const SegmentPattern& p) {
    Segment seg;
    seg.from = e.side;
    seg.flags = e.flags;
    seg.len = e.len;
    return p.matches(seg, e.sender_state);
}

// The first index in the trace of a Send matching the pattern's selection.
std::optional<std::size_t> find_sent(const Simulation& sim, const PatternSelection& ps) {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < sim.trace().size(); ++i) {
        const TraceEvent& e = sim.trace()[i];
        if (e.kind != EventKind::Send || !sent_matches(e, ps.pattern)) continue;
        if (++n == ps.first) return i;
    }
    return std::nullopt;
}

}  // namespace

CheckResult evaluate_check(const Simulation& paused, std::string_view check, const Question* q) {
    const auto w = words_of(check);
    CheckResult r;
    if (w.empty()) {
        r.error = "empty check";
        return r;
    }
    auto side_arg = [&](std::optional<Side>& out) {
        if (w.size() != 2 || !(out = parse_side(w[1]))) r.error = "expected '" + std::string(w[0]) + " client' or '" + std::string(w[0]) + " server'";
        return out.has_value();
    };
    const std::string_view verb = w[0];
    if (verb == "state") {
        std::optional<Side> s;
        if (side_arg(s)) r.value = to_string(paused.endpoint(*s).state());
        return r;
    }
    if (verb == "next-state") {
        std::optional<Side> s;
        if (!side_arg(s)) return r;
        Simulation sim = paused;
        for (int guard = 0; guard < 1000000; ++guard) {
            const std::size_t before = sim.trace().size();
            if (!sim.step()) break;
            for (std::size_t k = before; k < sim.trace().size(); ++k) {
                const TraceEvent& e = sim.trace()[k];
                if (e.kind == EventKind::State && e.side == *s) {
                    r.value = to_string(e.to);
                    return r;
                }
            }
        }
        r.value = "none";
        return r;
    }
    Simulation sim = paused;
    sim.run();
    if (verb == "end-state") {
        std::optional<Side> s;
        if (side_arg(s)) r.value = to_string(sim.endpoint(*s).state());
        return r;
    }
    if (verb == "time") {
        // When the side first enters the state, from the start of the run.
        std::optional<Side> s;
        std::optional<State> st;
        if (w.size() != 3 || !(s = parse_side(w[1])) || !(st = parse_state(w[2]))) {
            r.error = "expected 'time SIDE STATE', e.g. 'time client CLOSED'";
            return r;
        }
        r.value = "never";
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::State && e.side == *s && e.to == *st) {
                r.value = format_duration(e.t - Instant{});
                break;
            }
        return r;
    }
    if (verb == "bytes" || verb == "corrupt") {
        // Bytes the side's application received: all of them, or those that
        // belonged to an earlier connection.
        std::optional<Side> s;
        if (!side_arg(s)) return r;
        std::int64_t n = 0;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Notify && e.side == *s && e.notice == (verb == "bytes" ? Notice::DataRead : Notice::CorruptData))
                n += e.value;
        r.value = std::to_string(n);
        return r;
    }
    if (verb == "first-retransmit") {
        r.value = "none";
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Send && e.retransmission) {
                r.value = to_string(e.side);
                break;
            }
        return r;
    }
    if (verb == "segment" || verb == "count") {
        std::vector<std::string_view> pattern(w.begin() + 1, w.end());
        std::string_view field;
        if (verb == "segment") {
            if (pattern.empty() || (pattern.back() != "seq" && pattern.back() != "ack" && pattern.back() != "len")) {
                r.error = "expected 'segment PATTERN seq|ack|len', e.g. 'segment server FIN #1 ack'";
                return r;
            }
            field = pattern.back();
            pattern.pop_back();
        }
        auto ps = parse_pattern(pattern);
        if (auto* e = std::get_if<std::string>(&ps)) {
            r.error = *e;
            return r;
        }
        const PatternSelection& sel = std::get<PatternSelection>(ps);
        if (verb == "count") {
            std::int64_t n = 0;
            for (const auto& e : sim.trace())
                if (e.kind == EventKind::Send && sent_matches(e, sel.pattern)) ++n;
            r.value = std::to_string(n);
            return r;
        }
        const auto idx = find_sent(sim, sel);
        if (!idx) {
            r.value = "none";
            return r;
        }
        const TraceEvent& e = sim.trace()[*idx];
        r.value = std::to_string(field == "seq" ? e.seq : field == "ack" ? e.ack : e.len);
        return r;
    }
    if (verb == "order") {
        if (!q || q->choices.size() < 2) {
            r.error = "'check: order' needs the question's choices as segment patterns";
            return r;
        }
        std::optional<std::size_t> previous;
        for (const auto& c : q->choices) {
            auto ps = parse_pattern(words_of(c.value));
            if (auto* e = std::get_if<std::string>(&ps)) {
                r.error = "order item '" + c.value + "': " + *e;
                return r;
            }
            const auto idx = find_sent(sim, std::get<PatternSelection>(ps));
            if (!idx) {
                r.value = "'" + c.value + "' never happens";
                return r;
            }
            if (previous && *idx <= *previous) {
                r.value = "'" + c.value + "' happens too early";
                return r;
            }
            previous = idx;
        }
        r.value = "in order";
        return r;
    }
    r.error = "unknown check '" + std::string(verb) +
              "'; expected state, next-state, end-state, time, segment, count, bytes, corrupt, first-retransmit or order";
    return r;
}

bool choice_matches(const Choice& c, std::string_view engine_value) {
    if (c.value == engine_value) return true;
    const auto a = parse_state(c.value);
    const auto b = parse_state(engine_value);
    return a && b && *a == *b;
}

std::vector<std::string> verify_lesson(const Lesson& lesson) {
    std::vector<std::string> problems;
    auto at = [&](int line, const std::string& msg) { problems.push_back(lesson.file + ":" + std::to_string(line) + ": " + msg); };
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const Step& step = lesson.steps[i];
        if (step.scenario) {
            auto knobs = resolve_knobs(*step.scenario, step.scenario->profile.value_or(Profile::Linux), {});
            if (auto* e = std::get_if<std::string>(&knobs)) {
                at(step.line, *e);
                continue;
            }
        }
        auto sim = simulation_for_step(lesson, i);
        if (!sim) {
            if (!step.play.empty()) at(step.play.front().line, "a play block needs a scenario in this step or an earlier one");
            for (const auto& q : step.questions)
                if (!q.check.empty()) at(q.line, "question '" + q.id + "' has a check but no scenario to run it on");
            continue;
        }
        if (step.scenario) {
            Simulation whole = *sim;
            whole.run();
            for (const auto& p : whole.problems()) at(step.line, "the scenario breaks an engine invariant: " + p);
            for (const auto& e : whole.script_errors()) problems.push_back(e);
            if (whole.hit_bound()) at(step.line, "the scenario does not settle within the simulator's bounds");
        }
        for (const auto& q : step.questions) {
            if (q.check.empty()) continue;
            const CheckResult r = evaluate_check(*sim, q.check, &q);
            if (!r.error.empty()) {
                at(q.line, "question '" + q.id + "': " + r.error);
                continue;
            }
            const std::string& v = *r.value;
            if (q.kind == QuestionKind::Field) {
                if (std::to_string(*q.answer_number) != v)
                    at(q.line, "question '" + q.id + "': the answer is " + std::to_string(*q.answer_number) + " but the engine says " + v);
            } else if (q.kind == QuestionKind::Order) {
                if (v != "in order") at(q.line, "question '" + q.id + "': the items are not in the order the engine sends them: " + v);
            } else {
                const Choice& right = q.choices[static_cast<std::size_t>(q.answer_index)];
                if (!choice_matches(right, v))
                    at(q.line, "question '" + q.id + "': the answer is '" + right.value + "' but the engine says '" + v + "'");
                for (std::size_t c = 0; c < q.choices.size(); ++c)
                    if (static_cast<int>(c) != q.answer_index && choice_matches(q.choices[c], v))
                        at(q.line, "question '" + q.id + "': choice '" + q.choices[c].text + "' also matches the engine's answer");
            }
        }
    }
    return problems;
}

namespace {

// What a simulation does, without the words around it: two translations of a
// step must run the same simulation.
std::string scenario_fingerprint(const Scenario& sc) {
    std::string out = sc.profile ? to_string(*sc.profile) : "-";
    for (const auto& k : sc.knobs) out += "|set " + k.name + "=" + k.value;
    for (const auto& c : sc.calls) out += "|at " + std::to_string(c.at.us) + " " + to_string(c.side) + " " + describe(c.call);
    for (const auto& t : sc.triggers) out += "|" + describe(t);
    for (const auto& f : sc.faults) out += "|" + describe(f);
    out += "|loss " + std::to_string(sc.loss) + (sc.loss_until ? " " + std::to_string(sc.loss_until->us) : "");
    out += "|until " + (sc.until ? std::to_string(sc.until->us) : std::string("-"));
    out += "|seed " + (sc.seed ? std::to_string(*sc.seed) : std::string("-"));
    return out;
}

std::string play_fingerprint(const std::vector<PlayDirective>& play) {
    std::string out;
    for (const auto& d : play)
        out += std::to_string(static_cast<int>(d.kind)) + " " + to_string(d.side) + " " + to_string(d.state) + " " + std::to_string(d.time.us) + "|";
    return out;
}

}  // namespace

std::vector<std::string> compare_translations(const Lesson& a, const Lesson& b) {
    std::vector<std::string> out;
    auto differ = [&](int line, const std::string& what) {
        out.push_back(b.file + ":" + std::to_string(line) + ": differs from " + a.file + ": " + what);
    };
    if (a.id != b.id) differ(1, "id '" + b.id + "' vs '" + a.id + "'");
    if (a.order != b.order) differ(1, "order " + std::to_string(b.order) + " vs " + std::to_string(a.order));
    if (a.steps.size() != b.steps.size()) {
        differ(1, std::to_string(b.steps.size()) + " steps vs " + std::to_string(a.steps.size()));
        return out;
    }
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        const Step& sa = a.steps[i];
        const Step& sb = b.steps[i];
        const std::string which = "step " + std::to_string(i + 1);
        if (sa.scenario.has_value() != sb.scenario.has_value()) differ(sb.line, which + ": a scenario in one language only");
        else if (sa.scenario && scenario_fingerprint(*sa.scenario) != scenario_fingerprint(*sb.scenario))
            differ(sb.line, which + ": the scenario is not the same");
        if (play_fingerprint(sa.play) != play_fingerprint(sb.play)) differ(sb.line, which + ": a different play block");
        if (sa.questions.size() != sb.questions.size()) {
            differ(sb.line, which + ": " + std::to_string(sb.questions.size()) + " questions vs " + std::to_string(sa.questions.size()));
            continue;
        }
        for (std::size_t k = 0; k < sa.questions.size(); ++k) {
            const Question& qa = sa.questions[k];
            const Question& qb = sb.questions[k];
            if (qa.id != qb.id) differ(qb.line, "question id '" + qb.id + "' vs '" + qa.id + "'");
            else if (qa.kind != qb.kind) differ(qb.line, "question '" + qb.id + "': kind differs");
            else if (qa.check != qb.check) differ(qb.line, "question '" + qb.id + "': check differs");
            else if (qa.choices.size() != qb.choices.size()) differ(qb.line, "question '" + qb.id + "': number of choices differs");
            else if (qa.answer_index != qb.answer_index || qa.answer_number != qb.answer_number)
                differ(qb.line, "question '" + qb.id + "': the answer differs");
        }
    }
    return out;
}

}  // namespace finwave
