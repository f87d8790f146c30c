// The engine's identifiers made into text for people, from the string tables:
// the one place where a cause, a note, a notice, an error, a timer, an
// application call, a knob or a built-in scenario gets its words. Used by the
// app (panels, accessible view, window.finwave.state()) and the CLI.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "finwave/knobs.hpp"
#include "finwave/simulation.hpp"
#include "finwave/ui_strings.hpp"

namespace finwave::i18n {

std::string cause_text(Cause c, const Words& w);
// A transition's note. The English is the table's own (engine/src/
// transitions.cpp, data like a scenario file); other languages key it by
// edge: edge.FROM.cause-id.TO (edge.any... for a row from any state).
std::string edge_key(const Transition& t);
std::string edge_note(const Transition& t, const Words& w);
std::string note_text(Note n, std::int64_t value, const Words& w);
std::string timer_text(TimerKind k, const Words& w);
std::string error_text(AppError e, const Words& w);  // "the socket is not connected"
// "send(660)", "close()", or the words for calls that are not one function
// call ("close() with SO_LINGER 0").
std::string call_text(const AppCall& call, const Words& w);
std::string drop_text(DropCause c, const Words& w);

// One line without the time and side, e.g. "FIN-WAIT-1 -> FIN-WAIT-2 (rcv ACK)".
std::string event_text(const TraceEvent& e, const Words& w);
// A capture-like listing: time, side, kind, then event_text.
void write_text(std::ostream& os, const std::vector<TraceEvent>& trace, const Words& w);
// JSON lines with the stable identifiers plus a "text" field in w's language.
void write_jsonl_with_text(std::ostream& os, const std::vector<TraceEvent>& trace, const Words& w);

std::string knob_label(const KnobInfo& k, const Words& w);  // fin_timeout / FIN-WAIT-2 超时
std::string knob_help(const KnobInfo& k, const Words& w);
std::string knob_error_text(const KnobError& e, const Words& w);

// A built-in scenario's title and description (scenario.NAME[.description]);
// a scenario without keys (a lesson's own) keeps its name and description.
std::string scenario_title(std::string_view name, const Words& w);
std::string scenario_description(std::string_view name, std::string_view fallback, const Words& w);

}  // namespace finwave::i18n
