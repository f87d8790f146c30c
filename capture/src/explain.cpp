// Both ends of one captured connection, rebuilt by the engine. The segments
// drive two endpoints as the hosts' own kernels would have been driven: a
// segment seen leaving an end tells what its application did (connect,
// write, close, abort); a segment arriving is delivered to the engine, whose
// transition table decides the state. The endpoints' own segments are not
// used: the capture says what was really sent.
#include <algorithm>

#include "explain_drive.hpp"

namespace finwave::capture {

using detail::Call;
using detail::idx;
using detail::kNoSeg;
using detail::seq_space;
using detail::side_of;

namespace {

// Large enough that an engine endpoint never holds back bytes the capture
// shows were sent (real hosts scale their windows; the engine does not).
constexpr std::uint32_t kOpenWindow = 1u << 30;
constexpr std::int64_t kNoTimeStepUs = 1000;             // text without times: one segment per millisecond
constexpr std::int64_t kAfterCaptureUs = 7200LL * 1000000;  // timers followed this long after the last segment

bool is_copy(const Observed& a, const Observed& b) {
    return a.seq == b.seq && a.len == b.len && (a.flags & (flag::SYN | flag::FIN)) == (b.flags & (flag::SYN | flag::FIN)) && seq_space(a) > 0;
}

struct Driver {
    const Connection& c;
    const ExplainOptions& opt;
    Explanation& ex;
    detail::Drive d;
    std::array<Endpoint, 2> ep;
    std::array<std::uint32_t, 2> obs_iss{};
    std::array<std::uint32_t, 2> off{};
    std::array<bool, 2> off_set{};
    std::array<bool, 2> rst_pending{};  // the engine sent RST since this end's last observed segment
    std::optional<Side> tap;
    std::int64_t owd = 0;
    std::size_t cur = kNoSeg;
    bool cur_inferred = false;
    Actions acts;

    static Knobs engine_knobs(Knobs k) {
        // Never hold data back: the capture, not the engine, says when it was sent.
        k.nagle = false;
        k.rwnd = kOpenWindow;
        k.init_cwnd = 1u << 16;
        return k;
    }

    Driver(const Connection& conn, const ExplainOptions& o, Explanation& e)
        : c(conn), opt(o), ex(e),
          ep{Endpoint(Side::Client, engine_knobs(o.knobs), o.knobs.client_isn.value_or(1000000)),
             Endpoint(Side::Server, engine_knobs(o.knobs), o.knobs.server_isn.value_or(5000000))} {}

    void apply(Side s, std::int64_t t) {
        for (const auto& a : acts) {
            if (a.kind == Action::Kind::StateChange)
                d.states[idx(s)].push_back({a.from, a.to, a.cause, t, cur_inferred || cur == kNoSeg, cur});
            else if (a.kind == Action::Kind::Send && a.seg.has(flag::RST))
                rst_pending[idx(s)] = true;
            else if (a.kind == Action::Kind::Note)
                d.notes.push_back({cur, s, a.note});
        }
        acts.clear();
    }

    void timers_until(std::int64_t t) {
        const std::size_t saved = cur;
        cur = kNoSeg;
        for (Side s : {Side::Client, Side::Server})
            for (int guard = 0; guard < 10000; ++guard) {
                const auto n = ep[idx(s)].next_timeout();
                if (!n || n->us > t) break;
                ep[idx(s)].on_timeout(*n, acts);
                apply(s, n->us);
            }
        cur = saved;
    }

    void call(Side s, const AppCall& a, std::int64_t t) {
        ep[idx(s)].on_app_call(a, Instant{t}, acts);
        apply(s, t);
    }

    std::uint32_t offset(Side s) {
        if (!off_set[idx(s)] && ep[idx(s)].state() != State::Closed && ep[idx(s)].state() != State::Listen) {
            off[idx(s)] = ep[idx(s)].view().iss - obs_iss[idx(s)];
            off_set[idx(s)] = true;
        }
        return off[idx(s)];
    }

