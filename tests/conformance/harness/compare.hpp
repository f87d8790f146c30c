// The comparison of one scenario: the engine's run against the kernel's.
//
// 1. Segments: each direction's segments in order with equal flags,
//    relative seq/ack, length and fate (dropped or not) - except PSH on a
//    full-sized segment inside one write, which marks the kernel's GSO
//    chunks (see compare.cpp); across directions
//    the order must agree too, except for two segments sent less than one
//    one-way delay apart from opposite ends (neither can have caused the
//    other, so their order is not part of the protocol).
// 2. States: each side's sequence. The kernel's samples (every ~1 ms) may
//    miss a state shorter than the gap between two samples, never show one
//    the engine does not have.
// 3. Timings: every segment and every timer-driven state change is timed
//    from the event that caused it in the engine's run (an application
//    call, a segment's arrival, the arming of a timer), the same interval is
//    measured on the kernel, and the two must agree within the tolerance of
//    that kind of cause (see Tolerances). The TIME-WAIT and FIN-WAIT-2
//    timers are also compared as `ss` shows them when (re)armed: samples
//    whose due times agree within their own sampling uncertainty are one
//    arming (compare_timings.cpp), so a sampler held up on a busy machine
//    does not count as a re-arm.
// 4. The applications: end of file and errors (ECONNRESET, EPIPE, ...) in
//    order, and the number of bytes each read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "finwave/simulation.hpp"
#include "records.hpp"

namespace finwave::conformance {

// The kernel's timing differs from the engine's exact numbers by amounts the
// engine does not model: process wake-ups, the relay, and the timer wheel
// (docs/linux-measurements.md, section l).
struct Tolerances {
    Duration tick = Duration::millis(4);  // one jiffy at HZ=250
    // A reaction with no timer in between (an ACK sent at once, a FIN at
    // close()): the kernel may be this much later (scheduling, the relay) ...
    Duration immediate_late = Duration::millis(5);
    // ... or earlier (time stamps of the call and of the capture).
    Duration immediate_early = Duration::millis(1);
    // Timers fire on a tick, late by up to the timer wheel's granularity for
    // their length plus two ticks; never early, but the jiffy the kernel
    // counted from may have been up to one tick old.
    Duration timer_slack = Duration::millis(3);
    // The kernel rounds the RTO up to whole jiffies before backing it off;
    // with the relay's few microseconds the 220 ms of a 20 ms RTT become
    // 224 ms: one tick per 200 ms of timeout.
    Duration rto_unit = Duration::millis(200);
    // The TIME-WAIT/FIN-WAIT-2 due time as `ss` shows it, measured from the
    // kernel segment that armed it: each reading carries its own uncertainty
    // (the sample's duration, a tick; see kernel_due_times), this is what is
    // left: the capture's time stamp against the jiffy the kernel armed at.
    Duration ss_timer = Duration::millis(2);
};

// Timer wheel granularity for a timeout of the given length (kernel/time/
// timer.c with HZ=250: 1 jiffy below 63 jiffies, then x8 per level).
Duration wheel_granularity(Duration timeout, Duration tick);

struct TimingCheck {
    std::string name;           // "client FIN retransmission (tail loss probe)"
    std::int64_t expected_us = 0;  // the engine's interval
    std::int64_t kernel_lo_us = 0;  // the kernel's interval; a range when
    std::int64_t kernel_hi_us = 0;  // the kernel event was sampled
    std::int64_t early_us = 0, late_us = 0;  // allowed deviation
    bool ok = false;
    std::string describe() const;
};

struct Comparison {
    std::vector<std::string> differences;  // empty: the kernel agrees
    std::vector<std::string> notes;        // what was left out and why
    int segments = 0;
    std::vector<std::string> states[2];    // the engine's sequence per side (compared)
    std::string app_outcomes[2];           // what each application was told (compared)
    std::vector<TimingCheck> timings;
    bool passed() const { return differences.empty(); }
};

struct CompareInput {
    const Simulation* engine = nullptr;
    const KernelRecord* kernel = nullptr;
    std::int64_t cut_us = 0;        // both runs are compared up to here
    Duration latency = Duration::millis(10);
    std::uint32_t mss = 1460;
    Tolerances tol;
};

Comparison compare(const CompareInput& in);

// Where a run stops being interesting: the last event before the first
// TIME-WAIT expiry (the 60 s that are not waited out on the kernel).
std::int64_t engine_quiet_point(const Simulation& sim);

}  // namespace finwave::conformance
