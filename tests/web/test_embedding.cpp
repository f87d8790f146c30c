// The app inside other pages: launch parameters, quiz-only and embedded
// modes, the learner's events for hosts and LMSs, and the accessible mirror.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "controller.hpp"
#include "helpers.hpp"
#include "host_feed.hpp"
#include "mirror.hpp"
#include "startup.hpp"

using namespace finwave::web;
using nlohmann::json;

namespace {

std::vector<std::string> notice_keys(const Tutor& t) {
    std::vector<std::string> keys;
    for (const auto& n : t.notices()) keys.push_back(n.key);
    return keys;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

Tutor started(const std::string& query) {
    Tutor t(test::repo_catalog(), builtin_strings());
    start(t, {query, "", "", "en"});
    return t;
}

// A lesson with a step that asks nothing, and the first step that asks.
std::pair<std::string, std::size_t> lesson_with_a_quiet_step(const Tutor& t) {
    for (const CatalogEntry& e : t.catalog().entries()) {
        const auto& l = e.by_lang[0];
        if (!l || l->steps.empty() || !l->steps[0].questions.empty()) continue;
        for (std::size_t i = 0; i < l->steps.size(); ++i)
            if (!l->steps[i].questions.empty()) return {e.id, i};
    }
    return {};
}

void apply(Tutor& t, const std::string& text) {
    auto parsed = parse_command(text, t);
    REQUIRE_MESSAGE(std::holds_alternative<Command>(parsed), text);
    const Reply r = apply_command(t, std::get<Command>(parsed));
    REQUIRE_MESSAGE(r.ok, text << ": " << r.message);
}

}  // namespace

TEST_CASE("launch: mode, scenario, profile and embed from the URL") {
    SUBCASE("a scenario by name opens free play") {
        Tutor t = started("?scenario=rst-linger-zero&profile=rfc&embed=1");
        CHECK(t.in_sandbox());
        CHECK(t.sandbox_scenario() == "rst-linger-zero");
        CHECK(t.profile() == finwave::Profile::Rfc);
        CHECK(t.embedded());
        CHECK(t.notices().empty());
        CHECK(location_query(t) == "?lang=en&scenario=rst-linger-zero&profile=rfc&embed=1");
    }
    SUBCASE("mode=sandbox without a scenario opens the default one") {
        Tutor t = started("?mode=sandbox");
        CHECK(t.sandbox_scenario() == std::string(kDefaultScenario));
        CHECK(t.notices().empty());
    }
    SUBCASE("a quiz opens on the first step that asks a question") {
        Tutor probe(test::repo_catalog(), builtin_strings());
        const auto [id, first_question] = lesson_with_a_quiet_step(probe);
        REQUIRE_FALSE(id.empty());
        Tutor t = started("?mode=quiz&lesson=" + id);
        CHECK(t.quiz_only());
        CHECK(t.lesson_id() == id);
        CHECK(t.step_index() == first_question);
        CHECK(location_query(t).find("&mode=quiz") != std::string::npos);
    }
    SUBCASE("bad values fall back, each with a note") {
        Tutor t = started("?mode=exam&embed=maybe&profile=bsd&scenario=nope");
        const auto keys = notice_keys(t);
        CHECK(has(keys, "notice.bad_mode"));
        CHECK(has(keys, "notice.bad_embed"));
        CHECK(has(keys, "notice.bad_profile"));
        CHECK(has(keys, "notice.unknown_scenario"));
        CHECK(t.sandbox_scenario() == std::string(kDefaultScenario));
        CHECK_FALSE(t.embedded());
        CHECK_FALSE(t.quiz_only());
    }
    SUBCASE("a scenario in a quiz is refused with a note; the quiz opens") {
        Tutor t = started("?mode=quiz&scenario=rst-linger-zero");
        CHECK(has(notice_keys(t), "notice.scenario_in_quiz"));
        CHECK_FALSE(t.in_sandbox());
        CHECK(t.quiz_only());
    }
    SUBCASE("a bare ?embed means yes, embed=0 no") {
        CHECK(started("?embed").embedded());
        CHECK_FALSE(started("?embed=0").embedded());
    }
}

TEST_CASE("quiz only: Next and Back go from question to question") {
    Tutor probe(test::repo_catalog(), builtin_strings());
    const auto [id, first] = lesson_with_a_quiet_step(probe);
    REQUIRE_FALSE(id.empty());
    Tutor t = started("?mode=quiz&lesson=" + id);
    REQUIRE(t.step_index() == first);
    std::vector<std::size_t> visited{t.step_index()};
    for (int guard = 0; guard < 50; ++guard) {
        auto parsed = parse_command("next", t);
        if (!apply_command(t, std::get<Command>(parsed)).ok) break;
        visited.push_back(t.step_index());
    }
    for (std::size_t s : visited) CHECK_MESSAGE(t.step_has_questions(s), "step " << s + 1 << " asks nothing");
    CHECK(std::is_sorted(visited.begin(), visited.end()));
    std::size_t asking = 0;
    for (std::size_t s = 0; s < t.lesson()->steps.size(); ++s) asking += t.step_has_questions(s) ? 1 : 0;
    CHECK(visited.size() == asking);
    const Reply back = apply_command(t, cmd::PrevStep{});
    CHECK(back.ok);
    CHECK(t.step_has_questions(t.step_index()));
}

TEST_CASE("learner events: each answer, then the lesson completed once") {
    Tutor t = test::gate_tutor();
    apply(t, "step 2");
    apply(t, "answer gate-2017 C");
    apply(t, "answer gate-2017 D");
    auto events = t.take_learner_events();
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == LearnerEvent::Kind::Answered);
    CHECK(events[0].response == "C");
    CHECK_FALSE(events[0].correct);
    CHECK(events[1].response == "D");
    CHECK(events[1].correct);
    CHECK(events[1].attempts == 2);
    CHECK(t.take_learner_events().empty());

