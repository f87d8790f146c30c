#include "panel_host.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "host_json.hpp"
#include "palette.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// One colour per charted state (kHostChartStates), told apart by the legend's
// words as well, never by colour alone.
constexpr palette::Rgb kLineColours[] = {{0x7b, 0xc6, 0x7e}, {0x6d, 0xb5, 0xee}, {0xf0, 0x8c, 0x8c}, {0xeb, 0xcb, 0x8b}, {0xc4, 0xa0, 0xbe}};
static_assert(std::size(kLineColours) == std::size(kHostChartStates));

// A round top for the chart's scale: 1, 2, 5 times a power of ten.
std::uint32_t nice_top(std::uint32_t peak) {
    std::uint32_t step = 1;
    while (true) {
        for (std::uint32_t k : {1u, 2u, 5u})
            if (k * step >= peak) return k * step;
        step *= 10;
    }
}

struct CounterRow {
    const char* key;
    std::uint64_t HostCounters::*field;
};
constexpr CounterRow kCounters[] = {
    {"host.ctr.connect", &HostCounters::connect_calls},
    {"host.ctr.connected", &HostCounters::connected},
    {"host.ctr.accept", &HostCounters::accepted},
    {"host.ctr.eaddrnotavail", &HostCounters::eaddrnotavail},
    {"host.ctr.emfile", &HostCounters::emfile},
    {"host.ctr.eaddrinuse", &HostCounters::eaddrinuse},
    {"host.ctr.econnreset", &HostCounters::econnreset},
    {"host.ctr.etimedout", &HostCounters::etimedout},
    {"host.ctr.tw", &HostCounters::timewaited},
    {"host.ctr.tw_recycled", &HostCounters::tw_recycled},
    {"host.ctr.tw_overflow", &HostCounters::tw_overflow},
    {"host.ctr.listen_overflows", &HostCounters::listen_overflows},
    {"host.ctr.listen_drops", &HostCounters::listen_drops},
};

constexpr const char* kColumnKeys[kHostColumnCount] = {"host.col_state", "host.col_recvq", "host.col_sendq",
                                                        "host.col_local", "host.col_peer",  "host.col_host"};

}  // namespace

Commands HostPanel::draw(const Tutor& m) {
    Commands out;
    const BusyHost* b = m.busy();
    if (!b) {
        if (!m.sim_error().empty()) ui::text_wrapped(ui::colour::kWrong, m.sim_error());
        return out;
    }
    ImGui::Separator();
    draw_bars(m, *b);
    const float avail = ImGui::GetContentRegionAvail().y;
    draw_chart(m, *b, std::clamp(avail * 0.34F, ImGui::GetFontSize() * 6, ImGui::GetFontSize() * 12));
    if (ImGui::BeginTabBar("host-tabs")) {
        const std::string sockets = m.tr("host.tab_sockets") + "###host-sockets";
        const bool on_sockets = ImGui::BeginTabItem(sockets.c_str());
        ui::expose("host.tab_sockets");
        if (on_sockets) {
            draw_table(m, *b, out);
            ImGui::EndTabItem();
        }
        const std::string counters = m.tr("host.tab_counters") + "###host-counters";
        const bool on_counters = ImGui::BeginTabItem(counters.c_str());
        ui::expose("host.tab_counters");
        if (on_counters) {
            draw_counters(m, *b);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    return out;
}

void HostPanel::draw_bars(const Tutor& m, const BusyHost& b) {
    const HostSettings& client = b.scenario().host.hosts[0];
    const HostSettings& server = b.scenario().host.hosts[1];
    const HostSnapshot c = b.model().snapshot(Side::Client);
    const HostSnapshot s = b.model().snapshot(Side::Server);
    const std::uint32_t range = static_cast<std::uint32_t>(client.port_high) - client.port_low + 1;
    auto bar = [&](const std::string& label, std::uint32_t used, std::uint32_t of, const char* id) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(vec(ui::colour::kTextDim), "%s", label.c_str());
        const std::string text = m.trf("host.n_of_m", {std::to_string(used), std::to_string(of)});
        const float w = std::max(ImGui::CalcTextSize(text.c_str()).x + ImGui::GetFontSize() * 2, ImGui::GetFontSize() * 9);
        ui::flow(w);
        const float fraction = of > 0 ? std::min(1.0F, static_cast<float>(used) / static_cast<float>(of)) : 0.0F;
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, vec(fraction >= 1.0F ? ui::colour::kWrong : ui::colour::kAccent));
        ImGui::ProgressBar(fraction, ImVec2(w, 0), text.c_str());
        ImGui::PopStyleColor();
        ui::expose(id);
    };
    bar(m.trf("host.ports", {std::to_string(client.port_low), std::to_string(client.port_high)}), c.ports_in_use, range, "host.ports");
    ImGui::SameLine(0, ImGui::GetFontSize() * 1.5F);
    ui::flow(ImGui::CalcTextSize(m.trf("host.fds", {std::to_string(server.nofile)}).c_str()).x);
    bar(m.trf("host.fds", {std::to_string(server.nofile)}), s.fds_in_use, server.nofile, "host.fds");
}

