#include "finwave/trace.hpp"

#include <cstdio>

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

std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

std::string event_json(const TraceEvent& e, std::string_view text) {
    std::string out = "{\"t_us\":" + std::to_string(e.t.us) + ",\"kind\":\"" + to_string(e.kind) + "\",\"side\":\"" + to_string(e.side) + "\"";
    switch (e.kind) {
        case EventKind::App:
            out += ",\"call\":\"" + json_escape(describe(e.call)) + "\"";
            if (e.script_line > 0) out += ",\"line\":" + std::to_string(e.script_line);
            break;
        case EventKind::Send:
        case EventKind::Deliver:
        case EventKind::Drop:
        case EventKind::Duplicate:
            out += ",\"seg\":" + std::to_string(e.seg_id) + ",\"flags\":\"" + flag_letters(e.flags) + "\",\"seq\":" + std::to_string(e.seq) +
                   ",\"ack\":" + std::to_string(e.ack) + ",\"len\":" + std::to_string(e.len);
            if (e.retransmission) out += ",\"rtx\":true";
            if (e.injected) {
                out += ",\"injected\":true,\"win\":" + std::to_string(e.wnd);
                if (e.script_line > 0) out += ",\"line\":" + std::to_string(e.script_line);
            }
            if (e.incarnation > 1) out += ",\"conn\":" + std::to_string(e.incarnation);
            if (e.kind == EventKind::Drop) {
                out += ",\"cause\":\"" + std::string(to_string(e.drop_cause)) + "\"";
                if (e.fault_line > 0) out += ",\"line\":" + std::to_string(e.fault_line);
            }
            break;
        case EventKind::State:
            out += ",\"from\":\"" + std::string(to_string(e.from)) + "\",\"to\":\"" + to_string(e.to) + "\",\"cause\":\"" +
                   to_string(e.cause) + "\",\"edge\":\"" + json_escape(edge_name(e.edge)) + "\"";
            break;
        case EventKind::TimerSet:
            out += ",\"timer\":\"" + std::string(to_string(e.timer)) + "\",\"deadline_us\":" + std::to_string(e.deadline.us);
            break;
        case EventKind::TimerFire:
        case EventKind::TimerCancel: out += ",\"timer\":\"" + std::string(to_string(e.timer)) + "\""; break;
        case EventKind::Notify:
            out += ",\"notice\":\"" + std::string(to_string(e.notice)) + "\"";
            if (e.notice == Notice::Error) out += ",\"error\":\"" + std::string(errno_name(e.error)) + "\"";
            if (e.value) out += ",\"value\":" + std::to_string(e.value);
            break;
        case EventKind::Note:
            out += ",\"note\":\"" + std::string(to_string(e.note)) + "\"";
            if (e.value) out += ",\"value\":" + std::to_string(e.value);
            break;
    }
    if (!text.empty()) out += ",\"text\":\"" + json_escape(text) + "\"";
    return out + "}";
}

void write_jsonl(std::ostream& os, const std::vector<TraceEvent>& trace) {
    for (const auto& e : trace) os << event_json(e) << '\n';
}

}  // namespace finwave
