// The built-in scenarios: the files in engine/scenarios/, embedded at build time.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "finwave/scenario.hpp"

namespace finwave {

struct BuiltinScenario {
    std::string_view name;
    std::string_view text;
};

std::span<const BuiltinScenario> builtin_scenarios();
std::optional<std::string_view> find_builtin(std::string_view name);
// A built-in parsed; its source is reported as "builtin:NAME".
std::variant<Scenario, ParseError> load_builtin(std::string_view name);

// The busy-host scenarios (engine/scenarios/host/): a workload of many
// connections each, run by HostModel rather than by a Simulation.
std::span<const BuiltinScenario> builtin_host_scenarios();
std::optional<std::string_view> find_host_builtin(std::string_view name);
std::variant<Scenario, ParseError> load_host_builtin(std::string_view name);

}  // namespace finwave
