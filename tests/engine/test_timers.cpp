// Timing facts: when retransmissions, give-ups and timeouts happen under each
// profile. The link is 10 ms each way, so the handshake measures an RTT of
// 20 ms: Linux's RTO is then 20 ms + 200 ms (rto_min) = 220 ms; the RFC's is
// clamped to its 1 s minimum.
#include "helpers.hpp"

using namespace finwave;
using namespace finwave::test;

namespace {
std::vector<std::int64_t> send_times_ms(const Simulation& sim, Side side, std::uint8_t flags) {
    std::vector<std::int64_t> out;
    for (const auto* e : sends_matching(sim, side, flags)) out.push_back(e->t.us / 1000);
    return out;
}
}  // namespace

TEST_CASE("first FIN lost, linux: a tail loss probe resends it one RTO (220 ms) later") {
    const Simulation sim = run_builtin("first-fin-lost");
    CHECK(send_times_ms(sim, Side::Client, flag::FIN) == std::vector<std::int64_t>{200, 420});
    CHECK(has_note(sim, Side::Client, Note::LossProbe));
    CHECK(states(sim, Side::Client).back() == State::Closed);
}

TEST_CASE("first FIN lost, rfc: retransmitted after the 1 s minimum RTO") {
    const Simulation sim = run_builtin("first-fin-lost", Profile::Rfc);
    CHECK(send_times_ms(sim, Side::Client, flag::FIN) == std::vector<std::int64_t>{200, 1200});
}

TEST_CASE("orphan retries, rfc: N retransmissions with doubling timeouts, then twice the last timeout, then CLOSED") {
    const Simulation sim = run_builtin("orphan-retries-exhausted", Profile::Rfc);
    // 1 s, 2 s, 4 s between retransmissions; give up 8 s after the third.
    CHECK(send_times_ms(sim, Side::Client, flag::FIN) == std::vector<std::int64_t>{200, 1200, 3200, 7200});
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->t == at_ms(15200));
    CHECK(closed->cause == Cause::GiveUp);
    CHECK(has_note(sim, Side::Client, Note::GiveUpOrphan));
    // Giving up is silent: no RST, and the server never learns.
    CHECK(sends_matching(sim, Side::Client, flag::RST).empty());
    CHECK(sim.endpoint(Side::Server).state() == State::Established);
}

TEST_CASE("orphan retries, linux: the retry count is a time budget from rto_min") {
    SUBCASE("orphan_retries=3: budget (2^4 - 1) x 200 ms = 3 s after the first retransmitted send") {
        const Simulation sim = run_builtin("orphan-retries-exhausted");
        // FIN, probe at one RTO, then RTOs of 220, 440, 880 ms.
        CHECK(send_times_ms(sim, Side::Client, flag::FIN) == std::vector<std::int64_t>{200, 420, 640, 1080, 1960});
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(closed != nullptr);
        CHECK(closed->t == at_ms(3720));  // the next expiry past 0.42 s + 3 s
    }
    SUBCASE("orphan_retries=0 means 8 on Linux, not zero: about 102 s of retrying") {
        const Simulation sim = run_builtin("orphan-retries-exhausted", Profile::Linux, {{"orphan_retries", "0"}});
        const auto fins = send_times_ms(sim, Side::Client, flag::FIN);
        CHECK(fins.size() > 8);
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(closed != nullptr);
        CHECK(closed->t.us >= (420 + 102200) * 1000LL);
        CHECK(closed->t.us < 240 * 1000000LL);
    }
    SUBCASE("a longer RTT means fewer retransmissions within the same budget") {
        const Simulation fast = run_builtin("orphan-retries-exhausted");
        const Simulation slow = run_builtin("orphan-retries-exhausted", Profile::Linux, {{"latency", "150ms"}});
        CHECK(send_times_ms(slow, Side::Client, flag::FIN).size() < send_times_ms(fast, Side::Client, flag::FIN).size());
    }
}

