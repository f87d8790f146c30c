#include "finwave/ui_strings.hpp"

#include <span>

namespace finwave::i18n {

namespace generated {
std::span<const EmbeddedText> strings();  // strings/*.txt, by cmake/EmbedFiles.cmake
}

const char* lang_code(Lang l) { return l == Lang::Zh ? "zh" : "en"; }

std::optional<Lang> parse_lang(std::string_view code) {
    if (code == "en") return Lang::En;
    if (code == "zh") return Lang::Zh;
    return std::nullopt;
}

std::vector<std::string> UiStrings::load(Lang lang, std::string_view text, std::string_view file) {
    std::vector<std::string> problems;
    auto& table = table_[static_cast<int>(lang)];
    int number = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find(" = ");
        if (eq == std::string_view::npos) {
            problems.push_back(std::string(file) + ":" + std::to_string(number) + ": expected 'key = value'");
            continue;
        }
        std::string key(line.substr(0, eq));
        std::string value;
        const std::string_view raw = line.substr(eq + 3);
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
                value += '\n';
                ++i;
            } else {
                value += raw[i];
            }
        }
        if (table.contains(key))
            problems.push_back(std::string(file) + ":" + std::to_string(number) + ": '" + key + "' is defined twice");
        table[std::move(key)] = std::move(value);
    }
    return problems;
}

const std::string& UiStrings::get(Lang lang, std::string_view key) const {
    const auto& table = table_[static_cast<int>(lang)];
    if (auto it = table.find(key); it != table.end()) return it->second;
    const auto& english = table_[static_cast<int>(Lang::En)];
    if (auto it = english.find(key); it != english.end()) return it->second;
    auto it = missing_.find(key);
    if (it == missing_.end()) it = missing_.emplace(std::string(key), std::string(key)).first;
    return it->second;
}

bool UiStrings::has(Lang lang, std::string_view key) const {
    return table_[static_cast<int>(lang)].contains(key);
}

std::vector<std::string> UiStrings::keys(Lang lang) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : table_[static_cast<int>(lang)]) out.push_back(k);
    return out;
}

const UiStrings& builtin_strings() {
    static const UiStrings strings = [] {
        UiStrings s;
        for (const EmbeddedText& file : generated::strings()) {
            if (auto lang = parse_lang(file.name)) s.load(*lang, file.text, file.name);
        }
        return s;
    }();
    return strings;
}

std::string format_text(std::string_view pattern, const std::vector<std::string>& args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const auto k = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (k < args.size()) out += args[k];
            i += 2;
            continue;
        }
        out += pattern[i];
    }
    return out;
}

}  // namespace finwave::i18n
