// The one reader of whole numbers in text, for every parser of the project
// (scenarios, knobs, lessons, URL parameters, commands, answers): all of
// `text` must be the number, with no sign for an unsigned type, no '+', no
// spaces, nothing after it, and no overflow.
#pragma once

#include <charconv>
#include <concepts>
#include <optional>
#include <string_view>
#include <system_error>

namespace finwave {

template <std::integral T>
std::optional<T> parse_integer(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

// The same, for parsers that fill a field: `out` changes only on success.
template <std::integral T>
bool parse_integer(std::string_view text, T& out) {
    const auto value = parse_integer<T>(text);
    if (value) out = *value;
    return value.has_value();
}

}  // namespace finwave
