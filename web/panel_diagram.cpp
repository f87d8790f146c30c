#include "panel_diagram.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "diagram.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

struct Box {
    ImVec2 min, max;
    ImVec2 centre() const { return ImVec2((min.x + max.x) * 0.5F, (min.y + max.y) * 0.5F); }
};

// Where the line from the box's centre towards `towards` leaves the box.
ImVec2 exit_point(const Box& b, ImVec2 towards) {
    const ImVec2 c = b.centre();
    const float dx = towards.x - c.x;
    const float dy = towards.y - c.y;
    const float hw = (b.max.x - b.min.x) * 0.5F + 3;
    const float hh = (b.max.y - b.min.y) * 0.5F + 3;
    const float tx = dx != 0 ? hw / std::abs(dx) : 1e9F;
    const float ty = dy != 0 ? hh / std::abs(dy) : 1e9F;
    const float t = std::min(tx, ty);
    return ImVec2(c.x + dx * t, c.y + dy * t);
}

ImVec2 bezier(ImVec2 a, ImVec2 c, ImVec2 b, float t) {
    const float u = 1 - t;
    return ImVec2(u * u * a.x + 2 * u * t * c.x + t * t * b.x, u * u * a.y + 2 * u * t * c.y + t * t * b.y);
}

struct Curve {
    ImVec2 a, c, b;  // start, control, end (end at the target box's border)
};

Curve edge_curve(const std::vector<Box>& boxes, const DiagramEdge& e) {
    const ImVec2 p = boxes[static_cast<std::size_t>(e.from)].centre();
    const ImVec2 q = boxes[static_cast<std::size_t>(e.to)].centre();
    const float dx = q.x - p.x;
    const float dy = q.y - p.y;
    const ImVec2 mid((p.x + q.x) * 0.5F, (p.y + q.y) * 0.5F);
    const ImVec2 control(mid.x - dy * e.bend, mid.y + dx * e.bend);
    return {exit_point(boxes[static_cast<std::size_t>(e.from)], control), control, exit_point(boxes[static_cast<std::size_t>(e.to)], control)};
}

void draw_curve(ImDrawList* dl, const Curve& k, ImU32 col, float thickness, bool head) {
    dl->AddBezierQuadratic(k.a, k.c, k.b, col, thickness, 20);
    if (!head) return;
    const ImVec2 from = bezier(k.a, k.c, k.b, 0.9F);
    const float dx = k.b.x - from.x;
    const float dy = k.b.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.01F) return;
    const ImVec2 u(dx / len, dy / len);
    const ImVec2 n(-u.y, u.x);
    const float s = 5 + thickness * 1.5F;
    dl->AddTriangleFilled(k.b, ImVec2(k.b.x - u.x * s + n.x * s * 0.5F, k.b.y - u.y * s + n.y * s * 0.5F),
                          ImVec2(k.b.x - u.x * s - n.x * s * 0.5F, k.b.y - u.y * s - n.y * s * 0.5F), col);
}

float distance_to_curve(ImVec2 p, const Curve& k) {
    float best = 1e9F;
    ImVec2 prev = k.a;
    for (int i = 1; i <= 16; ++i) {
        const ImVec2 cur = bezier(k.a, k.c, k.b, static_cast<float>(i) / 16.0F);
        const ImVec2 ab(cur.x - prev.x, cur.y - prev.y);
        const float len2 = ab.x * ab.x + ab.y * ab.y;
        float f = len2 > 0 ? ((p.x - prev.x) * ab.x + (p.y - prev.y) * ab.y) / len2 : 0;
        f = std::clamp(f, 0.0F, 1.0F);
        best = std::min(best, std::hypot(prev.x + ab.x * f - p.x, prev.y + ab.y * f - p.y));
        prev = cur;
    }
    return best;
}

std::string row_text(int row, const i18n::Words& w) {
    const Transition& t = transition_table()[static_cast<std::size_t>(row)];
    std::string s = i18n::cause_text(t.cause, w);
    if (t.action[0] != '\0') s += std::string(" / ") + t.action;
    return s;
}

}  // namespace

