#include "diagram.hpp"

#include <algorithm>

namespace finwave::web {

namespace {

// Opening states lead back to the CLOSED at the top; a synchronized
// connection ends in the CLOSED at the bottom.
bool is_opening(State s) {
    return s == State::Closed || s == State::Listen || s == State::SynSent || s == State::SynReceived;
}

bool is_abortive(Cause c) {
    return c == Cause::RcvRst || c == Cause::AppAbort || c == Cause::AppCloseUnread || c == Cause::GiveUp ||
           c == Cause::RcvDataAfterClose || c == Cause::Crash;
}

StateDiagram build() {
    StateDiagram d;
    // The RFC 9293 figure's arrangement: opening at the top, the active
    // closer's states down the left, the passive closer's down the right.
    d.nodes = {
        {State::Closed, false, 0.50F, 0.05F},
        {State::Listen, false, 0.50F, 0.18F},
        {State::SynReceived, false, 0.16F, 0.31F},
        {State::SynSent, false, 0.84F, 0.31F},
        {State::Established, false, 0.50F, 0.44F},
        {State::FinWait1, false, 0.16F, 0.59F},
        {State::CloseWait, false, 0.84F, 0.59F},
        {State::Closing, false, 0.46F, 0.73F},
        {State::FinWait2, false, 0.16F, 0.85F},
        {State::LastAck, false, 0.84F, 0.77F},
        {State::TimeWait, false, 0.44F, 0.94F},
        {State::Closed, true, 0.84F, 0.94F},
    };
    const auto table = transition_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        const Transition& t = table[i];
        if (!t.from) continue;  // "any state": a host crash, not part of TCP's diagram
        const int from = d.node_for(*t.from, false);
        const int to = d.node_for(t.to, t.to == State::Closed && !is_opening(*t.from));
        auto it = std::find_if(d.edges.begin(), d.edges.end(), [&](const DiagramEdge& e) { return e.from == from && e.to == to; });
        if (it == d.edges.end()) {
            d.edges.push_back({from, to, {}, true, 0.0F});
            it = d.edges.end() - 1;
        }
        it->rows.push_back(static_cast<int>(i));
        it->abortive = it->abortive && is_abortive(t.cause);
    }
    for (auto& e : d.edges) {
        const bool reverse = std::any_of(d.edges.begin(), d.edges.end(), [&](const DiagramEdge& o) { return o.from == e.to && o.to == e.from && o.from != o.to; });
        if (reverse) e.bend = 0.12F;
        else if (e.abortive) e.bend = 0.18F;
    }
    return d;
}

}  // namespace

int StateDiagram::node_for(State s, bool closing_end) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].state == s && (s != State::Closed || nodes[i].closing_end == closing_end)) return static_cast<int>(i);
    return 0;
}

int StateDiagram::edge_for_row(int row) const {
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (std::find(edges[i].rows.begin(), edges[i].rows.end(), row) != edges[i].rows.end()) return static_cast<int>(i);
    return -1;
}

const StateDiagram& state_diagram() {
    static const StateDiagram d = build();
    return d;
}

LastEdge last_edge(const Simulation& sim, Side side) {
    const auto& trace = sim.trace();
    for (std::size_t i = trace.size(); i-- > 0;) {
        const TraceEvent& e = trace[i];
        if (e.kind != EventKind::State || e.side != side) continue;
        return {state_diagram().edge_for_row(e.edge), e.edge, i};
    }
    return {};
}

int current_node(const Simulation& sim, Side side) {
    const State s = sim.endpoint(side).state();
    if (s != State::Closed) return state_diagram().node_for(s, false);
    const LastEdge last = last_edge(sim, side);
    if (last.row < 0) return state_diagram().node_for(State::Closed, false);
    const auto& from = transition_table()[static_cast<std::size_t>(last.row)].from;
    return state_diagram().node_for(State::Closed, !(from && is_opening(*from)));
}

}  // namespace finwave::web
