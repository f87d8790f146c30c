// The RFC 9293 state diagram as data. The engine checks every change of state
// against this table, the app draws the diagram from it, and the tests check
// that every observed edge is in it.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>

#include "finwave/types.hpp"

namespace finwave {

// What made a connection change state.
enum class Cause : std::uint8_t {
    AppListen,
    AppConnect,
    AppClose,
    AppShutdown,
    AppCloseUnread,  // close() with unread data: RST instead of FIN
    AppAbort,        // close() with SO_LINGER 0: RST
    RcvSyn,
    RcvSynAck,
    RcvAck,          // ACK of our SYN or of our FIN
    RcvFin,
    RcvFinAck,       // FIN that also ACKs our FIN
    RcvRst,
    RcvDataAfterClose,
    TimeoutTimeWait,
    TimeoutFinWait2,
    GiveUp,          // retransmission limit reached
    KeepaliveTimeout,  // keepalive probes unanswered: RST
    TooManyOrphans,  // close() with more orphans than tcp_max_orphans: RST
    ListenerClosed,  // the listening socket was closed over a connection never accepted
    Crash,           // the host lost all state (simulator event, not TCP)
    kCount,          // not a cause: how many there are (keep it last)
};
inline constexpr int kCauseCount = static_cast<int>(Cause::kCount);
const char* to_string(Cause c);
std::ostream& operator<<(std::ostream& os, Cause c);

struct Transition {
    std::optional<State> from;  // none: any state
    Cause cause;
    State to;
    const char* action;  // what the endpoint sends, "" for nothing
    const char* note;
    bool linux_only;     // a Linux deviation from RFC 9293
};

std::span<const Transition> transition_table();
// The table row for (from, cause, to), or -1 when the edge is not in the diagram.
int find_transition(State from, Cause cause, State to);
// A row's stable name, "FIN-WAIT-1 > rcv ACK > FIN-WAIT-2" (from, cause, to;
// "any" for a row from every state): what traces store, so that adding or
// moving rows does not rename the edges of a recorded run. "none" for -1.
std::string edge_name(int row);

}  // namespace finwave
