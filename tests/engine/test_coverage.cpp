// Every row of the transition table is exercised: by a built-in scenario (in
// either profile) or by one of the runs below, which reach the odd
// segment/state pairs with hand-made segments fed to a single endpoint. The
// action column is checked at the same time: what the row says the endpoint
// sends on that edge is what it sends in the step that took it.
#include "test_coverage.hpp"

using namespace finwave;
using namespace finwave::test;

TEST_CASE("coverage: every row of the transition table is taken, with the action it states") {
    Coverage c;
    for (const auto& b : builtin_scenarios())
        for (Profile p : {Profile::Linux, Profile::Rfc}) c.add(run_builtin(b.name, p), std::string(b.name) + " (" + to_string(p) + ")");
    odd_pairs(c);
    std::string untaken;
    int missing = 0;
    for (std::size_t i = 0; i < transition_table().size(); ++i) {
        if (c.rows.count(static_cast<int>(i))) continue;
        ++missing;
        untaken += "\n  " + edge_name(static_cast<int>(i));
    }
    CHECK_MESSAGE(missing == 0, missing << " rows of the transition table are taken by no scenario or test:" << untaken);
    std::string bad;
    for (const auto& m : c.mismatches) bad += "\n  " + m;
    CHECK_MESSAGE(c.mismatches.empty(), c.mismatches.size() << " state changes did not send their row's action:" << bad);
}

TEST_CASE("coverage: the action check catches an edge that sends the wrong thing") {
    Coverage c;
    const int abort = find_transition(State::Established, Cause::AppAbort, State::Closed);
    c.took(abort, {flag::FIN | flag::ACK}, false, "FIN instead of RST");
    c.took(abort, {}, false, "nothing instead of RST");
    c.took(find_transition(State::Established, Cause::RcvRst, State::Closed), {flag::RST}, false, "RST where nothing is due");
    c.took(find_transition(State::Established, Cause::RcvFin, State::CloseWait), {}, false, "no ACK, none scheduled");
    CHECK(c.mismatches.size() == 4);
    c.took(abort, {flag::RST | flag::ACK}, false, "RST+ACK");
    c.took(find_transition(State::Established, Cause::RcvFin, State::CloseWait), {}, true, "delayed ACK");
    CHECK(c.mismatches.size() == 4);
}
