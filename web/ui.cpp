#include "ui.hpp"

#include <cmath>
#include <cstdio>
#include <utility>

#include "finwave/trace.hpp"
#include "text.hpp"

namespace finwave::web::ui {

namespace {

std::vector<std::pair<std::string, ImVec4>> g_exposed;  // name -> (x, y, w, h)
bool g_tooltip_drawn = false;
std::function<void(const std::string&)> g_open_url;

float px(ImFont* f) { return f->FontSize * ImGui::GetIO().FontGlobalScale; }

ImVec4 to_vec4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

}  // namespace

void apply_style() {
    ImGuiStyle& s = ImGui::GetStyle();
    ImGui::StyleColorsDark(&s);
    s.WindowRounding = 0;
    s.ChildRounding = 4;
    s.FrameRounding = 4;
    s.PopupRounding = 4;
    s.GrabRounding = 4;
    s.TabRounding = 4;
    s.WindowBorderSize = 0;
    // Every control has an edge of 3:1 or more (palette.hpp): its fill
    // alone is too close to the pane behind it to show where it is.
    s.FrameBorderSize = 1;
    s.TabBorderSize = 1;
    s.DisabledAlpha = palette::kDisabledAlpha;
    s.WindowPadding = ImVec2(12, 10);
    s.FramePadding = ImVec2(8, 5);
    s.ItemSpacing = ImVec2(8, 7);
    s.ItemInnerSpacing = ImVec2(6, 4);
    s.ScrollbarSize = 14;
    s.WindowTitleAlign = ImVec2(0.0F, 0.5F);
    ImVec4* c = s.Colors;
    auto rgb = [](palette::Rgb p, int a = 255) { return to_vec4(colour::rgb(p, a)); };
    c[ImGuiCol_Text] = to_vec4(colour::kText);
    c[ImGuiCol_TextDisabled] = to_vec4(colour::kTextFaint);
    c[ImGuiCol_WindowBg] = to_vec4(colour::kPane);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = rgb(palette::kPopup, 250);
    c[ImGuiCol_Border] = to_vec4(colour::kControlEdge);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_TitleBg] = to_vec4(colour::kPaneDark);
    c[ImGuiCol_TitleBgActive] = to_vec4(colour::kPaneDark);
    c[ImGuiCol_TitleBgCollapsed] = to_vec4(colour::kPaneDark);
    c[ImGuiCol_FrameBg] = rgb(palette::kFrame);
    c[ImGuiCol_FrameBgHovered] = to_vec4(colour::rgb(0x3a, 0x41, 0x4d));
    c[ImGuiCol_FrameBgActive] = to_vec4(colour::rgb(0x44, 0x4c, 0x5a));
    c[ImGuiCol_Button] = rgb(palette::kButton);
    c[ImGuiCol_ButtonHovered] = to_vec4(colour::rgb(0x43, 0x4d, 0x5c));
    c[ImGuiCol_ButtonActive] = to_vec4(colour::rgb(0x51, 0x5d, 0x70));
    c[ImGuiCol_Header] = rgb(palette::kButton);
    c[ImGuiCol_HeaderHovered] = to_vec4(colour::rgb(0x3d, 0x46, 0x54));
    c[ImGuiCol_HeaderActive] = to_vec4(colour::rgb(0x47, 0x52, 0x63));
    c[ImGuiCol_Tab] = rgb(palette::kPopup);
    c[ImGuiCol_TabHovered] = to_vec4(colour::rgb(0x43, 0x4d, 0x5c));
    c[ImGuiCol_TabActive] = to_vec4(colour::rgb(0x3a, 0x42, 0x50));
    c[ImGuiCol_TabUnfocused] = c[ImGuiCol_Tab];
    c[ImGuiCol_TabUnfocusedActive] = c[ImGuiCol_TabActive];
    c[ImGuiCol_CheckMark] = to_vec4(colour::kAccent);
    c[ImGuiCol_SliderGrab] = to_vec4(colour::kAccent);
    c[ImGuiCol_ScrollbarGrab] = to_vec4(colour::kControlEdge);
    c[ImGuiCol_ScrollbarGrabHovered] = to_vec4(colour::kTextDim);
    c[ImGuiCol_ScrollbarGrabActive] = to_vec4(colour::kText);
    c[ImGuiCol_PlotHistogram] = to_vec4(colour::kAccent);
    c[ImGuiCol_TableHeaderBg] = rgb(palette::kPopup);
    c[ImGuiCol_TableRowBgAlt] = rgb(palette::kRowAlt);
    c[ImGuiCol_Separator] = to_vec4(colour::kGrid);
    c[ImGuiCol_NavHighlight] = rgb(palette::kFocus);
}

