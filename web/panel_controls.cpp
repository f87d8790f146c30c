#include "panel_controls.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "text.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

std::string speed_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 0.1 ? "%.3g" : "%g", v);
    return buf;
}

// In words a learner can picture: how long one simulated second takes to
// watch ("1 s of simulation takes 50 s"), or how much passes each second.
std::string speed_label(const Tutor& m, double v) {
    char buf[32];
    if (v < 1) {
        std::snprintf(buf, sizeof buf, "%g", 1.0 / v);
        return m.trf("ctl.speed_slow", {buf});
    }
    std::snprintf(buf, sizeof buf, "%g", v);
    return m.trf(v == 1 ? "ctl.speed_real" : "ctl.speed_fast", {buf});
}

struct CallButton {
    const char* key;
    const char* tip;
    AppCallKind kind;
};
constexpr CallButton kCalls[] = {
    {"call.close", "call.tip_close", AppCallKind::Close},
    {"call.shutdown", "call.tip_shutdown", AppCallKind::Shutdown},
    {"call.read", "call.tip_read", AppCallKind::Read},
    {"call.abort", "call.tip_abort", AppCallKind::Abort},
    {"call.exit", "call.tip_exit", AppCallKind::Exit},
    {"call.connect", "call.tip_connect", AppCallKind::Connect},
};

float button_width(const std::string& label) {
    return ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
}

// The byte count beside send: six digits in view (a longer count scrolls in
// its box), so that a laptop's column holds send, the count, close() and
// shutdown() on one line.
float bytes_width() { return ImGui::CalcTextSize("100000").x + ImGui::GetStyle().FramePadding.x * 2; }

// The calls sit closer together than other buttons: seven of them in half a pane.
float calls_spacing() { return std::floor(ImGui::GetStyle().ItemSpacing.x * 0.75F); }

float play_w_for(const Tutor& m) {
    return std::max(button_width(m.tr("ctl.pause")), button_width(m.tr("ctl.play"))) + ImGui::GetFontSize();
}

}  // namespace

