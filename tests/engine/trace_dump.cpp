// Prints the full JSON-lines trace of every built-in scenario in both
// profiles, and of a batch of seeded random lossy closes. Built natively and
// for WASM, the two outputs must be byte-identical (scripts/test.sh).
#include <iostream>
#include <string>

#include "finwave/builtin.hpp"
#include "finwave/trace.hpp"

using namespace finwave;

int main() {
    for (const auto& b : builtin_scenarios()) {
        for (Profile p : {Profile::Linux, Profile::Rfc}) {
            const Scenario sc = std::get<Scenario>(load_builtin(b.name));
            Simulation sim(sc, std::get<Knobs>(resolve_knobs(sc, p, {})), 1);
            sim.run();
            std::cout << "## " << b.name << " " << to_string(p) << "\n";
            write_jsonl(std::cout, sim.trace());
        }
    }
    const Scenario lossy = std::get<Scenario>(parse_scenario(
        "scenario lossy\nat 0 server listen\nat 0 client connect\nat 50ms client send 5000\nat 100ms server send 9000\n"
        "at 300ms client close\non server eof +100ms server close\nloss 20% until 20s\nduplicate any #7 +350ms\n",
        "dump"));
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
        for (Profile p : {Profile::Linux, Profile::Rfc}) {
            Simulation sim(lossy, std::get<Knobs>(resolve_knobs(lossy, p, {})), seed);
            sim.run();
            std::cout << "## lossy seed " << seed << " " << to_string(p) << "\n";
            write_jsonl(std::cout, sim.trace());
        }
    }
    return 0;
}
