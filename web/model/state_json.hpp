// window.finwave.state(): the model as JSON, for tests and embedding pages.
#pragma once

#include <string>
#include <string_view>

#include "tutor.hpp"

namespace finwave::web {

// `extra` is appended inside the top-level object: "key":value pairs the
// app adds (widget rectangles, frame timings), or empty.
std::string state_json(const Tutor& tutor, std::string_view extra);

}  // namespace finwave::web
