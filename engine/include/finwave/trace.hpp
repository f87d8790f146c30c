// Renderings of a run's trace: a capture-like text listing and JSON lines.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/simulation.hpp"

namespace finwave {

// "[FIN, ACK] Seq=661 Ack=9240 Len=0", as a capture tool labels a segment.
std::string segment_label(const TraceEvent& e);
// One readable line without the time and side, e.g. "FIN-WAIT-1 -> FIN-WAIT-2 (rcv ACK)".
std::string describe_event(const TraceEvent& e);
// The text as the inside of a JSON string (quotes, backslashes, control characters escaped).
std::string json_escape(std::string_view s);
// One JSON object, no trailing newline.
std::string event_json(const TraceEvent& e);

void write_text(std::ostream& os, const std::vector<TraceEvent>& trace);
void write_jsonl(std::ostream& os, const std::vector<TraceEvent>& trace);

}  // namespace finwave
