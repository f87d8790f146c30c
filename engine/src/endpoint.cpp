#include "finwave/endpoint.hpp"

#include <algorithm>
#include <cassert>

namespace finwave {

const char* to_string(TimerKind k) {
    switch (k) {
        case TimerKind::Retransmit: return "retransmit";
        case TimerKind::LossProbe: return "loss-probe";
        case TimerKind::DelayedAck: return "delayed-ack";
        case TimerKind::FinWait2: return "fin-wait-2";
        case TimerKind::TimeWait: return "time-wait";
        case TimerKind::Keepalive: return "keepalive";
    }
    return "?";
}

const char* to_string(AppCallKind k) {
    switch (k) {
        case AppCallKind::Listen: return "listen";
        case AppCallKind::Connect: return "connect";
        case AppCallKind::Send: return "send";
        case AppCallKind::Read: return "read";
        case AppCallKind::Close: return "close";
        case AppCallKind::Shutdown: return "shutdown";
        case AppCallKind::Abort: return "abort";
        case AppCallKind::Exit: return "exit";
        case AppCallKind::Crash: return "crash";
        case AppCallKind::NeverClose: return "never-close";
        case AppCallKind::Autoread: return "autoread";
    }
    return "?";
}

std::string describe(const AppCall& call) {
    switch (call.kind) {
        case AppCallKind::Send: return "send(" + std::to_string(call.bytes) + ")";
        case AppCallKind::Read: return call.bytes ? "read(" + std::to_string(call.bytes) + ")" : "read()";
        case AppCallKind::Shutdown: return "shutdown(SHUT_WR)";
        case AppCallKind::Abort: return "close() with SO_LINGER 0";
        case AppCallKind::Crash: return "host crash";
        case AppCallKind::NeverClose: return "app will never close()";
        case AppCallKind::Autoread: return call.on ? "autoread(on)" : "autoread(off)";
        default: return std::string(to_string(call.kind)) + "()";
    }
}

const char* to_string(Notice n) {
    switch (n) {
        case Notice::Connected: return "connected";
        case Notice::Accepted: return "accepted";
        case Notice::DataRead: return "read";
        case Notice::Eof: return "EOF";
        case Notice::Reset: return "ECONNRESET";
        case Notice::Refused: return "ECONNREFUSED";
        case Notice::TimedOut: return "ETIMEDOUT";
        case Notice::CorruptData: return "corrupt data";
        case Notice::Error: return "error";
    }
    return "?";
}

const char* to_string(AppError e) {
    switch (e) {
        case AppError::None: return "no error";
        case AppError::NotConnected: return "the socket is not connected";
        case AppError::BrokenPipe: return "the sending direction is already shut (shutdown or close was called)";
        case AppError::BadDescriptor: return "the socket was already closed by the application";
        case AppError::AddrInUse: return "the port pair is still in use (TIME-WAIT)";
        case AppError::IsConnected: return "the socket is already connected";
        case AppError::ConnReset: return "the connection was reset";
        case AppError::ResetAfterFin: return "the peer reset the connection after its FIN";
    }
    return "?";
}

const char* errno_name(AppError e) {
    switch (e) {
        case AppError::None: return "0";
        case AppError::NotConnected: return "ENOTCONN";
        case AppError::BrokenPipe: return "EPIPE";
        case AppError::BadDescriptor: return "EBADF";
        case AppError::AddrInUse: return "EADDRINUSE";
        case AppError::IsConnected: return "EISCONN";
        case AppError::ConnReset: return "ECONNRESET";
        case AppError::ResetAfterFin: return "EPIPE";
    }
    return "?";
}

const char* to_string(Note n) {
    switch (n) {
        case Note::OutOfWindow: return "segment outside the receive window: ACK sent, segment dropped";
        case Note::AckOfUnsentData: return "ACK for data never sent: ACK sent, segment dropped";
        case Note::DuplicateSegment: return "duplicate segment: ACKed again";
        case Note::OutOfOrder: return "out of order: queued, duplicate ACK sent";
        case Note::NoAckFlag: return "segment without ACK on a synchronized connection: dropped";
        case Note::DataAfterFin: return "data after the peer's FIN: ignored";
        case Note::DuplicateFin: return "retransmitted FIN: ACKed again";
        case Note::TimeWaitRestarted: return "TIME-WAIT timer restarted";
        case Note::RstAccepted: return "RST accepted";
        case Note::RstIgnoredRfc1337: return "RST ignored in TIME-WAIT (rfc1337 on)";
        case Note::RstOutOfWindow: return "RST with an unacceptable sequence number: dropped";
        case Note::RstChallengeAck: return "RST in window but not at RCV.NXT: challenge ACK (RFC 5961)";
        case Note::SynChallengeAck: return "SYN on a synchronized connection: challenge ACK";
        case Note::NoConnection: return "segment for no connection: answered with RST";
        case Note::RstForNoConnection: return "RST for no connection: dropped, never answered";
        case Note::NagleHold: return "Nagle: small segment held until the outstanding one is ACKed";
        case Note::LossProbe: return "tail loss probe: last segment sent again";
        case Note::Retransmit: return "retransmission timeout";
        case Note::GiveUpOrphan: return "orphaned socket gave up: tcp_orphan_retries reached";
        case Note::GiveUpRetries: return "gave up: retransmission limit reached";
        case Note::KeepaliveProbe: return "keepalive probe";
        case Note::NeverCloseIgnored: return "the application never calls close()";
        case Note::DataFromOldIncarnation: return "bytes from an earlier connection accepted as new data: corruption";
        case Note::BadAck: return "unacceptable ACK: answered with RST";
        case Note::AckRateLimited: return "no ACK this time: such ACKs are rate-limited (tcp_invalid_ratelimit)";
    }
    return "?";
}

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
        0,
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
// Application calls

void Endpoint::start_connection(bool passive, Instant now) {
    Tcb fresh;
    fresh.incarnation = tcb_.incarnation + 1;
    fresh.state = tcb_.state;
    tcb_ = fresh;
    tcb_.passive = passive;
    tcb_.iss = isn_for(tcb_.incarnation);
    tcb_.snd_una = tcb_.iss;
    tcb_.snd_nxt = tcb_.iss + 1;
    tcb_.snd_max = tcb_.iss + 1;
    tcb_.write_seq = tcb_.iss + 1;
    tcb_.snd_sml = tcb_.iss;
    tcb_.cwnd = knobs_.init_cwnd;
    tcb_.rto = knobs_.rto_initial;
    tcb_.quick = knobs_.quickack;
    tcb_.last_rcv = now;
    tcb_.sent.push_back({tcb_.iss + 1, now, false});
    app_.has_socket = true;
    app_.orphaned = false;
    app_.write_shut = false;
    app_.eof_seen = false;
    app_.reset_seen = false;
    app_.reset_error = AppError::ConnReset;
    app_.unread = 0;
}

void Endpoint::on_app_call(const AppCall& call, Instant now, Actions& out) {
    const State s = tcb_.state;
    switch (call.kind) {
        case AppCallKind::Listen:
            if (app_.listening) return fail(AppError::IsConnected, out);
            app_.listening = true;
            if (s == State::Closed) set_state(State::Listen, Cause::AppListen, now, out);
            return;

        case AppCallKind::Connect:
            if (s == State::TimeWait) return fail(AppError::AddrInUse, out);
            if (s != State::Closed) return fail(AppError::IsConnected, out);
            start_connection(false, now);
            emit(flag::SYN, tcb_.iss, 0, now, out);
            set_state(State::SynSent, Cause::AppConnect, now, out);
            arm(TimerKind::Retransmit, now + tcb_.rto, out);
            return;

        case AppCallKind::Send: {
            if (!app_.has_socket) return fail(app_.orphaned ? AppError::BadDescriptor : AppError::NotConnected, out);
            if (app_.reset_seen) return fail(app_.reset_error, out);
            if (app_.write_shut) return fail(AppError::BrokenPipe, out);
            if (s == State::Closed) return fail(AppError::NotConnected, out);
            if (call.bytes == 0) return;
            tcb_.write_seq += call.bytes;
            tcb_.push_marks.push_back(tcb_.write_seq);
            transmit(now, out);
            return;
        }

        case AppCallKind::Read: {
            if (!app_.has_socket) return fail(app_.orphaned ? AppError::BadDescriptor : AppError::NotConnected, out);
            const std::uint32_t n = call.bytes == 0 ? app_.unread : std::min(call.bytes, app_.unread);
            if (n > 0) {
                const std::uint32_t old_wnd = rcv_wnd();
                app_.unread -= n;
                notify(Notice::DataRead, out, n);
                // A window that opens from nearly closed is announced at once,
                // or the peer would wait for its persist timer.
                if (old_wnd < knobs_.mss && rcv_wnd() >= knobs_.mss && s != State::Closed) send_ack_now(now, out);
            }
            if (app_.unread == 0 && tcb_.fin_received && !app_.eof_seen) {
                app_.eof_seen = true;
                notify(Notice::Eof, out);
            }
            return;
        }

        case AppCallKind::Close:
            if (app_.never_close) return note(Note::NeverCloseIgnored, out);
            if (!app_.has_socket && !app_.listening) return fail(AppError::BadDescriptor, out);
            if (app_.listening && !app_.has_socket) return close_listener(now, out);
            // close() acts on the connection's descriptor; the listening
            // socket stays open for the next connection.
            return close_connection(app_.unread > 0 ? Cause::AppCloseUnread : Cause::AppClose, now, out);

        case AppCallKind::Exit:
            // The process is gone, whatever it meant to do.
            app_.never_close = false;
            if (!app_.has_socket && !app_.listening) return;
            if (!app_.has_socket) return close_listener(now, out);
            app_.listening = false;
            return close_connection(app_.unread > 0 ? Cause::AppCloseUnread : Cause::AppClose, now, out);

        case AppCallKind::Abort:
            if (!app_.has_socket) return fail(AppError::BadDescriptor, out);
            return close_connection(Cause::AppAbort, now, out);

        case AppCallKind::Shutdown:
            if (!app_.has_socket) return fail(app_.orphaned ? AppError::BadDescriptor : AppError::NotConnected, out);
            if (app_.reset_seen) return fail(app_.reset_error, out);
            if (app_.write_shut) return;  // shutting an already shut direction is harmless
            if (s == State::Established || s == State::SynReceived) {
                app_.write_shut = true;
                queue_fin(now, out);
                set_state(State::FinWait1, s == State::Established ? Cause::AppShutdown : Cause::AppClose, now, out);
                transmit(now, out);
            } else if (s == State::CloseWait) {
                app_.write_shut = true;
                queue_fin(now, out);
                set_state(State::LastAck, Cause::AppShutdown, now, out);
                transmit(now, out);
            } else {
                return fail(AppError::NotConnected, out);
            }
            return;

        case AppCallKind::Crash:
            app_ = App{};
            if (s != State::Closed) set_state(State::Closed, Cause::Crash, now, out);
            // Nothing survives a crash: a rebooted host starts with no timers.
            for (int k = 0; k < kTimerCount; ++k) cancel(static_cast<TimerKind>(k), out);
            return;

        case AppCallKind::NeverClose:
            app_.never_close = true;
            return;

        case AppCallKind::Autoread:
            app_.autoread = call.on;
            if (call.on) deliver_to_app(now, out);
            return;
    }
}

void Endpoint::close_listener(Instant now, Actions& out) {
    app_.listening = false;
    if (tcb_.state == State::Listen) return set_state(State::Closed, Cause::AppClose, now, out);
    if (tcb_.state == State::SynReceived && tcb_.passive) {
        // A connection the application never accepted dies with its listener.
        send_active_reset(now, out);
        set_state(State::Closed, Cause::AppAbort, now, out);
    }
}

void Endpoint::queue_fin(Instant, Actions&) {
    tcb_.fin_queued = true;
    tcb_.fin_seq = tcb_.write_seq;
}

void Endpoint::close_connection(Cause how, Instant now, Actions& out) {
    const State s = tcb_.state;
    app_.has_socket = false;
    app_.orphaned = s != State::Closed;
    const bool can_reset = s == State::Established || s == State::CloseWait || s == State::FinWait1 ||
                           s == State::FinWait2 || s == State::SynReceived;
    if ((how == Cause::AppCloseUnread || how == Cause::AppAbort) && can_reset) {
        // Abortive release: unsent and unread data are thrown away, the peer
        // learns it from a RST carrying our current SND.NXT.
        send_active_reset(now, out);
        set_state(State::Closed, how, now, out);
        return;
    }
    switch (s) {
        case State::SynSent:
            set_state(State::Closed, how == Cause::AppAbort ? Cause::AppAbort : Cause::AppClose, now, out);
            return;
        case State::SynReceived:
        case State::Established:
            app_.write_shut = true;
            queue_fin(now, out);
            set_state(State::FinWait1, Cause::AppClose, now, out);
            transmit(now, out);
            return;
        case State::CloseWait:
            app_.write_shut = true;
            queue_fin(now, out);
            set_state(State::LastAck, Cause::AppClose, now, out);
            transmit(now, out);
            return;
        case State::FinWait2:
            // shutdown() earlier, close() now: from here on the socket is an
            // orphan and tcp_fin_timeout starts to count.
            arm_fin_wait2_timer(now, out);
            return;
        default:
            // FIN-WAIT-1, CLOSING, LAST-ACK, TIME-WAIT: the kernel finishes alone.
            return;
    }
}

void Endpoint::arm_fin_wait2_timer(Instant now, Actions& out) {
    if (!knobs_.fin_timeout) return;
    // Linux never waits less than 3.5 RTO here, whatever tcp_fin_timeout says.
    const Duration rto = current_rto();
    const Duration floor = rto * 4 - rto / 2;
    arm(TimerKind::FinWait2, now + std::max(*knobs_.fin_timeout, floor), out);
}

// ---------------------------------------------------------------------------
// Output

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

// ---------------------------------------------------------------------------
// Input

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
        const State before = tcb_.state;
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
        (void)before;
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
        emit(flag::SYN | flag::ACK, t.iss, 0, now, out, true);
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
    if (!acceptable(seg)) {
        if (seg.has(flag::RST)) return note(Note::RstOutOfWindow, out);
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
            t.ooo_fin = fin_seq;  // waits for the missing bytes
        }
    }
    if (t.state == State::Closed) return;
    if (ack_need_ == AckNeed::Now) send_ack_now(now, out);
    else if (ack_need_ == AckNeed::Delayed && t.last_ack_sent != t.rcv_nxt) schedule_ack(false, now, out);
    transmit(now, out);
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
        t.sent.erase(t.sent.begin());
        ++acked_segments;
    }
    if (sample) rtt_sample(*sample);
    std::size_t done = 0;
    while (done < t.push_marks.size() && seq_le(t.push_marks[done], t.snd_una)) ++done;
    t.push_marks.erase(t.push_marks.begin(), t.push_marks.begin() + static_cast<long>(done));
    t.backoff = 0;
    t.retransmits = 0;
    t.tlp_outstanding = false;
    t.cwnd += acked_segments;  // slow start; the congestion window barely matters for a close
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
    const bool filled_gap = !t.out_of_order.empty();
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
        // Linux adds rto_min for a lone segment (its ACK may be delayed),
        // else two timer ticks (TCP_TIMEOUT_MIN).
        pto = tcb_.srtt * 2 + (one_segment ? knobs_.rto_min : knobs_.tick * 2);
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
    const bool syn_state = t.state == State::SynSent || t.state == State::SynReceived;
    int limit = syn_state ? knobs_.syn_retries : app_.orphaned ? knobs_.orphan_retries : knobs_.retries2;
    // Textbook: a limit of N allows N retransmissions (so 0 allows none).
    if (knobs_.retry_limit == RetryLimit::Count) return t.retransmits >= limit;
    // Linux never gives up at the first expiry: it retransmits at least once.
    if (t.retransmits == 0) return false;
    if (app_.orphaned && !syn_state && limit == 0 && current_rto() < knobs_.rto_max) {
        limit = 8;  // Linux: 0 means "a safe number" while the peer seems alive
    }
    // Linux turns the retry count into the time those retries would take with
    // a doubling timeout starting at rto_min, capped at rto_max.
    const Duration base = syn_state ? knobs_.rto_initial : knobs_.rto_min;
    int thresh = 0;
    while ((base * (std::int64_t{2} << thresh)) <= knobs_.rto_max) ++thresh;  // ilog2(rto_max / base)
    Duration budget;
    if (limit <= thresh) budget = base * ((std::int64_t{2} << limit) - 1);
    else budget = base * ((std::int64_t{2} << thresh) - 1) + knobs_.rto_max * (limit - thresh);
    return now - t.rtx_start >= budget;
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
    if (t.retransmits == 0) t.rtx_start = now;
    ++t.retransmits;
    ++t.backoff;
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
        note(Note::GiveUpRetries, out, t.keepalive_out);
        if (app_.has_socket) notify(Notice::TimedOut, out);
        set_state(State::Closed, Cause::GiveUp, now, out);
        return;
    }
    ++t.keepalive_out;
    note(Note::KeepaliveProbe, out, t.keepalive_out);
    // One byte below SND.UNA: the peer must answer with an ACK of its own.
    emit(flag::ACK, t.snd_una - 1, 0, now, out);
    arm(TimerKind::Keepalive, now + knobs_.keepalive_intvl, out);
}

}  // namespace finwave
