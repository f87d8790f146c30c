// Every word FinWave shows, in each language, from strings/<lang>.txt
// (embedded at build time). One table per language, shared by the browser
// app, the desktop app, the CLI and the accessible view. Lesson text is not
// here: lessons are data files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace finwave::i18n {

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

// The tables embedded from strings/.
const UiStrings& builtin_strings();

// Replaces {0}, {1}, ... with the arguments.
std::string format_text(std::string_view pattern, const std::vector<std::string>& args);

// One language's view of the tables: what the CLI and the app's model hold.
class Words {
public:
    explicit Words(Lang lang, const UiStrings& strings = builtin_strings()) : lang_(lang), strings_(&strings) {}
    Lang lang() const { return lang_; }
    const std::string& operator()(std::string_view key) const { return strings_->get(lang_, key); }
    std::string operator()(std::string_view key, const std::vector<std::string>& args) const {
        return format_text(strings_->get(lang_, key), args);
    }
    bool has(std::string_view key) const { return strings_->has(lang_, key); }

private:
    Lang lang_;
    const UiStrings* strings_;
};

struct EmbeddedText {
    std::string_view name;
    std::string_view text;
};

}  // namespace finwave::i18n
