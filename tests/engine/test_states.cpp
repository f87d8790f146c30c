// One test per state and event of the close, each reached through real transitions.
#include <algorithm>

#include "helpers.hpp"

using namespace finwave;
using namespace finwave::test;

TEST_CASE("ESTABLISHED: close() -> FIN-WAIT-1, FIN carries SND.NXT and the current ACK") {
    Simulation sim = established();
    const std::size_t mark = sim.trace().size();
    call(sim, Side::Client, AppCallKind::Close);
    CHECK(sim.endpoint(Side::Client).state() == State::FinWait1);
    CHECK(sent(sim, mark) == std::vector<std::string>{"client FA 1 1 0"});
}

TEST_CASE("ESTABLISHED: rcv FIN -> CLOSE-WAIT, the application reads EOF") {
    Simulation sim = established();
    call(sim, Side::Client, AppCallKind::Close);
    run_for(sim, ms(10));
    CHECK(sim.endpoint(Side::Server).state() == State::CloseWait);
    CHECK(has_notice(sim, Side::Server, Notice::Eof));
}

TEST_CASE("FIN-WAIT-1: ACK of our FIN -> FIN-WAIT-2; the ACK number is the FIN's seq + 1") {
    Simulation sim = established();
    const std::size_t mark = sim.trace().size();
    call(sim, Side::Client, AppCallKind::Close);
    run_for(sim, ms(100));
    CHECK(sim.endpoint(Side::Client).state() == State::FinWait2);
    const auto segs = sent(sim, mark);
    REQUIRE(segs.size() == 2);
    CHECK(segs[0] == "client FA 1 1 0");
    CHECK(segs[1] == "server A 1 2 0");  // ACK = 1 + 1: the FIN took one sequence number
}

TEST_CASE("FIN-WAIT-1: FIN+ACK of our FIN -> TIME-WAIT without FIN-WAIT-2") {
    const Simulation sim = run_builtin("three-segment-close");
    CHECK(states(sim, Side::Client) ==
          std::vector<State>{State::Closed, State::SynSent, State::Established, State::FinWait1, State::TimeWait, State::Closed});
    CHECK(first_state_change(sim, Side::Client, State::FinWait2) == nullptr);
}

TEST_CASE("FIN-WAIT-1: FIN without the ACK of ours -> CLOSING (simultaneous close)") {
    const Simulation sim = run_builtin("simultaneous-close");
    for (Side s : {Side::Client, Side::Server}) {
        CAPTURE(s);
        CHECK(states(sim, s).back() == State::Closed);
        const auto st = states(sim, s);
        CHECK(std::find(st.begin(), st.end(), State::Closing) != st.end());
        CHECK(std::find(st.begin(), st.end(), State::TimeWait) != st.end());
    }
}

TEST_CASE("FIN-WAIT-2: rcv FIN -> TIME-WAIT, ACKed at once") {
    Simulation sim = established();
    call(sim, Side::Client, AppCallKind::Close);
    run_for(sim, ms(100));
    REQUIRE(sim.endpoint(Side::Client).state() == State::FinWait2);
    const std::size_t mark = sim.trace().size();
    call(sim, Side::Server, AppCallKind::Close);
    run_for(sim, ms(10));
    CHECK(sim.endpoint(Side::Client).state() == State::TimeWait);
    CHECK(sent(sim, mark) == std::vector<std::string>{"server FA 1 2 0", "client A 2 2 0"});
}

TEST_CASE("CLOSE-WAIT: close() -> LAST-ACK; LAST-ACK: ACK -> CLOSED") {
    const Simulation sim = run_builtin("four-way-close");
    CHECK(states(sim, Side::Server) == std::vector<State>{State::Closed, State::Listen, State::SynReceived, State::Established,
                                                          State::CloseWait, State::LastAck, State::Closed});
    CHECK(states(sim, Side::Client) == std::vector<State>{State::Closed, State::SynSent, State::Established, State::FinWait1,
                                                          State::FinWait2, State::TimeWait, State::Closed});
}

TEST_CASE("four-way close: exactly four segments, Seq/Ack as a capture shows them") {
    const Simulation sim = run_builtin("four-way-close");
    std::vector<std::string> close_segments;
    bool closing = false;
    for (const auto& e : sim.trace()) {
        if (e.kind == EventKind::App && e.call.kind == AppCallKind::Close) closing = true;
        if (closing && e.kind == EventKind::Send) close_segments.push_back(seg_string(e));
    }
    CHECK(close_segments == std::vector<std::string>{"client FA 101 201 0", "server A 201 102 0", "server FA 201 102 0", "client A 102 202 0"});
}

