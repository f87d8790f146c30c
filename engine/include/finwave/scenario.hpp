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
    std::optional<Duration> until;
    // The built-in scenario imported with `use`, and whether lines after it
    // change what happens (then checks made on the built-in do not apply).
    std::string base;
    bool base_modified = false;
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

// Profile defaults, then the scenario's knobs, then `overrides` (e.g. from
// the command line). Returns the first error.
std::variant<Knobs, std::string> resolve_knobs(const Scenario& s, Profile profile,
                                               const std::vector<std::pair<std::string, std::string>>& overrides);

}  // namespace finwave
