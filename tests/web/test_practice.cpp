#include <doctest/doctest.h>

#include <algorithm>

#include "finwave/practice.hpp"
#include "helpers.hpp"
#include "progress.hpp"
#include "startup.hpp"

using namespace finwave::web;
using finwave::practice::Exercise;

namespace {

bool has_notice(const Tutor& t, std::string_view key) {
    return std::any_of(t.notices().begin(), t.notices().end(), [&](const Alert& a) { return a.key == key; });
}

int wrong_choice(const Tutor& t) {
    const auto* q = t.question(kPracticeQuestion);
    const int right = t.right_choice(*q);
    return right == 0 ? 1 : 0;
}

}  // namespace

TEST_CASE("practice: ?practice=SEED&level=L opens the exercise finwave practice prints, on its own run") {
    Tutor t(test::repo_catalog(), builtin_strings());
    start(t, {"?practice=40&level=2", "", "", "en"});
    CHECK(t.notices().empty());
    REQUIRE(t.practice_exercise());
    const Exercise& ex = *t.practice_exercise();
    const Exercise same = finwave::practice::generate(40, 2);
    CHECK(ex.scenario == same.scenario);
    CHECK(ex.answer == same.answer);
    CHECK(location_query(t) == "?lang=en&practice=40&level=2");
    // The ladder holds what the exercise shows and nothing after it.
    const auto reference = finwave::practice::simulate(ex);
    for (const auto& e : t.sim().trace()) {
        CHECK(ex.shown_inclusive ? e.t <= ex.shown_until : e.t < ex.shown_until);
    }
    std::size_t before = 0;
    for (const auto& e : reference.trace()) before += (ex.shown_inclusive ? e.t <= ex.shown_until : e.t < ex.shown_until) ? 1 : 0;
    CHECK(t.sim().trace().size() == before);
    CHECK(t.at_step_end());  // Play has nothing to run before the answer
    REQUIRE(t.question(kPracticeQuestion));
    CHECK(t.right_choice(*t.question(kPracticeQuestion)) >= 0);
}

TEST_CASE("practice: bad parameters become notices and the first lesson opens") {
    for (const char* q : {"?practice=abc", "?practice=-3", "?practice=5&level=7", "?practice=5&level=x", "?level=2"}) {
        CAPTURE(q);
        Tutor t(test::repo_catalog(), builtin_strings());
        start(t, {q, "", "", "en"});
        CHECK_FALSE(t.in_practice());
        CHECK(t.lesson_id() == t.catalog().entries().front().id);
        CHECK((has_notice(t, "notice.bad_practice") || has_notice(t, "notice.bad_practice_level") || has_notice(t, "notice.level_without_practice")));
    }
}

TEST_CASE("practice: a state question hides every state until the answer") {
    // Find an exercise that asks for a state at a moment (show_states off).
    std::uint64_t seed = 0;
    for (std::uint64_t s = 1; s < 400 && !seed; ++s)
        if (!finwave::practice::generate(s, 1).show_states) seed = s;
    REQUIRE(seed);
    Tutor t(test::repo_catalog(), builtin_strings());
    t.open_practice(seed, 1);
    Hidden h = t.hidden();
    CHECK(h.state[0]);
    CHECK(h.state[1]);
    // Every state name of either side, not only the one asked: the other
    // side's FIN-WAIT-2 badge would tell the asked side's state too.
    using finwave::Side;
    using finwave::State;
    for (State st : {State::Established, State::FinWait1, State::FinWait2, State::CloseWait, State::LastAck, State::TimeWait,
                     State::Closed}) {
        CHECK(h.names(Side::Client, st));
        CHECK(h.names(Side::Server, st));
    }
    t.answer_choice(kPracticeQuestion, wrong_choice(t));
    CHECK(t.hidden().state[0]);  // a retry must not read the answer off the views
    t.answer_choice(kPracticeQuestion, t.right_choice(*t.question(kPracticeQuestion)));
    h = t.hidden();
    CHECK_FALSE(h.any());
}

