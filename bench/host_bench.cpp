// Busy-host benchmark: a server taking 10,000 connections/s for 60 s of
// virtual time (600,000 connections), each a pair of engine endpoints.
// Prints the time to simulate, the speed against real time, peak memory and
// what one TIME-WAIT socket costs. A benchmark, not a test: nothing here
// passes or fails; scripts/bench-host.sh runs it natively and under node.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#if defined(__EMSCRIPTEN__)
#else
#include <sys/resource.h>
#endif

#include "finwave/host.hpp"
#include "finwave/scenario.hpp"

using namespace finwave;
using Clock = std::chrono::steady_clock;

namespace {

// The whole process: WebAssembly's linear memory only grows, so its size
// now is its peak; natively the peak resident set.
double process_peak_mib() {
#if defined(__EMSCRIPTEN__)
    return static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0 / (1024.0 * 1024.0);
#else
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
#endif
}

}  // namespace

int main(int argc, char** argv) {
    // The ports of the whole unprivileged range, so that 10,000 connections/s
    // do not run out of them; the server closes, so TIME-WAIT is the server's.
    std::string rate = argc > 1 ? argv[1] : "10000";
    std::string seconds = argc > 2 ? argv[2] : "60";
    const std::string text = "scenario bench-host\n"
                             "workload rate " + rate + "/s for " + seconds + "s request 200 response 1400 closer server\n"
                             "host client port_range=1024-65535\n"
                             "host server tw_buckets=262144\n"
                             "until " + seconds + "s\n";
    auto parsed = parse_scenario(text, "bench-host");
    if (auto* e = std::get_if<ParseError>(&parsed)) {
        std::fprintf(stderr, "bench-host: %s\n", e->to_string().c_str());
        return 2;
    }
    const Scenario& sc = std::get<Scenario>(parsed);
    const Knobs knobs = defaults_for(Profile::Linux);
    const double before_mib = process_peak_mib();
    HostModel::Options opts;
    opts.until = sc.until;
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();
    HostModel m(sc.host, knobs, 1, 0.0, opts);
    std::size_t peak_tw = 0;
    for (const Instant stop = m.end(); m.now() < stop;) {
        m.run_until(m.now() + Duration::seconds(1));
        peak_tw = std::max(peak_tw, m.time_wait_sockets(Side::Server));
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    // On a shared machine the wall time counts the other processes too.
    const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    const double virt = static_cast<double>(m.now().us) / 1e6;
    const HostCounters& c = m.counters(Side::Client);
    const HostCounters& s = m.counters(Side::Server);
    std::printf("workload: %s connections/s for %s s virtual, closer server, port_range 1024-65535\n", rate.c_str(), seconds.c_str());
    std::printf("connections: %llu connected, %llu responses, %llu EADDRNOTAVAIL\n", static_cast<unsigned long long>(c.connected),
                static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.eaddrnotavail));
    std::printf("time-wait at the end: %zu on the server (peak %zu); %llu ended by a new SYN\n", m.time_wait_sockets(Side::Server), peak_tw,
                static_cast<unsigned long long>(s.tw_taken_by_syn));
    std::printf("events: %llu\n", static_cast<unsigned long long>(m.events_processed()));
    std::printf("simulate: %.3f s wall for %.1f s virtual = %.1fx faster than real time\n", wall, virt, virt / wall);
    std::printf("simulate: %.3f s of CPU time (clock()) = %.1fx faster than real time; %.3f us per event\n", cpu, virt / cpu,
                cpu * 1e6 / static_cast<double>(m.events_processed()));
    std::printf("memory: model peak %.2f MiB (its own count); process peak %.2f MiB (%s; %.2f MiB before the run)\n",
                static_cast<double>(m.peak_memory_bytes()) / (1024.0 * 1024.0), process_peak_mib(),
#if defined(__EMSCRIPTEN__)
                "WebAssembly linear memory",
#else
                "max resident set",
#endif
                before_mib);
    std::printf("per TIME-WAIT socket: %zu bytes (the record in its deadline-ordered list + its free-list slot)\n", HostModel::bytes_per_time_wait_socket());
    std::printf("problems: %zu\n", m.problems().size());
    return m.problems().empty() ? 0 : 1;
}
