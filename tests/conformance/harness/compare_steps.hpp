// The steps of compare() (compare.hpp), one function per kind of check, and
// what they share: the engine's trace cut at the comparison point, the
// kernel's segments, and which kernel segment and state each engine one was
// matched with. Internal to the harness.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compare.hpp"

namespace finwave::conformance::detail {

inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string ms(std::int64_t us);
const char* side_name(Side s);
int side_index(Side s);
// What a segment is, in a learner's words: "FIN", "ACK", "data", "RST".
std::string segment_kind(const std::string& flags, std::uint32_t len);
const char* timer_purpose(TimerKind k);

// An engine state as the comparison sees it (consecutive repeats removed).
struct EngineState {
    std::int64_t t;
    std::string name;
    std::size_t trace_idx;
};

struct Run {
    const CompareInput& in;
    const std::vector<TraceEvent>& trace;
    const KernelRecord& k;
    const Tolerances& tol;
    std::int64_t cut;
    // Per trace index: the event that opened its step (an application call,
    // a segment's arrival, a timer's expiry), or kNone.
    std::vector<std::size_t> openers;

    // Step 1: segments.
    std::vector<WireSegment> engine;            // in send order
    std::vector<std::size_t> engine_trace_idx;  // index of each in the trace
    std::vector<WireSegment> kseg;              // the kernel's, up to the cut
    std::vector<std::size_t> kernel_of;         // kernel index per engine segment, or kNone
    std::map<std::uint64_t, std::size_t> by_id;  // engine segment id -> engine index

    // Step 2: states, per side (0 client, 1 server).
    std::vector<EngineState> es[2];
    std::vector<StateEntry> ks[2];
    std::vector<std::size_t> kstate_of[2];  // kernel state index per engine state, or kNone

    explicit Run(const CompareInput& input);
};

// 1. Segments: per direction in order, then the order across directions.
void match_segments(Run& r, Comparison& out);
void check_cross_order(const Run& r, Comparison& out);
// 2. States: each side's sequence.
void match_states(Run& r, Comparison& out);
// 3. Timings (compare_timings.cpp).
void check_calls_happened(const Run& r, Comparison& out);
void time_segments(const Run& r, Comparison& out);
void time_state_changes(const Run& r, Comparison& out);
void check_ss_timers(const Run& r, Comparison& out);
// 4. What the applications were told.
void check_applications(const Run& r, Comparison& out);

// Timing anchors shared by the timing steps.
std::optional<std::int64_t> kernel_call(const Run& r, Side side, int line);
std::optional<std::int64_t> kernel_segment_time(const Run& r, std::uint64_t engine_id);
// When the step that opened at trace[o] happened on the kernel.
std::optional<std::int64_t> step_anchor(const Run& r, std::size_t o, Side side);

// The kernel's readings of one TIME-WAIT/FIN-WAIT-2 due time, narrowed to
// what every reading allows (see compare_timings.cpp).
struct DueTime {
    std::string state;
    std::int64_t lo, hi;
};
std::vector<DueTime> kernel_due_times(const Run& r, Side side);

}  // namespace finwave::conformance::detail
