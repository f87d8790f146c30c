// `finwave quiz`: the lessons' questions in the terminal, with the answers
// the engine computes, for practice without a browser.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace finwave {

int cmd_quiz(const std::vector<std::string>& args, std::istream& in, std::ostream& out);

}  // namespace finwave
