#include "panel_controls.hpp"

#include <imgui.h>

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

float play_w_for(const Tutor& m) {
    return std::max(button_width(m.tr("ctl.pause")), button_width(m.tr("ctl.play"))) + ImGui::GetFontSize();
}

}  // namespace

Commands ControlsPanel::draw_toolbar(const Tutor& m) {
    Commands out;
    const bool sim = m.has_sim();
    // The run is over, or this step's Play has reached its end point.
    const bool over = sim && (m.sim().finished() || m.at_step_end());
    // Compact: the label goes into the tooltip, beside the shortcut.
    auto label = [&](const char* key) { return compact ? std::string() : m.tr(key); };
    auto tip = [&](const char* key, const char* tip_key) { return compact ? m.tr(key) + ": " + m.tr(tip_key) : m.tr(tip_key); };
    if (ui::icon_button("##reset", ui::Icon::Reset, label("ctl.reset"), tip("ctl.reset", "ctl.tip_reset"), sim)) out.push_back(cmd::ResetStep{});
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
    if (ui::icon_button("##play", playing ? ui::Icon::Pause : ui::Icon::Play, play_label, m.tr("ctl.tip_play"), sim && (!over || playing),
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

    // Second row (compact: the same row): speed, pausing at changes of
    // state, and the clock.
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
    if (!compact) {
        const std::string& pause_label = m.tr("ctl.pause_on_state");
        ui::flow(ImGui::CalcTextSize(pause_label.c_str()).x + ImGui::GetFrameHeight() + 8);
        bool pause_on_state = m.pause_on_state();
        if (ImGui::Checkbox((pause_label + "##pause-on-state").c_str(), &pause_on_state)) out.push_back(cmd::SetPauseOnState{pause_on_state});
        ui::expose("ctl.pause_on_state");
    }
    if (sim) {
        char clock[48];
        std::snprintf(clock, sizeof clock, "t = %.6f s", static_cast<double>(m.view_time().us) / 1e6);
        std::string text = clock;
        if (over) text += "  (" + m.tr(m.sim().finished() ? "ctl.finished" : "ctl.step_end") + ")";
        const float w = ui::mono_width(text) + 4;
        ImGui::SameLine();
        // Right-aligned when it fits on this line, else on a line of its own.
        const float right = ImGui::GetContentRegionMax().x - w;
        if (right > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(right);
        else ImGui::NewLine();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(w, ImGui::GetFrameHeight()));
        ui::mono_text(ImGui::GetWindowDrawList(), ImVec2(p.x, p.y + (ImGui::GetFrameHeight() - ImGui::GetFontSize()) * 0.5F + 1),
                      over ? ui::colour::kTextDim : ui::colour::kNow, text);
        ui::expose("ctl.clock");
    }
    return out;
}

float ControlsPanel::actions_height(const Tutor& m, float width) const {
    // Lines needed, laid out as draw_actions() does: each side's calls in
    // half the width, then the faults across the whole of it.
    const ImGuiStyle& style = ImGui::GetStyle();
    auto lines_for = [&](const std::vector<float>& widths, float limit) {
        float x = 0;
        int lines = 1;
        for (float w : widths) {
            if (x > 0 && x + style.ItemSpacing.x + w > limit) {
                ++lines;
                x = 0;
            }
            x += (x > 0 ? style.ItemSpacing.x : 0) + w;
        }
        return lines;
    };
    std::vector<float> calls = {button_width(m.tr("call.send")), ImGui::GetFontSize() * 4.5F};
    for (const auto& c : kCalls) calls.push_back(button_width(m.tr(c.key)));
    const float radio = ImGui::GetFrameHeight() + style.ItemInnerSpacing.x;
    const std::vector<float> faults = {
        ImGui::CalcTextSize(m.tr("fault.title").c_str()).x, ImGui::CalcTextSize(m.tr("fault.click_mode").c_str()).x,
        ImGui::CalcTextSize(m.tr("fault.drop").c_str()).x + radio, ImGui::CalcTextSize(m.tr("fault.duplicate").c_str()).x + radio,
        ImGui::CalcTextSize(m.tr("fault.delay").c_str()).x + radio, width,  // the drop-next buttons start a line
        button_width(m.tr("fault.drop_next_client")), button_width(m.tr("fault.drop_next_server"))};
    const float column = (width - style.ItemSpacing.x * 3) * 0.5F;
    const int call_lines = lines_for(calls, column);
    const int fault_lines = lines_for(faults, width) - 1;  // the `width` entry only forces the break
    const float row = ImGui::GetFrameHeightWithSpacing();
    return ImGui::GetTextLineHeightWithSpacing() + static_cast<float>(call_lines + fault_lines) * row + style.ItemSpacing.y * 2 +
           style.WindowPadding.y;
}

Commands ControlsPanel::draw_actions(const Tutor& m) {
    Commands out;
    const bool sim = m.has_sim();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x;
    const float column = (width - style.ItemSpacing.x * 3) * 0.5F;
    ImGui::Separator();
    for (Side side : {Side::Client, Side::Server}) {
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
            ImGui::SameLine();
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
        flow_in_column(ImGui::GetFontSize() * 4.5F);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5F);
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
        ImGui::PopID();
        if (side == Side::Client) ImGui::SameLine(column + style.ItemSpacing.x * 2 + style.WindowPadding.x);
    }

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
