// Timers: expiry in a fixed order, RTT and RTO, the tail loss probe, the
// retransmission limits (Linux's time budget or a textbook count), keepalive.
#include "finwave/endpoint.hpp"

#include <algorithm>

namespace finwave {

namespace {
// Rounded up to whole kernel ticks (usecs_to_jiffies); no tick: unchanged.
Duration in_ticks(Duration d, Duration tick) {
    if (tick.us <= 0) return d;
    return Duration::micros((d.us + tick.us - 1) / tick.us * tick.us);
}
}  // namespace

void Endpoint::on_timeout(Instant now, Actions& out) {
    for (int k = 0; k < kTimerCount; ++k) {
        auto& slot = timers_[static_cast<std::size_t>(k)];
        if (!slot || *slot > now) continue;
        slot.reset();
        update_earliest();
        Action fire;
        fire.kind = Action::Kind::TimerFire;
        fire.timer = static_cast<TimerKind>(k);
        out.push_back(fire);
        switch (static_cast<TimerKind>(k)) {
            case TimerKind::Retransmit: on_retransmit_timer(now, out); break;
            case TimerKind::LossProbe: on_loss_probe_timer(now, out); break;
            case TimerKind::DelayedAck:
                if (tcb_.state != State::Closed && tcb_.state != State::Listen) send_ack_now(now, out);
                break;
            case TimerKind::FinWait2:
                if (tcb_.state == State::FinWait2) set_state(State::Closed, Cause::TimeoutFinWait2, now, out);
                break;
            case TimerKind::TimeWait:
                if (tcb_.state == State::TimeWait) set_state(State::Closed, Cause::TimeoutTimeWait, now, out);
                break;
            case TimerKind::Keepalive: on_keepalive_timer(now, out); break;
            case TimerKind::kCount: break;
        }
    }
}

void Endpoint::rtt_sample(Duration r) {
    Tcb& t = tcb_;
    if (!t.have_rtt) {
        t.srtt = r;
        t.rttvar = r / 2;
        t.have_rtt = true;
    } else {
        const Duration err = t.srtt > r ? t.srtt - r : r - t.srtt;
        t.rttvar = (t.rttvar * 3 + err) / 4;
        t.srtt = (t.srtt * 7 + r) / 8;
    }
    Duration rto;
    if (knobs_.retry_limit == RetryLimit::TimeBudget) {
        // Linux: the variance term never falls below rto_min, so the timeout
        // is one RTT above rto_min rather than clamped to it.
        rto = t.srtt + std::max(t.rttvar * 4, knobs_.rto_min);
    } else {
        rto = std::max(knobs_.rto_min, t.srtt + std::max(Duration::micros(1), t.rttvar * 4));  // RFC 6298
    }
    // Linux keeps the RTO in jiffies, rounded up (usecs_to_jiffies): 200.1 ms
    // becomes 204 ms at HZ=250, which decides how often a backed-off timer
    // fits into a retry budget.
    rto = in_ticks(rto, knobs_.tick);
    t.rto = std::min(rto, knobs_.rto_max);
}

Duration Endpoint::current_rto() const {
    Duration r = tcb_.rto.is_zero() ? knobs_.rto_initial : tcb_.rto;
    for (int i = 0; i < tcb_.backoff && r < knobs_.rto_max; ++i) r = r * 2;
    return std::min(r, knobs_.rto_max);
}

void Endpoint::restart_rto(Instant now, Actions& out) {
    cancel(TimerKind::LossProbe, out);
    arm(TimerKind::Retransmit, now + current_rto(), out);
}

bool Endpoint::loss_probe_allowed() const {
    // Only while nothing has timed out yet and no probe is already out.
    return knobs_.tlp && !tcb_.tlp_outstanding && tcb_.backoff == 0 && tcb_.snd_una != tcb_.snd_max;
}

void Endpoint::arm_loss_probe(Instant now, Actions& out) {
    // Probe after two RTTs, plus room for a delayed ACK when a single segment
    // is out; never later than the retransmission timer would fire anyway.
    Duration pto = knobs_.rto_initial;
    if (tcb_.have_rtt) {
        const bool one_segment = tcb_.sent.size() <= 1;
        // Linux counts 2 x SRTT in whole ticks and adds rto_min for a lone
        // segment (its ACK may be delayed), else two ticks (TCP_TIMEOUT_MIN).
        pto = in_ticks(tcb_.srtt * 2, knobs_.tick) + (one_segment ? knobs_.rto_min : knobs_.tick * 2);
    }
    const Instant rto_at = tcb_.sent.empty() ? now + current_rto() : tcb_.sent.front().sent + current_rto();
    const Instant deadline = std::min(now + pto, std::max(rto_at, now));
    cancel(TimerKind::Retransmit, out);
    arm(TimerKind::LossProbe, deadline, out);
}

void Endpoint::on_loss_probe_timer(Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (t.snd_una == t.snd_max) return;
    // Send the last segment again: if only the tail was lost, its ACK (or a
    // SACK) recovers the loss without waiting for the retransmission timeout.
    const bool fin_at_end = t.fin_queued && t.snd_max == t.fin_seq + 1;
    const std::uint32_t data_end = fin_at_end ? t.fin_seq : t.snd_max;
    std::uint32_t start = t.sent.size() >= 2 ? t.sent[t.sent.size() - 2].end : t.snd_una;
    if (seq_lt(start, t.snd_una)) start = t.snd_una;
    std::uint32_t len = data_end - start;
    if (len > knobs_.mss) {
        start = data_end - knobs_.mss;
        len = knobs_.mss;
    }
    std::uint8_t flags = flag::ACK;
    if (fin_at_end) flags |= flag::FIN;
    if (len > 0 && std::find(t.push_marks.begin(), t.push_marks.end(), data_end) != t.push_marks.end()) flags |= flag::PSH;
    note(Note::LossProbe, out);
    emit(flags, start, len, now, out, true);
    if (!t.sent.empty()) {
        t.sent.back().retransmitted = true;
        if (t.sent.size() == 1) t.sent.back().sent = now;  // the head was sent again
    }
    t.tlp_outstanding = true;
    arm(TimerKind::Retransmit, now + current_rto(), out);
}

bool Endpoint::retries_exhausted(Instant now) const {
    const Tcb& t = tcb_;
    // The handshake counts its retransmissions, in both profiles: Linux's
    // SYN-SENT allows tcp_syn_retries plus the tcp_syn_linear_timeouts sent
    // before the doubling starts (6 + 4: ETIMEDOUT after about 130 s), a
    // passive SYN-RECEIVED tcp_synack_retries.
    // Linux turns a retry count into the time those retries would take with
    // a timeout doubling from `base`, capped at rto_max (tcp_model_timeout).
    const auto budget = [this](int limit, Duration base) {
        int thresh = 0;
        while ((base * (std::int64_t{2} << thresh)) <= knobs_.rto_max) ++thresh;  // ilog2(rto_max / base)
        if (limit <= thresh) return base * ((std::int64_t{2} << limit) - 1);
        return base * ((std::int64_t{2} << thresh) - 1) + knobs_.rto_max * (limit - thresh);
    };
    if (t.state == State::SynSent) {
        // Either limit ends it: the count, or the time syn_retries doubling
        // timeouts would take from the first SYN (tcp_write_timeout). With
        // the defaults both say: after the 10th retransmission, at 131 s;
        // with syn_retries=2 the time (7 s) ends it after 5.
        if (t.retransmits >= knobs_.syn_retries + knobs_.syn_linear_timeouts) return true;
        return knobs_.retry_limit == RetryLimit::TimeBudget && now - t.rtx_start >= budget(knobs_.syn_retries, knobs_.rto_initial);
    }
    // A passive open's half-open connection only counts (the request timer).
    if (t.state == State::SynReceived)
        return t.retransmits >= (t.passive ? knobs_.synack_retries : knobs_.syn_retries);
    int limit = app_.orphaned ? knobs_.orphan_retries : knobs_.retries2;
    // Textbook: a limit of N allows N retransmissions (so 0 allows none).
    if (knobs_.retry_limit == RetryLimit::Count) return t.retransmits >= limit;
    // Linux never gives up at the first expiry: it retransmits at least once.
    if (t.retransmits == 0) return false;
    if (app_.orphaned && limit == 0 && current_rto() < knobs_.rto_max) {
        limit = 8;  // Linux: 0 means "a safe number" while the peer seems alive
    }
    return now - t.rtx_start >= budget(limit, knobs_.rto_min);
}

void Endpoint::on_retransmit_timer(Instant now, Actions& out) {
    Tcb& t = tcb_;
    const State s = t.state;
    if (s == State::Closed || s == State::Listen || s == State::TimeWait) return;
    if (t.snd_una == t.snd_max) return;
    if (retries_exhausted(now)) {
        note(app_.orphaned ? Note::GiveUpOrphan : Note::GiveUpRetries, out, t.retransmits);
        if (app_.has_socket) notify(Notice::TimedOut, out);
        // Linux gives up silently: no RST, the peer is presumed gone.
        set_state(State::Closed, Cause::GiveUp, now, out);
        return;
    }
    // Linux measures the give-up budget from the first timeout
    // retransmission (a tail loss probe before it does not count).
    // (SYN-SENT counts from the first SYN: connect() set it.)
    if (t.retransmits == 0 && s != State::SynSent) t.rtx_start = now;
    ++t.retransmits;
    // Linux's first tcp_syn_linear_timeouts SYN retransmissions keep the
    // initial RTO (1 s apart); the doubling starts after them.
    if (s != State::SynSent || t.retransmits > knobs_.syn_linear_timeouts) ++t.backoff;
    note(Note::Retransmit, out, t.retransmits);
    for (auto& r : t.sent) r.retransmitted = true;
    if (s == State::SynSent) {
        emit(flag::SYN, t.iss, 0, now, out, true);
    } else if (s == State::SynReceived && seq_le(t.snd_una, t.iss)) {
        emit(flag::SYN | flag::ACK, t.iss, 0, now, out, true);
    } else {
        // Go back to the oldest unacknowledged byte; slow start again.
        t.snd_nxt = t.snd_una;
        t.cwnd = 1;
        const bool had_fin = t.fin_queued && seq_gt(t.snd_max, t.fin_seq);
        const std::uint32_t data_end = had_fin ? t.fin_seq : t.snd_max;
        const std::uint32_t len = std::min<std::uint32_t>(knobs_.mss, data_end - t.snd_una);
        std::uint8_t flags = flag::ACK;
        const bool fin_rides = had_fin && t.snd_una + len == t.fin_seq;
        if (fin_rides) flags |= flag::FIN;
        if (len > 0 && std::find(t.push_marks.begin(), t.push_marks.end(), t.snd_una + len) != t.push_marks.end()) flags |= flag::PSH;
        emit(flags, t.snd_una, len, now, out, true);
        t.snd_nxt = t.snd_una + len + (fin_rides ? 1u : 0u);
    }
    arm(TimerKind::Retransmit, now + current_rto(), out);
}

void Endpoint::on_keepalive_timer(Instant now, Actions& out) {
    Tcb& t = tcb_;
    if (t.state != State::Established && t.state != State::CloseWait) return;
    if (t.snd_una != t.snd_max) {  // data in flight: the retransmission timer watches the peer
        arm(TimerKind::Keepalive, now + knobs_.keepalive_time, out);
        return;
    }
    const Duration idle = now - t.last_rcv;
    if (t.keepalive_out == 0 && idle < knobs_.keepalive_time) {
        arm(TimerKind::Keepalive, t.last_rcv + knobs_.keepalive_time, out);
        return;
    }
    if (t.keepalive_out >= knobs_.keepalive_probes) {
        // Unlike a retransmission give-up, Linux tells the peer: a RST with
        // SND.NXT and RCV.NXT (tcp_keepalive_timer, tcp_send_active_reset).
        note(Note::KeepaliveGiveUp, out, t.keepalive_out);
        send_active_reset(now, out);
        if (app_.has_socket) notify(Notice::TimedOut, out);
        set_state(State::Closed, Cause::KeepaliveTimeout, now, out);
        return;
    }
    ++t.keepalive_out;
    note(Note::KeepaliveProbe, out, t.keepalive_out);
    // One byte below SND.UNA: the peer must answer with an ACK of its own.
    emit(flag::ACK, t.snd_una - 1, 0, now, out);
    arm(TimerKind::Keepalive, now + knobs_.keepalive_intvl, out);
}

}  // namespace finwave
