#include "finwave/transitions.hpp"

#include <array>

namespace finwave {

const char* to_string(Cause c) {
    switch (c) {
        case Cause::AppListen: return "app-listen";
        case Cause::AppConnect: return "app-connect";
        case Cause::AppClose: return "app-close";
        case Cause::AppShutdown: return "app-shutdown";
        case Cause::AppCloseUnread: return "app-close-unread";
        case Cause::AppAbort: return "app-abort";
        case Cause::RcvSyn: return "rcv-syn";
        case Cause::RcvSynAck: return "rcv-syn-ack";
        case Cause::RcvAck: return "rcv-ack";
        case Cause::RcvFin: return "rcv-fin";
        case Cause::RcvFinAck: return "rcv-fin-ack";
        case Cause::RcvRst: return "rcv-rst";
        case Cause::RcvDataAfterClose: return "rcv-data-after-close";
        case Cause::TimeoutTimeWait: return "timeout-time-wait";
        case Cause::TimeoutFinWait2: return "timeout-fin-wait-2";
        case Cause::GiveUp: return "give-up";
        case Cause::ListenerClosed: return "listener-closed";
        case Cause::KeepaliveTimeout: return "keepalive-timeout";
        case Cause::TooManyOrphans: return "too-many-orphans";
        case Cause::Crash: return "crash";
        case Cause::kCount: break;
    }
    return "?";
}

std::ostream& operator<<(std::ostream& os, Cause c) { return os << to_string(c); }

namespace {

using S = State;
using C = Cause;

constexpr std::array kTable = {
    // Opening
    Transition{S::Closed, C::AppListen, S::Listen, "", "passive open", false},
    Transition{S::Closed, C::AppConnect, S::SynSent, "SYN", "active open", false},
    Transition{S::Listen, C::RcvSyn, S::SynReceived, "SYN, ACK", "", false},
    Transition{S::Listen, C::AppClose, S::Closed, "", "", false},
    Transition{S::SynSent, C::RcvSynAck, S::Established, "ACK", "", false},
    Transition{S::SynSent, C::RcvSyn, S::SynReceived, "SYN, ACK", "simultaneous open", false},
    Transition{S::SynSent, C::AppClose, S::Closed, "", "", false},
    Transition{S::SynSent, C::AppAbort, S::Closed, "", "", false},
    Transition{S::SynSent, C::RcvRst, S::Closed, "", "connection refused", false},
    Transition{S::SynSent, C::GiveUp, S::Closed, "", "connect() timed out", false},
    Transition{S::SynReceived, C::RcvAck, S::Established, "", "", false},
    Transition{S::SynReceived, C::AppClose, S::FinWait1, "FIN", "", false},
    Transition{S::SynReceived, C::AppShutdown, S::FinWait1, "FIN", "half-close before the handshake is complete", false},
    Transition{S::SynReceived, C::AppAbort, S::Closed, "RST", "", false},
    Transition{S::SynReceived, C::RcvRst, S::Listen, "", "back to listening (passive open)", false},
    Transition{S::SynReceived, C::RcvRst, S::Closed, "", "active open refused", false},
    Transition{S::SynReceived, C::GiveUp, S::Closed, "", "", false},
    // Data transfer and the start of the close
    Transition{S::Established, C::AppClose, S::FinWait1, "FIN", "active close", false},
    Transition{S::Established, C::AppShutdown, S::FinWait1, "FIN", "half-close: can still receive", false},
    Transition{S::Established, C::RcvFin, S::CloseWait, "ACK", "passive close: EOF to the application", false},
    Transition{S::Established, C::AppCloseUnread, S::Closed, "RST", "unread data is lost: abortive close", false},
    Transition{S::Established, C::AppAbort, S::Closed, "RST", "abortive close", false},
    Transition{S::Established, C::RcvRst, S::Closed, "", "connection reset", false},
    Transition{S::Established, C::GiveUp, S::Closed, "", "peer unreachable", false},
    // Active close
    Transition{S::FinWait1, C::RcvAck, S::FinWait2, "", "our FIN is acknowledged", false},
    Transition{S::FinWait1, C::RcvFin, S::Closing, "ACK", "simultaneous close", false},
    Transition{S::FinWait1, C::RcvFinAck, S::TimeWait, "ACK", "FIN and ACK arrive together", false},
    Transition{S::FinWait1, C::RcvRst, S::Closed, "", "", false},
    Transition{S::FinWait1, C::RcvDataAfterClose, S::Closed, "RST", "data for a closed socket is lost", false},
    Transition{S::FinWait1, C::AppCloseUnread, S::Closed, "RST", "", false},
    Transition{S::FinWait1, C::AppAbort, S::Closed, "RST", "", false},
    Transition{S::FinWait1, C::GiveUp, S::Closed, "", "FIN never acknowledged", false},
    Transition{S::FinWait2, C::RcvFin, S::TimeWait, "ACK", "", false},
    Transition{S::FinWait2, C::TimeoutFinWait2, S::Closed, "", "tcp_fin_timeout: only after close()", true},
    Transition{S::FinWait2, C::RcvRst, S::Closed, "", "", false},
    Transition{S::FinWait2, C::RcvDataAfterClose, S::Closed, "RST", "data for a closed socket is lost", false},
    Transition{S::FinWait2, C::AppCloseUnread, S::Closed, "RST", "", false},
    Transition{S::FinWait2, C::AppAbort, S::Closed, "RST", "", false},
    Transition{S::Closing, C::RcvAck, S::TimeWait, "", "", false},
    Transition{S::Closing, C::RcvRst, S::Closed, "", "", false},
    Transition{S::Closing, C::GiveUp, S::Closed, "", "", false},
    Transition{S::TimeWait, C::TimeoutTimeWait, S::Closed, "", "2MSL elapsed", false},
    Transition{S::TimeWait, C::RcvFin, S::TimeWait, "ACK", "retransmitted FIN: ACK again, restart the timer", false},
    Transition{S::TimeWait, C::RcvRst, S::Closed, "", "TIME-WAIT assassination (RFC 1337 hazard)", false},
    // Passive close
    Transition{S::CloseWait, C::AppClose, S::LastAck, "FIN", "", false},
    Transition{S::CloseWait, C::AppShutdown, S::LastAck, "FIN", "", false},
    Transition{S::CloseWait, C::AppCloseUnread, S::Closed, "RST", "unread data is lost", false},
    Transition{S::CloseWait, C::AppAbort, S::Closed, "RST", "", false},
    Transition{S::CloseWait, C::RcvRst, S::Closed, "", "", false},
    Transition{S::CloseWait, C::GiveUp, S::Closed, "", "a send went unanswered", false},
    Transition{S::LastAck, C::RcvAck, S::Closed, "", "", false},
    Transition{S::LastAck, C::RcvRst, S::Closed, "", "", false},
    Transition{S::LastAck, C::GiveUp, S::Closed, "", "FIN never acknowledged", false},
    // Not TCP: the host lost its memory of every connection.
    Transition{std::nullopt, C::Crash, S::Closed, "", "host crashed: state lost, nothing sent", false},
    // Closing a listener over a connection the application never accepted.
    Transition{S::SynReceived, C::ListenerClosed, S::Closed, "", "never accepted: dropped silently, its final ACK gets a RST", false},
    // Keepalive and resource limits (appended: earlier rows keep their numbers)
    Transition{S::Established, C::KeepaliveTimeout, S::Closed, "RST", "the peer is presumed dead", false},
    Transition{S::CloseWait, C::KeepaliveTimeout, S::Closed, "RST", "the peer is presumed dead", false},
    Transition{S::FinWait1, C::TooManyOrphans, S::Closed, "RST", "lack of resources: the FIN is followed by a RST", true},
    Transition{S::LastAck, C::TooManyOrphans, S::Closed, "RST", "lack of resources: the FIN is followed by a RST", true},
    Transition{S::Closing, C::TooManyOrphans, S::Closed, "RST", "lack of resources", true},
};

}  // namespace

std::span<const Transition> transition_table() { return kTable; }

std::string edge_name(int row) {
    if (row < 0 || row >= static_cast<int>(kTable.size())) return "none";
    const Transition& t = kTable[static_cast<std::size_t>(row)];
    return std::string(t.from ? to_string(*t.from) : "any") + " > " + to_string(t.cause) + " > " + to_string(t.to);
}

int find_transition(State from, Cause cause, State to) {
    // Looked up after every change of state: index the table once. The
    // dimensions come from the enums' kCount, so a new State or Cause only
    // grows the index; a value outside them (a cast gone wrong) is no edge.
    static_assert(kTable.size() < 32768, "row numbers are stored as int16");
    using Row = std::int16_t;
    static const auto index = [] {
        std::array<std::array<std::array<Row, kStateCount>, kCauseCount>, kStateCount> idx{};
        for (auto& a : idx)
            for (auto& b : a) b.fill(-1);
        for (std::size_t i = 0; i < kTable.size(); ++i) {
            const Transition& t = kTable[i];
            for (int f = 0; f < kStateCount; ++f) {
                if (t.from && static_cast<int>(*t.from) != f) continue;
                auto& slot = idx[static_cast<std::size_t>(f)][static_cast<std::size_t>(t.cause)][static_cast<std::size_t>(t.to)];
                if (slot < 0) slot = static_cast<Row>(i);
            }
        }
        return idx;
    }();
    if (from >= State::kCount || to >= State::kCount || cause >= Cause::kCount) return -1;
    return index[static_cast<std::size_t>(from)][static_cast<std::size_t>(cause)][static_cast<std::size_t>(to)];
}

}  // namespace finwave
