// What the panels share: colours, fonts, icon buttons, the registry of
// widget rectangles that window.finwave.state().ui exposes (so browser tests
// click where a widget really is), and styled, wrapped text.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "markdown.hpp"
#include "palette.hpp"
#include "finwave/types.hpp"

namespace finwave::web::ui {

// --- Colours -------------------------------------------------------------------
namespace colour {
inline constexpr ImU32 rgb(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>(a) << 24 | static_cast<ImU32>(b) << 16 | static_cast<ImU32>(g) << 8 | static_cast<ImU32>(r);
}
inline constexpr ImU32 rgb(palette::Rgb c, int a = 255) { return rgb(c.r, c.g, c.b, a); }
// From web/palette.hpp, where a unit test checks each pair's contrast.
inline constexpr ImU32 kBackground = rgb(palette::kBackground);
inline constexpr ImU32 kPane = rgb(palette::kPane);
inline constexpr ImU32 kPaneDark = rgb(palette::kPaneDark);
inline constexpr ImU32 kText = rgb(palette::kText);
inline constexpr ImU32 kTextDim = rgb(palette::kTextDim);
inline constexpr ImU32 kTextFaint = rgb(palette::kTextFaint);
inline constexpr ImU32 kGrid = rgb(palette::kGrid);
inline constexpr ImU32 kAccent = rgb(palette::kAccent);
inline constexpr ImU32 kClient = rgb(palette::kClient);
inline constexpr ImU32 kServer = rgb(palette::kServer);
inline constexpr ImU32 kLost = rgb(palette::kLost);
inline constexpr ImU32 kRight = rgb(palette::kRight);
inline constexpr ImU32 kWrong = rgb(palette::kWrong);
inline constexpr ImU32 kCodeText = rgb(palette::kCodeText);
inline constexpr ImU32 kCodeBg = rgb(palette::kCodeBg);
inline constexpr ImU32 kNow = rgb(palette::kNow);
inline constexpr ImU32 kControlEdge = rgb(palette::kControlEdge);
inline ImU32 side(Side s) { return s == Side::Client ? kClient : kServer; }
inline ImU32 with_alpha(ImU32 c, float a) {
    return (c & 0x00FFFFFFu) | (static_cast<ImU32>(a * 255.0F) << 24);
}
}  // namespace colour

void apply_style();

// --- Fonts ---------------------------------------------------------------------
struct Fonts {
    ImFont* body = nullptr;     // the CJK subset: everything a person reads
    ImFont* heading = nullptr;  // larger, only the characters headings use
    ImFont* mono = nullptr;     // ASCII: segment labels, numbers, code
    // Counts atlas rebuilds: a rebuilt font may reuse the old one's address,
    // so text measured with it is keyed by this too.
    std::uint32_t generation = 0;
};
Fonts& fonts();

// Text that mixes ASCII (drawn in the mono font) with anything else (drawn
// in the body font, which has every character the app can show).
float mono_width(std::string_view text, float size = 0);
void mono_text(ImDrawList* dl, ImVec2 pos, ImU32 col, std::string_view text, float size = 0);

// --- Widget rectangles for the JS API ---------------------------------------------
// Records the last item's rectangle under `name` when it is visible this frame.
void expose(std::string_view name);
void expose_rect(std::string_view name, ImVec2 min, ImVec2 max);
void clear_exposed();
// Whether a tooltip was drawn since clear_exposed().
bool tooltip_drawn();
// Name -> (x, y, w, h) in CSS pixels, as recorded this frame.
const std::vector<std::pair<std::string, ImVec4>>& exposed();

// --- Widgets -----------------------------------------------------------------------
enum class Icon : std::uint8_t { None, Play, Pause, StepForward, StepBack, Reset, Timer, Lessons, Left, Right, Up, Down, Close };
void draw_icon(ImDrawList* dl, Icon icon, ImVec2 centre, float size, ImU32 col);
// A button with a drawn icon and a label; `tooltip` on hover. Disabled
// buttons still take space and are dimmed.
bool icon_button(const char* id, Icon icon, std::string_view label, std::string_view tooltip = {}, bool enabled = true,
                 ImVec2 size = ImVec2(0, 0));
bool text_button(const char* id, std::string_view label, std::string_view tooltip = {}, bool enabled = true,
                 ImVec2 size = ImVec2(0, 0));
// Moves to a new line when an item of `width` would not fit on this one.
void flow(float width);
// Dragging on empty space scrolls the window: touch screens have no wheel.
void drag_to_scroll();
void tooltip(std::string_view text);
// A sentence in `colour`, wrapped at the pane's edge: a sentence is never cut.
void text_wrapped(ImU32 colour, std::string_view text);
// The same with its lines wrapped at `wrap` pixels.
void tooltip_wrapped(std::string_view text, float wrap);
// The tooltip of the item just drawn, beside it rather than under the
// pointer: above the item, or below it where there is no room above, so
// that it covers neither the item nor the value drawn under it.
void item_tooltip(std::string_view text);

// --- Styled, wrapped text ----------------------------------------------------------
// Lays out Markdown spans to a width, breaking between words and between
// Chinese characters; bold is drawn twice, offset by a pixel, and italic is
// slanted, because the subset font has neither.
class RichText {
public:
    struct Options {
        ImFont* font = nullptr;   // default: the body font
        float size = 0;           // default: the font's size
        ImU32 colour = colour::kText;
        float line_spacing = 1.35F;
    };
    void layout(const MdInline& spans, float width, const Options& options);
    // Draws at `pos`; returns the URL of a link clicked this frame, if any.
    std::string draw(ImDrawList* dl, ImVec2 pos) const;
    float height() const { return height_; }
    float width_used() const { return width_used_; }

private:
    struct Run {
        ImVec2 offset;
        std::string text;
        std::uint8_t style = 0;
        ImFont* font = nullptr;
        float width = 0;
        std::string url;
    };
    std::vector<Run> runs_;
    Options options_;
    float height_ = 0;
    float width_used_ = 0;
    float line_height_ = 0;
    std::uint64_t key_ = 0;  // hash of the text, width and font size last laid out
};

// RichText laid out (again only when the text or width changed) and drawn
// as one ImGui item at the cursor.
void rich_text(RichText& cache, const MdInline& spans, float width, const RichText::Options& options);
// What a click on a link does (main.cpp opens a new browser tab).
void set_url_opener(std::function<void(const std::string&)> opener);

}  // namespace finwave::web::ui
