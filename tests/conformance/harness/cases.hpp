// Which built-in scenarios are checked against the kernel, and how.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finwave::conformance {

struct TextEdit {
    std::string from, to;  // must occur exactly once in the scenario text
};

struct CaseSpec {
    std::string_view scenario;
    // Applied identically to the engine and the kernel run:
    std::vector<std::pair<std::string, std::string>> knobs;  // like --set knob=value
    std::vector<TextEdit> edits;                             // shorten waits the kernel cannot skip
    std::string_view why;             // why the overrides, and any trick the kernel needs
    std::string_view not_comparable;  // non-empty: not run on the kernel, and why
};

// One entry per built-in scenario (the harness fails on a scenario without one).
const std::vector<CaseSpec>& cases();

}  // namespace finwave::conformance
