#include "mirror.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "finwave/builtin.hpp"
#include "finwave/scenario.hpp"
#include "markdown.hpp"

namespace finwave::web {

namespace {

using nlohmann::json;

// The interface words the page needs, in the current language.
constexpr std::string_view kStringPrefixes[] = {"a11y.", "ctl.", "quiz.", "side.", "lesson.", "header.", "app.",
                                                "call.", "fault.", "settings.", "timer.", "timers.", "practice_view.",
                                                "host."};

void escape_into(std::string& out, std::string_view s) {
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
}

bool web_link(std::string_view url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

void spans_html(std::string& out, const MdInline& spans) {
    for (const MdSpan& s : spans) {
        const bool link = (s.style & span_style::kLink) != 0 && web_link(s.url);
        if (link) {
            out += "<a href=\"";
            escape_into(out, s.url);
            out += "\">";
        }
        if (s.style & span_style::kBold) out += "<strong>";
        if (s.style & span_style::kItalic) out += "<em>";
        if (s.style & span_style::kCode) out += "<code>";
        std::size_t pos = 0;
        while (pos <= s.text.size()) {
            const std::size_t nl = s.text.find('\n', pos);
            escape_into(out, std::string_view(s.text).substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
            if (nl == std::string::npos) break;
            out += "<br>";
            pos = nl + 1;
        }
        if (s.style & span_style::kCode) out += "</code>";
        if (s.style & span_style::kItalic) out += "</em>";
        if (s.style & span_style::kBold) out += "</strong>";
        if (link) out += "</a>";
    }
}

json strings_json(const Tutor& t) {
    json out = json::object();
    for (const std::string& key : builtin_strings().keys(Lang::En)) {
        for (std::string_view prefix : kStringPrefixes) {
            if (key.rfind(prefix, 0) == 0) {
                out[key] = t.tr(key);
                break;
            }
        }
    }
    return out;
}

json feedback_json(const Tutor& t, const Question& q, const QuizEntry& e) {
    const bool choice_like = q.kind == QuestionKind::Choice || q.kind == QuestionKind::Predict || q.kind == QuestionKind::Lost;
    if (e.answered_here && !e.last_correct) {
        std::string html;
        for (const auto& [choice, why] : q.wrong)
            if (choice_like && choice == e.last_choice) html = "<p>" + inline_html(why) + "</p>";
        if (html.empty() && q.kind == QuestionKind::Field && e.last_number) html = "<p>" + inline_html(t.field_feedback(q, *e.last_number)) + "</p>";
        html += "<p>" + inline_html(t.tr("quiz.try_again")) + "</p>";
        return {{"verdict", "wrong"}, {"title", t.tr("quiz.wrong")}, {"html", html}};
    }
    if (!e.correct) return nullptr;
    std::string html = "<p>" + inline_html(q.why) + "</p>";
    const EngineAnswer& a = t.engine_answer(q.id);
    if (!a.value.empty() && q.kind != QuestionKind::Order) html += "<p>" + inline_html(t.trf("quiz.engine", {"`" + a.value + "`"})) + "</p>";
    return {{"verdict", e.answered_here ? "right" : "before"},
            {"title", t.tr(e.answered_here ? "quiz.right" : "quiz.done_before")},
            {"html", html}};
}

json question_json(const Tutor& t, const Question& q) {
    const QuizEntry& e = t.quiz(q.id);
    const bool predict = q.kind == QuestionKind::Predict;
    json item = {{"id", q.id},
                 {"kind", to_string(q.kind)},
                 {"label", t.tr(predict ? "quiz.predict" : "quiz.question")},
                 {"prompt", inline_html(q.prompt)},
                 {"attempts", e.attempts},
                 {"correct", e.correct},
                 // Answered right in this visit: the canvas takes no more answers either.
                 {"done", e.correct && e.answered_here},
                 {"feedback", feedback_json(t, q, e)}};
    if ((predict || q.kind == QuestionKind::Lost) && t.question_open(q)) {
        item["hint"] = inline_html(t.tr(t.held_by() == q.id ? "quiz.held" : "quiz.predict_hint"));
        if (!q.check.empty()) item["can_skip"] = true;  // the command: "skip ID"
    }
    item["skipped"] = e.skipped;
    if (q.kind == QuestionKind::Field) {
        item["field"] = true;
        if (e.last_number) item["last"] = *e.last_number;
    } else if (q.kind == QuestionKind::Order) {
        json items = json::array();
        const bool shown_right = e.correct && !e.answered_here;  // the right order, as the canvas shows it
        for (std::size_t pos = 0; pos < q.choices.size(); ++pos) {
            const int idx = shown_right || pos >= e.arrangement.size() ? static_cast<int>(pos) : e.arrangement[pos];
            items.push_back({{"item", idx}, {"html", inline_html(q.choices[static_cast<std::size_t>(idx)].text)}});
        }
        item["items"] = std::move(items);
    } else {
        const int right = t.right_choice(q);
        json choices = json::array();
        for (std::size_t i = 0; i < q.choices.size(); ++i) {
            const int idx = static_cast<int>(i);
            std::string mark;
            if (e.correct && idx == right) mark = "right";
            else if (e.answered_here && idx == e.last_choice && !e.last_correct) mark = "wrong";
            choices.push_back({{"letter", std::string(1, static_cast<char>('A' + idx))},
                               {"html", inline_html(q.choices[i].text)},
                               {"mark", mark}});
        }
        item["choices"] = std::move(choices);
    }
    return item;
}

}  // namespace

std::string inline_html(std::string_view text) {
    std::string out;
    spans_html(out, parse_inline(text));
    return out;
}

std::string inline_plain(std::string_view text) {
    std::string out;
    for (const MdSpan& s : parse_inline(text)) out += s.text;
    return out;
}

std::string markdown_html(std::string_view markdown) {
    std::string out;
    struct OpenList {
        bool ordered;
        bool item_open;
    };
    std::vector<OpenList> lists;
    auto close_one = [&] {
        if (lists.back().item_open) out += "</li>";
        out += lists.back().ordered ? "</ol>" : "</ul>";
        lists.pop_back();
    };
    auto close_all = [&] {
        while (!lists.empty()) close_one();
    };
    for (const MdBlock& b : parse_markdown(markdown)) {
        if (b.kind != MdBlock::Kind::ListItem) close_all();
        switch (b.kind) {
            case MdBlock::Kind::Paragraph:
                out += "<p>";
                spans_html(out, b.spans);
                out += "</p>";
                break;
            case MdBlock::Kind::Heading: {
                const std::string h = "h" + std::to_string(std::clamp(b.level + 3, 4, 6));
                out += "<" + h + ">";
                spans_html(out, b.spans);
                out += "</" + h + ">";
                break;
            }
            case MdBlock::Kind::ListItem: {
                const auto depth = static_cast<std::size_t>(std::max(0, b.level)) + 1;
                while (lists.size() > depth) close_one();
                if (lists.size() == depth) {
                    if (lists.back().ordered != b.ordered) close_one();
                    else if (lists.back().item_open) out += "</li>";
                }
                while (lists.size() < depth) {
                    out += b.ordered ? "<ol" + (b.number > 1 ? " start=\"" + std::to_string(b.number) + "\"" : std::string()) + ">" : "<ul>";
                    lists.push_back({b.ordered, false});
                }
                out += "<li>";
                spans_html(out, b.spans);
                lists.back().item_open = true;
                break;
            }
            case MdBlock::Kind::CodeBlock:
                out += "<pre><code>";
                escape_into(out, b.code);
                out += "</code></pre>";
                break;
            case MdBlock::Kind::Quote:
                out += "<blockquote><p>";
                spans_html(out, b.spans);
                out += "</p></blockquote>";
                break;
            case MdBlock::Kind::Rule: out += "<hr>"; break;
            case MdBlock::Kind::Table:
                out += "<table>";
                for (std::size_t r = 0; r < b.rows.size(); ++r) {
                    const char* cell = r == 0 ? "th" : "td";
                    out += "<tr>";
                    for (const MdInline& c : b.rows[r]) {
                        out += std::string("<") + cell + ">";
                        spans_html(out, c);
                        out += std::string("</") + cell + ">";
                    }
                    out += "</tr>";
                }
                out += "</table>";
                break;
        }
    }
    close_all();
    return out;
}

std::string mirror_doc_key(const Tutor& t) {
    std::string key = lang_code(t.lang());
    key += '|' + t.lesson_id() + '|' + std::to_string(t.step_index()) + '|' + t.sandbox_scenario() + '|';
    key += t.quiz_only() ? 'q' : '-';
    key += t.focus_question();
    key += '|' + std::to_string(t.notices().size());
    for (const Alert& n : t.notices()) key += ',' + n.key;
    key += '|' + std::to_string(t.course_score().correct) + '|';
    key += std::to_string(t.practice_due()) + '|' + (t.in_practice() ? std::to_string(t.run_generation()) : std::string()) + '|';
    if (const Lesson* l = t.lesson(); l && !t.in_sandbox()) {
        for (const Question& q : l->steps[t.step_index()].questions) {
            const QuizEntry& e = t.quiz(q.id);
            key += q.id + ':' + std::to_string(e.attempts) + (e.correct ? 'c' : '-') + (e.answered_here ? 'h' : '-') +
                   (e.last_correct ? 'r' : '-') + std::to_string(e.last_choice) + ':' +
                   (e.last_number ? std::to_string(*e.last_number) : std::string()) + ':';
            for (int i : e.arrangement) key += std::to_string(i) + ',';
            key += ';';
        }
    }
    return key;
}

std::string mirror_doc_json(const Tutor& t) {
    json lessons = json::array();
    for (const CatalogEntry& e : t.catalog().entries()) {
        const Lesson* l = t.catalog().lesson(e.id, t.lang());
        if (!l) continue;
        const Score s = t.score(e.id);
        lessons.push_back({{"id", e.id}, {"title", l->title}, {"score", s.correct}, {"total", s.total}});
    }
    json scenarios = json::array();
    json scenario_titles = json::object();
    for (const BuiltinScenario& b : builtin_scenarios()) {
        scenarios.push_back(std::string(b.name));
        scenario_titles[std::string(b.name)] = i18n::scenario_title(b.name, t.words());
    }
    json notices = json::array();
    for (const Alert& n : t.notices()) {
        const char* level = n.level == Alert::Level::Error ? "error" : n.level == Alert::Level::Warning ? "warning" : "info";
        notices.push_back({{"level", level}, {"html", inline_html(t.trf(n.key, n.args))}});
    }
    json doc = {
        {"lang", lang_code(t.lang())},
        {"mode", t.in_sandbox() ? "sandbox" : t.quiz_only() ? "quiz" : "lesson"},
        {"strings", strings_json(t)},
        {"lessons", std::move(lessons)},
        {"scenarios", std::move(scenarios)},
        {"scenario_titles", std::move(scenario_titles)},
        {"lesson", t.in_sandbox() ? "" : t.lesson_id()},
        {"sandbox", t.sandbox_scenario()},
        {"notices", std::move(notices)},
    };
    json questions = json::array();
    if (const Lesson* l = t.in_sandbox() ? nullptr : t.lesson()) {
        const Step& step = l->steps[t.step_index()];
        const Score s = t.score(l->id);
        doc["title"] = l->title;
        doc["step"] = t.step_index() + 1;
        doc["steps"] = l->steps.size();
        doc["step_title"] = inline_html(step.title);
        // Quiz only: the questions without the explanation around them, as on the canvas.
        doc["html"] = t.quiz_only() ? std::string() : markdown_html(step.markdown);
        doc["score"] = {{"correct", s.correct}, {"total", s.total}};
        if (t.quiz_only()) {
            doc["can_back"] = t.step_index() > 0 && t.question_step(t.step_index() - 1, -1).has_value();
            doc["can_next"] = t.question_step(t.step_index() + 1, +1).has_value();
        } else {
            doc["can_back"] = t.step_index() > 0;
            doc["can_next"] = t.step_index() + 1 < l->steps.size();
        }
        for (const Question& q : step.questions)
            if (t.shows_question(q)) questions.push_back(question_json(t, q));
    } else if (t.in_sandbox()) {
        doc["title"] = t.trf("lesson.sandbox_title", {i18n::scenario_title(t.sandbox_scenario(), t.words())});
        std::string html = "<p>" + inline_html(t.tr("lesson.free_play_help")) + "</p>";
        auto parsed = load_builtin(t.sandbox_scenario());
        if (auto* sc = std::get_if<Scenario>(&parsed); sc && !sc->description.empty())
            html += "<p>" + inline_html(i18n::scenario_description(sc->name, sc->description, t.words())) + "</p>";
        doc["html"] = html;
        doc["can_back"] = false;
        doc["can_next"] = false;
    }
    doc["questions"] = std::move(questions);
    // Practice: what is due today (the lesson list's entry), and once the
    // open exercise is answered, when it comes back (never its answer before).
    json practice = {{"due", t.practice_due()}, {"open", t.in_practice()}, {"schedule", nullptr}};
    if (const Question* q = t.in_practice() ? t.question(kPracticeQuestion) : nullptr; q && t.quiz(q->id).attempts > 0) {
        if (auto it = t.schedule().cards.find(t.lesson_id()); it != t.schedule().cards.end()) {
            const review::Card& c = it->second;
            practice["schedule"] = c.due <= t.today() ? t.tr("practice_view.again")
                                                      : t.trf("practice_view.scheduled", {review::format_date(c.due), std::to_string(c.box)});
        }
    }
    doc["practice"] = std::move(practice);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace finwave::web