TEST_CASE("FIN-WAIT-2 timeout applies after close(), linux only") {
    SUBCASE("linux: CLOSED tcp_fin_timeout (60 s) after entering FIN-WAIT-2") {
        const Simulation sim = run_builtin("fin-wait-2-timeout");
        const TraceEvent* fw2 = first_state_change(sim, Side::Client, State::FinWait2);
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(fw2);
        REQUIRE(closed);
        CHECK(closed->t - fw2->t == Duration::seconds(60));
        CHECK(closed->cause == Cause::TimeoutFinWait2);
        // The server's late FIN finds no connection and draws a RST.
        CHECK(sends_matching(sim, Side::Client, flag::RST).size() == 1);
    }
    SUBCASE("a short tcp_fin_timeout is raised to 3.5 RTO") {
        const Simulation sim = run_builtin("fin-wait-2-timeout", Profile::Linux, {{"fin_timeout", "100ms"}});
        const TraceEvent* fw2 = first_state_change(sim, Side::Client, State::FinWait2);
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(fw2);
        REQUIRE(closed);
        // 3.5 x the RTO at that moment (about 220 ms, a little more once the
        // delayed ACK of the FIN has been measured as a longer RTT).
        CHECK(closed->t - fw2->t >= Duration::millis(770));
        CHECK(closed->t - fw2->t < Duration::millis(900));
    }
    SUBCASE("rfc: no FIN-WAIT-2 timer; the client waits for the server's FIN and ends in TIME-WAIT") {
        const Simulation sim = run_builtin("fin-wait-2-timeout", Profile::Rfc);
        CHECK(first_state_change(sim, Side::Client, State::TimeWait) != nullptr);
        CHECK(sends_matching(sim, Side::Client, flag::RST).empty());
    }
}

TEST_CASE("shutdown(): FIN-WAIT-2 has no timeout until close() is called") {
    const Simulation sim = run_builtin("shutdown-fin-wait-2");
    const TraceEvent* fw2 = first_state_change(sim, Side::Client, State::FinWait2);
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(fw2);
    REQUIRE(closed);
    CHECK(fw2->t < at_ms(1000));
    // close() at 150 s starts the 60 s timer.
    CHECK(closed->t == Instant{} + Duration::seconds(210));
    CHECK(closed->cause == Cause::TimeoutFinWait2);
}

TEST_CASE("TIME-WAIT lasts 60 s on Linux and 2 x MSL = 4 min in the RFC profile") {
    for (auto [p, expected] : {std::pair{Profile::Linux, Duration::seconds(60)}, std::pair{Profile::Rfc, Duration::seconds(240)}}) {
        const Simulation sim = run_builtin("four-way-close", p);
        const TraceEvent* tw = first_state_change(sim, Side::Client, State::TimeWait);
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(tw);
        REQUIRE(closed);
        CHECK(closed->t - tw->t == expected);
    }
    SUBCASE("msl sets TIME-WAIT to twice its value") {
        const Simulation sim = run_builtin("four-way-close", Profile::Rfc, {{"msl", "30s"}});
        CHECK(first_state_change(sim, Side::Client, State::Closed)->t - first_state_change(sim, Side::Client, State::TimeWait)->t ==
              Duration::seconds(60));
    }
    SUBCASE("Linux: no msl changes TIME-WAIT, time_wait does") {
        auto time_wait = [](const Simulation& sim) {
            return first_state_change(sim, Side::Client, State::Closed)->t - first_state_change(sim, Side::Client, State::TimeWait)->t;
        };
        CHECK(time_wait(run_builtin("four-way-close", Profile::Linux, {{"msl", "2min"}})) == Duration::seconds(60));
        CHECK(time_wait(run_builtin("four-way-close", Profile::Linux, {{"msl", "1s"}})) == Duration::seconds(60));
        CHECK(time_wait(run_builtin("four-way-close", Profile::Linux, {{"time_wait", "2min"}})) == Duration::seconds(120));
    }
}

