// Scenario text, as `finwave run FILE` and a lesson's scenario block read it.
// A text that parses is also run (on both profiles, bounded), so that what
// the parser lets through cannot crash the engine or break its invariants.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "fail.hpp"
#include "finwave/host.hpp"
#include "finwave/scenario.hpp"
#include "finwave/simulation.hpp"

using namespace finwave;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_scenario(text, "fuzz.scenario");
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        // A refusal must say where: a line inside the text.
        if (error->message.empty() || error->line < 1) fuzz::fail("parse error without a message or line: " + error->to_string());
        return 0;
    }
    const Scenario& scenario = std::get<Scenario>(parsed);
    if (scenario.host.workload) {
        // A busy host: one virtual second of it, at a rate that keeps each input fast.
        if (scenario.host.workload->rate_per_s > 2000) return 0;
        auto knobs = resolve_knobs(scenario, scenario.profile.value_or(Profile::Linux), {});
        if (!std::holds_alternative<Knobs>(knobs)) return 0;
        HostModel::Options options;
        options.until = Duration::seconds(1);
        HostModel model(scenario.host, std::get<Knobs>(knobs), scenario.seed.value_or(1), scenario.loss, options);
        model.run();
        if (!model.problems().empty()) fuzz::fail("engine invariant broken in a busy host: " + model.problems().front());
        return 0;
    }
    for (Profile profile : {Profile::Linux, Profile::Rfc}) {
        auto knobs = resolve_knobs(scenario, profile, {});
        if (!std::holds_alternative<Knobs>(knobs)) continue;
        Simulation::Options options;
        options.max_events = 20'000;  // plenty for any close; keeps each input fast
        Simulation sim(scenario, std::get<Knobs>(knobs), scenario.seed.value_or(1), options);
        sim.run();
        // A run that never settles (keepalive answered forever, a FIN-WAIT-2
        // without a timer in the rfc profile) stops at a bound: that is the
        // scenario's doing, and the bound's note is the last problem. Every
        // problem before it is the engine's.
        const std::size_t broken = sim.problems().size() - (sim.hit_bound() ? 1 : 0);
        if (broken > 0) fuzz::fail("engine invariant broken: " + sim.problems().front());
    }
    return 0;
}
