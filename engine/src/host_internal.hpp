// The records behind HostModel, shared by host_model.cpp (events, sockets and
// their applications) and host_tables.cpp (ports, TIME-WAIT, the listener).
#pragma once

#include <deque>

#include "finwave/host.hpp"

namespace finwave {

// A port-table entry: 0 free, else a socket (index + 1) or, with kTwBit, a
// TIME-WAIT record. Both hosts key it by the client's port: every connection
// runs between the same two addresses and the server's one port.
inline constexpr std::uint32_t kTwBit = 0x80000000u;

struct HostModel::Sock {
    std::optional<Endpoint> ep;
    std::uint32_t gen = 0;
    Side side = Side::Client;
    std::uint16_t port = 0;
    bool in_use = false;
    bool has_fd = false;          // the application holds the descriptor
    bool never_close = false;     // a server handler that leaks its connection
    bool in_accept_queue = false;
    bool timer_pending = false;
    bool pending_time_wait = false;
    bool pending_closed = false;
    Instant timer_at{};
    // The peer's newest timestamp and when it came: what TIME-WAIT keeps.
    std::uint32_t ts_recent = 0;
    Instant ts_recent_stamp{};
    // The application: bytes read, requests or responses sent and done.
    std::uint64_t read = 0;
    std::uint32_t sent = 0;
    std::uint32_t done = 0;
};

// What Linux keeps of a socket in TIME-WAIT (struct tcp_timewait_sock): the
// sequence numbers to ACK a retransmitted FIN with, and the peer's last
// timestamp for tcp_tw_reuse and for a new SYN on the same port pair. The
// records of a host form one list in deadline order (every TIME-WAIT lasts
// the same, and one that starts again goes to the end), so expiry needs no
// timer entry of its own and an early end leaves nothing behind.
inline constexpr std::uint32_t kNoTw = 0xFFFFFFFFu;

struct HostModel::TwSock {
    Instant deadline{};
    Instant ts_recent_stamp{};
    std::uint32_t snd_nxt = 0;
    std::uint32_t rcv_nxt = 0;
    std::uint32_t ts_recent = 0;
    std::uint32_t prev = kNoTw, next = kNoTw;
    std::uint16_t port = 0;
};

struct HostModel::Host {
    Side side = Side::Client;
    std::vector<std::uint32_t> ports = std::vector<std::uint32_t>(65536, 0);
    std::vector<TwSock> tw;
    std::vector<std::uint32_t> tw_free;
    std::uint32_t tw_head = kNoTw, tw_tail = kNoTw;  // the list in deadline order
    std::size_t tw_live = 0;
    std::array<std::uint32_t, kStateCount> by_state{};
    std::uint32_t ports_in_use = 0;
    std::uint32_t fds = 0;
    std::deque<std::pair<std::uint32_t, std::uint32_t>> accept_queue;  // (socket, gen)
    HostCounters counters;
};

enum class EventKind8 : std::uint8_t { Arrival, Timer, ServerClose, Restart, Listen, Sample };

// A timed event: small, since the queue moves it on every push and pop.
struct HostModel::Event {
    Instant t{};
    std::uint64_t order = 0;
    std::uint32_t sock = 0;    // Timer, ServerClose
    std::uint32_t gen = 0;
    EventKind8 kind = EventKind8::Arrival;
};

// A segment on the wire.
struct HostModel::Wire {
    Instant t{};               // when it arrives
    std::uint64_t order = 0;
    Segment seg{};
    Instant sent{};            // when it left the sender (its timestamp)
    std::uint16_t port = 0;    // the client's port of the connection
    Side to = Side::Client;    // the host it arrives at
};

}  // namespace finwave
