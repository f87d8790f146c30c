// finwave explain FILE: a capture's TCP connections, state by state.
#pragma once

#include <string>
#include <vector>

namespace finwave {

int cmd_explain(std::vector<std::string> args);

}  // namespace finwave
