#include "markdown.hpp"

#include <cctype>
#include <optional>

#include "text.hpp"

namespace finwave::web {

namespace {

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

std::string_view trim(std::string_view s) {
    s = trim_left(s);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

int indent_of(std::string_view line) {
    int n = 0;
    for (char c : line) {
        if (c == ' ') ++n;
        else if (c == '\t') n += 4;
        else break;
    }
    return n;
}

bool is_fence(std::string_view line, std::string_view& info) {
    const std::string_view t = trim_left(line);
    if (indent_of(line) > 3) return false;
    if (t.substr(0, 3) != "```" && t.substr(0, 3) != "~~~") return false;
    info = trim(t.substr(3));
    return true;
}

bool is_rule(std::string_view line) {
    const std::string_view t = trim(line);
    if (t.size() < 3) return false;
    const char c = t.front();
    if (c != '-' && c != '*' && c != '_') return false;
    int count = 0;
    for (char x : t) {
        if (x == c) ++count;
        else if (x != ' ') return false;
    }
    return count >= 3;
}

struct ListMarker {
    int indent = 0;
    bool ordered = false;
    int number = 0;
    std::string_view rest;
};

std::optional<ListMarker> list_marker(std::string_view line) {
    ListMarker m;
    m.indent = indent_of(line);
    std::string_view t = trim_left(line);
    if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') {
        m.rest = trim_left(t.substr(2));
        return m;
    }
    std::size_t digits = 0;
    while (digits < t.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits == 0 || digits + 1 >= t.size()) return std::nullopt;
    if ((t[digits] != '.' && t[digits] != ')') || t[digits + 1] != ' ') return std::nullopt;
    m.ordered = true;
    m.number = std::stoi(std::string(t.substr(0, digits)));
    m.rest = trim_left(t.substr(digits + 2));
    return m;
}

bool is_table_row(std::string_view line) { return trim(line).size() >= 2 && trim(line).front() == '|'; }

bool is_table_separator(std::string_view line) {
    const std::string_view t = trim(line);
    if (t.empty() || t.front() != '|') return false;
    bool dash = false;
    for (char c : t) {
        if (c == '-') dash = true;
        else if (c != '|' && c != ':' && c != ' ') return false;
    }
    return dash;
}

std::vector<MdInline> table_cells(std::string_view line) {
    std::string_view t = trim(line);
    if (!t.empty() && t.front() == '|') t.remove_prefix(1);
    if (!t.empty() && t.back() == '|') t.remove_suffix(1);
    std::vector<MdInline> cells;
    std::string cell;
    for (std::size_t i = 0; i <= t.size(); ++i) {
        if (i == t.size() || (t[i] == '|' && (i == 0 || t[i - 1] != '\\'))) {
            cells.push_back(parse_inline(trim(cell)));
            cell.clear();
        } else {
            cell += t[i];
        }
    }
    return cells;
}

// Lines of one paragraph become one text: a space between words, nothing
// between two Chinese characters (a line break there is not a space). A line
// that ends in two spaces or a backslash ends with a hard break.
void join_line(std::string& text, std::string_view raw) {
    std::string_view line = trim(raw);
    const bool hard_break = raw.ends_with("  ") || (!line.empty() && line.back() == '\\');
    if (!line.empty() && line.back() == '\\') line.remove_suffix(1);
    if (!text.empty() && text.back() != '\n' &&
        !(is_wide(last_codepoint(text)) && is_wide(first_codepoint(line))))
        text += ' ';
    text += line;
    if (hard_break) text += '\n';
}

MdBlock block_of(MdBlock::Kind kind) {
    MdBlock b;
    b.kind = kind;
    return b;
}

}  // namespace

MdInline parse_inline(std::string_view s) {
    MdInline out;
    std::string current;
    std::uint8_t style = 0;
    auto flush = [&] {
        if (current.empty()) return;
        if (!out.empty() && out.back().style == style && out.back().url.empty()) out.back().text += current;
        else out.push_back({current, style, {}});
        current.clear();
    };
    auto is_space_at = [&](std::size_t i) { return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\n'; };
    auto is_alnum_at = [&](std::size_t i) { return i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])); };
    // A closing run of `delim` later on, not preceded by a space.
    auto closer_exists = [&](std::size_t from, std::string_view delim) {
        for (std::size_t k = s.find(delim, from); k != std::string_view::npos; k = s.find(delim, k + 1)) {
            if (k > from && !is_space_at(k - 1)) return true;
        }
        return false;
    };

    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
            current += s[i + 1];
            i += 2;
            continue;
        }
        if (c == '`') {
            std::size_t run = 0;
            while (i + run < s.size() && s[i + run] == '`') ++run;
            const std::string delim(run, '`');
            const std::size_t close = s.find(delim, i + run);
            if (close == std::string_view::npos) {
                current += delim;
                i += run;
                continue;
            }
            std::string_view code = s.substr(i + run, close - i - run);
            if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ') code = code.substr(1, code.size() - 2);
            flush();
            out.push_back({std::string(code), static_cast<std::uint8_t>(style | span_style::kCode), {}});
            i = close + run;
            continue;
        }
        if (c == '[') {
            const std::size_t close = s.find(']', i + 1);
            if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
                const std::size_t end = s.find(')', close + 2);
                if (end != std::string_view::npos) {
                    flush();
                    MdInline inner = parse_inline(s.substr(i + 1, close - i - 1));
                    const std::string url(trim(s.substr(close + 2, end - close - 2)));
                    for (auto& span : inner) {
                        span.style |= static_cast<std::uint8_t>(style | span_style::kLink);
                        span.url = url;
                        out.push_back(span);
                    }
                    i = end + 1;
                    continue;
                }
            }
        }
        if (c == '*' || c == '_') {
            std::size_t run = 0;
            while (i + run < s.size() && s[i + run] == c) ++run;
            const bool intraword = c == '_' && i > 0 && is_alnum_at(i - 1) && is_alnum_at(i + run);
            if (!intraword && run <= 3) {
                const std::uint8_t toggles = run == 1 ? span_style::kItalic
                                           : run == 2 ? span_style::kBold
                                                      : static_cast<std::uint8_t>(span_style::kBold | span_style::kItalic);
                const std::string delim(run, c);
                const bool can_close = (style & toggles) == toggles && i > 0 && !is_space_at(i - 1);
                const bool can_open = (style & toggles) == 0 && !is_space_at(i + run) && closer_exists(i + run, delim);
                if (can_close || can_open) {
                    flush();
                    style ^= toggles;
                    i += run;
                    continue;
                }
            }
            current.append(run, c);
            i += run;
            continue;
        }
        current += c;
        ++i;
    }
    flush();
    return out;
}

