// Next to the close: the handshake's retries, the RTO in kernel ticks,
// keepalive's give-up, an out-of-order FIN, the initial window and the orphan
// limit. Each case is reached through real transitions (a scenario and
// application calls) and named by state and event.
#include <algorithm>

#include "helpers.hpp"

using namespace finwave;
using namespace finwave::test;

namespace {
std::vector<std::int64_t> send_times_ms(const Simulation& sim, Side side, std::uint8_t flags) {
    std::vector<std::int64_t> out;
    for (const auto* e : sends_matching(sim, side, flags)) out.push_back(e->t.us / 1000);
    return out;
}

// Data segments per round trip: a new flight starts when a segment leaves
// at a time later than the previous one.
std::vector<int> flights(const Simulation& sim, Side side) {
    std::vector<int> out;
    Instant last{};
    for (const auto* e : sends_matching(sim, side, 0)) {
        if (e->len == 0) continue;
        if (out.empty() || e->t != last) out.push_back(0);
        ++out.back();
        last = e->t;
    }
    return out;
}
}  // namespace

TEST_CASE("SYN-SENT, every SYN lost, linux: 5 retransmissions 1 s apart, then doubling; ETIMEDOUT at 131 s") {
    const Simulation sim = run_builtin("connect-timeout");
    CHECK(send_times_ms(sim, Side::Client, flag::SYN) ==
          std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000});
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->t == at_ms(131000));
    CHECK(closed->from == State::SynSent);
    CHECK(closed->cause == Cause::GiveUp);
    CHECK(has_notice(sim, Side::Client, Notice::TimedOut));
}

TEST_CASE("SYN-SENT, every SYN lost, linux, syn_retries=2: the time budget of 7 s ends it after 5 retransmissions") {
    const Simulation sim = run_builtin("connect-timeout", Profile::Linux, {{"syn_retries", "2"}});
    CHECK(send_times_ms(sim, Side::Client, flag::SYN) == std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000});
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->t == at_ms(7000));
}

TEST_CASE("SYN-SENT, every SYN lost, syn_linear_timeouts=0: doubling from the first timeout") {
    const Simulation sim = run_builtin("connect-timeout", Profile::Linux, {{"syn_linear_timeouts", "0"}, {"syn_retries", "3"}});
    CHECK(send_times_ms(sim, Side::Client, flag::SYN) == std::vector<std::int64_t>{0, 1000, 3000, 7000});
    CHECK(first_state_change(sim, Side::Client, State::Closed)->t == at_ms(15000));
}

TEST_CASE("SYN-SENT, every SYN lost, rfc: syn_retries doubling retransmissions, no linear ones") {
    const Simulation sim = run_builtin("connect-timeout", Profile::Rfc);
    CHECK(send_times_ms(sim, Side::Client, flag::SYN) ==
          std::vector<std::int64_t>{0, 1000, 3000, 7000, 15000, 31000, 63000});
}

TEST_CASE("SYN-RECEIVED, repeated SYN, linux: the SYN-ACK is sent again at once, no bare ACK") {
    const Simulation sim = run_builtin("synack-lost");
    CHECK(has_note(sim, Side::Server, Note::RepeatedSyn));
    // The first SYN-ACK at 310 ms (lost), the second at once when the
    // repeated SYN arrives at 1010 ms: not 1 s after the first.
    CHECK(send_times_ms(sim, Side::Server, flag::SYN | flag::ACK) == std::vector<std::int64_t>{310, 1010});
    const auto segs = sent(sim);
    CHECK(std::find(segs.begin(), segs.end(), "server A 1 1 0") == segs.end());
    CHECK(states(sim, Side::Client) == std::vector<State>{State::Closed, State::SynSent, State::Established, State::FinWait1,
                                                            State::TimeWait, State::Closed});
}

TEST_CASE("SYN-RECEIVED, repeated SYN, rfc: the unacceptable segment is answered with an ACK (RFC 9293 3.10.7.4)") {
    const Simulation sim = run_builtin("synack-lost", Profile::Rfc);
    CHECK_FALSE(has_note(sim, Side::Server, Note::RepeatedSyn));
    const auto segs = sent(sim);
    CHECK(std::find(segs.begin(), segs.end(), "server A 1 1 0") != segs.end());
}

