// HostModel's socket tables, after Linux's rules: the ephemeral port search
// of connect(), the TIME-WAIT table and what arrives there, the listener and
// its accept queue, bind() on a restart.
#include "host_internal.hpp"

#include <algorithm>

namespace finwave {

namespace {

std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

bool counted(State s) { return s != State::Closed && s != State::Listen; }

}  // namespace

void HostModel::count_state(Side h, State from, State to) {
    // LISTEN is the listener's alone: a child passes through it before its SYN.
    auto& n = host(h).by_state;
    if (counted(from) && n[static_cast<std::size_t>(from)] > 0) --n[static_cast<std::size_t>(from)];
    if (counted(to)) ++n[static_cast<std::size_t>(to)];
}

std::uint32_t HostModel::tsval(Side h, Instant t) const {
    // TCP timestamps tick in milliseconds (Linux 4.13+), from an offset per
    // address pair (secure_tcp_ts_off()): one per host here.
    return static_cast<std::uint32_t>(t.us / 1000) + ts_offset_[idx(h)];
}

std::uint32_t HostModel::secure_isn(Side h, std::uint16_t port) const {
    // secure_tcp_seq(): a keyed hash of the port pair plus a clock of 64 ns ticks.
    const auto hash = static_cast<std::uint32_t>(mix(secret_ ^ (static_cast<std::uint64_t>(port) << 1) ^ idx(h)));
    return hash + static_cast<std::uint32_t>(now_.us * 1000 / 64);
}

void HostModel::set_port(Side h, std::uint16_t port, std::uint32_t entry) {
    Host& x = host(h);
    if (x.ports[port] == 0 && h == Side::Client) ++x.ports_in_use;
    x.ports[port] = entry;
}

void HostModel::clear_port(Side h, std::uint16_t port, std::uint32_t entry) {
    Host& x = host(h);
    if (x.ports[port] != entry) return;  // the port pair already belongs to a newer socket
    x.ports[port] = 0;
    if (h == Side::Client && x.ports_in_use > 0) --x.ports_in_use;
}

// __inet_hash_connect(): the search starts at a per-destination offset that
// moves on after each success, walks the range in steps of two (ports of
// one parity first, leaving the others to bind()), then tries the other
// parity; a port is usable if no socket holds the port pair, or if the one
// holding it is in TIME-WAIT and tcp_twsk_unique() lets connect() take it.
// Nothing found: EADDRNOTAVAIL.
std::optional<std::uint16_t> HostModel::pick_port(std::uint32_t& isn) {
    Host& c = host(Side::Client);
    const HostSettings& cs = settings_[idx(Side::Client)];
    const std::uint32_t low = cs.port_low;
    std::uint32_t remaining = static_cast<std::uint32_t>(cs.port_high) + 1 - low;
    if (remaining > 1) remaining &= ~1u;
    std::uint32_t offset = (port_perturb_ + static_cast<std::uint32_t>(secret_ >> 48)) % remaining;
    if (remaining > 1) offset &= ~1u;
    // tcp_tw_reuse=2 means loopback traffic only.
    const bool reuse = cs.tw_reuse == 1 || (cs.tw_reuse == 2 && cs.loopback);
    for (int parity = 0; parity < 2; ++parity) {
        std::uint32_t port = low + offset;
        for (std::uint32_t i = 0; i < remaining; i += 2, port += 2) {
            if (port >= low + remaining) port -= remaining;
            const std::uint32_t entry = c.ports[port];
            bool take = entry == 0;
            if (entry & kTwBit) {
                const TwSock& tw = c.tw[entry & ~kTwBit];
                // tcp_twsk_unique(): with timestamps the peer can tell the
                // new connection from the old one, once a while has passed
                // since the old one's last segment (tcp_tw_reuse_delay, 1 s).
                if (reuse && now_ > tw.ts_recent_stamp + cs.tw_reuse_delay) {
                    isn = tw.snd_nxt + 65535 + 2;
                    if (isn == 0) isn = 1;
                    ++c.counters.tw_recycled;
                    count_state(Side::Client, State::TimeWait, State::Closed);
                    free_tw(Side::Client, entry & ~kTwBit);
                    take = true;
                }
            }
            if (take) {
                if (isn == 0) isn = secure_isn(Side::Client, static_cast<std::uint16_t>(port));
                // The next search starts a little further on: at least one
                // pair of ports, at most eight at random (Linux 5.18+).
                port_perturb_ += std::max(i, rng_.below(8) * 2) + 2;
                return static_cast<std::uint16_t>(port);
            }
        }
        ++offset;
        if (!(offset & 1) || remaining <= 1) break;
    }
    return std::nullopt;
}

void HostModel::reply_reset(Side from, const Segment& seg, std::uint16_t port) {
    // tcp_v4_send_reset(): RFC 9293's reply to a segment for no connection.
    Segment r;
    r.from = from;
    if (seg.has(flag::ACK)) {
        r.flags = flag::RST;
        r.seq = seg.ack;
    } else {
        r.flags = flag::RST | flag::ACK;
        r.ack = seg.seq + seg.seq_space();
    }
    ++host(from).counters.resets_sent;
    send(from, port, r);
}

void HostModel::deliver_to_listener(const Wire& e, std::optional<std::uint32_t> isn) {
    Host& h = host(Side::Server);
    const Segment& seg = e.seg;
    if (seg.has(flag::RST)) return;
    if (!listening_ || !seg.has(flag::SYN) || seg.has(flag::ACK)) return reply_reset(Side::Server, seg, e.port);
    // tcp_conn_request(): a SYN meets a full accept queue and is dropped
    // (sk_acceptq_is_full() is "more than backlog", so backlog + 1 fit).
    if (h.accept_queue.size() > settings_[idx(Side::Server)].backlog) {
        ++h.counters.listen_overflows;
        ++h.counters.listen_drops;
        return;
    }
    const std::uint32_t s = new_sock(Side::Server, e.port, isn.value_or(secure_isn(Side::Server, e.port)));
    Sock& k = *socks_[s];
    k.ts_recent = tsval(Side::Client, e.sent);
    k.ts_recent_stamp = now_;
    Actions& out = scratch_.size() > depth_ ? scratch_[depth_] : scratch_.emplace_back();
    ++depth_;
    out.clear();
    k.ep->on_segment(seg, now_, out);
    apply(s, out);
    --depth_;
}

bool HostModel::tw_syn_acceptable(const TwSock& tw, const Wire& e) const {
    // tcp_timewait_state_process(): a new SYN may end TIME-WAIT early if its
    // timestamp is newer than the last one seen, or its sequence number is
    // beyond RCV.NXT.
    const std::uint32_t ts = tsval(peer_of(e.to), e.sent);
    return static_cast<std::int32_t>(tw.ts_recent - ts) < 0 || seq_gt(e.seg.seq, tw.rcv_nxt);
}

void HostModel::deliver_to_time_wait(Side h, std::uint32_t i, const Wire& e) {
    Host& x = host(h);
    TwSock& tw = x.tw[i];
    const Segment& seg = e.seg;
    auto ack = [&] {
        Segment a;
        a.from = h;
        a.flags = flag::ACK;
        a.seq = tw.snd_nxt;
        a.ack = tw.rcv_nxt;
        a.wnd = knobs_.rwnd;
        send(h, tw.port, a);
    };
    if (seg.has(flag::RST)) {
        // TIME-WAIT assassination (RFC 1337): Linux lets a RST end it unless tcp_rfc1337 is set.
        if (knobs_.rfc1337) return;
        count_state(h, State::TimeWait, State::Closed);
        return free_tw(h, i);
    }
    if (seg.has(flag::SYN) && !seg.has(flag::ACK)) {
        if (h == Side::Server && tw_syn_acceptable(tw, e)) {
            // The new connection starts beyond the old one's sequence space.
            const std::uint32_t isn = tw.snd_nxt + 65535 + 2;
            ++x.counters.tw_taken_by_syn;
            count_state(h, State::TimeWait, State::Closed);
            free_tw(h, i);
            return deliver_to_listener(e, isn);
        }
        return ack();
    }
    if (seg.has(flag::FIN)) {
        // The peer's FIN again: our last ACK was lost. ACK it and wait the
        // whole time again (inet_twsk_reschedule()).
        tw.ts_recent = tsval(peer_of(h), e.sent);
        tw.ts_recent_stamp = now_;
        tw.deadline = now_ + knobs_.time_wait;
        tw_unlink(h, i);
        tw_append(h, i);
        return ack();
    }
    if (seg.len > 0) return ack();
    // A bare ACK (a duplicate of the connection's last) needs no answer.
}

void HostModel::to_time_wait(std::uint32_t s) {
    Sock& k = *socks_[s];
    Host& x = host(k.side);
    const Side h = k.side;
    // tcp_time_wait(): inet_twsk_alloc() refuses once tcp_max_tw_buckets
    // TIME-WAIT sockets exist; the socket is then destroyed at once and
    // TCPTimeWaitOverflow counted.
    if (x.tw_live >= settings_[idx(h)].max_tw_buckets) {
        ++x.counters.tw_overflow;
        count_state(h, State::TimeWait, State::Closed);
        return release_sock(s);
    }
    std::uint32_t i;
    if (!x.tw_free.empty()) {
        i = x.tw_free.back();
        x.tw_free.pop_back();
    } else {
        i = static_cast<std::uint32_t>(x.tw.size());
        x.tw.emplace_back();
    }
    TwSock& tw = x.tw[i];
    const TcbView v = k.ep->view();
    tw.deadline = k.ep->timer(TimerKind::TimeWait).value_or(now_ + knobs_.time_wait);
    tw.snd_nxt = v.snd_nxt;
    tw.rcv_nxt = v.rcv_nxt;
    tw.ts_recent = k.ts_recent;
    tw.ts_recent_stamp = k.ts_recent_stamp;
    tw.port = k.port;
    ++x.tw_live;
    tw_append(h, i);
    const std::uint16_t port = k.port;
    const bool owned = x.ports[port] == s + 1;
    if (k.has_fd && x.fds > 0) --x.fds;
    k.has_fd = false;
    release_sock(s);
    if (owned) set_port(h, port, kTwBit | i);
}

void HostModel::release_sock(std::uint32_t s) {
    Sock& k = *socks_[s];
    clear_port(k.side, k.port, s + 1);
    if (k.has_fd) {
        Host& x = host(k.side);
        if (x.fds > 0) --x.fds;
    }
    if (k.ep) --live_endpoints_;
    k.ep.reset();
    k.in_use = false;
    k.has_fd = false;
    free_socks_.push_back(s);
}

void HostModel::expire_time_wait(Side h) {
    ++host(h).counters.timewaited;
    count_state(h, State::TimeWait, State::Closed);
    free_tw(h, host(h).tw_head);
}

void HostModel::free_tw(Side h, std::uint32_t i) {
    Host& x = host(h);
    tw_unlink(h, i);
    clear_port(h, x.tw[i].port, kTwBit | i);
    --x.tw_live;
    x.tw_free.push_back(i);
}

void HostModel::tw_append(Side h, std::uint32_t i) {
    Host& x = host(h);
    TwSock& tw = x.tw[i];
    tw.prev = x.tw_tail;
    tw.next = kNoTw;
    if (x.tw_tail != kNoTw) x.tw[x.tw_tail].next = i;
    else x.tw_head = i;
    x.tw_tail = i;
}

void HostModel::tw_unlink(Side h, std::uint32_t i) {
    Host& x = host(h);
    TwSock& tw = x.tw[i];
    if (tw.prev != kNoTw) x.tw[tw.prev].next = tw.next;
    else x.tw_head = tw.next;
    if (tw.next != kNoTw) x.tw[tw.next].prev = tw.prev;
    else x.tw_tail = tw.prev;
    tw.prev = tw.next = kNoTw;
}

void HostModel::try_listen() {
    // inet_csk_bind_conflict(): without SO_REUSEADDR every socket bound to
    // the port conflicts, TIME-WAIT ones too; with it on both sockets (the
    // children inherit it), only another listener would.
    const HostSettings& ss = settings_[idx(Side::Server)];
    Host& h = host(Side::Server);
    bool busy = false;
    if (!ss.reuseaddr) {
        busy = h.tw_live > 0;
        for (const auto& k : socks_)
            if (!busy && k->in_use && k->side == Side::Server && k->ep) busy = true;
    }
    if (busy) {
        ++h.counters.eaddrinuse;
        // The service manager starts it again a second later.
        Event e;
        e.t = now_ + Duration::seconds(1);
        e.kind = EventKind8::Listen;
        push(e);
        return;
    }
    listening_ = true;
    h.fds = 1;
    h.by_state[static_cast<std::size_t>(State::Listen)] = 1;
}

std::size_t HostModel::bytes_per_time_wait_socket() {
    return sizeof(TwSock) + sizeof(std::uint32_t);  // the record and its free-list slot
}

std::size_t HostModel::memory_bytes() const {
    std::size_t n = sizeof(*this) + queue_->size() * sizeof(Event) + wire_->size() * sizeof(Wire) + socks_.capacity() * sizeof(void*) +
                    free_socks_.capacity() * sizeof(std::uint32_t);
    n += socks_.size() * sizeof(Sock);
    for (const auto& h : host_) {
        n += sizeof(Host) + h->ports.capacity() * sizeof(std::uint32_t) + h->tw.capacity() * sizeof(TwSock) +
             h->tw_free.capacity() * sizeof(std::uint32_t) +
             h->accept_queue.size() * 8;
    }
    for (const auto& a : scratch_) n += a.capacity() * sizeof(Action);
    return n + samples_.capacity() * sizeof(HostSample);
}

void HostModel::track_memory() { peak_memory_ = std::max(peak_memory_, memory_bytes()); }

void HostModel::list_sockets(std::vector<HostSocket>& out) const {
    out.clear();
    if (listening_) {
        HostSocket l;
        l.host = Side::Server;
        l.state = State::Listen;
        l.recv_q = static_cast<std::uint32_t>(host(Side::Server).accept_queue.size());
        out.push_back(l);
    }
    for (const auto& k : socks_) {
        if (!k->in_use || !k->ep || k->ep->state() == State::Closed) continue;
        const TcbView v = k->ep->view();
        HostSocket s;
        s.host = k->side;
        s.state = v.state;
        s.client_port = k->port;
        s.recv_q = v.unread;
        // What ss calls Send-Q: written but not yet acknowledged (the SYN
        // and FIN take sequence space but are not bytes of the queue).
        const std::uint32_t una = seq_lt(v.snd_una, v.iss + 1) ? v.iss + 1 : v.snd_una;
        s.send_q = seq_lt(una, v.write_seq) ? v.write_seq - una : 0;
        out.push_back(s);
    }
    for (Side side : {Side::Client, Side::Server}) {
        const Host& h = host(side);
        for (std::uint32_t tw = h.tw_head; tw != kNoTw; tw = h.tw[tw].next) {
            HostSocket s;
            s.host = side;
            s.state = State::TimeWait;
            s.client_port = h.tw[tw].port;
            s.time_wait_record = true;
            out.push_back(s);
        }
    }
}

}  // namespace finwave
