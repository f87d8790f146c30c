// A simulation that can be rewound. Everything that moves it is recorded as
// an action (one event, a move of the clock, or a learner's command) in
// order; going back to an earlier point rebuilds the simulation from its
// origin and replays the actions before that point. The engine is
// deterministic, so the replay reproduces the same trace.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "finwave/lesson.hpp"
#include "finwave/simulation.hpp"

namespace finwave::web {

// Something the learner does to the running simulation.
struct SimCommand {
    enum class Kind : std::uint8_t { Call, Drop, Duplicate, Delay, DropNext };
    Kind kind = Kind::Call;
    Side side = Side::Client;  // Call, DropNext
    AppCall call{};            // Call
    std::uint64_t seg_id = 0;  // Drop, Duplicate, Delay
    Duration extra{};          // Duplicate, Delay
};

struct RunAction {
    enum class Kind : std::uint8_t { Event, Clock, Command };
    Kind kind = Kind::Event;
    Instant clock{};     // Clock: the time the clock moved to
    SimCommand command;  // Command
};

class LiveRun {
public:
    explicit LiveRun(Simulation origin);

    const Simulation& sim() const { return sim_; }
    const std::vector<RunAction>& actions() const { return actions_; }
    // How many actions have been applied: a point that rewind_to() returns to.
    std::size_t position() const { return actions_.size(); }
    // The trace's length once `position` actions had been applied.
    std::size_t trace_size_at(std::size_t position) const;

    // One event of the simulation; false when nothing is left to happen.
    bool step();
    // Every event up to and including `t`, then the clock to `t`.
    void advance_to(Instant t);
    // The learner's command at the current time; false if it did nothing
    // (e.g. the segment has already arrived). Failed commands are not recorded.
    bool apply(const SimCommand& c);
    // The lesson's play directive, recorded as events (mirrors finwave::play).
    void play(const PlayDirective& d);

    // Back to an earlier position: the actions after it are forgotten.
    void rewind_to(std::size_t position);
    // The position just after the action that recorded trace event `index`.
    std::size_t position_after_event(std::size_t index) const;
    // The position `n` event or command actions back from the end.
    std::size_t position_back(std::size_t n) const;

private:
    bool execute(const RunAction& a);
    void record(const RunAction& a);

    Simulation origin_;
    Simulation sim_;
    std::vector<RunAction> actions_;
    std::vector<std::size_t> trace_end_;  // per action: trace size after it
};

}  // namespace finwave::web