TEST_CASE("SYN-RECEIVED, every SYN-ACK lost: synack_retries retransmissions at 1, 3, 7, 15, 31 s, then dropped") {
    const Simulation sim = run_text(
        "scenario t\nat 0 server listen\nat 0 client connect\ndrop client SYN #2+\ndrop server SYN every\nuntil 70s\n");
    CHECK(send_times_ms(sim, Side::Server, flag::SYN | flag::ACK) ==
          std::vector<std::int64_t>{10, 1010, 3010, 7010, 15010, 31010});
    const TraceEvent* gone = first_state_change(sim, Side::Server, State::Closed);
    REQUIRE(gone != nullptr);
    CHECK(gone->from == State::SynReceived);
    CHECK(gone->t == at_ms(63010));
    const Simulation two = run_text(
        "scenario t\nset synack_retries=2\nat 0 server listen\nat 0 client connect\ndrop client SYN #2+\ndrop server SYN every\nuntil 70s\n");
    CHECK(send_times_ms(two, Side::Server, flag::SYN | flag::ACK) == std::vector<std::int64_t>{10, 1010, 3010});
    CHECK(first_state_change(two, Side::Server, State::Closed)->t == at_ms(7010));
}

TEST_CASE("FIN-WAIT-1, orphan retries 0 at 50 us one way: the RTO is 204 ms in ticks, so 10 FINs, not 11") {
    const Simulation sim = run_builtin("orphan-retries-default", Profile::Linux, {{"latency", "50us"}});
    const auto fins = send_times_ms(sim, Side::Client, flag::FIN);
    CHECK(fins.size() == 10);
    // 200.1 ms rounded up to 51 jiffies of 4 ms: retransmissions 204 ms x 2^k apart.
    CHECK(fins.back() == 52424);  // the tail loss probe at 404 ms: 2 x SRTT is one tick too
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->t.us / 1000 == 104648);
    // Without ticks the RTO is 200.1 ms: 510 of them stay under the 102.2 s
    // budget and the timer doubles once more.
    const Simulation no_tick = run_builtin("orphan-retries-default", Profile::Linux, {{"latency", "50us"}, {"tick", "0"}});
    CHECK(send_times_ms(no_tick, Side::Client, flag::FIN).size() == 11);
}

TEST_CASE("CLOSE-WAIT, keepalive probes unanswered: RST with SND.NXT and RCV.NXT; the peer in FIN-WAIT-2 goes CLOSED") {
    const Simulation sim = run_builtin("keepalive-dead-peer");
    CHECK(send_times_ms(sim, Side::Server, flag::RST) == std::vector<std::int64_t>{16210});
    const auto rsts = sends_matching(sim, Side::Server, flag::RST);
    REQUIRE(rsts.size() == 1);
    CHECK(seg_string(*rsts.front()) == "server RA 1 102 0");
    const TraceEvent* closed = first_state_change(sim, Side::Server, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->from == State::CloseWait);
    CHECK(closed->cause == Cause::KeepaliveTimeout);
    CHECK(has_note(sim, Side::Server, Note::KeepaliveGiveUp));
    CHECK_FALSE(has_note(sim, Side::Server, Note::GiveUpRetries));
    CHECK(states(sim, Side::Client).back() == State::Closed);
    CHECK(first_state_change(sim, Side::Client, State::Closed)->from == State::FinWait2);
}

TEST_CASE("ESTABLISHED, keepalive probes lost: RST, the application sees ETIMEDOUT, the peer ECONNRESET") {
    // Both sides probe after 5 s of silence; only the client's probes are lost.
    const Simulation sim = run_text(
        "scenario t\nset keepalive=on keepalive_time=5s keepalive_intvl=1s keepalive_probes=2\n"
        "at 0 server listen\nat 0 client connect\nat 100ms client send 10\ndrop client ack #3+\nuntil 20s\n");
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->from == State::Established);
    CHECK(closed->cause == Cause::KeepaliveTimeout);
    CHECK(closed->t == at_ms(7120));  // 5 s idle, 2 probes 1 s apart, 1 s more
    const auto rsts = sends_matching(sim, Side::Client, flag::RST);
    REQUIRE(rsts.size() == 1);
    CHECK(seg_string(*rsts.front()) == "client RA 11 1 0");
    CHECK(has_notice(sim, Side::Client, Notice::TimedOut));
    CHECK(has_notice(sim, Side::Server, Notice::Reset));
    CHECK(states(sim, Side::Server).back() == State::Closed);
}

TEST_CASE("ESTABLISHED, FIN out of order: an immediate duplicate ACK; the gap filled: an immediate ACK") {
    const Simulation sim = run_builtin("fin-before-data");
    const auto acks = sends_matching(sim, Side::Server, flag::ACK);
    std::vector<std::string> after_fin;
    for (const auto* e : acks)
        if (e->t >= at_ms(210) && e->t < at_ms(232)) after_fin.push_back(seg_string(*e) + " @" + std::to_string(e->t.us / 1000));
    CHECK(after_fin == std::vector<std::string>{"server A 1 101 0 @210", "server A 1 402 0 @212"});
    CHECK(has_note(sim, Side::Server, Note::OutOfOrder));
    // No needless FIN retransmission by the client.
    CHECK(sends_matching(sim, Side::Client, flag::FIN).size() == 1);
}

