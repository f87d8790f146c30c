// Spaced review shared by the terminal quiz, the browser and the desktop app:
// Leitner boxes over card ids, and the small versioned text format they are
// kept in. No I/O here: the callers read and write the text (a file, the
// browser's local storage) and pass in today's date.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace finwave::review {

struct Card {
    int box = 1;         // 1..5
    long due = 0;        // days since 1970-01-01
    int right = 0, wrong = 0;
    bool operator==(const Card&) const = default;
};

// Card ids: "practice:LEVEL:SEED" or "lesson:ID/QUESTION".
struct Schedule {
    std::map<std::string, Card> cards;
    bool operator==(const Schedule&) const = default;
};

// Days between a right answer that moved a card to `box_after` and its next review.
int interval_days(int box_after);

// The one rule of the schedule: right moves the card up a box and waits
// longer; wrong sends it back to box 1, due today (the session asks it again).
void record_answer(Card& c, bool right, long today);

// Cards due on `today` or earlier.
std::size_t due_count(const Schedule& s, long today);

// "finwave-quiz-review 1" then one card a line. `source` names where the
// text came from in error messages ("FILE:LINE: what"). Empty text is an
// empty schedule.
std::optional<Schedule> parse(const std::string& text, const std::string& source, std::string& error);
std::string serialize(const Schedule& s);

// "2026-12-01" <-> days since 1970-01-01 (proleptic Gregorian).
std::optional<long> parse_date(const std::string& s);
std::string format_date(long days);

}  // namespace finwave::review
