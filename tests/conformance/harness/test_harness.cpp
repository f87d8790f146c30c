// Unit tests of the conformance harness that need no kernel: the translation
// of scenarios into kernel runs and the comparison itself (fed with a kernel
// record made from the engine's own run, then spoiled on purpose).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "cases.hpp"
#include "compare.hpp"
#include "finwave/builtin.hpp"
#include "records.hpp"
#include "translate.hpp"

using namespace finwave;
using namespace finwave::conformance;

namespace {

// A scenario needs at least one call; tests about faults and knobs add this one.
constexpr std::string_view kListen = "at 0 server listen\n";

Scenario parse(std::string_view text) {
    auto p = parse_scenario(text, "test");
    if (auto* e = std::get_if<ParseError>(&p)) INFO(e->to_string());
    REQUIRE(std::holds_alternative<Scenario>(p));
    return std::get<Scenario>(p);
}

Knobs linux_knobs(const Scenario& sc, const std::vector<std::pair<std::string, std::string>>& o = {}) {
    auto k = resolve_knobs(sc, Profile::Linux, o);
    REQUIRE(std::holds_alternative<Knobs>(k));
    return std::get<Knobs>(k);
}

KernelPlan plan_for(std::string_view text, const std::vector<std::pair<std::string, std::string>>& o = {}) {
    const Scenario sc = parse(text);
    auto plan = translate(sc, linux_knobs(sc, o));
    if (auto* u = std::get_if<Untranslatable>(&plan)) FAIL("untranslatable: " << u->reason);
    return std::get<KernelPlan>(plan);
}

std::string fault_rule(std::string_view fault_line) {
    const Scenario sc = parse("scenario t\n" + std::string(kListen) + std::string(fault_line) + "\n");
    REQUIRE(sc.faults.size() == 1);
    auto r = drop_rule(sc.faults[0]);
    if (auto* u = std::get_if<Untranslatable>(&r)) FAIL("untranslatable: " << u->reason);
    return std::get<std::string>(r);
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// A "kernel" that did exactly what the engine did: the comparison must pass.
KernelRecord mirror(const Simulation& sim) {
    KernelRecord k;
    k.kernel = "mirror";
    std::map<std::uint64_t, std::size_t> idx;
    for (const auto& e : sim.trace()) {
        if (e.kind == EventKind::Send) {
            WireSegment s = wire_segment(e);
            s.engine_id = 0;  // a record as the kernel's: no engine ids
            idx[e.seg_id] = k.segments.size();
            k.segments.push_back(s);
        } else if (e.kind == EventKind::Drop) {
            k.segments[idx[e.seg_id]].dropped = true;
        } else if (e.kind == EventKind::State && e.to != State::Listen) {
            StateEntry st;
            st.t_us = st.prev_us = e.t.us;
            st.side = e.side;
            st.state = to_string(e.to);
            k.states.push_back(st);
        } else if (e.kind == EventKind::TimerSet && (e.timer == TimerKind::TimeWait || e.timer == TimerKind::FinWait2)) {
            StateEntry st;
            st.t_us = st.prev_us = e.t.us;
            st.side = e.side;
            st.state = e.timer == TimerKind::TimeWait ? "TIME-WAIT" : "FIN-WAIT-2";
            st.timer = "timewait";
            st.fires_us = e.deadline.us;
            k.states.push_back(st);
        } else if (e.kind == EventKind::App) {
            k.calls.push_back({e.t.us, e.side, e.script_line, describe(e.call)});
        } else if (e.kind == EventKind::Notify) {
            // As kernel_runner logs what the application was told.
            std::string text;
            if (e.notice == Notice::DataRead) text = "autoread = " + std::to_string(e.value);
            if (e.notice == Notice::Eof) text = "autoread = 0 then EOF";
            if (e.notice == Notice::Reset) text = "poll = -1 ECONNRESET";
            if (e.notice == Notice::Error) text = "call = -1 " + std::string(errno_name(e.error));
            if (!text.empty()) k.calls.push_back({e.t.us, e.side, 0, text});
        }
    }
    return k;
}

Comparison compare_builtin(KernelRecord& k, const Simulation& sim) {
    CompareInput in;
    in.engine = &sim;
    in.kernel = &k;
    in.cut_us = engine_quiet_point(sim) + 500000;
    return compare(in);
}

Simulation run(std::string_view name) {
    auto p = load_builtin(name);
    REQUIRE(std::holds_alternative<Scenario>(p));
    const Scenario sc = std::get<Scenario>(p);
    Simulation sim(sc, linux_knobs(sc), 1);
    sim.run();
    return sim;
}

}  // namespace

TEST_CASE("translation: every built-in scenario has a conformance entry") {
    for (const auto& b : builtin_scenarios()) {
        bool found = false;
        for (const auto& c : cases()) found = found || c.scenario == b.name;
        CHECK_MESSAGE(found, b.name);
    }
}

TEST_CASE("translation: calls and triggers become events-mode items with their lines") {
    const KernelPlan p = plan_for(
        "scenario t\n"
        "at 0 server listen\n"
        "at 0 client connect\n"
        "at 50ms client send 100\n"
        "at 200ms client close\n"
        "on server eof +300ms server close\n"
        "on client CLOSED client connect\n");
    CHECK(p.server_script == "2: at 0.000 listen; 6: on eof +300.000 self close");
    CHECK(p.client_script == "3: at 0.000 connect; 4: at 50.000 send 100; 5: at 200.000 close; 7: on state CLOSED +0.000 self connect");
    CHECK(p.delay_ms == 10);
}

TEST_CASE("translation: knobs become the namespace's sysctls") {
    const KernelPlan p = plan_for("scenario t\nset orphan_retries=3 rfc1337=on\nat 0 server listen\n", {{"fin_timeout", "3s"}});
    auto has = [&](const std::string& s) { return std::find(p.sysctls.begin(), p.sysctls.end(), s) != p.sysctls.end(); };
    CHECK(has("tcp_fin_timeout=3"));
    CHECK(has("tcp_orphan_retries=3"));
    CHECK(has("tcp_rfc1337=1"));
    CHECK(has("tcp_early_retrans=3"));
    SUBCASE("a knob Linux cannot change makes the scenario untranslatable") {
        const Scenario sc = parse("scenario t\nset time_wait=5s\nat 0 server listen\n");
        auto plan = translate(sc, linux_knobs(sc));
        REQUIRE(std::holds_alternative<Untranslatable>(plan));
        CHECK(contains(std::get<Untranslatable>(plan).reason, "fixed at 60 s"));
    }
    SUBCASE("tcp_fin_timeout takes whole seconds") {
        const Scenario sc = parse("scenario t\nset fin_timeout=1500ms\nat 0 server listen\n");
        CHECK(std::holds_alternative<Untranslatable>(translate(sc, linux_knobs(sc))));
    }
}

TEST_CASE("translation: drop faults become nftables rules in the receiver's input hook") {
    SUBCASE("drop client FIN #1") {
        const std::string r = fault_rule("drop client FIN #1");
        CHECK(contains(r, "tcp sport 40000 tcp dport 5000 tcp flags & (fin) == fin"));
        CHECK(contains(r, "numgen inc mod 1000000000 0 "));
        CHECK(contains(r, "log group 7"));
        CHECK(contains(r, " drop"));
    }
    SUBCASE("drop client FIN every: no counter") {
        CHECK_FALSE(contains(fault_rule("drop client FIN every"), "numgen"));
    }
    SUBCASE("#2-4 and #3+") {
        CHECK(contains(fault_rule("drop server FIN #2-4"), "numgen inc mod 1000000000 1-3"));
        CHECK(contains(fault_rule("drop server FIN #3+"), "numgen inc mod 1000000000 >= 2"));
    }
    SUBCASE("drop server ack in CLOSE-WAIT #1: no payload, the client's FIN seen, not its own") {
        const std::string r = fault_rule("drop server ack in CLOSE-WAIT #1");
        CHECK(contains(r, "tcp sport 5000 tcp dport 40000"));
        CHECK(contains(r, "meta mark 1"));
        CHECK(contains(r, "tcp sport . tcp dport != @fin_seen tcp dport . tcp sport @fin_seen"));
    }
    SUBCASE("drop client ack in TIME-WAIT #1: both FINs seen, the client's first") {
        const std::string r = fault_rule("drop client ack in TIME-WAIT #1");
        CHECK(contains(r, "tcp sport . tcp dport @fin_seen tcp dport . tcp sport @fin_seen tcp sport . tcp dport @fin_first"));
    }
    SUBCASE("a state nftables cannot infer is refused, not approximated") {
        const Scenario sc = parse("scenario t\nat 0 server listen\ndrop client ack in FIN-WAIT-2\n");
        auto r = drop_rule(sc.faults[0]);
        REQUIRE(std::holds_alternative<Untranslatable>(r));
        CHECK(contains(std::get<Untranslatable>(r).reason, "FIN-WAIT-2"));
    }
    SUBCASE("the ruleset classifies payload and FINs before any drop") {
        const std::string rs = nft_ruleset({"DROP-RULE"});
        CHECK(rs.find("ip length 40 tcp doff 5 meta mark set 1") < rs.find("DROP-RULE"));
        CHECK(rs.find("add @fin_seen") < rs.find("DROP-RULE"));
    }
}

TEST_CASE("translation: duplicates are done by the relay") {
    const Scenario sc = parse("scenario t\nat 0 server listen\nduplicate server data #1 +5s\n");
    auto r = relay_fault(sc.faults[0]);
    REQUIRE(std::holds_alternative<std::string>(r));
    CHECK(std::get<std::string>(r) == "dup s2c data 1 1 5000.000");
}

TEST_CASE("tolerances: timer wheel granularity at HZ=250") {
    const Duration tick = Duration::millis(4);
    CHECK(wheel_granularity(Duration::millis(40), tick) == Duration::millis(4));
    CHECK(wheel_granularity(Duration::millis(220), tick) == Duration::millis(4));
    CHECK(wheel_granularity(Duration::millis(1760), tick) == Duration::millis(32));
    CHECK(wheel_granularity(Duration::seconds(3), tick) == Duration::millis(256));
    CHECK(wheel_granularity(Duration::seconds(60), tick) == Duration::millis(2048));
}

TEST_CASE("kernel trace: segments, sampled states with their gap, calls by scenario line") {
    const std::string text =
        "# kernel: 6.18.44-test\n"
        "     0.126 app   S L4 listen = 0\n"
        "     0.592 app   C L5 connect ...\n"
        "     0.685 seg   C>S S    seq=0 ack=0 len=0 mss=1460,sack,ws=10\n"
        "    20.958 app   C L5 connect = 0\n"
        "   200.132 seg   C>S FA   seq=101 ack=201 len=0 DROPPED\n"
        "   200.529 state C FIN-WAIT-1 timer=(on,224ms,0) fires=424.529 rto=224ms orphan prev=199.522\n"
        "   521.519 state C TIME-WAIT timer=(timewait,59996ms,0) fires=60517.519 prev=520.584\n"
        "   531.568 state S GONE prev=530.513\n"
        "  1200.068 end samples=1250 max_gap_us=3905\n";
    KernelRecord k;
    REQUIRE_FALSE(parse_kernel_trace(text, k).has_value());
    CHECK(k.kernel == "6.18.44-test");
    REQUIRE(k.segments.size() == 2);
    CHECK(k.segments[1].flags == "FA");
    CHECK(k.segments[1].seq == 101);
    CHECK(k.segments[1].dropped);
    REQUIRE(k.states.size() == 3);
    CHECK(k.states[0].prev_us == 199522);
    CHECK(k.states[1].timer == "timewait");
    CHECK(*k.states[1].fires_us == 60517519);
    CHECK(k.states[2].state == "CLOSED");
    REQUIRE(k.calls.size() == 2);
    CHECK(k.calls[1].line == 5);
    CHECK(k.calls[1].t_us == 592);         // when connect() was called ...
    CHECK(k.calls[1].text == "L5 connect = 0");  // ... and what it returned
    CHECK(k.end_us == 1200068);
}

TEST_CASE("comparison: a kernel that does exactly what the engine does passes") {
    for (const char* name : {"four-way-close", "first-fin-lost", "fourth-ack-lost", "simultaneous-close", "orphan-retries-exhausted"}) {
        CAPTURE(name);
        const Simulation sim = run(name);
        KernelRecord k = mirror(sim);
        const Comparison c = compare_builtin(k, sim);
        CHECK_MESSAGE(c.passed(), (c.differences.empty() ? std::string() : c.differences.front()));
        CHECK(c.timings.size() > 5);
    }
}

TEST_CASE("comparison: differences are found") {
    const Simulation sim = run("four-way-close");
    SUBCASE("a segment with other flags") {
        KernelRecord k = mirror(sim);
        for (auto& s : k.segments)
            if (s.flags == "FA" && s.from == Side::Server) s.flags = "RA";
        const Comparison c = compare_builtin(k, sim);
        REQUIRE_FALSE(c.passed());
        CHECK(contains(c.differences.front(), "server segment"));
    }
    SUBCASE("an ACK of the FIN 40 ms later than the engine's") {
        KernelRecord k = mirror(sim);
        for (auto& s : k.segments)
            if (s.from == Side::Server && s.flags == "A" && s.ack == 102) s.t_us += 40000;
        const Comparison c = compare_builtin(k, sim);
        REQUIRE_FALSE(c.passed());
        CHECK(contains(c.differences.front(), "timing: server ACK"));
    }
    SUBCASE("a state the engine never has") {
        KernelRecord k = mirror(sim);
        for (auto& s : k.states)
            if (s.side == Side::Client && s.state == "FIN-WAIT-2") s.state = "CLOSING";
        CHECK_FALSE(compare_builtin(k, sim).passed());
    }
    SUBCASE("a long engine state missing from the samples") {
        KernelRecord k = mirror(sim);
        std::erase_if(k.states, [](const StateEntry& s) { return s.side == Side::Client && s.state == "FIN-WAIT-2"; });
        const Comparison c = compare_builtin(k, sim);
        REQUIRE_FALSE(c.passed());
        CHECK(contains(c.differences.front(), "never showed it"));
    }
}

TEST_CASE("comparison: ACKs of one burst coalesced by the kernel's batch receive") {
    const Simulation sim = run("three-segment-close");
    // The engine ACKs the server's seven data segments one by one at 110 ms.
    auto client_ack = [](const WireSegment& s, std::uint32_t ack) { return s.from == Side::Client && s.flags == "A" && s.len == 0 && s.ack == ack; };
    SUBCASE("one ACK for the last two segments passes, with a note") {
        KernelRecord k = mirror(sim);
        const auto before = k.segments.size();
        std::erase_if(k.segments, [&](const WireSegment& s) { return client_ack(s, 8761); });
        REQUIRE(k.segments.size() == before - 1);
        const Comparison c = compare_builtin(k, sim);
        CHECK_MESSAGE(c.passed(), (c.differences.empty() ? std::string() : c.differences.front()));
        bool noted = false;
        for (const auto& n : c.notes) noted = noted || contains(n, "coalesced");
        CHECK(noted);
    }
    SUBCASE("a missing final ACK of the burst is still a difference") {
        KernelRecord k = mirror(sim);
        std::erase_if(k.segments, [&](const WireSegment& s) { return client_ack(s, 9240); });
        CHECK_FALSE(compare_builtin(k, sim).passed());
    }
    SUBCASE("an ACK the engine never sends is still a difference") {
        KernelRecord k = mirror(sim);
        for (auto& s : k.segments)
            if (client_ack(s, 8761)) s.ack = 9000;
        CHECK_FALSE(compare_builtin(k, sim).passed());
    }
}

TEST_CASE("comparison: a FIN-WAIT-2 sampled between the ACK and the FIN of one FIN+ACK") {
    const Simulation sim = run("three-segment-close");  // the client goes from FIN-WAIT-1 to TIME-WAIT on one FIN+ACK
    auto with_fin_wait_2 = [&](std::int64_t shift_us) {
        KernelRecord k = mirror(sim);
        for (std::size_t i = 0; i < k.states.size(); ++i) {
            if (k.states[i].side != Side::Client || k.states[i].state != "TIME-WAIT") continue;
            StateEntry st = k.states[i];
            st.state = "FIN-WAIT-2";
            st.t_us += shift_us;
            st.prev_us = st.t_us;
            st.timer.clear();
            k.states.insert(k.states.begin() + static_cast<std::ptrdiff_t>(i), st);
            break;
        }
        return compare_builtin(k, sim);
    };
    SUBCASE("at the segment's arrival: no difference, a note") {
        const Comparison c = with_fin_wait_2(0);
        CHECK_MESSAGE(c.passed(), (c.differences.empty() ? std::string() : c.differences.front()));
        bool noted = false;
        for (const auto& n : c.notes) noted = noted || contains(n, "between the ACK and the FIN");
        CHECK(noted);
    }
    SUBCASE("5 ms before it: a real FIN-WAIT-2, a difference") { CHECK_FALSE(with_fin_wait_2(-5000).passed()); }
}

TEST_CASE("comparison: a held-up sample is not a re-arm of the TIME-WAIT timer, a moved due time is") {
    const Simulation sim = run("four-way-close");
    // A second reading of the client's TIME-WAIT timer 50 ms later (before the cut).
    auto with_reading = [&](std::int64_t shift_us, std::int64_t err_us) {
        KernelRecord k = mirror(sim);
        for (std::size_t i = 0; i < k.states.size(); ++i) {
            StateEntry st = k.states[i];
            if (st.side != Side::Client || st.state != "TIME-WAIT" || !st.fires_us) continue;
            st.t_us = st.prev_us = st.t_us + 50000;
            st.fires_us = *st.fires_us + shift_us;
            st.fires_err_us = err_us;
            st.timer_left_us = *st.fires_us - st.t_us;
            k.states.insert(k.states.begin() + static_cast<std::ptrdiff_t>(i) + 1, st);
            break;
        }
        return compare_builtin(k, sim);
    };
    // The sampler was held up 30 ms between the kernel's reading and its
    // clock: the due time looks 30 ms later, and the sample says so.
    CHECK(with_reading(30000, 31000).passed());
    // The same shift from a quick sample: the timer really moved.
    const Comparison moved = with_reading(30000, 200);
    REQUIRE_FALSE(moved.passed());
    CHECK(contains(moved.differences.front(), "ss shows it (re)armed 3 times"));
    // A restart (a retransmitted FIN 300 ms later) is a re-arm however the samples went.
    CHECK_FALSE(with_reading(300000, 31000).passed());
}

TEST_CASE("kernel trace: a timer sample's uncertainty") {
    KernelRecord k;
    REQUIRE_FALSE(parse_kernel_trace("   521.519 state C TIME-WAIT timer=(timewait,59996ms,0) fires=60517.519 fires_err=0.412 prev=520.584\n", k)
                      .has_value());
    REQUIRE(k.states.size() == 1);
    CHECK(k.states[0].fires_err_us == 412);
    CHECK(*k.states[0].timer_left_us == 59996000);
}