std::vector<MdBlock> parse_markdown(std::string_view text) {
    std::vector<MdBlock> blocks;
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos <= text.size();) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        pos = end + 1;
    }

    // The block whose text later lines may continue, with its raw text.
    std::optional<MdBlock> open;
    std::string open_text;
    auto close_open = [&] {
        if (!open) return;
        while (!open_text.empty() && (open_text.back() == '\n' || open_text.back() == ' ')) open_text.pop_back();
        open->spans = parse_inline(open_text);
        blocks.push_back(std::move(*open));
        open.reset();
        open_text.clear();
    };

    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        std::string_view info;
        if (is_fence(line, info)) {
            close_open();
            MdBlock code;
            code.kind = MdBlock::Kind::CodeBlock;
            code.info = std::string(info);
            const std::string fence(trim_left(line).substr(0, 3));
            std::size_t j = i + 1;
            for (; j < lines.size(); ++j) {
                if (trim(lines[j]).substr(0, 3) == fence) break;
                code.code += std::string(lines[j]);
                code.code += '\n';
            }
            if (!code.code.empty()) code.code.pop_back();
            blocks.push_back(std::move(code));
            i = j;  // an unclosed fence runs to the end, as in CommonMark
            continue;
        }
        const std::string_view t = trim(line);
        if (t.empty()) {
            close_open();
            continue;
        }
        if (t.front() == '#') {
            std::size_t level = 0;
            while (level < t.size() && t[level] == '#') ++level;
            if (level <= 6 && (level == t.size() || t[level] == ' ')) {
                close_open();
                MdBlock h;
                h.kind = MdBlock::Kind::Heading;
                h.level = static_cast<int>(level);
                std::string_view title = trim(t.substr(level));
                while (!title.empty() && title.back() == '#') title.remove_suffix(1);
                h.spans = parse_inline(trim(title));
                blocks.push_back(std::move(h));
                continue;
            }
        }
        if (is_rule(line) && !list_marker(line)) {
            close_open();
            blocks.push_back(block_of(MdBlock::Kind::Rule));
            continue;
        }
        if (t.front() == '>') {
            std::string_view rest = trim_left(t.substr(1));
            if (!open || open->kind != MdBlock::Kind::Quote) {
                close_open();
                open = block_of(MdBlock::Kind::Quote);
            }
            join_line(open_text, rest);
            continue;
        }
        if (is_table_row(line) && i + 1 < lines.size() && is_table_separator(lines[i + 1])) {
            close_open();
            MdBlock table;
            table.kind = MdBlock::Kind::Table;
            table.rows.push_back(table_cells(line));
            std::size_t j = i + 2;
            for (; j < lines.size() && is_table_row(lines[j]); ++j) table.rows.push_back(table_cells(lines[j]));
            blocks.push_back(std::move(table));
            i = j - 1;
            continue;
        }
        if (auto m = list_marker(line)) {
            close_open();
            open = block_of(MdBlock::Kind::ListItem);
            open->level = std::min(m->indent / 2, 4);
            open->ordered = m->ordered;
            open->number = m->number;
            join_line(open_text, m->rest);
            continue;
        }
        if (!open) open = block_of(MdBlock::Kind::Paragraph);
        join_line(open_text, line);
    }
    close_open();
    return blocks;
}

}  // namespace finwave::web
