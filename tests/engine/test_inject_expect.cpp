// 'inject' and 'expect' lines: how they parse, how bad ones are reported,
// and what they do in a run.
#include "helpers.hpp"

#include "finwave/trace.hpp"

#include <algorithm>

using namespace finwave;
using namespace finwave::test;

namespace {
std::string parse_error_of(std::string_view text) {
    auto r = parse_scenario(text, "bad.scenario");
    REQUIRE_MESSAGE(std::holds_alternative<ParseError>(r), "expected a parse error for:\n" << text);
    return std::get<ParseError>(r).to_string();
}
const char* kBase = "scenario t\nat 0 server listen\nat 0 client connect\n";
}  // namespace

TEST_CASE("sequence expressions: numbers from the ISN, sums of TCB variables") {
    auto e = std::get<SeqExpr>(parse_seq_expr("RCV.NXT+RCV.WND+2"));
    CHECK_FALSE(e.from_isn());
    TcbView v{};
    v.rcv_nxt = 1000;
    v.rcv_wnd = 500;
    v.snd_una = 7;
    CHECK(evaluate(e, v, 0) == 1502);
    CHECK(evaluate(std::get<SeqExpr>(parse_seq_expr("snd.una-1")), v, 0) == 6);
    const auto plain = std::get<SeqExpr>(parse_seq_expr("1"));
    CHECK(plain.from_isn());
    CHECK(evaluate(plain, v, 4000) == 4001);
    // Wraps modulo 2^32 like every sequence number.
    v.rcv_nxt = 0xFFFFFFFFu;
    CHECK(evaluate(std::get<SeqExpr>(parse_seq_expr("RCV.NXT+2")), v, 0) == 1u);
    for (const char* bad : {"", "RCV.NXT+", "+1", "-1", "RCV.NEXT", "1x", "RCV.NXT++1"}) {
        CAPTURE(bad);
        CHECK(std::holds_alternative<std::string>(parse_seq_expr(bad)));
    }
}

TEST_CASE("an inject line parses flags in both notations and its fields") {
    const Scenario sc = parse_or_fail(std::string(kBase) +
                                      "at 1s inject to server [FIN, ACK] seq=RCV.NXT-1 ack=SND.NXT len=10 win=0\n"
                                      "at 2s inject to client R.\n"
                                      "at 3s inject to client [RST,ACK] seq=5\n");
    REQUIRE(sc.injections.size() == 3);
    const Injection& a = sc.injections[0];
    CHECK(a.at == Duration::seconds(1));
    CHECK(a.to == Side::Server);
    CHECK(a.seg.flags == (flag::FIN | flag::ACK));
    CHECK(a.seg.seq->text == "RCV.NXT-1");
    CHECK(a.seg.len == 10u);
    CHECK(a.seg.win == 0u);
    CHECK(a.line == 4);
    CHECK(sc.injections[1].seg.flags == (flag::RST | flag::ACK));
    CHECK_FALSE(sc.injections[1].seg.seq.has_value());
    CHECK(sc.injections[2].seg.flags == (flag::RST | flag::ACK));
}

TEST_CASE("bad inject lines say what and where") {
    const std::string b = kBase;
    CHECK(parse_error_of(b + "inject to server F.\n") == "bad.scenario:4: 'inject' needs a time: 'at TIME inject to SIDE FLAGS ...'");
    CHECK(parse_error_of(b + "at 1s inject server F.\n").find("bad.scenario:4: expected 'inject to SIDE") == 0);
    CHECK(parse_error_of(b + "at 1s inject to host F.\n") == "bad.scenario:4: expected client or server after 'inject to', found 'host'");
    CHECK(parse_error_of(b + "at 1s inject to server [FIN, URG]\n") ==
          "bad.scenario:4: unknown flag 'URG'; flags are SYN, FIN, RST, PSH and ACK");
    CHECK(parse_error_of(b + "at 1s inject to server [FIN, ACK\n") == "bad.scenario:4: the flags' '[' has no ']', e.g. [FIN, ACK]");
    CHECK(parse_error_of(b + "at 1s inject to server X\n").find("bad.scenario:4: expected the flags") == 0);
    CHECK(parse_error_of(b + "at 1s inject to server F. seq=RCV.NEXT\n").find("bad.scenario:4: unknown variable 'RCV.NEXT'") == 0);
    CHECK(parse_error_of(b + "at 1s inject to server F. mss=1460\n") ==
          "bad.scenario:4: unknown field 'mss='; expected seq=, ack=, len= or win=");
    CHECK(parse_error_of(b + "at 1s inject to server F. len=70000\n").find("bad.scenario:4: expected len=N with N from 0 to 65535") == 0);
    CHECK(parse_error_of(b + "at 1s inject to server F ack=1\n") == "bad.scenario:4: ack= needs the ACK flag, e.g. [FIN, ACK] or F.");
    CHECK(parse_error_of(b + "at 1s inject to server F. seq=1 seq=2\n") == "bad.scenario:4: 'seq=' is given twice");
    CHECK(parse_error_of(b + "at 1s inject to server F. junk\n").find("bad.scenario:4: unexpected 'junk' after the segment") == 0);
}