    Segment translate(std::size_t i) {
        const Observed& o = c.segs[i];
        const Side x = side_of(c, i);
        Segment seg;
        seg.id = i + 1;
        seg.from = x;
        seg.flags = o.flags;
        seg.seq = o.seq + offset(x);
        seg.ack = (o.flags & flag::ACK) ? o.ack + offset(peer_of(x)) : 0;
        seg.len = o.len;
        seg.wnd = kOpenWindow;
        seg.incarnation = ep[idx(x)].incarnation();
        return seg;
    }

    static bool can_write(State s) { return s == State::Established || s == State::CloseWait; }

    void on_send(std::size_t i, std::int64_t t) {
        const Observed& o = c.segs[i];
        const Side x = side_of(c, i);
        Endpoint& e = ep[idx(x)];
        if ((o.flags & flag::SYN) && !(o.flags & flag::ACK)) {
            if (e.state() == State::Closed) {
                call(x, {AppCallKind::Connect}, t);
                d.call[i] = Call::Connect;
            }
        } else if (!(o.flags & flag::SYN) && (o.len > 0 || (o.flags & flag::FIN)) && can_write(e.state()) && !e.view().fin_queued) {
            const std::uint32_t end = o.seq + offset(x) + o.len;
            if (seq_gt(end, e.write_seq())) call(x, {AppCallKind::Send, end - e.write_seq()}, t);
        }
        if ((o.flags & flag::FIN) && !e.view().fin_queued && can_write(e.state())) {
            d.call[i] = shutdown_[idx(x)] ? Call::Shutdown : Call::Close;
            call(x, {shutdown_[idx(x)] ? AppCallKind::Shutdown : AppCallKind::Close}, t);
        }
        if (o.flags & flag::RST) {
            d.engine_rst[i] = rst_pending[idx(x)];
            if (!rst_pending[idx(x)] && e.state() != State::Closed && e.state() != State::Listen && e.state() != State::TimeWait) {
                d.call[i] = Call::Abort;
                call(x, {AppCallKind::Abort}, t);
            }
        }
        rst_pending[idx(x)] = false;
    }

    void on_receive(std::size_t i, std::int64_t t) {
        const Side y = peer_of(side_of(c, i));
        Endpoint& e = ep[idx(y)];
        Segment seg = translate(i);
        // Bytes acknowledged that the capture never showed leaving (it began
        // after they were sent): the application had written them.
        if (seg.has(flag::ACK) && can_write(e.state()) && !e.view().fin_queued && seq_gt(seg.ack, e.write_seq()))
            call(y, {AppCallKind::Send, seg.ack - e.write_seq()}, t);
        // The end answers with a reset for no connection, which the engine's
        // endpoint would not send: its TCB was already gone. A close() in
        // SYN-SENT and a crash send nothing, so the capture shows it only now.
        if (answers_with_no_connection_rst(i, y)) {
            Endpoint trial = e;
            Actions probe;
            trial.on_segment(seg, Instant{t}, probe);
            const bool engine_resets = std::any_of(probe.begin(), probe.end(), [](const Action& a) { return a.kind == Action::Kind::Send && a.seg.has(flag::RST); });
            if (!engine_resets && e.state() != State::Closed && e.state() != State::Listen) {
                cur_inferred = true;
                call(y, {e.state() == State::SynSent ? AppCallKind::Close : AppCallKind::Crash}, t);
                cur_inferred = false;
                d.vanished[i] = true;
            }
        }
        e.on_segment(seg, Instant{t}, acts);
        apply(y, t);
    }

    // The next segment of `y` after segment i is the RFC 9293 reset for a
    // segment that reaches no connection (seq = its ACK, or ACK = its end).
    bool answers_with_no_connection_rst(std::size_t i, Side y) const {
        const Observed& o = c.segs[i];
        if (o.flags & flag::RST) return false;
        for (std::size_t j = i + 1; j < c.segs.size(); ++j) {
            if (side_of(c, j) != y) return false;  // not the direct answer
            const Observed& r = c.segs[j];
            if (!(r.flags & flag::RST)) return false;
            if (o.flags & flag::ACK) return !(r.flags & flag::ACK) && r.seq == o.ack;
            return (r.flags & flag::ACK) && r.ack == o.seq + seq_space(o);
        }
        return false;
    }

