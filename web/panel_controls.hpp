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
    // How draw_actions() lays out in `width`: `lead` (the spacing, the
    // separator and the sides' titles) above `rows` lines of buttons, each
    // `row` high including the spacing under it.
    struct ActionsLayout {
        float lead = 0, row = 0, padding = 0;
        float spacing = 0;  // under the last row: not part of the pane
        int rows = 0;
        float height() const { return lead + static_cast<float>(rows) * row - spacing + padding; }
        // The height of the lead and of as many whole rows as fit in `room` (0: none fit).
        float fitting(float room) const;
    };
    ActionsLayout actions_layout(const Tutor& m, float width) const;
};

}  // namespace finwave::web
