// Segment arrival, RFC 9293 section 3.10.7: the rules for each state,
// acceptability, and the RST and SYN rules of a synchronized connection.
#include "finwave/endpoint.hpp"

namespace finwave {

void Endpoint::on_segment(const Segment& seg, Instant now, Actions& out) {
    switch (tcb_.state) {
        case State::Closed:
        case State::Listen: return handle_no_tcb(seg, now, out);
        case State::SynSent: return handle_syn_sent(seg, now, out);
        case State::TimeWait: return handle_time_wait(seg, now, out);
        default: return handle_synchronized(seg, now, out);
    }
}

void Endpoint::handle_no_tcb(const Segment& seg, Instant now, Actions& out) {
    if (seg.has(flag::RST)) return note(Note::RstForNoConnection, out);
    if (app_.listening && seg.has(flag::SYN) && !seg.has(flag::ACK)) {
        // The listening socket, in LISTEN all along, takes the SYN, even when
        // the previous connection's TCB has just gone to CLOSED.
        tcb_.state = State::Listen;
        start_connection(true, now);
        app_.has_socket = false;  // accepted once the handshake completes
        tcb_.irs = seg.seq;
        tcb_.rcv_nxt = seg.seq + 1;
        tcb_.last_ack_sent = tcb_.rcv_nxt;
        tcb_.snd_wnd = seg.wnd;
        tcb_.peer_incarnation = seg.incarnation;
        tcb_.last_rcv = now;
        emit(flag::SYN | flag::ACK, tcb_.iss, 0, now, out);
        set_state(State::SynReceived, Cause::RcvSyn, now, out);
        arm(TimerKind::Retransmit, now + tcb_.rto, out);
        return;
    }
    note(Note::NoConnection, out);
    send_reset_for(seg, now, out);
}

void Endpoint::handle_syn_sent(const Segment& seg, Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (seg.has(flag::ACK) && (seq_le(seg.ack, t.iss) || seq_gt(seg.ack, t.snd_nxt))) {
        if (seg.has(flag::RST)) return note(Note::RstOutOfWindow, out);
        note(Note::BadAck, out);
        return send_reset_for(seg, now, out);
    }
    if (seg.has(flag::RST)) {
        if (!seg.has(flag::ACK)) return note(Note::RstOutOfWindow, out);
        notify(Notice::Refused, out);
        app_.reset_seen = true;
        set_state(State::Closed, Cause::RcvRst, now, out);
        return;
    }
    if (!seg.has(flag::SYN)) return;  // neither SYN nor RST: RFC 9293 says drop
    t.irs = seg.seq;
    t.rcv_nxt = seg.seq + 1;
    t.snd_wnd = seg.wnd;
    t.peer_incarnation = seg.incarnation;
    t.last_rcv = now;
    if (seg.has(flag::ACK)) {
        process_ack(seg, false, now, out);
        send_ack_now(now, out);
        set_state(State::Established, Cause::RcvSynAck, now, out);
        notify(Notice::Connected, out);
        transmit(now, out);
    } else {
        // Simultaneous open: our SYN crossed theirs.
        emit(flag::SYN | flag::ACK, t.iss, 0, now, out);
        set_state(State::SynReceived, Cause::RcvSyn, now, out);
    }
}

bool Endpoint::acceptable(const Segment& seg) const {
    // RFC 9293 3.10.7.4, the four cases of segment length and window.
    const std::uint32_t wnd = rcv_wnd();
    const std::uint32_t rcv_nxt = tcb_.rcv_nxt;
    const std::uint32_t space = seg.seq_space();
    auto in_window = [&](std::uint32_t x) { return seq_le(rcv_nxt, x) && seq_lt(x, rcv_nxt + wnd); };
    if (space == 0) return wnd == 0 ? seg.seq == rcv_nxt : in_window(seg.seq);
    if (wnd == 0) return false;
    return in_window(seg.seq) || in_window(seg.seq + space - 1);
}

void Endpoint::handle_time_wait(const Segment& seg, Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (seg.has(flag::RST)) {
        if (seg.seq != t.rcv_nxt) return note(Note::RstOutOfWindow, out);
        if (knobs_.rfc1337) return note(Note::RstIgnoredRfc1337, out);
        note(Note::RstAccepted, out);
        return set_state(State::Closed, Cause::RcvRst, now, out);
    }
    if (seg.has(flag::FIN) && seg.end_seq() == t.rcv_nxt) {
        // Our last ACK was lost and the peer sent its FIN again.
        send_ack_now(now, out);
        set_state(State::TimeWait, Cause::RcvFin, now, out);  // restarts the timer
        note(Note::TimeWaitRestarted, out);
        return;
    }
    const bool in_window_bare_ack = seg.seq == t.rcv_nxt && seg.seq_space() == 0;
    if (knobs_.retry_limit == RetryLimit::TimeBudget) {
        // Linux restarts TIME-WAIT on any segment with ACK, and answers every
        // segment but a bare in-window ACK with an ACK of its own.
        if (seg.has(flag::ACK)) {
            arm(TimerKind::TimeWait, now + knobs_.time_wait, out);
            note(Note::TimeWaitRestarted, out);
        }
        if (!in_window_bare_ack) {
            note(Note::OutOfWindow, out);
            send_ack_now(now, out);
        }
        return;
    }
    if (!in_window_bare_ack) {
        note(Note::OutOfWindow, out);
        send_ack_now(now, out);
    }
}

void Endpoint::handle_synchronized(const Segment& seg, Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (knobs_.profile == Profile::Linux && t.state == State::SynReceived && t.passive && seg.has(flag::SYN) &&
        !seg.has(flag::ACK) && !seg.has(flag::RST) && seg.seq == t.irs) {
        // The peer sent its SYN again: it never got our SYN-ACK. Linux
        // (tcp_check_req) sends the SYN-ACK again at once and restarts its
        // timer; RFC 9293 would only ACK the old sequence number (below).
        note(Note::RepeatedSyn, out);
        if (last_invalid_ack_ && now - *last_invalid_ack_ < knobs_.invalid_ratelimit) return note(Note::AckRateLimited, out);
        last_invalid_ack_ = now;
        for (auto& r : t.sent) r.retransmitted = true;  // Karn: no RTT sample from it
        emit(flag::SYN | flag::ACK, t.iss, 0, now, out, true);
        arm(TimerKind::Retransmit, now + current_rto(), out);
        return;
    }
    if (!acceptable(seg)) {
        if (seg.has(flag::RST)) return note(Note::RstOutOfWindow, out);
        // Linux (tcp_validate_incoming): a SYN outside the window gets a
        // challenge ACK, which counts towards tcp_invalid_ratelimit.
        if (seg.has(flag::SYN)) return send_invalid_ack(Note::SynChallengeAck, now, out);
        const bool duplicate = seq_lt(seg.seq, t.rcv_nxt) && seg.seq_space() > 0;
        if (duplicate) {
            // A retransmission of something we already have: our ACK was lost.
            note(seg.has(flag::FIN) ? Note::DuplicateFin : Note::DuplicateSegment, out);
            return send_ack_now(now, out);
        }
        return send_invalid_ack(Note::OutOfWindow, now, out);
    }
    t.last_rcv = now;
    t.keepalive_out = 0;
    if (seg.has(flag::RST)) {
        if (seg.seq != t.rcv_nxt) return send_invalid_ack(Note::RstChallengeAck, now, out);
        note(Note::RstAccepted, out);
        if (t.state == State::SynReceived && t.passive) {
            set_state(app_.listening ? State::Listen : State::Closed, Cause::RcvRst, now, out);
            return;
        }
        if (app_.has_socket) {
            app_.reset_seen = true;
            if (knobs_.profile == Profile::Linux && t.state == State::CloseWait) {
                // Linux (tcp_reset) reports EPIPE once the peer's FIN has
                // arrived: read() keeps returning end-of-file, and the next
                // write or poll's SO_ERROR says EPIPE, never ECONNRESET.
                app_.reset_error = AppError::ResetAfterFin;
                fail(AppError::ResetAfterFin, out);
            } else {
                app_.reset_error = AppError::ConnReset;
                notify(Notice::Reset, out);
            }
        }
        return set_state(State::Closed, Cause::RcvRst, now, out);
    }
    if (seg.has(flag::SYN)) return send_invalid_ack(Note::SynChallengeAck, now, out);
    if (!seg.has(flag::ACK)) return note(Note::NoAckFlag, out);

    if (t.state == State::SynReceived) {
        if (seq_le(seg.ack, t.snd_una) || seq_gt(seg.ack, t.snd_max)) {
            note(Note::BadAck, out);
            return send_reset_for(seg, now, out);
        }
        process_ack(seg, false, now, out);
        set_state(State::Established, Cause::RcvAck, now, out);
        if (t.passive) {
            app_.has_socket = true;
            notify(Notice::Accepted, out);
        } else {
            notify(Notice::Connected, out);
        }
        if (t.state != State::Established) return;
        // The same segment may carry data or a FIN: fall through.
    }

    ack_need_ = AckNeed::None;
    ack_forced_ = false;
    // Will this segment's FIN be processed in order? Then FIN-WAIT-1 goes
    // straight to TIME-WAIT when the same segment also ACKs our FIN.
    const std::uint32_t fin_seq = seg.seq + seg.len;
    const bool fin_in_order = seg.has(flag::FIN) && fin_seq == t.rcv_nxt + (seq_lt(t.rcv_nxt, fin_seq) ? fin_seq - t.rcv_nxt : 0) &&
                              seq_le(seg.seq, t.rcv_nxt);
    process_ack(seg, fin_in_order, now, out);
    if (t.state == State::Closed) return;

    if (seg.len > 0) {
        if (t.state == State::CloseWait || t.state == State::Closing || t.state == State::LastAck) {
            note(Note::DataAfterFin, out);
        } else if (app_.orphaned && (t.state == State::FinWait1 || t.state == State::FinWait2) &&
                   seq_gt(seg.seq + seg.len, t.rcv_nxt)) {
            // Nobody will ever read this: RFC 1122 4.2.2.13 and Linux reset.
            send_reset_for(seg, now, out);
            set_state(State::Closed, Cause::RcvDataAfterClose, now, out);
            return;
        } else {
            process_text(seg, now, out);
            if (t.state == State::Closed) return;
        }
    }
    if (seg.has(flag::FIN)) {
        if (t.fin_received) {
            note(Note::DuplicateFin, out);
            send_ack_now(now, out);
        } else if (fin_seq == t.rcv_nxt) {
            process_fin(now, out);
        } else if (seq_gt(fin_seq, t.rcv_nxt)) {
            // The FIN waits for the missing bytes; like any out-of-order
            // segment it draws an immediate duplicate ACK (RFC 5681 4.2).
            // (A FIN riding on out-of-order data got that ACK already.)
            t.ooo_fin = fin_seq;
            if (seg.len == 0) {
                note(Note::OutOfOrder, out);
                ack_need_ = AckNeed::Now;
            }
        }
    }
    if (t.state == State::Closed) return;
    if (ack_need_ == AckNeed::Now) send_ack_now(now, out);
    else if (ack_need_ == AckNeed::Delayed && t.last_ack_sent != t.rcv_nxt) schedule_ack(false, now, out);
    transmit(now, out);
}

}  // namespace finwave
