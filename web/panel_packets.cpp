#include "panel_packets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "finwave/trace.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

bool is_timer_event(EventKind k) { return k == EventKind::TimerSet || k == EventKind::TimerCancel; }

}  // namespace

Commands PacketsPanel::draw_packets(const Tutor& m) {
    Commands out;
    if (!m.has_sim()) return out;
    const auto& trace = m.sim().trace();
    const Hidden hidden = m.hidden();
    // One row per Send; what became of it comes from the later events.
    std::vector<std::size_t> sends;
    for (std::size_t i = 0; i < trace.size(); ++i)
        if (trace[i].kind == EventKind::Send) sends.push_back(i);
    if (sends.empty()) {
        ui::text_wrapped(ui::colour::kTextDim, m.tr("packets.empty"));
        return out;
    }
    // Widths in characters of the mono font: the numbers of a close are short.
    ImFont* mono = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
    const float ch = mono->CalcTextSizeA(mono->FontSize * ImGui::GetIO().FontGlobalScale, FLT_MAX, 0, "0").x;
    const struct {
        const char* key;
        float chars;
    } columns[] = {{"packets.no", 3}, {"packets.time", 5.5F}, {"packets.dir", 2}, {"packets.flags", 8.5F},
                   {"packets.seq", 4}, {"packets.ack", 4}, {"packets.len", 3.5F}};
    float widths[std::size(columns)];
    const float pad = ImGui::GetStyle().CellPadding.x * 2 + 1;
    float needed = (ImGui::CalcTextSize(m.tr("packets.info").c_str()).x + ch * 8) + pad;  // the Info column's least
    for (std::size_t i = 0; i < std::size(columns); ++i) {
        widths[i] = std::max(ImGui::CalcTextSize(m.tr(columns[i].key).c_str()).x, ch * columns[i].chars);
        needed += widths[i] + pad;
    }
    // A pane too narrow for every column scrolls sideways instead of cutting
    // the last columns and their headers off.
    const bool scroll_x = ImGui::GetContentRegionAvail().x < needed;
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | (scroll_x ? ImGuiTableFlags_ScrollX : 0);
    if (!ImGui::BeginTable("packets", 8, flags, ImVec2(0, 0), scroll_x ? needed : 0.0F)) return out;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (std::size_t i = 0; i < std::size(columns); ++i)
        ImGui::TableSetupColumn(m.tr(columns[i].key).c_str(), ImGuiTableColumnFlags_WidthFixed, widths[i]);
    ImGui::TableSetupColumn(m.tr("packets.info").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(sends.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const TraceEvent& e = trace[sends[static_cast<std::size_t>(row)]];
            // Its fate: lost, duplicated, still on the wire, or delivered.
            std::string info;
            ImU32 info_col = ui::colour::kTextDim;
            bool delivered = false, lost = false, copied = false;
            for (std::size_t k = sends[static_cast<std::size_t>(row)] + 1; k < trace.size(); ++k) {
                const TraceEvent& f = trace[k];
                if (f.seg_id != e.seg_id) continue;
                delivered = delivered || f.kind == EventKind::Deliver;
                lost = lost || f.kind == EventKind::Drop;
                copied = copied || f.kind == EventKind::Duplicate;
            }
            if (e.retransmission) info += m.tr("ladder.retransmission") + "  ";
            if (copied) info += m.tr("ladder.copy") + "  ";
            if (e.injected) info += m.tr("ladder.injected") + "  ";
            if (lost) {
                info += m.tr("ladder.lost");
                info_col = ui::colour::kLost;
            } else if (!delivered) {
                info += "…";
            }
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            const bool selected = m.selected_segment && *m.selected_segment == e.seg_id;
            char no[16];
            std::snprintf(no, sizeof no, "%d", row + 1);
            ImGui::PushFont(mono);
            if (ImGui::Selectable(no, selected, ImGuiSelectableFlags_SpanAllColumns)) out.push_back(cmd::Select{e.seg_id});
            ui::expose("packets.row." + std::to_string(row + 1));
            ImGui::TableSetColumnIndex(1);
            ImGui::Text("%.3f", static_cast<double>(e.t.us) / 1e6);
            if (ImGui::IsItemHovered()) ui::item_tooltip(hidden.segment(e.seg_id) ? m.tr("quiz.hidden_value") : i18n::event_text(e, m.words()));
            ImGui::TableSetColumnIndex(2);
            ImGui::PopFont();
            // The ladder's way round: the client on the left.
            ImGui::TextColored(vec(ui::colour::side(e.side)), "%s", e.side == Side::Client ? "→" : "←");
            if (ImGui::IsItemHovered()) ui::item_tooltip(e.side == Side::Client ? "client > server" : "server > client");
            ImGui::PushFont(mono);
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(flag_names(e.flags).c_str());
            // A field an open question asks for stays "?" until it is answered.
            ImGui::TableSetColumnIndex(4);
            if (hidden.field(e.seg_id, "seq")) ImGui::TextUnformatted("?");
            else ImGui::Text("%u", e.seq);
            ImGui::TableSetColumnIndex(5);
            if (hidden.field(e.seg_id, "ack")) ImGui::TextUnformatted("?");
            else if (e.flags & flag::ACK) ImGui::Text("%u", e.ack);
            ImGui::TableSetColumnIndex(6);
            if (hidden.field(e.seg_id, "len")) ImGui::TextUnformatted("?");
            else ImGui::Text("%u", e.len);
            ImGui::PopFont();
            ImGui::TableSetColumnIndex(7);
            ImGui::TextColored(vec(info_col), "%s", info.c_str());
        }
    }
    // Follow new rows while the list is scrolled to its end.
    if (sends.size() != packets_seen_) {
        if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - ImGui::GetTextLineHeightWithSpacing() * 2) ImGui::SetScrollHereY(1.0F);
        packets_seen_ = sends.size();
    }
    ImGui::EndTable();
    return out;
}

