// What one run recorded, in the same shape for the kernel and the engine, so
// that the comparison treats both alike. Times are microseconds since the
// start of the run (the scenario's time 0).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finwave/simulation.hpp"
#include "finwave/types.hpp"

namespace finwave::conformance {

struct WireSegment {
    std::int64_t t_us = 0;  // when it left the sender
    Side from = Side::Client;
    std::string flags;      // "FA": letters in the order S F R P A
    std::uint32_t seq = 0, ack = 0, len = 0;  // relative to each side's ISN
    bool dropped = false;
    std::uint64_t engine_id = 0;  // engine only: the segment's #id
};
std::string describe(const WireSegment& s);  // "C>S FA seq=101 ack=201 len=0"
// The segment an engine Send event put on the wire.
WireSegment wire_segment(const TraceEvent& send);

// A socket state as `ss` names it, RFC spelling, CLOSED for a socket that is
// gone. `prev_us` is the previous sample's time: the state began within
// (prev_us, t_us]. For the engine both are the exact time.
struct StateEntry {
    std::int64_t t_us = 0;
    std::int64_t prev_us = 0;
    Side side = Side::Client;
    std::string state;
    // The kernel's timer as sampled: name ("on", "timewait", ...) and its due time.
    std::string timer;
    std::optional<std::int64_t> fires_us;
    // How long the sample took (kernel_runner's `fires_err`): the kernel read
    // the time left somewhere in [fires_us - fires_err_us, fires_us] minus it.
    std::int64_t fires_err_us = 0;
    std::optional<std::int64_t> timer_left_us;  // the time left as ss shows it
};

struct AppRecord {
    std::int64_t t_us = 0;
    Side side = Side::Client;
    int line = 0;  // scenario line of the call
    std::string text;
};

struct KernelRecord {
    std::string kernel;  // uname -r, from the trace header
    std::vector<WireSegment> segments;
    std::vector<StateEntry> states;  // every sample line that differed from the one before
    std::vector<AppRecord> calls;
    std::int64_t end_us = 0;
    std::int64_t max_sample_gap_us = 0;
};

// Parses the trace run-kernel.sh writes (kernel_runner report). Returns an
// error message for a line it does not understand.
std::optional<std::string> parse_kernel_trace(const std::string& text, KernelRecord& out);

}  // namespace finwave::conformance
