#include "panel_ladder.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "text.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

// The ladder's height at which time is drawn at the zoom's own scale, and the
// least fraction of it a shorter pane draws time at: there an arrow on a
// 10 ms link is 20 px tall, so that a laptop's ladder (1366x657) holds the
// last eight segments of a four-way close. Labels that would still meet
// slide apart along their arrows (LabelPlaces).
constexpr double kFullHeightPx = 880.0;
constexpr double kMinFit = 0.4;
constexpr double kLabelSpanPx = 290.0;
constexpr double kSidesPx = 290.0;  // about what the times and the two sides' badges take of the width

ImVec2 lerp(ImVec2 a, ImVec2 b, float f) { return ImVec2(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f); }

// Where the labels of the arrows drawn so far are, each a box turned to its
// arrow's slope. Two arrows that cross (a simultaneous close) or meet in a V
// (a segment and its ACK) have their middles close together: a later label
// slides along its own arrow, or goes under it (the inside of a V is then
// left to the lines), to the first place where it clears the earlier ones.
// Where none does (a burst of segments sent at one instant), the label is
// left out: the arrow still names itself on hover and in the packets table.
class LabelPlaces {
public:
    struct Box {
        ImVec2 c, half;  // centre; half width along the arrow, half height across it
        float cs = 1, sn = 0;
    };
    // Where a label w x h riding `lift` above (or under) the arrow tail->tip goes, if anywhere.
    std::optional<Box> place(ImVec2 tail, ImVec2 tip, float angle, ImVec2 up, float lift, float w, float h, float span) {
        // The label stays on its arrow: its centre no nearer an end than half its width.
        const float edge = span > 0 ? std::min(0.5F, (w * 0.5F + 6) / span) : 0.5F;
        struct Spot {
            float f, side;  // along the arrow; above it (1) or under it (-1)
        };
        for (Spot spot : {Spot{0.5F, 1}, Spot{0.32F, 1}, Spot{0.68F, 1}, Spot{0.5F, -1}, Spot{0.32F, -1}, Spot{0.68F, -1},
                          Spot{0.2F, 1}, Spot{0.8F, 1}}) {
            const ImVec2 mid = lerp(tail, tip, std::clamp(spot.f, edge, 1.0F - edge));
            const Box b{ImVec2(mid.x + up.x * lift * spot.side, mid.y + up.y * lift * spot.side), ImVec2(w * 0.5F, h * 0.5F),
                        std::cos(angle), std::sin(angle)};
            if (std::none_of(boxes_.begin(), boxes_.end(), [&](const Box& o) { return overlap(b, o); })) {
                boxes_.push_back(b);
                return b;
            }
        }
        return std::nullopt;
    }

private:
    // Separating axes: two turned boxes are apart when, along one of their
    // four edge directions, their shadows do not meet.
    static bool overlap(const Box& a, const Box& b) {
        const ImVec2 d(b.c.x - a.c.x, b.c.y - a.c.y);
        for (const Box* axis_of : {&a, &b}) {
            for (int k = 0; k < 2; ++k) {
                const ImVec2 ax = k == 0 ? ImVec2(axis_of->cs, axis_of->sn) : ImVec2(-axis_of->sn, axis_of->cs);
                auto reach = [&](const Box& x) {
                    return x.half.x * std::abs(x.cs * ax.x + x.sn * ax.y) + x.half.y * std::abs(-x.sn * ax.x + x.cs * ax.y);
                };
                if (std::abs(d.x * ax.x + d.y * ax.y) >= reach(a) + reach(b)) return false;
            }
        }
        return true;
    }
    std::vector<Box> boxes_;
};

float distance_to_segment(ImVec2 p, ImVec2 a, ImVec2 b) {
    const ImVec2 ab(b.x - a.x, b.y - a.y);
    const float len2 = ab.x * ab.x + ab.y * ab.y;
    float f = len2 > 0 ? ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2 : 0;
    f = std::clamp(f, 0.0F, 1.0F);
    const ImVec2 q(a.x + ab.x * f - p.x, a.y + ab.y * f - p.y);
    return std::sqrt(q.x * q.x + q.y * q.y);
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash = 5, float gap = 4) {
    const float dx = b.x - a.x;
    const float dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5F) return;
    for (float s = 0; s < len; s += dash + gap) {
        const float e = std::min(s + dash, len);
        dl->AddLine(ImVec2(a.x + dx * s / len, a.y + dy * s / len), ImVec2(a.x + dx * e / len, a.y + dy * e / len), col, thickness);
    }
}

