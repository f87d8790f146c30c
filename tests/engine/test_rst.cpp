// Abortive release: when RST is sent, with which numbers, and what it does on arrival.
#include "helpers.hpp"

using namespace finwave;
using namespace finwave::test;

TEST_CASE("close() with unread data sends RST+ACK with SND.NXT, not FIN") {
    const Simulation sim = run_builtin("rst-unread-data");
    const auto rsts = sends_matching(sim, Side::Server, flag::RST);
    REQUIRE(rsts.size() == 1);
    CHECK(seg_string(*rsts[0]) == "server RA 1 101 0");
    CHECK(sends_matching(sim, Side::Server, flag::FIN).empty());
    CHECK(first_state_change(sim, Side::Server, State::Closed)->cause == Cause::AppCloseUnread);
    CHECK(has_notice(sim, Side::Client, Notice::Reset));
    CHECK(first_state_change(sim, Side::Client, State::TimeWait) == nullptr);
}

TEST_CASE("SO_LINGER 0: RST, and nobody enters TIME-WAIT") {
    const Simulation sim = run_builtin("rst-linger-zero");
    const auto rsts = sends_matching(sim, Side::Client, flag::RST);
    REQUIRE(rsts.size() == 1);
    CHECK(seg_string(*rsts[0]) == "client RA 101 201 0");
    CHECK(first_state_change(sim, Side::Client, State::TimeWait) == nullptr);
    CHECK(first_state_change(sim, Side::Server, State::TimeWait) == nullptr);
    CHECK(first_state_change(sim, Side::Server, State::Closed)->cause == Cause::RcvRst);
}

TEST_CASE("data for a socket closed with close(): RST with seq = the segment's ACK") {
    const Simulation sim = run_builtin("rst-data-after-close");
    const auto rsts = sends_matching(sim, Side::Client, flag::RST);
    REQUIRE(rsts.size() == 1);
    CHECK(seg_string(*rsts[0]) == "client R 102 0 0");
    CHECK(first_state_change(sim, Side::Client, State::Closed)->cause == Cause::RcvDataAfterClose);
    CHECK(first_state_change(sim, Side::Server, State::Closed)->cause == Cause::RcvRst);
}

TEST_CASE("CLOSE-WAIT: RST -> CLOSED; linux tells the application EPIPE, the RFC 'connection reset'") {
    // Kernel evidence: tests/conformance (rst-data-after-close) and
    // docs/linux-measurements.md j5: after a RST in CLOSE-WAIT, read()
    // returns 0 and send() / SO_ERROR give EPIPE.
    auto notices = [](const Simulation& sim) {
        std::vector<std::string> out;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Notify && e.side == Side::Server && (e.notice == Notice::Reset || e.notice == Notice::Error))
                out.push_back(e.notice == Notice::Reset ? "ECONNRESET" : errno_name(e.error));
        return out;
    };
    SUBCASE("linux") {
        Simulation sim = run_builtin("rst-data-after-close");
        CHECK(notices(sim) == std::vector<std::string>{"EPIPE"});
        call(sim, Side::Server, AppCallKind::Send, 10);
        CHECK(notices(sim) == std::vector<std::string>{"EPIPE", "EPIPE"});
    }
    SUBCASE("rfc") {
        const Simulation sim = run_builtin("rst-data-after-close", Profile::Rfc);
        CHECK(notices(sim) == std::vector<std::string>{"ECONNRESET"});
    }
}

TEST_CASE("after shutdown() the same data is accepted: half-close is not close") {
    const Simulation sim = run_text(R"(scenario shutdown-then-data
at 0 server listen
at 0 client connect
at 200ms client shutdown
on server eof +100ms server send 500
)");
    CHECK(sends_matching(sim, Side::Client, flag::RST).empty());
    CHECK(sim.bytes_delivered(Side::Client) == 500);
}

TEST_CASE("a segment for no connection: RST with seq = SEG.ACK; without ACK, seq 0 and ACK = SEG.SEQ + SEG.LEN") {
    SUBCASE("data after the server host lost its state") {
        const Simulation sim = run_builtin("rst-no-connection");
        const auto rsts = sends_matching(sim, Side::Server, flag::RST);
        REQUIRE(rsts.size() == 1);
        CHECK(seg_string(*rsts[0]) == "server R 201 0 0");
        CHECK(has_note(sim, Side::Server, Note::NoConnection));
        CHECK(has_notice(sim, Side::Client, Notice::Reset));
    }
    SUBCASE("a SYN to a port nobody listens on: connection refused") {
        const Simulation sim = run_text("scenario refused\nat 0 client connect\n");
        const auto rsts = sends_matching(sim, Side::Server, flag::RST);
        REQUIRE(rsts.size() == 1);
        CHECK(flag_letters(rsts[0]->flags) == "RA");
        CHECK(rsts[0]->seq == 0);
        CHECK(rsts[0]->ack == 1);  // the SYN's sequence number + 1
        CHECK(has_notice(sim, Side::Client, Notice::Refused));
        CHECK(sim.endpoint(Side::Client).state() == State::Closed);
    }
    SUBCASE("a RST for no connection is never answered") {
        Simulation sim = established();
        call(sim, Side::Server, AppCallKind::Crash);
        call(sim, Side::Client, AppCallKind::Abort);
        run_for(sim, ms(100));
        CHECK(has_note(sim, Side::Server, Note::RstForNoConnection));
        CHECK(sends_matching(sim, Side::Server, flag::RST).empty());
    }
}

