#include "markdown_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "wrap.hpp"

namespace finwave::web {

namespace {

float font_px(ImFont* f) { return f->FontSize * ImGui::GetIO().FontGlobalScale; }

}  // namespace

void MarkdownView::draw(const std::string& source, float width) {
    if (source != source_) {
        source_ = source;
        blocks_ = parse_markdown(source_);
        texts_.assign(blocks_.size(), {});
        cells_.assign(blocks_.size(), {});
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float body = ImGui::GetFontSize();
    const float gap = body * 0.6F;
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
        const MdBlock& b = blocks_[i];
        ui::RichText& text = texts_[i];
        if (i > 0) ImGui::Dummy(ImVec2(1, b.kind == MdBlock::Kind::ListItem && blocks_[i - 1].kind == MdBlock::Kind::ListItem ? 0 : gap * 0.5F));
        switch (b.kind) {
            case MdBlock::Kind::Paragraph: ui::rich_text(text, b.spans, width, {}); break;
            case MdBlock::Kind::Heading: {
                ui::RichText::Options o;
                o.font = ui::fonts().heading;
                o.size = o.font ? font_px(o.font) * (b.level <= 2 ? 1.0F : 0.9F) : body * 1.2F;
                o.colour = ui::colour::kAccent;
                o.line_spacing = 1.25F;
                ui::rich_text(text, b.spans, width, o);
                break;
            }
            case MdBlock::Kind::ListItem: {
                const float indent = body * (1.3F + 1.2F * static_cast<float>(b.level));
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const std::string marker = b.ordered ? std::to_string(b.number) + "." : "";
                if (b.ordered) {
                    const float w = ImGui::CalcTextSize(marker.c_str()).x;
                    dl->AddText(ImVec2(p.x + indent - w - body * 0.35F, p.y + body * 0.175F), ui::colour::kTextDim, marker.c_str());
                } else {
                    dl->AddCircleFilled(ImVec2(p.x + indent - body * 0.6F, p.y + body * 0.68F), body * 0.16F, ui::colour::kTextDim);
                }
                ImGui::Indent(indent);
                ui::rich_text(text, b.spans, width - indent, {});
                ImGui::Unindent(indent);
                break;
            }
            case MdBlock::Kind::Quote: {
                const float indent = body * 0.9F;
                const ImVec2 p = ImGui::GetCursorScreenPos();
                ImGui::Indent(indent);
                ui::RichText::Options o;
                o.colour = ui::colour::kTextDim;
                ui::rich_text(text, b.spans, width - indent, o);
                ImGui::Unindent(indent);
                dl->AddRectFilled(p, ImVec2(p.x + 3, ImGui::GetItemRectMax().y), ui::colour::kGrid);
                break;
            }
            case MdBlock::Kind::CodeBlock: {
                const float pad = body * 0.5F;
                ImFont* mono = ui::fonts().mono ? ui::fonts().mono : ImGui::GetFont();
                const float size = font_px(mono);
                const float line_h = size * 1.3F;
                // Lines wider than the pane wrap (continuations indented and
                // marked), so that nothing of a code block is ever cut off.
                const float indent = ui::mono_width("  ", size);
                const float avail = std::max(size * 4, width - pad * 2);
                struct Piece {
                    std::string_view text;
                    bool continued;
                };
                std::vector<Piece> pieces;
                std::size_t start = 0;
                while (start <= b.code.size()) {
                    std::size_t end = b.code.find('\n', start);
                    if (end == std::string::npos) end = b.code.size();
                    const auto parts = wrap_code_line(std::string_view(b.code).substr(start, end - start), avail - indent,
                                                      [&](std::string_view s) { return ui::mono_width(s, size); });
                    for (std::size_t k = 0; k < parts.size(); ++k) pieces.push_back({parts[k], k > 0});
                    start = end + 1;
                }
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const ImVec2 box(width, static_cast<float>(pieces.size()) * line_h + pad * 2);
                if (ImGui::IsRectVisible(box)) {
                    dl->AddRectFilled(p, ImVec2(p.x + box.x, p.y + box.y), ui::colour::kCodeBg, 4);
                    dl->PushClipRect(p, ImVec2(p.x + box.x, p.y + box.y), true);
                    float y = p.y + pad;
                    for (const Piece& piece : pieces) {
                        if (piece.continued)
                            dl->AddLine(ImVec2(p.x + pad + indent * 0.3F, y + 2), ImVec2(p.x + pad + indent * 0.3F, y + line_h - 2), ui::colour::kTextFaint);
                        ui::mono_text(dl, ImVec2(p.x + pad + (piece.continued ? indent : 0), y), ui::colour::rgb(0xd8, 0xde, 0xe9), piece.text, size);
                        y += line_h;
                    }
                    dl->PopClipRect();
                }
                ImGui::Dummy(box);
                break;
            }
            case MdBlock::Kind::Rule: {
                const ImVec2 p = ImGui::GetCursorScreenPos();
                dl->AddLine(ImVec2(p.x, p.y + gap * 0.5F), ImVec2(p.x + width, p.y + gap * 0.5F), ui::colour::kGrid);
                ImGui::Dummy(ImVec2(width, gap));
                break;
            }
            case MdBlock::Kind::Table: {
                auto& cells = cells_[i];
                std::size_t columns = 0;
                for (const auto& row : b.rows) columns = std::max(columns, row.size());
                if (columns == 0) break;
                if (cells.size() != b.rows.size() * columns) cells.assign(b.rows.size() * columns, {});
                const float pad = body * 0.35F;
                const float col_w = width / static_cast<float>(columns);
                ImVec2 p = ImGui::GetCursorScreenPos();
                const ImVec2 origin = p;
                for (std::size_t r = 0; r < b.rows.size(); ++r) {
                    float row_h = 0;
                    for (std::size_t c = 0; c < columns; ++c) {
                        ui::RichText& cell = cells[r * columns + c];
                        ui::RichText::Options o;
                        if (r == 0) o.colour = ui::colour::kAccent;
                        cell.layout(c < b.rows[r].size() ? b.rows[r][c] : MdInline{}, col_w - pad * 2, o);
                        row_h = std::max(row_h, cell.height());
                    }
                    row_h += pad * 2;
                    if (r == 0) dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), ui::colour::kCodeBg);
                    for (std::size_t c = 0; c < columns; ++c)
                        cells[r * columns + c].draw(dl, ImVec2(p.x + static_cast<float>(c) * col_w + pad, p.y + pad));
                    p.y += row_h;
                    dl->AddLine(ImVec2(p.x, p.y), ImVec2(p.x + width, p.y), ui::colour::kGrid);
                }
                ImGui::Dummy(ImVec2(width, p.y - origin.y));
                break;
            }
        }
    }
}

}  // namespace finwave::web
