// The profile (linux or rfc) and the knobs from knob_catalog(), applied on
// top of the step's scenario.
#pragma once

#include <map>
#include <string>

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct KnobsPanel {
    Commands draw(const Tutor& m);

private:
    std::map<std::string, std::string, std::less<>> editing_;  // text being typed, by knob
};

}  // namespace finwave::web
