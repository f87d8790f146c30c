#include "host_run.hpp"

#include <cstdio>
#include <string>

#include "finwave/host.hpp"

namespace finwave::cli {

namespace {

// The states ss lists, in the order a busy host's reader looks for them.
constexpr State kColumns[] = {State::Listen,   State::SynSent,   State::SynReceived, State::Established,
                              State::FinWait1, State::FinWait2,  State::CloseWait,   State::LastAck,
                              State::Closing,  State::TimeWait};

std::string pad(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string seconds(Instant t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(t.us / 1000000), static_cast<long long>(t.us % 1000000 / 1000));
    return buf;
}

void header(std::ostream& out) {
    out << pad("time", 8) << "  " << "host  ";
    for (State s : kColumns) out << pad(to_string(s), std::string(to_string(s)).size() < 6 ? 6 : std::string(to_string(s)).size()) << ' ';
    out << pad("ports", 6) << ' ' << pad("fds", 6) << ' ' << pad("accept-q", 8) << '\n';
}

void row(std::ostream& out, Instant t, Side side, const HostSnapshot& h) {
    out << pad(seconds(t), 8) << "  " << (side == Side::Client ? "client" : "server");
    for (State s : kColumns) {
        const std::size_t w = std::string(to_string(s)).size() < 6 ? 6 : std::string(to_string(s)).size();
        out << ' ' << pad(std::to_string(h.count(s)), w);
    }
    out << ' ' << pad(side == Side::Client ? std::to_string(h.ports_in_use) : "-", 6) << ' ' << pad(std::to_string(h.fds_in_use), 6)
        << ' ' << pad(side == Side::Server ? std::to_string(h.accept_queue) : "-", 8) << '\n';
}

// What `ss -s` prints on its TCP line, for one host.
void ss_s(std::ostream& out, Side side, const HostSnapshot& h) {
    out << "# " << (side == Side::Client ? "client" : "server") << " ss -s   TCP: " << h.sockets() << " (estab "
        << h.count(State::Established) << ", closed 0, orphaned -, timewait " << h.count(State::TimeWait) << ")\n";
}

void counters(std::ostream& out, Side side, const HostCounters& c) {
    const char* who = side == Side::Client ? "client" : "server";
    auto line = [&](const char* name, std::uint64_t v) {
        if (v > 0) out << "# " << who << ' ' << name << ' ' << v << '\n';
    };
    line("connect", c.connect_calls);
    line("connected", c.connected);
    line("accept", c.accepted);
    line("responses", c.requests);
    line("EADDRNOTAVAIL", c.eaddrnotavail);
    line("EADDRINUSE", c.eaddrinuse);
    line("EMFILE", c.emfile);
    line("ETIMEDOUT", c.etimedout);
    line("ECONNREFUSED", c.econnrefused);
    line("ECONNRESET", c.econnreset);
    line("TcpExtTW", c.timewaited);
    line("TcpExtTWRecycled", c.tw_recycled);
    line("TcpExtTCPTimeWaitOverflow", c.tw_overflow);
    line("TcpExtListenOverflows", c.listen_overflows);
    line("TcpExtListenDrops", c.listen_drops);
    line("time-wait-ended-by-syn", c.tw_taken_by_syn);
    line("segments-sent", c.segments_sent);
    line("segments-lost", c.segments_lost);
    line("resets-for-no-socket", c.resets_sent);
}

}  // namespace

int run_host_summary(const Scenario& sc, const Knobs& knobs, Profile profile, std::uint64_t seed, std::optional<Duration> every,
                     std::ostream& out, std::ostream& err) {
    const Workload& wl = *sc.host.workload;
    HostModel::Options opts;
    if (every) opts.sample_every = *every;
    opts.until = sc.until;
    HostModel m(sc.host, knobs, seed, sc.loss, opts);
    m.run();
    out << "# " << sc.name << ", profile " << to_string(profile) << ", seed " << seed << '\n';
    out << "# workload: " << wl.rate_per_s << " connections/s for " << format_duration(wl.duration) << " (" << wl.connections()
        << "), request " << wl.request_bytes << " B, response " << wl.response_bytes << " B, keep-alive " << wl.requests_per_connection
        << ", closer " << to_string(wl.closer) << ", never-close " << wl.never_close_ppm / 10000.0 << "%";
    if (sc.loss > 0) out << ", loss " << sc.loss * 100 << "%";
    out << '\n';
    out << "# client host: " << describe(sc.host.hosts[0]) << '\n';
    out << "# server host: " << describe(sc.host.hosts[1]) << '\n';
    out << "# sockets by state, as 'ss -tan state STATE | wc -l' counts them (minus its header line);\n"
        << "# ports: the client's ephemeral ports held (TIME-WAIT too); fds: descriptors the process holds\n";
    header(out);
    for (const HostSample& s : m.samples()) {
        row(out, s.t, Side::Client, s.host[0]);
        row(out, s.t, Side::Server, s.host[1]);
    }
    out << "# end at " << seconds(m.now()) << " s\n";
    for (Side side : {Side::Client, Side::Server}) ss_s(out, side, m.snapshot(side));
    for (Side side : {Side::Client, Side::Server}) counters(out, side, m.counters(side));
    for (const auto& p : m.problems()) err << "finwave: engine invariant: " << p << '\n';
    return m.problems().empty() ? 0 : 1;
}

}  // namespace finwave::cli