Commands PacketsPanel::draw_events(const Tutor& m) {
    Commands out;
    if (!m.has_sim()) return out;
    const auto& trace = m.sim().trace();
    const Hidden hidden = m.hidden();
    ImGui::Checkbox((m.tr("events.show_timers") + "##timers").c_str(), &show_timers_);
    ui::expose("events.show_timers");
    ImGui::SameLine();
    ui::text_wrapped(ui::colour::kTextDim, m.tr("events.tip"));
    if (rows_for_run_ != &m.run() || rows_for_trace_ != trace.size() || rows_with_timers_ != show_timers_) {
        event_rows_.clear();
        for (std::size_t i = 0; i < trace.size(); ++i)
            if (show_timers_ || !is_timer_event(trace[i].kind)) event_rows_.push_back(i);
        rows_for_run_ = &m.run();
        rows_for_trace_ = trace.size();
        rows_with_timers_ = show_timers_;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("events", 3, flags)) return out;
    ImGui::TableSetupScrollFreeze(0, 0);
    ImGui::TableSetupColumn("t");
    ImGui::TableSetupColumn("side");
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    ImFont* mono = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
    const std::size_t start_trace = m.run().trace_size_at(m.step_start());
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(event_rows_.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::size_t i = event_rows_[static_cast<std::size_t>(row)];
            const TraceEvent& e = trace[i];
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            char t[64];  // a double with %.6f and a size_t: room for any value
            std::snprintf(t, sizeof t, "%.6f##ev%zu", static_cast<double>(e.t.us) / 1e6, i);
            ImGui::PushFont(mono);
            ImGui::PushStyleColor(ImGuiCol_Text, vec(i < start_trace ? ui::colour::kTextFaint : ui::colour::kTextDim));
            if (ImGui::Selectable(t, false, ImGuiSelectableFlags_SpanAllColumns)) out.push_back(cmd::RewindToEvent{i});
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) ui::item_tooltip(m.tr("events.go_back"));
            ui::expose("events.row." + std::to_string(i));
            ImGui::TableSetColumnIndex(1);
            ImGui::TextColored(vec(ui::colour::side(e.side)), "%s", to_string(e.side));
            ImGui::TableSetColumnIndex(2);
            ImU32 col = ui::colour::kText;
            if (e.kind == EventKind::State) col = ui::colour::side(e.side);
            else if (e.kind == EventKind::Drop) col = ui::colour::kLost;
            else if (is_timer_event(e.kind) || e.kind == EventKind::Note) col = ui::colour::kTextDim;
            const std::size_t si = static_cast<std::size_t>(e.side);
            const bool segment_event = e.kind == EventKind::Send || e.kind == EventKind::Deliver || e.kind == EventKind::Drop ||
                                       e.kind == EventKind::Duplicate;
            const bool hide = (segment_event && hidden.segment(e.seg_id)) ||
                              (e.kind == EventKind::State && (hidden.names(e.side, e.to) || hidden.names(e.side, e.from))) ||
                              (is_timer_event(e.kind) && hidden.timers[si]);
            ImGui::TextColored(vec(col), "%s", hide ? (m.tr(std::string("side.") + to_string(e.side) + "_lower") + " " + m.tr(std::string("trace.kind.") + to_string(e.kind)) + "  " + m.tr("quiz.hidden_value")).c_str()
                                                    : i18n::event_text(e, m.words()).c_str());
            ImGui::PopFont();
        }
    }
    if (trace.size() != events_seen_) {
        if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - ImGui::GetTextLineHeightWithSpacing() * 3) ImGui::SetScrollHereY(1.0F);
        events_seen_ = trace.size();
    }
    ImGui::EndTable();
    return out;
}

}  // namespace finwave::web
