#include "finwave/builtin.hpp"

#include <string>

namespace finwave {

namespace generated {
std::span<const BuiltinScenario> scenarios();
std::span<const BuiltinScenario> host_scenarios();
}

namespace {

std::optional<std::string_view> find_in(std::span<const BuiltinScenario> table, std::string_view name) {
    for (const auto& b : table)
        if (b.name == name) return b.text;
    return std::nullopt;
}

// `what` names the kind ("scenario"), `hint` ends the message for an unknown name.
std::variant<Scenario, ParseError> load_from(std::span<const BuiltinScenario> table, std::string_view name,
                                             std::string_view what, std::string_view hint) {
    const auto text = find_in(table, name);
    if (!text)
        return ParseError{"builtin", 0,
                          "no built-in " + std::string(what) + " named '" + std::string(name) + "'" + std::string(hint)};
    return parse_scenario(*text, "builtin:" + std::string(name));
}

}  // namespace

std::span<const BuiltinScenario> builtin_scenarios() { return generated::scenarios(); }
std::span<const BuiltinScenario> builtin_host_scenarios() { return generated::host_scenarios(); }

std::optional<std::string_view> find_builtin(std::string_view name) { return find_in(builtin_scenarios(), name); }
std::optional<std::string_view> find_host_builtin(std::string_view name) {
    return find_in(builtin_host_scenarios(), name);
}

std::variant<Scenario, ParseError> load_builtin(std::string_view name) {
    return load_from(builtin_scenarios(), name, "scenario", " (see 'finwave scenarios')");
}
std::variant<Scenario, ParseError> load_host_builtin(std::string_view name) {
    return load_from(builtin_host_scenarios(), name, "busy-host scenario", "");
}

}  // namespace finwave
