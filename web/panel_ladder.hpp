// The sequence (ladder) diagram: the client's and the server's timelines,
// one arrow per segment labelled like a capture, lost segments crossed out
// where they died, each side's state written beside its timeline, a time
// axis. Segments still on the wire can be clicked to drop, duplicate or
// delay them.
#pragma once

#include <cstdint>
#include <limits>

#include "commands.hpp"
#include "ladder.hpp"
#include "tutor.hpp"

namespace finwave::web {

enum class ClickFault : std::uint8_t { Drop, Duplicate, Delay };

struct LadderPanel {
    double px_per_ms = 5.0;  // zoom: Ctrl + wheel

    Commands draw(const Tutor& m, ClickFault click);

private:
    LadderData data_;
    TimeAxis axis_;
    std::size_t cached_position_ = std::numeric_limits<std::size_t>::max();
    std::size_t cached_trace_ = 0;
    std::uint64_t cached_generation_ = std::numeric_limits<std::uint64_t>::max();  // Tutor::run_generation()
    // What the view showed last frame: a change scrolls "now" into view.
    std::int64_t last_view_us_ = -1;
    std::size_t last_position_ = 0;
};

}  // namespace finwave::web