    const json e = json::parse(learner_event_json(t, events[1]));
    CHECK(e["type"] == "answered");
    CHECK(e["lesson"] == "states-step-by-step");
    CHECK(e["question"] == "gate-2017");
    CHECK(e["kind"] == "choice");
    CHECK(e["choices"].size() >= 4);
    CHECK(e["choices"][3]["id"] == "D");
    CHECK(e["score"]["lesson"][0] == 1);
    CHECK(e["score"]["course"][1].get<int>() >= e["score"]["lesson"][1].get<int>());
    CHECK_FALSE(e["prompt"].get<std::string>().empty());
    // What an LMS or an LRS needs for its per-question report.
    CHECK(e["correct_response"] == "D");
    CHECK(e["score"]["lesson"][2] == 1);  // one question attempted
}

TEST_CASE("launch: one question alone with ?question=ID") {
    SUBCASE("found in its lesson: a quiz of that one question, in the small layout") {
        Tutor t = started("?question=gate-2017");
        CHECK(notice_keys(t).empty());
        CHECK(t.lesson_id() == "states-step-by-step");
        CHECK(t.quiz_only());
        CHECK(t.embedded());
        CHECK(t.focus_question() == "gate-2017");
        REQUIRE(t.step_of_question("gate-2017"));
        CHECK(t.step_index() == *t.step_of_question("gate-2017"));
        // No other step asks anything: Back and Next lead nowhere.
        CHECK_FALSE(t.question_step(t.step_index() + 1, +1));
        CHECK(t.question_step(0, +1) == t.step_index());
        const json doc = json::parse(mirror_doc_json(t));
        REQUIRE(doc["questions"].size() == 1);
        CHECK(doc["questions"][0]["id"] == "gate-2017");
        CHECK(location_query(t).find("&question=gate-2017") != std::string::npos);
    }
    SUBCASE("with its lesson named") {
        Tutor t = started("?lesson=states-step-by-step&question=gate-2017");
        CHECK(notice_keys(t).empty());
        CHECK(t.focus_question() == "gate-2017");
    }
    SUBCASE("a question the lesson does not ask, or none at all: a notice, and the course as usual") {
        Tutor t = started("?lesson=why-four-segments&question=gate-2017");
        CHECK(has(notice_keys(t), "notice.unknown_question"));
        CHECK(t.focus_question().empty());
        Tutor u = started("?question=%3Cscript%3E");
        CHECK(has(notice_keys(u), "notice.unknown_question"));
        CHECK_FALSE(u.quiz_only());
    }
    SUBCASE("a step given with it is ignored, with a notice") {
        Tutor t = started("?question=gate-2017&step=1");
        CHECK(has(notice_keys(t), "notice.step_with_question"));
        CHECK(t.step_index() == *t.step_of_question("gate-2017"));
    }
}

TEST_CASE("learner events: completing every question of a lesson") {
    Tutor t = test::gate_tutor();
    const finwave::Lesson* l = t.lesson();
    REQUIRE(l);
    int completed = 0;
    for (std::size_t s = 0; s < l->steps.size(); ++s) {
        REQUIRE(t.go_step(s));
        for (const auto& q : l->steps[s].questions) {
            if (q.kind == finwave::QuestionKind::Field) {
                CHECK(t.answer_number(q.id, t.right_number(q)));
            } else if (q.kind == finwave::QuestionKind::Order) {
                // Sorted by moving each item to its place.
                for (int pos = 0; pos < static_cast<int>(q.choices.size()); ++pos) {
                    const auto& a = t.quiz(q.id).arrangement;
                    const int at = static_cast<int>(std::find(a.begin(), a.end(), pos) - a.begin());
                    if (at != pos) CHECK(t.move_order_item(q.id, at, pos));
                }
                CHECK(t.submit_order(q.id));
            } else {
                CHECK(t.answer_choice(q.id, t.right_choice(q)));
            }
        }
        for (const LearnerEvent& e : t.take_learner_events()) {
            if (e.kind == LearnerEvent::Kind::Completed) ++completed;
            else CHECK_MESSAGE(e.correct, e.question);
        }
    }
    CHECK(completed == 1);
    const Score s = t.score(l->id);
    CHECK(s.correct == s.total);
}

