// The lesson pane: the open step's text and questions with Back and Next,
// or the list of lessons (with scores, free play and load problems).
#pragma once

#include <string>
#include <vector>

#include "commands.hpp"
#include "markdown_view.hpp"
#include "panel_quiz.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct LessonPanel {
    bool show_list = false;
    bool confirm_reset = false;
    MarkdownView markdown;
    QuizView quiz;
    std::vector<ui::RichText> notice_texts;
    ui::RichText title_text;
    ui::RichText step_title_text;
    std::string shown;  // lesson/step last drawn: a new one scrolls back to the top
    // Pixels the pane's content took when last drawn, unscrolled: what the
    // page tells a host that sizes its frame to the content.
    float content_height = 0;

    Commands draw(const Tutor& m);

private:
    float pane_top_ = 0;
    void draw_notices(const Tutor& m, float width, Commands& out);
    void draw_step(const Tutor& m, Commands& out);
    void draw_practice_next(const Tutor& m, float width, Commands& out);
    void draw_list(const Tutor& m, Commands& out);
    void draw_busy_list(const Tutor& m, float inner, Commands& out);
};

}  // namespace finwave::web