Fonts& fonts() {
    static Fonts f;
    return f;
}

// ---------------------------------------------------------------------------
// Mixed mono / body text

float mono_width(std::string_view text, float size) {
    ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
    ImFont* body = fonts().body ? fonts().body : ImGui::GetFont();
    if (size <= 0) size = px(mono);
    float w = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        const bool ascii = static_cast<unsigned char>(text[i]) < 0x80;
        while (j < text.size() && (static_cast<unsigned char>(text[j]) < 0x80) == ascii) ++j;
        ImFont* f = ascii ? mono : body;
        w += f->CalcTextSizeA(size, FLT_MAX, 0, text.data() + i, text.data() + j).x;
        i = j;
    }
    return w;
}

void mono_text(ImDrawList* dl, ImVec2 pos, ImU32 col, std::string_view text, float size) {
    ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
    ImFont* body = fonts().body ? fonts().body : ImGui::GetFont();
    if (size <= 0) size = px(mono);
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        const bool ascii = static_cast<unsigned char>(text[i]) < 0x80;
        while (j < text.size() && (static_cast<unsigned char>(text[j]) < 0x80) == ascii) ++j;
        ImFont* f = ascii ? mono : body;
        dl->AddText(f, size, pos, col, text.data() + i, text.data() + j);
        pos.x += f->CalcTextSizeA(size, FLT_MAX, 0, text.data() + i, text.data() + j).x;
        i = j;
    }
}

// ---------------------------------------------------------------------------
// Exposed rectangles