void HostPanel::draw_chart(const Tutor& m, const BusyHost& b, float height) {
    const HostModel& model = b.model();
    const auto& samples = model.samples();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float width = (ImGui::GetContentRegionAvail().x - gap) * 0.5F;
    const double end_s = std::max(1.0, static_cast<double>(model.end().us) / 1e6);
    const float line_h = ImGui::GetTextLineHeight();
    for (Side side : {Side::Client, Side::Server}) {
        const std::size_t h = static_cast<std::size_t>(side);
        const HostSnapshot now = model.snapshot(side);
        std::uint32_t peak = 1;
        for (const HostSample& s : samples)
            for (State st : kHostChartStates) peak = std::max(peak, s.host[h].count(st));
        for (State st : kHostChartStates) peak = std::max(peak, now.count(st));
        const std::uint32_t top = nice_top(peak);

        if (side == Side::Server) ImGui::SameLine(0, gap);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(width, height));
        ui::expose(side == Side::Client ? "host.chart_client" : "host.chart_server");
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + width, p.y + height), ui::colour::kBackground);
        // Title at the top left, the scale's top at the top right, the time
        // axis's ends under the plot.
        const std::string title = m.tr(side == Side::Client ? "host.chart_client" : "host.chart_server");
        dl->AddText(ImVec2(p.x + 4, p.y + 2), ui::colour::side(side), title.c_str());
        const std::string top_text = std::to_string(top);
        ui::mono_text(dl, ImVec2(p.x + width - 4 - ui::mono_width(top_text), p.y + 2), ui::colour::kTextDim, top_text);
        const ImVec2 plot_min(p.x + 4, p.y + line_h + 6);
        const ImVec2 plot_max(p.x + width - 4, p.y + height - line_h - 4);
        dl->AddLine(ImVec2(plot_min.x, plot_min.y), ImVec2(plot_max.x, plot_min.y), ui::colour::kGrid);
        dl->AddLine(ImVec2(plot_min.x, plot_max.y), ImVec2(plot_max.x, plot_max.y), ui::colour::kGrid);
        ui::mono_text(dl, ImVec2(plot_min.x, plot_max.y + 2), ui::colour::kTextDim, "0 s");
        char end_text[32];
        std::snprintf(end_text, sizeof end_text, "%.0f s", end_s);
        ui::mono_text(dl, ImVec2(plot_max.x - ui::mono_width(end_text), plot_max.y + 2), ui::colour::kTextDim, end_text);
        auto x_of = [&](Instant t) {
            return plot_min.x + (plot_max.x - plot_min.x) * static_cast<float>(std::min(1.0, static_cast<double>(t.us) / 1e6 / end_s));
        };
        auto y_of = [&](std::uint32_t n) {
            return plot_max.y - (plot_max.y - plot_min.y) * static_cast<float>(n) / static_cast<float>(top);
        };
        // The view time, where the lines end.
        const float x_now = x_of(b.view_time());
        dl->AddLine(ImVec2(x_now, plot_min.y), ImVec2(x_now, plot_max.y), ui::colour::with_alpha(ui::colour::kControlEdge, 0.5F));
        std::vector<ImVec2> points;
        points.reserve(samples.size() + 1);
        for (std::size_t k = 0; k < std::size(kHostChartStates); ++k) {
            const State st = kHostChartStates[k];
            points.clear();
            for (const HostSample& s : samples)
                if (s.t <= b.view_time()) points.emplace_back(x_of(s.t), y_of(s.host[h].count(st)));
            points.emplace_back(x_now, y_of(now.count(st)));
            if (points.size() == 1) points.insert(points.begin(), ImVec2(plot_min.x, points[0].y));
            dl->AddPolyline(points.data(), static_cast<int>(points.size()), ui::colour::rgb(kLineColours[k]), 0, 2.0F);
        }
    }
    // The legend: a swatch and the state's name, with its count on each host now.
    for (std::size_t k = 0; k < std::size(kHostChartStates); ++k) {
        const State st = kHostChartStates[k];
        char label[96];
        std::snprintf(label, sizeof label, "%s %u / %u", to_string(st), model.count(Side::Client, st), model.count(Side::Server, st));
        const float sw = ImGui::GetFontSize() * 0.9F;
        const float w = sw + 4 + ImGui::CalcTextSize(label).x;
        if (k > 0) ui::flow(w);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Dummy(ImVec2(w, line_h));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(p.x, p.y + (line_h - sw) * 0.5F + 1), ImVec2(p.x + sw, p.y + (line_h + sw) * 0.5F + 1),
                          ui::colour::rgb(kLineColours[k]));
        dl->AddText(ImVec2(p.x + sw + 4, p.y), ui::colour::kText, label);
        ui::expose(std::string("host.legend.") + to_string(st));
    }
    ui::flow(ImGui::CalcTextSize(m.tr("host.legend_note").c_str()).x);
    ImGui::TextColored(vec(ui::colour::kTextDim), "%s", m.tr("host.legend_note").c_str());
}