TEST_CASE("mirror: lesson text as escaped HTML, questions with their answers' state") {
    CHECK(markdown_html("A *b* **c** `<d>` & [e](javascript:void) [f](https://x.example/?a=1&b=2)") ==
          "<p>A <em>b</em> <strong>c</strong> <code>&lt;d&gt;</code> &amp; e <a href=\"https://x.example/?a=1&amp;b=2\">f</a></p>");
    CHECK(markdown_html("- one\n- two\n  - inner\n- three\n\n1. first\n") ==
          "<ul><li>one</li><li>two<ul><li>inner</li></ul></li><li>three</li></ul><ol><li>first</li></ol>");
    CHECK(markdown_html("## Heading\n\n```\n<b>\n```\n") == "<h5>Heading</h5><pre><code>&lt;b&gt;</code></pre>");

    Tutor t = test::gate_tutor();
    apply(t, "step 2");
    const std::string key = mirror_doc_key(t);
    json doc = json::parse(mirror_doc_json(t));
    CHECK(doc["lesson"] == "states-step-by-step");
    CHECK(doc["step"] == 2);
    CHECK_FALSE(doc["html"].get<std::string>().empty());
    CHECK(doc["strings"]["a11y.region"] == "FinWave, accessible view");
    const auto gate = std::find_if(doc["questions"].begin(), doc["questions"].end(), [](const json& q) { return q["id"] == "gate-2017"; });
    REQUIRE(gate != doc["questions"].end());
    CHECK((*gate)["choices"].size() >= 4);
    CHECK((*gate)["feedback"].is_null());

    apply(t, "answer gate-2017 C");
    CHECK(mirror_doc_key(t) != key);
    doc = json::parse(mirror_doc_json(t));
    const auto answered = std::find_if(doc["questions"].begin(), doc["questions"].end(), [](const json& q) { return q["id"] == "gate-2017"; });
    CHECK((*answered)["choices"][2]["mark"] == "wrong");
    CHECK((*answered)["feedback"]["verdict"] == "wrong");

    apply(t, "lang zh");
    doc = json::parse(mirror_doc_json(t));
    CHECK(doc["lang"] == "zh");
    CHECK(doc["strings"]["a11y.region"] == "FinWave 无障碍视图");
}

TEST_CASE("mirror: the live part follows the simulation and lists changes of state") {
    Tutor t = test::gate_tutor();
    json live = json::parse(mirror_live_json(t));
    REQUIRE(live["has_sim"] == true);
    CHECK(live["client"] == "FIN-WAIT-1");
    const std::string key = mirror_live_key(t);
    const std::size_t before = live["transitions"].size();
    apply(t, "skip state-after-fin");  // the predict question holds the run before FIN-WAIT-2 until then
    for (int i = 0; i < 40 && t.sim().endpoint(finwave::Side::Client).state() == finwave::State::FinWait1; ++i) apply(t, "event");
    CHECK(mirror_live_key(t) != key);
    live = json::parse(mirror_live_json(t));
    CHECK(live["client"] == "FIN-WAIT-2");
    REQUIRE(live["transitions"].size() > before);
    const json& last = live["transitions"].back();
    CHECK(last["side"] == "client");
    CHECK(last["from"] == "FIN-WAIT-1");
    CHECK(last["to"] == "FIN-WAIT-2");
}

TEST_CASE("host feed: only what changed since the last poll") {
    Tutor t = test::gate_tutor();
    HostFeed feed;
    json first = json::parse(feed.poll(t, 600));
    CHECK(first.contains("doc"));
    CHECK(first.contains("live"));
    CHECK(first["height"] == 600);
    CHECK_FALSE(first.contains("events"));
    CHECK(json::parse(feed.poll(t, 602)) == json::object());  // 2 px is not worth a relayout
    apply(t, "step 2");
    apply(t, "answer gate-2017 D");
    json next = json::parse(feed.poll(t, 700));
    REQUIRE(next.contains("events"));
    CHECK(next["events"][0]["type"] == "answered");
    CHECK(next["events"][0]["correct"] == true);
    CHECK(next.contains("doc"));
    CHECK(next["height"] == 700);
}
