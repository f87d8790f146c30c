// Running a lesson's steps on the engine and computing the answers of checks.
#include "finwave/lesson.hpp"

#include <charconv>

namespace finwave {

bool play_done(const Simulation& sim, const PlayDirective& d) {
    switch (d.kind) {
        case PlayDirective::Kind::UntilEnd: return sim.finished();
        case PlayDirective::Kind::UntilTime: return sim.now() >= Instant{} + d.time;
        case PlayDirective::Kind::UntilState: return sim.endpoint(d.side).state() == d.state;
        case PlayDirective::Kind::UntilEof: return sim.endpoint(d.side).view().eof_seen;
    }
    return false;
}

bool play_stops_at(const TraceEvent& e, const PlayDirective& d) {
    if (e.side != d.side) return false;
    if (d.kind == PlayDirective::Kind::UntilState) return e.kind == EventKind::State && e.to == d.state;
    if (d.kind == PlayDirective::Kind::UntilEof) return e.kind == EventKind::Notify && e.notice == Notice::Eof;
    return false;
}

void play(Simulation& sim, const PlayDirective& d) {
    switch (d.kind) {
        case PlayDirective::Kind::UntilEnd: sim.run(); return;
        case PlayDirective::Kind::UntilTime: sim.run_until(Instant{} + d.time); return;
        case PlayDirective::Kind::UntilState:
        case PlayDirective::Kind::UntilEof: break;
    }
    if (play_done(sim, d)) return;
    for (int guard = 0; guard < 1000000; ++guard) {
        const std::size_t before = sim.trace().size();
        if (!sim.step()) return;
        for (std::size_t k = before; k < sim.trace().size(); ++k)
            if (play_stops_at(sim.trace()[k], d)) return;
    }
}

std::optional<std::size_t> scenario_step_of(const Lesson& lesson, std::size_t index) {
    if (index >= lesson.steps.size()) return std::nullopt;
    for (std::size_t k = index + 1; k-- > 0;)
        if (lesson.steps[k].scenario) return k;
    return std::nullopt;
}

namespace {

std::optional<Simulation> run_step(const Lesson& lesson, std::size_t index, Profile fallback, bool to_end) {
    const auto start = scenario_step_of(lesson, index);
    if (!start) return std::nullopt;
    const Scenario& sc = *lesson.steps[*start].scenario;
    auto knobs = resolve_knobs(sc, sc.profile.value_or(fallback), {});
    if (std::holds_alternative<std::string>(knobs)) return std::nullopt;  // verify_lesson reports it
    Simulation sim(sc, std::get<Knobs>(knobs), sc.seed.value_or(1));
    for (std::size_t k = *start; k <= index; ++k) {
        for (const auto& d : lesson.steps[k].open) play(sim, d);
        if (k < index || to_end)
            for (const auto& d : lesson.steps[k].play) play(sim, d);
    }
    return sim;
}

}  // namespace

std::optional<Simulation> simulation_for_step(const Lesson& lesson, std::size_t index, Profile fallback) {
    return run_step(lesson, index, fallback, false);
}

std::optional<Simulation> simulation_at_step_end(const Lesson& lesson, std::size_t index, Profile fallback) {
    return run_step(lesson, index, fallback, true);
}

namespace {

bool sent_matches(const TraceEvent& e, const SegmentPattern& p) {
    Segment seg;
    seg.from = e.side;
    seg.flags = e.flags;
    seg.len = e.len;
    return p.matches(seg, e.sender_state);
}

// The first index in the trace of a Send matching the pattern's selection.
std::optional<std::size_t> find_sent(const Simulation& sim, const PatternSelection& ps) {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < sim.trace().size(); ++i) {
        const TraceEvent& e = sim.trace()[i];
        if (e.kind != EventKind::Send || !sent_matches(e, ps.pattern)) continue;
        if (++n == ps.first) return i;
    }
    return std::nullopt;
}

}  // namespace

