#include "finwave/simulation.hpp"

#include <algorithm>

namespace finwave {

const char* to_string(EventKind k) {
    switch (k) {
        case EventKind::App: return "app";
        case EventKind::Send: return "send";
        case EventKind::Deliver: return "deliver";
        case EventKind::Drop: return "drop";
        case EventKind::Duplicate: return "dup";
        case EventKind::State: return "state";
        case EventKind::TimerSet: return "timer_set";
        case EventKind::TimerFire: return "timer_fire";
        case EventKind::TimerCancel: return "timer_cancel";
        case EventKind::Notify: return "notify";
        case EventKind::Note: return "note";
    }
    return "?";
}

namespace {

std::uint32_t isn_base(const Knobs& k, Side side, std::uint64_t seed) {
    const auto& fixed = side == Side::Client ? k.client_isn : k.server_isn;
    if (fixed) return *fixed;
    Rng r(seed ^ (side == Side::Client ? 0xC11E57ull : 0x5E4E4ull));
    return static_cast<std::uint32_t>(r.next() >> 32);
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, const Knobs& knobs, std::uint64_t seed)
    : Simulation(scenario, knobs, seed, Options{}) {}

Simulation::Simulation(const Scenario& scenario, const Knobs& knobs, std::uint64_t seed, Options options)
    : scenario_(scenario),
      knobs_(knobs),
      seed_(seed),
      options_(options),
      rng_(seed),
      ends_{Endpoint(Side::Client, knobs, isn_base(knobs, Side::Client, seed)),
            Endpoint(Side::Server, knobs, isn_base(knobs, Side::Server, seed))},
      triggers_(scenario.triggers),
      trigger_fired_(scenario.triggers.size(), false),
      fault_matches_(scenario.faults.size(), 0),
      expect_(scenario.expectations.size()) {
    for (const auto& c : scenario_.calls) calls_.push_back({Instant{} + c.at, next_order_++, c.side, c.call, c.line});
    for (std::size_t i = 0; i < scenario_.injections.size(); ++i) {
        const Injection& j = scenario_.injections[i];
        calls_.push_back({Instant{} + j.at, next_order_++, j.to, AppCall{}, j.line, static_cast<int>(i)});
    }
    // Calls and injections of one time keep the order of the file.
    std::stable_sort(calls_.begin(), calls_.end(), [](const PendingCall& a, const PendingCall& b) {
        if (a.at != b.at) return a.at < b.at;
        const int la = a.line > 0 ? a.line : 0, lb = b.line > 0 ? b.line : 0;
        return la < lb;
    });
    for (std::size_t i = 0; i < calls_.size(); ++i) calls_[i].order = i + 1;
    if (options_.record_trace) trace_.reserve(256);
    scratch_.reserve(32);
}

void Simulation::record(TraceEvent e) {
    if (options_.record_trace) trace_.push_back(e);
}

void Simulation::record_segment(EventKind kind, const Segment& seg, DropCause cause, int fault_line) {
    if (!options_.record_trace) return;
    TraceEvent e;
    e.t = now_;
    e.kind = kind;
    e.side = kind == EventKind::Deliver ? peer_of(seg.from) : seg.from;
    e.seg_id = seg.id;
    e.flags = seg.flags;
    const Endpoint& sender = endpoint(seg.from);
    const Endpoint& receiver = endpoint(peer_of(seg.from));
    // A reset answered for no connection carries sequence number zero: show it as is.
    const bool raw_seq = seg.has(flag::RST) && seg.seq == 0;
    e.seq = raw_seq ? 0 : seg.seq - sender.isn_for(seg.incarnation);
    e.ack = seg.has(flag::ACK) ? seg.ack - receiver.isn_for(seg.incarnation) : 0;
    e.wire_seq = seg.seq;
    e.wire_ack = seg.ack;
    e.len = seg.len;
    e.wnd = seg.wnd;
    e.injected = seg.injected_line > 0;
    e.script_line = seg.injected_line;
    e.incarnation = seg.incarnation;
    e.retransmission = seg.retransmission;
    e.sender_state = sender.state();
    e.drop_cause = cause;
    e.fault_line = fault_line;
    trace_.push_back(e);
}

bool Simulation::finished() const {
    if (hit_bound_) return true;
    const auto t = next_event_time();
    if (!t) return true;
    if (scenario_.until && *t > Instant{} + *scenario_.until) return true;
    return false;
}

std::optional<Instant> Simulation::next_event_time() const {
    std::optional<Instant> best;
    auto consider = [&](Instant t) {
        if (!best || t < *best) best = t;
    };
    for (const auto& c : calls_) consider(c.at);
    for (const auto& f : link_) consider(f.arrives);
    for (const auto& e : ends_)
        if (auto t = e.next_timeout()) consider(*t);
    return best;
}

bool Simulation::step() {
    if (hit_bound_) return false;
    if (events_ >= options_.max_events) {
        hit_bound_ = true;
        problems_.push_back("stopped after " + std::to_string(events_) + " events: the run did not settle");
        return false;
    }
    // Earliest event; ties go to application calls, then the link, then the
    // client's timers, then the server's, so every run is reproducible.
    enum class Source { Call, Link, ClientTimer, ServerTimer } src = Source::Call;
    std::optional<Instant> best;
    std::size_t best_index = 0;
    for (std::size_t i = 0; i < calls_.size(); ++i) {
        const auto& c = calls_[i];
        if (!best || c.at < *best || (c.at == *best && src == Source::Call && c.order < calls_[best_index].order)) {
            best = c.at;
            best_index = i;
            src = Source::Call;
        }
    }
    for (std::size_t i = 0; i < link_.size(); ++i) {
        const auto& f = link_[i];
        if (!best || f.arrives < *best || (f.arrives == *best && src == Source::Link && f.order < link_[best_index].order)) {
            best = f.arrives;
            best_index = i;
            src = Source::Link;
        }
    }
    if (auto t = ends_[0].next_timeout(); t && (!best || *t < *best)) {
        best = t;
        src = Source::ClientTimer;
    }
    if (auto t = ends_[1].next_timeout(); t && (!best || *t < *best)) {
        best = t;
        src = Source::ServerTimer;
    }
    if (!best) return false;
    if (scenario_.until && *best > Instant{} + *scenario_.until) return false;
    expect_decide_before(*best);
    if (*best - Instant{} > options_.max_time) {
        hit_bound_ = true;
        problems_.push_back("stopped at the time bound " + format_duration(options_.max_time));
        return false;
    }
    now_ = *best;
    ++events_;
    snapshot();
    switch (src) {
        case Source::Call: {
            const PendingCall c = calls_[best_index];
            calls_.erase(calls_.begin() + static_cast<long>(best_index));
            if (c.inject >= 0) do_inject(scenario_.injections[static_cast<std::size_t>(c.inject)]);
            else do_app_call(c.side, c.call, c.line);
            break;
        }
        case Source::Link: {
            const InFlight f = link_[best_index];
            link_.erase(link_.begin() + static_cast<long>(best_index));
            const Side to = peer_of(f.seg.from);
            record_segment(EventKind::Deliver, f.seg);
            scratch_.clear();
            ends_[static_cast<std::size_t>(to)].on_segment(f.seg, now_, scratch_);
            apply(to, scratch_);
            break;
        }
        case Source::ClientTimer:
        case Source::ServerTimer: {
            const Side s = src == Source::ClientTimer ? Side::Client : Side::Server;
            scratch_.clear();
            ends_[static_cast<std::size_t>(s)].on_timeout(now_, scratch_);
            apply(s, scratch_);
            break;
        }
    }
    return true;
}

void Simulation::run() {
    while (step()) {
    }
    finish_expectations();
}

void Simulation::run_until(Instant t) {
    while (true) {
        const auto next = next_event_time();
        if (!next || *next > t) break;
        if (!step()) break;
    }
    if (now_ < t && !hit_bound_) now_ = t;
}

void Simulation::do_app_call(Side side, const AppCall& call, int line) {
    TraceEvent e;
    e.t = now_;
    e.kind = EventKind::App;
    e.side = side;
    e.call = call;
    e.script_line = line;
    record(e);
    Endpoint& ep = ends_[static_cast<std::size_t>(side)];
    const std::uint32_t before = ep.write_seq();
    scratch_.clear();
    ep.on_app_call(call, now_, scratch_);
    if (call.kind == AppCallKind::Send) written_[static_cast<std::size_t>(side)] += ep.write_seq() - before;
    for (const auto& a : scratch_) {
        if (line > 0 && a.kind == Action::Kind::Notify && a.notice == Notice::Error) {
            std::string where = line > 0 ? scenario_.source + ":" + std::to_string(line) + ": " : "";
            script_errors_.push_back(where + to_string(side) + " " + describe(call) + " at " + format_duration(now_ - Instant{}) +
                                     " failed: " + errno_name(a.error) + " (" + to_string(a.error) + ")");
        }
    }
    apply(side, scratch_);
}

void Simulation::app_call(Side side, const AppCall& call) {
    snapshot();
    do_app_call(side, call, 0);
}

void Simulation::apply(Side side, Actions& actions) {
    // Firing a trigger or sending a segment never touches `actions`.
    for (const Action& a : actions) {
        switch (a.kind) {
            case Action::Kind::Send: transmit(side, a.seg); continue;
            case Action::Kind::StateChange:
                if (a.edge < 0)
                    problems_.push_back(std::string(to_string(side)) + " took an edge not in the transition table: " + to_string(a.from) +
                                        " --" + to_string(a.cause) + "--> " + to_string(a.to));
                break;
            case Action::Kind::Notify:
                expect_on_notify(side, a);
                if (a.notice == Notice::DataRead) delivered_[static_cast<std::size_t>(side)] += static_cast<std::uint64_t>(a.value);
                // Counted apart, never subtracted from what was read: the
                // corrupt bytes may be thrown away unread (a RST), and an
                // unsigned difference would then wrap around.
                if (a.notice == Notice::CorruptData) corrupt_[static_cast<std::size_t>(side)] += static_cast<std::uint64_t>(a.value);
                break;
            default: break;
        }
        if (options_.record_trace) record_action(side, a);
        fire_triggers(side, a);
    }
    check_invariants(side);
}

void Simulation::record_action(Side side, const Action& a) {
    TraceEvent e;
    e.t = now_;
    e.side = side;
    switch (a.kind) {
        case Action::Kind::Send: return;
        case Action::Kind::StateChange:
            if (a.from == a.to) return;  // a self-loop (TIME-WAIT restart) is told by its note
            e.kind = EventKind::State;
            e.from = a.from;
            e.to = a.to;
            e.cause = a.cause;
            e.edge = a.edge;
            break;
        case Action::Kind::TimerSet:
            e.kind = EventKind::TimerSet;
            e.timer = a.timer;
            e.deadline = a.deadline;
            break;
        case Action::Kind::TimerFire:
            e.kind = EventKind::TimerFire;
            e.timer = a.timer;
            break;
        case Action::Kind::TimerCancel:
            e.kind = EventKind::TimerCancel;
            e.timer = a.timer;
            break;
        case Action::Kind::Notify:
            e.kind = EventKind::Notify;
            e.notice = a.notice;
            e.error = a.error;
            e.value = a.value;
            break;
        case Action::Kind::Note:
            e.kind = EventKind::Note;
            e.note = a.note;
            e.value = a.value;
            break;
    }
    trace_.push_back(e);
}

void Simulation::fire_triggers(Side side, const Action& a) {
    if (a.kind != Action::Kind::StateChange && a.kind != Action::Kind::Notify) return;
    for (std::size_t i = 0; i < triggers_.size(); ++i) {
        if (trigger_fired_[i]) continue;
        const Trigger& t = triggers_[i];
        if (t.watch != side) continue;
        bool hit = false;
        if (a.kind == Action::Kind::StateChange && t.state && *t.state == a.to && a.from != a.to) hit = true;
        if (a.kind == Action::Kind::Notify && t.on_eof && a.notice == Notice::Eof) hit = true;
        if (a.kind == Action::Kind::Notify && t.on_reset && a.notice == Notice::Reset) hit = true;
        if (!hit) continue;
        trigger_fired_[i] = true;
        calls_.push_back({now_ + t.delay, next_order_++, t.actor, t.call, t.line});
    }
}

void Simulation::transmit(Side side, Segment seg) {
    seg.id = next_seg_id_++;
    seg.from = side;
    record_segment(EventKind::Send, seg);
    expect_on_send(side, seg);
    const State sender_state = endpoint(side).state();
    Duration delay = knobs_.latency;
    // Every 'duplicate' line that matches makes its own copy.
    std::vector<Duration> copies;  // allocates only when a copy is made
    for (std::size_t i = 0; i < scenario_.faults.size(); ++i) {
        const Fault& f = scenario_.faults[i];
        if (!f.pattern.matches(seg, sender_state)) continue;
        const std::uint32_t n = ++fault_matches_[i];
        if (n < f.first || (f.last != 0 && n > f.last)) continue;
        switch (f.action) {
            case FaultAction::Drop: record_segment(EventKind::Drop, seg, DropCause::Fault, f.line); return;
            case FaultAction::Delay: delay += f.extra; break;
            case FaultAction::Duplicate:
                copies.push_back(f.extra);
                break;
        }
    }
    const bool lossy = scenario_.loss > 0 && (!scenario_.loss_until || now_ - Instant{} < *scenario_.loss_until);
    if (lossy && rng_.chance(scenario_.loss)) {
        record_segment(EventKind::Drop, seg, DropCause::RandomLoss);
        return;
    }
    link_.push_back({now_, now_ + delay, seg, next_order_++});
    for (const Duration& extra : copies) {
        record_segment(EventKind::Duplicate, seg);
        link_.push_back({now_, now_ + delay + extra, seg, next_order_++});
    }
}

InFlight* Simulation::find_in_flight(std::uint64_t seg_id) {
    auto it = std::find_if(link_.begin(), link_.end(), [&](const InFlight& f) { return f.seg.id == seg_id; });
    return it == link_.end() ? nullptr : &*it;
}

bool Simulation::drop_in_flight(std::uint64_t seg_id) {
    InFlight* f = find_in_flight(seg_id);
    if (!f) return false;
    const Segment seg = f->seg;
    link_.erase(link_.begin() + (f - link_.data()));
    record_segment(EventKind::Drop, seg, DropCause::Learner);
    return true;
}

bool Simulation::duplicate_in_flight(std::uint64_t seg_id, Duration extra) {
    const InFlight* f = find_in_flight(seg_id);
    if (!f) return false;
    InFlight copy = *f;
    copy.arrives = f->arrives + extra;
    copy.order = next_order_++;
    record_segment(EventKind::Duplicate, copy.seg);
    link_.push_back(copy);  // after the last use of f, which this may move
    return true;
}

bool Simulation::delay_in_flight(std::uint64_t seg_id, Duration extra) {
    InFlight* f = find_in_flight(seg_id);
    if (!f) return false;
    f->arrives = f->arrives + extra;
    return true;
}

void Simulation::add_fault(const Fault& f) {
    scenario_.faults.push_back(f);
    fault_matches_.push_back(0);
}

void Simulation::check_invariants(Side side) {
    const Endpoint& ep = endpoint(side);
    const char* who = to_string(side);
    auto fail = [&](const std::string& what) {
        problems_.push_back(format_instant(now_) + " " + who + " in " + to_string(ep.state()) + ": " + what);
    };
    if (const char* broken = ep.invariant_violation()) fail(broken);
    if (ep.state() != State::Closed && ep.state() != State::Listen && ep.state() != State::SynSent) {
        // RCV.NXT only grows within one connection (numbers wrap modulo 2^32).
        auto& [inc, last] = last_rcv_[static_cast<std::size_t>(side)];
        if (inc == ep.incarnation() && seq_lt(ep.rcv_nxt(), last)) fail("RCV.NXT moved backwards");
        inc = ep.incarnation();
        last = ep.rcv_nxt();
    }
    const std::size_t i = static_cast<std::size_t>(side);
    // An old duplicate's bytes stand in for bytes at the same sequence
    // numbers, which the peer may not have written (yet) on this connection.
    if (delivered_[i] > written_[1 - i] + corrupt_[i])
        fail("delivered " + std::to_string(delivered_[i]) + " bytes but the peer wrote only " + std::to_string(written_[1 - i]) +
             (corrupt_[i] > 0 ? " (and " + std::to_string(corrupt_[i]) + " came from an earlier connection)" : std::string()));
}

}  // namespace finwave
