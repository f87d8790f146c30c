#include "finwave/trace.hpp"

#include <nlohmann/json.hpp>

namespace finwave {

std::string segment_label(const TraceEvent& e) {
    std::string out = "[" + flag_names(e.flags) + "] Seq=" + std::to_string(e.seq);
    if (e.flags & flag::ACK) out += " Ack=" + std::to_string(e.ack);
    out += " Len=" + std::to_string(e.len);
    return out;
}

const char* to_string(DropCause c) {
    switch (c) {
        case DropCause::Fault: return "fault";
        case DropCause::RandomLoss: return "random-loss";
        case DropCause::Learner: return "learner";
        case DropCause::None: return "";
    }
    return "";
}

std::string event_json(const TraceEvent& e, std::string_view text) {
    // Ordered: the keys in the order a reader of a trace expects them.
    nlohmann::ordered_json o = {{"t_us", e.t.us}, {"kind", to_string(e.kind)}, {"side", to_string(e.side)}};
    switch (e.kind) {
        case EventKind::App:
            o["call"] = describe(e.call);
            if (e.script_line > 0) o["line"] = e.script_line;
            break;
        case EventKind::Send:
        case EventKind::Deliver:
        case EventKind::Drop:
        case EventKind::Duplicate:
            o["seg"] = e.seg_id;
            o["flags"] = flag_letters(e.flags);
            o["seq"] = e.seq;
            o["ack"] = e.ack;
            o["len"] = e.len;
            if (e.retransmission) o["rtx"] = true;
            if (e.injected) {
                o["injected"] = true;
                o["win"] = e.wnd;
                if (e.script_line > 0) o["line"] = e.script_line;
            }
            if (e.incarnation > 1) o["conn"] = e.incarnation;
            if (e.kind == EventKind::Drop) {
                o["cause"] = to_string(e.drop_cause);
                if (e.fault_line > 0) o["line"] = e.fault_line;
            }
            break;
        case EventKind::State:
            o["from"] = to_string(e.from);
            o["to"] = to_string(e.to);
            o["cause"] = to_string(e.cause);
            o["edge"] = edge_name(e.edge);
            break;
        case EventKind::TimerSet:
            o["timer"] = to_string(e.timer);
            o["deadline_us"] = e.deadline.us;
            break;
        case EventKind::TimerFire:
        case EventKind::TimerCancel: o["timer"] = to_string(e.timer); break;
        case EventKind::Notify:
            o["notice"] = to_string(e.notice);
            if (e.notice == Notice::Error) o["error"] = errno_name(e.error);
            if (e.value) o["value"] = e.value;
            break;
        case EventKind::Note:
            o["note"] = to_string(e.note);
            if (e.value) o["value"] = e.value;
            break;
    }
    if (!text.empty()) o["text"] = text;
    // Replace, not throw: a scenario's text with broken UTF-8 still gives a trace.
    return o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void write_jsonl(std::ostream& os, const std::vector<TraceEvent>& trace) {
    for (const auto& e : trace) os << event_json(e) << '\n';
}

}  // namespace finwave