    std::array<bool, 2> shutdown_{};
    void run();
    void decide_tap();
    void infer_losses();
    void prescan();
    void synthesize_handshake(std::int64_t t0);
};

void Driver::prescan() {
    // An end whose FIN was followed by new data it took in without a reset had
    // called shutdown(SHUT_WR), not close(): a closed socket answers data with
    // RST. (Data sent again is not new: it was sent before the FIN.)
    for (Side x : {Side::Client, Side::Server}) {
        std::size_t fin = kNoSeg;
        bool data_after = false, rst_after = false;
        std::optional<std::uint32_t> peer_end;
        for (std::size_t i = 0; i < c.segs.size(); ++i) {
            const Observed& o = c.segs[i];
            const bool mine = side_of(c, i) == x;
            if (mine && (o.flags & flag::FIN) && fin == kNoSeg) fin = i;
            if (!mine) {
                const std::uint32_t end = o.seq + seq_space(o);
                const bool is_new = !peer_end || seq_gt(end, *peer_end);
                if (fin != kNoSeg && o.len > 0 && is_new) data_after = true;
                if (is_new) peer_end = end;
            }
            if (fin != kNoSeg && i > fin && mine && (o.flags & flag::RST)) rst_after = true;
        }
        shutdown_[idx(x)] = data_after && !rst_after;
    }
    for (std::size_t i = 0; i < c.segs.size(); ++i) d.silent[idx(side_of(c, i))] = false;
}

void Driver::decide_tap() {
    if (opt.capture_at) {
        tap = opt.capture_at;
        return;
    }
    // The capture's own word first: a cooked capture's direction, or Ethernet padding.
    std::array<int, 2> votes{};
    for (std::size_t i = 0; i < c.segs.size(); ++i) {
        const Side x = side_of(c, i);
        if (c.segs[i].hint == TapHint::Outgoing) ++votes[idx(x)];
        if (c.segs[i].hint == TapHint::Incoming) ++votes[idx(peer_of(x))];
    }
    if (votes[0] != votes[1]) {
        tap = votes[0] > votes[1] ? Side::Client : Side::Server;
        ex.inferred.push_back({Inference::CapturePointGuess, 0, *tap, 0});
        return;
    }
    // Then timing: a SYN or a FIN is answered at once; at the tap the answer of
    // its own host follows at once, the far host's a round trip later.
    std::array<std::int64_t, 2> quickest{INT64_MAX, INT64_MAX};
    for (std::size_t i = 0; i < c.segs.size(); ++i) {
        if (!(c.segs[i].flags & (flag::SYN | flag::FIN)) || !c.segs[i].t_us) continue;
        const std::uint32_t end = c.segs[i].seq + seq_space(c.segs[i]);
        for (std::size_t j = i + 1; j < c.segs.size(); ++j)
            if (side_of(c, j) != side_of(c, i) && (c.segs[j].flags & flag::ACK) && seq_ge(c.segs[j].ack, end)) {
                auto& q = quickest[idx(side_of(c, j))];
                q = std::min(q, d.t_us[j] - d.t_us[i]);
                break;
            }
    }
    if (quickest[0] != INT64_MAX && quickest[1] != INT64_MAX && quickest[0] != quickest[1] &&
        std::max(quickest[0], quickest[1]) >= 2 * std::min(quickest[0], quickest[1]) + 100) {
        tap = quickest[0] < quickest[1] ? Side::Client : Side::Server;
        ex.inferred.push_back({Inference::CapturePointGuess, 0, *tap, 1});
        return;
    }
    ex.inferred.push_back({Inference::CapturePointGuess, 0, Side::Client, 2});
}

void Driver::infer_losses() {
    const std::size_t n = c.segs.size();
    auto acks = [&](std::size_t k, std::uint32_t end) { return (c.segs[k].flags & flag::ACK) && seq_ge(c.segs[k].ack, end); };
    for (std::size_t i = 0; i < n; ++i) {
        // Both ways: a segment that came in at the tap can still be dropped
        // after it (a firewall on the host): the host then never answers it.
        const Side x = side_of(c, i);
        const bool outgoing = !tap || *tap == x;
        const Observed& o = c.segs[i];
        if (o.flags & flag::RST) continue;
        if (seq_space(o) > 0) {
            // Sent again before anything from the peer acknowledged it: the first copy was lost.
            bool acked_later = false;
            for (std::size_t j = i + 1; j < n; ++j) {
                if (side_of(c, j) != x && acks(j, o.seq + seq_space(o))) {
                    acked_later = true;
                    break;
                }
                if (side_of(c, j) == x && is_copy(o, c.segs[j])) {
                    d.lost[i] = true;
                    break;
                }
            }
            // The last copy of a segment whose every copy went unanswered, to
            // the end of the capture, is taken as lost like the others.
            if (!d.lost[i] && !acked_later)
                for (std::size_t m = 0; m < i; ++m)
                    if (d.lost[m] && side_of(c, m) == x && is_copy(c.segs[m], o)) d.lost[i] = true;
        } else if (o.flags & flag::ACK) {
            // The peer sent again something this ACK covered, later than the ACK
            // could have reached it: the ACK was lost.
            for (std::size_t k = i + 1; k < n; ++k) {
                if (side_of(c, k) == x) {
                    if (acks(k, o.ack)) break;  // a later ACK from us covers it anyway
                    continue;
                }
                if (seq_space(c.segs[k]) == 0) continue;
                bool copy_of_acked = false;
                for (std::size_t m = 0; m < i; ++m)
                    if (side_of(c, m) != x && is_copy(c.segs[m], c.segs[k]) && seq_ge(o.ack, c.segs[m].seq + seq_space(c.segs[m])))
                        copy_of_acked = true;
                if (copy_of_acked && d.t_us[k] - d.t_us[i] >= (outgoing ? 2 * owd : 0)) d.lost[i] = true;
                break;
            }
        }
        if (d.lost[i]) ex.inferred.push_back({Inference::LostAfterTap, i, x, 0});
    }
}

void Driver::synthesize_handshake(std::int64_t t0) {
    // Before the capture began: a handshake the engine makes itself, so both
    // ends start from ESTABLISHED by real transitions. Its states are not shown.
    call(Side::Server, {AppCallKind::Listen}, t0);
    ep[idx(Side::Client)].on_app_call({AppCallKind::Connect}, Instant{t0}, acts);
    std::vector<Segment> pending;
    auto take_sends = [&](Side from) {
        for (const auto& a : acts)
            if (a.kind == Action::Kind::Send) {
                pending.push_back(a.seg);
                pending.back().from = from;
            }
        apply(from, t0);
    };
    take_sends(Side::Client);
    for (int guard = 0; guard < 8 && !pending.empty(); ++guard) {
        auto now = std::move(pending);
        pending.clear();
        for (auto& seg : now) {
            const Side to = peer_of(seg.from);
            ep[idx(to)].on_segment(seg, Instant{t0}, acts);
            take_sends(to);
        }
    }
    d.notes.clear();
    for (Side s : {Side::Client, Side::Server}) {
        d.states[idx(s)].clear();
        if (ep[idx(s)].state() == State::Established) d.states[idx(s)].push_back({State::Closed, State::Established, Cause::RcvAck, t0, true, kNoSeg});
        else ex.problems.push_back("the engine could not open the connection that the capture joins midway");
    }
}

void Driver::run() {
    const std::size_t n = c.segs.size();
    d.lost.assign(n, false);
    d.call.assign(n, Call::None);
    d.engine_rst.assign(n, false);
    d.vanished.assign(n, false);
    d.t_us.resize(n);
    d.silent = {true, true};
    bool have_times = n > 0 && c.segs[0].t_us.has_value();
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t t = have_times ? c.segs[i].t_us.value_or(0) : static_cast<std::int64_t>(i) * kNoTimeStepUs;
        if (i > 0 && t < d.t_us[i - 1]) {
            ex.problems.push_back(c.segs[i].where + ": its time is earlier than the segment before it; taken as that segment's time");
            t = d.t_us[i - 1];
        }
        d.t_us[i] = t;
    }
    if (!have_times) ex.inferred.push_back({Inference::NoTimes, 0, Side::Client, 0});
    prescan();
    decide_tap();
    // The round trip: from the tap side's segment to the first answer that acknowledges it.
    if (tap) {
        std::int64_t best = INT64_MAX;
        for (std::size_t i = 0; i < n; ++i) {
            if (side_of(c, i) != *tap || seq_space(c.segs[i]) == 0) continue;
            const std::uint32_t end = c.segs[i].seq + seq_space(c.segs[i]);
            for (std::size_t j = i + 1; j < n; ++j)
                if (side_of(c, j) != *tap && (c.segs[j].flags & flag::ACK) && seq_ge(c.segs[j].ack, end)) {
                    best = std::min(best, d.t_us[j] - d.t_us[i]);
                    break;
                }
        }
        if (best != INT64_MAX && have_times) {
            ex.rtt_us = best;
            owd = best / 2;
            ex.inferred.push_back({Inference::FarSideTimes, 0, peer_of(*tap), owd});
        }
    }
    ex.capture_at = tap;
    infer_losses();

