// finwave run on a busy-host scenario (one with a 'workload' line).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>

#include "finwave/knobs.hpp"
#include "finwave/scenario.hpp"

namespace finwave::cli {

// Runs the scenario's workload and prints the socket tables over time, as
// `ss -s` and `ss -tan state STATE | wc -l` would count them, then the
// counters nstat would show. Returns the exit code.
int run_host_summary(const Scenario& sc, const Knobs& knobs, Profile profile, std::uint64_t seed,
                     std::optional<Duration> every, std::ostream& out, std::ostream& err);

}  // namespace finwave::cli
