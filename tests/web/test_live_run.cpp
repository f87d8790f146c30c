#include <doctest/doctest.h>

#include "controller.hpp"
#include "finwave/builtin.hpp"
#include "helpers.hpp"
#include "ladder.hpp"

using namespace finwave;
using namespace finwave::web;

namespace {

Simulation fresh(std::string_view name) {
    auto sc = std::get<Scenario>(load_builtin(name));
    return Simulation(sc, std::get<Knobs>(resolve_knobs(sc, Profile::Linux, {})), 1);
}

bool same_trace(const Simulation& a, const Simulation& b) {
    if (a.trace().size() != b.trace().size()) return false;
    for (std::size_t i = 0; i < a.trace().size(); ++i) {
        const auto& x = a.trace()[i];
        const auto& y = b.trace()[i];
        if (x.t != y.t || x.kind != y.kind || x.side != y.side || x.seg_id != y.seg_id || x.to != y.to) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("live run: every step of every lesson opens where simulation_for_step leaves it") {
    const Catalog c = test::repo_catalog();
    REQUIRE_FALSE(c.entries().empty());
    for (const auto& e : c.entries()) {
        for (const auto& lesson : e.by_lang) {
            if (!lesson) continue;
            Tutor t(c, builtin_strings());
            t.set_lang(lesson->lang == "zh" ? Lang::Zh : Lang::En);
            REQUIRE(t.open_lesson(lesson->id, 0));
            for (std::size_t i = 0; i < lesson->steps.size(); ++i) {
                CAPTURE(lesson->file);
                CAPTURE(i);
                REQUIRE(t.go_step(i));
                const auto expected = simulation_for_step(*lesson, i);
                REQUIRE(t.has_sim() == expected.has_value());
                if (!expected) continue;
                CHECK(same_trace(t.sim(), *expected));
                CHECK(t.sim().now() == expected->now());
                CHECK(t.view_time() == expected->now());
            }
        }
    }
}

TEST_CASE("live run: rewinding replays the learner's commands at the same events") {
    LiveRun run(fresh("four-way-close"));
    for (int i = 0; i < 12; ++i) REQUIRE(run.step());
    SimCommand drop_next;
    drop_next.kind = SimCommand::Kind::DropNext;
    drop_next.side = Side::Server;
    REQUIRE(run.apply(drop_next));
    while (run.step()) {
    }
    const Simulation whole = run.sim();
    bool dropped = false;
    for (const auto& e : whole.trace()) dropped = dropped || (e.kind == EventKind::Drop && e.side == Side::Server);
    CHECK(dropped);

    // Back to a point after the command: the replay applies it again at the
    // same event and the rest of the run is the same.
    const std::size_t later = run.position() - 3;
    REQUIRE(later > 13);
    const std::size_t trace_there = run.trace_size_at(later);
    run.rewind_to(later);
    CHECK(run.position() == later);
    CHECK(run.sim().trace().size() == trace_there);
    while (run.step()) {
    }
    CHECK(same_trace(run.sim(), whole));

    // Back before it: the command is forgotten, and the server's ACK arrives.
    run.rewind_to(12);
    while (run.step()) {
    }
    CHECK_FALSE(same_trace(run.sim(), whole));
}

TEST_CASE("live run: dropping a segment in flight makes its sender retransmit") {
    LiveRun run(fresh("four-way-close"));
    // Up to the client's FIN on the wire.
    while (true) {
        REQUIRE(run.step());
        bool fin = false;
        for (const auto& f : run.sim().in_flight()) fin = fin || (f.seg.from == Side::Client && f.seg.has(flag::FIN));
        if (fin) break;
    }
    std::uint64_t fin_id = 0;
    for (const auto& f : run.sim().in_flight())
        if (f.seg.has(flag::FIN)) fin_id = f.seg.id;
    SimCommand drop;
    drop.kind = SimCommand::Kind::Drop;
    drop.seg_id = fin_id;
    REQUIRE(run.apply(drop));
    CHECK_FALSE(run.apply(drop));  // already gone: not recorded
    while (run.step()) {
    }
    int fins = 0;
    bool retransmitted = false;
    for (const auto& e : run.sim().trace()) {
        if (e.kind == EventKind::Send && e.side == Side::Client && (e.flags & flag::FIN)) {
            ++fins;
            retransmitted = retransmitted || e.retransmission;
        }
    }
    CHECK(fins >= 2);
    CHECK(retransmitted);
}

TEST_CASE("live run: position_after_event and position_back") {
    LiveRun run(fresh("four-way-close"));
    for (int i = 0; i < 5; ++i) REQUIRE(run.step());
    const std::size_t third_end = run.trace_size_at(3);
    CHECK(run.position_after_event(third_end - 1) == 3);
    CHECK(run.position_after_event(third_end) == 4);
    CHECK(run.position_back(2) == 3);
    run.advance_to(run.sim().now() + Duration::millis(1));
    CHECK(run.actions().back().kind == RunAction::Kind::Clock);
    CHECK(run.position_back(1) == 4);  // the clock move is not an event to step back over
}

TEST_CASE("tutor: play, step, timers, rewind and reset in a lesson step") {
    Tutor t = test::gate_tutor();
    REQUIRE(t.has_sim());
    CHECK(to_string(t.sim().endpoint(Side::Client).state()) == std::string("FIN-WAIT-1"));
    const std::size_t start = t.run().position();

    REQUIRE(apply_command(t, cmd::StepEvent{}).ok);
    CHECK(t.run().position() == start + 1);
    CHECK(t.view_time() == t.sim().now());

    REQUIRE(apply_command(t, cmd::NextTimer{}).ok);
    bool fired = false;
    for (const auto& e : t.sim().trace()) fired = fired || e.kind == EventKind::TimerFire;
    CHECK(fired);

    REQUIRE(apply_command(t, cmd::Play{}).ok);
    for (int i = 0; i < 3 && t.playing(); ++i) t.tick(0.05);
    CHECK(t.view_time() >= t.sim().now());
    CHECK(t.playing());

    const auto rewound = apply_command(t, cmd::Rewind{2});
    CHECK(rewound.ok);
    REQUIRE(apply_command(t, cmd::ResetStep{}).ok);
    CHECK(t.run().position() == start);
    CHECK(to_string(t.sim().endpoint(Side::Client).state()) == std::string("FIN-WAIT-1"));
}

TEST_CASE("tutor: playing an idle stretch does not take a minute of wall time") {
    Tutor t = test::gate_tutor();
    REQUIRE(apply_command(t, cmd::GoStep{5}).ok);  // from the client's TIME-WAIT to the end: 60 s of nothing
    REQUIRE(apply_command(t, cmd::SetSpeed{0.05}).ok);
    REQUIRE(apply_command(t, cmd::Play{}).ok);
    int frames = 0;
    while (t.playing() && frames < 600) {
        t.tick(1.0 / 60);
        ++frames;
    }
    CHECK(frames < 300);  // under 5 s at 60 frames per second
    CHECK(t.sim().finished());
}

TEST_CASE("tutor: the learner's application calls and faults go through the controller") {
    Tutor t = test::gate_tutor();
    auto parsed = parse_command("drop-next server", t);
    REQUIRE(std::holds_alternative<Command>(parsed));
    REQUIRE(apply_command(t, std::get<Command>(parsed)).ok);
    REQUIRE(apply_command(t, cmd::Play{}).ok);
    for (int i = 0; i < 2000 && t.playing(); ++i) t.tick(0.1);
    // The server's next segment is its ACK of the client's FIN. An ACK is
    // never retransmitted on its own: the client's FIN is, drawing a new ACK.
    bool server_drop = false;
    bool client_retransmit = false;
    for (const auto& e : t.sim().trace()) {
        server_drop = server_drop || (e.kind == EventKind::Drop && e.side == Side::Server && e.drop_cause == DropCause::Fault);
        client_retransmit = client_retransmit || (e.kind == EventKind::Send && e.side == Side::Client && e.retransmission);
    }
    CHECK(server_drop);
    CHECK(client_retransmit);

    auto bad = parse_command("call client fly", t);
    CHECK(std::holds_alternative<std::string>(bad));
    CHECK(std::holds_alternative<std::string>(parse_command("drop x", t)));
    CHECK(std::holds_alternative<std::string>(parse_command("nonsense", t)));
    CHECK_FALSE(apply_command(t, cmd::Sim{SimCommand{SimCommand::Kind::Drop, Side::Client, {}, 99999, {}}}).ok);
}

TEST_CASE("tutor: duplicating and delaying a segment on the wire") {
    // Free play, so that Play runs to the end (a lesson step stops at its end point).
    Tutor t = test::gate_tutor();
    REQUIRE(t.open_sandbox("four-way-close"));
    for (int i = 0; i < 200 && t.sim().endpoint(Side::Client).state() != State::FinWait1; ++i) REQUIRE(t.step_event());
    REQUIRE(t.sim().in_flight().size() == 1);
    const std::uint64_t fin = t.sim().in_flight().front().seg.id;
    REQUIRE(apply_command(t, std::get<Command>(parse_command("duplicate " + std::to_string(fin), t))).ok);
    CHECK(t.sim().in_flight().size() == 2);
    REQUIRE(apply_command(t, std::get<Command>(parse_command("delay " + std::to_string(fin), t))).ok);
    const LadderData d = build_ladder(t.sim());
    int copies = 0;
    for (const auto& a : d.arrows) copies += a.seg_id == fin && a.copy;
    CHECK(copies == 1);
    REQUIRE(apply_command(t, cmd::Play{}).ok);
    for (int i = 0; i < 3000 && t.playing(); ++i) t.tick(0.1);
    int arrivals = 0;
    for (const auto& e : t.sim().trace()) arrivals += e.kind == EventKind::Deliver && e.seg_id == fin;
    CHECK(arrivals == 2);
    CHECK(t.sim().problems().empty());
}