TEST_CASE("fourth ACK lost: the retransmitted FIN is ACKed again and TIME-WAIT restarts") {
    const Simulation sim = run_builtin("fourth-ack-lost");
    const auto fins = sends_matching(sim, Side::Server, flag::FIN);
    REQUIRE(fins.size() == 2);
    CHECK(has_note(sim, Side::Client, Note::TimeWaitRestarted));
    // Two ACKs from the client's TIME-WAIT: the lost one and the new one.
    const auto acks = sends_matching(sim, Side::Client, flag::ACK);
    CHECK(seg_string(*acks[acks.size() - 1]) == "client A 102 202 0");
    CHECK(seg_string(*acks[acks.size() - 2]) == "client A 102 202 0");
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed);
    CHECK(closed->t == fins[1]->t + Duration::millis(10) + Duration::seconds(60));  // restarted on arrival
    CHECK(sim.endpoint(Side::Server).state() == State::Closed);
}

TEST_CASE("second ACK lost: ACKs are not retransmitted, the client's FIN is") {
    const Simulation sim = run_builtin("second-ack-lost");
    CHECK(sends_matching(sim, Side::Client, flag::FIN).size() == 2);
    CHECK(has_note(sim, Side::Server, Note::DuplicateFin));
    CHECK(states(sim, Side::Client).back() == State::Closed);
}

TEST_CASE("third FIN lost: the server waits in LAST-ACK and retransmits its FIN") {
    const Simulation sim = run_builtin("third-fin-lost");
    const auto fins = sends_matching(sim, Side::Server, flag::FIN);
    REQUIRE(fins.size() == 2);
    CHECK(fins[1]->retransmission);
    CHECK(seg_string(*fins[1]) == seg_string(*fins[0]));
}

TEST_CASE("delayed ACK: 40 ms on Linux, 200 ms in the RFC profile; it rides on the FIN when the app closes quickly") {
    for (auto [p, delay] : {std::pair{Profile::Linux, 40}, std::pair{Profile::Rfc, 200}}) {
        const Simulation sim = run_builtin("four-way-close", p);
        const TraceEvent* cw = first_state_change(sim, Side::Server, State::CloseWait);
        REQUIRE(cw);
        const TraceEvent* ack = nullptr;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Send && e.side == Side::Server && e.t >= cw->t && e.flags == flag::ACK) {
                ack = &e;
                break;
            }
        REQUIRE(ack);
        CHECK(ack->t - cw->t == Duration::millis(delay));
    }
    const Simulation three = run_builtin("three-segment-close");
    const TraceEvent* cw = first_state_change(three, Side::Server, State::CloseWait);
    for (const auto& e : three.trace())
        if (e.kind == EventKind::Send && e.side == Side::Server && e.t >= cw->t) CHECK(e.flags == (flag::FIN | flag::ACK));
}

TEST_CASE("CLOSE-WAIT has no timer of its own; keepalive can end it when the peer is gone") {
    SUBCASE("without keepalive the server stays in CLOSE-WAIT") {
        const Simulation sim = run_builtin("close-wait-leak");
        CHECK(sim.endpoint(Side::Server).state() == State::CloseWait);
        CHECK_FALSE(sim.endpoint(Side::Server).next_timeout().has_value());
    }
    SUBCASE("with keepalive, the first probe draws a RST from the vanished client") {
        const Simulation sim = run_builtin("close-wait-leak", Profile::Linux,
                                           {{"keepalive", "on"}, {"keepalive_time", "120s"}, {"keepalive_intvl", "10s"}});
        CHECK(has_note(sim, Side::Server, Note::KeepaliveProbe));
        CHECK(sim.endpoint(Side::Server).state() == State::Closed);
        const TraceEvent* closed = first_state_change(sim, Side::Server, State::Closed);
        REQUIRE(closed);
        CHECK(closed->cause == Cause::RcvRst);
    }
}