TEST_CASE("three-segment close reproduces the seeds' capture numbers") {
    const Simulation sim = run_builtin("three-segment-close");
    const auto fins = sends_matching(sim, Side::Client, flag::FIN);
    REQUIRE(fins.size() == 1);
    CHECK(seg_string(*fins[0]) == "client FA 661 9240 0");
    const auto server_fins = sends_matching(sim, Side::Server, flag::FIN);
    REQUIRE(server_fins.size() == 1);
    CHECK(seg_string(*server_fins[0]) == "server FA 9240 662 0");
    const auto& last = sim.trace();
    std::string last_ack;
    for (const auto& e : last)
        if (e.kind == EventKind::Send && e.side == Side::Client) last_ack = seg_string(e);
    CHECK(last_ack == "client A 662 9241 0");
}

TEST_CASE("Only the side that closes first goes through TIME-WAIT") {
    for (const char* name : {"four-way-close", "server-active-close", "three-segment-close"}) {
        CAPTURE(name);
        const Simulation sim = run_builtin(name);
        const bool client_tw = first_state_change(sim, Side::Client, State::TimeWait) != nullptr;
        const bool server_tw = first_state_change(sim, Side::Server, State::TimeWait) != nullptr;
        CHECK(client_tw != server_tw);
        const Side first_closer = std::string(name) == "server-active-close" ? Side::Server : Side::Client;
        CHECK(first_state_change(sim, first_closer, State::TimeWait) != nullptr);
    }
}

TEST_CASE("half-close: data sent after the FIN reaches the client, no byte lost") {
    const Simulation sim = run_builtin("half-close");
    CHECK(sim.bytes_delivered(Side::Client) == 2000);
    CHECK(sim.bytes_written(Side::Server) == 2000);
    CHECK(sim.bytes_delivered(Side::Server) == 100);
    // The client received data while in FIN-WAIT-2.
    bool data_in_fw2 = false;
    State client_state = State::Closed;
    for (const auto& e : sim.trace()) {
        if (e.kind == EventKind::State && e.side == Side::Client) client_state = e.to;
        if (e.kind == EventKind::Deliver && e.side == Side::Client && e.len > 0 && client_state == State::FinWait2) data_in_fw2 = true;
    }
    CHECK(data_in_fw2);
}

TEST_CASE("fin-with-data: the FIN rides on the last data segment") {
    const Simulation sim = run_builtin("fin-with-data");
    const auto fins = sends_matching(sim, Side::Client, flag::FIN);
    REQUIRE(fins.size() == 1);
    CHECK(seg_string(*fins[0]) == "client FPA 1001 1 200");
    CHECK(has_note(sim, Side::Client, Note::NagleHold));
    CHECK(sim.bytes_delivered(Side::Server) == 1200);
}

TEST_CASE("server-active-close: the server ends in TIME-WAIT, the client in LAST-ACK then CLOSED") {
    const Simulation sim = run_builtin("server-active-close");
    CHECK(states(sim, Side::Client) == std::vector<State>{State::Closed, State::SynSent, State::Established, State::CloseWait,
                                                          State::LastAck, State::Closed});
    CHECK(first_state_change(sim, Side::Server, State::TimeWait) != nullptr);
}

TEST_CASE("process exit closes the sockets: FIN, and the kernel finishes the close alone") {
    const Simulation sim = run_builtin("process-exit");
    CHECK(first_state_change(sim, Side::Server, State::TimeWait) != nullptr);
    CHECK(sim.endpoint(Side::Server).state() == State::Closed);
    CHECK_FALSE(sim.endpoint(Side::Server).view().app_has_socket);
}

TEST_CASE("full lifecycle: handshake, data both ways, close, TIME-WAIT") {
    const Simulation sim = run_builtin("full-lifecycle");
    CHECK(sim.bytes_delivered(Side::Server) == 600);
    CHECK(sim.bytes_delivered(Side::Client) == 4000);
    CHECK(sim.endpoint(Side::Client).state() == State::Closed);
    CHECK(sim.endpoint(Side::Server).state() == State::Closed);
}

