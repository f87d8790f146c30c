// The busy-host model against what Linux does with many connections: who
// holds TIME-WAIT, ephemeral ports, tcp_tw_reuse, tcp_max_tw_buckets, the
// accept queue, the descriptor limit, SO_REUSEADDR on a restart.
#include <doctest/doctest.h>

#include <string>

#include "finwave/builtin.hpp"
#include "finwave/host.hpp"
#include "finwave/scenario.hpp"

using namespace finwave;

namespace {

Scenario host_scenario(const std::string& lines) {
    auto r = parse_scenario("scenario t\n" + lines, "t.scenario");
    if (auto* e = std::get_if<ParseError>(&r)) FAIL(e->to_string());
    return std::get<Scenario>(r);
}

struct Run {
    Scenario sc;
    Knobs knobs = defaults_for(Profile::Linux);
    std::unique_ptr<HostModel> m;
    explicit Run(const std::string& lines, std::uint64_t seed = 1) : sc(host_scenario(lines)) {
        auto k = resolve_knobs(sc, Profile::Linux, {});
        REQUIRE(std::holds_alternative<Knobs>(k));
        knobs = std::get<Knobs>(k);
        HostModel::Options o;
        o.until = sc.until;
        m = std::make_unique<HostModel>(sc.host, knobs, seed, sc.loss, o);
    }
    HostModel& operator*() { return *m; }
    HostModel* operator->() { return m.get(); }
    void at(double seconds) { m->run_until(Instant{static_cast<std::int64_t>(seconds * 1e6)}); }
};

const HostCounters& client(Run& r) { return r->counters(Side::Client); }
const HostCounters& server(Run& r) { return r->counters(Side::Server); }

}  // namespace

TEST_CASE("busy host: the active closer holds TIME-WAIT (tcp_time_wait() runs on the side that sent the first FIN)") {
    SUBCASE("client closes first: the pile is on the client, none on the server") {
        Run r("workload rate 100/s for 2s closer client\n");
        r.at(3);
        CHECK(r->count(Side::Client, State::TimeWait) == 200);
        CHECK(r->count(Side::Server, State::TimeWait) == 0);
        CHECK(client(r).requests == 200);
        r.at(62.5);  // 60 s after the last close
        CHECK(r->count(Side::Client, State::TimeWait) == 0);
        CHECK(client(r).timewaited == 200);
    }
    SUBCASE("server closes first: the pile moves to the server, the client's ports come free") {
        Run r("workload rate 100/s for 2s closer server\n");
        r.at(3);
        CHECK(r->count(Side::Server, State::TimeWait) == 200);
        CHECK(r->count(Side::Client, State::TimeWait) == 0);
        CHECK(r->snapshot(Side::Client).ports_in_use == 0);
    }
    SUBCASE("both close at once: the FINs cross, both pass CLOSING and both wait") {
        Run r("workload rate 100/s for 1s closer both\n");
        r.at(2);
        CHECK(r->count(Side::Client, State::TimeWait) == 100);
        CHECK(r->count(Side::Server, State::TimeWait) == 100);
    }
    SUBCASE("keep-alive: K requests per connection, one TIME-WAIT per connection") {
        Run r("workload rate 100/s for 1s closer client keepalive 5\n");
        r.at(3);
        CHECK(client(r).requests == 500);
        CHECK(r->count(Side::Client, State::TimeWait) == 100);
    }
    SUBCASE("every change of state is an edge of the transition table, and nothing is left behind") {
        Run r("workload rate 200/s for 2s closer both keepalive 2\nloss 5%\n");
        r->run();
        CHECK(r->problems().empty());
        CHECK(client(r).requests == 800);
        CHECK(r->live_endpoints() == 0);
        CHECK(client(r).segments_lost > 0);
    }
}

