// Application calls: listen, connect, send, read, and the ways a socket is closed
// (close, shutdown, SO_LINGER 0, exit, crash).
#include "finwave/endpoint.hpp"

#include <algorithm>

namespace finwave {

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
            tcb_.rtx_start = now;  // the SYN's retry budget counts from here
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
                set_state(State::FinWait1, Cause::AppShutdown, now, out);
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
        // A connection the application never accepted dies with its listener,
        // silently: Linux frees the request and answers the handshake's final
        // ACK, when it comes, as a segment for no connection (RST).
        set_state(State::Closed, Cause::ListenerClosed, now, out);
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
            return reset_if_too_many_orphans(now, out);
        case State::CloseWait:
            app_.write_shut = true;
            queue_fin(now, out);
            set_state(State::LastAck, Cause::AppClose, now, out);
            transmit(now, out);
            return reset_if_too_many_orphans(now, out);
        case State::FinWait2:
            // shutdown() earlier, close() now: from here on the socket is an
            // orphan and tcp_fin_timeout starts to count.
            arm_fin_wait2_timer(now, out);
            return;
        case State::FinWait1:
        case State::Closing:
        case State::LastAck:
            // After shutdown(): the FIN is out, the kernel finishes alone.
            return reset_if_too_many_orphans(now, out);
        default:
            return;  // TIME-WAIT: nothing left to do
    }
}

void Endpoint::reset_if_too_many_orphans(Instant now, Actions& out) {
    // Linux's tcp_close(): once the FIN is sent, a socket that would be one
    // orphan too many is reset instead ("too many orphaned sockets"). The
    // count compared is the one the kernel refreshed last (every 100 ms),
    // which does not include this socket yet. FIN-WAIT-2 is not checked: it
    // becomes a TIME-WAIT-like minisock without an orphan.
    if (knobs_.host_orphans <= knobs_.max_orphans) return;
    const State s = tcb_.state;
    if (s != State::FinWait1 && s != State::LastAck && s != State::Closing) return;
    note(Note::TooManyOrphans, out, knobs_.host_orphans);
    send_active_reset(now, out);
    set_state(State::Closed, Cause::TooManyOrphans, now, out);
}

void Endpoint::arm_fin_wait2_timer(Instant now, Actions& out) {
    if (!knobs_.fin_timeout) return;
    // Linux never waits less than 3.5 RTO here, whatever tcp_fin_timeout says.
    const Duration rto = current_rto();
    const Duration floor = rto * 4 - rto / 2;
    arm(TimerKind::FinWait2, now + std::max(*knobs_.fin_timeout, floor), out);
}

}  // namespace finwave
