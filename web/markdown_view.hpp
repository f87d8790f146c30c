// Draws a step's Markdown (web/model/markdown.hpp) into the current ImGui
// window: headings in the heading font, lists with bullets or numbers, code
// blocks on a tinted panel, quotes with a bar, tables on a grid.
#pragma once

#include <string>
#include <vector>

#include "markdown.hpp"
#include "ui.hpp"

namespace finwave::web {

class MarkdownView {
public:
    // Parses again only when `source` changes; lays out again only when the width does.
    void draw(const std::string& source, float width);

private:
    std::string source_;
    std::vector<MdBlock> blocks_;
    std::vector<ui::RichText> texts_;                     // one per block
    std::vector<std::vector<ui::RichText>> cells_;        // tables: one per cell
};

}  // namespace finwave::web
