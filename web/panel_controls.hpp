// The simulation's controls: the playback toolbar above the ladder, and
// below it the applications' calls for each side and the faults.
#pragma once

#include "commands.hpp"
#include "panel_ladder.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct ControlsPanel {
    ClickFault click = ClickFault::Drop;
    int send_bytes[2] = {100, 100};

    Commands draw_toolbar(const Tutor& m);
    Commands draw_actions(const Tutor& m);
    // The height draw_actions() needs at this width.
    float actions_height(const Tutor& m, float width) const;
};

}  // namespace finwave::web
