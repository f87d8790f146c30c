// Spaced review for the terminal quiz: Leitner boxes kept in a small
// versioned text file. A wrong answer goes back to box 1 and is asked again
// in the same session; a right one moves up a box and waits longer.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace finwave {

struct Card {
    int box = 1;         // 1..5
    long due = 0;        // days since 1970-01-01
    int right = 0, wrong = 0;
};

struct ReviewFile {
    std::map<std::string, Card> cards;  // "practice:LEVEL:SEED" or "lesson:ID/QUESTION"
};

// Days between a right answer in `box` (before moving up) and the next review.
int interval_days(int box_after);

// Reads FILE; a missing file is an empty schedule. A file that is not a
// schedule of this format gives `error` ("FILE:LINE: what") and nothing.
std::optional<ReviewFile> load_review(const std::string& path, std::string& error);
// Writes through a temporary file and a rename, so a failed write never
// leaves half a schedule. False with `error` when it cannot.
bool save_review(const std::string& path, const ReviewFile& f, std::string& error);

// "2026-12-01" <-> days since 1970-01-01 (proleptic Gregorian).
std::optional<long> parse_date(const std::string& s);
std::string format_date(long days);
long today_days();  // the system's date (UTC)

// Where the terminal quiz keeps its schedule by default:
// $XDG_DATA_HOME/finwave/quiz-review.txt, else ~/.local/share/finwave/quiz-review.txt.
std::string default_review_path();

}  // namespace finwave
