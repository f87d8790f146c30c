// Lessons: Markdown files with steps, scenarios, play directives and
// questions (lessons/README.md), and the engine that proves their answers.
// Parsing takes text, never a path: the caller reads the files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "finwave/simulation.hpp"

namespace finwave {

enum class QuestionKind : std::uint8_t { Choice, Predict, Field, Order, Lost };
const char* to_string(QuestionKind k);

struct Choice {
    std::string text;   // what the learner reads
    std::string value;  // what the engine's answer is compared with ({value} or the text)
};

struct Question {
    std::string id;
    QuestionKind kind = QuestionKind::Choice;
    std::string prompt;
    std::vector<Choice> choices;
    int answer_index = -1;                 // choice-like kinds
    std::optional<std::int64_t> answer_number;  // field
    std::string check;                     // empty: not computable by the engine
    std::string why;
    std::vector<std::pair<int, std::string>> wrong;  // feedback per wrong choice
    int line = 0;
};

struct PlayDirective {
    enum class Kind : std::uint8_t { UntilState, UntilEof, UntilTime, UntilEnd } kind = Kind::UntilEnd;
    Side side = Side::Client;
    State state = State::Closed;
    Duration time{};
    int line = 0;
};

struct Step {
    std::string title;
    std::string markdown;                    // the text, without the special blocks
    std::optional<Scenario> scenario;        // a fresh simulation starts here
    // Where the step opens: `from` lines, run before the learner sees the
    // step (after the previous step's end point, or from time 0 of the
    // step's own scenario).
    std::vector<PlayDirective> open;
    // Where the learner's Play stops: `until` lines, run from the start
    // point. None: the step has nothing to play.
    std::vector<PlayDirective> play;
    std::vector<Question> questions;
    int line = 0;
};

struct Lesson {
    std::string id;
    std::string title;
    std::string lang;
    std::string file;
    int order = 0;
    std::vector<Step> steps;
};

struct LessonError {
    std::string file;
    int line = 0;
    std::string message;
    std::string to_string() const;
};

// A lesson is lessons/<lang>/<name>.md; a name in capitals (GLOSSARY.md,
// README.md) is a note for authors, not a lesson.
bool is_lesson_file_name(std::string_view file_name);

std::variant<Lesson, LessonError> parse_lesson(std::string_view text, std::string_view file, std::string_view lang);

// The simulation of step `index` as the learner finds it when the step
// opens (its start point): the step's (or an earlier step's) scenario, run
// through every earlier step of that scenario to its end point, then through
// this step's `from` lines. Nothing if no step so far has a scenario.
std::optional<Simulation> simulation_for_step(const Lesson& lesson, std::size_t index, Profile fallback = Profile::Linux);
// The same simulation at the step's end point: where its Play stops.
std::optional<Simulation> simulation_at_step_end(const Lesson& lesson, std::size_t index, Profile fallback = Profile::Linux);
// The index of the step whose scenario step `index` runs on, if any.
std::optional<std::size_t> scenario_step_of(const Lesson& lesson, std::size_t index);
// Applies one play directive (bounded).
void play(Simulation& sim, const PlayDirective& d);
// Is the directive already satisfied on `sim` (playing it would do nothing)?
bool play_done(const Simulation& sim, const PlayDirective& d);
// Does trace event `e` satisfy the directive (the event play() stops after)?
bool play_stops_at(const TraceEvent& e, const PlayDirective& d);

// Does trace event `e` show the learner the answer to `q` (computed where the
// step opened, `engine_value`)? Predict questions stop the learner's Play
// just before such an event until they are answered; lessons check reports a
// predict question whose revealing event is already behind the start point.
bool event_reveals(const Question& q, std::string_view engine_value, const TraceEvent& e);

// The engine's answer to a check on a paused simulation, e.g. "FIN-WAIT-2",
// "client", "662"; or an error message for a malformed check.
struct CheckResult {
    std::optional<std::string> value;
    std::string error;
};
CheckResult evaluate_check(const Simulation& paused, std::string_view check, const Question* q = nullptr);

// Does a choice match the engine's value? State names compare in any spelling.
bool choice_matches(const Choice& c, std::string_view engine_value);

// Everything `finwave lessons check` verifies about one lesson: every
// scenario runs cleanly, every computable answer agrees with the engine.
// Returns the problems as "file:line: message".
std::vector<std::string> verify_lesson(const Lesson& lesson);
// The two languages of one lesson tell the same story.
std::vector<std::string> compare_translations(const Lesson& a, const Lesson& b);

}  // namespace finwave
