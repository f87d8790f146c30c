// A busy host in free play, in the connection's pane: the client's ports
// against ip_local_port_range, the sockets by state over time on each host
// (a chart with a legend in colour and words), and tabs for the socket
// table (like `ss -tan`, sortable, filterable by state) and the counters
// (nstat's and errno's names).
#pragma once

#include "commands.hpp"
#include "tutor.hpp"

namespace finwave::web {

struct HostPanel {
    Commands draw(const Tutor& m);

private:
    // The rows on screen: sorted afresh at most four times a second while
    // the host plays (thousands of rows each time), at once otherwise.
    const std::vector<HostSocket>& rows(const Tutor& m, const BusyHost& b);
    std::vector<HostSocket> rows_;
    std::size_t total_ = 0;
    double age_s_ = 0;
    std::uint64_t events_ = ~0ull;
    std::uint64_t generation_ = ~0ull;
    HostTableView view_;
    bool drawn_ = false;

    void draw_bars(const Tutor& m, const BusyHost& b);
    void draw_chart(const Tutor& m, const BusyHost& b, float height);
    void draw_table(const Tutor& m, const BusyHost& b, Commands& out);
    void draw_counters(const Tutor& m, const BusyHost& b);
};

}  // namespace finwave::web