Commands ControlsPanel::draw_toolbar(const Tutor& m) {
    Commands out;
    const bool sim = m.has_sim();
    // A busy host plays on the same clock, Play and speed; it has no single
    // run to step through or rewind.
    const bool busy = m.busy() != nullptr;
    // The run is over, or this step's Play has reached its end point.
    const bool over = sim ? m.sim().finished() || m.at_step_end() : busy && m.busy()->over();
    // Compact: the label goes into the tooltip, beside the shortcut.
    // A pane too narrow for the five labelled buttons on one line (1024x600)
    // shows their icons only, as compact does, and keeps the line's height for the ladder.
    float labelled = play_w_for(m) + ImGui::GetStyle().ItemSpacing.x * 4;
    for (const char* key : {"ctl.reset", "ctl.back", "ctl.step", "ctl.timer"}) labelled += button_width(m.tr(key)) + ImGui::GetFontSize();
    const bool icons = compact || labelled > ImGui::GetContentRegionAvail().x;
    auto label = [&](const char* key) { return icons ? std::string() : m.tr(key); };
    auto tip = [&](const char* key, const char* tip_key) { return icons ? m.tr(key) + ": " + m.tr(tip_key) : m.tr(tip_key); };
    if (ui::icon_button("##reset", ui::Icon::Reset, label("ctl.reset"), tip("ctl.reset", "ctl.tip_reset"), sim || busy)) out.push_back(cmd::ResetStep{});
    ui::expose("ctl.reset");
    ui::flow(button_width(label("ctl.back")) + ImGui::GetFontSize());
    if (ui::icon_button("##back", ui::Icon::StepBack, label("ctl.back"), tip("ctl.back", "ctl.tip_back"), sim && m.run().position() > 0))
        out.push_back(cmd::Rewind{1});
    ui::expose("ctl.back");
    ui::flow(play_w_for(m));
    const bool playing = m.playing();
    const std::string& play_label = m.tr(playing ? "ctl.pause" : "ctl.play");
    const float play_w = play_w_for(m);
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(ui::colour::with_alpha(ui::colour::kAccent, 0.35F)));
    if (ui::icon_button("##play", playing ? ui::Icon::Pause : ui::Icon::Play, play_label, m.tr("ctl.tip_play"), (sim || busy) && (!over || playing),
                        ImVec2(play_w, 0)))
        out.push_back(cmd::TogglePlay{});
    ImGui::PopStyleColor();
    ui::expose("ctl.play");
    ui::flow(button_width(label("ctl.step")) + ImGui::GetFontSize());
    if (ui::icon_button("##step", ui::Icon::StepForward, label("ctl.step"), tip("ctl.step", "ctl.tip_step"), sim && !over)) out.push_back(cmd::StepEvent{});
    ui::expose("ctl.step");
    ui::flow(button_width(label("ctl.timer")) + ImGui::GetFontSize());
    if (ui::icon_button("##timer", ui::Icon::Timer, label("ctl.timer"), tip("ctl.timer", "ctl.tip_timer"), sim && !over)) out.push_back(cmd::NextTimer{});
    ui::expose("ctl.timer");

    // The clock: at the end of the buttons' line where it fits (a laptop's
    // pane keeps that line's height for the ladder), else at the end of the
    // speed line, else on a line of its own. Its width is reserved for
    // times up to 99 s, so that it does not hop between lines as a run goes on.
    auto draw_clock = [&] {
        char clock[48];
        std::snprintf(clock, sizeof clock, "t = %.6f s", static_cast<double>(m.view_time().us) / 1e6);
        const float w = std::max(ui::mono_width(clock), ui::mono_width("t = 00.000000 s")) + 4;
        ImGui::SameLine();
        const float right = ImGui::GetContentRegionMax().x - w;
        if (right > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(right);
        else ImGui::NewLine();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(w, ImGui::GetFrameHeight()));
        ui::mono_text(ImGui::GetWindowDrawList(), ImVec2(p.x + w - 4 - ui::mono_width(clock), p.y + (ImGui::GetFrameHeight() - ImGui::GetFontSize()) * 0.5F + 1),
                      over ? ui::colour::kTextDim : ui::colour::kNow, clock);
        ui::expose("ctl.clock");
    };
    const float after_buttons = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetStyle().ItemSpacing.x;
    const bool clock_first = (sim || busy) && !compact && after_buttons + ui::mono_width("t = 00.000000 s") + 4 <= ImGui::GetContentRegionMax().x;
    if (clock_first) draw_clock();

    // Second row (compact: the same row): speed, pausing at changes of
    // state, and the clock if it is not on the first.
    const std::string speed = speed_label(m, m.speed());
    if (compact) {
        ui::flow(ImGui::GetFontSize() * 5);
    } else {
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "%s", m.tr("ctl.speed").c_str());
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(ImGui::CalcTextSize(speed.c_str()).x + ImGui::GetFrameHeight() * 1.5F);
    if (ImGui::BeginCombo("##speed", speed.c_str())) {
        for (double v : kPlaySpeeds) {
            const bool selected = std::abs(v - m.speed()) < 1e-9;
            if (ImGui::Selectable(speed_label(m, v).c_str(), selected)) out.push_back(cmd::SetSpeed{v});
            if (ImGui::IsItemHovered()) ui::item_tooltip(m.trf("ctl.speed_unit", {speed_number(v)}));  // the unit has its own ×
        }
        ImGui::EndCombo();
    }
    ui::expose("ctl.speed");
    // A busy host's many connections change state all the time: no pausing at each.
    if (!compact && !busy) {
        const std::string& pause_label = m.tr("ctl.pause_on_state");
        ui::flow(ImGui::CalcTextSize(pause_label.c_str()).x + ImGui::GetFrameHeight() + 8);
        bool pause_on_state = m.pause_on_state();
        if (ImGui::Checkbox((pause_label + "##pause-on-state").c_str(), &pause_on_state)) out.push_back(cmd::SetPauseOnState{pause_on_state});
        ui::expose("ctl.pause_on_state");
    }
    if ((sim || busy) && !clock_first) draw_clock();
    return out;
}

ControlsPanel::ActionsLayout ControlsPanel::actions_layout(const Tutor& m, float width) const {
    // Lines needed, laid out as draw_actions() does: each side's calls in
    // half the width, then the faults across the whole of it.
    const ImGuiStyle& style = ImGui::GetStyle();
    auto lines_for = [&](const std::vector<float>& widths, float limit, float spacing) {
        float x = 0;
        int lines = 1;
        for (float w : widths) {
            if (x > 0 && x + spacing + w > limit) {
                ++lines;
                x = 0;
            }
            x += (x > 0 ? spacing : 0) + w;
        }
        return lines;
    };
    std::vector<float> calls = {button_width(m.tr("call.send")), bytes_width()};
    for (const auto& c : kCalls) calls.push_back(button_width(m.tr(c.key)));
    const float radio = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x;
    const std::vector<float> faults = {
        ImGui::CalcTextSize(m.tr("fault.title").c_str()).x, ImGui::CalcTextSize(m.tr("fault.click_mode").c_str()).x,
        ImGui::CalcTextSize(m.tr("fault.drop").c_str()).x + radio, ImGui::CalcTextSize(m.tr("fault.duplicate").c_str()).x + radio,
        ImGui::CalcTextSize(m.tr("fault.delay").c_str()).x + radio, width,  // the drop-next buttons start a line
        button_width(m.tr("fault.drop_next_client")), button_width(m.tr("fault.drop_next_server"))};
    const float column = (width - style.ItemSpacing.x * 3) * 0.5F;
    const int call_lines = lines_for(calls, column, calls_spacing());
    const int fault_lines = lines_for(faults, width, style.ItemSpacing.x) - 1;  // the `width` entry only forces the break
    ActionsLayout l;
    l.spacing = style.ItemSpacing.y;
    // The spacing under the ladder, the separator, the sides' titles.
    l.lead = style.ItemSpacing.y + 1 + style.ItemSpacing.y + ImGui::GetTextLineHeightWithSpacing();
    l.row = ImGui::GetFrameHeightWithSpacing();
    l.rows = call_lines + fault_lines;
    l.padding = style.WindowPadding.y;
    return l;
}

