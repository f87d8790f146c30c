#include "markdown.hpp"

#include <md4c.h>

#include <cstdlib>
#include <optional>

#include "text.hpp"

// md4c (CommonMark, with its tables extension) reads the Markdown; this file
// only turns md4c's callbacks into the app's blocks of styled spans.

namespace finwave::web {

namespace {

// Raw HTML is shown as the text it is; indented code blocks are off because
// lesson authors indent continuation lines of a list item or a paragraph.
constexpr unsigned kFlags = MD_FLAG_TABLES | MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS;

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// An entity md4c recognised ("&amp;", "&#39;", "&#x4E2D;"): the character
// for the numeric ones and the few names lessons use; any other name stays
// as written.
std::string decode_entity(std::string_view e) {
    if (e.size() > 3 && e[1] == '#') {
        const bool hex = e[2] == 'x' || e[2] == 'X';
        const std::string digits(e.substr(hex ? 3 : 2, e.size() - (hex ? 4 : 3)));
        const unsigned long c = std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10);
        std::string out;
        append_utf8(out, c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ? 0xFFFD : static_cast<char32_t>(c));
        return out;
    }
    if (e == "&amp;") return "&";
    if (e == "&lt;") return "<";
    if (e == "&gt;") return ">";
    if (e == "&quot;") return "\"";
    if (e == "&apos;") return "'";
    if (e == "&nbsp;") return "\u00A0";
    return std::string(e);
}

std::string attribute_text(const MD_ATTRIBUTE& a) {
    std::string out;
    if (a.text == nullptr) return out;
    for (int i = 0; a.substr_offsets[i] < a.size; ++i) {
        const std::string_view part(a.text + a.substr_offsets[i], a.substr_offsets[i + 1] - a.substr_offsets[i]);
        if (a.substr_types[i] == MD_TEXT_ENTITY) out += decode_entity(part);
        else if (a.substr_types[i] == MD_TEXT_NULLCHAR) out += "\uFFFD";
        else out += part;
    }
    return out;
}

class Builder {
public:
    std::vector<MdBlock> blocks;

    static int enter_block(MD_BLOCKTYPE type, void* detail, void* self) {
        static_cast<Builder*>(self)->enter(type, detail);
        return 0;
    }
    static int leave_block(MD_BLOCKTYPE type, void*, void* self) {
        static_cast<Builder*>(self)->leave(type);
        return 0;
    }
    static int enter_span(MD_SPANTYPE type, void* detail, void* self) {
        static_cast<Builder*>(self)->span(type, detail, true);
        return 0;
    }
    static int leave_span(MD_SPANTYPE type, void* detail, void* self) {
        static_cast<Builder*>(self)->span(type, detail, false);
        return 0;
    }
    static int text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* self) {
        static_cast<Builder*>(self)->add_text(type, std::string_view(text, size));
        return 0;
    }

private:
    struct List {
        bool ordered = false;
        int next = 0;
    };
    std::vector<List> lists_;
    int quotes_ = 0;
    // Where text goes: a block's spans (or its code), or a table cell.
    std::optional<std::size_t> block_;
    bool in_cell_ = false;
    bool item_has_text_ = false;  // the open list item already holds a paragraph
    std::uint8_t style_ = 0;
    int links_ = 0;
    std::string url_;
    // A soft line break waits for the next text, which decides whether it is
    // a space; the space keeps the style the line ended in.
    bool soft_break_ = false;
    std::uint8_t soft_style_ = 0;

    MdBlock& open(MdBlock::Kind kind) {
        blocks.emplace_back().kind = kind;
        block_ = blocks.size() - 1;
        soft_break_ = false;
        return blocks.back();
    }

    MdInline* target() {
        if (!block_) return nullptr;
        MdBlock& b = blocks[*block_];
        if (in_cell_) return b.rows.empty() || b.rows.back().empty() ? nullptr : &b.rows.back().back();
        return &b.spans;
    }