TEST_CASE("expect lines of each kind parse, anchored to the last 'at' line") {
    const Scenario sc = parse_or_fail(std::string(kBase) +
                                      "at 1s client close\n"
                                      "expect server sends [ACK] ack=RCV.NXT within 50ms\n"
                                      "expect client state FIN-WAIT-2 at 1.5s\n"
                                      "at 2s expect nothing from server for 10s\n"
                                      "expect app server eof within 1s\n"
                                      "expect app client error ECONNRESET\n"
                                      "at 5s expect client state TIME-WAIT\n"
                                      "expect server state CLOSED at end\n");
    REQUIRE(sc.expectations.size() == 7);
    const auto& x = sc.expectations;
    CHECK(x[0].kind == ExpectKind::Sends);
    CHECK(x[0].anchor == Duration::seconds(1));
    CHECK(x[0].within == Duration::millis(50));
    CHECK(x[0].seg.flags == flag::ACK);
    CHECK(x[0].line == 5);
    CHECK(x[0].text == "expect server sends [ACK] ack=RCV.NXT within 50ms");
    CHECK(x[1].kind == ExpectKind::State);
    CHECK(x[1].anchor == Duration::millis(1500));
    CHECK(x[1].state == State::FinWait2);
    CHECK(x[2].kind == ExpectKind::Nothing);
    CHECK(x[2].anchor == Duration::seconds(2));
    CHECK(x[2].length == Duration::seconds(10));
    CHECK(x[3].kind == ExpectKind::App);
    CHECK(x[3].app_event == "eof");
    CHECK(x[3].anchor == Duration::seconds(2));
    CHECK(x[4].app_event == "ECONNRESET");
    CHECK_FALSE(x[4].within.has_value());
    CHECK(x[5].anchor == Duration::seconds(5));
    CHECK(x[6].at_end);
}

TEST_CASE("bad expect lines say what and where") {
    const std::string b = kBase;
    CHECK(parse_error_of(b + "expect\n").find("bad.scenario:4: expected 'expect SIDE sends") == 0);
    CHECK(parse_error_of(b + "expect host sends [RST]\n").find("; found 'host'") != std::string::npos);
    CHECK(parse_error_of(b + "expect server sneds [RST]\n").find("found 'sneds' after 'server'") != std::string::npos);
    CHECK(parse_error_of(b + "expect server sends [RST] within soon\n") ==
          "bad.scenario:4: expected a time with a unit, e.g. 0, 250ms, 1.5s or 2min after 'within', found 'soon'");
    CHECK(parse_error_of(b + "expect server sends [RST] within 1ms extra\n") ==
          "bad.scenario:4: unexpected 'extra' at the end of the expectation");
    CHECK(parse_error_of(b + "expect server sends [RST] by 1ms\n") ==
          "bad.scenario:4: unexpected 'by'; expected 'within D' or the end of the line");
    CHECK(parse_error_of(b + "expect client state TIME_WAITING at 1s\n").find("bad.scenario:4: unknown state 'TIME_WAITING'") == 0);
    CHECK(parse_error_of(b + "expect client state TIME-WAIT\n").find("bad.scenario:4: expected 'at TIME' or 'at end'") == 0);
    CHECK(parse_error_of(b + "expect client state TIME-WAIT at later\n").find("bad.scenario:4: expected a time") == 0);
    CHECK(parse_error_of(b + "at 1s expect client state TIME-WAIT at 2s\n").find("the time is already given by 'at'") != std::string::npos);
    CHECK(parse_error_of(b + "expect nothing from server\n").find("bad.scenario:4: expected 'expect nothing from SIDE for D'") == 0);
    CHECK(parse_error_of(b + "expect nothing from server for 0\n").find("(above 0)") != std::string::npos);
    CHECK(parse_error_of(b + "expect app client error EWOULDBLOCK\n").find("bad.scenario:4: unknown error 'EWOULDBLOCK'") == 0);
    CHECK(parse_error_of(b + "expect app client closed\n").find("bad.scenario:4: expected 'error ERRNO' or 'eof'") == 0);
}