TEST_CASE("busy host: connect() runs out of ephemeral ports with EADDRNOTAVAIL (__inet_hash_connect())") {
    SUBCASE("100 ports, all in TIME-WAIT after 1 s: the rest of the connects fail") {
        Run r("workload rate 100/s for 2s closer client\nhost client port_range=40000-40099\n");
        r.at(3);
        CHECK(client(r).connected == 100);
        CHECK(client(r).eaddrnotavail == 100);
        CHECK(r->snapshot(Side::Client).ports_in_use == 100);
    }
    SUBCASE("an odd-sized range loses its last port: the search walks pairs of ports") {
        Run r("workload rate 200/s for 1s closer client\nhost client port_range=40000-40100\n");
        r.at(2);
        CHECK(client(r).connected == 100);
    }
    SUBCASE("the server closing first leaves the client's ports free: no failure") {
        Run r("workload rate 100/s for 2s closer server\nhost client port_range=40000-40099\n");
        r.at(3);
        CHECK(client(r).eaddrnotavail == 0);
        CHECK(client(r).connected == 200);
        // The same port pair comes back while the server still holds it in
        // TIME-WAIT: the newer timestamp lets the SYN through (tcp_timewait_state_process()).
        CHECK(server(r).tw_taken_by_syn > 0);
    }
}

TEST_CASE("busy host: tcp_tw_reuse lets connect() take a TIME-WAIT port pair 1 s after its last segment (tcp_twsk_unique())") {
    const std::string wl = "workload rate 100/s for 3s closer client\nhost client port_range=40000-40049 ";
    SUBCASE("off (0), and the default 2 away from loopback: ports stay exhausted") {
        for (const char* v : {"tw_reuse=0\n", "tw_reuse=2\n"}) {
            CAPTURE(v);
            Run r(wl + v);
            r.at(4);
            CHECK(client(r).tw_recycled == 0);
            CHECK(client(r).eaddrnotavail == 250);
        }
    }
    SUBCASE("on: no recycling in the first second, then every port is reused") {
        for (const char* v : {"tw_reuse=1\n", "tw_reuse=2 loopback=on\n"}) {
            CAPTURE(v);
            Run r(wl + v);
            r.at(1.0);
            CHECK(client(r).tw_recycled == 0);
            CHECK(client(r).eaddrnotavail > 0);  // 0.5 s to 1 s: all 50 ports are younger than 1 s
            r.at(4);
            CHECK(client(r).tw_recycled > 0);
            CHECK(client(r).connected + client(r).eaddrnotavail == 300);
            // Each port is taken at most once a second: 50 ports carry fewer than 50 connections/s.
            CHECK(client(r).connected < 50 + 50 * 3);
        }
    }
    SUBCASE("on, with more ports than one second of connections: no connect() fails") {
        Run r("workload rate 80/s for 3s closer client\nhost client port_range=40000-40099 tw_reuse=1\n");
        r.at(4);
        CHECK(client(r).eaddrnotavail == 0);
        CHECK(client(r).connected == 240);
        // A port more than 1 s out of use may be taken before a free one is
        // reached: the search takes the first usable port it meets.
        CHECK(client(r).tw_recycled >= 140);
        CHECK(r->count(Side::Client, State::TimeWait) == r->snapshot(Side::Client).ports_in_use);
    }
}

TEST_CASE("busy host: a full TIME-WAIT table destroys the socket at once and counts TCPTimeWaitOverflow (inet_twsk_alloc())") {
    Run r("workload rate 100/s for 2s closer client\nhost client tw_buckets=50\n");
    r.at(3);
    CHECK(r->count(Side::Client, State::TimeWait) == 50);
    CHECK(r->time_wait_sockets(Side::Client) == 50);
    CHECK(client(r).tw_overflow == 150);
    CHECK(r->snapshot(Side::Client).ports_in_use == 50);  // a destroyed socket frees its port
}

TEST_CASE("busy host: a CLOSE-WAIT leak ends in EMFILE, a full accept queue and dropped SYNs") {
    Run r("workload rate 100/s for 2s closer client never-close 100%\nhost server nofile=11 backlog=4\nhost client nofile=100000\n");
    r.at(3);
    // The listener holds one descriptor; each leaked connection one more.
    CHECK(r->count(Side::Server, State::CloseWait) == 10);
    CHECK(r->snapshot(Side::Server).fds_in_use == 11);
    CHECK(server(r).accepted == 10);
    CHECK(server(r).emfile > 0);
    // sk_acceptq_is_full() is "more than backlog": backlog + 1 wait.
    CHECK(r->snapshot(Side::Server).accept_queue == 5);
    CHECK(server(r).listen_overflows > 0);
    CHECK(r->count(Side::Client, State::SynSent) > 0);  // their SYNs were dropped: retransmitting
    CHECK(r->count(Side::Client, State::FinWait2) == 10);  // the leaked connections' other ends
}

