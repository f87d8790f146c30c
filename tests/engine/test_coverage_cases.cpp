// Runs for the segment/state pairs no built-in scenario reaches. Most are
// short scenarios; the rest drive a single Endpoint with hand-made segments
// (as smoltcp's tests do), where a two-sided run cannot get there: a
// simultaneous open, and the TIME-WAIT self-loop (which a trace tells only by
// its note).
#include <memory>

#include "test_coverage.hpp"

namespace finwave::test {

namespace {

// One endpoint alone; the test plays its peer. Every call's actions are
// recorded for the coverage and kept in `last`.
struct Lone {
    Coverage& cov;
    std::string name;
    Endpoint ep;
    Instant now{};
    Actions last;
    std::uint32_t peer_isn = 5000;

    Lone(Coverage& c, std::string n, Side side = Side::Client)
        : cov(c), name(std::move(n)), ep(side, defaults_for(Profile::Linux), 1000) {}

    void call(AppCallKind k) {
        last.clear();
        const std::string before = to_string(ep.state());
        ep.on_app_call(AppCall{k}, now, last);
        cov.add(last, ep.timer(TimerKind::DelayedAck).has_value(), name + ": " + describe(AppCall{k}) + " in " + before);
    }
    // A segment from the peer: seq and ack relative to the ISNs (+1 past the SYN).
    void recv(std::uint8_t flags, std::uint32_t rel_seq, std::uint32_t rel_ack, std::uint32_t len = 0) {
        Segment s;
        s.from = peer_of(ep.side());
        s.flags = flags;
        s.seq = peer_isn + rel_seq;
        s.ack = (flags & flag::ACK) ? ep.view().iss + rel_ack : 0;
        s.len = len;
        s.wnd = 65535;
        s.incarnation = 1;
        last.clear();
        const std::string before = to_string(ep.state());
        ep.on_segment(s, now, last);
        cov.add(last, ep.timer(TimerKind::DelayedAck).has_value(), name + ": " + flag_letters(flags) + " in " + before);
    }
    void wait(Duration d) { now = now + d; }
};

void scenario(Coverage& c, const std::string& name, const std::string& body, Profile p = Profile::Linux) {
    const Simulation sim = run_text("scenario " + name + "\n" + body, p);
    CHECK_MESSAGE(sim.problems().empty(), name << ": " << (sim.problems().empty() ? "" : sim.problems().front()));
    c.add(sim, name);
}

}  // namespace

void odd_pairs(Coverage& c) {
    const std::string open = "at 0 server listen\nat 0 client connect\n";
    // Opening.
    scenario(c, "listener-closed", "at 0 server listen\nat 1s server close\n");
    scenario(c, "connect-refused", "at 0 client connect\n");
    scenario(c, "listener-closed-over-syn-received", "at 0 server listen\ndelay client ack #1 +500ms\nat 0 client connect\nat 100ms server close\n");
    scenario(c, "connect-closed-while-syn-sent", "drop client SYN #1-9\n" + open + "at 500ms client close\n");
    scenario(c, "connect-aborted-while-syn-sent", "drop client SYN #1-9\n" + open + "at 500ms client abort\n");
    scenario(c, "connect-gives-up", "drop client SYN #1-99\n" + open + "until 1000s\n");
    scenario(c, "handshake-ack-lost-then-reset", "drop client ack #1\n" + open + "at 15ms client abort\n");
    scenario(c, "handshake-never-acked", "drop client ack #1-99\n" + open + "until 1000s\n");
    // Established and the close, with resets and give-ups.
    scenario(c, "established-gives-up", open + "at 100ms client send 100\ndrop client data #1-99\nuntil 2000s\n");
    scenario(c, "reset-in-fin-wait-1", open + "at 200ms client close\nat 205ms server abort\n");
    scenario(c, "data-in-fin-wait-1", open + "at 200ms client close\nat 205ms server send 100\nat 1s server close\n");
    scenario(c, "unread-close-in-fin-wait-1",
             open + "at 0 client autoread off\nat 195ms server send 100\nat 200ms client shutdown\nat 210ms client close\n");
    scenario(c, "abort-in-fin-wait-1", open + "at 200ms client shutdown\nat 205ms client abort\n");
    scenario(c, "reset-in-fin-wait-2", open + "at 200ms client close\nat 500ms server abort\n");
    scenario(c, "unread-close-in-fin-wait-2",
             open + "at 0 client autoread off\nat 200ms client shutdown\nat 400ms server send 100\nat 600ms client close\n");
    scenario(c, "abort-in-fin-wait-2", open + "at 200ms client shutdown\nat 500ms client abort\n");
    scenario(c, "reset-in-closing",
             open + "drop server ack in CLOSING #1-9\nat 200ms client close\nat 200ms server close\nat 300ms server crash\n");
    scenario(c, "closing-gives-up", open + "drop server ack #1-99\nat 200ms client close\nat 200ms server close\nuntil 1000s\n");
    scenario(c, "keepalive-in-established",
             "set keepalive=on keepalive_time=10s keepalive_intvl=2s keepalive_probes=3\n" + open + "drop client ack #2+\nuntil 100s\n");
    scenario(c, "too-many-orphans-in-closing",
             "set max_orphans=0 host_orphans=1\n" + open +
             "drop server ack in CLOSING #1-9\nat 200ms client shutdown\nat 200ms server shutdown\nat 230ms client close\n");
    // Passive close.
    scenario(c, "too-many-orphans-in-last-ack",
             "set max_orphans=0 host_orphans=1\n" + open + "at 200ms client shutdown\non server eof server close\n");
    scenario(c, "shutdown-in-close-wait", open + "at 200ms client close\non server eof server shutdown\n");
    scenario(c, "unread-close-in-close-wait",
             open + "at 0 server autoread off\nat 100ms client send 100\nat 200ms client close\nat 500ms server close\n");
    scenario(c, "abort-in-close-wait", open + "at 200ms client close\non server eof server abort\n");
    scenario(c, "close-wait-gives-up",
             open + "at 200ms client close\non server eof server send 100\ndrop server data #1-99\nuntil 2000s\n");
    scenario(c, "last-ack-gives-up", open + "at 200ms client close\non server eof server close\ndrop server FIN #1-99\nuntil 1000s\n");

    // Simultaneous open: the client's SYN crosses the peer's SYN.
    auto simultaneous_open = [&](const std::string& name) {
        auto l = std::make_unique<Lone>(c, name);
        l->call(AppCallKind::Connect);
        l->recv(flag::SYN, 0, 0);
        CHECK(l->ep.state() == State::SynReceived);
        return l;
    };
    {
        auto l = simultaneous_open("simultaneous-open-established");
        l->recv(flag::ACK, 1, 1);
        CHECK(l->ep.state() == State::Established);
    }
    {
        auto l = simultaneous_open("close-in-syn-received");
        l->call(AppCallKind::Close);
        CHECK(l->ep.state() == State::FinWait1);
    }
    {
        auto l = simultaneous_open("shutdown-in-syn-received");
        l->call(AppCallKind::Shutdown);
        CHECK(l->ep.state() == State::FinWait1);
    }
    {
        auto l = simultaneous_open("abort-in-syn-received");
        l->call(AppCallKind::Abort);
        CHECK(l->ep.state() == State::Closed);
    }
    {
        auto l = simultaneous_open("reset-in-syn-received-active");
        l->recv(flag::RST, 1, 0);
        CHECK(l->ep.state() == State::Closed);
    }
    // TIME-WAIT: a retransmitted FIN is ACKed again and restarts the timer.
    {
        Lone l(c, "fin-again-in-time-wait");
        l.call(AppCallKind::Connect);
        l.recv(flag::SYN | flag::ACK, 0, 1);
        l.call(AppCallKind::Close);
        l.recv(flag::ACK, 1, 2);
        l.recv(flag::FIN | flag::ACK, 1, 2);
        REQUIRE(l.ep.state() == State::TimeWait);
        l.wait(Duration::millis(300));
        l.recv(flag::FIN | flag::ACK, 1, 2);
        CHECK(l.ep.state() == State::TimeWait);
    }
}

}  // namespace finwave::test