TEST_CASE("an old duplicate FIN injected in TIME-WAIT is ACKed and restarts the timer; expectations hold") {
    Simulation sim = run_text(std::string(kBase) +
                              "at 50ms client close\n"
                              "on server eof server close\n"
                              "at 1s inject to client [FIN, ACK] seq=RCV.NXT-1\n"
                              "expect client sends [ACK] seq=SND.NXT ack=RCV.NXT within 1ms\n"
                              "expect client state TIME-WAIT at 1.5s\n"
                              "drop server RST every  # the closed server answers that ACK with RST: keep it off\n"
                              "until 2s\n");
    CHECK(sim.expectation_failures().empty());
    CHECK(sim.expectations_passed() == 2);
    const auto& tr = sim.trace();
    auto inj = std::find_if(tr.begin(), tr.end(), [](const TraceEvent& e) { return e.injected; });
    REQUIRE(inj != tr.end());
    CHECK(inj->kind == EventKind::Send);
    CHECK(inj->side == Side::Server);
    CHECK(inj->script_line == 6);
    CHECK(event_json(*inj).find("\"line\":6") != std::string::npos);
    CHECK(event_json(*inj).find("\"injected\":true") != std::string::npos);
    CHECK(sim.endpoint(Side::Client).timer(TimerKind::TimeWait) == Instant{} + Duration::seconds(1) + sim.knobs().time_wait);
}

TEST_CASE("a failed expectation names its line and what happened instead") {
    Simulation sim = run_text(std::string(kBase) +
                              "at 50ms client close\n"
                              "expect server sends [RST] within 30ms\n"
                              "expect client state TIME-WAIT at 0.5s\n"
                              "expect nothing from server for 1s\n"
                              "expect app client error ECONNRESET within 1s\n"
                              "until 2s\n");
    const auto& f = sim.expectation_failures();
    REQUIRE(f.size() == 4);
    CHECK(f[0].find("test:5: expect server sends [RST] within 30ms: instead server sent #") == 0);
    CHECK(f[0].find("(flags differ)") != std::string::npos);
    CHECK(f[1] == "test:6: expect client state TIME-WAIT at 0.5s: instead the client was in FIN-WAIT-2 at 0.500000");
    CHECK(f[2].find("test:7: expect nothing from server for 1s: instead server sent #") == 0);
    CHECK(f[3] == "test:8: expect app client error ECONNRESET within 1s: instead the client application was told nothing from 0.050000 to 1.050000");
    CHECK(sim.expectations_passed() == 0);
}

TEST_CASE("a segment beyond the window in CLOSE-WAIT gets an ACK, with seq relative to the receiver") {
    Simulation sim = run_text(std::string(kBase) +
                              "at 50ms client close\n"
                              "at 1s inject to server [ACK] seq=RCV.NXT+RCV.WND+2\n"
                              "expect server sends [ACK] seq=SND.NXT ack=RCV.NXT within 1ms\n"
                              "expect server state CLOSE-WAIT at end\n"
                              "until 3s\n");
    CHECK(sim.expectation_failures().empty());
    CHECK(sim.expectations_passed() == 2);
}

