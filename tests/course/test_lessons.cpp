// Lesson files: parsing, errors with file and line, checks proved by the engine.
#include "finwave/lesson.hpp"
#include "../engine/helpers.hpp"

using namespace finwave;

namespace {

const char* kGood = R"(---
id: tiny
title: A tiny lesson
order: 3
---

## First step

Some **text**.

```scenario
use four-way-close
```

```play
from client FIN-WAIT-2
```

```question
id: q1
kind: predict
prompt: Next state of the client?
choice: TIME-WAIT
choice: CLOSED
answer: TIME-WAIT
check: next-state client
why: The server's FIN comes next.
wrong CLOSED: Not before TIME-WAIT.
```

## Second step

```text
a code block stays in the text
```

```question
id: q2
kind: field
prompt: Ack of the server's FIN?
answer: 202
check: segment client ack in TIME-WAIT ack
why: FIN seq + 1.
```
)";

LessonError lesson_error(const std::string& text) {
    auto r = parse_lesson(text, "bad.md", "en");
    REQUIRE_MESSAGE(std::holds_alternative<LessonError>(r), "expected an error for:\n" << text);
    return std::get<LessonError>(r);
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
    const auto i = s.find(from);
    REQUIRE(i != std::string::npos);
    return s.replace(i, from.size(), to);
}

}  // namespace

TEST_CASE("a lesson parses into steps with text, scenario, play and questions") {
    auto r = parse_lesson(kGood, "tiny.md", "en");
    REQUIRE(std::holds_alternative<Lesson>(r));
    const Lesson& l = std::get<Lesson>(r);
    CHECK(l.id == "tiny");
    CHECK(l.order == 3);
    REQUIRE(l.steps.size() == 2);
    CHECK(l.steps[0].title == "First step");
    CHECK(l.steps[0].markdown == "Some **text**.");
    CHECK(l.steps[0].scenario.has_value());
    REQUIRE(l.steps[0].open.size() == 1);
    CHECK(l.steps[0].play.empty());
    REQUIRE(l.steps[0].questions.size() == 1);
    const Question& q = l.steps[0].questions[0];
    CHECK(q.kind == QuestionKind::Predict);
    CHECK(q.answer_index == 0);
    REQUIRE(q.wrong.size() == 1);
    CHECK(q.wrong[0].first == 1);
    CHECK(l.steps[1].markdown.find("a code block stays in the text") != std::string::npos);
    CHECK(verify_lesson(l).empty());
}

TEST_CASE("a step without a scenario continues the previous step's simulation") {
    const Lesson l = std::get<Lesson>(parse_lesson(kGood, "tiny.md", "en"));
    auto first = simulation_for_step(l, 0);
    auto second = simulation_for_step(l, 1);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->endpoint(Side::Client).state() == State::FinWait2);
    CHECK(second->endpoint(Side::Client).state() == State::FinWait2);
    CHECK(evaluate_check(*second, "next-state client").value == std::string("TIME-WAIT"));
    CHECK(evaluate_check(*second, "time client TIME-WAIT").value == std::string("520ms"));
    CHECK(evaluate_check(*second, "bytes server").value == std::string("100"));
    CHECK(evaluate_check(*second, "count client FIN").value == std::string("1"));
    CHECK(evaluate_check(*second, "first-retransmit").value == std::string("none"));
    CHECK_FALSE(evaluate_check(*second, "frobnicate").error.empty());
}

TEST_CASE("a written answer that disagrees with the engine is reported with its line") {
    const auto l = std::get<Lesson>(parse_lesson(replace(kGood, "answer: 202", "answer: 201"), "tiny.md", "en"));
    const auto problems = verify_lesson(l);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("tiny.md:37: question 'q2': the answer is 201 but the engine says 202") == 0);
}