    void enter(MD_BLOCKTYPE type, void* detail) {
        switch (type) {
            case MD_BLOCK_UL: lists_.push_back({false, 0}); break;
            case MD_BLOCK_OL: lists_.push_back({true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)}); break;
            case MD_BLOCK_LI: {
                List& list = lists_.back();
                MdBlock& b = open(MdBlock::Kind::ListItem);
                b.level = std::min(static_cast<int>(lists_.size()) - 1, 4);
                b.ordered = list.ordered;
                if (list.ordered) b.number = list.next++;
                item_has_text_ = false;
                break;
            }
            case MD_BLOCK_QUOTE: ++quotes_; break;
            case MD_BLOCK_HR: open(MdBlock::Kind::Rule); block_.reset(); break;
            case MD_BLOCK_H: open(MdBlock::Kind::Heading).level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level); break;
            case MD_BLOCK_CODE: open(MdBlock::Kind::CodeBlock).info = attribute_text(static_cast<MD_BLOCK_CODE_DETAIL*>(detail)->info); break;
            case MD_BLOCK_P:
                // The first paragraph of a list item is the item's own text.
                if (block_ && blocks[*block_].kind == MdBlock::Kind::ListItem && !item_has_text_) break;
                open(quotes_ > 0 ? MdBlock::Kind::Quote : MdBlock::Kind::Paragraph);
                break;
            case MD_BLOCK_TABLE: open(MdBlock::Kind::Table); break;
            case MD_BLOCK_TR:
                if (block_) blocks[*block_].rows.emplace_back();
                break;
            case MD_BLOCK_TH:
            case MD_BLOCK_TD:
                if (block_ && !blocks[*block_].rows.empty()) blocks[*block_].rows.back().emplace_back();
                in_cell_ = true;
                soft_break_ = false;
                break;
            case MD_BLOCK_DOC:
            case MD_BLOCK_HTML:
            case MD_BLOCK_THEAD:
            case MD_BLOCK_TBODY: break;
        }
    }

    void leave(MD_BLOCKTYPE type) {
        switch (type) {
            case MD_BLOCK_UL:
            case MD_BLOCK_OL: lists_.pop_back(); block_.reset(); break;
            case MD_BLOCK_LI: block_.reset(); break;
            case MD_BLOCK_QUOTE: --quotes_; break;
            case MD_BLOCK_P:
                if (block_ && blocks[*block_].kind == MdBlock::Kind::ListItem) item_has_text_ = true;
                else block_.reset();
                break;
            case MD_BLOCK_CODE:
                if (block_ && !blocks[*block_].code.empty() && blocks[*block_].code.back() == '\n') blocks[*block_].code.pop_back();
                block_.reset();
                break;
            case MD_BLOCK_H:
            case MD_BLOCK_TABLE: block_.reset(); break;
            case MD_BLOCK_TH:
            case MD_BLOCK_TD: in_cell_ = false; break;
            default: break;
        }
    }

    void span(MD_SPANTYPE type, void* detail, bool entering) {
        std::uint8_t bit = 0;
        switch (type) {
            case MD_SPAN_EM: bit = span_style::kItalic; break;
            case MD_SPAN_STRONG: bit = span_style::kBold; break;
            case MD_SPAN_CODE: bit = span_style::kCode; break;
            case MD_SPAN_A:
                links_ += entering ? 1 : -1;
                if (entering) url_ = attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
                bit = span_style::kLink;
                break;
            default: return;  // an image shows its description as text
        }
        // Nested emphasis of one kind (***a***) sets the bit once.
        if (entering) style_ |= bit;
        else if (type != MD_SPAN_A || links_ == 0) style_ &= static_cast<std::uint8_t>(~bit);
    }

    void add_text(MD_TEXTTYPE type, std::string_view text) {
        if (block_ && blocks[*block_].kind == MdBlock::Kind::CodeBlock) {
            blocks[*block_].code += text;
            return;
        }
        switch (type) {
            case MD_TEXT_SOFTBR:
                soft_break_ = true;
                soft_style_ = style_;
                return;
            case MD_TEXT_BR: put("\n"); soft_break_ = false; return;
            case MD_TEXT_ENTITY: put(decode_entity(text)); return;
            case MD_TEXT_NULLCHAR: put("\uFFFD"); return;
            default: put(text); return;
        }
    }

    // Appends to the current span, or starts one when the style changes.
    // A soft line break is a space between words and nothing between two
    // Chinese characters.
    void put(std::string_view text) {
        MdInline* spans = target();
        if (spans == nullptr || text.empty()) return;
        if (soft_break_) {
            soft_break_ = false;
            const bool joined = !spans->empty() && is_wide(last_codepoint(spans->back().text)) && is_wide(first_codepoint(text));
            if (!spans->empty() && !joined) add(*spans, " ", soft_style_);
        }
        add(*spans, text, style_);
    }

    void add(MdInline& spans, std::string_view text, std::uint8_t style) {
        const std::string url = style & span_style::kLink ? url_ : std::string();
        if (!spans.empty() && spans.back().style == style && spans.back().url == url) spans.back().text += text;
        else spans.push_back({std::string(text), style, url});
    }
};

std::vector<MdBlock> parse(std::string_view text) {
    Builder b;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = kFlags;
    parser.enter_block = &Builder::enter_block;
    parser.leave_block = &Builder::leave_block;
    parser.enter_span = &Builder::enter_span;
    parser.leave_span = &Builder::leave_span;
    parser.text = &Builder::text;
    // md4c 0.4.8 reads a byte past the end of its input when a link's
    // destination runs to the very end ("[](" or "x [](\na", found by
    // fuzz/markdown). A last line ended by a newline means the same Markdown
    // and gives it that byte.
    if (!text.empty() && text.back() != '\n' && text.back() != '\r') {
        const std::string ended = std::string(text) + '\n';
        md_parse(ended.data(), static_cast<MD_SIZE>(ended.size()), &parser, &b);
    } else {
        md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &b);
    }
    return std::move(b.blocks);
}

// A character that could start a block (a heading, list, quote, rule, fence,
// table or setext underline) where it opens a line.
bool opens_block(char c) {
    return c == '#' || c == '>' || c == '-' || c == '+' || c == '*' || c == '=' || c == '|' || c == '`' || c == '~' || c == '_';
}

// One line or text of inline Markdown (a title, a prompt, a string of the
// tables) made safe to read as one paragraph: what would open a block at the
// start of a line is escaped, so "1. ..." or "- ..." stays text.
std::string as_paragraph(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 4);
    bool line_start = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (line_start) {
            if (c == ' ' || c == '\t') continue;
            if (opens_block(c)) out += '\\';
            std::size_t digits = 0;
            while (i + digits < s.size() && digits < 10 && s[i + digits] >= '0' && s[i + digits] <= '9') ++digits;
            if (digits > 0 && i + digits < s.size() && (s[i + digits] == '.' || s[i + digits] == ')')) {
                out.append(s.substr(i, digits));
                out += '\\';
                out += s[i + digits];
                i += digits;
                line_start = false;
                continue;
            }
        }
        line_start = c == '\n';
        out += c;
    }
    return out;
}

}  // namespace

std::vector<MdBlock> parse_markdown(std::string_view text) { return parse(text); }

MdInline parse_inline(std::string_view text) {
    MdInline out;
    for (MdBlock& b : parse(as_paragraph(text))) {
        for (MdSpan& s : b.spans) out.push_back(std::move(s));
    }
    return out;
}

}  // namespace finwave::web
