// Wrapping a code block's lines to the width of the pane they are drawn in.
#pragma once

#include <string_view>
#include <vector>

#include "text.hpp"

namespace finwave::web {

// Breaks one line of a code block into pieces no wider than `max_width`
// (as `width_of` measures them), after a space where it can, else between
// two characters; never an empty piece, and at least one character a piece.
template <class Measure>
std::vector<std::string_view> wrap_code_line(std::string_view line, float max_width, Measure width_of) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        if (width_of(line) <= max_width) {
            out.push_back(line);
            break;
        }
        std::size_t fit = 0;        // bytes that fit
        std::size_t last_space = 0; // just after the last space that fits
        for (std::size_t i = 0; i < line.size();) {
            std::size_t j = i;
            next_codepoint(line, j);
            if (width_of(line.substr(0, j)) > max_width) break;
            if (line[i] == ' ') last_space = j;
            fit = i = j;
        }
        if (fit == 0) {  // not even one character fits: take one anyway
            next_codepoint(line, fit);
        } else if (last_space > 0) {
            fit = last_space;
        }
        out.push_back(line.substr(0, fit));
        line.remove_prefix(fit);
    }
    if (out.empty()) out.emplace_back();
    return out;
}

}  // namespace finwave::web