void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 tip, ImU32 col, float size) {
    const float dx = tip.x - from.x;
    const float dy = tip.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5F) return;
    const ImVec2 u(dx / len, dy / len);
    const ImVec2 n(-u.y, u.x);
    const ImVec2 base(tip.x - u.x * size, tip.y - u.y * size);
    dl->AddTriangleFilled(tip, ImVec2(base.x + n.x * size * 0.45F, base.y + n.y * size * 0.45F),
                          ImVec2(base.x - n.x * size * 0.45F, base.y - n.y * size * 0.45F), col);
}

const char* click_verb_key(ClickFault c) {
    switch (c) {
        case ClickFault::Drop: return "fault.drop";
        case ClickFault::Duplicate: return "fault.duplicate";
        case ClickFault::Delay: return "fault.delay";
    }
    return "fault.drop";
}

// State colours on the timelines: the connection's phase at a glance.
ImU32 state_colour(State s) {
    switch (s) {
        case State::Closed: return ui::colour::kTextFaint;
        case State::Listen:
        case State::SynSent:
        case State::SynReceived: return ui::colour::rgb(palette::kStateOpening);
        case State::Established: return ui::colour::kRight;
        case State::TimeWait: return ui::colour::rgb(palette::kStateTimeWait);
        default: return ui::colour::rgb(palette::kStateClosing);
    }
}

}  // namespace

