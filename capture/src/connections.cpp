// A capture's segments grouped into TCP connections.
#include <algorithm>

#include "finwave/explain.hpp"

namespace finwave::capture {

namespace {

// A SYN on a tuple in use is the same connection only as a retransmission of its own SYN.
bool same_syn(const Connection& c, const Observed& s) {
    for (std::size_t i = 0; i < c.segs.size(); ++i)
        if (c.from_client[i] && (c.segs[i].flags & flag::SYN) && c.segs[i].seq == s.seq && c.client_addr == s.src && c.client_port == s.sport)
            return true;
    return false;
}

}  // namespace

void ConnectionSplitter::add(Observed s) {
    const bool forward = std::tie(s.src, s.sport) < std::tie(s.dst, s.dport);
    Key key = forward ? Key{s.src, s.sport, s.dst, s.dport} : Key{s.dst, s.dport, s.src, s.sport};
    const bool bare_syn = (s.flags & flag::SYN) && !(s.flags & flag::ACK);
    auto it = open_.find(key);
    if (it != open_.end() && bare_syn && !same_syn(it->second.c, s)) {
        finished_.push_back(std::move(it->second.c));
        open_.erase(it);
        it = open_.end();
    }
    if (it == open_.end()) {
        Connection c;
        c.number = next_number_++;
        // The SYN's sender is the client; without one, the end with the higher
        // port (the ephemeral one) is taken for it, and that is said.
        const bool src_is_client = bare_syn || ((s.flags & flag::SYN) ? false : s.sport > s.dport);
        c.client_known = (s.flags & flag::SYN) != 0;
        c.client_addr = src_is_client ? s.src : s.dst;
        c.client_port = src_is_client ? s.sport : s.dport;
        c.server_addr = src_is_client ? s.dst : s.src;
        c.server_port = src_is_client ? s.dport : s.sport;
        it = open_.emplace(std::move(key), Open{std::move(c), 0}).first;
    }
    Open& o = it->second;
    if (s.t_us) {
        o.last_us = *s.t_us;
        now_us_ = std::max(now_us_, *s.t_us);
    }
    o.c.from_client.push_back(s.src == o.c.client_addr && s.sport == o.c.client_port);
    o.c.segs.push_back(std::move(s));
    // Quiet connections are looked for now and then, not at every segment.
    if (++since_sweep_ >= 4096) {
        since_sweep_ = 0;
        for (auto i = open_.begin(); i != open_.end();) {
            if (i->second.c.segs.back().t_us && now_us_ - i->second.last_us > idle_us_) {
                finished_.push_back(std::move(i->second.c));
                i = open_.erase(i);
            } else {
                ++i;
            }
        }
    }
}

std::vector<Connection> ConnectionSplitter::take_finished() {
    std::vector<Connection> out;
    std::swap(out, finished_);
    std::sort(out.begin(), out.end(), [](const Connection& a, const Connection& b) { return a.number < b.number; });
    return out;
}

std::vector<Connection> ConnectionSplitter::take_all() {
    std::vector<Connection> out;
    std::swap(out, finished_);
    for (auto& [k, o] : open_) out.push_back(std::move(o.c));
    open_.clear();
    std::sort(out.begin(), out.end(), [](const Connection& a, const Connection& b) { return a.number < b.number; });
    return out;
}

std::vector<Connection> split_connections(const std::vector<Observed>& segments) {
    ConnectionSplitter s(INT64_MAX);
    for (const auto& o : segments) s.add(o);
    return s.take_all();
}

}  // namespace finwave::capture
