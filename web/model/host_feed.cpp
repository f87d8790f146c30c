#include "host_feed.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "mirror.hpp"

namespace finwave::web {

namespace {

using nlohmann::json;

// A height that moves by less is not worth a host's relayout.
constexpr int kHeightStep = 4;

json score_json(const Tutor& t, const std::string& lesson) {
    const Score l = t.score(lesson);
    const Score c = t.course_score();
    return {{"lesson", {l.correct, l.total, l.attempted}}, {"course", {c.correct, c.total, c.attempted}}};
}

// The right answer in xAPI's response forms: a choice's letter, a number,
// or an order question's items as letters in the right order ("A[,]B[,]C":
// a lesson writes them in that order). Null when the engine has no answer.
json correct_response(const Tutor& t, const Question& q) {
    switch (q.kind) {
        case QuestionKind::Field: return std::to_string(t.right_number(q));
        case QuestionKind::Order: {
            std::string items;
            for (std::size_t i = 0; i < q.choices.size(); ++i) {
                if (i > 0) items += "[,]";
                items += static_cast<char>('A' + i);
            }
            return items;
        }
        default: {
            const int right = t.right_choice(q);
            if (right < 0) return nullptr;
            return std::string(1, static_cast<char>('A' + right));
        }
    }
}

}  // namespace

std::string learner_event_json(const Tutor& t, const LearnerEvent& e) {
    const Lesson* lesson = t.catalog().lesson(e.lesson, t.lang());
    json out = {{"type", e.kind == LearnerEvent::Kind::Answered ? "answered" : "completed"},
                {"lang", lang_code(t.lang())},
                {"lesson", e.lesson},
                {"lesson_title", lesson ? inline_plain(lesson->title) : e.lesson},
                {"score", score_json(t, e.lesson)}};
    if (e.kind == LearnerEvent::Kind::Answered) {
        out["question"] = e.question;
        out["response"] = e.response;
        out["correct"] = e.correct;
        out["attempts"] = e.attempts;
        if (lesson) {
            for (const Step& s : lesson->steps) {
                for (const Question& q : s.questions) {
                    if (q.id != e.question) continue;
                    out["kind"] = to_string(q.kind);
                    out["prompt"] = inline_plain(q.prompt);
                    json choices = json::array();
                    if (q.kind != QuestionKind::Field)
                        for (std::size_t i = 0; i < q.choices.size(); ++i)
                            choices.push_back({{"id", std::string(1, static_cast<char>('A' + i))}, {"text", inline_plain(q.choices[i].text)}});
                    out["choices"] = std::move(choices);
                    out["correct_response"] = correct_response(t, q);
                }
            }
        }
    }
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string HostFeed::poll(Tutor& t, int preferred_height) {
    std::string out = "{";
    auto add = [&](const char* name, const std::string& value) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += name;
        out += "\":";
        out += value;
    };
    const auto events = t.take_learner_events();
    if (!events.empty()) {
        std::string list = "[";
        for (const LearnerEvent& e : events) {
            if (list.size() > 1) list += ',';
            list += learner_event_json(t, e);
        }
        add("events", list + "]");
    }
    if (std::string key = mirror_doc_key(t); key != doc_key_) {
        doc_key_ = std::move(key);
        add("doc", mirror_doc_json(t));
    }
    if (std::string key = mirror_live_key(t); key != live_key_) {
        live_key_ = std::move(key);
        add("live", mirror_live_json(t));
    }
    if (preferred_height > 0 && std::abs(preferred_height - height_) >= kHeightStep) {
        height_ = preferred_height;
        add("height", std::to_string(height_));
    }
    return out + "}";
}

}  // namespace finwave::web
