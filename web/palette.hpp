// The canvas's colours, and every pairing of a text or of a control's edge
// with the background it is drawn on. No ImGui here, so that a native unit
// test (tests/web/test_palette.cpp) holds each pair to WCAG 2.2 AA: 4.5:1
// for text, 3:1 for large text and for the boundaries of controls. A new
// colour, or an old one drawn on a new background, adds its pair below.
#pragma once

#include <cstdint>
#include <string_view>

namespace finwave::web::palette {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

// `fg` at `alpha` over `bg`, as the renderer blends a translucent fill.
constexpr Rgb over(Rgb fg, Rgb bg, double alpha) {
    auto mix = [&](std::uint8_t f, std::uint8_t b) {
        return static_cast<std::uint8_t>(static_cast<double>(f) * alpha + static_cast<double>(b) * (1.0 - alpha) + 0.5);
    };
    return {mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b)};
}

// --- Backgrounds
inline constexpr Rgb kBackground{0x1b, 0x1e, 0x23};  // behind the panes; the ladder and the diagram
inline constexpr Rgb kPane{0x22, 0x26, 0x2d};
inline constexpr Rgb kPaneDark{0x1d, 0x20, 0x26};    // title bars, the ladder's breaks
inline constexpr Rgb kFrame{0x2e, 0x33, 0x3d};       // inputs, combo boxes, the timers' bars
inline constexpr Rgb kButton{0x34, 0x3b, 0x47};
inline constexpr Rgb kPopup{0x2a, 0x2f, 0x38};        // tooltips, menus, table headers, tabs
inline constexpr Rgb kCard{0x29, 0x2e, 0x37};         // a question's card
inline constexpr Rgb kRowAlt{0x26, 0x2a, 0x32};       // every other table row
inline constexpr Rgb kCodeBg{0x2e, 0x33, 0x3d};
inline constexpr Rgb kGrid{0x33, 0x38, 0x42};         // lines that are neither text nor a control

// --- Text and marks
inline constexpr Rgb kText{0xdc, 0xe1, 0xea};
inline constexpr Rgb kTextDim{0xa3, 0xab, 0xb9};    // labels beside controls, secondary text
// The quietest text (the ladder's time axis, timers that are off, disabled
// buttons): still 4.5:1, quieter by its place and size rather than by fading.
inline constexpr Rgb kTextFaint{0x96, 0x9e, 0xac};
inline constexpr Rgb kAccent{0x88, 0xc0, 0xd0};
inline constexpr Rgb kClient{0x6d, 0xb5, 0xee};
inline constexpr Rgb kServer{0xf4, 0xa2, 0x59};
inline constexpr Rgb kLost{0xff, 0x80, 0x80};
inline constexpr Rgb kRight{0x7b, 0xc6, 0x7e};
inline constexpr Rgb kWrong{0xf0, 0x8c, 0x8c};
inline constexpr Rgb kCodeText{0xe6, 0xc0, 0x7b};
inline constexpr Rgb kNow{0xc4, 0xa0, 0xbe};
inline constexpr Rgb kFocus{0xeb, 0xcb, 0x8b};       // keyboard navigation's frame
// The states' colours on the ladder's timelines.
inline constexpr Rgb kStateOpening{0x8f, 0xbc, 0xbb};
inline constexpr Rgb kStateTimeWait{0xc4, 0xa0, 0xbe};
inline constexpr Rgb kStateClosing{0xeb, 0xcb, 0x8b};

// --- Controls
// The edge of every button, input, check box, tab and scroll bar.
inline constexpr Rgb kControlEdge{0x80, 0x89, 0x99};
// ImGui's BeginDisabled() multiplies a disabled control's colours by this.
inline constexpr float kDisabledAlpha = 0.6F;
// Alphas of the tinted fills the panels draw behind text.
inline constexpr float kPlayTint = 0.35F;    // the Play button (accent)
inline constexpr float kDropTint = 0.22F;    // the "drop the next segment" buttons (lost)
inline constexpr float kTimerBar = 0.35F;    // a timer's bar (side colour), under its text
inline constexpr float kRightTint = 0.28F;   // a question's right option
inline constexpr float kWrongTint = 0.25F;   // a question's wrong option, once chosen
inline constexpr float kHereTint = 0.85F;    // the diagram's current state (side colour), under its name
inline constexpr float kMarkTint = 0.18F;    // a mark's chip on a timeline (its own colour)
inline constexpr float kLabelBack = 0.8F;    // the pane behind a segment's label on the ladder

enum class Need : std::uint8_t { Text, LargeText, ControlEdge };
constexpr double ratio_for(Need n) { return n == Need::Text ? 4.5 : 3.0; }

struct Pair {
    std::string_view what;  // where the canvas draws it
    Rgb fg, bg;
    Need need;
};

