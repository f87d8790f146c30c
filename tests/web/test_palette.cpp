// The canvas's palette against WCAG 2.2 AA (success criteria 1.4.3 and
// 1.4.11): every text and control colour that web/palette.hpp pairs with a
// background, at 4.5:1 for text and 3:1 for large text and controls' edges.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "palette.hpp"

namespace {

using namespace finwave::web::palette;

// WCAG 2.2, "relative luminance": sRGB channels linearised, then weighted.
double channel(std::uint8_t c) {
    const double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

double luminance(Rgb c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b); }

double contrast(Rgb a, Rgb b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

}  // namespace

TEST_CASE("contrast: the formula gives WCAG's known ratios") {
    CHECK(contrast({0, 0, 0}, {255, 255, 255}) == doctest::Approx(21.0));
    CHECK(contrast({0x77, 0x77, 0x77}, {255, 255, 255}) == doctest::Approx(4.48).epsilon(0.01));
    CHECK(contrast({0x22, 0x26, 0x2d}, {0x22, 0x26, 0x2d}) == doctest::Approx(1.0));
    // The two the canvas had, measured from screenshots: the time axis and a disabled button.
    CHECK(contrast({0x5f, 0x67, 0x75}, kPane) == doctest::Approx(2.66).epsilon(0.01));
    CHECK(contrast({0x5f, 0x67, 0x75}, over(kButton, kPane, kDisabledAlpha)) == doctest::Approx(2.23).epsilon(0.01));
}

TEST_CASE("palette: every text and control colour meets WCAG 2.2 AA on its background") {
    int checked = 0;
    for (const Pair& p : kPairs) {
        const double ratio = contrast(p.fg, p.bg);
        INFO(p.what, ": ", hex(p.fg), " on ", hex(p.bg), " is ", ratio, ":1, needs ", ratio_for(p.need), ":1");
        CHECK(ratio >= ratio_for(p.need));
        ++checked;
    }
    CHECK(checked >= 50);
}

TEST_CASE("palette: the quiet text is quieter than body text, yet readable") {
    // Disabled controls may look disabled, but must stay legible.
    CHECK(contrast(kTextFaint, kPane) < contrast(kTextDim, kPane));
    CHECK(contrast(kTextDim, kPane) < contrast(kText, kPane));
    CHECK(contrast(kTextFaint, over(kButton, kPane, kDisabledAlpha)) >= 4.5);
}