    // Where each end's sequence numbers start.
    bool handshake = false;
    std::array<bool, 2> iss_known{};
    for (std::size_t i = 0; i < n; ++i) {
        const Side x = side_of(c, i);
        if ((c.segs[i].flags & flag::SYN) && !iss_known[idx(x)]) {
            obs_iss[idx(x)] = c.segs[i].seq;
            iss_known[idx(x)] = true;
            if (x == Side::Client && !(c.segs[i].flags & flag::ACK)) handshake = true;
        }
    }
    for (Side x : {Side::Client, Side::Server}) {
        if (iss_known[idx(x)]) continue;
        std::optional<std::uint32_t> base;
        for (std::size_t i = 0; i < n; ++i) {
            std::optional<std::uint32_t> v;
            if (side_of(c, i) == x) v = c.segs[i].seq;
            else if (c.segs[i].flags & flag::ACK) v = c.segs[i].ack;
            if (v && (!base || seq_lt(*v, *base))) base = v;
        }
        obs_iss[idx(x)] = base.value_or(1) - 1;
    }

    struct Ev {
        std::int64_t t;
        std::size_t seg;
        bool recv;
    };
    std::vector<Ev> evs;
    evs.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        const Side x = side_of(c, i);
        const bool x_at_tap = !tap || *tap == x;
        evs.push_back({x_at_tap ? d.t_us[i] : d.t_us[i] - owd, i, false});
        if (!d.lost[i] && !d.silent[idx(peer_of(x))]) evs.push_back({x_at_tap ? d.t_us[i] + owd : d.t_us[i], i, true});
    }
    std::stable_sort(evs.begin(), evs.end(), [](const Ev& a, const Ev& b) { return a.t < b.t; });
    const std::int64_t t0 = evs.empty() ? 0 : evs.front().t;

