// The Markdown subset lessons are written in (lessons/README.md): headings,
// paragraphs, **bold**, *italic*, `code`, lists, fenced code blocks, plus
// block quotes, links and simple tables. Read by md4c (CommonMark with
// tables) into blocks of styled spans;
// drawing them is the app's job (web/markdown_view.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace finwave::web {

namespace span_style {
inline constexpr std::uint8_t kBold = 1;
inline constexpr std::uint8_t kItalic = 2;
inline constexpr std::uint8_t kCode = 4;
inline constexpr std::uint8_t kLink = 8;
}  // namespace span_style

struct MdSpan {
    std::string text;  // "\n" inside a span is a hard line break
    std::uint8_t style = 0;
    std::string url;   // links only

    bool operator==(const MdSpan&) const = default;
};

using MdInline = std::vector<MdSpan>;

struct MdBlock {
    enum class Kind : std::uint8_t { Paragraph, Heading, ListItem, CodeBlock, Quote, Rule, Table };
    Kind kind = Kind::Paragraph;
    int level = 0;         // Heading: 1-6; ListItem: nesting depth from 0
    bool ordered = false;  // ListItem
    int number = 0;        // ListItem, ordered: the number written
    MdInline spans;        // Paragraph, Heading, ListItem, Quote
    std::string code;      // CodeBlock: the lines as written
    std::string info;      // CodeBlock: the word after the fence
    std::vector<std::vector<MdInline>> rows;  // Table: the first row is the header
};

std::vector<MdBlock> parse_markdown(std::string_view text);
// Inline syntax of one paragraph's text (already joined).
MdInline parse_inline(std::string_view text);

}  // namespace finwave::web
