// A busy pair of hosts: a client host opening connections to one listening
// port on a server host, each connection a pair of real Endpoints (the same
// close-state machines as a single-connection Simulation), with the socket
// tables around them that decide what happens under load: ephemeral ports,
// the TIME-WAIT table, the listen backlog and the descriptor limit.
//
// A protocol core like the Endpoint: no I/O, time is virtual, a run is fully
// determined by its workload, settings, knobs and seed. A socket in
// TIME-WAIT is kept as a small record (Linux's inet_timewait_sock), not as
// an Endpoint, so memory follows the sockets alive now, not the history.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "finwave/endpoint.hpp"
#include "finwave/host_config.hpp"
#include "finwave/rng.hpp"

namespace finwave {

// Counters with the names nstat and errno give them, per host.
struct HostCounters {
    std::uint64_t connect_calls = 0;      // connect() on the client
    std::uint64_t connected = 0;          // ... that reached ESTABLISHED
    std::uint64_t eaddrnotavail = 0;      // connect(): no ephemeral port left
    std::uint64_t emfile = 0;             // socket() or accept(): RLIMIT_NOFILE reached
    std::uint64_t eaddrinuse = 0;         // bind() of the listener on restart
    std::uint64_t accepted = 0;           // accept() on the server
    std::uint64_t requests = 0;           // responses read in full by the client
    std::uint64_t etimedout = 0;          // connections the application saw time out
    std::uint64_t econnrefused = 0;
    std::uint64_t econnreset = 0;
    std::uint64_t tw_overflow = 0;        // TcpExtTCPTimeWaitOverflow
    std::uint64_t tw_recycled = 0;        // TcpExtTWRecycled: connect() took a TIME-WAIT port pair
    std::uint64_t tw_taken_by_syn = 0;    // a new SYN ended a TIME-WAIT early (the server side)
    std::uint64_t timewaited = 0;         // TcpExtTW: TIME-WAIT ran its full course
    std::uint64_t listen_overflows = 0;   // TcpExtListenOverflows: accept queue full
    std::uint64_t listen_drops = 0;       // TcpExtListenDrops
    std::uint64_t segments_sent = 0;
    std::uint64_t segments_lost = 0;      // lost on the way out of this host
    std::uint64_t resets_sent = 0;        // RST for a segment that found no socket
};

// One host's socket table at an instant, as `ss -tan` would count it.
struct HostSnapshot {
    std::array<std::uint32_t, kStateCount> by_state{};  // LISTEN counts the listener
    std::uint32_t ports_in_use = 0;  // client: ephemeral ports held (any state, TIME-WAIT too)
    std::uint32_t fds_in_use = 0;    // descriptors the process holds (the listener too)
    std::uint32_t accept_queue = 0;  // server: established, not yet accepted
    HostCounters counters;
    std::uint32_t count(State s) const { return by_state[static_cast<std::size_t>(s)]; }
    std::uint32_t sockets() const;   // all but CLOSED
};

// One socket as `ss -tan` lists it. Every connection runs between the same
// two addresses and the server's one listening port, so the client's
// ephemeral port names the connection on both hosts.
struct HostSocket {
    Side host = Side::Client;
    State state = State::Closed;
    std::uint16_t client_port = 0;  // 0 for the listener
    std::uint32_t recv_q = 0;       // bytes received, not yet read (the listener: its accept queue)
    std::uint32_t send_q = 0;       // bytes written, not yet acknowledged
    bool time_wait_record = false;  // kept as a TIME-WAIT record, not an Endpoint
};

struct HostSample {
    Instant t{};
    std::array<HostSnapshot, 2> host;  // indexed by Side
};

class HostModel {
public:
    struct Options {
        Duration sample_every = Duration::seconds(1);
        std::optional<Duration> until;  // none: the workload plus time for it to settle
    };
    HostModel(const HostPart& part, const Knobs& knobs, std::uint64_t seed, double loss, Options options);
    ~HostModel();
    HostModel(const HostModel&) = delete;
    HostModel& operator=(const HostModel&) = delete;

    // Processes the earliest event; false once the run is over.
    bool step();
    void run();
    // Processes every event up to and including `t` (the clock then reads t).
    void run_until(Instant t);
    Instant now() const { return now_; }
    Instant end() const { return end_; }