inline constexpr Pair kPairs[] = {
    // Body text on every background it appears on.
    {"text on a pane", kText, kPane, Need::Text},
    {"text on the canvas background", kText, kBackground, Need::Text},
    {"text on a title bar", kText, kPaneDark, Need::Text},
    {"text on a button", kText, kButton, Need::Text},
    {"text in an input", kText, kFrame, Need::Text},
    {"text in a tooltip or menu", kText, kPopup, Need::Text},
    {"text on a question's card", kText, kCard, Need::Text},
    {"text on an alternate table row", kText, kRowAlt, Need::Text},
    {"text on the Play button", kText, over(kAccent, kPane, kPlayTint), Need::Text},
    {"text on a drop-next button", kText, over(kLost, kPane, kDropTint), Need::Text},
    {"text on a right answer", kText, over(kRight, kCard, kRightTint), Need::Text},
    {"text on a wrong answer", kText, over(kWrong, kCard, kWrongTint), Need::Text},
    {"the client's state in the diagram", kBackground, over(kClient, kPaneDark, kHereTint), Need::Text},
    {"the server's state in the diagram", kBackground, over(kServer, kPaneDark, kHereTint), Need::Text},
    {"a state's name in the diagram", kText, kPaneDark, Need::Text},
    {"a client timer's time left", kText, over(kClient, kFrame, kTimerBar), Need::Text},
    {"a server timer's time left", kText, over(kServer, kFrame, kTimerBar), Need::Text},
    // Secondary and quiet text.
    {"dim text on a pane", kTextDim, kPane, Need::Text},
    {"dim text on the canvas background", kTextDim, kBackground, Need::Text},
    {"dim text on a title bar", kTextDim, kPaneDark, Need::Text},
    {"dim text on an alternate row", kTextDim, kRowAlt, Need::Text},
    {"dim text on a question's card", kTextDim, kCard, Need::Text},
    {"the ladder's time axis", kTextFaint, kBackground, Need::Text},
    {"faint text on a pane", kTextFaint, kPane, Need::Text},
    {"faint text on a title bar", kTextFaint, kPaneDark, Need::Text},
    {"a timer that is off, on an alternate row", kTextFaint, kRowAlt, Need::Text},
    {"a disabled button's label", kTextFaint, over(kButton, kPane, kDisabledAlpha), Need::Text},
    {"a disabled button's label on a title bar", kTextFaint, over(kButton, kPaneDark, kDisabledAlpha), Need::Text},
    // Coloured text.
    {"accent text (headings, links) on a pane", kAccent, kPane, Need::Text},
    {"accent text on a question's card", kAccent, kCard, Need::Text},
    {"client labels on a pane", kClient, kPane, Need::Text},
    {"client labels on the canvas background", kClient, kBackground, Need::Text},
    {"client labels on an alternate row", kClient, kRowAlt, Need::Text},
    {"server labels on a pane", kServer, kPane, Need::Text},
    {"server labels on the canvas background", kServer, kBackground, Need::Text},
    {"a segment's label on the ladder", kText, over(kPane, kBackground, kLabelBack), Need::Text},
    {"a lost segment's label", kLost, over(kPane, kBackground, kLabelBack), Need::Text},
    {"fault titles on a pane", kLost, kPane, Need::Text},
    {"the verdict 'right'", kRight, kCard, Need::Text},
    {"the verdict 'wrong'", kWrong, kCard, Need::Text},
    {"code", kCodeText, kCodeBg, Need::Text},
    {"the clock", kNow, kPane, Need::Text},
    {"the time in the ladder's 'now' badge", kBackground, kNow, Need::Text},
    {"a state change on a timeline", kStateOpening, over(kStateOpening, kBackground, kMarkTint), Need::Text},
    {"TIME-WAIT on a timeline", kStateTimeWait, over(kStateTimeWait, kBackground, kMarkTint), Need::Text},
    {"a closing state on a timeline", kStateClosing, over(kStateClosing, kBackground, kMarkTint), Need::Text},
    {"ESTABLISHED on a timeline", kRight, over(kRight, kBackground, kMarkTint), Need::Text},
    {"CLOSED on a timeline", kTextFaint, over(kTextFaint, kBackground, kMarkTint), Need::Text},
    {"a lost notice on a timeline", kLost, over(kLost, kBackground, kMarkTint), Need::Text},
    // Large text.
    {"headings on a pane", kAccent, kPane, Need::LargeText},
    // The boundaries of controls, against what surrounds them.
    {"a control's edge on a pane", kControlEdge, kPane, Need::ControlEdge},
    {"a control's edge on a title bar", kControlEdge, kPaneDark, Need::ControlEdge},
    {"a control's edge on the canvas background", kControlEdge, kBackground, Need::ControlEdge},
    {"a control's edge in a menu", kControlEdge, kPopup, Need::ControlEdge},
    {"a control's edge on a question's card", kControlEdge, kCard, Need::ControlEdge},
    {"a check mark or radio dot in its box", kAccent, kFrame, Need::ControlEdge},
    {"a client segment's arrow (a click target)", kClient, kBackground, Need::ControlEdge},
    {"a server segment's arrow (a click target)", kServer, kBackground, Need::ControlEdge},
    {"the keyboard focus frame", kFocus, kPane, Need::ControlEdge},
};

}  // namespace finwave::web::palette
