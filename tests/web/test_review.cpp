#include <doctest/doctest.h>

#include "finwave/review.hpp"

using namespace finwave::review;

TEST_CASE("review: wrong goes back to box 1 due today, right moves up and waits longer") {
    const long today = *parse_date("2026-12-01");
    Card c;
    record_answer(c, false, today);
    CHECK(c.box == 1);
    CHECK(c.due == today);
    CHECK(c.wrong == 1);
    record_answer(c, true, today);
    CHECK(c.box == 2);
    CHECK(format_date(c.due) == "2026-12-02");
    record_answer(c, true, c.due);
    CHECK(c.box == 3);
    CHECK(format_date(c.due) == "2026-12-05");
    for (int i = 0; i < 5; ++i) record_answer(c, true, today);
    CHECK(c.box == 5);
    CHECK(c.due == today + 14);
    CHECK(c.right == 7);
}

TEST_CASE("review: the text format round-trips and counts what is due") {
    Schedule s;
    const long today = *parse_date("2026-12-01");
    s.cards["practice:2:40"] = {3, today + 3, 2, 1};
    s.cards["lesson:states-step-by-step/gate-2017"] = {1, today, 0, 1};
    s.cards["practice:1:7"] = {1, today - 4, 0, 2};
    CHECK(due_count(s, today) == 2);
    std::string error;
    const auto back = parse(serialize(s), "saved", error);
    REQUIRE(back);
    CHECK(back->cards.size() == 3);
    CHECK(back->cards.at("practice:2:40").box == 3);
    CHECK(back->cards.at("practice:2:40").due == today + 3);
    CHECK(serialize(*back) == serialize(s));
    CHECK(parse("", "saved", error)->cards.empty());
}

TEST_CASE("review: a text that is not a schedule says what and where") {
    std::string error;
    CHECK_FALSE(parse("hello\n", "saved", error));
    CHECK(error == "saved:1: not a FinWave quiz review file (it should start with 'finwave-quiz-review 1')");
    CHECK_FALSE(parse("finwave-quiz-review 2\n", "saved", error));
    CHECK(error == "saved:1: review file version 2, this finwave reads version 1");
    CHECK_FALSE(parse("finwave-quiz-review 1\npractice:1:3 box 9 due 2026-12-01 right 0 wrong 0\n", "saved", error));
    CHECK(error.starts_with("saved:2: expected 'ID box 1-5"));
    CHECK_FALSE(parse("finwave-quiz-review 1\npractice:1:3 box 1 due 2026-02-30 right 0 wrong 0\n", "saved", error));
    CHECK(error == "saved:2: '2026-02-30' is not a date (YYYY-MM-DD)");
}