TEST_CASE("RST arriving in each closing state ends the connection") {
    // Reach each state through real transitions, then abort the peer.
    SUBCASE("FIN-WAIT-2") {
        Simulation sim = established();
        call(sim, Side::Client, AppCallKind::Shutdown);
        run_for(sim, ms(100));
        REQUIRE(sim.endpoint(Side::Client).state() == State::FinWait2);
        call(sim, Side::Server, AppCallKind::Abort);
        run_for(sim, ms(20));
        CHECK(sim.endpoint(Side::Client).state() == State::Closed);
        CHECK(first_state_change(sim, Side::Client, State::Closed)->cause == Cause::RcvRst);
    }
    SUBCASE("CLOSE-WAIT") {
        Simulation sim = established();
        call(sim, Side::Server, AppCallKind::Shutdown);
        run_for(sim, ms(100));
        REQUIRE(sim.endpoint(Side::Client).state() == State::CloseWait);
        call(sim, Side::Server, AppCallKind::Abort);
        run_for(sim, ms(20));
        CHECK(sim.endpoint(Side::Client).state() == State::Closed);
    }
    SUBCASE("LAST-ACK") {
        Simulation sim = established(Profile::Linux, {}, "drop server FIN every\n");
        call(sim, Side::Client, AppCallKind::Shutdown);
        run_for(sim, ms(100));
        call(sim, Side::Server, AppCallKind::Close);
        run_for(sim, ms(5));
        REQUIRE(sim.endpoint(Side::Server).state() == State::LastAck);
        call(sim, Side::Client, AppCallKind::Abort);
        run_for(sim, ms(20));
        CHECK(sim.endpoint(Side::Server).state() == State::Closed);
        CHECK(first_state_change(sim, Side::Server, State::Closed)->cause == Cause::RcvRst);
    }
    SUBCASE("CLOSING") {
        // Both FINs cross; the ACKs are lost so both stay in CLOSING.
        Simulation sim = established(Profile::Linux, {}, "drop ack in CLOSING every\n");
        call(sim, Side::Client, AppCallKind::Close);
        call(sim, Side::Server, AppCallKind::Close);
        run_for(sim, ms(15));
        REQUIRE(sim.endpoint(Side::Client).state() == State::Closing);
        REQUIRE(sim.endpoint(Side::Server).state() == State::Closing);
        // A host crash on the server side, then its stack answers the
        // client's retransmitted FIN with a RST.
        call(sim, Side::Server, AppCallKind::Crash);
        run_for(sim, Duration::seconds(2));
        CHECK(sim.endpoint(Side::Client).state() == State::Closed);
        CHECK(first_state_change(sim, Side::Client, State::Closed)->from == State::Closing);
        CHECK(first_state_change(sim, Side::Client, State::Closed)->cause == Cause::RcvRst);
    }
    SUBCASE("FIN-WAIT-1 (FIN lost)") {
        Simulation sim = established(Profile::Linux, {}, "drop client FIN every\n");
        call(sim, Side::Client, AppCallKind::Shutdown);
        run_for(sim, ms(5));
        REQUIRE(sim.endpoint(Side::Client).state() == State::FinWait1);
        call(sim, Side::Server, AppCallKind::Abort);
        run_for(sim, ms(20));
        CHECK(sim.endpoint(Side::Client).state() == State::Closed);
    }
}

TEST_CASE("TIME-WAIT assassination: a RST ends TIME-WAIT unless rfc1337 is on") {
    SUBCASE("rfc1337 off (Linux default)") {
        const Simulation sim = run_builtin("time-wait-rst-assassination");
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(closed);
        CHECK(closed->from == State::TimeWait);
        CHECK(closed->cause == Cause::RcvRst);
        CHECK(closed->t < Instant{} + Duration::seconds(10));
    }
    SUBCASE("rfc1337 on: the RST is ignored and TIME-WAIT runs its course") {
        const Simulation sim = run_builtin("time-wait-rst-assassination", Profile::Linux, {{"rfc1337", "on"}});
        CHECK(has_note(sim, Side::Client, Note::RstIgnoredRfc1337));
        const TraceEvent* closed = first_state_change(sim, Side::Client, State::Closed);
        REQUIRE(closed);
        CHECK(closed->cause == Cause::TimeoutTimeWait);
    }
}

