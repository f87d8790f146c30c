#include "panel_header.hpp"

#include <imgui.h>

#include <cmath>

#include "ui.hpp"

namespace finwave::web {

Commands HeaderPanel::draw(const Tutor& m) {
    Commands out;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ImGui::GetWindowHeight();
    const ImVec2 origin = ImGui::GetWindowPos();

    // Name and subtitle, drawn as text (no widget): nothing to click.
    ImFont* title_font = ui::fonts().heading ? ui::fonts().heading : ImGui::GetFont();
    const float title_px = title_font->FontSize * ImGui::GetIO().FontGlobalScale;
    const ImVec2 title_pos(origin.x + 14, origin.y + (h - title_px) * 0.5F);
    const std::string& name = m.tr("app.title");
    dl->AddText(title_font, title_px, title_pos, ui::colour::kAccent, name.c_str());
    float x = title_pos.x + title_font->CalcTextSizeA(title_px, FLT_MAX, 0, name.c_str()).x + 12;
    // A small wave between the name and the subtitle, FinWave's mark.
    for (int i = 0; i < 12; ++i) {
        const float a = static_cast<float>(i) / 11.0F;
        const float b = static_cast<float>(i + 1) / 11.0F;
        auto wave = [&](float f) { return ImVec2(x + f * 26, origin.y + h * 0.5F + 4.0F * std::sin(f * 6.283F)); };
        if (i < 11) dl->AddLine(wave(a), wave(b), ui::colour::kServer, 2.0F);
    }
    x += 38;
    if (!compact) {
        const std::string& sub = m.tr("app.subtitle");
        dl->AddText(ImVec2(x, origin.y + (h - ImGui::GetFontSize()) * 0.5F), ui::colour::kTextDim, sub.c_str());
    }

    // Right side: language switch and keyboard help.
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::string& en = m.tr("lesson.lang_en");
    const std::string& zh = m.tr("lesson.lang_zh");
    const std::string& keys = m.tr("header.keys");
    auto button_w = [&](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x + style.FramePadding.x * 2; };
    const float total = button_w(en) + button_w(zh) + button_w(keys) + style.ItemSpacing.x * 3;
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - total - 10, (h - ImGui::GetFrameHeight()) * 0.5F));
    for (Lang l : {Lang::En, Lang::Zh}) {
        const bool active = m.lang() == l;
        if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        const std::string& label = l == Lang::En ? en : zh;
        const std::string id = label + "##lang-" + lang_code(l);
        if (ImGui::Button(id.c_str())) out.push_back(cmd::SetLang{l});
        ui::expose(std::string("lang.") + lang_code(l));
        if (active) ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    ImGui::SameLine(0, style.ItemSpacing.x * 2);
    if (ImGui::Button((keys + "###keys").c_str())) ImGui::OpenPopup("keys-help");
    ui::expose("header.keys");
    if (ImGui::BeginPopup("keys-help")) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::kAccent), "%s", m.tr("help.title").c_str());
        ImGui::Separator();
        for (const char* k : {"help.space", "help.steps", "help.events", "help.lang", "help.nav"})
            ImGui::TextUnformatted(m.tr(k).c_str());
        ImGui::EndPopup();
    }
    return out;
}

}  // namespace finwave::web