CheckResult evaluate_check(const Simulation& paused, std::string_view check, const Question* q) {
    const auto w = words_of(check);
    CheckResult r;
    if (w.empty()) {
        r.error = "empty check";
        return r;
    }
    auto side_arg = [&](std::optional<Side>& out) {
        if (w.size() != 2 || !(out = parse_side(w[1]))) r.error = "expected '" + std::string(w[0]) + " client' or '" + std::string(w[0]) + " server'";
        return out.has_value();
    };
    const std::string_view verb = w[0];
    if (verb == "state") {
        std::optional<Side> s;
        if (side_arg(s)) r.value = to_string(paused.endpoint(*s).state());
        return r;
    }
    if (verb == "next-state") {
        std::optional<Side> s;
        if (!side_arg(s)) return r;
        Simulation sim = paused;
        for (int guard = 0; guard < 1000000; ++guard) {
            const std::size_t before = sim.trace().size();
            if (!sim.step()) break;
            for (std::size_t k = before; k < sim.trace().size(); ++k) {
                const TraceEvent& e = sim.trace()[k];
                if (e.kind == EventKind::State && e.side == *s) {
                    r.value = to_string(e.to);
                    return r;
                }
            }
        }
        r.value = "none";
        return r;
    }
    Simulation sim = paused;
    sim.run();
    if (verb == "end-state") {
        std::optional<Side> s;
        if (side_arg(s)) r.value = to_string(sim.endpoint(*s).state());
        return r;
    }
    if (verb == "time") {
        // When the side first enters the state, from the start of the run.
        std::optional<Side> s;
        std::optional<State> st;
        if (w.size() != 3 || !(s = parse_side(w[1])) || !(st = parse_state(w[2]))) {
            r.error = "expected 'time SIDE STATE', e.g. 'time client CLOSED'";
            return r;
        }
        r.value = "never";
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::State && e.side == *s && e.to == *st) {
                r.value = format_duration(e.t - Instant{});
                break;
            }
        return r;
    }
    if (verb == "bytes" || verb == "corrupt") {
        // Bytes the side's application received: all of them, or those that
        // belonged to an earlier connection.
        std::optional<Side> s;
        if (!side_arg(s)) return r;
        std::int64_t n = 0;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Notify && e.side == *s && e.notice == (verb == "bytes" ? Notice::DataRead : Notice::CorruptData))
                n += e.value;
        r.value = std::to_string(n);
        return r;
    }
    if (verb == "first-retransmit") {
        r.value = "none";
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Send && e.retransmission) {
                r.value = to_string(e.side);
                break;
            }
        return r;
    }
    if (verb == "segment" || verb == "count") {
        std::vector<std::string_view> pattern(w.begin() + 1, w.end());
        std::string_view field;
        if (verb == "segment") {
            if (pattern.empty() || (pattern.back() != "seq" && pattern.back() != "ack" && pattern.back() != "len")) {
                r.error = "expected 'segment PATTERN seq|ack|len', e.g. 'segment server FIN #1 ack'";
                return r;
            }
            field = pattern.back();
            pattern.pop_back();
        }
        auto ps = parse_pattern(pattern);
        if (auto* e = std::get_if<std::string>(&ps)) {
            r.error = *e;
            return r;
        }
        const PatternSelection& sel = std::get<PatternSelection>(ps);
        if (verb == "count") {
            std::int64_t n = 0;
            for (const auto& e : sim.trace())
                if (e.kind == EventKind::Send && sent_matches(e, sel.pattern)) ++n;
            r.value = std::to_string(n);
            return r;
        }
        const auto idx = find_sent(sim, sel);
        if (!idx) {
            r.value = "none";
            return r;
        }
        const TraceEvent& e = sim.trace()[*idx];
        r.value = std::to_string(field == "seq" ? e.seq : field == "ack" ? e.ack : e.len);
        return r;
    }
    if (verb == "order") {
        if (!q || q->choices.size() < 2) {
            r.error = "'check: order' needs the question's choices as segment patterns";
            return r;
        }
        std::optional<std::size_t> previous;
        for (const auto& c : q->choices) {
            auto ps = parse_pattern(words_of(c.value));
            if (auto* e = std::get_if<std::string>(&ps)) {
                r.error = "order item '" + c.value + "': " + *e;
                return r;
            }
            const auto idx = find_sent(sim, std::get<PatternSelection>(ps));
            if (!idx) {
                r.value = "'" + c.value + "' never happens";
                return r;
            }
            if (previous && *idx <= *previous) {
                r.value = "'" + c.value + "' happens too early";
                return r;
            }
            previous = idx;
        }
        r.value = "in order";
        return r;
    }
    r.error = "unknown check '" + std::string(verb) +
              "'; expected state, next-state, end-state, time, segment, count, bytes, corrupt, first-retransmit or order";
    return r;
}

bool event_reveals(const Question& q, std::string_view engine_value, const TraceEvent& e) {
    const auto w = words_of(q.check);
    if (w.empty()) return false;
    const std::string_view verb = w[0];
    const auto side = w.size() >= 2 ? parse_side(w[1]) : std::nullopt;
    if (verb == "state" || verb == "next-state")
        return side && e.kind == EventKind::State && e.side == *side;  // a change of state shows where it came from and goes
    if (verb == "end-state") {
        const auto st = parse_state(engine_value);
        return side && st && e.kind == EventKind::State && e.side == *side && e.to == *st;
    }
    if (verb == "time") {
        const auto st = w.size() == 3 ? parse_state(w[2]) : std::nullopt;
        return side && st && e.kind == EventKind::State && e.side == *side && e.to == *st;
    }
    if (verb == "bytes" || verb == "corrupt")
        return side && e.kind == EventKind::Notify && e.side == *side &&
               e.notice == (verb == "bytes" ? Notice::DataRead : Notice::CorruptData);
    if (verb == "first-retransmit") return e.kind == EventKind::Send && e.retransmission;
    if (verb == "segment" || verb == "count") {
        if (e.kind != EventKind::Send) return false;
        std::vector<std::string_view> pattern(w.begin() + 1, w.end());
        if (verb == "segment" && !pattern.empty()) pattern.pop_back();
        auto ps = parse_pattern(pattern);
        if (std::holds_alternative<std::string>(ps)) return false;
        const SegmentPattern& p = std::get<PatternSelection>(ps).pattern;
        if (sent_matches(e, p)) return true;
        // How many a side sends shows as soon as it sends something else in
        // its place (a FIN carrying the ACK instead of a bare ACK).
        return verb == "count" && p.from && *p.from == e.side;
    }
    return false;
}

bool choice_matches(const Choice& c, std::string_view engine_value) {
    if (c.value == engine_value) return true;
    const auto a = parse_state(c.value);
    const auto b = parse_state(engine_value);
    return a && b && *a == *b;
}

}  // namespace finwave