TEST_CASE("every built-in scenario states expectations, and they hold") {
    for (const auto& b : builtin_scenarios()) {
        CAPTURE(b.name);
        auto parsed = load_builtin(b.name);
        REQUIRE(std::holds_alternative<Scenario>(parsed));
        const Scenario sc = std::get<Scenario>(parsed);
        CHECK(sc.expectations.size() >= 3);
        Simulation sim = run_builtin(b.name);
        CHECK_MESSAGE(sim.expectation_failures().empty(), (sim.expectation_failures().empty() ? "" : sim.expectation_failures().front()));
        CHECK(sim.expectations_passed() == sc.expectations.size());
    }
}

TEST_CASE("after 'use', the built-in's expectations are kept only while nothing is changed") {
    const Scenario same = parse_or_fail("scenario mine\nuse four-way-close\nexpect client state CLOSED at end\n");
    CHECK(same.expectations.size() == 8);
    CHECK(same.expectations.front().origin == "builtin:four-way-close");
    CHECK(same.expectations.back().origin == "test");
    const Scenario changed = parse_or_fail("scenario mine\nuse four-way-close\ndrop client FIN #1\nexpect client state CLOSED at end\n");
    REQUIRE(changed.expectations.size() == 1);
    CHECK(changed.expectations.front().line == 4);
}

TEST_CASE("two duplicate lines for one segment make two copies") {
    Simulation sim = run_text(std::string(kBase) + "at 50ms client send 100\nduplicate client data +1s\nduplicate client data +2s\n");
    const auto& tr = sim.trace();
    CHECK(std::count_if(tr.begin(), tr.end(), [](const TraceEvent& e) { return e.kind == EventKind::Duplicate; }) == 2);
    CHECK(std::count_if(tr.begin(), tr.end(), [](const TraceEvent& e) { return e.kind == EventKind::Deliver && e.len == 100; }) == 3);
}

TEST_CASE("closing a listener over SYN-RECEIVED sends nothing; the late final ACK gets R 1:1(0)") {
    Simulation sim = run_text(std::string(kBase) + "drop client ack #1\nat 100ms server close\nat 200ms inject to server [ACK] seq=1 ack=1\nuntil 5s\n");
    const auto& tr = sim.trace();
    std::vector<const TraceEvent*> server_sends;
    for (const auto& e : tr)
        if (e.kind == EventKind::Send && e.side == Side::Server && !e.injected) server_sends.push_back(&e);
    REQUIRE(server_sends.size() == 2);  // the SYN-ACK, then the RST
    CHECK(server_sends[1]->flags == flag::RST);
    CHECK(server_sends[1]->seq == 1);
    CHECK(server_sends[1]->t == Instant{} + Duration::millis(200));
    auto st = std::find_if(tr.begin(), tr.end(), [](const TraceEvent& e) { return e.kind == EventKind::State && e.side == Side::Server && e.to == State::Closed; });
    REQUIRE(st != tr.end());
    CHECK(st->cause == Cause::ListenerClosed);
    CHECK(st->edge >= 0);
}

TEST_CASE("RST in SYN-RECEIVED: back to LISTEN with no SYN-ACK timer left") {
    Simulation sim = run_text(std::string(kBase) + "drop client ack #1\nat 15ms inject to server [RST] seq=RCV.NXT\nuntil 5s\n");
    CHECK(sim.endpoint(Side::Server).state() == State::Listen);
    for (const auto& e : sim.trace()) CHECK_FALSE((e.kind == EventKind::TimerFire && e.side == Side::Server));
}

TEST_CASE("a simultaneous-open SYN-ACK is not a retransmission") {
    Simulation sim = run_text("scenario t\nat 0 client connect\nat 0 server connect\n");
    int synacks = 0;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Send && e.flags == (flag::SYN | flag::ACK)) {
            CHECK_FALSE(e.retransmission);
            ++synacks;
        }
    CHECK(synacks == 2);
}

TEST_CASE("a new connection on a listener is logged LISTEN -> SYN-RECEIVED") {
    Simulation sim = run_builtin("time-wait-protects-new-connection");
    int seen = 0;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::State && e.side == Side::Server && e.to == State::SynReceived) {
            CHECK(e.from == State::Listen);
            ++seen;
        }
    CHECK(seen == 2);
}