void expose(std::string_view name) {
    if (!ImGui::IsItemVisible()) return;
    expose_rect(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

void expose_rect(std::string_view name, ImVec2 min, ImVec2 max) {
    g_exposed.emplace_back(std::string(name), ImVec4(min.x, min.y, max.x - min.x, max.y - min.y));
}

void clear_exposed() {
    g_exposed.clear();
    g_tooltip_drawn = false;
}

bool tooltip_drawn() { return g_tooltip_drawn; }

const std::vector<std::pair<std::string, ImVec4>>& exposed() { return g_exposed; }

// ---------------------------------------------------------------------------
// Widgets

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 c, float size, ImU32 col) {
    const float h = size * 0.5F;
    const float t = std::max(1.5F, size * 0.12F);
    switch (icon) {
        case Icon::None: break;
        case Icon::Play:
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.6F, c.y - h * 0.8F), ImVec2(c.x - h * 0.6F, c.y + h * 0.8F),
                                  ImVec2(c.x + h * 0.8F, c.y), col);
            break;
        case Icon::Pause:
            dl->AddRectFilled(ImVec2(c.x - h * 0.65F, c.y - h * 0.75F), ImVec2(c.x - h * 0.15F, c.y + h * 0.75F), col);
            dl->AddRectFilled(ImVec2(c.x + h * 0.15F, c.y - h * 0.75F), ImVec2(c.x + h * 0.65F, c.y + h * 0.75F), col);
            break;
        case Icon::StepForward:
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.7F, c.y - h * 0.7F), ImVec2(c.x - h * 0.7F, c.y + h * 0.7F),
                                  ImVec2(c.x + h * 0.35F, c.y), col);
            dl->AddRectFilled(ImVec2(c.x + h * 0.4F, c.y - h * 0.7F), ImVec2(c.x + h * 0.7F, c.y + h * 0.7F), col);
            break;
        case Icon::StepBack:
            dl->AddTriangleFilled(ImVec2(c.x + h * 0.7F, c.y - h * 0.7F), ImVec2(c.x + h * 0.7F, c.y + h * 0.7F),
                                  ImVec2(c.x - h * 0.35F, c.y), col);
            dl->AddRectFilled(ImVec2(c.x - h * 0.7F, c.y - h * 0.7F), ImVec2(c.x - h * 0.4F, c.y + h * 0.7F), col);
            break;
        case Icon::Reset: {
            dl->PathArcTo(c, h * 0.7F, 0.9F, 5.6F, 16);
            dl->PathStroke(col, 0, t);
            const ImVec2 tip(c.x + h * 0.7F * std::cos(0.9F), c.y + h * 0.7F * std::sin(0.9F));
            dl->AddTriangleFilled(ImVec2(tip.x + h * 0.35F, tip.y - h * 0.05F), ImVec2(tip.x - h * 0.3F, tip.y - h * 0.2F),
                                  ImVec2(tip.x + h * 0.05F, tip.y + h * 0.4F), col);
            break;
        }
        case Icon::Timer:
            dl->AddCircle(c, h * 0.75F, col, 16, t);
            dl->AddLine(c, ImVec2(c.x, c.y - h * 0.5F), col, t);
            dl->AddLine(c, ImVec2(c.x + h * 0.35F, c.y), col, t);
            break;
        case Icon::Lessons:
            for (int k = -1; k <= 1; ++k)
                dl->AddRectFilled(ImVec2(c.x - h * 0.7F, c.y + static_cast<float>(k) * h * 0.55F - t * 0.5F),
                                  ImVec2(c.x + h * 0.7F, c.y + static_cast<float>(k) * h * 0.55F + t * 0.5F), col);
            break;
        case Icon::Left:
            dl->AddTriangleFilled(ImVec2(c.x + h * 0.4F, c.y - h * 0.6F), ImVec2(c.x + h * 0.4F, c.y + h * 0.6F),
                                  ImVec2(c.x - h * 0.5F, c.y), col);
            break;
        case Icon::Right:
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.4F, c.y - h * 0.6F), ImVec2(c.x - h * 0.4F, c.y + h * 0.6F),
                                  ImVec2(c.x + h * 0.5F, c.y), col);
            break;
        case Icon::Up:
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.6F, c.y + h * 0.4F), ImVec2(c.x + h * 0.6F, c.y + h * 0.4F),
                                  ImVec2(c.x, c.y - h * 0.5F), col);
            break;
        case Icon::Down:
            dl->AddTriangleFilled(ImVec2(c.x - h * 0.6F, c.y - h * 0.4F), ImVec2(c.x + h * 0.6F, c.y - h * 0.4F),
                                  ImVec2(c.x, c.y + h * 0.5F), col);
            break;
        case Icon::Close:
            dl->AddLine(ImVec2(c.x - h * 0.5F, c.y - h * 0.5F), ImVec2(c.x + h * 0.5F, c.y + h * 0.5F), col, t);
            dl->AddLine(ImVec2(c.x - h * 0.5F, c.y + h * 0.5F), ImVec2(c.x + h * 0.5F, c.y - h * 0.5F), col, t);
            break;
    }
}

bool icon_button(const char* id, Icon icon, std::string_view label, std::string_view tip, bool enabled, ImVec2 size) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float icon_size = ImGui::GetFontSize() * 0.8F;
    const float label_w = label.empty() ? 0 : ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
    const float icon_w = icon == Icon::None ? 0 : icon_size + (label.empty() ? 0 : style.ItemInnerSpacing.x);
    if (size.x <= 0) size.x = style.FramePadding.x * 2 + icon_w + label_w;
    if (size.y <= 0) size.y = ImGui::GetFrameHeight();
    if (!enabled) ImGui::BeginDisabled();
    const bool pressed = ImGui::Button(id, size);
    if (!enabled) ImGui::EndDisabled();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 col = enabled ? colour::kText : colour::kTextFaint;
    const float content_w = icon_w + label_w;
    float x = min.x + (max.x - min.x - content_w) * 0.5F;
    const float cy = (min.y + max.y) * 0.5F;
    if (icon != Icon::None) {
        draw_icon(dl, icon, ImVec2(x + icon_size * 0.5F, cy), icon_size, col);
        x += icon_w;
    }
    if (!label.empty())
        dl->AddText(ImVec2(x, cy - ImGui::GetFontSize() * 0.5F), col, label.data(), label.data() + label.size());
    if (!tip.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) item_tooltip(tip);
    return pressed && enabled;
}

bool text_button(const char* id, std::string_view label, std::string_view tip, bool enabled, ImVec2 size) {
    return icon_button(id, Icon::None, label, tip, enabled, size);
}

void flow(float width) {
    ImGui::SameLine();
    if (ImGui::GetCursorPosX() + width > ImGui::GetContentRegionMax().x) ImGui::NewLine();
}

