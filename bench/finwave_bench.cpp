// Engine benchmark: simulated events per second for the built-in scenarios,
// a bare four-way close, and a batch of seeded random lossy closes.
// Prints one line per measurement; scripts/bench.sh runs it natively and
// under node (WASM) and compares.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "finwave/builtin.hpp"
#include "finwave/simulation.hpp"

using namespace finwave;
using Clock = std::chrono::steady_clock;

namespace {

Scenario parse(std::string_view text) {
    auto r = parse_scenario(text, "bench");
    if (auto* e = std::get_if<ParseError>(&r)) {
        std::fprintf(stderr, "bench: %s\n", e->to_string().c_str());
        std::exit(2);
    }
    return std::get<Scenario>(r);
}

struct Result {
    double seconds;
    std::uint64_t runs;
    std::uint64_t events;
};

Result measure(const Scenario& sc, const Knobs& k, bool trace, std::uint64_t runs, bool vary_seed) {
    Simulation::Options opts;
    opts.record_trace = trace;
    std::uint64_t events = 0;
    std::uint64_t guard = 0;
    const auto start = Clock::now();
    for (std::uint64_t i = 0; i < runs; ++i) {
        Simulation sim(sc, k, vary_seed ? i + 1 : 1, opts);
        sim.run();
        events += sim.events_processed();
        guard += static_cast<std::uint64_t>(sim.endpoint(Side::Client).state());
    }
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    if (guard == 0xFFFFFFFFFFFFull) std::puts("");  // keep the loop observable
    return {s, runs, events};
}

void report(const char* label, const Result& r) {
    std::printf("%-44s %10.3f us/run %8.2f M events/s %8llu events/run\n", label, r.seconds * 1e6 / static_cast<double>(r.runs),
                static_cast<double>(r.events) / r.seconds / 1e6, static_cast<unsigned long long>(r.events / r.runs));
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t batch = 1000000;
    std::uint64_t reps = 20000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc) batch = std::strtoull(argv[++i], nullptr, 10);
        else if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::strtoull(argv[++i], nullptr, 10);
        else {
            std::fprintf(stderr, "usage: finwave_bench [--batch N] [--reps N]\n");
            return 2;
        }
    }

    // The close alone: a connection opened and closed with nothing else.
    const Scenario bare = parse(
        "scenario bare-four-way-close\nat 0 server listen\nat 0 client connect\nat 50ms client close\non server eof +100ms server close\n");
    const Knobs linux_knobs = defaults_for(Profile::Linux);
    report("bare four-way close, trace off", measure(bare, linux_knobs, false, reps * 10, false));
    report("bare four-way close, trace on", measure(bare, linux_knobs, true, reps * 10, false));

    for (const auto& b : builtin_scenarios()) {
        const Scenario sc = std::get<Scenario>(load_builtin(b.name));
        const Knobs k = std::get<Knobs>(resolve_knobs(sc, Profile::Linux, {}));
        report((std::string(b.name) + ", trace on").c_str(), measure(sc, k, true, reps, false));
    }

    // The batch: the same close story with 10% random loss until 20 s, a
    // different loss pattern (and ISNs) for every seed.
    const Scenario lossy = parse(
        "scenario lossy-close\nat 0 server listen\nat 0 client connect\nat 50ms client send 1000\nat 100ms server send 2000\n"
        "at 200ms client close\non server eof +100ms server close\nloss 10% until 20s\n");
    const Result r = measure(lossy, linux_knobs, false, batch, true);
    report("random lossy close (batch), trace off", r);
    std::printf("batch of %llu seeded random lossy closes: %.3f s\n", static_cast<unsigned long long>(batch), r.seconds);
    return 0;
}
