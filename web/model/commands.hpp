// What the learner (or an API user) can ask for. Panels return these from
// draw(); the controller is the one place that applies them to the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "finwave/knobs.hpp"
#include "busy_host.hpp"
#include "live_run.hpp"
#include "strings.hpp"

namespace finwave::web {

// How much later a learner's duplicate arrives, and how long a learner's
// delay holds a segment (long enough that a retransmission may overtake it).
inline constexpr Duration kDuplicateAfter = Duration::millis(30);
inline constexpr Duration kDelayBy = Duration::millis(250);
// The playing speeds offered (virtual seconds per real second), on the
// canvas and in the accessible view alike.
inline constexpr double kPlaySpeeds[] = {0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 20, 60};

namespace cmd {
struct OpenLesson { std::string id; std::size_t step = 0; };
struct OpenSandbox { std::string scenario; };
// A generated exercise: that seed's, or (no seed) the next one due.
struct OpenPractice { std::optional<std::uint64_t> seed; int level = 0; };
struct GoStep { std::size_t index = 0; };
struct NextStep {};
struct PrevStep {};
struct SetLang { Lang lang = Lang::En; };
struct Play {};
struct Pause {};
struct TogglePlay {};
struct StepEvent {};
struct NextTimer {};
struct Rewind { std::size_t events = 1; };
struct RewindToEvent { std::size_t trace_index = 0; };
struct ResetStep {};
struct SetSpeed { double virtual_per_real = 0.1; };
struct SetPauseOnState { bool on = false; };
struct Sim { SimCommand command; };  // an application call or a fault
struct SetProfile { Profile profile = Profile::Linux; };
struct SetKnob { std::string name, value; };
struct ResetKnobs {};
struct AnswerChoice { std::string question; int choice = 0; };
struct AnswerNumber { std::string question; std::int64_t value = 0; };
struct MoveOrderItem { std::string question; int from = 0, to = 0; };
struct SubmitOrder { std::string question; };
struct SkipQuestion { std::string question; };  // "show me without answering"
struct ResetProgress {};
struct Select { std::optional<std::uint64_t> segment; };
struct DismissNotice { std::size_t index = 0; };
// The busy host's socket table: its order, and which state it shows.
struct HostSort { HostColumn column = HostColumn::State; bool descending = false; };
struct HostFilter { std::optional<State> state; };
}  // namespace cmd

using Command = std::variant<cmd::OpenLesson, cmd::OpenSandbox, cmd::OpenPractice, cmd::GoStep, cmd::NextStep, cmd::PrevStep, cmd::SetLang,
                             cmd::Play, cmd::Pause, cmd::TogglePlay, cmd::StepEvent, cmd::NextTimer, cmd::Rewind,
                             cmd::RewindToEvent, cmd::ResetStep, cmd::SetSpeed, cmd::SetPauseOnState, cmd::Sim,
                             cmd::SetProfile, cmd::SetKnob, cmd::ResetKnobs, cmd::AnswerChoice, cmd::AnswerNumber,
                             cmd::MoveOrderItem, cmd::SubmitOrder, cmd::SkipQuestion, cmd::ResetProgress, cmd::Select, cmd::DismissNotice,
                             cmd::HostSort, cmd::HostFilter>;

using Commands = std::vector<Command>;

}  // namespace finwave::web
