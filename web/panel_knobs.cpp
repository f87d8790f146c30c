#include "panel_knobs.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui.hpp"

namespace finwave::web {

namespace {

// The knobs the lessons talk about, first; the rest fold away.
constexpr const char* kMain[] = {"fin_timeout", "time_wait", "msl", "orphan_retries", "rto_min", "delayed_ack",
                                 "rfc1337", "tlp", "latency", "keepalive"};

bool is_main(const std::string& name) {
    return std::find_if(std::begin(kMain), std::end(kMain), [&](const char* k) { return name == k; }) != std::end(kMain);
}

}  // namespace

Commands KnobsPanel::draw(const Tutor& m) {
    Commands out;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(m.tr("settings.profile").c_str());
    for (Profile p : {Profile::Linux, Profile::Rfc}) {
        ImGui::SameLine();
        const std::string& label = m.tr(p == Profile::Linux ? "settings.profile_linux" : "settings.profile_rfc");
        if (ImGui::RadioButton((label + "##profile-" + to_string(p)).c_str(), m.profile() == p)) out.push_back(cmd::SetProfile{p});
        ui::expose(std::string("knobs.profile.") + to_string(p));
    }
    const bool changed = m.profile_overridden() || !m.knob_overrides().empty();
    if (changed) {
        if (ui::text_button("##knobs-reset", m.tr("settings.reset"))) out.push_back(cmd::ResetKnobs{});
        ui::expose("knobs.reset");
    }
    ui::text_wrapped(ui::colour::kTextDim, m.tr("settings.restarts"));

    const Knobs* knobs = m.has_sim() ? &m.sim().knobs() : nullptr;
    const Knobs defaults = defaults_for(m.profile());
    if (!knobs) knobs = &defaults;
    auto row = [&](const KnobInfo& k) {
        ImGui::PushID(k.name.c_str());
        const std::string current = get_knob(*knobs, k.name).value_or("?");
        const bool overridden = std::any_of(m.knob_overrides().begin(), m.knob_overrides().end(), [&](const auto& kv) { return kv.first == k.name; });
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(overridden ? ui::colour::kServer : ui::colour::kText), "%s", i18n::knob_label(k, m.words()).c_str());
        if (ImGui::IsItemHovered()) ui::item_tooltip(k.name + ": " + i18n::knob_help(k, m.words()));
        ImGui::TableSetColumnIndex(1);
        ImGui::SetNextItemWidth(-1);
        if (k.kind == "bool") {
            bool on = current == "on";
            if (ImGui::Checkbox("##v", &on)) out.push_back(cmd::SetKnob{k.name, on ? "on" : "off"});
        } else {
            auto it = editing_.find(k.name);
            char buf[48];
            std::snprintf(buf, sizeof buf, "%s", it != editing_.end() ? it->second.c_str() : current.c_str());
            if (ImGui::InputText("##v", buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
                out.push_back(cmd::SetKnob{k.name, buf});
                editing_.erase(k.name);
            } else if (ImGui::IsItemActive()) {
                editing_[k.name] = buf;
            } else if (ImGui::IsItemDeactivatedAfterEdit()) {
                out.push_back(cmd::SetKnob{k.name, buf});
                editing_.erase(k.name);
            } else if (!ImGui::IsItemActive()) {
                editing_.erase(k.name);
            }
            if (ImGui::IsItemHovered()) ui::item_tooltip(i18n::knob_help(k, m.words()));
        }
        ui::expose("knobs." + k.name);
        ImGui::PopID();
    };
    const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg;
    if (ImGui::BeginTable("knobs-main", 2, flags)) {
        for (const KnobInfo& k : knob_catalog())
            if (is_main(k.name)) row(k);
        ImGui::EndTable();
    }
    if (ImGui::CollapsingHeader(m.tr("settings.more").c_str())) {
        if (ImGui::BeginTable("knobs-more", 2, flags)) {
            for (const KnobInfo& k : knob_catalog())
                if (!is_main(k.name)) row(k);
            ImGui::EndTable();
        }
    }
    return out;
}

}  // namespace finwave::web