void drag_to_scroll() {
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && ImGui::IsMouseDragging(ImGuiMouseButton_Left) &&
        !ImGui::IsAnyItemActive())
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
}

void text_wrapped(ImU32 colour, std::string_view text) {
    ImGui::PushTextWrapPos(0);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
}

void tooltip(std::string_view text) { tooltip_wrapped(text, ImGui::GetFontSize() * 24); }

void tooltip_wrapped(std::string_view text, float wrap) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(wrap);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    expose_rect("tooltip", pos, ImVec2(pos.x + size.x, pos.y + size.y));
    g_tooltip_drawn = true;
    ImGui::EndTooltip();
}

void item_tooltip(std::string_view text) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const float gap = 4;
    auto size_at = [&](float wrap) {
        // PushTextWrapPos(wrap) wraps at `wrap` from the window's left edge, past its padding.
        const ImVec2 t = ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, wrap - style.WindowPadding.x);
        return ImVec2(t.x + style.WindowPadding.x * 2, t.y + style.WindowPadding.y * 2);
    };
    // Lines of the usual width if they fit above the item; else longer
    // lines, up to the screen's width, so that they do (a toolbar just
    // under the header); else below the item.
    float wrap = ImGui::GetFontSize() * 24;
    ImVec2 size = size_at(wrap);
    const float widest = display.x - gap * 2 - style.WindowPadding.x * 2;
    while (min.y - gap - size.y < 0 && wrap < widest) {
        wrap = std::min(widest, wrap * 1.5F);
        size = size_at(wrap);
    }
    // A window placed by hand is not kept on screen by ImGui: keep it so.
    const float x = std::max(0.0F, std::min(min.x, display.x - size.x - gap));
    if (min.y - gap - size.y >= 0) {
        ImGui::SetNextWindowPos(ImVec2(x, min.y - gap), ImGuiCond_Always, ImVec2(0, 1));
    } else {
        wrap = ImGui::GetFontSize() * 24;
        size = size_at(wrap);
        ImGui::SetNextWindowPos(ImVec2(std::max(0.0F, std::min(min.x, display.x - size.x - gap)), std::min(max.y + gap, display.y - size.y)));
    }
    tooltip_wrapped(text, wrap);
}

// ---------------------------------------------------------------------------
// Rich text

void RichText::layout(const MdInline& spans, float width, const Options& options) {
    ImFont* base = options.font ? options.font : (fonts().body ? fonts().body : ImGui::GetFont());
    const float size = options.size > 0 ? options.size : px(base);
    std::uint64_t key = 1469598103934665603ULL;
    auto mix = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < n; ++i) key = (key ^ b[i]) * 1099511628211ULL;
    };
    for (const MdSpan& s : spans) {
        mix(s.text.data(), s.text.size());
        mix(&s.style, 1);
    }
    mix(&width, sizeof width);
    mix(&size, sizeof size);
    mix(&base, sizeof base);
    mix(&fonts().generation, sizeof fonts().generation);
    mix(&options.colour, sizeof options.colour);
    if (key == key_) return;
    key_ = key;
    options_ = options;
    options_.font = base;
    options_.size = size;
    runs_.clear();
    line_height_ = size * options.line_spacing;
    width_used_ = 0;

    ImFont* mono = fonts().mono ? fonts().mono : base;
    float x = 0;
    int line = 0;
    auto new_line = [&] {
        ++line;
        x = 0;
    };
    // Closing punctuation (，。) that would start a line hangs past the right
    // edge instead, as Chinese typesetting does, when it follows the text
    // before it directly (a number, or a code span: "8，", "close()，").
    bool after_space = true;
    auto only_closing = [](std::string_view token) {
        for (std::size_t k = 0; k < token.size();)
            if (!no_break_before(next_codepoint(token, k))) return false;
        return true;
    };
    auto place = [&](std::string_view token, const MdSpan& span, bool is_space) {
        if (token.empty()) return;
        if (is_space && x == 0) return;  // no leading space on a line
        const bool code = (span.style & span_style::kCode) != 0;
        ImFont* f = code && is_ascii(token) ? mono : base;
        const float w = f->CalcTextSizeA(size, FLT_MAX, 0, token.data(), token.data() + token.size()).x;
        const bool hangs = !after_space && only_closing(token);
        after_space = is_space;
        if (!is_space && x > 0 && x + w > width && !hangs) new_line();
        Run* last = runs_.empty() ? nullptr : &runs_.back();
        const float y = static_cast<float>(line) * line_height_ + (line_height_ - size) * 0.5F;
        if (last && last->style == span.style && last->font == f && last->offset.y == y && last->url == span.url &&
            std::abs(last->offset.x + last->width - x) < 0.01F) {
            last->text += token;
            last->width += w;
        } else {
            runs_.push_back({ImVec2(x, y), std::string(token), span.style, f, w, span.url});
        }
        x += w;
        width_used_ = std::max(width_used_, std::min(x, width));  // hanging punctuation is outside
    };

    for (const MdSpan& span : spans) {
        const std::string_view t = span.text;
        std::size_t i = 0;
        std::size_t word_start = 0;
        auto flush_word = [&](std::size_t end) {
            if (end > word_start) place(t.substr(word_start, end - word_start), span, false);
        };
        while (i < t.size()) {
            std::size_t next = i;
            const char32_t c = next_codepoint(t, next);
            if (c == '\n') {
                flush_word(i);
                new_line();
                after_space = true;
                i = next;
                word_start = i;
            } else if (c == ' ') {
                flush_word(i);
                place(t.substr(i, 1), span, true);
                i = next;
                word_start = i;
            } else if (is_wide(c)) {
                flush_word(i);
                // A wide character is a unit of its own, with any closing
                // punctuation that must stay on its line; an opening bracket
                // takes the character after it along (Chinese line-breaking rules).
                std::size_t end = next;
                for (char32_t last = c; no_break_after(last) && end < t.size();) last = next_codepoint(t, end);
                while (end < t.size()) {
                    std::size_t k = end;
                    if (!no_break_before(next_codepoint(t, k))) break;
                    end = k;
                }
                place(t.substr(i, end - i), span, false);
                i = end;
                word_start = i;
            } else {
                i = next;
            }
        }
        flush_word(t.size());
    }
    height_ = runs_.empty() ? 0.0F : static_cast<float>(line + 1) * line_height_;
}

