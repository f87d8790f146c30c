#include "finwave/trace.hpp"

#include <cstdio>

namespace finwave {

std::string segment_label(const TraceEvent& e) {
    std::string out = "[" + flag_names(e.flags) + "] Seq=" + std::to_string(e.seq);
    if (e.flags & flag::ACK) out += " Ack=" + std::to_string(e.ack);
    out += " Len=" + std::to_string(e.len);
    return out;
}

namespace {

const char* drop_cause_text(DropCause c) {
    switch (c) {
        case DropCause::Fault: return "fault";
        case DropCause::RandomLoss: return "random loss";
        case DropCause::Learner: return "dropped by hand";
        case DropCause::None: return "";
    }
    return "";
}


std::string notify_text(const TraceEvent& e) {
    switch (e.notice) {
        case Notice::DataRead: return "application read " + std::to_string(e.value) + " bytes";
        case Notice::Error:
            // A reset is reported when it arrives, not when a call fails.
            if (e.error == AppError::ResetAfterFin) return std::string("application sees ") + errno_name(e.error) + " (" + to_string(e.error) + ")";
            return std::string("call failed: ") + errno_name(e.error) + " (" + to_string(e.error) + ")";
        case Notice::CorruptData: return "application received " + std::to_string(e.value) + " bytes of an earlier connection";
        case Notice::Eof: return "application read EOF (read() returned 0)";
        default: return std::string("application sees ") + to_string(e.notice);
    }
}

}  // namespace

std::string describe_event(const TraceEvent& e) {
    switch (e.kind) {
        case EventKind::App: return describe(e.call);
        case EventKind::Send:
            return "#" + std::to_string(e.seg_id) + " " + segment_label(e) + (e.retransmission ? " (retransmission)" : "") +
                   (e.injected ? " (injected" + (e.script_line > 0 ? ", scenario line " + std::to_string(e.script_line) : std::string()) + ")"
                               : std::string());
        case EventKind::Deliver: return "#" + std::to_string(e.seg_id) + " arrives " + segment_label(e);
        case EventKind::Drop: {
            std::string out = "#" + std::to_string(e.seg_id) + " lost " + segment_label(e) + " (" + drop_cause_text(e.drop_cause);
            if (e.fault_line > 0) out += ", scenario line " + std::to_string(e.fault_line);
            return out + ")";
        }
        case EventKind::Duplicate: return "#" + std::to_string(e.seg_id) + " duplicated on the link " + segment_label(e);
        case EventKind::State:
            return std::string(to_string(e.from)) + " -> " + to_string(e.to) + " (" + to_string(e.cause) + ")";
        case EventKind::TimerSet: return std::string(to_string(e.timer)) + " timer set, fires at " + format_instant(e.deadline);
        case EventKind::TimerFire: return std::string(to_string(e.timer)) + " timer fired";
        case EventKind::TimerCancel: return std::string(to_string(e.timer)) + " timer cancelled";
        case EventKind::Notify: return notify_text(e);
        case EventKind::Note: {
            std::string out = to_string(e.note);
            if (e.note == Note::Retransmit) out += " #" + std::to_string(e.value);
            if (e.note == Note::GiveUpOrphan || e.note == Note::GiveUpRetries)
                out += " after " + std::to_string(e.value) + (e.value == 1 ? " retransmission" : " retransmissions");
            if (e.note == Note::KeepaliveGiveUp)
                out += " after " + std::to_string(e.value) + (e.value == 1 ? " probe" : " probes");
            return out;
        }
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

std::string event_json(const TraceEvent& e) {
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
                out += ",\"cause\":\"" + std::string(drop_cause_text(e.drop_cause)) + "\"";
                if (e.fault_line > 0) out += ",\"line\":" + std::to_string(e.fault_line);
            }
            break;
        case EventKind::State:
            out += ",\"from\":\"" + std::string(to_string(e.from)) + "\",\"to\":\"" + to_string(e.to) + "\",\"cause\":\"" +
                   json_escape(to_string(e.cause)) + "\",\"edge\":\"" + json_escape(edge_name(e.edge)) + "\"";
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
            out += ",\"text\":\"" + json_escape(describe_event(e)) + "\"";
            break;
    }
    return out + "}";
}

void write_text(std::ostream& os, const std::vector<TraceEvent>& trace) {
    for (const auto& e : trace) {
        char head[64];
        std::snprintf(head, sizeof head, "%12s  %-6s  %-12s ", format_instant(e.t).c_str(), to_string(e.side), to_string(e.kind));
        os << head;
        if (e.kind == EventKind::Send) os << (e.side == Side::Client ? "client > server " : "server > client ");
        os << describe_event(e) << '\n';
    }
}

void write_jsonl(std::ostream& os, const std::vector<TraceEvent>& trace) {
    for (const auto& e : trace) os << event_json(e) << '\n';
}

}  // namespace finwave