float ControlsPanel::ActionsLayout::fitting(float room) const {
    const int k = std::min(rows, static_cast<int>(std::floor((room - lead + spacing) / row)));
    return k > 0 ? lead + static_cast<float>(k) * row - spacing : 0.0F;
}

Commands ControlsPanel::draw_actions(const Tutor& m) {
    Commands out;
    const bool sim = m.has_sim();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x;
    const float column = (width - style.ItemSpacing.x * 3) * 0.5F;
    ImGui::Separator();
    // Both sides' columns start at one height, and the faults start under the taller.
    const float columns_y = ImGui::GetCursorPosY();
    float columns_end = columns_y;
    for (Side side : {Side::Client, Side::Server}) {
        if (side == Side::Server) ImGui::SetCursorPos(ImVec2(column + style.ItemSpacing.x * 2 + style.WindowPadding.x, columns_y));
        const int s = static_cast<int>(side);
        const char* who = side == Side::Client ? "client" : "server";
        ImGui::PushID(who);
        ImGui::BeginGroup();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::side(side)), "%s · %s",
                           m.tr(side == Side::Client ? "side.client" : "side.server").c_str(), m.tr("call.title").c_str());
        const float start_x = ImGui::GetCursorPosX();
        // The server's column ends at the pane's edge, whatever the padding.
        const float limit = start_x + std::min(column, ImGui::GetContentRegionAvail().x);
        auto flow_in_column = [&](float w) {
            ImGui::SameLine(0, calls_spacing());
            if (ImGui::GetCursorPosX() + w > limit) {
                ImGui::NewLine();
                ImGui::SetCursorPosX(start_x);
            }
        };
        // send N: the button, then how many bytes.
        if (ui::text_button("##send", m.tr("call.send"), m.tr("call.tip_send"), sim)) {
            SimCommand c;
            c.kind = SimCommand::Kind::Call;
            c.side = side;
            c.call.kind = AppCallKind::Send;
            c.call.bytes = static_cast<std::uint32_t>(std::max(1, send_bytes[s]));
            out.push_back(cmd::Sim{c});
        }
        ui::expose(std::string("call.") + who + ".send");
        flow_in_column(bytes_width());
        ImGui::SetNextItemWidth(bytes_width());
        if (ImGui::InputInt("##bytes", &send_bytes[s], 0, 0)) send_bytes[s] = std::clamp(send_bytes[s], 1, 1000000);
        if (ImGui::IsItemHovered()) ui::item_tooltip(m.tr("call.tip_send"));
        for (const auto& call : kCalls) {
            const std::string& label = m.tr(call.key);
            flow_in_column(button_width(label));
            if (ui::text_button((std::string("##") + call.key).c_str(), label, m.tr(call.tip), sim)) {
                SimCommand c;
                c.kind = SimCommand::Kind::Call;
                c.side = side;
                c.call.kind = call.kind;
                out.push_back(cmd::Sim{c});
            }
            ui::expose(std::string("call.") + who + "." + std::string(call.key).substr(5));
        }
        ImGui::EndGroup();
        columns_end = std::max(columns_end, ImGui::GetCursorPosY());
        ImGui::PopID();
    }
    ImGui::SetCursorPosY(columns_end);

    // Faults: what a click on a segment does, and "drop the next one".
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kLost), "%s", m.tr("fault.title").c_str());
    ImGui::SameLine();
    ImGui::TextUnformatted(m.tr("fault.click_mode").c_str());
    const ClickFault modes[] = {ClickFault::Drop, ClickFault::Duplicate, ClickFault::Delay};
    const char* keys[] = {"fault.drop", "fault.duplicate", "fault.delay"};
    for (int i = 0; i < 3; ++i) {
        const std::string& label = m.tr(keys[i]);
        ui::flow(ImGui::CalcTextSize(label.c_str()).x + ImGui::GetFrameHeight() + style.ItemInnerSpacing.x);
        if (ImGui::RadioButton((label + "##mode" + std::to_string(i)).c_str(), click == modes[i])) click = modes[i];
        ui::expose(std::string("fault.mode.") + (keys[i] + 6));
    }
    for (Side side : {Side::Client, Side::Server}) {
        const std::string& label = m.tr(side == Side::Client ? "fault.drop_next_client" : "fault.drop_next_server");
        if (side == Side::Server) ui::flow(button_width(label));
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(ui::colour::with_alpha(ui::colour::kLost, 0.22F)));
        if (ui::text_button((std::string("##drop-next-") + to_string(side)).c_str(), label, m.tr("fault.tip_drop_next"), sim)) {
            SimCommand c;
            c.kind = SimCommand::Kind::DropNext;
            c.side = side;
            out.push_back(cmd::Sim{c});
        }
        ImGui::PopStyleColor();
        ui::expose(std::string("fault.drop_next.") + to_string(side));
    }
    return out;
}

}  // namespace finwave::web
