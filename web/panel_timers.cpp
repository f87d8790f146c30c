#include "panel_timers.hpp"

#include <imgui.h>

#include <array>

#include "text.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {
float row_height() { return ImGui::GetFontSize() + 6; }
}  // namespace

float TimersPanel::height() {
    const ImGuiStyle& style = ImGui::GetStyle();
    return ImGui::GetFrameHeight() + style.WindowPadding.y * 2 + (row_height() + style.CellPadding.y * 2) * (kTimerCount + 1) + 4;
}

Commands TimersPanel::draw(const Tutor& m) {
    Commands out;
    if (!m.has_sim()) return out;
    const Simulation& sim = m.sim();
    const Instant now = m.view_time();
    // When each armed timer was set, for the share of it that has run.
    std::array<std::array<Instant, kTimerCount>, 2> set_at{};
    for (const TraceEvent& e : sim.trace())
        if (e.kind == EventKind::TimerSet) set_at[static_cast<std::size_t>(e.side)][static_cast<std::size_t>(e.timer)] = e.t;

    const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
    if (!ImGui::BeginTable("timers", 3, flags)) return out;
    ImGui::TableSetupColumn("##name", ImGuiTableColumnFlags_WidthStretch, 0.9F);
    ImGui::TableSetupColumn("##client", ImGuiTableColumnFlags_WidthStretch, 1.0F);
    ImGui::TableSetupColumn("##server", ImGuiTableColumnFlags_WidthStretch, 1.0F);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(1);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kClient), "%s", m.tr("side.client").c_str());
    ImGui::TableSetColumnIndex(2);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kServer), "%s", m.tr("side.server").c_str());
    const Hidden hidden = m.hidden();
    for (int k = 0; k < kTimerCount; ++k) {
        const auto kind = static_cast<TimerKind>(k);
        ImGui::TableNextRow(0, row_height());
        ImGui::TableSetColumnIndex(0);
        // A bright name says the timer runs: not on a side whose timers are
        // withheld (a FIN-WAIT-2 timer would name the state asked for).
        const bool c_armed = !hidden.timers[0] && sim.endpoint(Side::Client).timer(kind);
        const bool s_armed = !hidden.timers[1] && sim.endpoint(Side::Server).timer(kind);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(c_armed || s_armed ? ui::colour::kText : ui::colour::kTextFaint), "%s",
                           m.tr(std::string("timer.") + to_string(kind)).c_str());
        for (Side side : {Side::Client, Side::Server}) {
            ImGui::TableSetColumnIndex(side == Side::Client ? 1 : 2);
            const auto deadline = sim.endpoint(side).timer(kind);
            if (hidden.timers[static_cast<std::size_t>(side)]) {
                // An open question asks for a time: not shown until it is answered.
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextDim), "?");
                if (ImGui::IsItemHovered()) ui::item_tooltip(m.tr("quiz.hidden_value"));
                continue;
            }
            if (!deadline) {
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kTextFaint), "%s", m.tr("timers.off").c_str());
                continue;
            }
            const Instant set = set_at[static_cast<std::size_t>(side)][static_cast<std::size_t>(k)];
            const Duration total = *deadline - set;
            const Duration left = *deadline > now ? *deadline - now : Duration{};
            const float fraction = total.us > 0 ? static_cast<float>(left.us) / static_cast<float>(total.us) : 0.0F;
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(ui::colour::with_alpha(ui::colour::side(side), palette::kTimerBar)));
            const std::string text = human_duration(left);
            ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(4, 1));
            ImGui::ProgressBar(std::clamp(fraction, 0.0F, 1.0F), ImVec2(-1, row_height() - 2), text.c_str());
            ImGui::PopStyleVar();
            ImGui::PopStyleColor();
            ui::expose(std::string("timer.") + to_string(side) + "." + to_string(kind));
        }
    }
    ImGui::EndTable();
    return out;
}

}  // namespace finwave::web
