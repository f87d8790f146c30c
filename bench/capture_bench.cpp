// The capture for the `finwave explain` benchmark (scripts/bench-explain.sh):
// N lossy closes (first-fin-lost: the client's FIN is lost once and sent
// again) run by the engine, each on its own port pair, one starting every
// SPACING ms, all written into one pcap as the client host would capture
// them. Frames are written in time order through a small window, so making
// the file takes little memory too.
//
//   finwave_capture_bench N SPACING_MS OUT.pcap
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>

#include <pcap/pcap.h>

#include "finwave/builtin.hpp"
#include "finwave/capture.hpp"
#include "finwave/simulation.hpp"

using namespace finwave;

namespace {

struct Pending {
    std::int64_t t_us;
    std::uint64_t order;
    std::vector<std::uint8_t> bytes;
    bool operator>(const Pending& o) const { return t_us != o.t_us ? t_us > o.t_us : order > o.order; }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: finwave_capture_bench N SPACING_MS OUT.pcap\n");
        return 2;
    }
    const long n = std::atol(argv[1]);
    const long spacing_us = std::atol(argv[2]) * 1000;
    auto parsed = load_builtin("first-fin-lost");
    if (!std::holds_alternative<Scenario>(parsed)) return 1;
    const Scenario& sc = std::get<Scenario>(parsed);
    auto knobs = resolve_knobs(sc, Profile::Linux, {});
    if (!std::holds_alternative<Knobs>(knobs)) return 1;

    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_MICRO);
    pcap_dumper_t* out = dead ? pcap_dump_open(dead, argv[3]) : nullptr;
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", argv[3]);
        return 1;
    }
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> window;
    std::uint64_t order = 0, frames = 0;
    auto flush_before = [&](std::int64_t t) {
        while (!window.empty() && window.top().t_us < t) {
            const Pending& p = window.top();
            pcap_pkthdr h{};
            h.ts.tv_sec = static_cast<time_t>(p.t_us / 1000000);
            h.ts.tv_usec = static_cast<suseconds_t>(p.t_us % 1000000);
            h.caplen = h.len = static_cast<bpf_u_int32>(p.bytes.size());
            pcap_dump(reinterpret_cast<u_char*>(out), &h, p.bytes.data());
            ++frames;
            window.pop();
        }
    };
    for (long i = 0; i < n; ++i) {
        const std::int64_t start = i * spacing_us;
        flush_before(start);
        Simulation sim(sc, std::get<Knobs>(knobs), static_cast<std::uint64_t>(i) + 1);
        sim.run();
        auto options = capture::default_options(Side::Client, capture::IpVersion::V4);
        // Ports above the ones with dissectors of their own, so that tshark reads TCP only.
        options.client.port = static_cast<std::uint16_t>(20000 + i % 40000);
        options.server.port = static_cast<std::uint16_t>(8000 + i / 40000);
        auto captured = capture::capture_frames(sim.trace(), options);
        if (!std::holds_alternative<std::vector<capture::CapturedFrame>>(captured)) return 1;
        for (auto& f : std::get<std::vector<capture::CapturedFrame>>(captured)) window.push({start + f.t.us, order++, std::move(f.bytes)});
    }
    flush_before(INT64_MAX);
    pcap_dump_close(out);
    pcap_close(dead);
    std::printf("%ld connections, %llu frames in %s\n", n, static_cast<unsigned long long>(frames), argv[3]);
    return 0;
}
