#include "compare.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "finwave/trace.hpp"

namespace finwave::conformance {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string ms(std::int64_t us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
    return buf;
}

const char* side_name(Side s) { return s == Side::Client ? "client" : "server"; }

// What a segment is, in a learner's words: "FIN", "ACK", "data", "RST".
std::string segment_kind(const std::string& flags, std::uint32_t len) {
    if (flags.find('S') != std::string::npos) return flags.find('A') != std::string::npos ? "SYN+ACK" : "SYN";
    if (flags.find('R') != std::string::npos) return "RST";
    if (flags.find('F') != std::string::npos) return len > 0 ? "data+FIN" : "FIN";
    return len > 0 ? "data" : "ACK";
}

const char* timer_purpose(TimerKind k) {
    switch (k) {
        case TimerKind::Retransmit: return "retransmission timeout";
        case TimerKind::LossProbe: return "tail loss probe";
        case TimerKind::DelayedAck: return "delayed ACK";
        case TimerKind::FinWait2: return "FIN-WAIT-2 timeout";
        case TimerKind::TimeWait: return "TIME-WAIT timeout";
        case TimerKind::Keepalive: return "keepalive";
    }
    return "timer";
}

bool opens_step(EventKind k) { return k == EventKind::App || k == EventKind::Deliver || k == EventKind::TimerFire; }

// The engine's trace cut into steps: each event belongs to the application
// call, segment arrival or timer expiry that began its step (Simulation::step
// records that first).
std::vector<std::size_t> step_openers(const std::vector<TraceEvent>& trace) {
    std::vector<std::size_t> out(trace.size(), kNone);
    std::size_t cur = kNone;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (opens_step(trace[i].kind)) cur = i;
        out[i] = cur;
    }
    return out;
}

struct Matched {
    std::vector<WireSegment> engine;           // in send order
    std::vector<std::size_t> engine_trace_idx;  // index of each in the trace
    std::vector<std::size_t> kernel_of;         // kernel index per engine segment, or kNone
    std::map<std::uint64_t, std::size_t> by_id;  // engine segment id -> engine index
};

}  // namespace

Duration wheel_granularity(Duration timeout, Duration tick) {
    if (tick.us <= 0) return Duration{};
    std::int64_t jiffies = (timeout.us + tick.us - 1) / tick.us;
    // Level n (n >= 1) starts at 63 << 3(n-1) jiffies and rounds to 8^n jiffies.
    std::int64_t gran = 1, start = 63;
    while (jiffies >= start && gran < (std::int64_t{1} << 24)) {
        gran *= 8;
        start *= 8;
    }
    return Duration::micros(gran * tick.us);
}

std::string TimingCheck::describe() const {
    std::string kernel = kernel_lo_us == kernel_hi_us ? ms(kernel_lo_us) : ms(kernel_lo_us) + "..." + ms(kernel_hi_us);
    return name + ": engine " + ms(expected_us) + ", kernel " + kernel + " (allowed " + ms(expected_us - early_us) + " to " +
           ms(expected_us + late_us) + ")";
}

std::int64_t engine_quiet_point(const Simulation& sim) {
    std::int64_t quiet = 0;
    for (const auto& e : sim.trace()) {
        if (e.kind == EventKind::TimerFire && e.timer == TimerKind::TimeWait) break;
        quiet = e.t.us;
    }
    return quiet;
}

