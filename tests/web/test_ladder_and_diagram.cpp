#include <doctest/doctest.h>

#include "diagram.hpp"
#include "finwave/builtin.hpp"
#include "ladder.hpp"

using namespace finwave;
using namespace finwave::web;

namespace {
Simulation finished(std::string_view name) {
    auto sc = std::get<Scenario>(load_builtin(name));
    Simulation sim(sc, std::get<Knobs>(resolve_knobs(sc, Profile::Linux, {})), 1);
    sim.run();
    return sim;
}
}  // namespace

TEST_CASE("ladder: segments are labelled like a capture") {
    CHECK(capture_label(flag::FIN | flag::ACK, 661, 9240, 0) == "FIN, ACK  Seq=661 Ack=9240");
    CHECK(capture_label(flag::PSH | flag::ACK, 1, 1, 100) == "PSH, ACK  Seq=1 Ack=1 Len=100");
    CHECK(capture_label(flag::SYN, 0, 0, 0) == "SYN  Seq=0");
}

TEST_CASE("ladder: a lost FIN dies half way and its retransmission arrives") {
    const Simulation sim = finished("first-fin-lost");
    const LadderData d = build_ladder(sim);
    int lost = 0, delivered_fins = 0;
    for (const auto& a : d.arrows) {
        if (!(a.flags & flag::FIN) || a.from != Side::Client) continue;
        if (a.fate == LadderArrow::Fate::Lost) {
            ++lost;
            CHECK(a.lost_at > a.sent);
            CHECK(a.lost_at < a.arrives);
        }
        if (a.fate == LadderArrow::Fate::Delivered) {
            ++delivered_fins;
            CHECK(a.retransmission);
        }
    }
    CHECK(lost == 1);
    CHECK(delivered_fins == 1);
    bool time_wait = false;
    for (const auto& m : d.marks) time_wait = time_wait || (m.kind == LadderMark::Kind::State && m.state == State::TimeWait);
    CHECK(time_wait);
}

TEST_CASE("ladder: the time axis keeps short gaps in proportion and cuts long ones") {
    TimeAxis axis;
    axis.build({Instant{0}, Instant{10000}, Instant{20000}, Instant{60'020'000}}, {4.0, 64.0, 6.0});
    CHECK(axis.y(Instant{10000}) == doctest::Approx(40));
    CHECK(axis.y(Instant{15000}) == doctest::Approx(60));
    REQUIRE(axis.breaks().size() == 1);
    CHECK(axis.breaks()[0].gap == Duration::seconds(60));
    CHECK(axis.height() == doctest::Approx(80 + 64));
}

TEST_CASE("diagram: every edge of the table is drawn, each by one edge") {
    const StateDiagram& d = state_diagram();
    CHECK(d.nodes.size() == 12);  // eleven states, CLOSED at the top and the bottom
    const auto table = transition_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (!table[i].from) continue;
        CHECK_MESSAGE(d.edge_for_row(static_cast<int>(i)) >= 0, "row " << i << " is not drawn");
    }
    const int fw1 = d.node_for(State::FinWait1, false);
    const int fw2 = d.node_for(State::FinWait2, false);
    bool found = false;
    for (const auto& e : d.edges) found = found || (e.from == fw1 && e.to == fw2 && !e.abortive);
    CHECK(found);
}

TEST_CASE("diagram: the closed side sits in the bottom CLOSED after a close, the top one before") {
    const Simulation done = finished("four-way-close");
    const StateDiagram& d = state_diagram();
    CHECK(current_node(done, Side::Client) == d.node_for(State::Closed, true));
    CHECK(last_edge(done, Side::Client).edge >= 0);
    auto sc = std::get<Scenario>(load_builtin("four-way-close"));
    const Simulation fresh(sc, std::get<Knobs>(resolve_knobs(sc, Profile::Linux, {})), 1);
    CHECK(current_node(fresh, Side::Client) == d.node_for(State::Closed, false));
}
