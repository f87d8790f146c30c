#include "host_json.hpp"

#include <cstdio>

namespace finwave::web {

namespace {

using nlohmann::json;

// The states ss lists, with LISTEN first (cli/host_run.cpp's columns).
constexpr State kStates[] = {State::Listen,   State::SynSent,  State::SynReceived, State::Established, State::FinWait1,
                             State::FinWait2, State::CloseWait, State::LastAck,    State::Closing,     State::TimeWait};

json counts_json(const HostSnapshot& h) {
    json by_state = json::object();
    for (State s : kStates) by_state[to_string(s)] = h.count(s);
    return by_state;
}

json counters_json(const HostCounters& c) {
    return {{"connect", c.connect_calls},           {"connected", c.connected},         {"accept", c.accepted},
            {"responses", c.requests},              {"EADDRNOTAVAIL", c.eaddrnotavail}, {"EADDRINUSE", c.eaddrinuse},
            {"EMFILE", c.emfile},                   {"ETIMEDOUT", c.etimedout},         {"ECONNREFUSED", c.econnrefused},
            {"ECONNRESET", c.econnreset},           {"TcpExtTW", c.timewaited},         {"TcpExtTWRecycled", c.tw_recycled},
            {"TcpExtTCPTimeWaitOverflow", c.tw_overflow}, {"TcpExtListenOverflows", c.listen_overflows},
            {"TcpExtListenDrops", c.listen_drops}};
}

json host_side_json(const HostSnapshot& h) {
    return {{"states", counts_json(h)}, {"ports", h.ports_in_use}, {"fds", h.fds_in_use}, {"accept_queue", h.accept_queue}};
}

}  // namespace

json host_json(const Tutor& t) {
    const BusyHost* b = t.busy();
    if (!b) return nullptr;
    const HostModel& m = b->model();
    json now = json::object();
    json counters = json::object();
    for (Side side : {Side::Client, Side::Server}) {
        const HostSnapshot s = m.snapshot(side);
        now[to_string(side)] = host_side_json(s);
        counters[to_string(side)] = counters_json(s.counters);
    }
    // The newest sample: the same instants as `finwave run NAME --summary`.
    json sample = nullptr;
    if (!m.samples().empty()) {
        const HostSample& s = m.samples().back();
        sample = {{"t_us", s.t.us}, {"client", host_side_json(s.host[0])}, {"server", host_side_json(s.host[1])}};
    }
    const HostSettings& client = b->scenario().host.hosts[0];
    const HostSettings& server = b->scenario().host.hosts[1];
    const auto& rows = b->rows();
    json first = json::array();
    for (std::size_t i = 0; i < rows.size() && i < kHostRowsShown; ++i) {
        const HostSocket& r = rows[i];
        first.push_back({{"state", to_string(r.state)}, {"host", to_string(r.host)}, {"local", local_address(r)},
                         {"peer", peer_address(r)}, {"recv_q", r.recv_q}, {"send_q", r.send_q}});
    }
    const HostTableView& v = b->table_view;
    return {
        {"scenario", b->name()},
        {"view_us", b->view_time().us},
        {"end_us", m.end().us},
        {"over", b->over()},
        {"playing", t.playing()},
        {"speed", t.speed()},
        {"now", std::move(now)},
        {"sample", std::move(sample)},
        {"samples", m.samples().size()},
        {"counters", std::move(counters)},
        {"port_range", {client.port_low, client.port_high}},
        {"nofile", {{"client", client.nofile}, {"server", server.nofile}}},
        {"table", {{"sort", to_string(v.sort)}, {"descending", v.descending},
                   {"filter", v.filter ? json(to_string(*v.filter)) : json(nullptr)},
                   {"total", b->total_rows()}, {"shown", rows.size()}, {"first", std::move(first)}}},
    };
}

std::string host_mirror_key(const Tutor& t) {
    const BusyHost& b = *t.busy();
    const HostTableView& v = b.table_view;
    return "host|" + b.name() + '|' + std::to_string(b.model().samples().size()) + '|' + (t.playing() ? 'p' : '-') +
           (b.over() ? 'o' : '-') + '|' + to_string(v.sort) + (v.descending ? '-' : '+') + '|' +
           (v.filter ? to_string(*v.filter) : "all") + '|' + std::to_string(b.view_time().us == 0);
}

json host_mirror_json(const Tutor& t) {
    const BusyHost& b = *t.busy();
    const HostModel& m = b.model();
    char clock[32];
    std::snprintf(clock, sizeof clock, "%.0f", static_cast<double>(b.view_time().us) / 1e6);
    json hosts = json::array();
    for (Side side : {Side::Client, Side::Server}) {
        const HostSnapshot s = m.snapshot(side);
        json counts = json::array();
        for (State st : kHostChartStates) counts.push_back({{"state", to_string(st)}, {"n", s.count(st)}});
        json counters = json::array();
        const json all = counters_json(s.counters);
        for (const auto& [name, n] : all.items())
            if (n.get<std::uint64_t>() > 0) counters.push_back({{"name", name}, {"n", n}});
        hosts.push_back({{"side", to_string(side)}, {"counts", std::move(counts)}, {"sockets", s.sockets()},
                         {"ports", s.ports_in_use}, {"fds", s.fds_in_use}, {"counters", std::move(counters)}});
    }
    json states = json::array();
    for (State st : kStates) states.push_back(to_string(st));
    const auto& rows = b.rows();
    json first = json::array();
    for (std::size_t i = 0; i < rows.size() && i < kHostRowsShown; ++i) {
        const HostSocket& r = rows[i];
        first.push_back({{"state", to_string(r.state)}, {"host", to_string(r.host)}, {"local", local_address(r)},
                         {"peer", peer_address(r)}, {"recv_q", r.recv_q}, {"send_q", r.send_q}});
    }
    const HostTableView& v = b.table_view;
    const HostSettings& client = b.scenario().host.hosts[0];
    return {{"scenario", b.name()}, {"t", clock}, {"playing", t.playing()}, {"over", b.over()}, {"hosts", std::move(hosts)},
            {"port_range", {client.port_low, client.port_high}}, {"states", std::move(states)},
            {"filter", v.filter ? json(to_string(*v.filter)) : json(nullptr)}, {"sort", to_string(v.sort)},
            {"descending", v.descending}, {"shown", rows.size()}, {"total", b.total_rows()}, {"rows", std::move(first)}};
}

}  // namespace finwave::web
