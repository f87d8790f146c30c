// Each side's timers as live countdowns in virtual time.
#pragma once

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct TimersPanel {
    Commands draw(const Tutor& m);
    // The pane's height: a title, a heading row and one row per timer.
    static float height();
};

}  // namespace finwave::web
