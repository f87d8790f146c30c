// State questions (the next state, the state at a moment) and the parts
// every question shares: the moment, the answer, the wrong choices and the
// explanation, all read from what the engine did.
#include <algorithm>

#include "finwave/event_text.hpp"
#include "finwave/trace.hpp"
#include "internal.hpp"

namespace finwave::practice {

bool shown(const Exercise& ex, const TraceEvent& e) {
    if (ex.shown_inclusive ? e.t > ex.shown_until : e.t >= ex.shown_until) return false;
    switch (e.kind) {
        case EventKind::App:
        case EventKind::Send:
        case EventKind::Drop: return true;
        case EventKind::State:
            // The handshake is the same in every story: only the close is shown.
            return ex.show_states && e.to != State::SynSent && e.to != State::SynReceived && e.to != State::Listen;
        case EventKind::TimerSet:
            if (e.t == ex.shown_until) return false;  // the next deadline is the answer
            [[fallthrough]];
        case EventKind::TimerFire:
            return ex.show_timers && e.side == ex.side && (e.timer == TimerKind::Retransmit || e.timer == TimerKind::LossProbe);
        default: return false;
    }
}

namespace detail {

namespace {

using i18n::Words;

const State kStatePool[] = {State::Established, State::FinWait1, State::FinWait2, State::CloseWait,
                            State::Closing,     State::LastAck,  State::TimeWait, State::Closed};

template <typename T>
void shuffle(std::vector<T>& v, Rng& r) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[r.below(static_cast<std::uint32_t>(i))]);
}

const TraceEvent* first_close_call(const Simulation& sim) {
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::App && (e.call.kind == AppCallKind::Close || e.call.kind == AppCallKind::Shutdown ||
                                         e.call.kind == AppCallKind::Abort || e.call.kind == AppCallKind::Crash))
            return &e;
    return nullptr;
}

std::size_t index_of(const Simulation& sim, const TraceEvent& e) { return static_cast<std::size_t>(&e - sim.trace().data()); }

bool app_cause(Cause c) { return std::string(to_string(c)).starts_with("app-"); }

std::vector<Choice> state_choices(State answer, std::optional<State> also_not, Rng& r) {
    std::vector<State> others;
    for (State s : kStatePool)
        if (s != answer && (!also_not || s != *also_not)) others.push_back(s);
    shuffle(others, r);
    std::vector<Choice> out{{to_string(answer), {to_string(answer), to_string(answer)}}};
    for (std::size_t i = 0; i < 3 && i < others.size(); ++i) out.push_back({to_string(others[i]), {to_string(others[i]), to_string(others[i])}});
    shuffle(out, r);
    return out;
}

// The answer first, then distinct wrong times from `wrong` (positive, not the answer).
std::vector<Choice> time_choices(std::int64_t answer, const std::vector<std::int64_t>& wrong, Rng& r) {
    std::vector<std::int64_t> vals{answer};
    for (std::int64_t w : wrong)
        if (w > 0 && std::find(vals.begin(), vals.end(), w) == vals.end() && vals.size() < 4) vals.push_back(w);
    std::vector<Choice> out;
    for (std::int64_t v : vals) out.push_back({std::to_string(v), {format_seconds(v), format_seconds(v)}});
    shuffle(out, r);
    return out;
}

std::string knob_value(const Simulation& sim, const char* name) { return get_knob(sim.knobs(), name).value_or("?"); }

// What made the state change `e` happen, for the explanation and the solvability check.
Deciding decide_state(const Simulation& sim, const TraceEvent& e) {
    Deciding d;
    switch (e.cause) {
        case Cause::TimeoutTimeWait: d.knob = "time_wait"; return d;
        case Cause::TimeoutFinWait2: d.knob = "fin_timeout"; return d;
        case Cause::GiveUp: d.knob = "orphan_retries"; return d;
        case Cause::TooManyOrphans: d.knob = "max_orphans"; return d;
        default: break;
    }
    if (app_cause(e.cause) || e.cause == Cause::Crash) {
        d.story = true;
        return d;
    }
    for (std::size_t i = index_of(sim, e); i-- > 0 && sim.trace()[i].t == e.t;)
        if (sim.trace()[i].kind == EventKind::Deliver && sim.trace()[i].side == e.side) {
            d.seg = sim.trace()[i].seg_id;
            break;
        }
    if (d.seg == 0) d.story = true;
    return d;
}

