// What the learner has answered, kept across reloads (localStorage) as
// versioned JSON. Anything that is not exactly this format is discarded
// whole, with a reason to show: a saved state is never trusted in part.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "finwave/review.hpp"

namespace finwave::web {

struct QuestionRecord {
    bool correct = false;
    bool first_try = false;  // right at the first attempt
    int attempts = 0;
    bool operator==(const QuestionRecord&) const = default;
};

struct Progress {
    // Version 2 added the spaced-review schedule; version 1 still loads
    // (with an empty schedule).
    static constexpr int kVersion = 2;
    static constexpr std::string_view kFormat = "finwave-progress";
    // lesson id -> question id -> record
    std::map<std::string, std::map<std::string, QuestionRecord>, std::less<>> lessons;
    // The practice schedule, in the terminal quiz's text format
    // (finwave/review.hpp), so all three keep one schedule format.
    review::Schedule review;

    std::string to_json() const;
    bool operator==(const Progress&) const = default;
};

struct ProgressLoad {
    Progress progress;
    // Set when saved text existed but was discarded: why, for the learner.
    std::optional<std::string> discarded_because;
};
ProgressLoad load_progress(std::string_view saved);

}  // namespace finwave::web
