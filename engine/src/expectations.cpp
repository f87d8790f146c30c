// Injected segments and the scenario's expectations, checked as the run goes:
// each expectation is decided once its window has passed (or the run ends).
#include "finwave/simulation.hpp"

namespace finwave {

namespace {

std::string short_label(const Segment& seg, std::uint32_t rel_seq, std::uint32_t rel_ack) {
    std::string out = "#" + std::to_string(seg.id) + " [" + flag_names(seg.flags) + "] Seq=" + std::to_string(rel_seq);
    if (seg.has(flag::ACK)) out += " Ack=" + std::to_string(rel_ack);
    return out + " Len=" + std::to_string(seg.len) + " Win=" + std::to_string(seg.wnd);
}

// "the client sent nothing" / "the server application was told nothing",
// followed by when.
std::string nothing_seen(const Expectation& x, const std::string& when) {
    return std::string("the ") + to_string(x.side) +
           (x.kind == ExpectKind::Sends ? " sent nothing" : " application was told nothing") + when;
}

std::string app_event_of(const Action& a) {
    switch (a.notice) {
        case Notice::Reset: return "ECONNRESET";
        case Notice::Refused: return "ECONNREFUSED";
        case Notice::TimedOut: return "ETIMEDOUT";
        case Notice::Eof: return "eof";
        case Notice::Error: return errno_name(a.error);
        default: return "";
    }
}

}  // namespace

void Simulation::snapshot() {
    if (scenario_.expectations.empty() && scenario_.injections.empty()) return;
    pre_ = {ends_[0].view(), ends_[1].view()};
}

void Simulation::do_inject(const Injection& inj) {
    const Side to = inj.to, from = peer_of(to);
    const Endpoint& rcv = endpoint(to);
    const Endpoint& snd = endpoint(from);
    const TcbView& r = pre_[static_cast<std::size_t>(to)];
    // Plain numbers count from the ISNs of the receiver's connection, as the trace shows them.
    const std::uint32_t inc = rcv.incarnation() > 0 ? rcv.incarnation() : snd.incarnation();
    Segment seg;
    seg.id = next_seg_id_++;
    seg.from = from;
    seg.flags = inj.seg.flags;
    seg.seq = inj.seg.seq ? evaluate(*inj.seg.seq, r, snd.isn_for(inc)) : r.rcv_nxt;
    seg.ack = !seg.has(flag::ACK) ? 0 : inj.seg.ack ? evaluate(*inj.seg.ack, r, rcv.isn_for(inc)) : r.snd_nxt;
    seg.len = inj.seg.len.value_or(0);
    seg.wnd = inj.seg.win.value_or(pre_[static_cast<std::size_t>(from)].rcv_wnd);
    seg.incarnation = inc;
    seg.injected_line = inj.line > 0 ? inj.line : -1;
    // Its bytes count as written by the side it pretends to come from, so the
    // delivered-bytes invariant holds when the receiver accepts them.
    written_[static_cast<std::size_t>(from)] += seg.len;
    // It appears on the wire in front of the receiver: sent and delivered at once.
    record_segment(EventKind::Send, seg);
    record_segment(EventKind::Deliver, seg);
    scratch_.clear();
    ends_[static_cast<std::size_t>(to)].on_segment(seg, now_, scratch_);
    apply(to, scratch_);
}

std::size_t Simulation::expectations_passed() const {
    std::size_t n = 0;
    for (const auto& s : expect_) n += s.done && s.passed;
    return n;
}

void Simulation::expect_finish(std::size_t i, bool passed) {
    ExpectStatus& s = expect_[i];
    if (s.done) return;
    s.done = true;
    s.passed = passed;
    if (passed) return;
    // Listed in the order of the file, whenever each was decided.
    expect_failures_.clear();
    for (std::size_t k = 0; k < expect_.size(); ++k) {
        if (!expect_[k].done || expect_[k].passed) continue;
        const Expectation& x = scenario_.expectations[k];
        const std::string where = (x.origin.empty() ? scenario_.source : x.origin) + ":" + std::to_string(x.line) + ": ";
        expect_failures_.push_back(where + x.text + ": instead " + expect_[k].seen);
    }
}

void Simulation::expect_on_send(Side side, const Segment& seg) {
    for (std::size_t i = 0; i < expect_.size(); ++i) {
        ExpectStatus& st = expect_[i];
        const Expectation& x = scenario_.expectations[i];
        if (st.done || x.side != side || (x.kind != ExpectKind::Sends && x.kind != ExpectKind::Nothing)) continue;
        const Instant from = Instant{} + x.anchor;
        const Instant to = from + (x.kind == ExpectKind::Nothing ? x.length : x.within.value_or(Duration{}));
        if (now_ < from || ((x.kind == ExpectKind::Nothing || x.within) && now_ > to)) continue;
        const Endpoint& sender = endpoint(side);
        const Endpoint& receiver = endpoint(peer_of(side));
        const std::uint32_t seq_isn = sender.isn_for(seg.incarnation), ack_isn = receiver.isn_for(seg.incarnation);
        const bool raw_seq = seg.has(flag::RST) && seg.seq == 0;
        const std::uint32_t rel_seq = raw_seq ? 0 : seg.seq - seq_isn, rel_ack = seg.ack - ack_isn;
        const std::string label = short_label(seg, rel_seq, rel_ack) + " at " + format_instant(now_);
        if (x.kind == ExpectKind::Nothing) {
            st.seen = to_string(side) + std::string(" sent ") + label;
            expect_finish(i, false);
            continue;
        }
        // The sender's variables just before it sent: what "seq=SND.NXT" means.
        const TcbView& v = pre_[static_cast<std::size_t>(side)];
        std::string why;
        if (seg.flags != x.seg.flags) why = "flags differ";
        else if (x.seg.seq && (x.seg.seq->from_isn() ? rel_seq != evaluate(*x.seg.seq, v, 0) : seg.seq != evaluate(*x.seg.seq, v, 0)))
            why = "seq is not " + x.seg.seq->text + (x.seg.seq->from_isn() ? "" : " (" + std::to_string(evaluate(*x.seg.seq, v, 0) - seq_isn) + ")");
        else if (x.seg.ack && (x.seg.ack->from_isn() ? rel_ack != evaluate(*x.seg.ack, v, 0) : seg.ack != evaluate(*x.seg.ack, v, 0)))
            why = "ack is not " + x.seg.ack->text + (x.seg.ack->from_isn() ? "" : " (" + std::to_string(evaluate(*x.seg.ack, v, 0) - ack_isn) + ")");
        else if (x.seg.len && seg.len != *x.seg.len) why = "len is not " + std::to_string(*x.seg.len);
        else if (x.seg.win && seg.wnd != *x.seg.win) why = "win is not " + std::to_string(*x.seg.win);
        if (why.empty()) {
            expect_finish(i, true);
        } else if (st.seen.size() < 400) {
            st.seen += (st.seen.empty() ? "" : "; ") + std::string(to_string(side)) + " sent " + label + " (" + why + ")";
        }
    }
}

void Simulation::expect_on_notify(Side side, const Action& a) {
    const std::string ev = app_event_of(a);
    if (ev.empty()) return;
    for (std::size_t i = 0; i < expect_.size(); ++i) {
        ExpectStatus& st = expect_[i];
        const Expectation& x = scenario_.expectations[i];
        if (st.done || x.kind != ExpectKind::App || x.side != side) continue;
        const Instant from = Instant{} + x.anchor;
        if (now_ < from || (x.within && now_ > from + *x.within)) continue;
        if (ev == x.app_event) {
            expect_finish(i, true);
        } else if (st.seen.size() < 400) {
            st.seen += (st.seen.empty() ? "" : "; ") + std::string("the ") + to_string(side) + " application was told " + ev + " at " +
                       format_instant(now_);
        }
    }
}

void Simulation::expect_decide_before(Instant next) {
    for (std::size_t i = 0; i < expect_.size(); ++i) {
        ExpectStatus& st = expect_[i];
        const Expectation& x = scenario_.expectations[i];
        if (st.done) continue;
        const Instant from = Instant{} + x.anchor;
        switch (x.kind) {
            case ExpectKind::Sends:
            case ExpectKind::App:
                if (x.within && next > from + *x.within) {
                    if (st.seen.empty())
                        st.seen = nothing_seen(x, " from " + format_instant(from) + " to " + format_instant(from + *x.within));
                    expect_finish(i, false);
                }
                break;
            case ExpectKind::Nothing:
                if (next > from + x.length) expect_finish(i, true);
                break;
            case ExpectKind::State:
                if (!x.at_end && next > from) {
                    const State now_state = endpoint(x.side).state();
                    st.seen = std::string("the ") + to_string(x.side) + " was in " + to_string(now_state) + " at " + format_instant(from);
                    expect_finish(i, now_state == x.state);
                }
                break;
        }
    }
}

void Simulation::finish_expectations() {
    for (std::size_t i = 0; i < expect_.size(); ++i) {
        ExpectStatus& st = expect_[i];
        const Expectation& x = scenario_.expectations[i];
        if (st.done) continue;
        const Instant from = Instant{} + x.anchor;
        switch (x.kind) {
            case ExpectKind::Sends:
            case ExpectKind::App:
                if (st.seen.empty())
                    st.seen = nothing_seen(x, x.within ? " from " + format_instant(from) + " to " + format_instant(from + *x.within)
                                                       : " after " + format_instant(from) + " (the run ended at " + format_instant(now_) + ")");
                expect_finish(i, false);
                break;
            case ExpectKind::Nothing: expect_finish(i, true); break;
            case ExpectKind::State: {
                // Nothing happens after the end: the state then is the state at any later time.
                const State s = endpoint(x.side).state();
                st.seen = std::string("the ") + to_string(x.side) + " was in " + to_string(s) +
                          (x.at_end ? " at the end of the run (" + format_instant(now_) + ")" : " at " + format_instant(from));
                expect_finish(i, s == x.state);
                break;
            }
        }
    }
}

}  // namespace finwave
