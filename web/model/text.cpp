#include "text.hpp"

#include <cstdio>

namespace finwave::web {

char32_t next_codepoint(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    int extra = 0;
    char32_t c = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    if ((b0 & 0xE0) == 0xC0) {
        extra = 1;
        c = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        c = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3;
        c = b0 & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size()) {  // cut short at the end
        i = s.size();
        return 0xFFFD;
    }
    for (int k = 1; k <= extra; ++k) {
        const unsigned char b = byte(i + static_cast<std::size_t>(k));
        if ((b & 0xC0) != 0x80) {
            i += static_cast<std::size_t>(k);
            return 0xFFFD;
        }
        c = (c << 6) | (b & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return c;
}

char32_t first_codepoint(std::string_view s) {
    if (s.empty()) return 0;
    std::size_t i = 0;
    return next_codepoint(s, i);
}

char32_t last_codepoint(std::string_view s) {
    if (s.empty()) return 0;
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t i = start;
    return next_codepoint(s, i);
}

bool is_wide(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF)     // CJK radicals, punctuation, kana, ideographs
        || (c >= 0xAC00 && c <= 0xD7AF)     // Hangul
        || (c >= 0xF900 && c <= 0xFAFF)     // compatibility ideographs
        || (c >= 0xFE30 && c <= 0xFE4F)     // CJK compatibility forms
        || (c >= 0xFF00 && c <= 0xFFEF)     // full-width forms
        || (c >= 0x20000 && c <= 0x3FFFF);  // supplementary ideographs
}

bool no_break_before(char32_t c) {
    switch (c) {
        case U'，': case U'。': case U'、': case U'；': case U'：': case U'？': case U'！':
        case U'）': case U'」': case U'』': case U'》': case U'〉': case U'】': case U'”': case U'’':
        case U'…': case U'·': case U',': case U'.': case U';': case U':': case U'?': case U'!': case U')':
            return true;
        default:
            return false;
    }
}

bool no_break_after(char32_t c) {
    switch (c) {
        case U'（': case U'「': case U'『': case U'《': case U'〈': case U'【': case U'“': case U'‘':
            return true;
        default:
            return false;
    }
}

std::string human_duration(Duration d) {
    char buf[48];
    const std::int64_t us = d.us < 0 ? -d.us : d.us;
    const char* sign = d.us < 0 ? "-" : "";
    if (us < 1000) {
        std::snprintf(buf, sizeof buf, "%s%lld us", sign, static_cast<long long>(us));
    } else if (us < 1'000'000) {
        std::snprintf(buf, sizeof buf, "%s%.0f ms", sign, static_cast<double>(us) / 1000.0);
    } else if (us < 120'000'000) {
        std::snprintf(buf, sizeof buf, "%s%.1f s", sign, static_cast<double>(us) / 1e6);
    } else {
        const std::int64_t s = us / 1'000'000;
        std::snprintf(buf, sizeof buf, "%s%lld min %lld s", sign, static_cast<long long>(s / 60), static_cast<long long>(s % 60));
    }
    return buf;
}

std::string short_instant(Instant t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(t.us) / 1e6);
    return buf;
}

}  // namespace finwave::web
