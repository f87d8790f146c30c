// A busy-host scenario (engine/scenarios/host/) playing in free play: the
// HostModel run live up to the learner's view time, and the socket table as
// the host panel, window.finwave.state() and the accessible view read it,
// filtered and sorted the same way for all three. No ImGui.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/host.hpp"
#include "finwave/scenario.hpp"

namespace finwave::web {

// The addresses the captures use (capture.hpp's default_options): the
// table shows sockets as `ss -tan` would on those hosts.
inline constexpr const char* kHostAddress[2] = {"10.77.0.1", "10.77.0.2"};
inline constexpr std::uint16_t kServerPort = 8000;

// The columns of the socket table, in the order they are shown.
enum class HostColumn : std::uint8_t { State, RecvQ, SendQ, Local, Peer, Host };
inline constexpr int kHostColumnCount = 6;
const char* to_string(HostColumn c);  // "state", "recv-q", ...
std::optional<HostColumn> parse_host_column(std::string_view s);

struct HostTableView {
    HostColumn sort = HostColumn::State;
    bool descending = false;
    std::optional<State> filter;  // none: every state
};

// "10.77.0.1:40312"
std::string local_address(const HostSocket& s);
std::string peer_address(const HostSocket& s);

class BusyHost {
public:
    BusyHost(std::string name, Scenario scenario, const Knobs& knobs, std::uint64_t seed);

    const std::string& name() const { return name_; }
    const Scenario& scenario() const { return scenario_; }
    const HostModel& model() const { return *model_; }
    Instant view_time() const { return view_; }
    // The view has reached the end of the run: nothing more happens.
    bool over() const { return view_ >= model_->end(); }
    // Runs the model on by `by` of virtual time (to its end at most).
    void advance(Duration by);

    HostTableView table_view;
    // The sockets alive at the view time that pass the filter, in the
    // view's order; refreshed when the model or the view has changed since.
    const std::vector<HostSocket>& rows() const;
    // Every socket alive now, before the filter.
    std::size_t total_rows() const;

private:
    void refresh() const;

    std::string name_;
    Scenario scenario_;
    std::unique_ptr<HostModel> model_;
    Instant view_{};
    mutable std::vector<HostSocket> all_;
    mutable std::vector<HostSocket> rows_;
    mutable std::uint64_t rows_events_ = ~0ull;
    mutable HostTableView rows_view_;
};

}  // namespace finwave::web
