// A capture-style packet list (one row per segment sent) and the event log
// (i18n::event_text() for every trace event; a click goes back to that moment).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct PacketsPanel {
    Commands draw_packets(const Tutor& m);
    Commands draw_events(const Tutor& m);

private:
    bool show_timers_ = false;
    std::size_t packets_seen_ = 0;
    std::size_t events_seen_ = 0;
    // Rows of the event log: trace indices, filtered.
    std::vector<std::size_t> event_rows_;
    std::size_t rows_for_trace_ = std::numeric_limits<std::size_t>::max();
    bool rows_with_timers_ = false;
    const void* rows_for_run_ = nullptr;
};

}  // namespace finwave::web
