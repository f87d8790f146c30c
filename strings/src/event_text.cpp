#include "finwave/event_text.hpp"

#include <cstdio>

#include "finwave/trace.hpp"

namespace finwave::i18n {

namespace {

std::string key(const char* prefix, const char* id) { return std::string(prefix) + id; }

std::string count_retransmissions(std::int64_t n, const Words& w) {
    return w(n == 1 ? "count.retransmissions_one" : "count.retransmissions_other", {std::to_string(n)});
}

std::string count_probes(std::int64_t n, const Words& w) {
    return w(n == 1 ? "count.probes_one" : "count.probes_other", {std::to_string(n)});
}

std::string send_text(const TraceEvent& e, const std::string& id, const Words& w) {
    if (e.injected && e.script_line > 0) return w("event.send_injected_line", {id, segment_label(e), std::to_string(e.script_line)});
    if (e.injected) return w("event.send_injected", {id, segment_label(e)});
    return w(e.retransmission ? "event.send_rtx" : "event.send", {id, segment_label(e)});
}

std::string notify_text(const TraceEvent& e, const Words& w) {
    switch (e.notice) {
        case Notice::DataRead:
        case Notice::CorruptData: return w(key("event.notice.", to_string(e.notice)), {std::to_string(e.value)});
        case Notice::Error:
            // A reset is reported when it arrives, not when a call fails.
            return w(e.error == AppError::ResetAfterFin ? "event.notice.reset-after-fin" : "event.notice.error",
                     {errno_name(e.error), error_text(e.error, w)});
        default: return w(key("event.notice.", to_string(e.notice)));
    }
}

}  // namespace

std::string cause_text(Cause c, const Words& w) { return w(key("cause.", to_string(c))); }

std::string edge_key(const Transition& t) {
    return std::string("edge.") + (t.from ? to_string(*t.from) : "any") + "." + to_string(t.cause) + "." + to_string(t.to);
}

std::string edge_note(const Transition& t, const Words& w) {
    if (w.lang() == Lang::En || !w.has(edge_key(t))) return t.note;
    return w(edge_key(t));
}

std::string note_text(Note n, std::int64_t value, const Words& w) {
    if (n == Note::GiveUpOrphan || n == Note::GiveUpRetries) return w(key("note.", to_string(n)), {count_retransmissions(value, w)});
    if (n == Note::KeepaliveGiveUp) return w(key("note.", to_string(n)), {count_probes(value, w)});
    return w(key("note.", to_string(n)), {std::to_string(value)});
}

std::string timer_text(TimerKind k, const Words& w) { return w(key("timer.", to_string(k))); }
std::string error_text(AppError e, const Words& w) { return w(key("app_error.", to_string(e))); }
std::string drop_text(DropCause c, const Words& w) { return w(key("drop.", to_string(c))); }

std::string call_text(const AppCall& call, const Words& w) {
    switch (call.kind) {
        case AppCallKind::Abort:
        case AppCallKind::Crash:
        case AppCallKind::NeverClose: return w(key("app_call.", to_string(call.kind)));
        default: return describe(call);
    }
}

std::string event_text(const TraceEvent& e, const Words& w) {
    const std::string id = "#" + std::to_string(e.seg_id);
    switch (e.kind) {
        case EventKind::App: return call_text(e.call, w);
        case EventKind::Send: return send_text(e, id, w);
        case EventKind::Deliver: return w("event.deliver", {id, segment_label(e)});
        case EventKind::Drop:
            if (e.fault_line > 0) return w("event.drop_line", {id, segment_label(e), drop_text(e.drop_cause, w), std::to_string(e.fault_line)});
            return w("event.drop", {id, segment_label(e), drop_text(e.drop_cause, w)});
        case EventKind::Duplicate: return w("event.duplicate", {id, segment_label(e)});
        case EventKind::State: return w("event.state", {to_string(e.from), to_string(e.to), cause_text(e.cause, w)});
        case EventKind::TimerSet: return w("event.timer_set", {timer_text(e.timer, w), format_instant(e.deadline)});
        case EventKind::TimerFire: return w("event.timer_fire", {timer_text(e.timer, w)});
        case EventKind::TimerCancel: return w("event.timer_cancel", {timer_text(e.timer, w)});
        case EventKind::Notify: return notify_text(e, w);
        case EventKind::Note: return note_text(e.note, e.value, w);
    }
    return "";
}

void write_text(std::ostream& os, const std::vector<TraceEvent>& trace, const Words& w) {
    for (const auto& e : trace) {
        char head[64];
        std::snprintf(head, sizeof head, "%12s  ", format_instant(e.t).c_str());
        // Padded by display width, not bytes: a CJK character takes two columns.
        auto column = [&](const std::string& text, std::size_t width) {
            std::size_t cols = 0;
            for (std::size_t i = 0; i < text.size(); ++i) {
                const auto c = static_cast<unsigned char>(text[i]);
                if ((c & 0xC0) == 0x80) continue;
                cols += c >= 0xE0 ? 2 : 1;
            }
            return text + std::string(cols < width ? width - cols : 0, ' ');
        };
        os << head << column(w(key("side.", to_string(e.side)) + "_lower"), 6) << "  " << column(w(key("trace.kind.", to_string(e.kind))), 12)
           << ' ';
        if (e.kind == EventKind::Send) os << w(e.side == Side::Client ? "trace.client_to_server" : "trace.server_to_client") << ' ';
        os << event_text(e, w) << '\n';
    }
}

void write_jsonl_with_text(std::ostream& os, const std::vector<TraceEvent>& trace, const Words& w) {
    for (const auto& e : trace) os << event_json(e, event_text(e, w)) << '\n';
}

std::string knob_label(const KnobInfo& k, const Words& w) { return w("knob." + k.name); }
std::string knob_help(const KnobInfo& k, const Words& w) { return w("knob." + k.name + ".help"); }

std::string knob_error_text(const KnobError& e, const Words& w) {
    if (e.kind == KnobError::Kind::UnknownKnob) return w("knob_error.unknown", {e.name, known_knob_names()});
    return w("knob_error.bad_value", {e.name, e.value, w(key("knob_error.expected.", e.expected))});
}

std::string scenario_title(std::string_view name, const Words& w) {
    const std::string k = "scenario." + std::string(name);
    return w.has(k) ? w(k) : std::string(name);
}

std::string scenario_description(std::string_view name, std::string_view fallback, const Words& w) {
    const std::string k = "scenario." + std::string(name) + ".description";
    return w.has(k) ? w(k) : std::string(fallback);
}

}  // namespace finwave::i18n
