// The tutor's practice: generated exercises opened as a two-step lesson
// (practice_lesson.hpp) and the spaced-review schedule kept in the progress.
#include "finwave/practice.hpp"
#include "tutor.hpp"

namespace finwave::web {

bool Tutor::open_practice(std::uint64_t seed, int level) {
    if (level < 0 || level > 3) return false;
    const practice::Exercise ex = practice::generate(seed, level);
    std::array<std::string, kLangCount> titles;
    for (std::size_t i = 0; i < kLangCount; ++i)
        if (const Lesson* l = catalog_.lesson(ex.lesson, static_cast<Lang>(i))) titles[i] = l->title;
    practice_ = make_practice_lesson(ex, *strings_, titles);
    // Each showing is asked afresh: a card that comes back is a new try.
    const std::string id = practice_->by_lang[0].id;
    quiz_.erase(id + "/" + std::string(kPracticeQuestion));
    return open_lesson(id, 0);
}

bool Tutor::open_next_practice() {
    const std::string open = in_practice() ? lesson_id_ : std::string();
    std::optional<std::string> pick;
    for (const auto& [id, card] : progress_.review.cards) {
        if (card.due > today_ || id == open) continue;
        if (parse_practice_card(id) || id.starts_with("lesson:")) {
            pick = id;
            break;
        }
    }
    if (!pick && !open.empty() && progress_.review.cards.count(open) && progress_.review.cards.at(open).due <= today_) pick = open;
    if (pick) {
        if (auto card = parse_practice_card(*pick)) return open_practice(card->first, card->second);
        // "lesson:ID/QUESTION": the terminal's kind of card, opened on its question.
        const std::string rest = pick->substr(7);
        const auto slash = rest.find('/');
        if (slash != std::string::npos && open_lesson(rest.substr(0, slash), 0)) {
            if (auto step = step_of_question(rest.substr(slash + 1))) go_step(*step);
            return true;
        }
    }
    // Nothing due: today's new exercises, as the terminal's quiz numbers them.
    for (std::uint64_t i = 0; i < 1000; ++i) {
        const std::uint64_t seed = static_cast<std::uint64_t>(today_) * 1000 + i;
        const practice::Exercise ex = practice::generate(seed, 0);
        if (!progress_.review.cards.count(practice_card_id(ex))) return open_practice(seed, 0);
    }
    return false;
}

Hidden Tutor::practice_hidden() const {
    Hidden h;
    const Question* q = question(kPracticeQuestion);
    // Hidden until the right answer: after a wrong one the learner tries
    // again (the schedule has taken the first answer already), so the views
    // must not show the answer to the retry either.
    if (!q || quiz(q->id).correct || quiz(q->id).skipped || step_ != 0) return h;
    const practice::Exercise& ex = practice_->exercise;
    const auto side = static_cast<std::size_t>(ex.side);
    if (!ex.show_states) {
        h.state = {true, true};
        h.every_state = true;
        if (const auto st = parse_state(ex.answer)) h.state_value[side] = *st;
        // Which timers run names the state too (the FIN-WAIT-2 timer).
        h.timers = {true, true};
    }
    // Only the asked side's retransmission timers may be on screen, and
    // only when the exercise shows them.
    h.timers[1 - side] = true;
    if (!ex.show_timers) h.timers[side] = true;
    return h;
}

}  // namespace finwave::web
