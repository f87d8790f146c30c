// Step 3 of the comparison: timings. Every segment and every timer-driven
// change of state is timed from the event that caused it in the engine's run
// (an application call, a segment's arrival, the arming of a timer); the same
// interval is measured on the kernel.
#include <algorithm>
#include <limits>

#include "compare_steps.hpp"

namespace finwave::conformance::detail {

std::optional<std::int64_t> kernel_call(const Run& r, Side side, int line) {
    for (const auto& c : r.k.calls)
        if (c.side == side && c.line == line) return c.t_us;
    return std::nullopt;
}

std::optional<std::int64_t> kernel_segment_time(const Run& r, std::uint64_t engine_id) {
    auto it = r.by_id.find(engine_id);
    if (it == r.by_id.end() || r.kernel_of[it->second] == kNone) return std::nullopt;
    return r.kseg[r.kernel_of[it->second]].t_us;
}

namespace {

// When a segment the engine delivers reached the other end on the kernel:
// its kernel departure plus the engine's own transit time for this copy (the
// latency, plus the extra time of a duplicate or delay fault, which the relay
// applies the same way).
std::optional<std::int64_t> kernel_arrival(const Run& r, const TraceEvent& deliver) {
    auto it = r.by_id.find(deliver.seg_id);
    if (it == r.by_id.end()) return std::nullopt;
    const auto sent = kernel_segment_time(r, deliver.seg_id);
    if (!sent) return std::nullopt;
    return *sent + (deliver.t.us - r.engine[it->second].t_us);
}

struct Cause {
    std::optional<std::int64_t> anchor;  // kernel time the interval starts
    std::int64_t expected = 0;           // engine interval
    std::int64_t early = 0, late = 0;
    std::string why;                     // "after close()", "tail loss probe", ...
};

// The cause of the event at trace index i (side `side`), per its step.
std::optional<Cause> cause_of(const Run& r, std::size_t i, Side side) {
    const Tolerances& tol = r.tol;
    const std::size_t o = r.openers[i];
    if (o == kNone) return std::nullopt;
    const TraceEvent& op = r.trace[o];
    Cause c;
    if (op.kind == EventKind::App) {
        c.anchor = kernel_call(r, op.side, op.script_line);
        c.why = "at " + describe(op.call);
        c.early = tol.immediate_early.us;
        c.late = tol.immediate_late.us;
        return c;
    }
    if (op.kind == EventKind::Deliver) {
        c.anchor = kernel_arrival(r, op);
        c.why = "on the arrival of the " + std::string(side_name(peer_of(side))) + "'s " + segment_kind(flag_letters(op.flags), op.len);
        c.early = tol.immediate_early.us;
        c.late = tol.immediate_late.us;
        return c;
    }
    // A timer: find where it was armed.
    for (std::size_t s = o; s-- > 0;) {
        const TraceEvent& t = r.trace[s];
        if (t.kind != EventKind::TimerSet || t.side != op.side || t.timer != op.timer || t.deadline != op.t) continue;
        const Duration d = op.t - t.t;
        c.anchor = r.openers[s] == kNone ? std::nullopt : step_anchor(r, r.openers[s], op.side);
        c.expected = d.us;
        c.why = std::string("by the ") + timer_purpose(op.timer);
        c.early = tol.tick.us + 1000;
        c.late = wheel_granularity(d, tol.tick).us + 2 * tol.tick.us + tol.timer_slack.us;
        if (op.timer == TimerKind::Retransmit || op.timer == TimerKind::LossProbe)
            c.late += tol.tick.us * ((d.us + tol.rto_unit.us - 1) / tol.rto_unit.us);
        return c;
    }
    return std::nullopt;
}

}  // namespace

// Preferably the kernel time of a segment the step sent (the kernel armed its
// timers right then); else the arrival or the call.
std::optional<std::int64_t> step_anchor(const Run& r, std::size_t o, Side side) {
    for (std::size_t i = o; i < r.trace.size() && r.openers[i] == o; ++i)
        if (r.trace[i].kind == EventKind::Send && r.trace[i].side == side)
            if (auto t = kernel_segment_time(r, r.trace[i].seg_id)) return t;
    const auto& op = r.trace[o];
    if (op.kind == EventKind::Deliver) return kernel_arrival(r, op);
    if (op.kind == EventKind::App) return kernel_call(r, op.side, op.script_line);
    return std::nullopt;
}

// Every application call the engine made must have happened on the kernel.
void check_calls_happened(const Run& r, Comparison& out) {
    for (const auto& e : r.trace) {
        if (e.t.us > r.cut || e.kind != EventKind::App || e.script_line == 0) continue;
        if (!kernel_call(r, e.side, e.script_line))
            out.differences.push_back(std::string(side_name(e.side)) + " " + describe(e.call) + " (scenario line " + std::to_string(e.script_line) +
                                      ") at " + ms(e.t.us) + " in the engine never happened on the kernel");
    }
}

void time_segments(const Run& r, Comparison& out) {
    for (std::size_t i = 0; i < r.engine.size(); ++i) {
        if (r.kernel_of[i] == kNone) continue;
        const auto c = cause_of(r, r.engine_trace_idx[i], r.engine[i].from);
        const WireSegment& s = r.engine[i];
        const std::string name = std::string(side_name(s.from)) + " " + segment_kind(s.flags, s.len) + " seq=" + std::to_string(s.seq) +
                                 (r.trace[r.engine_trace_idx[i]].retransmission ? " (retransmission)" : "");
        if (!c || !c->anchor) {
            out.notes.push_back("no kernel reference point for the timing of " + name);
            continue;
        }
        TimingCheck tc;
        tc.name = name + " " + c->why;
        tc.expected_us = c->expected;
        tc.kernel_lo_us = tc.kernel_hi_us = r.kseg[r.kernel_of[i]].t_us - *c->anchor;
        tc.early_us = c->early;
        tc.late_us = c->late;
        tc.ok = tc.kernel_lo_us >= tc.expected_us - tc.early_us && tc.kernel_hi_us <= tc.expected_us + tc.late_us;
        out.timings.push_back(tc);
    }
}

// Timer-driven changes of state (a give-up, the FIN-WAIT-2 timeout). The
// kernel's change happened between two samples: (prev, t].
void time_state_changes(const Run& r, Comparison& out) {
    for (int sd = 0; sd < 2; ++sd) {
        const Side side = sd == 0 ? Side::Client : Side::Server;
        for (std::size_t s = 0; s < r.es[sd].size(); ++s) {
            const std::size_t idx = r.es[sd][s].trace_idx;
            const std::size_t o = r.openers[idx];
            if (o == kNone || r.trace[o].kind != EventKind::TimerFire || r.kstate_of[sd][s] == kNone) continue;
            const auto c = cause_of(r, idx, side);
            const TraceEvent& e = r.trace[idx];
            const std::string name = std::string(side_name(side)) + " " + to_string(e.from) + " -> " + to_string(e.to) + " " +
                                     (c ? c->why : std::string());
            if (!c || !c->anchor) {
                out.notes.push_back("no kernel reference point for the timing of " + name);
                continue;
            }
            const StateEntry& ke = r.ks[sd][r.kstate_of[sd][s]];
            TimingCheck tc;
            tc.name = name;
            tc.expected_us = c->expected;
            tc.kernel_lo_us = ke.prev_us - *c->anchor;
            tc.kernel_hi_us = ke.t_us - *c->anchor;
            tc.early_us = c->early;
            tc.late_us = c->late;
            tc.ok = tc.kernel_hi_us >= tc.expected_us - tc.early_us && tc.kernel_lo_us <= tc.expected_us + tc.late_us;
            out.timings.push_back(tc);
        }
    }
}

// Each sample of a TIME-WAIT/FIN-WAIT-2 timer is one reading of its due time,
// and each reading is only as exact as the sample: the kernel computed the
// time left (whole jiffies, as ms) at some moment during the sock_diag dump,
// which kernel_runner brackets as `fires_err` (long when the sampler was
// held up on a busy machine), and its jiffies counter may trail the clock by
// a tick. A reading allows [fires - fires_err - 2 ticks, fires + 1 tick]; 0 ms
// left means overdue (the wheel rounds long timers up): any time up to then.
// Readings that allow a common due time are one arming of the timer; a
// re-arm moves the due time by far more (at least one RTO).
std::vector<DueTime> kernel_due_times(const Run& r, Side side) {
    constexpr std::int64_t kFar = std::numeric_limits<std::int64_t>::min() / 4;
    std::vector<DueTime> due;
    for (const auto& st : r.k.states) {
        if (st.side != side || st.t_us > r.cut || st.timer != "timewait" || !st.fires_us) continue;
        const std::int64_t lo = st.timer_left_us == 0 ? kFar : *st.fires_us - st.fires_err_us - 2 * r.tol.tick.us;
        const std::int64_t hi = *st.fires_us + r.tol.tick.us;
        if (!due.empty() && due.back().state == st.state && lo <= due.back().hi && hi >= due.back().lo) {
            due.back().lo = std::max(due.back().lo, lo);
            due.back().hi = std::min(due.back().hi, hi);
            continue;
        }
        due.push_back({st.state, lo, hi});
    }
    return due;
}

// The TIME-WAIT and FIN-WAIT-2 timers as `ss` shows them, every time the
// engine arms one: the kernel's due time must move the same way.
void check_ss_timers(const Run& r, Comparison& out) {
    const auto& trace = r.trace;
    for (Side side : {Side::Client, Side::Server}) {
        std::vector<std::size_t> sets;
        for (std::size_t i = 0; i < trace.size() && trace[i].t.us <= r.cut; ++i) {
            const auto& e = trace[i];
            if (e.kind == EventKind::TimerSet && e.side == side && (e.timer == TimerKind::TimeWait || e.timer == TimerKind::FinWait2))
                sets.push_back(i);
        }
        const std::vector<DueTime> shown = kernel_due_times(r, side);
        if (sets.size() != shown.size()) {
            out.differences.push_back(std::string(side_name(side)) + ": the engine arms the TIME-WAIT/FIN-WAIT-2 timer " + std::to_string(sets.size()) +
                                      " times, ss shows it (re)armed " + std::to_string(shown.size()) + " times");
            continue;
        }
        for (std::size_t n = 0; n < sets.size(); ++n) {
            const TraceEvent& e = trace[sets[n]];
            const State expect_state = e.timer == TimerKind::TimeWait ? State::TimeWait : State::FinWait2;
            std::string name = std::string(side_name(side)) + " " + timer_purpose(e.timer) + " as ss shows it" +
                               (n > 0 && trace[sets[n - 1]].timer == e.timer ? " (restarted)" : "");
            if (shown[n].state != to_string(expect_state)) {
                out.differences.push_back(name + ": ss shows the timer in " + shown[n].state + ", the engine arms it in " + to_string(expect_state));
                continue;
            }
            const auto anchor = r.openers[sets[n]] == kNone ? std::nullopt : step_anchor(r, r.openers[sets[n]], side);
            if (!anchor) {
                out.notes.push_back("no kernel reference point for " + name);
                continue;
            }
            TimingCheck tc;
            tc.name = name;
            tc.expected_us = (e.deadline - e.t).us;
            tc.kernel_lo_us = std::max<std::int64_t>(shown[n].lo - *anchor, 0);  // overdue: any time up to hi
            tc.kernel_hi_us = shown[n].hi - *anchor;
            tc.early_us = r.tol.ss_timer.us;
            tc.late_us = r.tol.ss_timer.us;
            tc.ok = tc.kernel_hi_us >= tc.expected_us - tc.early_us && tc.kernel_lo_us <= tc.expected_us + tc.late_us;
            out.timings.push_back(tc);
        }
    }
}

}  // namespace finwave::conformance::detail
