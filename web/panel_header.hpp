// The bar across the top: the app's name, the language switch, keyboard help.
#pragma once

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct HeaderPanel {
    bool compact = false;  // narrow screen: no subtitle
    Commands draw(const Tutor& m);
};

}  // namespace finwave::web
