// Names of the endpoint's identifiers, as the trace and the CLI print them.
#include "finwave/endpoint.hpp"

namespace finwave {

const char* to_string(TimerKind k) {
    switch (k) {
        case TimerKind::Retransmit: return "retransmit";
        case TimerKind::LossProbe: return "loss-probe";
        case TimerKind::DelayedAck: return "delayed-ack";
        case TimerKind::FinWait2: return "fin-wait-2";
        case TimerKind::TimeWait: return "time-wait";
        case TimerKind::Keepalive: return "keepalive";
        case TimerKind::kCount: break;
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
        case Note::KeepaliveGiveUp: return "keepalive probes unanswered: connection reset";
        case Note::RepeatedSyn: return "the peer's SYN again: our SYN-ACK was lost, sent again";
        case Note::TooManyOrphans: return "too many orphaned sockets (tcp_max_orphans): reset instead of a graceful close";
    }
    return "?";
}


}  // namespace finwave