Comparison compare(const CompareInput& in) {
    Comparison out;
    const auto& trace = in.engine->trace();
    const KernelRecord& k = *in.kernel;
    const Tolerances& tol = in.tol;
    const std::int64_t cut = in.cut_us;
    const auto openers = step_openers(trace);

    // ---- 1. segments ------------------------------------------------------
    Matched m;
    for (std::size_t i = 0; i < trace.size() && trace[i].t.us <= cut; ++i) {
        const auto& e = trace[i];
        if (e.kind == EventKind::Send) {
            WireSegment s;
            s.t_us = e.t.us;
            s.from = e.side;
            s.flags = flag_letters(e.flags);
            s.seq = e.seq;
            s.ack = e.ack;
            s.len = e.len;
            s.engine_id = e.seg_id;
            m.by_id[e.seg_id] = m.engine.size();
            m.engine.push_back(s);
            m.engine_trace_idx.push_back(i);
        } else if (e.kind == EventKind::Drop) {
            if (auto it = m.by_id.find(e.seg_id); it != m.by_id.end()) m.engine[it->second].dropped = true;
        }
    }
    std::vector<WireSegment> kseg;
    for (const auto& s : k.segments)
        if (s.t_us <= cut) kseg.push_back(s);
    out.segments = static_cast<int>(m.engine.size());
    m.kernel_of.assign(m.engine.size(), kNone);
    // PSH is compared everywhere except on a full-sized segment in the middle
    // of one application write: there the kernel marks the end of each
    // GSO chunk, whose size follows its pacing rate (tcp_tso_autosize, at
    // least tcp_min_tso_segs=2 segments) - segmentation offload, which the
    // engine does not model. At the end of a write PSH must agree.
    int psh_inside_writes = 0;
    auto same_flags = [&](const WireSegment& engine_seg, const WireSegment& kernel_seg) {
        if (engine_seg.flags == kernel_seg.flags) return true;
        if (engine_seg.len != in.mss || engine_seg.flags.find('P') != std::string::npos) return false;
        std::string without_psh = kernel_seg.flags;
        std::erase(without_psh, 'P');
        return without_psh == engine_seg.flags;
    };
    for (Side side : {Side::Client, Side::Server}) {
        std::vector<std::size_t> ei, ki;
        for (std::size_t i = 0; i < m.engine.size(); ++i)
            if (m.engine[i].from == side) ei.push_back(i);
        for (std::size_t i = 0; i < kseg.size(); ++i)
            if (kseg[i].from == side) ki.push_back(i);
        const std::size_t n = std::min(ei.size(), ki.size());
        std::size_t agree = 0;
        while (agree < n) {
            const WireSegment &a = m.engine[ei[agree]], &b = kseg[ki[agree]];
            if (!same_flags(a, b) || a.seq != b.seq || a.ack != b.ack || a.len != b.len || a.dropped != b.dropped) break;
            if (a.flags != b.flags) ++psh_inside_writes;
            m.kernel_of[ei[agree]] = ki[agree];
            ++agree;
        }
        if (agree < n) {
            out.differences.push_back(std::string(side_name(side)) + " segment " + std::to_string(agree + 1) + ": engine " +
                                      describe(m.engine[ei[agree]]) + " at " + ms(m.engine[ei[agree]].t_us) + ", kernel " +
                                      describe(kseg[ki[agree]]) + " at " + ms(kseg[ki[agree]].t_us));
        } else if (ei.size() != ki.size()) {
            const bool engine_more = ei.size() > ki.size();
            const WireSegment& extra = engine_more ? m.engine[ei[n]] : kseg[ki[n]];
            out.differences.push_back(std::string(side_name(side)) + " sent " + std::to_string(ei.size()) + " segments in the engine, " +
                                      std::to_string(ki.size()) + " on the kernel; first unmatched: " + (engine_more ? "engine " : "kernel ") +
                                      describe(extra) + " at " + ms(extra.t_us));
        }
    }
    if (psh_inside_writes > 0)
        out.notes.push_back(std::to_string(psh_inside_writes) +
                            " full-sized segment(s) inside a write carry PSH on the kernel only (end of a GSO chunk; not compared)");
    // Order across directions.
    for (std::size_t i = 0; i < m.engine.size(); ++i) {
        for (std::size_t j = i + 1; j < m.engine.size(); ++j) {
            if (m.engine[i].from == m.engine[j].from) continue;
            const std::size_t ki = m.kernel_of[i], kj = m.kernel_of[j];
            if (ki == kNone || kj == kNone || ki < kj) continue;
            const bool engine_concurrent = m.engine[j].t_us - m.engine[i].t_us < in.latency.us;
            const bool kernel_concurrent = std::llabs(kseg[ki].t_us - kseg[kj].t_us) < in.latency.us;
            if (engine_concurrent && kernel_concurrent) continue;
            out.differences.push_back("order: the engine sends " + describe(m.engine[i]) + " (" + ms(m.engine[i].t_us) + ") before " +
                                      describe(m.engine[j]) + " (" + ms(m.engine[j].t_us) + "), the kernel after (" +
                                      ms(kseg[ki].t_us) + " vs " + ms(kseg[kj].t_us) + ")");
        }
    }

    // ---- 2. states --------------------------------------------------------
    struct EState {
        std::int64_t t;
        std::string name;
        std::size_t trace_idx;
    };
    std::vector<EState> es[2];
    for (std::size_t i = 0; i < trace.size() && trace[i].t.us <= cut; ++i) {
        const auto& e = trace[i];
        if (e.kind != EventKind::State || e.to == State::Listen) continue;
        auto& v = es[e.side == Side::Client ? 0 : 1];
        const std::string name = to_string(e.to);
        if (!v.empty() && v.back().name == name) continue;
        v.push_back({e.t.us, name, i});
    }
    std::vector<StateEntry> ks[2];
    for (const auto& s : k.states) {
        if (s.t_us > cut) continue;
        auto& v = ks[s.side == Side::Client ? 0 : 1];
        if (!v.empty() && v.back().state == s.state) continue;
        v.push_back(s);
    }
    // kernel state index per engine state (for timing)
    std::vector<std::size_t> kstate_of[2];
    for (int sd = 0; sd < 2; ++sd) {
        const char* who = sd == 0 ? "client" : "server";
        for (const auto& e : es[sd]) out.states[sd].push_back(e.name);
        kstate_of[sd].assign(es[sd].size(), kNone);
        std::size_t j = 0;  // next engine state
        bool broken = false;
        for (std::size_t i = 0; i < ks[sd].size() && !broken; ++i) {
            std::size_t found = j;
            while (found < es[sd].size() && es[sd][found].name != ks[sd][i].state) ++found;
            if (found == es[sd].size()) {
                std::string engine_seq;
                for (const auto& e : es[sd]) engine_seq += (engine_seq.empty() ? "" : " ") + e.name;
                out.differences.push_back(std::string(who) + " states: the kernel shows " + ks[sd][i].state + " at " + ms(ks[sd][i].t_us) +
                                          (i > 0 ? " after " + ks[sd][i - 1].state : std::string()) +
                                          ", which the engine does not have there (engine: " + engine_seq + ")");
                broken = true;
                break;
            }
            // Engine states the kernel skipped: fine only if too short to sample.
            const std::int64_t gap = ks[sd][i].t_us - ks[sd][i].prev_us;
            for (std::size_t s = j; s < found; ++s) {
                const std::int64_t dwell = (s + 1 < es[sd].size() ? es[sd][s + 1].t : cut) - es[sd][s].t;
                if (dwell > std::max<std::int64_t>(gap, 1000) + 1000)
                    out.differences.push_back(std::string(who) + " states: the engine is in " + es[sd][s].name + " for " + ms(dwell) + " from " +
                                              ms(es[sd][s].t) + "; the kernel never showed it (sampled every " + ms(gap) + " there)");
            }
            kstate_of[sd][found] = i;
            j = found + 1;
        }
        if (!broken) {
            for (std::size_t s = j; s < es[sd].size(); ++s)
                out.differences.push_back(std::string(who) + " states: the engine enters " + es[sd][s].name + " at " + ms(es[sd][s].t) +
                                          ", the kernel never did before the end of the run (" + ms(cut) + ")");
        }
    }

    // ---- 3. timings -------------------------------------------------------
    // The kernel's calls, by (side, scenario line).
    auto kernel_call = [&](Side side, int line) -> std::optional<std::int64_t> {
        for (const auto& c : k.calls)
            if (c.side == side && c.line == line) return c.t_us;
        return std::nullopt;
    };
    // Every application call the engine made must have happened on the kernel.
    for (const auto& e : trace) {
        if (e.t.us > cut || e.kind != EventKind::App || e.script_line == 0) continue;
        if (!kernel_call(e.side, e.script_line))
            out.differences.push_back(std::string(side_name(e.side)) + " " + describe(e.call) + " (scenario line " + std::to_string(e.script_line) +
                                      ") at " + ms(e.t.us) + " in the engine never happened on the kernel");
    }
    auto kernel_segment_time = [&](std::uint64_t engine_id) -> std::optional<std::int64_t> {
        auto it = m.by_id.find(engine_id);
        if (it == m.by_id.end() || m.kernel_of[it->second] == kNone) return std::nullopt;
        return kseg[m.kernel_of[it->second]].t_us;
    };
    // When a segment the engine delivers reached the other end on the
    // kernel: its kernel departure plus the engine's own transit time for
    // this copy (the latency, plus the extra time of a duplicate or delay
    // fault, which the relay applies the same way).
    auto kernel_arrival = [&](const TraceEvent& deliver) -> std::optional<std::int64_t> {
        auto it = m.by_id.find(deliver.seg_id);
        if (it == m.by_id.end()) return std::nullopt;
        const auto sent = kernel_segment_time(deliver.seg_id);
        if (!sent) return std::nullopt;
        return *sent + (deliver.t.us - m.engine[it->second].t_us);
    };
    // When did the step that opened at trace[o] happen on the kernel?
    // Preferably the kernel time of a segment the step sent (the kernel
    // armed its timers right then); else the arrival or the call.
    auto step_anchor = [&](std::size_t o, Side side) -> std::optional<std::int64_t> {
        for (std::size_t i = o; i < trace.size() && openers[i] == o; ++i)
            if (trace[i].kind == EventKind::Send && trace[i].side == side)
                if (auto t = kernel_segment_time(trace[i].seg_id)) return t;
        const auto& op = trace[o];
        if (op.kind == EventKind::Deliver) return kernel_arrival(op);
        if (op.kind == EventKind::App) return kernel_call(op.side, op.script_line);
        return std::nullopt;
    };
    struct Cause {
        std::optional<std::int64_t> anchor;  // kernel time the interval starts
        std::int64_t expected = 0;           // engine interval
        std::int64_t early = 0, late = 0;
        std::string why;                     // "after close()", "tail loss probe", ...
    };
    // The cause of the event at trace index i (side `side`), per its step.
    auto cause_of = [&](std::size_t i, Side side) -> std::optional<Cause> {
        const std::size_t o = openers[i];
        if (o == kNone) return std::nullopt;
        const TraceEvent& op = trace[o];
        Cause c;
        if (op.kind == EventKind::App) {
            c.anchor = kernel_call(op.side, op.script_line);
            c.why = "at " + describe(op.call);
            c.early = tol.immediate_early.us;
            c.late = tol.immediate_late.us;
            return c;
        }
        if (op.kind == EventKind::Deliver) {
            c.anchor = kernel_arrival(op);
            c.why = "on the arrival of the " + std::string(side_name(peer_of(side))) + "'s " + segment_kind(flag_letters(op.flags), op.len);
            c.early = tol.immediate_early.us;
            c.late = tol.immediate_late.us;
            return c;
        }
        // A timer: find where it was armed.
        for (std::size_t s = o; s-- > 0;) {
            const TraceEvent& t = trace[s];
            if (t.kind != EventKind::TimerSet || t.side != op.side || t.timer != op.timer || t.deadline != op.t) continue;
            const Duration d = op.t - t.t;
            c.anchor = openers[s] == kNone ? std::nullopt : step_anchor(openers[s], op.side);
            c.expected = d.us;
            c.why = std::string("by the ") + timer_purpose(op.timer);
            c.early = tol.tick.us + 1000;
            c.late = wheel_granularity(d, tol.tick).us + 2 * tol.tick.us + tol.timer_slack.us;
            if (op.timer == TimerKind::Retransmit || op.timer == TimerKind::LossProbe)
                c.late += tol.tick.us * ((d.us + tol.rto_unit.us - 1) / tol.rto_unit.us);
            return c;
        }
        return std::nullopt;
    };

    // Segments.
    for (std::size_t i = 0; i < m.engine.size(); ++i) {
        if (m.kernel_of[i] == kNone) continue;
        const auto c = cause_of(m.engine_trace_idx[i], m.engine[i].from);
        const WireSegment& s = m.engine[i];
        const std::string name = std::string(side_name(s.from)) + " " + segment_kind(s.flags, s.len) + " seq=" + std::to_string(s.seq) +
                                 (trace[m.engine_trace_idx[i]].retransmission ? " (retransmission)" : "");
        if (!c || !c->anchor) {
            out.notes.push_back("no kernel reference point for the timing of " + name);
            continue;
        }
        TimingCheck tc;
        tc.name = name + " " + c->why;
        tc.expected_us = c->expected;
        tc.kernel_lo_us = tc.kernel_hi_us = kseg[m.kernel_of[i]].t_us - *c->anchor;
        tc.early_us = c->early;
        tc.late_us = c->late;
        tc.ok = tc.kernel_lo_us >= tc.expected_us - tc.early_us && tc.kernel_hi_us <= tc.expected_us + tc.late_us;
        out.timings.push_back(tc);
    }
    // Timer-driven changes of state (a give-up, the FIN-WAIT-2 timeout). The
    // kernel's change happened between two samples: (prev, t].
    for (int sd = 0; sd < 2; ++sd) {
        const Side side = sd == 0 ? Side::Client : Side::Server;
        for (std::size_t s = 0; s < es[sd].size(); ++s) {
            const std::size_t idx = es[sd][s].trace_idx;
            const std::size_t o = openers[idx];
            if (o == kNone || trace[o].kind != EventKind::TimerFire || kstate_of[sd][s] == kNone) continue;
            const auto c = cause_of(idx, side);
            const TraceEvent& e = trace[idx];
            const std::string name = std::string(side_name(side)) + " " + to_string(e.from) + " -> " + to_string(e.to) + " " +
                                     (c ? c->why : std::string());
            if (!c || !c->anchor) {
                out.notes.push_back("no kernel reference point for the timing of " + name);
                continue;
            }
            const StateEntry& ke = ks[sd][kstate_of[sd][s]];
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

    // The TIME-WAIT and FIN-WAIT-2 timers as `ss` shows them, every time the
    // engine arms one: the kernel's due time must move the same way.
    for (int sd = 0; sd < 2; ++sd) {
        const Side side = sd == 0 ? Side::Client : Side::Server;
        std::vector<std::size_t> sets;
        for (std::size_t i = 0; i < trace.size() && trace[i].t.us <= cut; ++i) {
            const auto& e = trace[i];
            if (e.kind == EventKind::TimerSet && e.side == side && (e.timer == TimerKind::TimeWait || e.timer == TimerKind::FinWait2))
                sets.push_back(i);
        }
        struct Shown {
            std::int64_t fires;
            std::string state;
        };
        std::vector<Shown> shown;
        for (const auto& st : k.states) {
            if (st.side != side || st.t_us > cut || st.timer != "timewait" || !st.fires_us) continue;
            // kernel_runner prints a new line when the due time moves by more
            // than two ticks; smaller changes are the countdown's rounding.
            if (!shown.empty() && shown.back().state == st.state && std::llabs(*st.fires_us - shown.back().fires) <= 3 * tol.tick.us)
                continue;
            shown.push_back({*st.fires_us, st.state});
        }
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
            const auto anchor = openers[sets[n]] == kNone ? std::nullopt : step_anchor(openers[sets[n]], side);
            if (!anchor) {
                out.notes.push_back("no kernel reference point for " + name);
                continue;
            }
            TimingCheck tc;
            tc.name = name;
            tc.expected_us = (e.deadline - e.t).us;
            tc.kernel_lo_us = tc.kernel_hi_us = shown[n].fires - *anchor;
            tc.early_us = tol.ss_timer.us;
            tc.late_us = tol.ss_timer.us;
            tc.ok = std::llabs(tc.kernel_lo_us - tc.expected_us) <= tol.ss_timer.us;
            out.timings.push_back(tc);
        }
    }

    for (const auto& tc : out.timings)
        if (!tc.ok) out.differences.push_back("timing: " + tc.describe());

    // ---- 4. what the applications were told ---------------------------------
    // End of file, errors (ECONNRESET, EPIPE, ...) in order, and the bytes
    // read. The kernel's come from the results kernel_runner logged.
    for (int sd = 0; sd < 2; ++sd) {
        const Side side = sd == 0 ? Side::Client : Side::Server;
        std::vector<std::string> eng, ker;
        std::int64_t eng_bytes = 0, ker_bytes = 0;
        for (const auto& e : trace) {
            if (e.t.us > cut) break;
            if (e.side != side || e.kind != EventKind::Notify) continue;
            switch (e.notice) {
                case Notice::Eof: eng.push_back("EOF"); break;
                case Notice::Reset: eng.push_back("ECONNRESET"); break;
                case Notice::Refused: eng.push_back("ECONNREFUSED"); break;
                case Notice::TimedOut: eng.push_back("ETIMEDOUT"); break;
                case Notice::Error: eng.push_back(errno_name(e.error)); break;
                case Notice::DataRead: eng_bytes += e.value; break;
                default: break;
            }
        }
        for (const auto& c : k.calls) {
            if (c.side != side || c.t_us > cut) continue;
            const auto eq = c.text.find(" = ");
            if (eq == std::string::npos) continue;
            const std::string result = c.text.substr(eq + 3);
            const bool is_read = c.text.rfind("autoread", 0) == 0 || c.text.find(" read") != std::string::npos;
            if (is_read) ker_bytes += std::strtoll(result.c_str(), nullptr, 10);
            if (result.find("EOF") != std::string::npos && c.text.find("(listener)") == std::string::npos) ker.push_back("EOF");
            if (const auto e = result.find("-1 E"); e != std::string::npos) {
                std::string name = result.substr(e + 3);
                name = name.substr(0, name.find(' '));
                ker.push_back(name);
            }
        }
        auto join_list = [](const std::vector<std::string>& v) {
            std::string o;
            for (const auto& x : v) o += (o.empty() ? "" : ", ") + x;
            return o.empty() ? std::string("nothing") : o;
        };
        out.app_outcomes[sd] = join_list(eng);
        if (eng != ker)
            out.differences.push_back(std::string(side_name(side)) + " application is told: engine " + join_list(eng) + "; kernel " +
                                      join_list(ker));
        if (eng_bytes != ker_bytes)
            out.differences.push_back(std::string(side_name(side)) + " application reads " + std::to_string(eng_bytes) +
                                      " bytes in the engine, " + std::to_string(ker_bytes) + " on the kernel");
    }
    return out;
}

}  // namespace finwave::conformance
