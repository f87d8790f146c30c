// Virtual time for the simulator. Integer microseconds wrapped in distinct
// types so that an instant can never be added to an instant, and a plain
// number can never be mistaken for a duration in the wrong unit.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace finwave {

struct Duration {
    std::int64_t us = 0;

    static constexpr Duration micros(std::int64_t v) { return Duration{v}; }
    static constexpr Duration millis(std::int64_t v) { return Duration{v * 1000}; }
    static constexpr Duration seconds(std::int64_t v) { return Duration{v * 1000000}; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return {us + o.us}; }
    constexpr Duration operator-(Duration o) const { return {us - o.us}; }
    constexpr Duration operator*(std::int64_t k) const { return {us * k}; }
    constexpr Duration operator/(std::int64_t k) const { return {us / k}; }
    constexpr Duration& operator+=(Duration o) { us += o.us; return *this; }
    constexpr bool is_zero() const { return us == 0; }
};

// Time since the start of a simulation run.
struct Instant {
    std::int64_t us = 0;

    constexpr auto operator<=>(const Instant&) const = default;
    constexpr Instant operator+(Duration d) const { return {us + d.us}; }
    constexpr Instant operator-(Duration d) const { return {us - d.us}; }
    constexpr Duration operator-(Instant o) const { return {us - o.us}; }
};

// "1.5s", "200ms", "40us", "2min": the shortest exact spelling.
std::string format_duration(Duration d);
// Seconds with six decimals, as a capture tool prints time stamps.
std::string format_instant(Instant t);
// Accepts a number followed by a unit: us, ms, s, min (e.g. "1.5s", "200ms").
// A bare number other than 0 is rejected: the unit must always be said.
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace finwave
