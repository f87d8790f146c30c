#include "conformance.hpp"

#include <span>

#include <nlohmann/json.hpp>

#include "finwave/builtin.hpp"
#include "finwave/fingerprint.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::web {

namespace generated {
std::span<const EmbeddedText> conformance_report();
}

namespace {

std::string string_at(const nlohmann::json& obj, const char* key) {
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ConformanceReport parse_conformance_report(std::string_view text) {
    ConformanceReport r;
    // Parsed without exceptions: a damaged report means "nothing checked".
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return r;
    r.kernel = string_at(doc, "kernel");
    r.date = string_at(doc, "date");
    const auto scenarios = doc.find("scenarios");
    if (r.kernel.empty() || scenarios == doc.end() || !scenarios->is_object()) return r;
    for (const auto& [name, entry] : scenarios->items()) {
        if (!entry.is_object()) continue;
        const auto ok = entry.find("passed");
        CheckedScenario c{string_at(entry, "scenario_hash"), string_at(entry, "knobs_hash")};
        if (ok != entry.end() && ok->is_boolean() && ok->get<bool>() && !c.scenario_hash.empty() && !c.knobs_hash.empty())
            r.passed.emplace(name, std::move(c));
    }
    return r;
}

const ConformanceReport& compiled_conformance_report() {
    static const ConformanceReport report = [] {
        const auto files = generated::conformance_report();
        return files.empty() ? ConformanceReport{} : parse_conformance_report(files.front().text);
    }();
    return report;
}

std::optional<std::string> linux_checked(std::string_view builtin_name) {
    const auto& r = compiled_conformance_report();
    if (r.passed.find(builtin_name) == r.passed.end()) return std::nullopt;
    return r.kernel;
}

std::string unchanged_builtin(const Scenario& s) {
    if (!s.base.empty()) return s.base_modified ? std::string() : s.base;
    // Free play runs a built-in as it is, under its own name.
    return find_builtin(s.name) ? s.name : std::string();
}

const char* to_string(LinuxMiss m) {
    switch (m) {
        case LinuxMiss::None: return "checked";
        case LinuxMiss::NotChecked: return "not_checked";
        case LinuxMiss::Edited: return "edited";
        case LinuxMiss::ScenarioChanged: return "scenario_changed";
        case LinuxMiss::KnobsChanged: return "knobs_changed";
    }
    return "?";
}

LinuxCheck check_run(const ConformanceReport& report, std::string_view name, std::string_view text, const Knobs& knobs) {
    LinuxCheck c{std::string(name), report.kernel, report.date, LinuxMiss::None};
    const auto it = report.passed.find(name);
    if (it == report.passed.end()) c.miss = LinuxMiss::NotChecked;
    else if (fingerprint(text) != it->second.scenario_hash) c.miss = LinuxMiss::ScenarioChanged;
    else if (knobs_fingerprint(knobs) != it->second.knobs_hash) c.miss = LinuxMiss::KnobsChanged;
    return c;
}

std::optional<LinuxCheck> current_linux_status(const Tutor& t) {
    const Scenario* sc = nullptr;
    std::string name;
    if (t.in_sandbox()) {
        name = t.sandbox_scenario();
    } else if (const Lesson* l = t.lesson()) {
        // The scenario in effect is the latest one at or before this step.
        for (std::size_t k = t.step_index() + 1; k-- > 0;) {
            if (k < l->steps.size() && l->steps[k].scenario) {
                sc = &*l->steps[k].scenario;
                break;
            }
        }
        if (!sc) return std::nullopt;
        name = unchanged_builtin(*sc);
        if (name.empty() && !sc->base.empty() && compiled_conformance_report().passed.count(sc->base))
            return LinuxCheck{sc->base, compiled_conformance_report().kernel, compiled_conformance_report().date, LinuxMiss::Edited};
    }
    const auto text = find_builtin(name);
    if (name.empty() || !text || !t.has_sim()) return std::nullopt;
    LinuxCheck c = check_run(compiled_conformance_report(), name, *text, t.sim().knobs());
    if (c.miss == LinuxMiss::NotChecked) return std::nullopt;
    return c;
}

std::optional<LinuxCheck> current_linux_check(const Tutor& t) {
    auto c = current_linux_status(t);
    if (!c || c->miss != LinuxMiss::None) return std::nullopt;
    return c;
}

}  // namespace finwave::web
