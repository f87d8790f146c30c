// HostModel: the event loop, and each socket's Endpoint with the application
// that drives it (the client's requests, the server's handler).
#include "host_internal.hpp"

#include <algorithm>

namespace finwave {

bool HostModel::EventLater::operator()(const Event& a, const Event& b) const {
    if (a.t != b.t) return a.t > b.t;
    return a.order > b.order;
}

std::uint32_t HostSnapshot::sockets() const {
    std::uint32_t n = 0;
    for (int i = 0; i < kStateCount; ++i)
        if (static_cast<State>(i) != State::Closed) n += by_state[static_cast<std::size_t>(i)];
    return n;
}

HostModel::HostModel(const HostPart& part, const Knobs& knobs, std::uint64_t seed, double loss, Options options)
    : wl_(part.workload.value_or(Workload{})),
      settings_(part.hosts),
      knobs_(knobs),
      options_(options),
      rng_(seed),
      loss_(loss),
      queue_(std::make_unique<std::priority_queue<Event, std::vector<Event>, EventLater>>()),
      wire_(std::make_unique<std::deque<Wire>>()) {
    for (const auto& r : part.restarts) restarts_.push_back(r.at);
    for (Side s : {Side::Client, Side::Server}) {
        host_[idx(s)] = std::make_unique<Host>();
        host_[idx(s)]->side = s;
    }
    secret_ = rng_.next();
    port_perturb_ = static_cast<std::uint32_t>(rng_.next());
    ts_offset_ = {static_cast<std::uint32_t>(rng_.next()), static_cast<std::uint32_t>(rng_.next())};
    // By default the run lasts until the last connection's TIME-WAIT is over.
    end_ = Instant{} + options_.until.value_or(wl_.duration + knobs_.time_wait + Duration::seconds(10));
    try_listen();
    if (wl_.connections() > 0) {
        Event first;
        first.kind = EventKind8::Arrival;
        push(first);
    }
    for (Duration at : restarts_) {
        Event r;
        r.t = Instant{} + at;
        r.kind = EventKind8::Restart;
        push(r);
    }
    Event sample;
    sample.kind = EventKind8::Sample;
    push(sample);
}

HostModel::~HostModel() = default;

const HostCounters& HostModel::counters(Side h) const { return host(h).counters; }
std::uint32_t HostModel::count(Side h, State s) const { return host(h).by_state[static_cast<std::size_t>(s)]; }
std::size_t HostModel::time_wait_sockets(Side h) const { return host(h).tw_live; }

void HostModel::push(Event e) {
    e.order = order_++;
    queue_->push(e);
}

int HostModel::next_source(Instant& t) const {
    // The earliest of all sources; at equal times the one pushed first
    // (events) and TIME-WAIT expiries before both: a fixed order keeps runs
    // reproducible.
    int best = -1;
    std::uint64_t best_order = 0;
    auto consider = [&](int source, Instant at, std::uint64_t order) {
        if (best < 0 || at < t || (at == t && order < best_order)) {
            best = source;
            t = at;
            best_order = order;
        }
    };
    if (!queue_->empty()) consider(0, queue_->top().t, queue_->top().order);
    if (!wire_->empty()) consider(1, wire_->front().t, wire_->front().order);
    for (Side s : {Side::Client, Side::Server}) {
        const Host& h = host(s);
        if (h.tw_head != kNoTw) consider(2 + static_cast<int>(s), h.tw[h.tw_head].deadline, 0);
    }
    return best;
}

bool HostModel::step() {
    if (over_) return false;
    Instant next{};
    const int source = next_source(next);
    if (source < 0 || next > end_) {
        now_ = end_;
        if (samples_.empty() || samples_.back().t != end_) take_sample();
        over_ = true;
        return false;
    }
    now_ = next;
    ++events_;
    if (source >= 2) {
        expire_time_wait(static_cast<Side>(source - 2));
        return true;
    }
    if (source == 1) {
        const Wire w = wire_->front();
        wire_->pop_front();
        on_deliver(w);
        if ((events_ & 1023) == 0) track_memory();
        return true;
    }
    const Event e = queue_->top();
    queue_->pop();
    switch (e.kind) {
        case EventKind8::Arrival: on_arrival(); break;
        case EventKind8::Timer: on_timer(e); break;
        case EventKind8::ServerClose: on_server_close(e); break;
        case EventKind8::Restart: on_restart(); break;
        case EventKind8::Listen: try_listen(); break;
        case EventKind8::Sample: take_sample(); break;
    }
    if ((events_ & 1023) == 0) track_memory();
    return true;
}

void HostModel::run() {
    while (step()) {
    }
    track_memory();
}

void HostModel::run_until(Instant t) {
    const Instant stop = std::min(t, end_);
    while (!over_) {
        Instant next{};
        if (next_source(next) < 0 || next > stop) break;
        step();
    }
    if (!over_) now_ = stop;
    track_memory();
}

void HostModel::take_sample() {
    samples_.push_back({now_, {snapshot(Side::Client), snapshot(Side::Server)}});
    const Instant next = now_ + options_.sample_every;
    if (options_.sample_every.us > 0 && next <= end_) {
        Event e;
        e.t = next;
        e.kind = EventKind8::Sample;
        push(e);
    }
}

HostSnapshot HostModel::snapshot(Side h) const {
    const Host& x = host(h);
    HostSnapshot s;
    s.by_state = x.by_state;
    s.ports_in_use = x.ports_in_use;
    s.fds_in_use = x.fds;
    s.accept_queue = static_cast<std::uint32_t>(x.accept_queue.size());
    s.counters = x.counters;
    return s;
}

// ---------------------------------------------------------------------------
// Events

void HostModel::on_arrival() {
    Host& c = host(Side::Client);
    const HostSettings& cs = settings_[idx(Side::Client)];
    ++arrivals_;
    if (arrivals_ < wl_.connections()) {
        // Evenly spaced: the k-th connection at k / rate seconds, in whole microseconds.
        Event next;
        next.kind = EventKind8::Arrival;
        next.t = Instant{static_cast<std::int64_t>(arrivals_ * 1000000u / wl_.rate_per_s)};
        push(next);
    }
    // socket(): a descriptor first, then connect() finds a port.
    if (c.fds >= cs.nofile) {
        ++c.counters.emfile;
        return;
    }
    ++c.counters.connect_calls;
    std::uint32_t isn = 0;
    const auto port = pick_port(isn);
    if (!port) {
        ++c.counters.eaddrnotavail;  // the application closes the socket it made
        return;
    }
    const std::uint32_t s = new_sock(Side::Client, *port, isn);
    Sock& k = *socks_[s];
    k.has_fd = true;
    ++c.fds;
    call(s, AppCall{AppCallKind::Connect, 0, true});
}

void HostModel::on_deliver(const Wire& e) {
    Host& h = host(e.to);
    const std::uint32_t entry = h.ports[e.port];
    if (entry == 0) {
        if (e.to == Side::Server) return deliver_to_listener(e, std::nullopt);
        if (!e.seg.has(flag::RST)) reply_reset(Side::Client, e.seg, e.port);
        return;
    }
    if (entry & kTwBit) return deliver_to_time_wait(e.to, entry & ~kTwBit, e);
    const std::uint32_t s = entry - 1;
    Sock& k = *socks_[s];
    // Linux updates ts_recent only from segments in window; every segment
    // here belongs to the connection, and timestamps only grow.
    k.ts_recent = tsval(peer_of(e.to), e.sent);
    k.ts_recent_stamp = now_;
    if (e.to == Side::Server && k.ep->state() == State::SynReceived && e.seg.has(flag::ACK) && !e.seg.has(flag::RST) &&
        h.accept_queue.size() > settings_[idx(Side::Server)].backlog) {
        // tcp_check_req(): the handshake's last ACK finds the accept queue
        // full; with tcp_abort_on_overflow=0 it is dropped and the SYN-ACK
        // timer tries again later.
        ++h.counters.listen_overflows;
        ++h.counters.listen_drops;
        return;
    }
    Actions& out = scratch_.size() > depth_ ? scratch_[depth_] : scratch_.emplace_back();
    ++depth_;
    out.clear();
    k.ep->on_segment(e.seg, now_, out);
    apply(s, out);
    --depth_;
}

void HostModel::on_timer(const Event& e) {
    if (!alive(e.sock, e.gen)) return;
    Sock& k = *socks_[e.sock];
    if (k.timer_pending && k.timer_at == e.t) k.timer_pending = false;
    if (!k.ep) return;
    const auto due = k.ep->next_timeout();
    if (due && *due <= now_) {
        Actions& out = scratch_.size() > depth_ ? scratch_[depth_] : scratch_.emplace_back();
        ++depth_;
        out.clear();
        k.ep->on_timeout(now_, out);
        apply(e.sock, out);
        --depth_;
    } else {
        schedule_timer(e.sock);
    }
}

void HostModel::on_server_close(const Event& e) {
    if (!alive(e.sock, e.gen)) return;
    if (!socks_[e.sock]->never_close) close_app(e.sock, AppCallKind::Close);
}

void HostModel::on_restart() {
    // The server process exits: the kernel closes every descriptor it held.
    // Connections still in the accept queue die with the listener
    // (inet_csk_listen_stop(): tcp_disconnect() resets the established
    // ones); half-open ones are forgotten without a word.
    Host& h = host(Side::Server);
    listening_ = false;
    h.by_state[static_cast<std::size_t>(State::Listen)] = 0;
    for (std::uint32_t s = 0; s < socks_.size(); ++s) {
        Sock& k = *socks_[s];
        if (!k.in_use || k.side != Side::Server) continue;
        if (k.has_fd) {
            close_app(s, AppCallKind::Exit);
        } else if (k.ep && k.in_accept_queue) {
            k.in_accept_queue = false;
            call(s, AppCall{AppCallKind::Abort, 0, true});
        } else if (k.ep && k.ep->state() == State::SynReceived) {
            count_state(Side::Server, State::SynReceived, State::Closed);
            release_sock(s);
        }
    }
    h.accept_queue.clear();
    h.fds = 0;
    try_listen();
}

// ---------------------------------------------------------------------------
// Sockets and their applications

bool HostModel::alive(std::uint32_t s, std::uint32_t gen) const {
    return s < socks_.size() && socks_[s]->in_use && socks_[s]->gen == gen;
}

std::uint32_t HostModel::new_sock(Side side, std::uint16_t port, std::uint32_t isn) {
    std::uint32_t s;
    if (!free_socks_.empty()) {
        s = free_socks_.back();
        free_socks_.pop_back();
    } else {
        s = static_cast<std::uint32_t>(socks_.size());
        socks_.push_back(std::make_unique<Sock>());
    }
    Sock& k = *socks_[s];
    const std::uint32_t gen = k.gen + 1;
    k = Sock{};
    k.gen = gen;
    k.in_use = true;
    k.side = side;
    k.port = port;
    k.ep.emplace(side, knobs_, isn);
    ++live_endpoints_;
    set_port(side, port, s + 1);
    if (side == Side::Server) {
        // A child of the listener: it takes the SYN as the listener would,
        // and nothing is read until the application accepts it.
        Actions& out = scratch_.size() > depth_ ? scratch_[depth_] : scratch_.emplace_back();
        out.clear();
        k.ep->on_app_call(AppCall{AppCallKind::Listen, 0, true}, now_, out);
        k.ep->on_app_call(AppCall{AppCallKind::Autoread, 0, false}, now_, out);
        k.never_close = wl_.never_close_ppm > 0 && rng_.below(1000000) < wl_.never_close_ppm;
    }
    return s;
}

void HostModel::call(std::uint32_t s, AppCall c) {
    Sock& k = *socks_[s];
    if (!k.ep) return;
    Actions& out = scratch_.size() > depth_ ? scratch_[depth_] : scratch_.emplace_back();
    ++depth_;
    out.clear();
    k.ep->on_app_call(c, now_, out);
    apply(s, out);
    --depth_;
}

void HostModel::apply(std::uint32_t s, const Actions& actions) {
    const std::uint32_t gen = socks_[s]->gen;
    const Side side = socks_[s]->side;
    for (const Action& a : actions) {
        if (!alive(s, gen)) return;
        Sock& k = *socks_[s];
        switch (a.kind) {
            case Action::Kind::Send: send(side, k.port, a.seg); break;
            case Action::Kind::StateChange:
                if (a.edge < 0 && problems_.size() < 20)
                    problems_.push_back(std::string("invariant: an edge outside the transition table: ") + to_string(a.from) + " -> " + to_string(a.to));
                count_state(side, a.from, a.to);
                if (a.to == State::TimeWait) k.pending_time_wait = true;
                if (a.to == State::Closed || (a.to == State::Listen && a.from != State::Closed)) k.pending_closed = true;
                break;
            default: break;  // timers are read back through next_timeout(); notices below
        }
    }
    // The application runs once the kernel is done with the event, so that
    // what it sends (a FIN on EOF) follows the kernel's own segments (the ACK).
    for (const Action& a : actions) {
        if (!alive(s, gen)) return;
        if (a.kind == Action::Kind::Notify) react(s, a);
    }
    if (alive(s, gen)) settle(s);
}

void HostModel::settle(std::uint32_t s) {
    Sock& k = *socks_[s];
    if (!k.ep) return;
    if (const char* why = k.ep->invariant_violation(); why && problems_.size() < 20) problems_.push_back(why);
    if (k.pending_time_wait) {
        k.pending_time_wait = false;
        if (k.ep->state() == State::TimeWait) return to_time_wait(s);
    }
    if (k.pending_closed) {
        k.pending_closed = false;
        const State st = k.ep->state();
        if (st == State::Closed || st == State::Listen) {
            // An unhashed socket: its port pair is free again, though a
            // leaking application may still hold the descriptor.
            if (!k.has_fd) return release_sock(s);
            clear_port(k.side, k.port, s + 1);
            return;
        }
    }
    schedule_timer(s);
}

void HostModel::schedule_timer(std::uint32_t s) {
    Sock& k = *socks_[s];
    const auto due = k.ep ? k.ep->next_timeout() : std::nullopt;
    if (!due || (k.timer_pending && k.timer_at <= *due)) return;
    k.timer_pending = true;
    k.timer_at = *due;
    Event e;
    e.t = *due;
    e.kind = EventKind8::Timer;
    e.sock = s;
    e.gen = k.gen;
    push(e);
}

void HostModel::send(Side from, std::uint16_t port, Segment seg) {
    Host& h = host(from);
    ++h.counters.segments_sent;
    if (loss_ > 0 && rng_.chance(loss_)) {
        ++h.counters.segments_lost;
        return;
    }
    seg.id = next_seg_id_++;
    Wire e;
    e.t = now_ + knobs_.latency;
    e.seg = seg;
    e.sent = now_;
    e.port = port;
    e.to = peer_of(from);
    e.order = order_++;
    wire_->push_back(e);
}

void HostModel::react(std::uint32_t s, const Action& a) {
    Sock& k = *socks_[s];
    Host& h = host(k.side);
    const std::uint32_t k_requests = wl_.requests_per_connection;
    if (k.side == Side::Client) {
        switch (a.notice) {
            case Notice::Connected:
                ++h.counters.connected;
                k.sent = 1;
                return call(s, AppCall{AppCallKind::Send, wl_.request_bytes, true});
            case Notice::DataRead:
                k.read += static_cast<std::uint64_t>(a.value);
                while (k.done < k.sent && k.read >= static_cast<std::uint64_t>(wl_.response_bytes) * (k.done + 1)) {
                    ++k.done;
                    ++h.counters.requests;
                    if (k.done < k_requests) {
                        ++k.sent;
                        call(s, AppCall{AppCallKind::Send, wl_.request_bytes, true});
                    } else if (wl_.closer != Closer::Server) {
                        return close_app(s, AppCallKind::Close);
                    }
                    if (!alive(s, k.gen)) return;
                }
                return;
            case Notice::Eof: return close_app(s, AppCallKind::Close);
            case Notice::Reset: ++h.counters.econnreset; return close_app(s, AppCallKind::Close);
            case Notice::TimedOut: ++h.counters.etimedout; return close_app(s, AppCallKind::Close);
            case Notice::Refused: ++h.counters.econnrefused; return close_app(s, AppCallKind::Close);
            case Notice::Error: return close_app(s, AppCallKind::Close);
            default: return;
        }
    }
    switch (a.notice) {
        case Notice::Accepted:
            k.in_accept_queue = true;
            h.accept_queue.emplace_back(s, k.gen);
            return try_accept(true);
        case Notice::DataRead:
            k.read += static_cast<std::uint64_t>(a.value);
            while (k.sent < k_requests && k.read >= static_cast<std::uint64_t>(wl_.request_bytes) * (k.sent + 1)) {
                ++k.sent;
                call(s, AppCall{AppCallKind::Send, wl_.response_bytes, true});
                if (!alive(s, k.gen)) return;
            }
            if (k.sent == k_requests && !k.never_close && k.done == 0) {
                k.done = 1;  // the last response is out: the server's part is done
                if (wl_.closer == Closer::Server) return close_app(s, AppCallKind::Close);
                if (wl_.closer == Closer::Both) {
                    // The client reads it one link delay later and closes
                    // then: both close at the same instant.
                    Event e;
                    e.t = now_ + knobs_.latency;
                    e.kind = EventKind8::ServerClose;
                    e.sock = s;
                    e.gen = k.gen;
                    push(e);
                }
            }
            return;
        case Notice::Eof:
        case Notice::Reset:
        case Notice::TimedOut:
        case Notice::Error:
            if (a.notice == Notice::Reset) ++h.counters.econnreset;
            if (a.notice == Notice::TimedOut) ++h.counters.etimedout;
            if (!k.never_close) close_app(s, AppCallKind::Close);
            return;
        default: return;
    }
}

void HostModel::close_app(std::uint32_t s, AppCallKind how) {
    Sock& k = *socks_[s];
    if (!k.has_fd) return;
    k.has_fd = false;
    Host& h = host(k.side);
    if (h.fds > 0) --h.fds;
    const Side side = k.side;
    call(s, AppCall{how, 0, true});
    if (alive(s, k.gen) && k.ep && (k.ep->state() == State::Closed || k.ep->state() == State::Listen)) release_sock(s);
    if (side == Side::Server && listening_) try_accept(false);
}

void HostModel::try_accept(bool woken_by_arrival) {
    Host& h = host(Side::Server);
    const std::uint32_t nofile = settings_[idx(Side::Server)].nofile;
    while (!h.accept_queue.empty()) {
        const auto [s, gen] = h.accept_queue.front();
        if (!alive(s, gen) || !socks_[s]->in_accept_queue) {
            h.accept_queue.pop_front();
            continue;
        }
        if (h.fds >= nofile) {
            // accept() fails with EMFILE; the connection stays queued.
            if (woken_by_arrival) ++h.counters.emfile;
            return;
        }
        h.accept_queue.pop_front();
        Sock& k = *socks_[s];
        k.in_accept_queue = false;
        k.has_fd = true;
        ++h.fds;
        ++h.counters.accepted;
        call(s, AppCall{AppCallKind::Autoread, 0, true});
    }
}

}  // namespace finwave