TEST_CASE("malformed lessons: file, line and what is wrong") {
    struct Case {
        std::string text;
        int line;
        const char* says;
    };
    const std::string g = kGood;
    const Case cases[] = {
        {"no front matter\n", 1, "starts with front matter"},
        {replace(g, "order: 3", "order: three"), 4, "'order' is a whole number"},
        {replace(g, "id: tiny", "id: tiny lesson!"), 2, "letters, digits and '-'"},
        {replace(g, "title: A tiny lesson\n", ""), 1, "needs a 'title'"},
        {replace(g, "## First step", "Stray text\n## First step"), 7, "text before the first step"},
        {replace(g, "use four-way-close", "use no-such-scenario"), 12, "no built-in scenario named 'no-such-scenario'"},
        {replace(g, "from client FIN-WAIT-2", "from client FIN-WAIT-9"), 16, "expected a state name"},
        {replace(g, "kind: predict", "kind: essay"), 21, "unknown question kind 'essay'"},
        {replace(g, "answer: TIME-WAIT", "answer: LISTEN"), 25, "is none of its choices"},
        {replace(g, "why: The server's FIN comes next.\n", ""), 19, "needs a 'why'"},
        {replace(g, "wrong CLOSED", "wrong LISTEN"), 28, "names no choice"},
        {replace(g, "check: next-state client\n", ""), 19, "(predict) needs a 'check'"},
        {replace(g, "id: q2", "id: q1"), 37, "used twice"},
        {g.substr(0, g.rfind("```")), 37, "never closed"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const LessonError e = lesson_error(c.text);
        CHECK(e.file == "bad.md");
        CHECK(e.line == c.line);
        CHECK_MESSAGE(e.message.find(c.says) != std::string::npos, e.message);
    }
}

TEST_CASE("translations must tell the same story") {
    const Lesson en = std::get<Lesson>(parse_lesson(kGood, "en/tiny.md", "en"));
    const Lesson zh_same = std::get<Lesson>(parse_lesson(replace(kGood, "Some **text**.", "一些**文字**。"), "zh/tiny.md", "zh"));
    CHECK(compare_translations(en, zh_same).empty());
    const Lesson zh_other = std::get<Lesson>(parse_lesson(replace(kGood, "use four-way-close", "use four-way-close\ndrop client FIN"), "zh/tiny.md", "zh"));
    const auto d = compare_translations(en, zh_other);
    REQUIRE(d.size() == 1);
    CHECK(d[0].find("the scenario is not the same") != std::string::npos);
}

TEST_CASE("a step opens where the previous one's Play stopped; its own Play stops at its end point") {
    const std::string text = replace(replace(kGood, "from client FIN-WAIT-2\n", "from client FIN-WAIT-1\nuntil client FIN-WAIT-2\n"),
                                     "check: next-state client", "check: next-state client\n");
    const Lesson l = std::get<Lesson>(parse_lesson(text, "tiny.md", "en"));
    REQUIRE(l.steps[0].open.size() == 1);
    REQUIRE(l.steps[0].play.size() == 1);
    CHECK(simulation_for_step(l, 0)->endpoint(Side::Client).state() == State::FinWait1);
    CHECK(simulation_at_step_end(l, 0)->endpoint(Side::Client).state() == State::FinWait2);
    CHECK(simulation_for_step(l, 1)->endpoint(Side::Client).state() == State::FinWait2);
    // Checks are computed where the step opens.
    CHECK(evaluate_check(*simulation_for_step(l, 0), "next-state client").value == std::string("FIN-WAIT-2"));
}

TEST_CASE("lessons check reports, with file and line, what a learner would trip on") {
    auto problems_of = [](const std::string& text) {
        return verify_lesson(std::get<Lesson>(parse_lesson(text, "tiny.md", "en")));
    };
    auto has = [](const std::vector<std::string>& ps, const std::string& what) {
        for (const auto& p : ps)
            if (p.find(what) != std::string::npos) return true;
        return false;
    };
    // A play-until condition already true where the step starts (a run that has not connected is CLOSED).
    auto p = problems_of(replace(kGood, "from client FIN-WAIT-2\n", "until client CLOSED\n"));
    CHECK(has(p, "tiny.md:16: 'until client CLOSED' is already true where the step starts"));
    // ... and it opens on an empty ladder.
    CHECK(has(p, "tiny.md:7: the step opens on an empty ladder"));
    // The text asks for Play with nothing left to play.
    p = problems_of(replace(kGood, "Some **text**.", "Press *Play* and watch."));
    CHECK(has(p, "tiny.md:7: the text asks the learner to press Play, but nothing is left to play"));
    // A predict question whose moment is already behind the start point.
    p = problems_of(replace(replace(kGood, "check: next-state client", "check: time client FIN-WAIT-1"), "choice: TIME-WAIT\nchoice: CLOSED\nanswer: TIME-WAIT",
                            "choice: 200ms\nchoice: CLOSED\nanswer: 200ms"));
    CHECK(has(p, "predict question 'q1': what it asks about has already happened when the step opens"));
    // The good lesson has none of these.
    CHECK(problems_of(kGood).empty());
}
