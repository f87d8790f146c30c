// A question inside a lesson step, drawn as a card: the prompt, the options
// (or a number field, or items to put in order), then the feedback.
#pragma once

#include <map>
#include <string>

#include "commands.hpp"
#include "tutor.hpp"
#include "ui.hpp"

namespace finwave::web {

struct QuizView {
    // Per question: the text being typed into a field question.
    std::map<std::string, std::string, std::less<>> typed;
    std::map<std::string, bool, std::less<>> typed_invalid;
    // Laid-out text, by "question/part".
    std::map<std::string, ui::RichText, std::less<>> texts;
    // Attempts seen per question: a new answer's feedback is scrolled into view once.
    std::map<std::string, int, std::less<>> seen_attempts;

    void draw(const Tutor& m, const Question& q, float width, Commands& out);

private:
    ui::RichText& text(const std::string& key) { return texts[key]; }
    void draw_choices(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out);
    void draw_field(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out);
    void draw_order(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out);
    void draw_feedback(const Tutor& m, const Question& q, const QuizEntry& e, float width, Commands& out);
};

}  // namespace finwave::web