TEST_CASE("busy host: the client's own descriptor limit fails socket() with EMFILE") {
    // The server never closes, so each client waits for EOF holding its descriptor.
    Run r("workload rate 100/s for 1s closer server never-close 100%\nhost client nofile=20\n");
    r.at(2);
    CHECK(client(r).emfile == 80);
    CHECK(r->snapshot(Side::Client).fds_in_use == 20);
    CHECK(r->count(Side::Client, State::Established) == 20);
}

TEST_CASE("busy host: a restarted server's bind() fails with EADDRINUSE while TIME-WAIT holds its port, unless SO_REUSEADDR") {
    const std::string wl = "workload rate 100/s for 5s closer server\nat 2s server restart\n";
    SUBCASE("without SO_REUSEADDR (inet_csk_bind_conflict(): TIME-WAIT sockets conflict)") {
        Run r(wl);
        r.at(3);
        CHECK(server(r).eaddrinuse >= 1);
        CHECK(client(r).econnrefused > 0);  // no listener: SYNs get RST
    }
    SUBCASE("with SO_REUSEADDR the new listener binds at once") {
        Run r(wl + "host server reuseaddr=on\n");
        r.at(3);
        CHECK(server(r).eaddrinuse == 0);
        CHECK(client(r).econnrefused == 0);
    }
}

TEST_CASE("busy host: a TIME-WAIT socket is a small record, and memory follows the sockets alive, not the history") {
    CHECK(HostModel::bytes_per_time_wait_socket() <= 64);
    // Ten times the connections with the same number alive at once.
    // Ten times the connections with the same number alive at once (a 1 s
    // TIME-WAIT at 1000/s: about 1000), against what an empty model holds
    // (the port tables).
    Run shortrun("workload rate 1000/s for 2s closer client\nset time_wait=1s\n");
    Run longrun("workload rate 1000/s for 20s closer client\nset time_wait=1s\n");
    const std::size_t empty = shortrun->memory_bytes();
    shortrun->run();
    longrun.at(10);
    CHECK(longrun->count(Side::Client, State::TimeWait) > 900);
    CHECK(longrun->count(Side::Client, State::TimeWait) < 1100);
    longrun->run();
    CHECK(longrun->counters(Side::Client).requests == 20000);
    CHECK(longrun->peak_memory_bytes() - empty < (shortrun->peak_memory_bytes() - empty) * 3 / 2);
}

TEST_CASE("busy host: a run is determined by its workload and seed") {
    const std::string wl = "workload rate 300/s for 2s closer both never-close 10%\nloss 3%\n";
    Run a(wl, 7), b(wl, 7), c(wl, 8);
    a->run();
    b->run();
    c->run();
    REQUIRE(a->samples().size() == b->samples().size());
    for (std::size_t i = 0; i < a->samples().size(); ++i)
        for (Side s : {Side::Client, Side::Server}) CHECK(a->samples()[i].host[static_cast<int>(s)].by_state == b->samples()[i].host[static_cast<int>(s)].by_state);
    CHECK(a->counters(Side::Client).segments_lost == b->counters(Side::Client).segments_lost);
    CHECK(a->counters(Side::Client).segments_lost != c->counters(Side::Client).segments_lost);
}

TEST_CASE("busy host: the six built-in busy scenarios parse and run") {
    for (const char* name : {"busy-client-closes-first", "busy-server-closes-first", "close-wait-leak-under-load", "port-exhaustion",
                             "tw-buckets-overflow", "tw-reuse"}) {
        CAPTURE(name);
        REQUIRE(find_host_builtin(name));
        auto r = load_host_builtin(name);
        REQUIRE(std::holds_alternative<Scenario>(r));
        CHECK(std::get<Scenario>(r).host.workload.has_value());
        CHECK_FALSE(find_builtin(name));  // not a single-connection scenario
    }
    CHECK(builtin_host_scenarios().size() == 6);
}

