// Two endpoints joined by a link, driven by a discrete-event loop on a
// virtual clock. A run is fully determined by its scenario, knobs and seed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "finwave/endpoint.hpp"
#include "finwave/rng.hpp"
#include "finwave/scenario.hpp"

namespace finwave {

enum class EventKind : std::uint8_t {
    App,          // the application called something
    Send,         // a segment left an endpoint
    Deliver,      // a segment reached the other endpoint
    Drop,         // a segment died on the link
    Duplicate,    // the link made a copy of a segment
    State,        // a change of state
    TimerSet,
    TimerFire,
    TimerCancel,
    Notify,       // the kernel told the application something
    Note,         // why something happened
};
const char* to_string(EventKind k);

enum class DropCause : std::uint8_t { None, Fault, RandomLoss, Learner };

struct TraceEvent {
    Instant t{};
    EventKind kind = EventKind::Note;
    Side side = Side::Client;
    // Segments (Send, Deliver, Drop, Duplicate): numbers relative to each
    // side's ISN, as a capture tool shows them.
    std::uint64_t seg_id = 0;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0, ack = 0, len = 0;
    // The same two numbers as on the wire (absolute), for a capture of the run.
    std::uint32_t wire_seq = 0, wire_ack = 0;
    std::uint32_t incarnation = 0;
    bool retransmission = false;
    State sender_state = State::Closed;  // the sender's state once it sent the segment (patterns' "in STATE")
    DropCause drop_cause = DropCause::None;
    int fault_line = 0;
    // State
    State from = State::Closed, to = State::Closed;
    Cause cause = Cause::AppClose;
    int edge = -1;
    // Timers
    TimerKind timer = TimerKind::Retransmit;
    Instant deadline{};
    // App, Notify, Note
    AppCall call{};
    Notice notice = Notice::Connected;
    AppError error = AppError::None;
    Note note = Note::OutOfWindow;
    std::int64_t value = 0;
    int script_line = 0;  // the scenario line of an App event or an injected segment, 0 for interactive
    std::uint32_t wnd = 0;  // segments: the advertised window
    bool injected = false;  // segments: made by hand by an 'inject' line, not sent by the endpoint
};

struct InFlight {
    Instant sent{};
    Instant arrives{};
    Segment seg;
    std::uint64_t order = 0;
};

class Simulation {
public:
    struct Options {
        bool record_trace = true;
        std::size_t max_events = 2'000'000;           // a bound for every run
        Duration max_time = Duration::seconds(7200 * 4);
    };

    Simulation(const Scenario& scenario, const Knobs& knobs, std::uint64_t seed);
    Simulation(const Scenario& scenario, const Knobs& knobs, std::uint64_t seed, Options options);

    // Processes the earliest pending event. False once the run is over.
    bool step();
    // Runs until nothing is pending, `until` is reached, or a bound is hit.
    void run();
    // Steps until virtual time passes `t` (events at exactly `t` included).
    void run_until(Instant t);
    bool finished() const;
    std::optional<Instant> next_event_time() const;

    Instant now() const { return now_; }
    const std::vector<TraceEvent>& trace() const { return trace_; }
    const Endpoint& endpoint(Side s) const { return ends_[static_cast<std::size_t>(s)]; }
    const Knobs& knobs() const { return knobs_; }
    const Scenario& scenario() const { return scenario_; }
    std::uint64_t seed() const { return seed_; }
    const std::vector<InFlight>& in_flight() const { return link_; }
    std::size_t events_processed() const { return events_; }
    // Invariant violations found while running; empty for a correct engine.
    const std::vector<std::string>& problems() const { return problems_; }
    // Application calls from the script that failed (e.g. send after close).
    const std::vector<std::string>& script_errors() const { return script_errors_; }
    // Bytes each side's application wrote and the peer's application read.
    std::uint64_t bytes_written(Side s) const { return written_[static_cast<std::size_t>(s)]; }
    std::uint64_t bytes_delivered(Side s) const { return delivered_[static_cast<std::size_t>(s)]; }
    // Bytes of an earlier connection a side accepted as its peer's data
    // (read since, or still unread, or thrown away unread by a reset).
    std::uint64_t bytes_corrupt(Side s) const { return corrupt_[static_cast<std::size_t>(s)]; }
    bool hit_bound() const { return hit_bound_; }
    // The scenario's 'expect' lines: "file:line: expect ...: instead ..." for
    // each that failed. Complete once the run is over (run() or finish_expectations()).
    const std::vector<std::string>& expectation_failures() const { return expect_failures_; }
    std::size_t expectations_passed() const;
    std::size_t expectations_total() const { return expect_.size(); }
    // Decides every expectation still open, as if nothing else were to happen.
    void finish_expectations();

    // Interactive control (the app, tests): happens at the current time.
    void app_call(Side side, const AppCall& call);
    bool drop_in_flight(std::uint64_t seg_id);
    bool duplicate_in_flight(std::uint64_t seg_id, Duration extra);
    bool delay_in_flight(std::uint64_t seg_id, Duration extra);
    void add_fault(const Fault& f);

private:
    struct PendingCall {
        Instant at;
        std::uint64_t order;
        Side side;
        AppCall call;
        int line;
        int inject = -1;  // an index into the scenario's injections instead of a call
    };
    struct ExpectStatus {
        bool done = false;
        bool passed = false;
        std::string seen;  // what happened instead, for the message
    };

    void do_app_call(Side side, const AppCall& call, int line);
    void apply(Side side, Actions& actions);
    void record_action(Side side, const Action& a);
    void transmit(Side side, Segment seg);
    void record(TraceEvent e);
    void record_segment(EventKind kind, const Segment& seg, DropCause cause = DropCause::None, int fault_line = 0);
    // The segment on the wire with this id, or null.
    InFlight* find_in_flight(std::uint64_t seg_id);
    void fire_triggers(Side side, const Action& a);
    void check_invariants(Side side);
    void do_inject(const Injection& inj);
    void snapshot();
    void expect_on_send(Side side, const Segment& seg);
    void expect_on_notify(Side side, const Action& a);
    void expect_decide_before(Instant next);
    void expect_finish(std::size_t i, bool passed);

    Scenario scenario_;
    Knobs knobs_;
    std::uint64_t seed_;
    Options options_;
    Rng rng_;
    std::array<Endpoint, 2> ends_;
    Instant now_{};
    std::vector<PendingCall> calls_;
    std::vector<InFlight> link_;
    std::vector<Trigger> triggers_;
    std::vector<bool> trigger_fired_;
    std::vector<std::uint32_t> fault_matches_;
    std::vector<TraceEvent> trace_;
    std::vector<std::string> problems_;
    std::vector<std::string> script_errors_;
    Actions scratch_;
    std::uint64_t next_seg_id_ = 1;
    std::uint64_t next_order_ = 1;
    std::size_t events_ = 0;
    bool hit_bound_ = false;
    std::array<std::uint64_t, 2> written_{};
    std::array<std::uint64_t, 2> delivered_{};
    std::array<std::uint64_t, 2> corrupt_{};
    std::array<std::pair<std::uint32_t, std::uint32_t>, 2> last_rcv_{};  // (incarnation, RCV.NXT)
    std::vector<ExpectStatus> expect_;
    std::vector<std::string> expect_failures_;
    std::array<TcbView, 2> pre_{};  // both TCBs before the event being processed: what expressions read
};

}  // namespace finwave
