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
    void draw_bars(const Tutor& m, const BusyHost& b);
    void draw_chart(const Tutor& m, const BusyHost& b, float height);
    void draw_table(const Tutor& m, const BusyHost& b, Commands& out);
    void draw_counters(const Tutor& m, const BusyHost& b);
};

}  // namespace finwave::web
