// The generated report: docs/conformance.md for people, assets/conformance.json
// for the app ("checked against Linux" on the scenarios that pass).
#pragma once

#include <string>
#include <vector>

#include "compare.hpp"

namespace finwave::conformance {

struct ScenarioResult {
    std::string name;
    std::string description;
    bool run = false;           // false: not comparable (reason) or could not run (error)
    bool passed = false;
    std::string reason;         // not comparable: why
    std::string error;          // the run or its translation failed
    std::string how;            // overrides and tricks
    std::vector<std::string> overrides;  // "fin_timeout=3s", "'+70s' -> '+5s'"
    std::vector<std::string> translation;  // notes from the translation
    Comparison comparison;
    std::int64_t cut_us = 0;
    double seconds = 0;         // wall time of the kernel run
    int delay_ms = 0;
    std::string scenario_hash;  // fingerprint() of the built-in's text as shipped
    std::string knobs_hash;     // knobs_fingerprint() of its knobs in the linux profile
};

struct ReportInfo {
    std::string kernel;        // uname -r
    std::string machine;       // uname -m, CPUs
    std::string generated;     // UTC date and time
    std::string date;          // UTC date (YYYY-MM-DD)
    std::string command;
    double total_seconds = 0;
    Tolerances tol;
};

std::string markdown_report(const ReportInfo& info, const std::vector<ScenarioResult>& results);
std::string json_report(const ReportInfo& info, const std::vector<ScenarioResult>& results);
// The one line printed per scenario.
std::string summary_line(const ScenarioResult& r);

}  // namespace finwave::conformance
