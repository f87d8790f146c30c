// The interface's own words in each language, from web/strings/<lang>.txt
// (embedded at build time). Lesson text is not here: lessons are data files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace finwave::web {

enum class Lang : std::uint8_t { En, Zh };
inline constexpr int kLangCount = 2;
const char* lang_code(Lang l);  // "en", "zh"
std::optional<Lang> parse_lang(std::string_view code);

class UiStrings {
public:
    // "key = value" lines; '#' starts a comment line; "\n" in a value is a
    // line break. Returns the problems as "file:line: message".
    std::vector<std::string> load(Lang lang, std::string_view text, std::string_view file);
    // Falls back to English, then to the key itself, so a missing
    // translation shows as English rather than as nothing.
    const std::string& get(Lang lang, std::string_view key) const;
    bool has(Lang lang, std::string_view key) const;
    std::vector<std::string> keys(Lang lang) const;

private:
    std::map<std::string, std::string, std::less<>> table_[kLangCount];
    mutable std::map<std::string, std::string, std::less<>> missing_;
};

// The tables embedded from web/strings/.
const UiStrings& builtin_strings();

struct EmbeddedText {
    std::string_view name;
    std::string_view text;
};

}  // namespace finwave::web
