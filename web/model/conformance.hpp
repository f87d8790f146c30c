// Which built-in scenarios were found identical to the real Linux kernel by
// the conformance harness (tests/conformance/), so the app can say so.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "finwave/scenario.hpp"

namespace finwave::web {

// The kernel release a built-in scenario was checked against, if it passed.
std::optional<std::string> linux_checked(std::string_view builtin_name);

// The built-in a running scenario is, when it is one unchanged (a lesson's
// `use NAME` with no lines of its own, or free play), else empty.
std::string unchanged_builtin(const Scenario& s);

class Tutor;

struct LinuxCheck {
    std::string scenario;  // the built-in
    std::string kernel;    // the release it was checked on
};
// For what the learner sees now: the step's (or free play's) scenario, if it
// is an unchanged built-in that passed the kernel comparison.
std::optional<LinuxCheck> current_linux_check(const Tutor& t);

}  // namespace finwave::web