    if (handshake) {
        bool server_answers = false;
        for (std::size_t i = 0; i < n; ++i)
            if (!c.from_client[i] && (c.segs[i].flags & flag::SYN)) server_answers = true;
        // listen() sends nothing: when it happened is not in the capture.
        cur_inferred = true;
        if (server_answers) call(Side::Server, {AppCallKind::Listen}, t0);
        cur_inferred = false;
    } else if (n > 0) {
        synthesize_handshake(t0);
        ex.inferred.push_back({Inference::MidConnection, 0, Side::Client, 0});
    }

    for (const auto& ev : evs) {
        timers_until(ev.t);
        cur = ev.seg;
        if (ev.recv) on_receive(ev.seg, ev.t);
        else on_send(ev.seg, ev.t);
        cur = kNoSeg;
    }
    d.end_us = evs.empty() ? 0 : std::max(evs.back().t, d.t_us.empty() ? 0 : d.t_us.back());
    // After the last segment only timers move the ends on (TIME-WAIT, FIN-WAIT-2, retransmissions).
    timers_until(d.end_us + kAfterCaptureUs);
}

}  // namespace

Explanation explain(const Connection& c, const ExplainOptions& options) {
    Explanation ex;
    Driver drv(c, options, ex);
    drv.run();
    detail::classify(c, drv.d, ex);
    return ex;
}

}  // namespace finwave::capture