std::string deciding_words(const Simulation& sim, const Deciding& d, Instant t, const Words& w) {
    if (d.seg != 0) {
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Send && e.seg_id == d.seg)
                return w("practice.why.by_segment", {std::to_string(d.seg), segment_label(e), format_seconds(t.us)});
    }
    if (!d.knob.empty()) return w("practice.why.by_knob", {d.knob + "=" + knob_value(sim, d.knob.c_str()), format_seconds(t.us)});
    return w("practice.why.by_call", {format_seconds(t.us)});
}

std::string lesson_for_state(const Story& s, const TraceEvent& e, bool shutdown) {
    if (e.cause == Cause::TimeoutTimeWait) return "time-wait";
    switch (s.tmpl) {
        case Template::Lost: return "lost-segments";
        case Template::FinWait2: return shutdown ? "half-close" : "orphans-and-close-wait";
        case Template::Orphan: return "orphans-and-close-wait";
        case Template::Rst: return "rst";
        case Template::Simultaneous: return "simultaneous-close";
        default: break;
    }
    if (shutdown) return "half-close";
    return s.closer == Side::Server ? "server-closes-first" : "states-step-by-step";
}

bool story_uses_shutdown(const Simulation& sim) {
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::App && e.call.kind == AppCallKind::Shutdown) return true;
    return false;
}

Text state_why(const Simulation& sim, const TraceEvent& e, const Deciding& d) {
    return both([&](const Words& w) {
        std::string s = w("practice.why.state", {deciding_words(sim, d, e.t, w), side_word(e.side, w), to_string(e.from),
                                                 to_string(e.to), i18n::cause_text(e.cause, w)});
        if (e.edge >= 0) {
            const std::string note = i18n::edge_note(transition_table()[static_cast<std::size_t>(e.edge)], w);
            // Chinese sentences follow each other without a space.
            if (!note.empty()) s += (w.lang() == i18n::Lang::Zh ? "" : " ") + w("practice.why.rule", {note});
        }
        return s;
    });
}

bool next_state(Exercise& ex, const Story& story, const Simulation& sim, Rng& r) {
    const TraceEvent* t0 = first_close_call(sim);
    if (!t0) return false;
    std::vector<const TraceEvent*> cands;
    for (const auto& e : sim.trace()) {
        if (e.kind != EventKind::State || e.t <= t0->t || app_cause(e.cause) || e.from == e.to) continue;
        // The only change of that side at that instant: two at once (a FIN
        // and a RST arriving together) would make "next" a quibble.
        int at_once = 0;
        for (const auto& o : sim.trace())
            if (o.kind == EventKind::State && o.side == e.side && o.t == e.t) ++at_once;
        if (at_once == 1) cands.push_back(&e);
    }
    if (cands.empty()) return false;
    // Past level 1 the first two steps of every close (a FIN arrives, our
    // FIN is ACKed) give way to the moments that need more thought.
    if (ex.level > 1) {
        std::vector<const TraceEvent*> harder;
        for (const TraceEvent* c : cands)
            if (!(c->from == State::Established && c->to == State::CloseWait) && !(c->from == State::FinWait1 && c->to == State::FinWait2))
                harder.push_back(c);
        if (!harder.empty()) cands = harder;
    }
    const TraceEvent& e = *cands[r.below(static_cast<std::uint32_t>(cands.size()))];
    ex.kind = Kind::NextState;
    ex.side = e.side;
    ex.t = e.t;
    ex.shown_until = e.t;
    ex.shown_inclusive = false;
    ex.answer = to_string(e.to);
    ex.choices = state_choices(e.to, e.from, r);
    ex.prompt = both([&](const Words& w) {
        return w("practice.q.next_state", {side_word(e.side, w), to_string(e.from), format_seconds(e.t.us)});
    });
    ex.deciding = decide_state(sim, e);
    ex.why = state_why(sim, e, ex.deciding);
    ex.lesson = lesson_for_state(story, e, story_uses_shutdown(sim));
    return true;
}