Commands DiagramPanel::draw(const Tutor& m) {
    Commands out;
    const StateDiagram& d = state_diagram();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float legend_h = ImGui::GetTextLineHeightWithSpacing() * 2 + 6;
    const ImVec2 area(avail.x, std::max(avail.y - legend_h, 120.0F));
    ImGui::InvisibleButton("##diagram", area);
    const bool hovered_area = ImGui::IsItemHovered();
    ui::expose("diagram");

    ImFont* mono = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
    const float text_px = std::min(mono->FontSize * ImGui::GetIO().FontGlobalScale * 0.92F, area.y / 22.0F + 3);
    const float box_w = ui::mono_width("SYN-RECEIVED", text_px) + 14;
    const float box_h = text_px + 10;

    std::vector<Box> boxes;
    for (const DiagramNode& n : d.nodes) {
        const float x = origin.x + box_w * 0.5F + 2 + n.x * (area.x - box_w - 4);
        const float y = origin.y + box_h * 0.5F + 2 + n.y * (area.y - box_h - 4);
        boxes.push_back({ImVec2(x - box_w * 0.5F, y - box_h * 0.5F), ImVec2(x + box_w * 0.5F, y + box_h * 0.5F)});
    }

    const bool sim = m.has_sim();
    // A side whose state an open question asks for is not highlighted.
    const Hidden hidden = m.hidden();
    const bool show[2] = {sim && !hidden.state[0], sim && !hidden.state[1]};
    const LastEdge last[2] = {show[0] ? last_edge(m.sim(), Side::Client) : LastEdge{}, show[1] ? last_edge(m.sim(), Side::Server) : LastEdge{}};
    const int here[2] = {show[0] ? current_node(m.sim(), Side::Client) : -1, show[1] ? current_node(m.sim(), Side::Server) : -1};

    // Which edge the pointer is on, for its rows in a tooltip.
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    int hover_edge = -1;
    float hover_d = 7;
    std::vector<Curve> curves;
    for (std::size_t i = 0; i < d.edges.size(); ++i) {
        const DiagramEdge& e = d.edges[i];
        if (e.from == e.to) {
            curves.push_back({});
            continue;
        }
        curves.push_back(edge_curve(boxes, e));
        const bool shown = !e.abortive || last[0].edge == static_cast<int>(i) || last[1].edge == static_cast<int>(i);
        if (hovered_area && shown) {
            const float dist = distance_to_curve(mouse, curves.back());
            if (dist < hover_d) {
                hover_d = dist;
                hover_edge = static_cast<int>(i);
            }
        }
    }

    // The state under the pointer shows all its ways out, aborts included.
    int hover_node = -1;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (hovered_area && mouse.x >= boxes[i].min.x && mouse.x < boxes[i].max.x && mouse.y >= boxes[i].min.y && mouse.y < boxes[i].max.y)
            hover_node = static_cast<int>(i);

    // Edges: the ordinary ones, then the lit ones on top. Aborts, resets and
    // give-ups (to CLOSED from nearly everywhere) only when taken or asked for.
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < d.edges.size(); ++i) {
            const DiagramEdge& e = d.edges[i];
            const bool lit = last[0].edge == static_cast<int>(i) || last[1].edge == static_cast<int>(i);
            if ((pass == 1) != lit) continue;
            // A loop (TIME-WAIT's retransmitted FIN) is rare: shown like the aborts.
            const bool quiet = e.abortive || e.from == e.to;
            if (quiet && !lit && e.from != hover_node && static_cast<int>(i) != hover_edge) continue;
            ImU32 col = e.abortive ? ui::colour::with_alpha(ui::colour::kLost, 0.6F) : ui::colour::with_alpha(ui::colour::kTextDim, 0.75F);
            if (e.from == hover_node && !e.abortive) col = ui::colour::kText;
            float thick = e.abortive ? 1.0F : 1.4F;
            if (static_cast<int>(i) == hover_edge) {
                col = ui::colour::kText;
                thick = 2.0F;
            }
            if (lit) {
                const Side s = last[1].edge == static_cast<int>(i) && last[0].edge != static_cast<int>(i) ? Side::Server : Side::Client;
                col = ui::colour::side(s);
                thick = 3.0F;
            }
            if (e.from == e.to) {
                // A loop under the box's bottom left corner: TIME-WAIT's restarted timer.
                const Box& b = boxes[static_cast<std::size_t>(e.from)];
                const ImVec2 c(b.min.x + 4, b.min.y + 2);
                dl->PathArcTo(c, 7, 1.2F, 6.0F, 16);
                dl->PathStroke(col, 0, thick);
                continue;
            }
            draw_curve(dl, curves[i], col, thick, true);
        }
    }

    // States.
    for (std::size_t i = 0; i < d.nodes.size(); ++i) {
        const Box& b = boxes[i];
        const bool client = here[0] == static_cast<int>(i);
        const bool server = here[1] == static_cast<int>(i);
        const float r = box_h * 0.3F;
        dl->AddRectFilled(b.min, b.max, ui::colour::kPaneDark, r);
        if (client && server) {
            const float mid = (b.min.x + b.max.x) * 0.5F;
            dl->AddRectFilled(b.min, ImVec2(mid, b.max.y), ui::colour::with_alpha(ui::colour::kClient, 0.85F), r, ImDrawFlags_RoundCornersLeft);
            dl->AddRectFilled(ImVec2(mid, b.min.y), b.max, ui::colour::with_alpha(ui::colour::kServer, 0.85F), r, ImDrawFlags_RoundCornersRight);
        } else if (client || server) {
            dl->AddRectFilled(b.min, b.max, ui::colour::with_alpha(client ? ui::colour::kClient : ui::colour::kServer, 0.85F), r);
        }
        dl->AddRect(b.min, b.max, client || server ? ui::colour::kText : ui::colour::kGrid, r, 0, client || server ? 1.5F : 1.0F);
        const std::string name = to_string(d.nodes[i].state);
        const float w = ui::mono_width(name, text_px);
        ui::mono_text(dl, ImVec2(b.centre().x - w * 0.5F, b.centre().y - text_px * 0.5F),
                      client || server ? ui::colour::kBackground : ui::colour::kText, name, text_px);
        if (hovered_area && mouse.x >= b.min.x && mouse.x < b.max.x && mouse.y >= b.min.y && mouse.y < b.max.y) {
            ui::tooltip(name + "\n" + m.tr("state." + name));
            hover_edge = -1;
        }
        ui::expose_rect("diagram.state." + name + (d.nodes[i].closing_end ? ".end" : ""), b.min, b.max);
    }

    if (hover_edge >= 0) {
        const DiagramEdge& e = d.edges[static_cast<std::size_t>(hover_edge)];
        std::string tip = std::string(to_string(d.nodes[static_cast<std::size_t>(e.from)].state)) + " -> " +
                          to_string(d.nodes[static_cast<std::size_t>(e.to)].state);
        for (int row : e.rows) {
            const Transition& t = transition_table()[static_cast<std::size_t>(row)];
            tip += "\n  " + row_text(row, m.words());
            if (t.note[0] != '\0') tip += std::string("  (") + i18n::edge_note(t, m.words()) + ")";
            if (t.linux_only) tip += "  [" + m.tr("diagram.linux_only") + "]";
        }
        ui::tooltip(tip);
    }

    // Legend: each side's colour, and the edge it took last in the table's
    // words (on the picture itself a label would cover the states).
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + area.y + 4));
    for (Side s : {Side::Client, Side::Server}) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float sz = ImGui::GetFontSize() * 0.7F;
        dl->AddRectFilled(ImVec2(p.x, p.y + sz * 0.35F), ImVec2(p.x + sz, p.y + sz * 1.35F), ui::colour::side(s), 2);
        ImGui::Dummy(ImVec2(sz + 2, sz));
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ui::colour::side(s)), "%s", m.tr(s == Side::Client ? "diagram.client" : "diagram.server").c_str());
        const LastEdge& le = last[static_cast<int>(s)];
        if (le.row >= 0) {
            const Transition& t = transition_table()[static_cast<std::size_t>(le.row)];
            const State from = t.from.value_or(t.to);
            ImGui::SameLine();
            const std::string text = row_text(le.row, m.words());
            const ImVec2 q = ImGui::GetCursorScreenPos();
            const float w = ui::mono_width(text, text_px);
            ImGui::Dummy(ImVec2(w, ImGui::GetFontSize()));
            ui::mono_text(dl, ImVec2(q.x, q.y + (ImGui::GetFontSize() - text_px) * 0.5F), ui::colour::kTextDim, text, text_px);
            ui::expose(std::string("diagram.last.") + to_string(s));
            if (ImGui::IsItemHovered()) {
                std::string tip = std::string(to_string(from)) + " -> " + to_string(t.to) + "\n" + text;
                if (t.note[0] != '\0') tip += std::string("\n") + i18n::edge_note(t, m.words());
                ui::tooltip(tip);
            }
        }
    }
    return out;
}

}  // namespace finwave::web