TEST_CASE("TIME-WAIT protects a new incarnation of the port pair from old duplicates") {
    SUBCASE("with TIME-WAIT: the old copy dies harmlessly, the new connection gets exactly its own bytes") {
        const Simulation sim = run_builtin("time-wait-protects-new-connection");
        CHECK_FALSE(has_note(sim, Side::Server, Note::DataFromOldIncarnation));
        CHECK(sim.bytes_delivered(Side::Server) == 300);
        CHECK(sim.endpoint(Side::Server).incarnation() == 2);
    }
    SUBCASE("without TIME-WAIT: the old bytes are taken as the new connection's data") {
        const Simulation sim = run_builtin("time-wait-protects-new-connection", Profile::Linux, {{"time_wait", "0"}});
        CHECK(has_note(sim, Side::Server, Note::DataFromOldIncarnation));
        CHECK(has_notice(sim, Side::Server, Notice::CorruptData));
        // ... and the client's real bytes are then discarded as a "duplicate":
        // of the 300 bytes the server reads, 100 are the old connection's.
        CHECK(sim.bytes_delivered(Side::Server) == 300);
        CHECK(sim.bytes_corrupt(Side::Server) == 100);
        CHECK(sim.bytes_written(Side::Client) == 300);
    }
}

TEST_CASE("old duplicate accepted unread after a RST and a reconnect: no false invariant violation") {
    // The server does not read; the client resets and reconnects; an old copy
    // of its second 100 bytes lands in the new connection's sequence space
    // and is accepted as data nobody ever reads. The simulator once took
    // those bytes off an unsigned "delivered" count of 0 and reported
    // "delivered 18446744073709551516 bytes but the peer wrote only 200".
    const Simulation sim = run_text(R"(scenario old-duplicate-unread
set isn_step=100
at 0 server listen
at 0 server autoread off
at 0 client connect
at 50ms client send 100
at 100ms client send 100
duplicate client data #2 +2s
at 200ms client abort
on client CLOSED +10ms client connect
until 5s
)");
    CHECK(sim.problems().empty());
    CHECK(has_notice(sim, Side::Server, Notice::CorruptData));
    CHECK(sim.bytes_corrupt(Side::Server) == 100);
    CHECK(sim.bytes_delivered(Side::Server) == 0);
    CHECK(sim.bytes_written(Side::Client) == 200);
}

TEST_CASE("RST sequence numbers are validated (RFC 5961): in window but not exact draws a challenge ACK") {
    Simulation sim = established();
    // Drive the server's send window so a RST from it lands inside the
    // client's window but not at RCV.NXT: the server sends 1000 bytes the
    // client never receives, then aborts.
    Fault f;
    f.action = FaultAction::Drop;
    f.pattern.from = Side::Server;
    f.pattern.data = true;
    f.first = 1;
    f.last = 0;
    sim.add_fault(f);
    call(sim, Side::Server, AppCallKind::Send, 1000);
    call(sim, Side::Server, AppCallKind::Abort);
    run_for(sim, ms(15));
    CHECK(has_note(sim, Side::Client, Note::RstChallengeAck));
    CHECK(sim.endpoint(Side::Client).state() == State::Established);
    // A genuine peer has no connection any more and answers the challenge
    // ACK with a RST at exactly RCV.NXT, which is accepted.
    run_for(sim, ms(30));
    CHECK(sim.endpoint(Side::Client).state() == State::Closed);
}

TEST_CASE("SYN-SENT: an ACK for something never sent is answered with RST <SEQ=SEG.ACK>, the connect goes on") {
    Endpoint ep(Side::Client, defaults_for(Profile::Linux), 1000);
    Actions out;
    ep.on_app_call(AppCall{AppCallKind::Connect}, Instant{}, out);
    const std::uint32_t iss = ep.view().iss;
    out.clear();
    Segment bad;
    bad.from = Side::Server;
    bad.flags = flag::ACK;
    bad.seq = 5000;
    bad.ack = iss + 100;  // beyond SND.NXT = ISS + 1 (RFC 9293 3.10.7.3)
    bad.wnd = 65535;
    ep.on_segment(bad, Instant{} + Duration::millis(10), out);
    std::vector<Segment> sent;
    bool bad_ack_note = false;
    for (const Action& a : out) {
        if (a.kind == Action::Kind::Send) sent.push_back(a.seg);
        if (a.kind == Action::Kind::Note && a.note == Note::BadAck) bad_ack_note = true;
        CHECK(a.kind != Action::Kind::StateChange);
    }
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].flags == flag::RST);
    CHECK(sent[0].seq == iss + 100);
    CHECK(bad_ack_note);
    CHECK(ep.state() == State::SynSent);
}
