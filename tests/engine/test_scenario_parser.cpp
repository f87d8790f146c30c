#include "helpers.hpp"

#include <filesystem>
#include <set>
#include <string>

using namespace finwave;
using namespace finwave::test;

namespace {
ParseError parse_error(std::string_view text) {
    auto r = parse_scenario(text, "bad.scenario");
    REQUIRE_MESSAGE(std::holds_alternative<ParseError>(r), "expected a parse error for:\n" << text);
    return std::get<ParseError>(r);
}
}  // namespace

TEST_CASE("every file in engine/scenarios/ is a built-in scenario, and nothing else is") {
    // Read from the folder itself, so that adding a scenario is adding a
    // file (and its golden traces): no count to keep in step.
    std::set<std::string> files, registered;
    for (const auto& entry : std::filesystem::directory_iterator(FINWAVE_SCENARIO_DIR))
        if (entry.path().extension() == ".scenario") files.insert(entry.path().stem().string());
    for (const auto& b : builtin_scenarios()) registered.insert(std::string(b.name));
    CHECK_FALSE(files.empty());
    CHECK(files == registered);
    CHECK(builtin_scenarios().size() == files.size());  // no name twice
}

TEST_CASE("every built-in scenario parses and has a description") {
    for (const auto& b : builtin_scenarios()) {
        CAPTURE(b.name);
        auto r = load_builtin(b.name);
        REQUIRE(std::holds_alternative<Scenario>(r));
        const Scenario& sc = std::get<Scenario>(r);
        CHECK(sc.name == b.name);
        CHECK_FALSE(sc.description.empty());
    }
}

TEST_CASE("the issue's scenario names all exist") {
    for (const char* name :
         {"four-way-close", "three-segment-close", "server-active-close", "half-close", "fin-with-data", "simultaneous-close",
          "first-fin-lost", "second-ack-lost", "third-fin-lost", "fourth-ack-lost", "orphan-retries-exhausted", "fin-wait-2-timeout",
          "shutdown-fin-wait-2", "close-wait-leak", "rst-unread-data", "rst-linger-zero", "rst-data-after-close", "rst-no-connection",
          "time-wait-protects-new-connection", "time-wait-rst-assassination", "process-exit", "full-lifecycle"}) {
        CAPTURE(name);
        CHECK(find_builtin(name).has_value());
    }
    // Next to the close (engine truth, round 2).
    for (const char* name : {"connect-timeout", "synack-lost", "fin-before-data", "keepalive-dead-peer", "orphan-retries-default",
                             "initial-window", "rst-too-many-orphans"}) {
        CAPTURE(name);
        CHECK(find_builtin(name).has_value());
    }
}

TEST_CASE("a full scenario parses into calls, triggers, faults and knobs") {
    const Scenario sc = parse_or_fail(R"(# comment line
scenario demo
description A demo.   # trailing comment
profile rfc
set fin_timeout=3s msl=30s
seed 7
loss 5% until 10s
at 0 server listen
at 1.5s client send 660
on server eof +300ms server close
drop server ack in CLOSE-WAIT #1
duplicate client data #2 +40s
delay server FIN every +500ms
drop #4-6
until 2min
)");
    CHECK(sc.name == "demo");
    CHECK(sc.description == "A demo.");
    CHECK(sc.profile == Profile::Rfc);
    CHECK(sc.knobs.size() == 2);
    CHECK(sc.seed == 7u);
    CHECK(sc.loss == doctest::Approx(0.05));
    CHECK(sc.loss_until == Duration::seconds(10));
    REQUIRE(sc.calls.size() == 2);
    CHECK(sc.calls[1].at == Duration::millis(1500));
    CHECK(sc.calls[1].call.kind == AppCallKind::Send);
    CHECK(sc.calls[1].call.bytes == 660u);
    CHECK(sc.calls[1].line == 9);
    REQUIRE(sc.triggers.size() == 1);
    CHECK(sc.triggers[0].on_eof);
    CHECK(sc.triggers[0].delay == Duration::millis(300));
    REQUIRE(sc.faults.size() == 4);
    CHECK(describe(sc.faults[0]) == "drop server ack in CLOSE-WAIT #1");
    CHECK(describe(sc.faults[1]) == "duplicate client data #2 +40s");
    CHECK(describe(sc.faults[2]) == "delay server FIN every +500ms");
    CHECK(describe(sc.faults[3]) == "drop any #4-6");
    CHECK(sc.until == Duration::seconds(120));
}

