// Steps with a beginning and an end, predictions before observation, and
// values withheld while a question asks for them: on the real lessons.
#include <doctest/doctest.h>

#include "controller.hpp"
#include "helpers.hpp"
#include "ladder.hpp"
#include "wrap.hpp"

namespace finwave::web {

namespace {

// Plays the way a learner can: Play (ticks), Next event and Next timer, each
// until it does nothing more.
void advance_every_way(Tutor& t) {
    for (int i = 0; i < 200 && t.step_event(); ++i) {
    }
    for (int i = 0; i < 50 && t.next_timer(); ++i) {
    }
    t.set_speed(1000);
    t.set_playing(true);
    for (int i = 0; i < 4000 && t.playing(); ++i) t.tick(0.25);
}

bool has_state_event(const Simulation& sim, std::size_t from, Side side) {
    for (std::size_t k = from; k < sim.trace().size(); ++k)
        if (sim.trace()[k].kind == EventKind::State && sim.trace()[k].side == side) return true;
    return false;
}

}  // namespace

TEST_CASE("step flow: Play stops at the step's end point, not at the end of the run") {
    Tutor t = test::gate_tutor();  // lesson 2, step 1: from client FIN-WAIT-1, until client FIN-WAIT-2
    REQUIRE(t.sim().endpoint(Side::Client).state() == State::FinWait1);
    REQUIRE(t.skip_question("state-after-fin"));
    advance_every_way(t);
    CHECK(t.at_step_end());
    CHECK(t.sim().endpoint(Side::Client).state() == State::FinWait2);
    CHECK_FALSE(t.sim().finished());
    CHECK_FALSE(t.step_event());
    t.set_playing(true);
    CHECK_FALSE(t.playing());
    // Reset returns to the start point.
    t.reset_step();
    CHECK(t.sim().endpoint(Side::Client).state() == State::FinWait1);
    CHECK_FALSE(t.at_step_end());
}

TEST_CASE("step flow: the next step opens where the previous step's Play stopped") {
    Tutor t = test::gate_tutor();
    REQUIRE(t.skip_question("state-after-fin"));
    advance_every_way(t);
    const Instant end = t.sim().now();
    REQUIRE(t.go_step(1));
    CHECK(t.sim().now() == end);
    CHECK(t.sim().endpoint(Side::Client).state() == State::FinWait2);
}

TEST_CASE("step flow: an open predict question holds every way of advancing before its moment") {
    Tutor t = test::gate_tutor();
    const std::size_t start = t.sim().trace().size();
    advance_every_way(t);
    CHECK(t.sim().endpoint(Side::Client).state() == State::FinWait1);
    CHECK_FALSE(has_state_event(t.sim(), start, Side::Client));
    CHECK(t.held_by() == "state-after-fin");
    CHECK(t.gate() != nullptr);
    // Answering (even wrongly) commits the learner: Play goes on.
    REQUIRE(t.answer_choice("state-after-fin", 1));
    CHECK(t.gate() == nullptr);
    advance_every_way(t);
    CHECK(t.sim().endpoint(Side::Client).state() == State::FinWait2);
}

TEST_CASE("step flow: skipping is recorded as skipped, not as an answer") {
    Tutor t = test::gate_tutor();
    REQUIRE(apply_command(t, std::get<Command>(parse_command("skip state-after-fin", t))).ok);
    const QuizEntry& e = t.quiz("state-after-fin");
    CHECK(e.skipped);
    CHECK(e.attempts == 0);
    CHECK_FALSE(e.correct);
    CHECK(t.take_learner_events().empty());
    CHECK(t.score("states-step-by-step").correct == 0);
}

TEST_CASE("step flow: every predict question of every lesson holds Play before its answer shows") {
    const Catalog c = test::repo_catalog();
    int checked = 0;
    for (const auto& entry : c.entries()) {
        for (const auto& lesson : entry.by_lang) {
            if (!lesson) continue;
            for (std::size_t i = 0; i < lesson->steps.size(); ++i) {
                for (const Question& q : lesson->steps[i].questions) {
                    if ((q.kind != QuestionKind::Predict && q.kind != QuestionKind::Lost) || q.check.empty()) continue;
                    CAPTURE(lesson->file);
                    CAPTURE(q.id);
                    Tutor t(c, builtin_strings());
                    t.set_lang(lesson->lang == "zh" ? Lang::Zh : Lang::En);
                    REQUIRE(t.open_lesson(lesson->id, i));
                    const std::size_t start = t.sim().trace().size();
                    const std::string value = t.engine_answer(q.id).value;
                    advance_every_way(t);
                    for (std::size_t k = start; k < t.sim().trace().size(); ++k) CHECK_FALSE(event_reveals(q, value, t.sim().trace()[k]));
                    ++checked;
                }
            }
        }
    }
    CHECK(checked >= 80);
}

TEST_CASE("step flow: a question about a state hides that side's state until it is answered") {
    Tutor t = test::gate_tutor();
    REQUIRE(t.go_step(1));  // the GATE question: check state client
    Hidden h = t.hidden();
    CHECK(h.state[0]);
    CHECK(h.timers[0]);  // the FIN-WAIT-2 timer would name the state
    CHECK_FALSE(h.state[1]);
    CHECK(h.state_value[0] == State::FinWait2);
    REQUIRE(t.answer_choice("gate-2017", 3));
    CHECK_FALSE(t.hidden().any());
}

TEST_CASE("step flow: a field question hides the segment's field until it is answered") {
    Tutor t = test::gate_tutor();
    REQUIRE(t.go_step(3));  // last-ack-number: segment client ack in TIME-WAIT ack
    const Hidden h = t.hidden();
    bool found = false;
    for (const TraceEvent& e : t.sim().trace())
        if (e.kind == EventKind::Send && e.side == Side::Client && e.sender_state == State::TimeWait) found = found || h.field(e.seg_id, "ack");
    CHECK(found);
    CHECK(t.answer_number("last-ack-number", 201));
    CHECK(t.field_feedback(*t.question("last-ack-number"), 201) == t.tr("quiz.slip_ack_is_seq"));
    CHECK(t.field_feedback(*t.question("last-ack-number"), 7) == t.tr("quiz.hint_ack"));
    CHECK(t.hidden().fields.empty());  // a committed answer: the views may show it
}

TEST_CASE("step flow: the run's generation changes when a knob rebuilds it in place") {
    Tutor t = test::gate_tutor();
    const std::uint64_t before = t.run_generation();
    const LadderData old_ladder = build_ladder(t.sim());
    const void* address = &t.run();
    REQUIRE(t.set_knob("latency", "19ms").empty());
    CHECK(&t.run() == address);  // the same object: an address says nothing
    CHECK(t.run_generation() != before);
    const LadderData new_ladder = build_ladder(t.sim());
    REQUIRE_FALSE(new_ladder.arrows.empty());
    CHECK(new_ladder.arrows.back().arrives.us != old_ladder.arrows.back().arrives.us);
    const std::uint64_t after_knob = t.run_generation();
    t.set_profile(Profile::Rfc);
    CHECK(t.run_generation() != after_knob);
}

}  // namespace finwave::web

namespace finwave::web {

TEST_CASE("code blocks: a line wider than the pane wraps after a space, never losing a character") {
    auto width = [](std::string_view s) { return static_cast<float>(s.size()); };  // one unit a byte
    const std::string line = "CLOSED > SYN-SENT > ESTABLISHED > FIN-WAIT-1 > FIN-WAIT-2 > TIME-WAIT > CLOSED";
    const auto parts = wrap_code_line(line, 24, width);
    REQUIRE(parts.size() > 1);
    std::string joined;
    for (auto p : parts) {
        CHECK(width(p) <= 24);
        CHECK_FALSE(p.empty());
        joined += p;
    }
    CHECK(joined == line);
    CHECK(parts[0] == "CLOSED > SYN-SENT > ");
    // No space to break at: between characters; a too-narrow pane still makes progress.
    CHECK(wrap_code_line("abcdefghij", 4, width).size() == 3);
    CHECK(wrap_code_line("abc", 0, width).size() == 3);
    CHECK(wrap_code_line("", 10, width).size() == 1);
}

}  // namespace finwave::web