    HostSnapshot snapshot(Side host) const;
    const std::vector<HostSample>& samples() const { return samples_; }
    const HostCounters& counters(Side host) const;
    std::uint32_t count(Side host, State s) const;
    // Endpoints alive now (both hosts), and TIME-WAIT records on one host.
    std::size_t live_endpoints() const { return live_endpoints_; }
    std::size_t time_wait_sockets(Side host) const;
    // Every socket alive now on both hosts, replacing `out`'s contents (kept
    // by the caller so that a view refreshing many times a second reuses it):
    // the listener, the Endpoints, then the TIME-WAIT records.
    void list_sockets(std::vector<HostSocket>& out) const;
    // What the model holds now, counted from its containers' capacities.
    std::size_t memory_bytes() const;
    std::size_t peak_memory_bytes() const { return peak_memory_; }
    // What one TIME-WAIT socket costs: its record and its free-list slot.
    static std::size_t bytes_per_time_wait_socket();
    std::uint64_t events_processed() const { return events_; }
    // Engine invariant violations and edges outside the transition table; empty for a correct engine.
    const std::vector<std::string>& problems() const { return problems_; }

private:
    struct Sock;
    struct TwSock;
    struct Host;
    struct Event;
    struct Wire;
    struct EventLater {
        bool operator()(const Event& a, const Event& b) const;
    };
    static constexpr std::size_t idx(Side s) { return static_cast<std::size_t>(s); }
    Host& host(Side s) { return *host_[idx(s)]; }
    const Host& host(Side s) const { return *host_[idx(s)]; }

    // Events (host_model.cpp)
    void push(Event e);
    // Where the next event comes from: 0 the queue, 1 the wire, 2/3 a host's TIME-WAIT expiries.
    int next_source(Instant& t) const;
    void on_arrival();
    void on_deliver(const Wire& e);
    void on_timer(const Event& e);
    void on_server_close(const Event& e);
    void on_restart();
    void take_sample();

    // One socket: its Endpoint and the application behind it (host_model.cpp)
    std::uint32_t new_sock(Side side, std::uint16_t port, std::uint32_t isn);
    void call(std::uint32_t s, AppCall c);
    void apply(std::uint32_t s, const Actions& actions);
    void react(std::uint32_t s, const Action& a);
    void settle(std::uint32_t s);
    void close_app(std::uint32_t s, AppCallKind how);
    void try_accept(bool woken_by_arrival);
    void schedule_timer(std::uint32_t s);
    void send(Side from, std::uint16_t port, Segment seg);
    bool alive(std::uint32_t s, std::uint32_t gen) const;

    // The socket tables (host_tables.cpp)
    std::optional<std::uint16_t> pick_port(std::uint32_t& isn);
    void deliver_to_time_wait(Side h, std::uint32_t tw, const Wire& e);
    void deliver_to_listener(const Wire& e, std::optional<std::uint32_t> isn);
    void reply_reset(Side from, const Segment& seg, std::uint16_t port);
    bool tw_syn_acceptable(const TwSock& tw, const Wire& e) const;
    void to_time_wait(std::uint32_t s);
    void release_sock(std::uint32_t s);
    void expire_time_wait(Side h);
    void free_tw(Side h, std::uint32_t tw);
    void tw_append(Side h, std::uint32_t tw);
    void tw_unlink(Side h, std::uint32_t tw);
    void set_port(Side h, std::uint16_t port, std::uint32_t entry);
    void clear_port(Side h, std::uint16_t port, std::uint32_t entry);
    void try_listen();
    void count_state(Side h, State from, State to);
    std::uint32_t tsval(Side h, Instant t) const;
    std::uint32_t secure_isn(Side h, std::uint16_t port) const;
    void track_memory();

    Workload wl_;
    std::array<HostSettings, 2> settings_;
    Knobs knobs_;
    std::vector<Duration> restarts_;
    Options options_;
    Rng rng_;
    double loss_;
    Instant now_{};
    Instant end_{};
    bool over_ = false;
    std::uint64_t order_ = 0;
    std::uint64_t next_seg_id_ = 1;
    std::uint64_t events_ = 0;
    std::uint64_t arrivals_ = 0;
    std::size_t live_endpoints_ = 0;
    std::size_t peak_memory_ = 0;
    std::unique_ptr<std::priority_queue<Event, std::vector<Event>, EventLater>> queue_;
    // Segments on the wire: every one takes the same latency, so they arrive
    // in the order sent and a FIFO holds them (most events are these).
    std::unique_ptr<std::deque<Wire>> wire_;
    std::vector<std::unique_ptr<Sock>> socks_;
    std::vector<std::uint32_t> free_socks_;
    std::array<std::unique_ptr<Host>, 2> host_;
    std::deque<Actions> scratch_;  // one per nesting depth: a deque keeps references stable
    std::size_t depth_ = 0;
    std::vector<HostSample> samples_;
    std::vector<std::string> problems_;
    std::uint32_t port_perturb_ = 0;
    std::uint64_t secret_ = 0;
    std::array<std::uint32_t, 2> ts_offset_{};
    bool listening_ = false;
};

}  // namespace finwave
