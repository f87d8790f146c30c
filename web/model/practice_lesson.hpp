// A generated exercise (finwave/practice.hpp) as a lesson the player opens
// on the live simulation: step 1 shows the story, the knobs and the run up to
// the question's moment and asks; step 2 plays the rest of the run. What the
// views must hide until the learner commits comes from the exercise itself
// (Tutor::hidden()), so predict -> observe -> explain holds as in a lesson.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finwave/lesson.hpp"
#include "finwave/practice.hpp"
#include "strings.hpp"

namespace finwave::web {

struct PracticeLesson {
    practice::Exercise exercise;
    std::array<Lesson, kLangCount> by_lang;  // by Lang
};

// The card id the schedule keeps it under: "practice:LEVEL:SEED".
std::string practice_card_id(const practice::Exercise& ex);
// The seed and level of a card id; nothing for another kind of card.
std::optional<std::pair<std::uint64_t, int>> parse_practice_card(std::string_view id);

// `lesson_titles` (by Lang) name the lesson that teaches the rule, for the
// pointer after the answer; empty when the catalog has no such lesson.
PracticeLesson make_practice_lesson(const practice::Exercise& ex, const UiStrings& strings,
                                    const std::array<std::string, kLangCount>& lesson_titles);

// The id of the practice step's one question.
inline constexpr std::string_view kPracticeQuestion = "exercise";

}  // namespace finwave::web
