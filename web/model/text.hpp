// Small UTF-8 and formatting helpers shared by the model and the panels.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/time.hpp"
#include "finwave/ui_strings.hpp"

namespace finwave::web {

// Decodes the code point at s[i] and advances i; U+FFFD for a broken sequence.
char32_t next_codepoint(std::string_view s, std::size_t& i);
char32_t first_codepoint(std::string_view s);
char32_t last_codepoint(std::string_view s);
// CJK ideographs, kana, Hangul, full-width forms and CJK punctuation: text
// that is written without spaces and may break between any two characters.
bool is_wide(char32_t c);
// Punctuation that must not start a line (，。、；：？！」）and the like).
bool no_break_before(char32_t c);
// Punctuation that must not end a line (（「『《 and the like).
bool no_break_after(char32_t c);

using i18n::format_text;  // {0}, {1}, ... filled in

// A duration as a person reads it on a timer: "57.3 s", "180 ms", "2 min 5 s".
std::string human_duration(Duration d);
// An instant with millisecond precision, "0.260 s".
std::string short_instant(Instant t);

}  // namespace finwave::web
