// Steps 1 and 2 of the comparison: segments and states.
#include <algorithm>
#include <cstdlib>

#include "compare_steps.hpp"
#include "finwave/trace.hpp"

namespace finwave::conformance::detail {

void match_segments(Run& r, Comparison& out) {
    const auto& trace = r.trace;
    for (std::size_t i = 0; i < trace.size() && trace[i].t.us <= r.cut; ++i) {
        const auto& e = trace[i];
        if (e.kind == EventKind::Send) {
            r.by_id[e.seg_id] = r.engine.size();
            r.engine.push_back(wire_segment(e));
            r.engine_trace_idx.push_back(i);
        } else if (e.kind == EventKind::Drop) {
            if (auto it = r.by_id.find(e.seg_id); it != r.by_id.end()) r.engine[it->second].dropped = true;
        }
    }
    for (const auto& s : r.k.segments)
        if (s.t_us <= r.cut) r.kseg.push_back(s);
    out.segments = static_cast<int>(r.engine.size());
    r.kernel_of.assign(r.engine.size(), kNone);
    // PSH is compared everywhere except on a full-sized segment in the middle
    // of one application write: there the kernel marks the end of each
    // GSO chunk, whose size follows its pacing rate (tcp_tso_autosize, at
    // least tcp_min_tso_segs=2 segments) - segmentation offload, which the
    // engine does not model. At the end of a write PSH must agree.
    int psh_inside_writes = 0;
    auto same_flags = [&](const WireSegment& engine_seg, const WireSegment& kernel_seg) {
        if (engine_seg.flags == kernel_seg.flags) return true;
        if (engine_seg.len != r.in.mss || engine_seg.flags.find('P') != std::string::npos) return false;
        std::string without_psh = kernel_seg.flags;
        std::erase(without_psh, 'P');
        return without_psh == engine_seg.flags;
    };
    for (Side side : {Side::Client, Side::Server}) {
        std::vector<std::size_t> ei, ki;
        for (std::size_t i = 0; i < r.engine.size(); ++i)
            if (r.engine[i].from == side) ei.push_back(i);
        for (std::size_t i = 0; i < r.kseg.size(); ++i)
            if (r.kseg[i].from == side) ki.push_back(i);
        // A burst of segments that reaches the receiver together may be
        // processed by its kernel in one batch (a busy machine, GRO on the
        // tun device) and acknowledged with fewer ACKs than one per segment,
        // as the engine sends them. Such coalesced ACKs are accepted when the
        // kernel's ACKs are a subsequence of one run of the engine's pure
        // ACKs sent within the same millisecond, ending on the same ACK.
        auto pure_ack = [](const WireSegment& s) { return s.flags == "A" && s.len == 0 && !s.dropped; };
        auto coalesced = [&](std::size_t pe, const WireSegment& b) -> std::size_t {
            const WireSegment& a = r.engine[ei[pe]];
            if (!pure_ack(a) || !pure_ack(b) || a.seq != b.seq || b.ack <= a.ack) return 0;
            for (std::size_t q = pe + 1; q < ei.size(); ++q) {
                const WireSegment& c = r.engine[ei[q]];
                if (!pure_ack(c) || c.seq != a.seq || c.t_us - a.t_us > 1000) return 0;
                if (c.ack == b.ack) return q - pe;
                if (c.ack > b.ack) return 0;
            }
            return 0;
        };
        std::size_t pe = 0, pk = 0, skipped = 0;
        while (pe < ei.size() && pk < ki.size()) {
            const WireSegment &a = r.engine[ei[pe]], &b = r.kseg[ki[pk]];
            if (!same_flags(a, b) || a.seq != b.seq || a.ack != b.ack || a.len != b.len || a.dropped != b.dropped) {
                const std::size_t skip = coalesced(pe, b);
                if (skip == 0) break;
                pe += skip;
                skipped += skip;
                continue;
            }
            if (a.flags != b.flags) ++psh_inside_writes;
            r.kernel_of[ei[pe]] = ki[pk];
            ++pe, ++pk;
        }
        if (skipped > 0)
            out.notes.push_back(std::string(side_name(side)) + ": " + std::to_string(skipped) +
                                " ACK(s) of a burst coalesced by the kernel's batch receive (the later ACK of the same burst agrees)");
        if (pe < ei.size() && pk < ki.size()) {
            out.differences.push_back(std::string(side_name(side)) + " segment " + std::to_string(pk + 1) + ": engine " +
                                      describe(r.engine[ei[pe]]) + " at " + ms(r.engine[ei[pe]].t_us) + ", kernel " +
                                      describe(r.kseg[ki[pk]]) + " at " + ms(r.kseg[ki[pk]].t_us));
        } else if (pe < ei.size() || pk < ki.size()) {
            const bool engine_more = pe < ei.size();
            const WireSegment& extra = engine_more ? r.engine[ei[pe]] : r.kseg[ki[pk]];
            out.differences.push_back(std::string(side_name(side)) + " sent " + std::to_string(ei.size() - skipped) +
                                      " segments in the engine" +
                                      (skipped > 0 ? " (and " + std::to_string(skipped) + " coalesced)" : std::string()) + ", " +
                                      std::to_string(ki.size()) + " on the kernel; first unmatched: " + (engine_more ? "engine " : "kernel ") +
                                      describe(extra) + " at " + ms(extra.t_us));
        }
    }
    if (psh_inside_writes > 0)
        out.notes.push_back(std::to_string(psh_inside_writes) +
                            " full-sized segment(s) inside a write carry PSH on the kernel only (end of a GSO chunk; not compared)");
}

// Two segments sent less than one one-way delay apart from opposite ends may
// appear in either order: neither can have caused the other.
void check_cross_order(const Run& r, Comparison& out) {
    for (std::size_t i = 0; i < r.engine.size(); ++i) {
        for (std::size_t j = i + 1; j < r.engine.size(); ++j) {
            if (r.engine[i].from == r.engine[j].from) continue;
            const std::size_t ki = r.kernel_of[i], kj = r.kernel_of[j];
            if (ki == kNone || kj == kNone || ki < kj) continue;
            const bool engine_concurrent = r.engine[j].t_us - r.engine[i].t_us < r.in.latency.us;
            const bool kernel_concurrent = std::llabs(r.kseg[ki].t_us - r.kseg[kj].t_us) < r.in.latency.us;
            if (engine_concurrent && kernel_concurrent) continue;
            out.differences.push_back("order: the engine sends " + describe(r.engine[i]) + " (" + ms(r.engine[i].t_us) + ") before " +
                                      describe(r.engine[j]) + " (" + ms(r.engine[j].t_us) + "), the kernel after (" +
                                      ms(r.kseg[ki].t_us) + " vs " + ms(r.kseg[kj].t_us) + ")");
        }
    }
}

// The kernel's samples (every ~1 ms) may miss a state shorter than the gap
// between two samples, never show one the engine does not have.
void match_states(Run& r, Comparison& out) {
    for (std::size_t i = 0; i < r.trace.size() && r.trace[i].t.us <= r.cut; ++i) {
        const auto& e = r.trace[i];
        if (e.kind != EventKind::State || e.to == State::Listen) continue;
        auto& v = r.es[side_index(e.side)];
        const std::string name = to_string(e.to);
        if (!v.empty() && v.back().name == name) continue;
        v.push_back({e.t.us, name, i});
    }
    for (const auto& s : r.k.states) {
        if (s.t_us > r.cut) continue;
        auto& v = r.ks[side_index(s.side)];
        if (!v.empty() && v.back().state == s.state) continue;
        v.push_back(s);
    }
    for (int sd = 0; sd < 2; ++sd) {
        const char* who = sd == 0 ? "client" : "server";
        const auto& es = r.es[sd];
        const auto& ks = r.ks[sd];
        for (const auto& e : es) out.states[sd].push_back(e.name);
        r.kstate_of[sd].assign(es.size(), kNone);
        std::size_t j = 0;  // next engine state
        bool broken = false;
        for (std::size_t i = 0; i < ks.size() && !broken; ++i) {
            std::size_t found = j;
            while (found < es.size() && es[found].name != ks[i].state) ++found;
            // A FIN+ACK that reaches FIN-WAIT-1 is processed as its ACK
            // first (FIN-WAIT-2), then as its FIN (TIME-WAIT), RFC 9293
            // 3.10.7.4; the engine goes to TIME-WAIT at once. A sample taken
            // between the two halves, at the segment's arrival, shows a
            // FIN-WAIT-2 of no duration: not a difference.
            if (found == es.size() && ks[i].state == "FIN-WAIT-2" && j > 0 && j < es.size() && es[j - 1].name == "FIN-WAIT-1" &&
                es[j].name == "TIME-WAIT" && std::llabs(ks[i].t_us - es[j].t) <= 2000 && i + 1 < ks.size() && ks[i + 1].state == "TIME-WAIT") {
                out.notes.push_back(std::string(who) + ": FIN-WAIT-2 sampled between the ACK and the FIN of one FIN+ACK at " + ms(ks[i].t_us));
                continue;
            }
            if (found == es.size()) {
                std::string engine_seq;
                for (const auto& e : es) engine_seq += (engine_seq.empty() ? "" : " ") + e.name;
                out.differences.push_back(std::string(who) + " states: the kernel shows " + ks[i].state + " at " + ms(ks[i].t_us) +
                                          (i > 0 ? " after " + ks[i - 1].state : std::string()) +
                                          ", which the engine does not have there (engine: " + engine_seq + ")");
                broken = true;
                break;
            }
            // Engine states the kernel skipped: fine only if too short to sample.
            const std::int64_t gap = ks[i].t_us - ks[i].prev_us;
            for (std::size_t s = j; s < found; ++s) {
                const std::int64_t dwell = (s + 1 < es.size() ? es[s + 1].t : r.cut) - es[s].t;
                if (dwell > std::max<std::int64_t>(gap, 1000) + 1000)
                    out.differences.push_back(std::string(who) + " states: the engine is in " + es[s].name + " for " + ms(dwell) + " from " +
                                              ms(es[s].t) + "; the kernel never showed it (sampled every " + ms(gap) + " there)");
            }
            r.kstate_of[sd][found] = i;
            j = found + 1;
        }
        if (!broken) {
            for (std::size_t s = j; s < es.size(); ++s)
                out.differences.push_back(std::string(who) + " states: the engine enters " + es[s].name + " at " + ms(es[s].t) +
                                          ", the kernel never did before the end of the run (" + ms(r.cut) + ")");
        }
    }
}

}  // namespace finwave::conformance::detail
