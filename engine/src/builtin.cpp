#include "finwave/builtin.hpp"

#include <string>

namespace finwave {

namespace generated {
std::span<const BuiltinScenario> scenarios();
std::span<const BuiltinScenario> host_scenarios();
}

std::span<const BuiltinScenario> builtin_scenarios() { return generated::scenarios(); }

std::optional<std::string_view> find_builtin(std::string_view name) {
    for (const auto& b : builtin_scenarios())
        if (b.name == name) return b.text;
    return std::nullopt;
}

std::variant<Scenario, ParseError> load_builtin(std::string_view name) {
    const auto text = find_builtin(name);
    if (!text) return ParseError{"builtin", 0, "no built-in scenario named '" + std::string(name) + "' (see 'finwave scenarios')"};
    return parse_scenario(*text, "builtin:" + std::string(name));
}

std::span<const BuiltinScenario> builtin_host_scenarios() { return generated::host_scenarios(); }

std::optional<std::string_view> find_host_builtin(std::string_view name) {
    for (const auto& b : builtin_host_scenarios())
        if (b.name == name) return b.text;
    return std::nullopt;
}

std::variant<Scenario, ParseError> load_host_builtin(std::string_view name) {
    const auto text = find_host_builtin(name);
    if (!text) return ParseError{"builtin", 0, "no built-in busy-host scenario named '" + std::string(name) + "'"};
    return parse_scenario(*text, "builtin:" + std::string(name));
}

}  // namespace finwave
