#include "compare.hpp"

#include <cstdio>

#include "compare_steps.hpp"

namespace finwave::conformance {

namespace detail {

std::string ms(std::int64_t us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us) / 1000.0);
    return buf;
}

const char* side_name(Side s) { return s == Side::Client ? "client" : "server"; }
int side_index(Side s) { return s == Side::Client ? 0 : 1; }

std::string segment_kind(const std::string& flags, std::uint32_t len) {
    if (flags.find('S') != std::string::npos) return flags.find('A') != std::string::npos ? "SYN+ACK" : "SYN";
    if (flags.find('R') != std::string::npos) return "RST";
    if (flags.find('F') != std::string::npos) return len > 0 ? "data+FIN" : "FIN";
    return len > 0 ? "data" : "ACK";
}

const char* timer_purpose(TimerKind k) {
    switch (k) {
        case TimerKind::Retransmit: return "retransmission timeout";
        case TimerKind::LossProbe: return "tail loss probe";
        case TimerKind::DelayedAck: return "delayed ACK";
        case TimerKind::FinWait2: return "FIN-WAIT-2 timeout";
        case TimerKind::TimeWait: return "TIME-WAIT timeout";
        case TimerKind::Keepalive: return "keepalive";
        case TimerKind::kCount: break;
    }
    return "timer";
}

namespace {

bool opens_step(EventKind k) { return k == EventKind::App || k == EventKind::Deliver || k == EventKind::TimerFire; }

// The engine's trace cut into steps: each event belongs to the application
// call, segment arrival or timer expiry that began its step (Simulation::step
// records that first).
std::vector<std::size_t> step_openers(const std::vector<TraceEvent>& trace) {
    std::vector<std::size_t> out(trace.size(), kNone);
    std::size_t cur = kNone;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (opens_step(trace[i].kind)) cur = i;
        out[i] = cur;
    }
    return out;
}

}  // namespace

Run::Run(const CompareInput& input)
    : in(input), trace(input.engine->trace()), k(*input.kernel), tol(input.tol), cut(input.cut_us), openers(step_openers(trace)) {}

}  // namespace detail

Duration wheel_granularity(Duration timeout, Duration tick) {
    if (tick.us <= 0) return Duration{};
    std::int64_t jiffies = (timeout.us + tick.us - 1) / tick.us;
    // Level n (n >= 1) starts at 63 << 3(n-1) jiffies and rounds to 8^n jiffies.
    std::int64_t gran = 1, start = 63;
    while (jiffies >= start && gran < (std::int64_t{1} << 24)) {
        gran *= 8;
        start *= 8;
    }
    return Duration::micros(gran * tick.us);
}

std::string TimingCheck::describe() const {
    using detail::ms;
    std::string kernel = kernel_lo_us == kernel_hi_us ? ms(kernel_lo_us) : ms(kernel_lo_us) + "..." + ms(kernel_hi_us);
    return name + ": engine " + ms(expected_us) + ", kernel " + kernel + " (allowed " + ms(expected_us - early_us) + " to " +
           ms(expected_us + late_us) + ")";
}

std::int64_t engine_quiet_point(const Simulation& sim) {
    std::int64_t quiet = 0;
    for (const auto& e : sim.trace()) {
        if (e.kind == EventKind::TimerFire && e.timer == TimerKind::TimeWait) break;
        quiet = e.t.us;
    }
    return quiet;
}

Comparison compare(const CompareInput& in) {
    using namespace detail;
    Comparison out;
    Run r(in);
    match_segments(r, out);
    check_cross_order(r, out);
    match_states(r, out);
    check_calls_happened(r, out);
    time_segments(r, out);
    time_state_changes(r, out);
    check_ss_timers(r, out);
    for (const auto& tc : out.timings)
        if (!tc.ok) out.differences.push_back("timing: " + tc.describe());
    check_applications(r, out);
    return out;
}

}  // namespace finwave::conformance
