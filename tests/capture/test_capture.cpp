// A run's trace as one host's capture: which segments, when, with which numbers.
#include <doctest/doctest.h>

#include <algorithm>

#include "finwave/builtin.hpp"
#include "finwave/capture.hpp"

using namespace finwave;
using namespace finwave::capture;

namespace {

Simulation run(const Scenario& sc, const std::vector<std::pair<std::string, std::string>>& overrides = {}) {
    auto knobs = resolve_knobs(sc, sc.profile.value_or(Profile::Linux), overrides);
    REQUIRE(std::holds_alternative<Knobs>(knobs));
    Simulation sim(sc, std::get<Knobs>(knobs), sc.seed.value_or(1));
    sim.run();
    REQUIRE(sim.problems().empty());
    return sim;
}

Simulation run_builtin(std::string_view name, const std::vector<std::pair<std::string, std::string>>& overrides = {}) {
    auto parsed = load_builtin(name);
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    return run(std::get<Scenario>(parsed), overrides);
}

std::vector<CapturedFrame> frames_at(const Simulation& sim, Side at, IpVersion ip = IpVersion::V4) {
    auto frames = capture_frames(sim.trace(), default_options(at, ip));
    REQUIRE(std::holds_alternative<std::vector<CapturedFrame>>(frames));
    return std::get<std::vector<CapturedFrame>>(frames);
}

std::size_t count_seg(const std::vector<CapturedFrame>& frames, std::uint64_t id) {
    return static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(), [&](const CapturedFrame& f) { return f.seg_id == id; }));
}

const TraceEvent& first_event(const Simulation& sim, EventKind kind, std::uint8_t flags) {
    for (const auto& e : sim.trace())
        if (e.kind == kind && (e.flags & flags) == flags) return e;
    FAIL("no such event");
    return sim.trace().front();
}

std::uint16_t u16(const std::vector<std::uint8_t>& b, std::size_t at) { return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]); }
std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) { return static_cast<std::uint32_t>(u16(b, at)) << 16 | u16(b, at + 2); }

}  // namespace

TEST_CASE("first-fin-lost: the sender's capture has the FIN the link lost, the receiver's does not") {
    const Simulation sim = run_builtin("first-fin-lost");
    const TraceEvent& lost = first_event(sim, EventKind::Drop, flag::FIN);
    REQUIRE(lost.side == Side::Client);
    const auto client = frames_at(sim, Side::Client);
    const auto server = frames_at(sim, Side::Server);
    CHECK(count_seg(client, lost.seg_id) == 1);
    CHECK(count_seg(server, lost.seg_id) == 0);
    // Every other segment: once at the sender when sent, once at the receiver when delivered.
    std::size_t sends = 0, delivered = 0;
    for (const auto& e : sim.trace()) {
        sends += e.kind == EventKind::Send;
        delivered += e.kind == EventKind::Deliver;
    }
    CHECK(client.size() + server.size() == sends + delivered);
}

TEST_CASE("times are the virtual clock's: a segment leaves at its send time and arrives at its delivery time") {
    const Simulation sim = run_builtin("four-way-close");
    const TraceEvent& syn = first_event(sim, EventKind::Send, flag::SYN);
    const auto client = frames_at(sim, Side::Client);
    const auto server = frames_at(sim, Side::Server);
    REQUIRE(!client.empty());
    REQUIRE(!server.empty());
    CHECK(client.front().seg_id == syn.seg_id);
    CHECK(client.front().outgoing);
    CHECK(client.front().t == syn.t);
    CHECK(server.front().seg_id == syn.seg_id);
    CHECK(!server.front().outgoing);
    CHECK(server.front().t == syn.t + sim.knobs().latency);
}

TEST_CASE("sequence numbers are absolute: the SYN carries the ISN, the SYN-ACK acknowledges ISN+1") {
    const Simulation sim = run_builtin("four-way-close", {{"client_isn", "4294967000"}, {"server_isn", "7"}});
    const auto client = frames_at(sim, Side::Client);
    REQUIRE(client.size() >= 2);
    const auto& syn = client[0].bytes;
    const auto& synack = client[1].bytes;
    CHECK(syn[47] == tcp_bit::SYN);
    CHECK(u32(syn, 38) == 4294967000u);
    CHECK(synack[47] == (tcp_bit::SYN | tcp_bit::ACK));
    CHECK(u32(synack, 38) == 7);
    CHECK(u32(synack, 42) == 4294967001u);
    CHECK(u16(syn, 34) == 40000);
    CHECK(u16(syn, 36) == 8000);
    CHECK(u16(synack, 34) == 8000);
}

TEST_CASE("a copy the link makes reaches the receiver twice with the packet's own IP ID; a retransmission is a new packet") {
    const Simulation sim = run_builtin("time-wait-rst-assassination");
    const TraceEvent& dup = first_event(sim, EventKind::Duplicate, 0);
    const auto sender = frames_at(sim, dup.side);
    const auto receiver = frames_at(sim, peer_of(dup.side));
    CHECK(count_seg(sender, dup.seg_id) == 1);
    std::vector<std::uint16_t> ids;
    for (const auto& f : receiver)
        if (f.seg_id == dup.seg_id) ids.push_back(u16(f.bytes, 18));
    REQUIRE(ids.size() == 2);
    CHECK(ids[0] == ids[1]);

    const Simulation lossy = run_builtin("first-fin-lost");
    std::vector<std::uint16_t> fin_ids;
    for (const auto& f : frames_at(lossy, Side::Client))
        if (f.outgoing && (f.bytes[47] & tcp_bit::FIN)) fin_ids.push_back(u16(f.bytes, 18));
    REQUIRE(fin_ids.size() == 2);
    CHECK(fin_ids[0] != fin_ids[1]);
}

TEST_CASE("an injected segment is on the receiver's capture only: its pretended sender never sent it") {
    auto parsed = parse_scenario(R"(scenario inject-old-fin
at 0 server listen
at 0 client connect
at 100ms client close
on server eof server close
at 1s inject to client [FIN, ACK] seq=RCV.NXT-1
)",
                                 "inject.scenario");
    REQUIRE(std::holds_alternative<Scenario>(parsed));
    const Simulation sim = run(std::get<Scenario>(parsed));
    std::uint64_t injected = 0;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Send && e.injected) injected = e.seg_id;
    REQUIRE(injected != 0);
    CHECK(count_seg(frames_at(sim, Side::Client), injected) == 1);
    CHECK(count_seg(frames_at(sim, Side::Server), injected) == 0);
}

TEST_CASE("IPv6: the same segments in the same order, in IPv6 frames") {
    const Simulation sim = run_builtin("four-way-close");
    const auto v4 = frames_at(sim, Side::Server, IpVersion::V4);
    const auto v6 = frames_at(sim, Side::Server, IpVersion::V6);
    REQUIRE(v4.size() == v6.size());
    for (std::size_t i = 0; i < v4.size(); ++i) {
        CHECK(v4[i].seg_id == v6[i].seg_id);
        CHECK(v4[i].t == v6[i].t);
        CHECK(u16(v6[i].bytes, 12) == 0x86dd);
    }
}
