// Stable machine names of the endpoint's identifiers: JSONL traces, scenario
// syntax and test messages use them. Text for people is made from them where
// it is shown (strings/, finwave_strings).
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
        case AppCallKind::Autoread: return call.on ? "autoread(on)" : "autoread(off)";
        default: return std::string(to_string(call.kind)) + "()";
    }
}

const char* to_string(Notice n) {
    switch (n) {
        case Notice::Connected: return "connected";
        case Notice::Accepted: return "accepted";
        case Notice::DataRead: return "data-read";
        case Notice::Eof: return "eof";
        case Notice::Reset: return "reset";
        case Notice::Refused: return "refused";
        case Notice::TimedOut: return "timed-out";
        case Notice::CorruptData: return "corrupt-data";
        case Notice::Error: return "error";
    }
    return "?";
}

const char* to_string(AppError e) {
    switch (e) {
        case AppError::None: return "none";
        case AppError::NotConnected: return "not-connected";
        case AppError::BrokenPipe: return "broken-pipe";
        case AppError::BadDescriptor: return "bad-descriptor";
        case AppError::AddrInUse: return "addr-in-use";
        case AppError::IsConnected: return "is-connected";
        case AppError::ConnReset: return "conn-reset";
        case AppError::ResetAfterFin: return "reset-after-fin";
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
        case Note::OutOfWindow: return "out-of-window";
        case Note::AckOfUnsentData: return "ack-of-unsent-data";
        case Note::DuplicateSegment: return "duplicate-segment";
        case Note::OutOfOrder: return "out-of-order";
        case Note::NoAckFlag: return "no-ack-flag";
        case Note::DataAfterFin: return "data-after-fin";
        case Note::DuplicateFin: return "duplicate-fin";
        case Note::TimeWaitRestarted: return "time-wait-restarted";
        case Note::RstAccepted: return "rst-accepted";
        case Note::RstIgnoredRfc1337: return "rst-ignored-rfc1337";
        case Note::RstOutOfWindow: return "rst-out-of-window";
        case Note::RstChallengeAck: return "rst-challenge-ack";
        case Note::SynChallengeAck: return "syn-challenge-ack";
        case Note::NoConnection: return "no-connection";
        case Note::RstForNoConnection: return "rst-for-no-connection";
        case Note::NagleHold: return "nagle-hold";
        case Note::LossProbe: return "loss-probe";
        case Note::Retransmit: return "retransmit";
        case Note::GiveUpOrphan: return "give-up-orphan";
        case Note::GiveUpRetries: return "give-up-retries";
        case Note::KeepaliveProbe: return "keepalive-probe";
        case Note::NeverCloseIgnored: return "never-close-ignored";
        case Note::DataFromOldIncarnation: return "data-from-old-incarnation";
        case Note::BadAck: return "bad-ack";
        case Note::AckRateLimited: return "ack-rate-limited";
        case Note::KeepaliveGiveUp: return "keepalive-give-up";
        case Note::RepeatedSyn: return "repeated-syn";
        case Note::TooManyOrphans: return "too-many-orphans";
    }
    return "?";
}


}  // namespace finwave