TEST_CASE("malformed scenarios: file, line and what was expected") {
    struct Case {
        const char* text;
        int line;
        const char* says;
    };
    const Case cases[] = {
        {"scenario x\nat 1 client close\n", 2, "expected a time with a unit"},
        {"scenario x\nat 1s clinet close\n", 2, "expected client or server"},
        {"scenario x\nat 1s client shut\n", 2, "unknown application call 'shut'"},
        {"scenario x\nat 1s client send\n", 2, "'send' needs a number of bytes"},
        {"scenario x\nat 1s client send lots\n", 2, "expected a number of bytes"},
        {"scenario x\nset fin_timeout=60\nat 0 client connect\n", 2, "duration with a unit"},
        {"scenario x\nset nope=1\nat 0 client connect\n", 2, "unknown knob 'nope'"},
        {"scenario x\nat 0 client connect\ndrop client FIN #0\n", 3, "#N with N >= 1"},
        {"scenario x\nat 0 client connect\ndrop client FIN in FIN-WAIT-3\n", 3, "unknown state 'FIN-WAIT-3'"},
        {"scenario x\nat 0 client connect\ndelay server FIN\n", 3, "needs +DELAY"},
        {"scenario x\nat 0 client connect\ndrop client banana\n", 3, "unexpected 'banana'"},
        {"scenario x\non client nowhere client close\n", 2, "expected eof, reset or a state name"},
        {"scenario x\nfrobnicate\n", 2, "unknown directive 'frobnicate'"},
        {"at 0 client connect\n", 1, "missing 'scenario NAME'"},
        {"scenario x\n", 1, "nothing would happen"},
        {"scenario x\nprofile bsd\n", 2, "expected 'profile linux' or 'profile rfc'"},
        {"scenario x\nloss 150%\n", 2, "between 0% and 100%"},
        {"scenario x\nat 0 client\xff\x01 connect\n", 2, "control character"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const ParseError e = parse_error(c.text);
        CHECK(e.file == "bad.scenario");
        CHECK(e.line == c.line);
        CHECK_MESSAGE(e.message.find(c.says) != std::string::npos, e.message);
        CHECK(e.to_string().rfind("bad.scenario:" + std::to_string(c.line) + ": ", 0) == 0);
    }
}

TEST_CASE("line numbers shift for a scenario embedded in a larger file") {
    auto r = parse_scenario("scenario x\nat soon client close\n", "lessons/en/01.md", 40);
    REQUIRE(std::holds_alternative<ParseError>(r));
    CHECK(std::get<ParseError>(r).line == 41);
}

TEST_CASE("scripts never crash on junk: a short fuzz over random bytes and mutated built-ins") {
    Rng rng(42);
    const auto builtins = builtin_scenarios();
    for (int i = 0; i < 3000; ++i) {
        std::string text(builtins[i % builtins.size()].text);
        const int edits = 1 + static_cast<int>(rng.below(8));
        for (int j = 0; j < edits && !text.empty(); ++j) {
            const std::size_t pos = rng.below(static_cast<std::uint32_t>(text.size()));
            text[pos] = static_cast<char>(" #0123456789msabcdefxyz+-=%\n\t"[rng.below(29)]);
        }
        auto r = parse_scenario(text, "fuzz");
        if (auto* sc = std::get_if<Scenario>(&r)) {
            auto k = resolve_knobs(*sc, Profile::Linux, {});
            if (auto* knobs = std::get_if<Knobs>(&k)) {
                Simulation::Options opts;
                opts.max_events = 20000;
                Simulation sim(*sc, *knobs, static_cast<std::uint64_t>(i), opts);
                sim.run();
                CHECK(sim.events_processed() <= 20000);
            }
        }
    }
}
