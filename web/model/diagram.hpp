// The RFC 9293 state diagram as data for drawing: where each state sits
// (hand-placed, in the RFC's arrangement) and the edges, grouped from
// transition_table() so that the picture can never disagree with the engine.
#pragma once

#include <optional>
#include <vector>

#include "finwave/simulation.hpp"
#include "finwave/transitions.hpp"

namespace finwave::web {

struct DiagramNode {
    State state = State::Closed;
    // CLOSED appears twice, as in the RFC's figure: at the top where
    // connections start and at the bottom where they end.
    bool closing_end = false;
    float x = 0, y = 0;  // centre, in [0, 1] of the drawing area
};

struct DiagramEdge {
    int from = 0, to = 0;    // node indices
    std::vector<int> rows;   // rows of transition_table() this edge draws
    // Every row is an abort, a reset, a give-up or a crash: drawn faintly,
    // so the ordinary close reads first.
    bool abortive = false;
    float bend = 0;          // sideways bulge as a fraction of the length
};

struct StateDiagram {
    std::vector<DiagramNode> nodes;
    std::vector<DiagramEdge> edges;

    int node_for(State s, bool closing_end) const;
    // The edge that draws transition_table() row `row`, or -1.
    int edge_for_row(int row) const;
};

const StateDiagram& state_diagram();

// Where a side is in the diagram now: its state's node (the right CLOSED).
int current_node(const Simulation& sim, Side side);
// The edge of the side's last change of state, and that change's trace index.
struct LastEdge {
    int edge = -1;
    int row = -1;
    std::size_t event = 0;
};
LastEdge last_edge(const Simulation& sim, Side side);

}  // namespace finwave::web
