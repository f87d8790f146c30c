// Which built-in scenarios were found identical to the real Linux kernel by
// the conformance harness (tests/conformance/), so the app can say so. The
// claim is keyed by fingerprints of the scenario's text and of its knob
// values as they were checked (assets/conformance.json): an edited scenario,
// a built-in changed since, or other knobs lose it, and the app says why.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "finwave/knobs.hpp"
#include "finwave/scenario.hpp"

namespace finwave::web {

struct CheckedScenario {
    std::string scenario_hash;  // fingerprint() of the built-in's text
    std::string knobs_hash;     // knobs_fingerprint() of its linux-profile knobs
};
struct ConformanceReport {
    std::string kernel;  // the release everything was checked on
    std::string date;    // YYYY-MM-DD
    std::map<std::string, CheckedScenario, std::less<>> passed;
};
// Parses assets/conformance.json; a damaged or older report (no
// fingerprints) checks nothing rather than failing.
ConformanceReport parse_conformance_report(std::string_view json);
// The report compiled into the app.
const ConformanceReport& compiled_conformance_report();

// The kernel release a built-in scenario was checked against, if it passed.
std::optional<std::string> linux_checked(std::string_view builtin_name);

// The built-in a running scenario is, when it is one unchanged (a lesson's
// `use NAME` with no lines of its own, or free play), else empty.
std::string unchanged_builtin(const Scenario& s);

enum class LinuxMiss {
    None,             // checked: the badge is shown
    NotChecked,       // not in the report, or it did not pass: nothing to say
    Edited,           // a lesson changes the built-in (`use NAME` plus lines)
    ScenarioChanged,  // the built-in's text is not the one that was checked
    KnobsChanged,     // knobs (settings, profile) differ from the checked ones
};
const char* to_string(LinuxMiss m);

struct LinuxCheck {
    std::string scenario;  // the built-in
    std::string kernel;    // the release it was checked on
    std::string date;
    LinuxMiss miss = LinuxMiss::None;
};
// Is a run of built-in `name` with this text and these knobs the checked one?
LinuxCheck check_run(const ConformanceReport& report, std::string_view name, std::string_view text, const Knobs& knobs);

class Tutor;
// For what the learner sees now: the step's (or free play's) scenario. Empty
// for a scenario of the lesson's own; otherwise the check, or why it misses.
std::optional<LinuxCheck> current_linux_status(const Tutor& t);
// Only a check that holds (miss == None).
std::optional<LinuxCheck> current_linux_check(const Tutor& t);

}  // namespace finwave::web
