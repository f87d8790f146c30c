// The one place where commands change the model, whether they come from a
// panel, a keyboard shortcut or window.finwave.command().
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct Reply {
    bool ok = true;
    std::string message;  // why it failed, in English (the API's language)
};

Reply apply_command(Tutor& tutor, const Command& c);

// The text form used by window.finwave.command(), e.g. "lesson states-step-by-step 2",
// "call client close", "drop 8", "answer gate-2017 D", "rewind 3". Documented in
// web/finwave_api.js.
std::variant<Command, std::string> parse_command(std::string_view text, const Tutor& tutor);

}  // namespace finwave::web