TEST_CASE("Impossible application calls fail with a clear error, never a crash") {
    Simulation sim = established();
    call(sim, Side::Client, AppCallKind::Close);
    SUBCASE("send after close -> EBADF") {
        call(sim, Side::Client, AppCallKind::Send, 10);
        REQUIRE(sim.script_errors().size() == 0);  // interactive calls are not script lines
        bool saw = false;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Notify && e.notice == Notice::Error && e.error == AppError::BadDescriptor) saw = true;
        CHECK(saw);
    }
    SUBCASE("connect while the port pair is in TIME-WAIT -> EADDRINUSE") {
        call(sim, Side::Server, AppCallKind::Close);
        run_for(sim, ms(100));
        REQUIRE(sim.endpoint(Side::Client).state() == State::TimeWait);
        call(sim, Side::Client, AppCallKind::Connect);
        bool saw = false;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Notify && e.error == AppError::AddrInUse) saw = true;
        CHECK(saw);
        CHECK(sim.endpoint(Side::Client).state() == State::TimeWait);
    }
}

TEST_CASE("A scripted impossible call is reported with its file and line") {
    const Simulation sim = run_text("scenario bad-calls\nat 0 server listen\nat 0 client connect\nat 100ms client shutdown\nat 200ms client send 5\n");
    REQUIRE(sim.script_errors().size() == 1);
    CHECK(sim.script_errors()[0].find("test:5:") == 0);
    CHECK(sim.script_errors()[0].find("EPIPE") != std::string::npos);
}

TEST_CASE("Every state change in every built-in run is an edge of the transition table") {
    for (const auto& b : builtin_scenarios()) {
        for (Profile p : {Profile::Linux, Profile::Rfc}) {
            CAPTURE(b.name);
            CAPTURE(to_string(p));
            const Simulation sim = run_builtin(b.name, p);
            for (const auto& e : sim.trace()) {
                if (e.kind != EventKind::State) continue;
                CHECK(e.edge >= 0);
                CHECK_MESSAGE(edge_mismatch(e).empty(), edge_mismatch(e));
            }
        }
    }
}

TEST_CASE("find_transition: every (from, cause, to) gives the table's first fitting row or none") {
    const auto table = transition_table();
    for (int f = 0; f < kStateCount; ++f) {
        for (int c = 0; c < kCauseCount; ++c) {
            for (int t = 0; t < kStateCount; ++t) {
                TraceEvent e;
                e.from = static_cast<State>(f);
                e.cause = static_cast<Cause>(c);
                e.to = static_cast<State>(t);
                e.edge = find_transition(e.from, e.cause, e.to);
                if (e.edge < 0) {
                    for (const Transition& row : table)
                        CHECK_FALSE(((!row.from || *row.from == e.from) && row.cause == e.cause && row.to == e.to));
                    continue;
                }
                REQUIRE(e.edge < static_cast<int>(table.size()));
                CHECK_MESSAGE(edge_mismatch(e).empty(), edge_mismatch(e));
            }
        }
    }
    // Values outside the enums (a bad cast) are no edge rather than a stray row.
    CHECK(find_transition(State::FinWait2, Cause::kCount, State::Closed) == -1);
    CHECK(find_transition(State::kCount, Cause::AppClose, State::Closed) == -1);
}

TEST_CASE("edge names are unique and name the row's from, cause and to") {
    const auto table = transition_table();
    std::vector<std::string> names;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const std::string name = edge_name(static_cast<int>(i));
        CHECK(name.find(to_string(table[i].cause)) != std::string::npos);
        CHECK(name.find(to_string(table[i].to)) != std::string::npos);
        names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
    CHECK(edge_name(-1) == "none");
    CHECK(edge_name(find_transition(State::FinWait1, Cause::RcvAck, State::FinWait2)) ==
          std::string("FIN-WAIT-1 > ") + to_string(Cause::RcvAck) + " > FIN-WAIT-2");
}

TEST_CASE("explicit read(): the application takes the bytes, and a window that opens from nearly shut is announced at once") {
    Simulation sim = run_text(R"(scenario read-opens-window
at 0 server listen
at 0 server autoread off
at 0 client connect
at 50ms client send 65000
until 2s
)");
    CHECK(sim.bytes_delivered(Side::Server) == 0);
    const std::size_t before = sim.trace().size();
    call(sim, Side::Server, AppCallKind::Read);
    CHECK(sim.bytes_delivered(Side::Server) == 65000);
    bool update = false;
    for (std::size_t i = before; i < sim.trace().size(); ++i) {
        const TraceEvent& e = sim.trace()[i];
        if (e.kind == EventKind::Send && e.side == Side::Server && e.flags == flag::ACK && e.len == 0) update = true;
    }
    CHECK(update);
}
