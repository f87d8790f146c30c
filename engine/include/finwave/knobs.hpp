// Profiles and knobs: every number that changes how a connection closes.
// A profile is only a set of defaults; a scenario or the learner can set any
// knob on top of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/time.hpp"

namespace finwave {

enum class Profile : std::uint8_t {
    Linux,  // what a current Linux kernel does
    Rfc,    // RFC 9293 read literally: the textbook story
};
const char* to_string(Profile p);
std::optional<Profile> parse_profile(std::string_view text);

// How the retransmission of an orphaned socket's FIN is limited.
enum class RetryLimit : std::uint8_t {
    TimeBudget,  // Linux: the retry count is turned into a time budget from rto_min
    Count,       // textbook: N retransmissions, then one more backed-off timeout
};

struct Knobs {
    // Whose rules decide what the knobs cannot express (e.g. which error an
    // application is told); set by defaults_for, not a knob.
    Profile profile = Profile::Linux;

    // TIME-WAIT and friends
    Duration msl = Duration::seconds(30);
    Duration time_wait = Duration::seconds(60);  // Linux fixes this at 60 s
    std::optional<Duration> fin_timeout = Duration::seconds(60);  // none: FIN-WAIT-2 waits forever
    bool rfc1337 = false;

    // Retransmission
    Duration rto_min = Duration::millis(200);
    Duration rto_initial = Duration::seconds(1);
    Duration rto_max = Duration::seconds(120);
    int orphan_retries = 0;  // Linux: 0 means 8 while the peer seems alive
    int retries2 = 15;
    // Linux counts SYN retransmissions: syn_retries plus syn_linear_timeouts
    // of them (the first ones, 1 s apart before the doubling starts).
    int syn_retries = 6;
    int syn_linear_timeouts = 4;
    int synack_retries = 5;  // SYN-ACK retransmissions of a passive open
    RetryLimit retry_limit = RetryLimit::TimeBudget;
    bool tlp = true;  // tail loss probe

    // Acknowledgement
    Duration invalid_ratelimit = Duration::millis(500);  // least gap between ACKs to unacceptable segments
    Duration delayed_ack = Duration::millis(40);
    // Linux's delayed-ACK timeout (ato) is 0 until the first data segment
    // arrives: an ACK then waits only for the next timer tick.
    Duration delayed_ack_before_data = Duration::millis(4);
    Duration tick = Duration::millis(4);  // the kernel's jiffy (HZ=250); 0: none
    int quickack = 16;  // first data segments ACKed at once

    // Sending
    bool nagle = true;
    std::uint32_t mss = 1460;
    std::uint32_t rwnd = 65535;
    std::uint32_t init_cwnd = 10;  // segments; RFC 5681 gives 3 for MSS 1460

    // Orphans: close() resets instead of closing gracefully when the host
    // holds more orphaned sockets than max_orphans (tcp_max_orphans). The
    // kernel compares a count it refreshes every 100 ms, so the socket being
    // closed is not in it yet: host_orphans is that count.
    int max_orphans = 131072;
    int host_orphans = 0;

    // Keepalive (off unless a scenario turns it on)
    bool keepalive = false;
    Duration keepalive_time = Duration::seconds(7200);
    Duration keepalive_intvl = Duration::seconds(75);
    int keepalive_probes = 9;

    // Link and numbering
    Duration latency = Duration::millis(10);  // one way
    std::optional<std::uint32_t> client_isn;  // none: drawn from the seed
    std::optional<std::uint32_t> server_isn;
    std::uint32_t isn_step = 64000;  // ISN increase between incarnations of the port pair

    bool time_wait_explicit = false;  // time_wait was set directly, not derived from msl
};

Knobs defaults_for(Profile p);

// One settable knob, as a UI or `--set name=value` sees it.
struct KnobInfo {
    std::string name;
    std::string kind;  // "duration", "duration-or-off", "int", "bool", "enum"
    // Its label and help for people: knob.NAME and knob.NAME.help in strings/.
};
const std::vector<KnobInfo>& knob_catalog();

// Why a knob could not be set, as identifiers: the app words it from the
// string tables (knob_error.*), the scenario parser for authors.
struct KnobError {
    enum class Kind : std::uint8_t { UnknownKnob, BadValue };
    Kind kind = Kind::UnknownKnob;
    std::string name;
    std::string value;
    // What the knob takes: "duration", "duration-or-off", "whole-number",
    // "above-zero", "u32-or-auto", "on-off", "time-or-count".
    const char* expected = "";
};

// Sets one knob from text ("fin_timeout", "3s"); nothing on success. In the
// rfc profile setting msl also moves time_wait to 2*msl unless time_wait
// itself has been set; in the linux profile msl leaves TIME-WAIT alone (Linux
// fixes it at 60 s; time_wait is the lever).
std::optional<KnobError> apply_knob(Knobs& k, std::string_view name, std::string_view value);
// The same with an English message for scenario authors and the command line
// (defined with the scenario parser, whose diagnostics are English).
std::optional<std::string> set_knob(Knobs& k, std::string_view name, std::string_view value);
std::string describe(const KnobError& e);
// "msl, time_wait, ...": every knob's name, for a message about a misspelt one.
std::string known_knob_names();
// The knob's current value in the same spelling set_knob accepts.
std::optional<std::string> get_knob(const Knobs& k, std::string_view name);

}  // namespace finwave