TEST_CASE("practice: wrong comes back in the session, right is scheduled later, the schedule survives a reload") {
    Tutor t(test::repo_catalog(), builtin_strings());
    const long today = *finwave::review::parse_date("2026-12-01");
    t.set_today(today);
    start(t, {"?practice=12&level=1", "", "", "en"});
    const std::string card = practice_card_id(*t.practice_exercise());
    CHECK(t.practice_due() == 0);
    REQUIRE(t.answer_choice(kPracticeQuestion, wrong_choice(t)));
    CHECK(t.schedule().cards.at(card).box == 1);
    CHECK(t.schedule().cards.at(card).due == today);
    CHECK(t.practice_due() == 1);
    // A right retry in the same showing does not move it up.
    t.answer_choice(kPracticeQuestion, t.right_choice(*t.question(kPracticeQuestion)));
    CHECK(t.schedule().cards.at(card).box == 1);
    CHECK(t.score(t.catalog().entries().front().id).attempted == 0);  // no lesson's score changes

    REQUIRE(t.open_next_practice());
    CHECK(t.lesson_id() == card);  // the only due card comes back
    CHECK(t.question_open(*t.question(kPracticeQuestion)));
    REQUIRE(t.answer_choice(kPracticeQuestion, t.right_choice(*t.question(kPracticeQuestion))));
    CHECK(t.schedule().cards.at(card).box == 2);
    CHECK(t.schedule().cards.at(card).due == today + 1);
    CHECK(t.practice_due() == 0);

    const std::string saved = t.progress_json();
    Tutor again(test::repo_catalog(), builtin_strings());
    start(again, {"", "", saved, "en"});
    CHECK_FALSE(has_notice(again, "notice.progress_discarded"));
    CHECK(again.schedule() == t.schedule());
    // Opened again by its link before it is due: extra practice, the date stays.
    REQUIRE(again.in_practice() == false);
    again.set_today(today);
    REQUIRE(again.open_practice(12, 1));
    again.answer_choice(kPracticeQuestion, wrong_choice(again));
    CHECK(again.schedule() == t.schedule());

    // With nothing due, the next one is a new exercise of today's.
    REQUIRE(t.open_next_practice());
    CHECK(t.in_practice());
    CHECK(t.lesson_id() != card);
}

TEST_CASE("progress: a version 1 state still loads; a broken schedule is discarded with a reason") {
    const ProgressLoad old = load_progress(R"({"format":"finwave-progress","version":1,"lessons":{"a":{"q":{"correct":true,"first_try":true,"attempts":1}}}})");
    CHECK_FALSE(old.discarded_because);
    CHECK(old.progress.lessons.at("a").at("q").correct);
    CHECK(old.progress.review.cards.empty());
    const ProgressLoad bad = load_progress(R"({"format":"finwave-progress","version":2,"lessons":{},"review":"finwave-quiz-review 1\npractice:1:3 box 8 due x"})");
    REQUIRE(bad.discarded_because);
    CHECK(bad.discarded_because->find("review:2") != std::string::npos);
}

TEST_CASE("practice: the app's run is the generator's run, up to each exercise's moment (300 seeds x 3 levels)") {
    Tutor t(test::repo_catalog(), builtin_strings());
    for (int level = 1; level <= 3; ++level) {
        for (std::uint64_t seed = 1; seed <= 300; ++seed) {
            CAPTURE(seed);
            CAPTURE(level);
            REQUIRE(t.open_practice(seed, level));
            REQUIRE(t.sim_error().empty());
            const Exercise& ex = *t.practice_exercise();
            const auto reference = finwave::practice::simulate(ex);
            const auto& got = t.sim().trace();
            std::size_t expected = 0;
            for (const auto& e : reference.trace()) expected += (ex.shown_inclusive ? e.t <= ex.shown_until : e.t < ex.shown_until) ? 1 : 0;
            REQUIRE(got.size() == expected);
            for (std::size_t i = 0; i < got.size(); ++i) {
                CHECK(got[i].t == reference.trace()[i].t);
                CHECK(got[i].kind == reference.trace()[i].kind);
                CHECK(got[i].side == reference.trace()[i].side);
            }
            // Every question can be answered in the app: a choice that is the
            // answer, or a number box for a number.
            const finwave::Question* q = t.question(kPracticeQuestion);
            REQUIRE(q);
            if (ex.choices.empty()) CHECK(q->answer_number.has_value());
            else CHECK(q->answer_index >= 0);
        }
    }
}
