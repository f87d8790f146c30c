// A scenario: the application calls on both sides, the faults on the link and
// the knobs, as a short text file a person can write (docs/scenario-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "finwave/endpoint.hpp"
#include "finwave/host_config.hpp"
#include "finwave/knobs.hpp"

namespace finwave {

// Which segments a fault applies to, e.g. "client FIN", "server ack in CLOSE-WAIT".
struct SegmentPattern {
    std::optional<Side> from;
    std::uint8_t flags_required = 0;  // SYN FIN RST words
    bool pure_ack = false;            // "ack": no payload, no SYN/FIN/RST
    bool data = false;                // "data": carries payload
    std::optional<State> sender_state;
    bool matches(const Segment& seg, State sender_state_now) const;
};
std::string describe(const SegmentPattern& p);

enum class FaultAction : std::uint8_t { Drop, Duplicate, Delay };
const char* to_string(FaultAction a);

struct Fault {
    FaultAction action = FaultAction::Drop;
    SegmentPattern pattern;
    std::uint32_t first = 1;  // the first matching segment it applies to (1-based)
    std::uint32_t last = 1;   // 0: every one from `first` on
    Duration extra{};         // duplicate: how much later the copy arrives; delay: added delay
    int line = 0;
};
std::string describe(const Fault& f);

struct ScheduledCall {
    Duration at{};
    Side side = Side::Client;
    AppCall call;
    int line = 0;
};

struct Trigger {
    Side watch = Side::Client;
    std::optional<State> state;  // entering this state ...
    bool on_eof = false;         // ... or the application reading EOF
    bool on_reset = false;       // ... or the application seeing ECONNRESET
    Duration delay{};
    Side actor = Side::Client;
    AppCall call;
    int line = 0;
};
std::string describe(const Trigger& t);

// A sequence or acknowledgment number as a scenario writes it: a plain number
// counts from the ISN, as captures show it ("1"); a sum of TCB variables and
// numbers is absolute ("RCV.NXT+RCV.WND+2", "SND.UNA-1").
enum class SeqVar : std::uint8_t { SndUna, SndNxt, RcvNxt, RcvWnd, Iss, Irs };
struct SeqExpr {
    std::vector<std::pair<SeqVar, int>> vars;  // each with its sign, +1 or -1
    std::int64_t offset = 0;
    std::string text;                          // as written
    bool from_isn() const { return vars.empty(); }
};
std::variant<SeqExpr, std::string> parse_seq_expr(std::string_view text);
// The value, given the TCB whose variables the expression names and, for a
// plain number, the ISN it counts from.
std::uint32_t evaluate(const SeqExpr& e, const TcbView& tcb, std::uint32_t isn);

// The header fields of a segment written by hand (injected) or expected.
struct SegmentSpec {
    std::uint8_t flags = 0;
    std::optional<SeqExpr> seq, ack;
    std::optional<std::uint32_t> len, win;
};
std::string describe(const SegmentSpec& s);

// "at 1s inject to server [FIN, ACK] seq=RCV.NXT-1": a segment that appears
// on the wire in front of `to` at `at`, as if its peer had sent it.
struct Injection {
    Duration at{};
    Side to = Side::Server;
    SegmentSpec seg;
    int line = 0;
};

// "expect ...": what must happen, checked while the scenario runs.
enum class ExpectKind : std::uint8_t { Sends, Nothing, State, App };
struct Expectation {
    ExpectKind kind = ExpectKind::Sends;
    Side side = Side::Client;
    Duration anchor{};                // Sends, Nothing, App: from when; State: when
    std::optional<Duration> within;   // Sends, App: the window after `anchor` (none: any time later)
    Duration length{};                // Nothing: how long
    bool at_end = false;              // State: when nothing is left to happen
    SegmentSpec seg;                  // Sends
    State state = State::Closed;      // State
    std::string app_event;            // App: "ECONNRESET", "EPIPE", ..., or "eof"
    std::string text;                 // the line as written, for messages
    std::string origin;               // the file it was written in (a built-in's, after 'use')
    int line = 0;
};

struct KnobSetting {
    std::string name;
    std::string value;
    int line = 0;
};

struct Scenario {
    std::string name;
    std::string description;
    std::string source;  // file name or "built-in"
    std::optional<Profile> profile;
    std::vector<KnobSetting> knobs;
    double loss = 0.0;  // probability of losing any segment ...
    std::optional<Duration> loss_until;  // ... until this time
    std::optional<std::uint64_t> seed;
    std::vector<ScheduledCall> calls;
    std::vector<Trigger> triggers;
    std::vector<Fault> faults;
    std::vector<Injection> injections;
    std::vector<Expectation> expectations;
    std::optional<Duration> until;
    // The built-in scenario imported with `use`, and whether lines after it
    // change what happens (then checks made on the built-in do not apply).
    std::string base;
    bool base_modified = false;
    // A busy host: a workload of many connections instead of one scripted
    // pair (run by HostModel, host.hpp).
    HostPart host;
};

struct ParseError {
    std::string file;
    int line = 0;
    std::string message;
    std::string to_string() const;  // "file:line: message"
};

// Parses a whole scenario text. `first_line` shifts line numbers for a
// scenario embedded in a larger file (a lesson).
std::variant<Scenario, ParseError> parse_scenario(std::string_view text, std::string_view file, int first_line = 1);

// A pattern with its selection, as written in a fault or a lesson check:
// "server ack in CLOSE-WAIT #2". `words` holds only the pattern's words.
struct PatternSelection {
    SegmentPattern pattern;
    std::uint32_t first = 1;
    std::uint32_t last = 1;  // 0: every match from `first` on
    bool explicit_selection = false;
    Duration extra{};        // a +DELAY word, for faults
};
std::variant<PatternSelection, std::string> parse_pattern(const std::vector<std::string_view>& words);

// The words of a line, split at spaces and tabs (no comment handling).
std::vector<std::string_view> words_of(std::string_view line);

// Parses one application call as written after the side: "send 660", "close".
std::variant<AppCall, std::string> parse_app_call(const std::vector<std::string_view>& words);

// The segment fields from w[i] on: flags, then seq= ack= len= win=. Returns
// the index of the first word after them, or what is wrong.
std::variant<std::size_t, std::string> parse_segment_spec(const std::vector<std::string_view>& w, std::size_t i, SegmentSpec& out);
// The words after "inject" / "expect"; `at` is the time of the line (or of
// the last timed line before it, for an expectation without its own 'at').
std::variant<Injection, std::string> parse_injection(const std::vector<std::string_view>& w, Duration at);
std::variant<Expectation, std::string> parse_expectation(const std::vector<std::string_view>& w, Duration anchor, bool explicit_at);

// Profile defaults, then the scenario's knobs, then `overrides` (e.g. from
// the command line). Returns the first error.
std::variant<Knobs, std::string> resolve_knobs(const Scenario& s, Profile profile,
                                               const std::vector<std::pair<std::string, std::string>>& overrides);

}  // namespace finwave
