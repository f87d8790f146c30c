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
    // A small frame in another page: the toolbar as icons (their names in
    // tooltips), without the speed's label or pausing at each change of
    // state, so that the ladder keeps the height.
    bool compact = false;

    Commands draw_toolbar(const Tutor& m);
    Commands draw_actions(const Tutor& m);
    // The height draw_actions() needs at this width.
    float actions_height(const Tutor& m, float width) const;
};

}  // namespace finwave::web