Commands LadderPanel::draw(const Tutor& m, ClickFault click) {
    Commands out;
    if (!m.has_sim()) {
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const std::string& msg = m.sim_error().empty() ? m.tr("ladder.no_sim") : m.sim_error();
        // Centred when it fits on a line, wrapped at the pane's edge when not.
        const ImVec2 size = ImGui::CalcTextSize(msg.c_str());
        ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + std::max(0.0F, (avail.x - size.x) * 0.5F), ImGui::GetCursorPosY() + avail.y * 0.4F));
        ui::text_wrapped(ui::colour::kTextDim, msg);
        return out;
    }
    const Simulation& sim = m.sim();
    const Instant now = m.view_time();
    const Hidden hidden = m.hidden();  // what an open question asks for: never drawn
    // The run is rebuilt in place (same address) when a knob or the profile
    // changes: its generation, not its address, says the data is stale.
    if (cached_generation_ != m.run_generation() || cached_position_ != m.run().position() || cached_trace_ != sim.trace().size()) {
        data_ = build_ladder(sim);
        cached_generation_ = m.run_generation();
        cached_position_ = m.run().position();
        cached_trace_ = sim.trace().size();
    }
    // A short pane (a laptop's 1366x657) draws time closer together, so that
    // as many exchanges fit as on a taller screen; the zoom scales from there.
    // A narrow ladder keeps more height: its arrows are steeper, and the
    // labels of a segment and its answer (a V) need that much more room to
    // stay apart. kLabelSpanPx is the distance between the timelines at
    // which the least scale still reads well.
    const double span = ImGui::GetContentRegionAvail().x - kSidesPx;
    const double least = kMinFit * std::clamp(kLabelSpanPx / std::max(span, 1.0), 1.0, 1.15);
    const double fit = std::clamp(ImGui::GetContentRegionAvail().y / kFullHeightPx, std::min(least, 1.0), 1.0);
    TimeAxis::Scale scale;
    scale.px_per_ms = px_per_ms * fit;
    // A break has room for its "+40 ms" between the times at its two ends.
    const ImFont* axis_font = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
    scale.max_gap_px = std::max(axis_font->FontSize * ImGui::GetIO().FontGlobalScale * 2.0, 60.0 * fit);
    scale.min_gap_px = 8.0;
    axis_.build(ladder_times(data_, now), scale);

    ImGui::BeginChild("ladder-canvas", ImVec2(0, 0), false, ImGuiWindowFlags_NoNavInputs);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImGuiIO& io = ImGui::GetIO();
    const float font = ImGui::GetFontSize();
    ImFont* mono = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
    const float mono_px = mono->FontSize * io.FontGlobalScale;
    const float width = ImGui::GetContentRegionAvail().x;
    const float visible_h = ImGui::GetWindowHeight();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float gutter = mono_px * 4.6F;
    // Room beside each timeline for the longest state name in a pill.
    const float mark_px = std::round(mono_px * 0.88F);
    float tag_w = ui::mono_width("SYN-RECEIVED", mark_px) + 22;
    if (width - gutter - tag_w * 2 < font * 12) tag_w = std::max(font * 4.0F, (width - gutter - font * 12) * 0.5F);
    const float cx = origin.x + gutter + tag_w;
    const float sx = origin.x + width - tag_w;
    auto x_of = [&](Side s) { return s == Side::Client ? cx : sx; };

    // The column heads, "Client  FIN-WAIT-2", on one line where the two fit
    // side by side with the longest state name; else the name above the state.
    const float head_gap = font * 0.6F;
    const float longest_state = ui::mono_width("SYN-RECEIVED", mono_px);
    auto head_left = [&](Side side, float w) {
        return std::clamp(x_of(side) - w * 0.5F, origin.x + 2, origin.x + width - 2 - w);
    };
    const float client_w = ImGui::CalcTextSize(m.tr("side.client").c_str()).x + head_gap + longest_state;
    const float server_w = ImGui::CalcTextSize(m.tr("side.server").c_str()).x + head_gap + longest_state;
    const bool one_line_heads = head_left(Side::Client, client_w) + client_w + font <= head_left(Side::Server, server_w);
    const float header_h = font * (one_line_heads ? 1.5F : 2.4F);
    const float top = header_h + font * 0.45F;
    const float content_h = top + static_cast<float>(axis_.height()) + font * 3;
    ImGui::Dummy(ImVec2(width, content_h));
    auto y_of = [&](Instant t) { return origin.y + top + static_cast<float>(axis_.y(t)); };
    const float clip_top = ImGui::GetWindowPos().y;
    const float clip_bottom = clip_top + visible_h;
    const float now_y = y_of(now);

    // Breaks: long quiet stretches drawn short, with their length.
    const float gap_px = std::round(mono_px * 0.8F);
    for (const auto& b : axis_.breaks()) {
        const float y0 = origin.y + top + static_cast<float>(b.y);
        const float y1 = y0 + static_cast<float>(b.height);
        if (y1 < clip_top || y0 > clip_bottom) continue;
        dl->AddRectFilled(ImVec2(origin.x, y0 + 6), ImVec2(origin.x + width, y1 - 6), ui::colour::with_alpha(ui::colour::kPaneDark, 0.9F));
        const float ym = (y0 + y1) * 0.5F;
        for (float x : {cx, sx}) {
            dl->AddLine(ImVec2(x - 7, ym - 5), ImVec2(x + 7, ym - 9), ui::colour::kTextDim, 1.5F);
            dl->AddLine(ImVec2(x - 7, ym + 5), ImVec2(x + 7, ym + 1), ui::colour::kTextDim, 1.5F);
        }
        // Its length, a little smaller than the times at its two ends, fits between them.
        const std::string gap = "+" + human_duration(b.gap);
        ui::mono_text(dl, ImVec2(origin.x + 2, ym - gap_px * 0.5F), ui::colour::kTextDim, gap, gap_px);
    }

    // Timelines, coloured by the side's state; dotted beyond "now".
    for (Side side : {Side::Client, Side::Server}) {
        const float x = x_of(side);
        State state = State::Closed;
        float y = origin.y + top - font * 0.5F;
        auto segment = [&](float y_end) {
            if (y_end <= y) return;
            const bool open = state != State::Closed && state != State::Listen;
            dl->AddLine(ImVec2(x, y), ImVec2(x, y_end), open ? state_colour(state) : ui::colour::kGrid, open ? 3.0F : 1.5F);
        };
        for (const auto& mk : data_.marks) {
            if (mk.side != side || mk.kind != LadderMark::Kind::State) continue;
            const float ym = y_of(mk.t);
            segment(ym);
            y = std::max(y, ym);
            state = mk.state;
        }
        segment(now_y);
        dashed_line(dl, ImVec2(x, std::max(y, now_y)), ImVec2(x, origin.y + content_h), ui::colour::kGrid, 1.0F, 3, 4);
    }

    // Where this step began, and "now".
    if (m.step_start() > 0) {
        const std::size_t at = m.run().trace_size_at(m.step_start());
        if (at > 0 && at <= sim.trace().size()) {
            const float ys = y_of(sim.trace()[at - 1].t);
            dashed_line(dl, ImVec2(origin.x + gutter * 0.6F, ys), ImVec2(origin.x + width, ys), ui::colour::with_alpha(ui::colour::kAccent, 0.35F), 1.0F, 2, 5);
            if (ImGui::IsWindowHovered() && std::abs(io.MousePos.y - ys) < 4) ui::tooltip(m.tr("ladder.start"));
        }
    }
    dashed_line(dl, ImVec2(origin.x + gutter - 4, now_y), ImVec2(origin.x + width, now_y), ui::colour::with_alpha(ui::colour::kNow, 0.8F), 1.5F);

    // Arrows.
    const ImVec2 mouse = io.MousePos;
    const bool hover_window = ImGui::IsWindowHovered();
    int hovered = -1;
    float hovered_d = 1e9F;
    struct Drawn {
        ImVec2 a, b;  // the solid part
        ImVec2 head;
        bool flying = false;
    };
    std::vector<Drawn> drawn(data_.arrows.size());
    for (std::size_t i = 0; i < data_.arrows.size(); ++i) {
        const LadderArrow& a = data_.arrows[i];
        const Instant end = a.fate == LadderArrow::Fate::Lost ? a.lost_at : a.fate == LadderArrow::Fate::InFlight ? now : a.arrives;
        const float flight_us = static_cast<float>(std::max<std::int64_t>(1, (a.arrives - a.sent).us));
        const float f_end = std::clamp(static_cast<float>((end - a.sent).us) / flight_us, 0.0F, 1.0F);
        const ImVec2 p0(x_of(a.from), y_of(a.sent));
        const ImVec2 p1(x_of(peer_of(a.from)), y_of(a.arrives));
        const ImVec2 pe(p0.x + (p1.x - p0.x) * f_end, y_of(end));
        drawn[i] = {p0, pe, pe, a.fate == LadderArrow::Fate::InFlight};
        if (std::max(p0.y, p1.y) < clip_top - 40 || std::min(p0.y, p1.y) > clip_bottom + 40) continue;
        if (hover_window) {
            float d = distance_to_segment(mouse, p0, pe);
            if (drawn[i].flying) d = std::min(d, std::hypot(mouse.x - pe.x, mouse.y - pe.y) - 6);
            if (d < 8 && d < hovered_d) {
                hovered = static_cast<int>(i);
                hovered_d = d;
            }
        }
    }

    LabelPlaces placed;
    for (std::size_t i = 0; i < data_.arrows.size(); ++i) {
        const LadderArrow& a = data_.arrows[i];
        const Drawn& d = drawn[i];
        const ImVec2 p1(x_of(peer_of(a.from)), y_of(a.arrives));
        if (std::max(d.a.y, p1.y) < clip_top - 40 || std::min(d.a.y, p1.y) > clip_bottom + 40) continue;
        const bool selected = m.selected_segment && *m.selected_segment == a.seg_id;
        const bool hot = static_cast<int>(i) == hovered || selected;
        const ImU32 base = (a.flags & flag::RST) ? ui::colour::kLost : ui::colour::side(a.from);
        const ImU32 col = hot ? ui::colour::rgb(0xff, 0xff, 0xff) : base;
        const float thick = hot ? 3.0F : (a.flags & (flag::FIN | flag::SYN | flag::RST)) ? 2.4F : 1.6F;
        switch (a.fate) {
            case LadderArrow::Fate::Delivered:
                dl->AddLine(d.a, d.b, col, thick);
                arrow_head(dl, d.a, d.b, col, 10);
                break;
            case LadderArrow::Fate::InFlight: {
                dashed_line(dl, d.b, p1, ui::colour::with_alpha(base, 0.35F), 1.2F);
                dl->AddLine(d.a, d.b, col, thick);
                const float r = hot ? 8.0F : 6.5F;
                dl->AddCircleFilled(d.head, r, base);
                dl->AddCircle(d.head, r + 2.5F, ui::colour::with_alpha(ui::colour::kText, hot ? 0.9F : 0.5F), 20, 1.5F);
                std::string name = "ladder.seg." + std::to_string(a.seg_id);
                if (a.copy) name += ".copy";
                ui::expose_rect(name, ImVec2(d.head.x - 9, d.head.y - 9), ImVec2(d.head.x + 9, d.head.y + 9));
                break;
            }
            case LadderArrow::Fate::Lost: {
                dl->AddLine(d.a, d.b, col, thick);
                const float s = 7;
                dl->AddLine(ImVec2(d.b.x - s, d.b.y - s), ImVec2(d.b.x + s, d.b.y + s), ui::colour::kLost, 3.0F);
                dl->AddLine(ImVec2(d.b.x - s, d.b.y + s), ImVec2(d.b.x + s, d.b.y - s), ui::colour::kLost, 3.0F);
                break;
            }
        }
        // Arrows wholly in sight, below the pinned header: what a reader of the
        // ladder can follow end to end (the browser tests count them).
        if (std::min(d.a.y, p1.y) >= clip_top + header_h && std::max(d.a.y, p1.y) <= clip_bottom) {
            std::string name = "ladder.arrow." + std::to_string(a.seg_id);
            if (a.copy) name += ".copy";
            ui::expose_rect(name, ImVec2(std::min(d.a.x, p1.x), std::min(d.a.y, p1.y)),
                            ImVec2(std::max(d.a.x, p1.x), std::max(d.a.y, p1.y)));
        }
        // The label rides on the arrow, rotated to its slope and always
        // reading left to right, as in a capture tool's flow graph.
        std::string tag;
        if (a.retransmission) tag = m.tr("ladder.retransmission");
        if (a.copy) tag = m.tr("ladder.copy");
        if (a.injected) tag = m.tr("ladder.injected");
        if (a.fate == LadderArrow::Fate::Lost) tag = m.tr(a.cause == DropCause::Learner ? "ladder.dropped_by_you" : "ladder.lost");
        const ImVec2 tail = d.a;
        const ImVec2 tip = a.fate == LadderArrow::Fate::Delivered ? d.b : p1;
        float angle = std::atan2(tip.y - tail.y, tip.x - tail.x);
        if (tip.x < tail.x) angle += 3.14159265F;
        const ImVec2 up(std::sin(angle), -std::cos(angle));  // the side of the line above the text
        // On a narrow ladder the label shrinks to its arrow, down to 3/4 size.
        const float span_px = std::hypot(tip.x - tail.x, tip.y - tail.y);
        std::string label = hidden.segment(a.seg_id)
                                      ? capture_label_hiding(a.flags, a.seq, a.ack, a.len, hidden.field(a.seg_id, "seq"),
                                                             hidden.field(a.seg_id, "ack"), hidden.field(a.seg_id, "len"))
                                      : a.label;
        float full_w = ui::mono_width(label, mono_px) + (tag.empty() ? 0 : ImGui::CalcTextSize(tag.c_str()).x * (mono_px / font) + 12);
        // Too long for its arrow even at 3/4 size (a narrow ladder): the
        // flags, then "...", the whole on hover (and in the packets table).
        if (const auto cut = label.find("  "); full_w * 0.75F > span_px * 0.92F && cut != std::string::npos) {
            label = label.substr(0, cut) + " ...";
            full_w = ui::mono_width(label, mono_px) + (tag.empty() ? 0 : ImGui::CalcTextSize(tag.c_str()).x * (mono_px / font) + 12);
        }
        const float label_px = full_w > span_px * 0.92F ? std::max(mono_px * 0.75F, mono_px * span_px * 0.92F / full_w) : mono_px;
        const float label_w = ui::mono_width(label, label_px);
        const float tag_w_px = tag.empty() ? 0 : ImGui::CalcTextSize(tag.c_str()).x * (label_px / font) + 12;
        const float total = label_w + tag_w_px;
        const float lift = label_px * 0.5F + 3;
        const auto spot = placed.place(tail, tip, angle, up, lift, total + 6, label_px + 2, span_px);
        if (!spot) continue;
        const ImVec2 pivot = spot->c;
        {
            // For the tests: the label's box before it is turned, and the turn (in milliradians).
            std::string name = "ladder.label." + std::to_string(a.seg_id);
            if (a.copy) name += ".copy";
            ui::expose_rect(name, ImVec2(pivot.x - spot->half.x, pivot.y - spot->half.y), ImVec2(pivot.x + spot->half.x, pivot.y + spot->half.y));
            const float turn = std::atan2(spot->sn, spot->cs) * 1000.0F;
            ui::expose_rect(name + ".turn", ImVec2(turn, 0), ImVec2(turn, 0));
        }
        const int first_vertex = dl->VtxBuffer.Size;
        const float lx = pivot.x - total * 0.5F;
        const float ly = pivot.y - label_px * 0.5F;
        dl->AddRectFilled(ImVec2(lx - 3, ly - 1), ImVec2(lx + total + 3, ly + label_px + 1), ui::colour::with_alpha(ui::colour::kPane, 0.8F), 3);
        const ImU32 text_col = a.fate == LadderArrow::Fate::Lost ? ui::colour::kLost : hot ? ui::colour::rgb(0xff, 0xff, 0xff) : ui::colour::kText;
        ui::mono_text(dl, ImVec2(lx, ly), text_col, label, label_px);
        if (!tag.empty()) {
            const float tx = lx + label_w + 9;
            const ImU32 tag_col = a.fate == LadderArrow::Fate::Lost ? ui::colour::kLost : ui::colour::kServer;
            dl->AddRect(ImVec2(tx - 3, ly - 1), ImVec2(tx + tag_w_px - 9, ly + label_px + 1), ui::colour::with_alpha(tag_col, 0.7F), 3);
            dl->AddText(nullptr, label_px, ImVec2(tx, ly), tag_col, tag.c_str());
        }
        const float cs = std::cos(angle);
        const float sn = std::sin(angle);
        for (int v = first_vertex; v < dl->VtxBuffer.Size; ++v) {
            ImVec2& q = dl->VtxBuffer[v].pos;
            const float rx = q.x - pivot.x;
            const float ry = q.y - pivot.y;
            q = ImVec2(pivot.x + rx * cs - ry * sn, pivot.y + rx * sn + ry * cs);
        }
    }

    // Marks beside the timelines, pushed down where they would overlap. A
    // long one ("app will never close()") may reach into the times' gutter;
    // the times there give way to it.
    std::vector<ImVec4> gutter_marks;
    for (Side side : {Side::Client, Side::Server}) {
        float next_free = -1e9F;
        const float x = x_of(side);
        for (const auto& mk : data_.marks) {
            if (mk.side != side) continue;
            std::string text;
            ImU32 col = ui::colour::kTextDim;
            bool pill = false;
            switch (mk.kind) {
                case LadderMark::Kind::State:
                    text = to_string(mk.state);
                    col = state_colour(mk.state);
                    if (hidden.names(side, mk.state)) {
                        text = "?";
                        col = ui::colour::kTextDim;
                    }
                    pill = true;
                    break;
                case LadderMark::Kind::App: text = i18n::call_text(mk.call, m.words()); col = ui::colour::side(side); break;
                case LadderMark::Kind::Notice:
                    switch (mk.notice) {
                        case Notice::Eof: text = m.tr("mark.eof"); break;
                        case Notice::Reset: text = m.tr("mark.reset"); break;
                        case Notice::Refused: text = m.tr("mark.refused"); break;
                        case Notice::TimedOut: text = m.tr("mark.timed_out"); break;
                        case Notice::CorruptData: text = m.tr("mark.corrupt"); break;
                        default: text = m.trf("mark.error", {errno_name(mk.error)}); break;
                    }
                    col = mk.notice == Notice::Eof ? ui::colour::kAccent : ui::colour::kLost;
                    break;
                case LadderMark::Kind::Timer:
                    text = m.trf("mark.timer", {m.tr(std::string("timer.") + to_string(mk.timer))});
                    col = ui::colour::kTextDim;
                    break;
            }
            const float h = mark_px + (pill ? 6 : 2);
            const float want = y_of(mk.t) - h * 0.5F;
            const float yy = std::max(want, next_free);
            next_free = yy + h + 2;
            if (yy > clip_bottom || yy + h < clip_top) continue;
            // A narrow ladder has less room beside a timeline than the
            // longest state name needs: the mark's text shrinks to fit, down
            // to 3/4 size, then ends in "..." with the whole on hover.
            const float pad = pill ? 10.0F : 0.0F;
            const float room = side == Side::Client ? x - 8 - (origin.x + 2) : origin.x + width - 2 - (x + 8);
            float text_px = mark_px;
            float w = ui::mono_width(text, text_px) + pad;
            if (w > room && w > pad) {
                text_px = std::max(mark_px * 0.75F, std::floor(mark_px * (room - pad) / (w - pad)));
                w = ui::mono_width(text, text_px) + pad;
            }
            const std::string full = text;
            while (w > room && text.size() > 1) {
                if (text.ends_with("...")) text.resize(text.size() - 3);
                // One whole UTF-8 character off the end: its continuation bytes, then its lead.
                while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
                if (!text.empty()) text.pop_back();
                text += "...";
                w = ui::mono_width(text, text_px) + pad;
            }
            const float x0 = side == Side::Client ? x - 8 - w : x + 8;
            if (x0 < origin.x + gutter) gutter_marks.emplace_back(x0, yy, x0 + w, yy + h);
            if (text != full && ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(ImVec2(x0, yy), ImVec2(x0 + w, yy + h)))
                ui::tooltip(full);
            if (std::abs(yy - want) > 1) dl->AddLine(ImVec2(side == Side::Client ? x0 + w : x0, yy + h * 0.5F), ImVec2(x, want + h * 0.5F), ui::colour::kGrid);
            if (pill) {
                // An opaque ground first: the "now" line passes under a
                // state's badge, never through its name.
                dl->AddRectFilled(ImVec2(x0, yy), ImVec2(x0 + w, yy + h), ui::colour::kPane, h * 0.5F);
                dl->AddRectFilled(ImVec2(x0, yy), ImVec2(x0 + w, yy + h), ui::colour::with_alpha(col, 0.18F), h * 0.5F);
                dl->AddRect(ImVec2(x0, yy), ImVec2(x0 + w, yy + h), ui::colour::with_alpha(col, 0.9F), h * 0.5F, 0, 1.2F);
                ui::mono_text(dl, ImVec2(x0 + 5, yy + 3 + (mark_px - text_px) * 0.5F), col, text, text_px);
                dl->AddCircleFilled(ImVec2(x, y_of(mk.t)), 3.5F, col);
            } else {
                if (mk.kind == LadderMark::Kind::Timer) ui::draw_icon(dl, ui::Icon::Timer, ImVec2(x, y_of(mk.t)), 11, col);
                // The "now" line passes under a note such as close(), as under a badge.
                dl->AddRectFilled(ImVec2(x0 - 2, yy), ImVec2(x0 + w + 2, yy + h), ui::colour::with_alpha(ui::colour::kPane, 0.9F), 3);
                ui::mono_text(dl, ImVec2(x0, yy + 1 + (mark_px - text_px) * 0.5F), col, text, text_px);
            }
        }
    }

    // Time labels at the times something happened.
    {
        float last_label = -1e9F;
        for (const auto& stop : axis_.stops()) {
            const float ys = origin.y + top + static_cast<float>(stop.y);
            if (ys - last_label < mono_px * 1.15F || std::abs(ys - now_y) < mono_px * 1.1F) continue;
            const float tick_right = origin.x + 2 + ui::mono_width("00.000", mono_px);
            if (std::any_of(gutter_marks.begin(), gutter_marks.end(), [&](const ImVec4& r) {
                    return r.x < tick_right && r.y < ys + mono_px * 0.6F && r.w > ys - mono_px * 0.6F;
                }))
                continue;
            if (ys < clip_top - 20 || ys > clip_bottom + 20) {
                last_label = ys;
                continue;
            }
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(stop.t.us) / 1e6);
            ui::mono_text(dl, ImVec2(origin.x + 2, ys - mono_px * 0.5F), ui::colour::kTextFaint, buf, mono_px);
            dl->AddLine(ImVec2(origin.x + gutter - 10, ys), ImVec2(origin.x + gutter - 4, ys), ui::colour::kGrid);
            last_label = ys;
        }
    }

    // "Now" on the time axis, over anything beside it.
    {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(now.us) / 1e6);
        const float w = ui::mono_width(buf, mono_px);
        dl->AddRectFilled(ImVec2(origin.x, now_y - mono_px * 0.65F), ImVec2(origin.x + w + 6, now_y + mono_px * 0.65F), ui::colour::kNow, 3);
        ui::mono_text(dl, ImVec2(origin.x + 3, now_y - mono_px * 0.5F), ui::colour::kBackground, buf, mono_px);
        // Why Play is off: said where the learner is looking, under "now"
        // between the timelines.
        if (sim.finished() || m.at_step_end()) {
            const std::string& why = m.tr(sim.finished() ? "ctl.finished" : "ctl.step_end");
            const ImVec2 size = ImGui::CalcTextSize(why.c_str());
            const ImVec2 p((cx + sx - size.x) * 0.5F, now_y + 5);
            dl->AddRectFilled(ImVec2(p.x - 6, p.y - 2), ImVec2(p.x + size.x + 6, p.y + size.y + 2), ui::colour::kPane, 4);
            dl->AddRect(ImVec2(p.x - 6, p.y - 2), ImVec2(p.x + size.x + 6, p.y + size.y + 2), ui::colour::with_alpha(ui::colour::kNow, 0.6F), 4);
            dl->AddText(p, ui::colour::kTextDim, why.c_str());
            ui::expose_rect("ladder.over", ImVec2(p.x - 6, p.y - 2), ImVec2(p.x + size.x + 6, p.y + size.y + 2));
        }
    }

    // Pointing at a segment: explain, and on a click apply the chosen fault
    // (on the wire) or select it (already arrived or lost).
    if (hovered >= 0) {
        const LadderArrow& a = data_.arrows[static_cast<std::size_t>(hovered)];
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        std::string tip = "#" + std::to_string(a.seg_id) + "  " + to_string(a.from) + " > " + to_string(peer_of(a.from)) + "  " +
                          (hidden.segment(a.seg_id) ? capture_label_hiding(a.flags, a.seq, a.ack, a.len, hidden.field(a.seg_id, "seq"),
                                                                           hidden.field(a.seg_id, "ack"), hidden.field(a.seg_id, "len"))
                                                    : a.label);
        if (a.fate == LadderArrow::Fate::InFlight) tip += "\n" + m.trf("fault.tip_click", {m.tr(click_verb_key(click)), std::to_string(a.seg_id)});
        ui::tooltip(tip);
        if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < io.MouseDragThreshold * io.MouseDragThreshold) {
            if (a.fate == LadderArrow::Fate::InFlight) {
                SimCommand c;
                c.seg_id = a.seg_id;
                switch (click) {
                    case ClickFault::Drop: c.kind = SimCommand::Kind::Drop; break;
                    case ClickFault::Duplicate: c.kind = SimCommand::Kind::Duplicate; c.extra = kDuplicateAfter; break;
                    case ClickFault::Delay: c.kind = SimCommand::Kind::Delay; c.extra = kDelayBy; break;
                }
                out.push_back(cmd::Sim{c});
            }
            out.push_back(cmd::Select{a.seg_id});
        }
    }

    // Zoom with Ctrl + wheel, around the pointer.
    if (hover_window && io.KeyCtrl && io.MouseWheel != 0) {
        px_per_ms = std::clamp(px_per_ms * (io.MouseWheel > 0 ? 1.25 : 0.8), 0.5, 40.0);
    }

    // Keep "now" in view while the simulation moves.
    const bool moved = m.view_time().us != last_view_us_ || m.run().position() != last_position_;
    if (moved) {
        const float local = now_y - origin.y;
        const float scroll = ImGui::GetScrollY();
        // Near the bottom, with room under "now" for a segment in flight to
        // land: the rows above it are the story so far, as many as fit.
        const float below = font * 2.0F;
        if (local < scroll + header_h + font) ImGui::SetScrollY(std::max(0.0F, local - visible_h * 0.6F));
        else if (local > scroll + visible_h - below) ImGui::SetScrollY(local - (visible_h - below));
        last_view_us_ = m.view_time().us;
        last_position_ = m.run().position();
    }

    // Column heads stay at the top while the ladder scrolls.
    {
        const float y0 = ImGui::GetWindowPos().y;
        dl->AddRectFilled(ImVec2(origin.x, y0), ImVec2(origin.x + width, y0 + header_h), ui::colour::kPane);
        dl->AddLine(ImVec2(origin.x, y0 + header_h), ImVec2(origin.x + width, y0 + header_h), ui::colour::kGrid);
        for (Side side : {Side::Client, Side::Server}) {
            const std::string name = m.tr(side == Side::Client ? "side.client" : "side.server");
            const bool hide = hidden.state[static_cast<std::size_t>(side)];
            const std::string state = hide ? m.tr("state.hidden") : to_string(sim.endpoint(side).state());
            const ImU32 state_col = hide ? ui::colour::kTextDim : state_colour(sim.endpoint(side).state());
            const float nw = ImGui::CalcTextSize(name.c_str()).x;
            const float sw = ui::mono_width(state, mono_px);
            if (one_line_heads) {
                // Centred on the timeline and kept inside the pane.
                const float left = head_left(side, nw + head_gap + sw);
                const float ty = y0 + (header_h - font) * 0.5F;
                dl->AddText(ImVec2(left, ty), ui::colour::side(side), name.c_str());
                ui::mono_text(dl, ImVec2(left + nw + head_gap, ty + (font - mono_px) * 0.5F), state_col, state, mono_px);
            } else {
                dl->AddText(ImVec2(head_left(side, nw), y0 + 2), ui::colour::side(side), name.c_str());
                ui::mono_text(dl, ImVec2(head_left(side, sw), y0 + 4 + font), state_col, state, mono_px);
            }
        }
    }
    ui::drag_to_scroll();
    ImGui::EndChild();
    return out;
}

}  // namespace finwave::web
