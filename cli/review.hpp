// The terminal quiz's edge of the spaced review (finwave/review.hpp): its
// file on disk and the system's date.
#pragma once

#include <optional>
#include <string>

#include "finwave/review.hpp"

namespace finwave {

// Reads FILE; a missing file is an empty schedule. A file that is not a
// schedule of this format gives `error` ("FILE:LINE: what") and nothing.
std::optional<review::Schedule> load_review(const std::string& path, std::string& error);
// Writes through a temporary file and a rename, so a failed write never
// leaves half a schedule. False with `error` when it cannot.
bool save_review(const std::string& path, const review::Schedule& s, std::string& error);

long today_days();  // the system's date (UTC)

// Where the terminal quiz keeps its schedule by default:
// $XDG_DATA_HOME/finwave/quiz-review.txt, else ~/.local/share/finwave/quiz-review.txt.
std::string default_review_path();

}  // namespace finwave
