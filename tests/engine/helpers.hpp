// Helpers that read like the RFC: fixtures are reached through real
// transitions (a scenario, then application calls), never by setting fields.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "finwave/builtin.hpp"
#include "finwave/simulation.hpp"
#include "finwave/trace.hpp"

namespace finwave::test {

using Overrides = std::vector<std::pair<std::string, std::string>>;

inline Scenario parse_or_fail(std::string_view text, std::string_view file = "test") {
    auto parsed = parse_scenario(text, file);
    if (auto* e = std::get_if<ParseError>(&parsed)) FAIL("scenario does not parse: " << e->to_string());
    return std::get<Scenario>(parsed);
}

inline Knobs knobs_for(const Scenario& sc, Profile p, const Overrides& o = {}) {
    auto k = resolve_knobs(sc, p, o);
    if (auto* e = std::get_if<std::string>(&k)) FAIL("knobs: " << *e);
    return std::get<Knobs>(k);
}

// A finished run of a built-in scenario.
inline Simulation run_builtin(std::string_view name, Profile p = Profile::Linux, const Overrides& o = {}, std::uint64_t seed = 1) {
    auto parsed = load_builtin(name);
    REQUIRE_MESSAGE(std::holds_alternative<Scenario>(parsed), "built-in " << name << " does not parse");
    const Scenario sc = std::get<Scenario>(parsed);
    Simulation sim(sc, knobs_for(sc, p, o), seed);
    sim.run();
    CHECK_MESSAGE(sim.problems().empty(), name << ": " << (sim.problems().empty() ? "" : sim.problems().front()));
    return sim;
}

inline Simulation run_text(std::string_view text, Profile p = Profile::Linux, const Overrides& o = {}) {
    const Scenario sc = parse_or_fail(text);
    Simulation sim(sc, knobs_for(sc, p, o), 1);
    sim.run();
    return sim;
}

// A connection that has just become ESTABLISHED on both sides (10 ms link).
inline Simulation established(Profile p = Profile::Linux, const Overrides& o = {}, std::string_view extra = "") {
    const std::string text = "scenario fixture\nat 0 server listen\nat 0 client connect\n" + std::string(extra);
    const Scenario sc = parse_or_fail(text);
    Simulation sim(sc, knobs_for(sc, p, o), 1);
    sim.run_until(Instant{} + Duration::millis(40));
    REQUIRE(sim.endpoint(Side::Client).state() == State::Established);
    REQUIRE(sim.endpoint(Side::Server).state() == State::Established);
    return sim;
}

inline void call(Simulation& sim, Side side, AppCallKind kind, std::uint32_t bytes = 0) {
    AppCall c;
    c.kind = kind;
    c.bytes = bytes;
    sim.app_call(side, c);
}

inline void run_for(Simulation& sim, Duration d) { sim.run_until(sim.now() + d); }

// The states a side went through, starting from its first state.
inline std::vector<State> states(const Simulation& sim, Side side) {
    std::vector<State> out;
    for (const auto& e : sim.trace()) {
        if (e.kind != EventKind::State || e.side != side) continue;
        if (out.empty()) out.push_back(e.from);
        out.push_back(e.to);
    }
    return out;
}

// Segments sent, as "client FA 101 201 0": side, flags, relative seq, ack, len.
inline std::string seg_string(const TraceEvent& e) {
    return std::string(to_string(e.side)) + " " + flag_letters(e.flags) + " " + std::to_string(e.seq) + " " +
           std::to_string(e.ack) + " " + std::to_string(e.len);
}

inline std::vector<std::string> sent(const Simulation& sim, std::size_t from_event = 0) {
    std::vector<std::string> out;
    for (std::size_t i = from_event; i < sim.trace().size(); ++i)
        if (sim.trace()[i].kind == EventKind::Send) out.push_back(seg_string(sim.trace()[i]));
    return out;
}

// Send events with their times, for timing facts.
inline std::vector<const TraceEvent*> sends_matching(const Simulation& sim, Side side, std::uint8_t flags_required) {
    std::vector<const TraceEvent*> out;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Send && e.side == side && (e.flags & flags_required) == flags_required) out.push_back(&e);
    return out;
}

inline const TraceEvent* first_state_change(const Simulation& sim, Side side, State to) {
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::State && e.side == side && e.to == to) return &e;
    return nullptr;
}

inline bool has_note(const Simulation& sim, Side side, Note n) {
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Note && e.side == side && e.note == n) return true;
    return false;
}

inline bool has_notice(const Simulation& sim, Side side, Notice n) {
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::Notify && e.side == side && e.notice == n) return true;
    return false;
}

inline std::string jsonl(const Simulation& sim) {
    std::string out;
    for (const auto& e : sim.trace()) out += event_json(e) + "\n";
    return out;
}

// Checks a state change's edge against the table itself, not against
// find_transition's index: the row it names must be (from, cause, to), and it
// must be the first such row. Empty when it is.
inline std::string edge_mismatch(const TraceEvent& e) {
    const auto table = transition_table();
    auto fits = [&](const Transition& t) { return (!t.from || *t.from == e.from) && t.cause == e.cause && t.to == e.to; };
    int first = -1;
    for (std::size_t i = 0; i < table.size() && first < 0; ++i)
        if (fits(table[i])) first = static_cast<int>(i);
    if (first < 0) return std::string("no row of the table is ") + to_string(e.from) + " --" + to_string(e.cause) + "--> " + to_string(e.to);
    if (e.edge != first) return "edge " + std::to_string(e.edge) + " recorded, the table's row for it is " + std::to_string(first);
    return {};
}

constexpr Duration ms(std::int64_t v) { return Duration::millis(v); }
constexpr Instant at_ms(std::int64_t v) { return Instant{} + Duration::millis(v); }

}  // namespace finwave::test

namespace doctest {
template <>
struct StringMaker<std::vector<finwave::State>> {
    static String convert(const std::vector<finwave::State>& v) {
        std::string s = "[";
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(finwave::to_string(v[i]));
        return (s + "]").c_str();
    }
};
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string s = "[";
        for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " | " : "") + v[i];
        return (s + "]").c_str();
    }
};
}  // namespace doctest