bool state_at(Exercise& ex, const Story& story, const Simulation& sim, Rng& r) {
    const TraceEvent* t0 = first_close_call(sim);
    if (!t0) return false;
    const Side side = r.below(2) == 0 ? Side::Client : Side::Server;
    std::vector<const TraceEvent*> changes;
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::State && e.side == side && e.t >= t0->t) changes.push_back(&e);
    if (changes.empty()) return false;
    const std::size_t k = r.below(static_cast<std::uint32_t>(changes.size()));
    const TraceEvent& e = *changes[k];
    // A moment strictly inside the state's stay, in whole milliseconds.
    std::int64_t span_ms = (k + 1 < changes.size() ? (changes[k + 1]->t - e.t).us : 2'000'000) / 1000;
    if (span_ms < 2) return false;
    const Instant t{e.t.us + 1000 * (1 + static_cast<std::int64_t>(r.below(static_cast<std::uint32_t>(span_ms - 1))))};
    // The state at t is the last change at or before t (several may share e.t).
    const TraceEvent* last = &e;
    for (const TraceEvent* c : changes)
        if (c->t <= t) last = c;
    ex.kind = Kind::StateAt;
    ex.side = side;
    ex.t = t;
    ex.shown_until = t;
    ex.shown_inclusive = true;
    ex.show_states = false;
    ex.answer = to_string(last->to);
    ex.choices = state_choices(last->to, std::nullopt, r);
    ex.prompt = both([&](const Words& w) { return w("practice.q.state_at", {side_word(side, w), format_seconds(t.us)}); });
    ex.deciding = decide_state(sim, *last);
    ex.why = state_why(sim, *last, ex.deciding);
    // Why it is still there at t: what ends the stay, and when.
    const TraceEvent* after = nullptr;
    for (const TraceEvent* c : changes)
        if (c->t > t) {
            after = c;
            break;
        }
    const Text stay = both([&](const Words& w) {
        if (!after) return w("practice.why.stays", {to_string(last->to)});
        return w("practice.why.until", {to_string(last->to), format_seconds(after->t.us), i18n::cause_text(after->cause, w)});
    });
    ex.why.en += " " + stay.en;
    ex.why.zh += stay.zh;
    ex.lesson = lesson_for_state(story, *last, story_uses_shutdown(sim));
    return true;
}

}  // namespace





bool make_question(Exercise& ex, const Story& story, const Simulation& sim, Kind kind, Rng& r) {
    switch (kind) {
        case Kind::NextState: return next_state(ex, story, sim, r);
        case Kind::StateAt: return state_at(ex, story, sim, r);
        case Kind::Field: return field_question(ex, story, sim, r);
        case Kind::RetransmitTime:
        case Kind::GiveUpTime:
        case Kind::ClosedTime: return timing_question(ex, story, sim, kind, r);
        case Kind::RstCase: return rst_question(ex, story, sim, r);
        case Kind::kCount: break;
    }
    return false;
}

// Shared with the other question files.
std::vector<Choice> make_time_choices(std::int64_t answer, const std::vector<std::int64_t>& wrong, Rng& r) {
    return time_choices(answer, wrong, r);
}
const TraceEvent* close_call(const Simulation& sim) { return first_close_call(sim); }
std::string why_segment(const Simulation& sim, const Deciding& d, Instant t, const Words& w) { return deciding_words(sim, d, t, w); }

}  // namespace detail
}  // namespace finwave::practice
