#include "panel_ladder.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "text.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

// The ladder's height at which time is drawn at the zoom's own scale, and the
// least fraction of it a shorter pane draws time at (labels on an arrow of a
// 10 ms link still clear each other there).
constexpr double kFullHeightPx = 440.0;
constexpr double kMinFit = 0.72;

ImVec2 lerp(ImVec2 a, ImVec2 b, float f) { return ImVec2(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f); }

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
    const double fit = std::clamp(ImGui::GetContentRegionAvail().y / kFullHeightPx, kMinFit, 1.0);
    TimeAxis::Scale scale;
    scale.px_per_ms = px_per_ms * fit;
    scale.max_gap_px = 60.0 * fit;
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
    const float header_h = font * 2.4F;
    const float top = header_h + font * 0.8F;
    const float content_h = top + static_cast<float>(axis_.height()) + font * 3;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, content_h));

    const float gutter = mono_px * 4.6F;
    // Room beside each timeline for the longest state name in a pill.
    const float mark_px = std::round(mono_px * 0.88F);
    float tag_w = ui::mono_width("SYN-RECEIVED", mark_px) + 22;
    if (width - gutter - tag_w * 2 < font * 12) tag_w = std::max(font * 4.0F, (width - gutter - font * 12) * 0.5F);
    const float cx = origin.x + gutter + tag_w;
    const float sx = origin.x + width - tag_w;
    auto y_of = [&](Instant t) { return origin.y + top + static_cast<float>(axis_.y(t)); };
    auto x_of = [&](Side s) { return s == Side::Client ? cx : sx; };
    const float clip_top = ImGui::GetWindowPos().y;
    const float clip_bottom = clip_top + visible_h;
    const float now_y = y_of(now);

    // Breaks: long quiet stretches drawn short, with their length.
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
        const std::string gap = "+" + human_duration(b.gap);
        ui::mono_text(dl, ImVec2(origin.x + 2, ym - mono_px * 0.5F), ui::colour::kTextDim, gap, mono_px);
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

    // Time labels at the times something happened.
    {
        float last_label = -1e9F;
        for (const auto& stop : axis_.stops()) {
            const float ys = origin.y + top + static_cast<float>(stop.y);
            if (ys - last_label < mono_px * 1.15F || std::abs(ys - now_y) < mono_px * 1.1F) continue;
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
        const float span = static_cast<float>(std::max<std::int64_t>(1, (a.arrives - a.sent).us));
        const float f_end = std::clamp(static_cast<float>((end - a.sent).us) / span, 0.0F, 1.0F);
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
        const ImVec2 mid = lerp(tail, tip, 0.5F);
        const ImVec2 up(std::sin(angle), -std::cos(angle));  // the side of the line above the text
        // On a narrow ladder the label shrinks to its arrow, down to 3/4 size.
        const float span_px = std::hypot(tip.x - tail.x, tip.y - tail.y);
        const std::string label = hidden.segment(a.seg_id)
                                      ? capture_label_hiding(a.flags, a.seq, a.ack, a.len, hidden.field(a.seg_id, "seq"),
                                                             hidden.field(a.seg_id, "ack"), hidden.field(a.seg_id, "len"))
                                      : a.label;
        const float full_w = ui::mono_width(label, mono_px) +
                             (tag.empty() ? 0 : ImGui::CalcTextSize(tag.c_str()).x * (mono_px / font) + 12);
        const float label_px = full_w > span_px * 0.92F ? std::max(mono_px * 0.75F, mono_px * span_px * 0.92F / full_w) : mono_px;
        const float label_w = ui::mono_width(label, label_px);
        const float tag_w_px = tag.empty() ? 0 : ImGui::CalcTextSize(tag.c_str()).x * (label_px / font) + 12;
        const float total = label_w + tag_w_px;
        const float lift = label_px * 0.5F + 3;
        const ImVec2 pivot(mid.x + up.x * lift, mid.y + up.y * lift);
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

    // Marks beside the timelines, pushed down where they would overlap.
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
                    if (hidden.state[static_cast<std::size_t>(side)] && mk.state == hidden.state_value[static_cast<std::size_t>(side)]) {
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
                ui::mono_text(dl, ImVec2(x0, yy + 1 + (mark_px - text_px) * 0.5F), col, text, text_px);
            }
        }
    }

    // "Now" on the time axis, over anything beside it.
    {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(now.us) / 1e6);
        const float w = ui::mono_width(buf, mono_px);
        dl->AddRectFilled(ImVec2(origin.x, now_y - mono_px * 0.65F), ImVec2(origin.x + w + 6, now_y + mono_px * 0.65F), ui::colour::kNow, 3);
        ui::mono_text(dl, ImVec2(origin.x + 3, now_y - mono_px * 0.5F), ui::colour::kBackground, buf, mono_px);
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
        if (local < scroll + header_h + font || local > scroll + visible_h * 0.8F)
            ImGui::SetScrollY(std::max(0.0F, local - visible_h * 0.6F));
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
            const float x = x_of(side);
            const float nw = ImGui::CalcTextSize(name.c_str()).x;
            dl->AddText(ImVec2(x - nw * 0.5F, y0 + 2), ui::colour::side(side), name.c_str());
            const float sw = ui::mono_width(state, mono_px);
            ui::mono_text(dl, ImVec2(x - sw * 0.5F, y0 + 4 + font), hide ? ui::colour::kTextDim : state_colour(sim.endpoint(side).state()),
                          state, mono_px);
        }
    }
    ui::drag_to_scroll();
    ImGui::EndChild();
    return out;
}

}  // namespace finwave::web