const std::vector<HostSocket>& HostPanel::rows(const Tutor& m, const BusyHost& b) {
    constexpr double kRefreshSeconds = 0.25;
    age_s_ += ImGui::GetIO().DeltaTime;
    const HostTableView& v = b.table_view;
    const bool same_view = drawn_ && generation_ == m.run_generation() && view_.sort == v.sort && view_.descending == v.descending &&
                           view_.filter == v.filter;
    const bool moved = events_ != b.model().events_processed();
    if (!same_view || (moved && (age_s_ >= kRefreshSeconds || !m.playing()))) {
        rows_ = b.rows();
        total_ = b.total_rows();
        events_ = b.model().events_processed();
        generation_ = m.run_generation();
        view_ = v;
        drawn_ = true;
        age_s_ = 0;
    }
    return rows_;
}

void HostPanel::draw_table(const Tutor& m, const BusyHost& b, Commands& out) {
    const HostTableView& v = b.table_view;
    // The filter: every state, or one of those the hosts have now.
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(vec(ui::colour::kTextDim), "%s", m.tr("host.filter").c_str());
    ImGui::SameLine();
    const std::string current = v.filter ? to_string(*v.filter) : m.tr("host.filter_all");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::BeginCombo("##host-filter", current.c_str(), ImGuiComboFlags_HeightLargest)) {
        if (ImGui::Selectable(m.tr("host.filter_all").c_str(), !v.filter)) out.push_back(cmd::HostFilter{});
        for (int k = 1; k < kStateCount; ++k) {
            const auto st = static_cast<State>(k);
            const std::uint32_t n = b.model().count(Side::Client, st) + b.model().count(Side::Server, st);
            const std::string label = std::string(to_string(st)) + "  (" + std::to_string(n) + ")##f" + std::to_string(k);
            if (ImGui::Selectable(label.c_str(), v.filter == st)) out.push_back(cmd::HostFilter{st});
            ui::expose(std::string("host.filter.") + to_string(st));
        }
        ImGui::EndCombo();
    }
    ui::expose("host.filter");
    const auto& rows = this->rows(m, b);
    const std::string count = m.trf("host.rows", {std::to_string(rows.size()), std::to_string(total_)});
    ui::flow(ImGui::CalcTextSize(count.c_str()).x);
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(vec(ui::colour::kTextDim), "%s", count.c_str());
    ui::expose("host.rows");

    // Each column as wide as its widest content or head, with room for the
    // sort's arrow; where the pane is narrower than all of them, the table
    // scrolls sideways rather than cut a word.
    const char* widest[kHostColumnCount] = {"SYN-RECEIVED", "00000", "00000", "10.77.0.2:65535", "10.77.0.2:65535", ""};
    float widths[kHostColumnCount];
    float sum = 0;
    for (int k = 0; k < kHostColumnCount; ++k) {
        std::string w = widest[k];
        if (k == kHostColumnCount - 1) w = m.tr("side.client").size() > m.tr("side.server").size() ? m.tr("side.client") : m.tr("side.server");
        widths[k] = std::max(ImGui::CalcTextSize(w.c_str()).x, ImGui::CalcTextSize(m.tr(kColumnKeys[k]).c_str()).x) + ImGui::GetFontSize();
        sum += widths[k] + ImGui::GetStyle().CellPadding.x * 2 + 1;
    }
    const bool sideways = sum + ImGui::GetStyle().ScrollbarSize > ImGui::GetContentRegionAvail().x;
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoSavedSettings | (sideways ? ImGuiTableFlags_ScrollX : 0);
    if (!ImGui::BeginTable("host-sockets", kHostColumnCount, flags, ImVec2(0, std::max(ImGui::GetContentRegionAvail().y, ImGui::GetFontSize() * 6))))
        return;
    for (int k = 0; k < kHostColumnCount; ++k) {
        const bool stretch = k == kHostColumnCount - 1 && !sideways;
        ImGui::TableSetupColumn(m.tr(kColumnKeys[k]).c_str(), stretch ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed,
                                stretch ? 0.0F : widths[k]);
    }
    ImGui::TableSetupScrollFreeze(0, 1);
    // The heads sort: a click sorts by that column, a second click reverses.
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int k = 0; k < kHostColumnCount; ++k) {
        ImGui::TableSetColumnIndex(k);
        const auto column = static_cast<HostColumn>(k);
        const bool sorted = v.sort == column;
        std::string label = m.tr(kColumnKeys[k]);
        ImGui::PushID(k);
        ImGui::TableHeader(label.c_str());
        if (ImGui::IsItemClicked()) out.push_back(cmd::HostSort{column, sorted ? !v.descending : false});
        ui::expose(std::string("host.col.") + to_string(column));
        if (sorted) {
            // The sort's direction as a drawn arrow: the fonts need no glyph for it.
            const ImVec2 max = ImGui::GetItemRectMax();
            const float s = ImGui::GetFontSize() * 0.3F;
            const ImVec2 c(max.x - s * 1.5F, (ImGui::GetItemRectMin().y + max.y) * 0.5F);
            ImDrawList* dl = ImGui::GetWindowDrawList();
            if (v.descending) dl->AddTriangleFilled(ImVec2(c.x - s, c.y - s * 0.6F), ImVec2(c.x + s, c.y - s * 0.6F), ImVec2(c.x, c.y + s * 0.6F), ui::colour::kAccent);
            else dl->AddTriangleFilled(ImVec2(c.x - s, c.y + s * 0.6F), ImVec2(c.x + s, c.y + s * 0.6F), ImVec2(c.x, c.y - s * 0.6F), ui::colour::kAccent);
        }
        ImGui::PopID();
    }
    // Thousands of rows: only those in sight are laid out.
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    char buf[32];
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const HostSocket& r = rows[static_cast<std::size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextUnformatted(to_string(r.state));
            ImGui::TableSetColumnIndex(1);
            std::snprintf(buf, sizeof buf, "%u", r.recv_q);
            ImGui::TextUnformatted(buf);
            ImGui::TableSetColumnIndex(2);
            std::snprintf(buf, sizeof buf, "%u", r.send_q);
            ImGui::TextUnformatted(buf);
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(local_address(r).c_str());
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(peer_address(r).c_str());
            ImGui::TableSetColumnIndex(5);
            ImGui::TextColored(vec(ui::colour::side(r.host)), "%s", m.tr(r.host == Side::Client ? "side.client" : "side.server").c_str());
            if (i == 0) ui::expose("host.row0");
        }
    }
    ImGui::EndTable();
}

void HostPanel::draw_counters(const Tutor& m, const BusyHost& b) {
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_NoSavedSettings;
    if (!ImGui::BeginTable("host-counters", 3, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    const float num = ui::mono_width("00000000");
    ImGui::TableSetupColumn(m.tr("host.counter").c_str(), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(m.tr("side.client").c_str(), ImGuiTableColumnFlags_WidthFixed, num);
    ImGui::TableSetupColumn(m.tr("side.server").c_str(), ImGuiTableColumnFlags_WidthFixed, num);
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    const HostCounters& c = b.model().counters(Side::Client);
    const HostCounters& s = b.model().counters(Side::Server);
    for (const CounterRow& row : kCounters) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(m.tr(row.key).c_str());
        ImGui::PopTextWrapPos();
        for (int k = 0; k < 2; ++k) {
            ImGui::TableSetColumnIndex(k + 1);
            const std::uint64_t n = (k == 0 ? c : s).*row.field;
            ImGui::TextColored(vec(n > 0 ? ui::colour::kText : ui::colour::kTextFaint), "%llu", static_cast<unsigned long long>(n));
        }
    }
    ImGui::EndTable();
}

}  // namespace finwave::web
