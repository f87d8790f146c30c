// A capture's segments grouped into TCP connections.
#include <map>
#include <tuple>

#include "finwave/explain.hpp"

namespace finwave::capture {

std::vector<Connection> split_connections(const std::vector<Observed>& segments) {
    using Key = std::tuple<std::string, std::uint16_t, std::string, std::uint16_t>;
    std::vector<Connection> out;
    std::map<Key, std::size_t> open;  // canonical 4-tuple -> index in out
    for (const auto& s : segments) {
        const bool forward = std::tie(s.src, s.sport) < std::tie(s.dst, s.dport);
        const Key key = forward ? Key{s.src, s.sport, s.dst, s.dport} : Key{s.dst, s.dport, s.src, s.sport};
        const bool bare_syn = (s.flags & flag::SYN) && !(s.flags & flag::ACK);
        auto it = open.find(key);
        if (it != open.end() && bare_syn) {
            // A SYN on a tuple in use is the same connection only as a retransmission of its own SYN.
            const Connection& c = out[it->second];
            bool same = false;
            for (std::size_t i = 0; i < c.segs.size(); ++i)
                if (c.from_client[i] && (c.segs[i].flags & flag::SYN) && c.segs[i].seq == s.seq && c.client_addr == s.src &&
                    c.client_port == s.sport)
                    same = true;
            if (!same) it = open.end();
        }
        if (it == open.end()) {
            Connection c;
            // The SYN's sender is the client; without one, the end with the higher
            // port (the ephemeral one) is taken for it, and that is said.
            const bool src_is_client = bare_syn || ((s.flags & flag::SYN) ? false : s.sport > s.dport);
            c.client_known = (s.flags & flag::SYN) != 0;
            c.client_addr = src_is_client ? s.src : s.dst;
            c.client_port = src_is_client ? s.sport : s.dport;
            c.server_addr = src_is_client ? s.dst : s.src;
            c.server_port = src_is_client ? s.dport : s.sport;
            out.push_back(std::move(c));
            it = open.insert_or_assign(key, out.size() - 1).first;
        }
        Connection& c = out[it->second];
        c.from_client.push_back(s.src == c.client_addr && s.sport == c.client_port);
        c.segs.push_back(s);
    }
    return out;
}

}  // namespace finwave::capture
