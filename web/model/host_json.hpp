// The busy host in window.finwave.state() ("host"), and the words its views
// share. Null when no busy host is open.
#pragma once

#include <nlohmann/json.hpp>

#include "tutor.hpp"

namespace finwave::web {

// The states the chart draws and the accessible view counts, in the order a
// reader of `ss -s` looks for them.
inline constexpr State kHostChartStates[] = {State::Established, State::FinWait2, State::CloseWait, State::LastAck, State::TimeWait};
// Rows of the table in state() and in the accessible view: the first ones,
// then how many there are.
inline constexpr std::size_t kHostRowsShown = 20;

nlohmann::json host_json(const Tutor& t);

// The accessible view's part (mirror_live.cpp, web/page/a11y-host.js): the
// counts per host, the counters that are not zero, and the table's first
// rows with how many there are. Its key changes once a virtual second (a
// new sample), or when the table's order or filter or the playing changes:
// the page is told at a rate a listener can follow, not every frame.
std::string host_mirror_key(const Tutor& t);
nlohmann::json host_mirror_json(const Tutor& t);

}  // namespace finwave::web
