// The coverage of the transition table (test_coverage.cpp): which rows a run
// took, and whether each sent what its row's action column says.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace finwave::test {

// The flags a row's action means ("SYN, ACK" -> SYN|ACK); 0 for "" (none of
// SYN, FIN, RST may go out: a plain ACK or data is not an action).
inline std::uint8_t action_flags(std::string_view action) {
    std::uint8_t f = 0;
    if (action.find("SYN") != std::string_view::npos) f |= flag::SYN;
    if (action.find("FIN") != std::string_view::npos) f |= flag::FIN;
    if (action.find("RST") != std::string_view::npos) f |= flag::RST;
    if (action.find("ACK") != std::string_view::npos) f |= flag::ACK;
    return f;
}

constexpr std::uint8_t kControl = flag::SYN | flag::FIN | flag::RST;

struct Coverage {
    std::set<int> rows;
    std::vector<std::string> mismatches;

    // One state change and the flags of every segment its side sent in the
    // same step (the call, arrival or timer that caused it). An ACK may also
    // be scheduled rather than sent (the delayed-ACK timer armed at the end of
    // that step: Linux and the RFC both delay the ACK of a FIN in
    // ESTABLISHED); it still goes out, on that timer or with the next segment.
    void took(int row, const std::vector<std::uint8_t>& sent, bool ack_scheduled, const std::string& where) {
        if (row < 0) {
            mismatches.push_back(where + ": a state change outside the table");
            return;
        }
        rows.insert(row);
        const Transition& t = transition_table()[static_cast<std::size_t>(row)];
        const std::uint8_t want = action_flags(t.action);
        bool ok = false;
        if (want == 0) {
            ok = true;
            for (std::uint8_t f : sent) ok = ok && (f & kControl) == 0;
        } else {
            ok = want == flag::ACK && ack_scheduled;
            for (std::uint8_t f : sent) {
                // "ACK" is a bare ACK; the others must carry exactly their control flags.
                const bool fits = (f & want) == want && (f & kControl) == (want & kControl);
                ok = ok || fits;
            }
        }
        if (!ok) {
            std::string got;
            for (std::uint8_t f : sent) got += (got.empty() ? "" : " ") + flag_letters(f);
            mismatches.push_back(where + ": " + edge_name(row) + " says it sends \"" + t.action + "\", the endpoint sent " +
                                 (got.empty() ? std::string("nothing") : got));
        }
    }

    void add(const Simulation& sim, const std::string& where) {
        const auto& tr = sim.trace();
        auto opens = [](EventKind k) { return k == EventKind::App || k == EventKind::Deliver || k == EventKind::TimerFire; };
        std::size_t begin = 0;
        bool delayed_ack[2] = {false, false};  // each side's delayed-ACK timer, up to step `begin`
        for (std::size_t i = 0; i < tr.size(); ++i) {
            if (opens(tr[i].kind)) {
                for (std::size_t j = begin; j < i; ++j) {
                    const TraceEvent& e = tr[j];
                    if (e.timer != TimerKind::DelayedAck) continue;
                    if (e.kind == EventKind::TimerSet) delayed_ack[static_cast<int>(e.side)] = true;
                    if (e.kind == EventKind::TimerFire || e.kind == EventKind::TimerCancel) delayed_ack[static_cast<int>(e.side)] = false;
                }
                begin = i;
            }
            if (tr[i].kind != EventKind::State) continue;
            std::vector<std::uint8_t> sent;
            bool ack_scheduled = delayed_ack[static_cast<int>(tr[i].side)];
            for (std::size_t j = begin; j < tr.size() && (j == begin || !opens(tr[j].kind)); ++j) {
                const TraceEvent& e = tr[j];
                if (e.side != tr[i].side) continue;
                if (e.kind == EventKind::Send) sent.push_back(e.flags);
                if (e.timer == TimerKind::DelayedAck && e.kind == EventKind::TimerSet) ack_scheduled = true;
                if (e.timer == TimerKind::DelayedAck && (e.kind == EventKind::TimerFire || e.kind == EventKind::TimerCancel))
                    ack_scheduled = false;
            }
            took(tr[i].edge, sent, ack_scheduled, where + " at " + format_instant(tr[i].t) + " (" + to_string(tr[i].side) + ")");
        }
    }

    // The actions of one endpoint call: state changes (self-loops too, which
    // a trace tells only by a note) with the segments sent by the same call.
    void add(const Actions& actions, bool ack_pending, const std::string& where) {
        std::vector<std::uint8_t> sent;
        bool ack_scheduled = ack_pending;
        for (const Action& a : actions) {
            if (a.kind == Action::Kind::Send) sent.push_back(a.seg.flags);
            if (a.kind == Action::Kind::TimerSet && a.timer == TimerKind::DelayedAck) ack_scheduled = true;
        }
        for (const Action& a : actions)
            if (a.kind == Action::Kind::StateChange) took(a.edge, sent, ack_scheduled, where);
    }
};

// Hand-made runs for the rows no built-in scenario takes (test_coverage_cases.cpp).
void odd_pairs(Coverage& c);

}  // namespace finwave::test
