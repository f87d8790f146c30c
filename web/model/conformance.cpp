#include "conformance.hpp"

#include <map>
#include <span>

#include <nlohmann/json.hpp>

#include "finwave/builtin.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::web {

namespace generated {
std::span<const EmbeddedText> conformance_report();
}

namespace {

std::map<std::string, std::string, std::less<>> load() {
    std::map<std::string, std::string, std::less<>> passed;
    const auto files = generated::conformance_report();
    if (files.empty()) return passed;
    // Parsed without exceptions: a damaged report means "nothing checked".
    const auto doc = nlohmann::json::parse(files.front().text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return passed;
    for (const auto& [name, entry] : doc.items()) {
        if (!entry.is_object()) continue;
        const auto ok = entry.find("passed");
        const auto kernel = entry.find("kernel");
        if (ok != entry.end() && ok->is_boolean() && ok->get<bool>() && kernel != entry.end() && kernel->is_string())
            passed.emplace(name, kernel->get<std::string>());
    }
    return passed;
}

}  // namespace

std::optional<std::string> linux_checked(std::string_view builtin_name) {
    static const auto passed = load();
    const auto it = passed.find(builtin_name);
    if (it == passed.end()) return std::nullopt;
    return it->second;
}

std::string unchanged_builtin(const Scenario& s) {
    if (!s.base.empty()) return s.base_modified ? std::string() : s.base;
    // Free play runs a built-in as it is, under its own name.
    return find_builtin(s.name) ? s.name : std::string();
}

std::optional<LinuxCheck> current_linux_check(const Tutor& t) {
    std::string name;
    if (t.in_sandbox()) {
        name = t.sandbox_scenario();
    } else if (const Lesson* l = t.lesson()) {
        // The scenario in effect is the latest one at or before this step.
        for (std::size_t k = t.step_index() + 1; k-- > 0;) {
            if (k < l->steps.size() && l->steps[k].scenario) {
                name = unchanged_builtin(*l->steps[k].scenario);
                break;
            }
        }
    }
    if (name.empty()) return std::nullopt;
    auto kernel = linux_checked(name);
    if (!kernel) return std::nullopt;
    return LinuxCheck{name, *kernel};
}

}  // namespace finwave::web
