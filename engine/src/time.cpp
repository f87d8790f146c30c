#include "finwave/time.hpp"

#include <cstdio>

namespace finwave {

std::string format_duration(Duration d) {
    const std::int64_t v = d.us;
    const std::int64_t mag = v < 0 ? -v : v;
    char buf[48];
    if (mag == 0) return "0s";
    if (mag % 60000000 == 0 && mag >= 120000000) {
        std::snprintf(buf, sizeof buf, "%lldmin", static_cast<long long>(v / 60000000));
    } else if (mag % 1000000 == 0) {
        std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(v / 1000000));
    } else if (mag >= 1000000 && mag % 1000 == 0) {
        // 1.5s rather than 1500ms: seconds read better above one second.
        std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(v) / 1e6);
        std::string s(buf);
        while (s.back() == '0') s.pop_back();
        return s + "s";
    } else if (mag % 1000 == 0) {
        std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(v / 1000));
    } else {
        std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(v));
    }
    return buf;
}

std::string format_instant(Instant t) {
    char buf[32];
    const std::int64_t v = t.us;
    std::snprintf(buf, sizeof buf, "%s%lld.%06lld", v < 0 ? "-" : "", static_cast<long long>((v < 0 ? -v : v) / 1000000),
                  static_cast<long long>((v < 0 ? -v : v) % 1000000));
    return buf;
}

std::optional<Duration> parse_duration(std::string_view text) {
    // Parse digits and an optional fraction by hand: locale-independent and
    // exact, so "0.1s" is 100000 us and not 99999.
    if (text == "0") return Duration{};  // zero is zero in every unit
    std::size_t i = 0;
    std::int64_t whole = 0;
    std::int64_t frac = 0;
    std::int64_t frac_scale = 1;
    bool any_digit = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        whole = whole * 10 + (text[i] - '0');
        if (whole > 1000000000000LL) return std::nullopt;
        any_digit = true;
        ++i;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (frac_scale >= 1000000) return std::nullopt;  // more precision than we keep
            frac = frac * 10 + (text[i] - '0');
            frac_scale *= 10;
            any_digit = true;
            ++i;
        }
    }
    if (!any_digit) return std::nullopt;
    const std::string_view unit = text.substr(i);
    std::int64_t unit_us = 0;
    if (unit == "us") unit_us = 1;
    else if (unit == "ms") unit_us = 1000;
    else if (unit == "s") unit_us = 1000000;
    else if (unit == "min") unit_us = 60000000;
    else return std::nullopt;
    const std::int64_t frac_us = frac * unit_us / frac_scale;
    if (frac * unit_us % frac_scale != 0) return std::nullopt;  // finer than a microsecond
    return Duration{whole * unit_us + frac_us};
}

}  // namespace finwave