std::string RichText::draw(ImDrawList* dl, ImVec2 pos) const {
    std::string clicked;
    const float size = options_.size;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const Run& r : runs_) {
        const ImVec2 p(pos.x + r.offset.x, pos.y + r.offset.y);
        ImU32 col = options_.colour;
        if (r.style & span_style::kCode) {
            col = colour::kCodeText;
            dl->AddRectFilled(ImVec2(p.x - 2, p.y - 1), ImVec2(p.x + r.width + 2, p.y + size + 1), colour::kCodeBg, 3);
        }
        if (r.style & span_style::kLink) {
            col = colour::kAccent;
            dl->AddLine(ImVec2(p.x, p.y + size), ImVec2(p.x + r.width, p.y + size), colour::with_alpha(col, 0.6F));
            const bool hovered = mouse.x >= p.x && mouse.x < p.x + r.width && mouse.y >= p.y && mouse.y < p.y + size &&
                                 ImGui::IsWindowHovered();
            if (hovered) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) clicked = r.url;
            }
        }
        if ((r.style & span_style::kBold) && !(r.style & span_style::kCode)) col = colour::rgb(0xf2, 0xf4, 0xf8);
        const int start = dl->VtxBuffer.Size;
        dl->AddText(r.font, size, p, col, r.text.data(), r.text.data() + r.text.size());
        if (r.style & span_style::kBold) dl->AddText(r.font, size, ImVec2(p.x + 0.7F, p.y), col, r.text.data(), r.text.data() + r.text.size());
        if (r.style & span_style::kItalic) {
            const float baseline = p.y + size * 0.8F;
            for (int v = start; v < dl->VtxBuffer.Size; ++v) dl->VtxBuffer[v].pos.x += (baseline - dl->VtxBuffer[v].pos.y) * 0.2F;
        }
    }
    return clicked;
}

void rich_text(RichText& cache, const MdInline& spans, float width, const RichText::Options& options) {
    cache.layout(spans, width, options);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(std::max(width, 1.0F), std::max(cache.height(), 1.0F));
    if (ImGui::IsRectVisible(size)) {
        const std::string url = cache.draw(ImGui::GetWindowDrawList(), pos);
        if (!url.empty() && g_open_url) g_open_url(url);
    }
    ImGui::Dummy(size);
}

void set_url_opener(std::function<void(const std::string&)> opener) { g_open_url = std::move(opener); }

}  // namespace finwave::web::ui
