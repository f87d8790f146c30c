#include "live_run.hpp"

#include <algorithm>

namespace finwave::web {

namespace {
// The same bound as finwave::play, so that a replay stops where the lesson's did.
constexpr int kPlayGuard = 1000000;
}  // namespace

LiveRun::LiveRun(Simulation origin) : origin_(origin), sim_(std::move(origin)) {}

std::size_t LiveRun::trace_size_at(std::size_t position) const {
    if (position == 0) return origin_.trace().size();
    return trace_end_[std::min(position, trace_end_.size()) - 1];
}

bool LiveRun::execute(const RunAction& a) {
    switch (a.kind) {
        case RunAction::Kind::Event: return sim_.step();
        case RunAction::Kind::Clock: sim_.run_until(a.clock); return true;
        case RunAction::Kind::Command: {
            const SimCommand& c = a.command;
            switch (c.kind) {
                case SimCommand::Kind::Call: sim_.app_call(c.side, c.call); return true;
                case SimCommand::Kind::Drop: return sim_.drop_in_flight(c.seg_id);
                case SimCommand::Kind::Duplicate: return sim_.duplicate_in_flight(c.seg_id, c.extra);
                case SimCommand::Kind::Delay: return sim_.delay_in_flight(c.seg_id, c.extra);
                case SimCommand::Kind::DropNext: {
                    Fault f;
                    f.action = FaultAction::Drop;
                    f.pattern.from = c.side;
                    f.first = 1;  // counted from when the fault is added: the next one
                    f.last = 1;
                    sim_.add_fault(f);
                    return true;
                }
            }
        }
    }
    return false;
}

void LiveRun::record(const RunAction& a) {
    actions_.push_back(a);
    trace_end_.push_back(sim_.trace().size());
}

bool LiveRun::step() {
    RunAction a;
    a.kind = RunAction::Kind::Event;
    if (!execute(a)) return false;
    record(a);
    return true;
}

void LiveRun::advance_to(Instant t) {
    while (true) {
        const auto next = sim_.next_event_time();
        if (!next || *next > t) break;
        if (!step()) break;
    }
    if (sim_.now() < t && !sim_.hit_bound()) {
        RunAction a;
        a.kind = RunAction::Kind::Clock;
        a.clock = t;
        execute(a);
        record(a);
    }
}

bool LiveRun::apply(const SimCommand& c) {
    RunAction a;
    a.kind = RunAction::Kind::Command;
    a.command = c;
    if (!execute(a)) return false;
    record(a);
    return true;
}

void LiveRun::play(const PlayDirective& d) {
    using K = PlayDirective::Kind;
    switch (d.kind) {
        case K::UntilEnd:
            while (step()) {
            }
            return;
        case K::UntilTime: advance_to(Instant{} + d.time); return;
        case K::UntilState:
            if (sim_.endpoint(d.side).state() == d.state) return;
            break;
        case K::UntilEof:
            if (sim_.endpoint(d.side).view().eof_seen) return;
            break;
    }
    for (int guard = 0; guard < kPlayGuard; ++guard) {
        const std::size_t before = sim_.trace().size();
        if (!step()) return;
        const auto& trace = sim_.trace();
        for (std::size_t k = before; k < trace.size(); ++k) {
            const TraceEvent& e = trace[k];
            if (e.side != d.side) continue;
            if (d.kind == K::UntilState && e.kind == EventKind::State && e.to == d.state) return;
            if (d.kind == K::UntilEof && e.kind == EventKind::Notify && e.notice == Notice::Eof) return;
        }
    }
}

void LiveRun::rewind_to(std::size_t position) {
    position = std::min(position, actions_.size());
    std::vector<RunAction> replay(actions_.begin(), actions_.begin() + static_cast<long>(position));
    actions_.clear();
    trace_end_.clear();
    sim_ = origin_;
    for (const RunAction& a : replay) {
        execute(a);
        record(a);
    }
}

std::size_t LiveRun::position_after_event(std::size_t index) const {
    if (index < origin_.trace().size()) return 0;
    // trace_end_ only grows: the first action whose end lies past `index`.
    const auto it = std::upper_bound(trace_end_.begin(), trace_end_.end(), index);
    if (it == trace_end_.end()) return actions_.size();
    return static_cast<std::size_t>(it - trace_end_.begin()) + 1;
}

std::size_t LiveRun::position_back(std::size_t n) const {
    std::size_t p = actions_.size();
    while (p > 0 && n > 0) {
        --p;
        if (actions_[p].kind != RunAction::Kind::Clock) --n;
    }
    // Land before any clock moves too, so that a step back shows the event itself.
    return p;
}

}  // namespace finwave::web
