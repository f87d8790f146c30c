// Practice without end: exercises generated from the engine's own stories.
//
// A seed picks a story (a template over the built-in scenarios' close
// patterns: who closes first, which segment is lost and how often, delayed
// ACK, shutdown vs close, fin_timeout, orphan_retries, linger, unread data,
// simultaneous close) and a question about it; the engine runs the story and
// the answer, the wrong choices and the explanation are read from its trace.
// Everything the learner needs is in the exercise: the story's facts, the
// knobs with their values, and the ladder up to the question's moment.
//
// No I/O and no clock: a seed gives the same exercise on every platform
// (finwave::Rng is splitmix64 with our own range reduction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "finwave/simulation.hpp"

namespace finwave::practice {

enum class Kind : std::uint8_t {
    NextState,       // which state does SIDE enter next?
    StateAt,         // which state is SIDE in at t?
    Field,           // seq/ack/flags/len of the next segment SIDE sends
    RetransmitTime,  // when does SIDE send the lost FIN again?
    GiveUpTime,      // when does the orphaned SIDE give up?
    ClosedTime,      // how long from the first close() until both are CLOSED?
    RstCase,         // why does SIDE send this RST?
    kCount,
};
const char* to_string(Kind k);  // "next-state", "state-at", ...

enum class Template : std::uint8_t { Close, Lost, FinWait2, Orphan, Rst, Simultaneous, kCount };
const char* to_string(Template t);  // "close", "lost", ...

// The RST cases a question can ask about (the values of its choices).
inline constexpr const char* kRstCases[] = {"unread-data", "linger-zero", "data-after-close", "too-many-orphans",
                                            "no-connection"};

struct Text {
    std::string en, zh;
};

struct Choice {
    std::string value;  // compared with Exercise::answer
    Text text;
};

// What decides the answer: a segment on the ladder, a knob that is shown,
// or one of the story's facts (an application call).
struct Deciding {
    std::uint64_t seg = 0;  // 0: none
    std::string knob;       // "" : none
    bool story = false;
};

struct Exercise {
    std::uint64_t seed = 0;
    int level = 1;
    Template story_template = Template::Close;
    std::string scenario;  // the full scenario text: `finwave run FILE` replays it
    Profile profile = Profile::Linux;

    Kind kind = Kind::NextState;
    Side side = Side::Client;
    std::optional<Instant> t;  // the question's moment, where it has one
    std::string field;         // Field: "seq", "ack", "flags" or "len"
    Text prompt;
    std::vector<Choice> choices;  // empty: the answer is typed (a number)
    std::string answer;           // a state name, a number, flag letters ("FA"), a time in us, an RST case
    Text why;
    std::string lesson;  // the id of the lesson that teaches the rule
    Deciding deciding;

    std::vector<Text> story;          // the facts of the story, one sentence each
    std::vector<std::string> knobs;   // "latency=10ms": shown with their values

    // What the learner sees of the run before answering.
    Instant shown_until{};
    bool shown_inclusive = false;  // events at shown_until too (timer settings excepted)
    bool show_states = true;
    bool show_timers = false;  // retransmission timers of `side`
};

// Generates the exercise of `seed`; level 1, 2 or 3 (0: the seed picks one).
Exercise generate(std::uint64_t seed, int level = 0);

// The exercise's story, run (the scenario text parsed and simulated).
Simulation simulate(const Exercise& ex);

// Is trace event `e` on the learner's ladder before they answer?
bool shown(const Exercise& ex, const TraceEvent& e);

// A time as the learner reads it: "0.640 s", "60.32 s".
std::string format_seconds(std::int64_t us);

// The exercise as one JSON object (no newline): seed, level, template,
// scenario, profile, question {kind, side, t_us, field, prompt {en, zh},
// choices}, answer, why {en, zh, lesson, deciding}, story, knobs, ladder.
std::string to_json(const Exercise& ex, const Simulation& sim);

}  // namespace finwave::practice