TEST_CASE("scenario parser: workload and host lines give file:line errors") {
    auto err = [](const std::string& text) {
        auto r = parse_scenario(text, "bad.scenario");
        REQUIRE(std::holds_alternative<ParseError>(r));
        return std::get<ParseError>(r).to_string();
    };
    CHECK(err("scenario b\nworkload rate 1000 for 10s\n") == "bad.scenario:2: expected a rate in connections per second, e.g. 'rate 1000/s', found '1000'");
    CHECK(err("scenario b\nworkload rate 10/s\n").find("bad.scenario:2: a workload needs 'rate N/s' and 'for TIME'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 10\n").find("bad.scenario:2: expected 'for TIME'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s closer nobody\n").find("bad.scenario:2: expected 'closer client'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s never-close 120%\n").find("bad.scenario:2: expected 'never-close P%'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s keepalive\n").find("bad.scenario:2: 'keepalive' needs a value") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s speed 3\n").find("bad.scenario:2: unknown workload word 'speed'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nhost client port_range=60000-1000\n").find("bad.scenario:3: host setting 'port_range'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nhost client tw_reuse=3\n").find("bad.scenario:3: host setting 'tw_reuse' does not take '3'") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nhost router nofile=3\n").find("bad.scenario:3:") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nhost client colour=red\n").find("bad.scenario:3: unknown host setting 'colour'") == 0);
    CHECK(err("scenario b\nhost client nofile=10\nat 1s client connect\n") == "bad.scenario:2: 'host' lines need a 'workload' line");
    CHECK(err("scenario b\nat 1s server restart\nat 1s client connect\n") == "bad.scenario:2: 'server restart' needs a 'workload' line");
    CHECK(err("scenario b\nat 1s client restart\n") == "bad.scenario:2: only the server restarts: 'at TIME server restart'");
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nat 1s client close\n").find("bad.scenario:3: a 'workload' scenario runs many connections") == 0);
    CHECK(err("scenario b\nworkload rate 10/s for 1s\nworkload rate 10/s for 1s\n") == "bad.scenario:3: only one 'workload' line per scenario");
}

TEST_CASE("busy host: list_sockets() lists what the per-state counts count, on each host, at any instant") {
    // A leak, loss and keep-alive give every state a chance to show up
    // (CLOSE-WAIT, retransmissions with bytes in flight, TIME-WAIT records).
    Run r("workload rate 200/s for 3s request 300 response 5000 closer client keepalive 2 never-close 10%\nloss 5%\n");
    std::vector<HostSocket> rows;
    bool any_send_q = false;
    for (double t : {0.0, 0.0125, 0.5, 1.2345, 2.5, 3.01, 4.0, 40.0, 70.0}) {
        CAPTURE(t);
        r.at(t);
        r->list_sockets(rows);
        std::array<std::array<std::uint32_t, kStateCount>, 2> seen{};
        std::size_t records = 0;
        for (const HostSocket& s : rows) {
            ++seen[static_cast<std::size_t>(s.host)][static_cast<std::size_t>(s.state)];
            if (s.time_wait_record) {
                ++records;
                CHECK(s.state == State::TimeWait);
            }
            CHECK(s.send_q <= 5000);
            CHECK(s.recv_q <= 5000);
            if (s.host == Side::Server && s.send_q > 0) any_send_q = true;
            if (s.state == State::Listen) CHECK(s.client_port == 0);
            else CHECK(s.client_port >= 32768);  // the default ip_local_port_range
        }
        for (Side side : {Side::Client, Side::Server}) {
            CAPTURE(side);
            for (int k = 0; k < kStateCount; ++k) {
                CAPTURE(static_cast<State>(k));
                if (static_cast<State>(k) == State::Closed) continue;
                CHECK(seen[static_cast<std::size_t>(side)][k] == r->count(side, static_cast<State>(k)));
            }
        }
        CHECK(records == r->time_wait_sockets(Side::Client) + r->time_wait_sockets(Side::Server));
    }
    // Responses of 5000 bytes are in flight at some of these instants: the
    // server's Send-Q shows them, never more than one response.
    CHECK(any_send_q);
}
