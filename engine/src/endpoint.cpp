// The endpoint's core: construction, the snapshot, and the one place each kind
// of action is recorded (a change of state, a timer, a note, a segment).
#include "finwave/endpoint.hpp"

#include <cassert>

namespace finwave {

Endpoint::Endpoint(Side side, const Knobs& knobs, std::uint32_t isn_base)
    : side_(side), knobs_(knobs), isn_base_(isn_base) {}

std::uint32_t Endpoint::isn_for(std::uint32_t incarnation) const {
    return isn_base_ + knobs_.isn_step * (incarnation == 0 ? 0 : incarnation - 1);
}

TcbView Endpoint::view() const {
    const Tcb& t = tcb_;
    return TcbView{
        t.state,
        t.incarnation,
        t.iss,
        t.snd_una,
        t.snd_nxt,
        t.snd_max,
        t.write_seq,
        t.irs,
        t.rcv_nxt,
        t.fin_queued,
        t.fin_queued && seq_gt(t.snd_max, t.fin_seq),
        t.fin_queued && seq_gt(t.snd_una, t.fin_seq),
        t.fin_received,
        app_.unread,
        app_.has_socket,
        app_.orphaned,
        app_.write_shut,
        app_.listening,
        app_.autoread,
        app_.never_close,
        app_.eof_seen,
        current_rto(),
        t.retransmits,
        t.backoff,
        rcv_wnd(),
        t.snd_wnd,
    };
}

// ---------------------------------------------------------------------------
// Small helpers that record what happens

void Endpoint::set_state(State to, Cause cause, Instant now, Actions& out) {
    const State from = tcb_.state;
    const int edge = find_transition(from, cause, to);
    // An edge outside the diagram is an engine bug; the simulator's invariant
    // checks (and the property tests) report the -1 edge in release builds.
    assert(edge >= 0 && "state change not in the RFC 9293 transition table");
    Action a;
    a.kind = Action::Kind::StateChange;
    a.from = from;
    a.to = to;
    a.cause = cause;
    a.edge = edge;
    out.push_back(a);
    tcb_.state = to;
    if (to == State::Closed && from != State::Closed) enter_closed(now, out);
    if (to == State::Listen && from != State::Closed) enter_closed(now, out);  // SYN-RECEIVED reset: back to listening
    if (to == State::TimeWait) {
        cancel(TimerKind::Retransmit, out);
        cancel(TimerKind::LossProbe, out);
        cancel(TimerKind::DelayedAck, out);
        cancel(TimerKind::FinWait2, out);
        cancel(TimerKind::Keepalive, out);
        arm(TimerKind::TimeWait, now + knobs_.time_wait, out);
    }
    if (to == State::Established && knobs_.keepalive) arm(TimerKind::Keepalive, now + knobs_.keepalive_time, out);
}

void Endpoint::enter_closed(Instant, Actions& out) {
    for (int k = 0; k < kTimerCount; ++k) cancel(static_cast<TimerKind>(k), out);
    // The application may still hold the descriptor (it will see the error on
    // its next call); an orphan is gone for good.
    if (app_.orphaned) app_.orphaned = false;
    tcb_.out_of_order.clear();
    tcb_.ooo_fin.reset();
    tcb_.sent.clear();
}

void Endpoint::arm(TimerKind k, Instant deadline, Actions& out) {
    timers_[static_cast<std::size_t>(k)] = deadline;
    update_earliest();
    Action a;
    a.kind = Action::Kind::TimerSet;
    a.timer = k;
    a.deadline = deadline;
    out.push_back(a);
}

void Endpoint::cancel(TimerKind k, Actions& out) {
    auto& slot = timers_[static_cast<std::size_t>(k)];
    if (!slot) return;
    slot.reset();
    update_earliest();
    Action a;
    a.kind = Action::Kind::TimerCancel;
    a.timer = k;
    out.push_back(a);
}

void Endpoint::note(Note n, Actions& out, std::int64_t value) {
    Action a;
    a.kind = Action::Kind::Note;
    a.note = n;
    a.value = value;
    out.push_back(a);
}

void Endpoint::notify(Notice n, Actions& out, std::int64_t value) {
    Action a;
    a.kind = Action::Kind::Notify;
    a.notice = n;
    a.value = value;
    out.push_back(a);
}

void Endpoint::fail(AppError e, Actions& out) {
    Action a;
    a.kind = Action::Kind::Notify;
    a.notice = Notice::Error;
    a.error = e;
    out.push_back(a);
}

std::uint32_t Endpoint::rcv_wnd() const {
    return app_.unread >= knobs_.rwnd ? 0 : knobs_.rwnd - app_.unread;
}

void Endpoint::emit(std::uint8_t flags, std::uint32_t seq, std::uint32_t len, Instant now, Actions& out, bool retransmission) {
    Action a;
    a.kind = Action::Kind::Send;
    a.seg.from = side_;
    a.seg.flags = flags;
    a.seg.seq = seq;
    a.seg.ack = (flags & flag::ACK) ? tcb_.rcv_nxt : 0;
    a.seg.len = len;
    a.seg.wnd = rcv_wnd();
    a.seg.incarnation = tcb_.incarnation;
    a.seg.retransmission = retransmission;
    out.push_back(a);
    if (flags & flag::ACK) {
        tcb_.last_ack_sent = tcb_.rcv_nxt;
        cancel(TimerKind::DelayedAck, out);
    }
    (void)now;
}

void Endpoint::send_ack_now(Instant now, Actions& out) { emit(flag::ACK, tcb_.snd_nxt, 0, now, out); }

void Endpoint::send_invalid_ack(Note why, Instant now, Actions& out) {
    // An ACK for a segment we could not accept, rate-limited so that two ends
    // that disagree about sequence numbers cannot ACK each other for ever.
    note(why, out);
    if (last_invalid_ack_ && now - *last_invalid_ack_ < knobs_.invalid_ratelimit) return note(Note::AckRateLimited, out);
    last_invalid_ack_ = now;
    send_ack_now(now, out);
}

void Endpoint::send_reset_for(const Segment& seg, Instant, Actions& out) {
    // RFC 9293 3.10.7.1: if the incoming segment has an ACK, the reset takes
    // its sequence number from that ACK; otherwise it has sequence number zero
    // and ACKs everything the segment occupied.
    Action a;
    a.kind = Action::Kind::Send;
    a.seg.from = side_;
    a.seg.incarnation = seg.incarnation;  // an answer about the sender's connection
    if (seg.has(flag::ACK)) {
        a.seg.flags = flag::RST;
        a.seg.seq = seg.ack;
    } else {
        a.seg.flags = flag::RST | flag::ACK;
        a.seg.seq = 0;
        a.seg.ack = seg.seq + seg.seq_space();
    }
    out.push_back(a);
}

void Endpoint::send_active_reset(Instant now, Actions& out) {
    emit(flag::RST | flag::ACK, tcb_.snd_nxt, 0, now, out);
}


// ---------------------------------------------------------------------------
// Timers

void Endpoint::update_earliest() {
    earliest_.reset();
    for (const auto& t : timers_)
        if (t && (!earliest_ || *t < *earliest_)) earliest_ = t;
}

const char* Endpoint::invariant_violation() const {
    const Tcb& t = tcb_;
    if (t.state == State::Closed || t.state == State::Listen) return nullptr;
    if (!seq_le(t.snd_una, t.snd_nxt)) return "SND.UNA is beyond SND.NXT";
    if (!seq_le(t.snd_nxt, t.snd_max)) return "SND.NXT is beyond the highest sequence number sent";
    if (!seq_le(t.snd_max, t.write_seq + (t.fin_queued ? 1u : 0u))) return "sent beyond what the application wrote";
    return nullptr;
}

}  // namespace finwave
