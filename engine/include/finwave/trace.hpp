// A run's trace as JSON lines with stable identifiers ("cause":"rcv-fin"),
// for tools. Text for people is made from the same events by finwave_strings
// (i18n::event_text, i18n::write_text) in the reader's language.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/simulation.hpp"

namespace finwave {

// "[FIN, ACK] Seq=661 Ack=9240 Len=0", as a capture tool labels a segment.
std::string segment_label(const TraceEvent& e);
// "fault", "random-loss", "learner": why a segment was lost.
const char* to_string(DropCause c);
// One JSON object, no trailing newline; `text`, when given, is added as the
// event's "text" field (the CLI's --lang).
std::string event_json(const TraceEvent& e, std::string_view text = {});

void write_jsonl(std::ostream& os, const std::vector<TraceEvent>& trace);

}  // namespace finwave
