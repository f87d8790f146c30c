// The RFC 9293 state diagram, drawn from transition_table(): both sides'
// states highlighted in their colours, each side's last edge lit.
#pragma once

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct DiagramPanel {
    Commands draw(const Tutor& m);
};

}  // namespace finwave::web
