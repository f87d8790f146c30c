#include <doctest/doctest.h>

#include "markdown.hpp"

using namespace finwave::web;
namespace st = finwave::web::span_style;

TEST_CASE("markdown: paragraphs join their lines; Chinese lines join without a space") {
    auto b = parse_markdown("A TCP connection\ncarries bytes.\n\n这是第一行\n第二行");
    REQUIRE(b.size() == 2);
    CHECK(b[0].kind == MdBlock::Kind::Paragraph);
    CHECK(b[0].spans.at(0).text == "A TCP connection carries bytes.");
    CHECK(b[1].spans.at(0).text == "这是第一行第二行");
}

TEST_CASE("markdown: bold, italic, code and links become styled spans") {
    const MdInline s = parse_inline("It is **full duplex**, press *Play*, call `close()`, see [RFC](https://x.example).");
    REQUIRE(s.size() >= 8);
    CHECK(s[0] == MdSpan{"It is ", 0, {}});
    CHECK(s[1] == MdSpan{"full duplex", st::kBold, {}});
    CHECK(s[3] == MdSpan{"Play", st::kItalic, {}});
    CHECK(s[5] == MdSpan{"close()", st::kCode, {}});
    CHECK(s[7].text == "RFC");
    CHECK(s[7].style == st::kLink);
    CHECK(s[7].url == "https://x.example");
}

TEST_CASE("markdown: lone or spaced markers stay literal") {
    CHECK(parse_inline("2 * 3 * 4").at(0).text == "2 * 3 * 4");
    CHECK(parse_inline("tcp_fin_timeout and tcp_orphan_retries").size() == 1);
    CHECK(parse_inline("an *unclosed marker").at(0).text == "an *unclosed marker");
    CHECK(parse_inline("a `code` b").at(1).style == st::kCode);
}

TEST_CASE("markdown: headings, lists, code blocks, quotes, rules and tables") {
    const auto b = parse_markdown(
        "### Sub-heading\n"
        "- first\n  continued\n- second\n"
        "1. one\n2) two\n\n"
        "```text\nclient > server  [FIN, ACK]\n  indented\n```\n"
        "> quoted\n> more\n\n"
        "---\n"
        "| a | b |\n|---|---|\n| 1 | **2** |\n");
    REQUIRE(b.size() == 9);
    CHECK(b[0].kind == MdBlock::Kind::Heading);
    CHECK(b[0].level == 3);
    CHECK(b[1].kind == MdBlock::Kind::ListItem);
    CHECK(b[1].spans.at(0).text == "first continued");
    CHECK_FALSE(b[2].ordered);
    CHECK(b[3].ordered);
    CHECK(b[3].number == 1);
    CHECK(b[4].number == 2);
    CHECK(b[5].kind == MdBlock::Kind::CodeBlock);
    CHECK(b[5].info == "text");
    CHECK(b[5].code == "client > server  [FIN, ACK]\n  indented");
    CHECK(b[6].kind == MdBlock::Kind::Quote);
    CHECK(b[6].spans.at(0).text == "quoted more");
    CHECK(b[7].kind == MdBlock::Kind::Rule);
    CHECK(b[8].kind == MdBlock::Kind::Table);
    REQUIRE(b[8].rows.size() == 2);
    CHECK(b[8].rows[1][1].at(0) == MdSpan{"2", st::kBold, {}});
}

TEST_CASE("markdown: a line ending in two spaces is a hard break") {
    const auto b = parse_markdown("first  \nsecond");
    CHECK(b.at(0).spans.at(0).text == "first\nsecond");
}
