// Data and ACKs: what is sent (Nagle, windows, delayed ACKs), what an ACK
// acknowledges, in-order data and the FIN, and delivery to the application.
#include "finwave/endpoint.hpp"

#include <algorithm>

namespace finwave {

void Endpoint::transmit(Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (t.state == State::Closed || t.state == State::Listen || t.state == State::SynSent ||
        t.state == State::TimeWait)
        return;
    if (t.state == State::SynReceived && seq_le(t.snd_una, t.iss)) return;  // SYN not yet ACKed
    for (int guard = 0; guard < 100000; ++guard) {
        const bool fin_pending = t.fin_queued && seq_le(t.snd_nxt, t.fin_seq);
        const std::uint32_t unsent = seq_lt(t.snd_nxt, t.write_seq) ? t.write_seq - t.snd_nxt : 0;
        if (unsent == 0 && !fin_pending) return;
        const std::uint32_t in_flight = t.snd_nxt - t.snd_una;
        const auto window = static_cast<std::uint32_t>(std::min<std::uint64_t>(t.snd_wnd, std::uint64_t{t.cwnd} * knobs_.mss));
        const std::uint32_t room = window > in_flight ? window - in_flight : 0;
        std::uint32_t len = std::min({unsent, knobs_.mss, room});
        if (unsent > 0 && len == 0) {
            // A window of zero would need the persist timer; the sizes used in
            // lessons never close the window, so waiting for an ACK is enough.
            return;
        }
        const bool retransmitting = seq_lt(t.snd_nxt, t.snd_max);
        const bool fin_rides = fin_pending && t.snd_nxt + len == t.fin_seq;
        if (!fin_pending && knobs_.nagle && len < knobs_.mss && len == unsent && !retransmitting &&
            seq_gt(t.snd_sml, t.snd_una)) {
            note(Note::NagleHold, out, len);
            return;
        }
        std::uint8_t flags = flag::ACK;
        const std::uint32_t end = t.snd_nxt + len;
        if (len > 0 && std::find(t.push_marks.begin(), t.push_marks.end(), end) != t.push_marks.end()) flags |= flag::PSH;
        if (fin_rides) flags |= flag::FIN;
        const std::uint32_t seq = t.snd_nxt;
        emit(flags, seq, len, now, out, retransmitting);
        const std::uint32_t space = len + (fin_rides ? 1u : 0u);
        t.snd_nxt += space;
        if (seq_gt(t.snd_nxt, t.snd_max)) {
            t.sent.push_back({t.snd_nxt, now, false});
            t.snd_max = t.snd_nxt;
        }
        if (len > 0 && len < knobs_.mss) t.snd_sml = t.snd_nxt;
        if (!retransmitting && loss_probe_allowed()) {
            arm_loss_probe(now, out);
        } else if (!timers_[static_cast<std::size_t>(TimerKind::Retransmit)] &&
                   !timers_[static_cast<std::size_t>(TimerKind::LossProbe)]) {
            restart_rto(now, out);
        }
        if (fin_rides) return;
    }
}

void Endpoint::schedule_ack(bool immediately, Instant now, Actions& out) {
    if (immediately || knobs_.delayed_ack.is_zero()) return send_ack_now(now, out);
    // Two full segments unacknowledged: ACK now (RFC 1122 4.2.3.2).
    if (tcb_.rcv_nxt - tcb_.last_ack_sent >= 2 * knobs_.mss) return send_ack_now(now, out);
    const Duration delay = tcb_.data_received ? knobs_.delayed_ack : knobs_.delayed_ack_before_data;
    if (!timers_[static_cast<std::size_t>(TimerKind::DelayedAck)]) arm(TimerKind::DelayedAck, now + delay, out);
}


void Endpoint::process_ack(const Segment& seg, bool fin_in_order_follows, Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (seq_gt(seg.ack, t.snd_max)) return send_invalid_ack(Note::AckOfUnsentData, now, out);
    t.snd_wnd = seg.wnd;
    if (!seq_gt(seg.ack, t.snd_una)) return;  // duplicate or old ACK: nothing new
    t.snd_una = seg.ack;
    if (seq_lt(t.snd_nxt, t.snd_una)) t.snd_nxt = t.snd_una;
    // RTT sample from the newest fully acknowledged segment never retransmitted (Karn).
    std::optional<Duration> sample;
    std::uint32_t acked_segments = 0;
    while (!t.sent.empty() && seq_le(t.sent.front().end, t.snd_una)) {
        sample = t.sent.front().retransmitted ? std::nullopt : std::optional<Duration>(now - t.sent.front().sent);
        if (t.sent.front().end != t.iss + 1) ++acked_segments;
        t.sent.erase(t.sent.begin());
    }
    if (sample) rtt_sample(*sample);
    std::size_t done = 0;
    while (done < t.push_marks.size() && seq_le(t.push_marks[done], t.snd_una)) ++done;
    t.push_marks.erase(t.push_marks.begin(), t.push_marks.begin() + static_cast<long>(done));
    t.backoff = 0;
    t.retransmits = 0;
    t.tlp_outstanding = false;
    // Slow start. The SYN is not a data segment: its ACK does not open the
    // window (Linux's first flight is init_cwnd segments, not one more).
    t.cwnd += acked_segments;
    if (t.snd_una == t.snd_max) {
        cancel(TimerKind::Retransmit, out);
        cancel(TimerKind::LossProbe, out);
    } else {
        cancel(TimerKind::LossProbe, out);
        restart_rto(now, out);
    }

    const bool fin_acked = t.fin_queued && seq_gt(t.snd_una, t.fin_seq);
    if (!fin_acked) return;
    switch (t.state) {
        case State::FinWait1:
            if (fin_in_order_follows) {
                // Handled with the FIN itself: FIN-WAIT-1 -> TIME-WAIT in one step.
                return;
            }
            set_state(State::FinWait2, Cause::RcvAck, now, out);
            if (app_.orphaned) arm_fin_wait2_timer(now, out);
            return;
        case State::Closing: set_state(State::TimeWait, Cause::RcvAck, now, out); return;
        case State::LastAck: set_state(State::Closed, Cause::RcvAck, now, out); return;
        default: return;
    }
}

void Endpoint::process_text(const Segment& seg, Instant now, Actions& out) {
    Tcb& t = tcb_;
    std::uint32_t start = seg.seq;
    const std::uint32_t end = seg.seq + seg.len;
    if (seq_le(end, t.rcv_nxt)) {
        note(Note::DuplicateSegment, out);
        return send_ack_now(now, out);
    }
    if (seq_gt(start, t.rcv_nxt)) {
        // Keep it until the hole is filled; a duplicate ACK tells the sender.
        t.out_of_order.push_back({start, end});
        note(Note::OutOfOrder, out);
        return send_ack_now(now, out);
    }
    if (seq_lt(start, t.rcv_nxt)) start = t.rcv_nxt;
    std::uint32_t accepted = end - start;
    // Bytes or a FIN waiting beyond this segment: it fills a gap, and the
    // ACK for it may not wait (RFC 5681 4.2).
    const bool filled_gap = !t.out_of_order.empty() || t.ooo_fin.has_value();
    t.rcv_nxt = end;
    // Merge queued out-of-order ranges that now follow on.
    for (bool merged = true; merged;) {
        merged = false;
        for (auto it = t.out_of_order.begin(); it != t.out_of_order.end(); ++it) {
            if (seq_le(it->seq, t.rcv_nxt)) {
                if (seq_gt(it->end, t.rcv_nxt)) {
                    accepted += it->end - t.rcv_nxt;
                    t.rcv_nxt = it->end;
                }
                t.out_of_order.erase(it);
                merged = true;
                break;
            }
        }
    }
    if (seg.incarnation != t.peer_incarnation) {
        note(Note::DataFromOldIncarnation, out, accepted);
        notify(Notice::CorruptData, out, accepted);
    }
    app_.unread += accepted;
    t.data_received = true;
    // The ACK is decided once the whole segment (and a FIN it may carry) has
    // been processed, as one segment draws at most one ACK.
    ack_need_ = std::max(ack_need_, filled_gap ? AckNeed::Now : AckNeed::Delayed);
    ack_forced_ = ack_forced_ || filled_gap;
    if (!t.pingpong && t.quick > 0) {
        --t.quick;
        ack_need_ = AckNeed::Now;
    }
    if (t.ooo_fin && *t.ooo_fin == t.rcv_nxt) {
        t.ooo_fin.reset();
        process_fin(now, out);
    }
    deliver_to_app(now, out);
}

void Endpoint::process_fin(Instant now, Actions& out) {
    Tcb& t = tcb_;
    t.rcv_nxt += 1;
    t.fin_received = true;
    const bool our_fin_acked = t.fin_queued && seq_gt(t.snd_una, t.fin_seq);
    switch (t.state) {
        case State::SynReceived:
        case State::Established:
            set_state(State::CloseWait, Cause::RcvFin, now, out);
            // The application will probably answer soon: hold the ACK so it can
            // ride on our own FIN (this is how three-segment closes happen).
            t.pingpong = true;
            // Only a filled gap still forces an immediate ACK: the quick-ACK
            // mode ends with the FIN.
            ack_need_ = ack_forced_ ? AckNeed::Now : AckNeed::Delayed;
            break;
        case State::FinWait1:
            send_ack_now(now, out);
            if (our_fin_acked) set_state(State::TimeWait, Cause::RcvFinAck, now, out);
            else set_state(State::Closing, Cause::RcvFin, now, out);
            break;
        case State::FinWait2:
            send_ack_now(now, out);
            set_state(State::TimeWait, Cause::RcvFin, now, out);
            break;
        default:
            send_ack_now(now, out);
            break;
    }
    deliver_to_app(now, out);
}

void Endpoint::deliver_to_app(Instant now, Actions& out) {
    if (!app_.has_socket || !app_.autoread) return;
    if (app_.unread > 0) {
        notify(Notice::DataRead, out, app_.unread);
        app_.unread = 0;
    }
    if (tcb_.fin_received && !app_.eof_seen) {
        app_.eof_seen = true;
        notify(Notice::Eof, out);
    }
    (void)now;
}

}  // namespace finwave