TEST_CASE("initial window, linux: 10 segments in the first flight (the SYN's ACK opens nothing), then 20, then 39") {
    const Simulation sim = run_text(
        "scenario t\nat 0 server listen\nat 0 client connect\nat 50ms client send 100000\nat 500ms client close\n");
    CHECK(flights(sim, Side::Client) == std::vector<int>{10, 20, 39});
    const Simulation builtin = run_builtin("initial-window");
    CHECK(flights(builtin, Side::Client) == std::vector<int>{10, 6});
}

TEST_CASE("initial window, rfc: 3 segments for an MSS of 1460 (RFC 5681 3.1)") {
    const Simulation sim = run_builtin("initial-window", Profile::Rfc);
    REQUIRE_FALSE(flights(sim, Side::Client).empty());
    CHECK(flights(sim, Side::Client).front() == 3);
}

TEST_CASE("ESTABLISHED, close() with more orphans than max_orphans: FIN, then RST, CLOSED at once") {
    const Simulation sim = run_builtin("rst-too-many-orphans");
    const auto segs = sent(sim);
    const auto fin = std::find(segs.begin(), segs.end(), "client FA 101 201 0");
    REQUIRE(fin != segs.end());
    REQUIRE(fin + 1 != segs.end());
    CHECK(*(fin + 1) == "client RA 102 201 0");
    const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->from == State::FinWait1);
    CHECK(closed->cause == Cause::TooManyOrphans);
    CHECK(closed->t == at_ms(200));
    CHECK(has_note(sim, Side::Client, Note::TooManyOrphans));
    CHECK(states(sim, Side::Server).back() == State::Closed);
}

TEST_CASE("ESTABLISHED, close() with as many orphans as max_orphans: the graceful close") {
    const Simulation sim = run_builtin("rst-too-many-orphans", Profile::Linux, {{"host_orphans", "0"}});
    CHECK(sends_matching(sim, Side::Client, flag::RST).empty());
    CHECK(first_state_change(sim, Side::Client, State::FinWait2) != nullptr);
}

TEST_CASE("CLOSE-WAIT, close() with too many orphans: LAST-ACK, then RST") {
    Simulation sim = established(Profile::Linux, {{"max_orphans", "3"}, {"host_orphans", "4"}});
    call(sim, Side::Client, AppCallKind::Shutdown);
    run_for(sim, ms(100));
    REQUIRE(sim.endpoint(Side::Server).state() == State::CloseWait);
    call(sim, Side::Server, AppCallKind::Close);
    CHECK(states(sim, Side::Server).back() == State::Closed);
    const TraceEvent* closed = first_state_change(sim, Side::Server, State::Closed);
    REQUIRE(closed != nullptr);
    CHECK(closed->from == State::LastAck);
    CHECK(closed->cause == Cause::TooManyOrphans);
}

TEST_CASE("FIN-WAIT-2 after shutdown(), close() with too many orphans: no RST (the kernel checks only states with a FIN out)") {
    Simulation sim = established(Profile::Linux, {{"max_orphans", "0"}, {"host_orphans", "5"}});
    call(sim, Side::Client, AppCallKind::Shutdown);
    run_for(sim, ms(100));
    REQUIRE(sim.endpoint(Side::Client).state() == State::FinWait2);
    call(sim, Side::Client, AppCallKind::Close);
    CHECK(sim.endpoint(Side::Client).state() == State::FinWait2);
    CHECK(sends_matching(sim, Side::Client, flag::RST).empty());
}

TEST_CASE("ESTABLISHED, data with FIN out of order: one duplicate ACK, not two; the gap filled: one ACK for all") {
    // 10 segments fill the initial window; the last 300 bytes and the FIN
    // leave together once ACKs come back, and overtake the delayed 10th.
    const Simulation sim = run_text(
        "scenario t\nat 0 server listen\nat 0 client connect\nat 50ms client send 14900\nat 50ms client close\n"
        "delay client data #10 +30ms\n");
    const auto fins = sends_matching(sim, Side::Client, flag::FIN);
    REQUIRE(fins.size() == 1);
    CHECK(fins.front()->len == 300);
    const Instant fin_arrives = fins.front()->t + ms(10);
    std::vector<std::string> answers;
    for (const auto* e : sends_matching(sim, Side::Server, flag::ACK))
        if (e->t >= fin_arrives && e->t < at_ms(95)) answers.push_back(seg_string(*e));
    CHECK(answers == std::vector<std::string>{"server A 1 13141 0", "server A 1 14902 0"});
}
