#include <doctest/doctest.h>

#include "controller.hpp"
#include <algorithm>

#include "helpers.hpp"
#include "state_json.hpp"

#include <nlohmann/json.hpp>

using namespace finwave;
using namespace finwave::web;

TEST_CASE("catalog: a malformed lesson is reported with file and line; the others still load") {
    Catalog c = test::repo_catalog();
    const std::size_t good = c.entries().size();
    c.add_file("en/99-broken.md", "---\nid: broken\ntitle: Broken\norder: 99\n---\n\n## Step\n\n```question\nid: q\nkind: riddle\n```\n");
    c.add_failure("en/98-missing.md", "HTTP 404");
    c.add_file("fr/01-x.md", "---\n");
    CHECK(c.entries().size() == good);
    REQUIRE(c.problems().size() == 3);
    CHECK(c.problems()[0].text() == "lessons/en/99-broken.md:11: unknown question kind 'riddle'; expected choice, predict, field, order or lost");
    CHECK(c.problems()[1].text() == "lessons/en/98-missing.md: HTTP 404");
    Tutor t(c, builtin_strings());
    REQUIRE(t.notices().size() == 3);
    CHECK(t.trf(t.notices()[0].key, t.notices()[0].args).find("lessons/en/99-broken.md:11") != std::string::npos);
}

TEST_CASE("catalog: lessons come in order and in both languages") {
    const Catalog c = test::repo_catalog();
    REQUIRE(c.find("states-step-by-step"));
    for (std::size_t i = 1; i < c.entries().size(); ++i) CHECK(c.entries()[i - 1].order <= c.entries()[i].order);
    const Lesson* zh = c.lesson("states-step-by-step", Lang::Zh);
    REQUIRE(zh);
    CHECK(zh->lang == "zh");
}

TEST_CASE("quiz: the GATE question answered wrong, then right, changes the score once") {
    Tutor t = test::gate_tutor();
    const Score before = t.score("states-step-by-step");
    CHECK(before.correct == 0);
    CHECK(before.total >= 4);
    const auto wrong = parse_command("answer gate-2017 FIN-WAIT-1", t);
    REQUIRE(std::holds_alternative<Command>(wrong));
    REQUIRE(apply_command(t, std::get<Command>(wrong)).ok);
    CHECK(t.quiz("gate-2017").attempts == 1);
    CHECK_FALSE(t.quiz("gate-2017").last_correct);
    CHECK(t.score("states-step-by-step").correct == 0);

    REQUIRE(apply_command(t, std::get<Command>(parse_command("answer gate-2017 FIN-WAIT-2", t))).ok);
    CHECK(t.quiz("gate-2017").correct);
    CHECK_FALSE(t.quiz("gate-2017").first_try);
    CHECK(t.score("states-step-by-step").correct == 1);
    CHECK(t.take_progress_dirty());
    // Right is final for this session.
    CHECK_FALSE(apply_command(t, cmd::AnswerChoice{"gate-2017", 0}).ok);
}

TEST_CASE("quiz: a predict question's answer comes from the engine on the step's simulation") {
    Tutor t = test::gate_tutor();
    const Question* q = t.question("state-after-fin");
    REQUIRE(q);
    CHECK(t.engine_answer("state-after-fin").value == "FIN-WAIT-2");
    CHECK(q->choices[static_cast<std::size_t>(t.right_choice(*q))].text == "FIN-WAIT-2");
    // Answered ahead of its step (an API user): computed on that step's start.
    CHECK(t.engine_answer("last-ack-number").value == "202");
    REQUIRE(apply_command(t, cmd::AnswerNumber{"last-ack-number", 202}).ok);
    CHECK(t.quiz("last-ack-number").correct);
}

TEST_CASE("quiz: order questions start shuffled and are right only in the engine's order") {
    Tutor t = test::gate_tutor();
    const Question* q = t.question("close-order");
    REQUIRE(q);
    auto arrangement = t.quiz("close-order").arrangement;
    REQUIRE(arrangement.size() == q->choices.size());
    bool identity = true;
    for (std::size_t i = 0; i < arrangement.size(); ++i) identity = identity && arrangement[i] == static_cast<int>(i);
    CHECK_FALSE(identity);
    REQUIRE(apply_command(t, cmd::SubmitOrder{"close-order"}).ok);
    CHECK_FALSE(t.quiz("close-order").last_correct);
    // Sort by moving each item into place, as the up/down buttons would.
    for (int target = 0; target < static_cast<int>(arrangement.size()); ++target) {
        const auto& now = t.quiz("close-order").arrangement;
        const int at = static_cast<int>(std::find(now.begin(), now.end(), target) - now.begin());
        if (at != target) REQUIRE(apply_command(t, cmd::MoveOrderItem{"close-order", at, target}).ok);
    }
    REQUIRE(apply_command(t, cmd::SubmitOrder{"close-order"}).ok);
    CHECK(t.quiz("close-order").correct);
}

TEST_CASE("quiz: knobs the learner changed are used for the engine's answer") {
    Tutor t = test::gate_tutor();
    REQUIRE(apply_command(t, cmd::SetKnob{"delayed_ack", "0"}).ok);
    CHECK_FALSE(apply_command(t, cmd::SetKnob{"delayed_ack", "soon"}).ok);
    CHECK_FALSE(apply_command(t, cmd::SetKnob{"no_such_knob", "1s"}).ok);
    CHECK(t.knob_overrides().size() == 1);
    CHECK(t.has_sim());
    CHECK(t.engine_answer("state-after-fin").value == "FIN-WAIT-2");
    REQUIRE(apply_command(t, cmd::SetProfile{Profile::Rfc}).ok);
    CHECK(t.profile() == Profile::Rfc);
    REQUIRE(apply_command(t, cmd::ResetKnobs{}).ok);
    CHECK(t.knob_overrides().empty());
}

TEST_CASE("state JSON: carries what the browser tests read") {
    Tutor t = test::gate_tutor();
    REQUIRE(apply_command(t, cmd::StepEvent{}).ok);
    const auto doc = nlohmann::json::parse(state_json(t, R"("ui":{"x":1})"));
    CHECK(doc["lesson"]["id"] == "states-step-by-step");
    CHECK(doc["lesson"]["step"] == 1);
    CHECK(doc["lang"] == "en");
    CHECK(doc["sim"]["client"]["state"].is_string());
    CHECK(doc["sim"]["server"]["timers"].contains("time-wait"));
    CHECK(doc["sim"]["in_flight"].is_array());
    CHECK(doc["sim"]["last_events"].size() > 0);
    CHECK(doc["quiz"]["total"] >= 4);
    CHECK(doc["ui"]["x"] == 1);
}
