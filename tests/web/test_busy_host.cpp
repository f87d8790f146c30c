// A busy host in free play: it plays on the tutor's clock, Play and speed,
// its counts are the engine's own run, and its table sorts and filters.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "controller.hpp"
#include "finwave/builtin.hpp"
#include "helpers.hpp"
#include "host_json.hpp"
#include "startup.hpp"
#include "state_json.hpp"

namespace finwave::web {

namespace {

Tutor busy_tutor(const char* name) {
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_sandbox(name));
    REQUIRE(t.busy() != nullptr);
    return t;
}

void command(Tutor& t, const char* text) {
    auto parsed = parse_command(text, t);
    REQUIRE_MESSAGE(std::holds_alternative<Command>(parsed), text);
    const Reply r = apply_command(t, std::get<Command>(parsed));
    REQUIRE_MESSAGE(r.ok, text << ": " << r.message);
}

}  // namespace

TEST_CASE("busy host: free play opens every busy built-in at 1x, paused at 0 s") {
    for (const BuiltinScenario& b : builtin_host_scenarios()) {
        CAPTURE(b.name);
        Tutor t(test::repo_catalog(), builtin_strings());
        REQUIRE(t.open_sandbox(b.name));
        REQUIRE(t.busy() != nullptr);
        CHECK(t.in_busy_host());
        CHECK_FALSE(t.has_sim());
        CHECK(t.sim_error().empty());
        CHECK(t.speed() == 1.0);
        CHECK_FALSE(t.playing());
        CHECK(t.view_time() == Instant{});
    }
}

TEST_CASE("busy host: Play advances the host on the wall clock times the speed; the counts are the engine's run at that time") {
    Tutor t = busy_tutor("busy-client-closes-first");
    t.set_playing(true);
    REQUIRE(t.playing());
    for (int i = 0; i < 40; ++i) t.tick(0.1);  // 4 s of wall time at 1x
    CHECK(t.view_time() == Instant{4'000'000});
    // The same run alone, as `finwave run busy-client-closes-first --summary` makes it.
    auto parsed = load_host_builtin("busy-client-closes-first");
    const Scenario& sc = std::get<Scenario>(parsed);
    auto knobs = resolve_knobs(sc, Profile::Linux, {});
    HostModel::Options o;
    o.until = sc.until;
    HostModel alone(sc.host, std::get<Knobs>(knobs), sc.seed.value_or(1), sc.loss, o);
    alone.run_until(Instant{4'000'000});
    for (Side side : {Side::Client, Side::Server})
        for (int k = 0; k < kStateCount; ++k)
            CHECK(t.busy()->model().count(side, static_cast<State>(k)) == alone.count(side, static_cast<State>(k)));
    CHECK(t.busy()->model().count(Side::Client, State::TimeWait) > 1000);
    CHECK(t.busy()->model().count(Side::Server, State::TimeWait) == 0);

    SUBCASE("a background tab's long frame does not leap") {
        t.tick(30);
        CHECK(t.view_time() == Instant{4'250'000});
    }
    SUBCASE("Reset starts the host again at 0 s, keeping the table's order") {
        command(t, "host-sort local desc");
        command(t, "reset");
        REQUIRE(t.busy() != nullptr);
        CHECK(t.view_time() == Instant{});
        CHECK(t.busy()->table_view.sort == HostColumn::Local);
        CHECK(t.busy()->table_view.descending);
    }
    SUBCASE("the run ends: Play stops by itself") {
        t.set_speed(1000);
        for (int i = 0; i < 2000 && t.playing(); ++i) t.tick(0.25);
        CHECK_FALSE(t.playing());
        CHECK(t.busy()->over());
        CHECK(t.busy()->model().count(Side::Client, State::TimeWait) == 0);
    }
}

TEST_CASE("busy host: the table filters by state and sorts by each column, both ways") {
    Tutor t = busy_tutor("close-wait-leak-under-load");
    t.set_speed(5);
    t.set_playing(true);
    for (int i = 0; i < 20; ++i) t.tick(0.2);
    const BusyHost& b = *t.busy();
    const std::size_t total = b.total_rows();
    REQUIRE(total > 100);

    command(t, "host-filter CLOSE-WAIT");
    const std::uint32_t close_wait = b.model().count(Side::Client, State::CloseWait) + b.model().count(Side::Server, State::CloseWait);
    REQUIRE(close_wait > 0);
    CHECK(b.rows().size() == close_wait);
    for (const HostSocket& s : b.rows()) CHECK(s.state == State::CloseWait);
    command(t, "host-filter all");
    CHECK(b.rows().size() == total);

    for (const char* column : {"state", "recv-q", "send-q", "local", "peer", "host"}) {
        for (const char* order : {"asc", "desc"}) {
            CAPTURE(column);
            CAPTURE(order);
            command(t, (std::string("host-sort ") + column + " " + order).c_str());
            const auto& rows = b.rows();
            REQUIRE(rows.size() == total);
            const bool desc = std::string(order) == "desc";
            for (std::size_t i = 1; i < rows.size(); ++i) {
                const HostSocket& a = desc ? rows[i] : rows[i - 1];
                const HostSocket& z = desc ? rows[i - 1] : rows[i];
                switch (*parse_host_column(column)) {
                    case HostColumn::State: CHECK(a.state <= z.state); break;
                    case HostColumn::RecvQ: CHECK(a.recv_q <= z.recv_q); break;
                    case HostColumn::SendQ: CHECK(a.send_q <= z.send_q); break;
                    case HostColumn::Host: CHECK(a.host <= z.host); break;
                    case HostColumn::Local:
                    case HostColumn::Peer: {
                        const std::string la = std::string(*parse_host_column(column) == HostColumn::Local ? local_address(a) : peer_address(a));
                        const std::string lz = std::string(*parse_host_column(column) == HostColumn::Local ? local_address(z) : peer_address(z));
                        // The client's address sorts before the server's; then the port as a number.
                        const auto colon_a = la.rfind(':'), colon_z = lz.rfind(':');
                        if (la.substr(0, colon_a) != lz.substr(0, colon_z)) CHECK(la.substr(0, colon_a) < lz.substr(0, colon_z));
                        else if (la != lz && la.substr(colon_a + 1) != "*" && lz.substr(colon_z + 1) != "*")
                            CHECK(std::stoi(la.substr(colon_a + 1)) <= std::stoi(lz.substr(colon_z + 1)));
                        break;
                    }
                }
            }
        }
    }
}

TEST_CASE("busy host: bad table commands are refused with a reason, and nothing changes") {
    Tutor t = busy_tutor("tw-reuse");
    for (const char* bad : {"host-sort", "host-sort colour", "host-sort state sideways", "host-filter", "host-filter WAITING"}) {
        CAPTURE(bad);
        auto parsed = parse_command(bad, t);
        REQUIRE(std::holds_alternative<std::string>(parsed));
        CHECK_FALSE(std::get<std::string>(parsed).empty());
    }
    Tutor single(test::repo_catalog(), builtin_strings());
    REQUIRE(single.open_sandbox("four-way-close"));
    CHECK(single.busy() == nullptr);
    CHECK_FALSE(apply_command(single, cmd::HostFilter{State::TimeWait}).ok);
}

TEST_CASE("busy host: state() has the counts, the newest sample, the counters and the table's first rows") {
    Tutor t = busy_tutor("port-exhaustion");
    t.set_playing(true);
    for (int i = 0; i < 35; ++i) t.tick(0.1);
    const auto doc = nlohmann::json::parse(state_json(t, {}));
    const auto& h = doc["host"];
    REQUIRE(h.is_object());
    CHECK(h["scenario"] == "port-exhaustion");
    CHECK(h["view_us"] == 3'500'000);
    CHECK(h["sample"]["t_us"] == 3'000'000);
    CHECK(h["now"]["client"]["states"]["TIME-WAIT"] == t.busy()->model().count(Side::Client, State::TimeWait));
    CHECK(h["counters"]["client"]["EADDRNOTAVAIL"].get<std::uint64_t>() > 0);
    CHECK(h["table"]["first"].size() == std::min<std::size_t>(kHostRowsShown, h["table"]["shown"].get<std::size_t>()));
    CHECK(doc["sim"].is_null());

    SUBCASE("leaving for a lesson closes the host and restores the single connection's speed") {
        REQUIRE(t.open_lesson("states-step-by-step", 0));
        CHECK(t.busy() == nullptr);
        CHECK(t.speed() < 1.0);
        CHECK(nlohmann::json::parse(state_json(t, {}))["host"].is_null());
    }
}

}  // namespace finwave::web

namespace finwave::web {

TEST_CASE("busy host: ?scenario=NAME opens it from the URL, and the URL written back reopens it") {
    Tutor t(test::repo_catalog(), builtin_strings());
    start(t, {"?scenario=busy-client-closes-first&lang=zh", "", "", "en"});
    CHECK(t.notices().empty());
    REQUIRE(t.busy() != nullptr);
    CHECK(t.busy()->name() == "busy-client-closes-first");
    CHECK(t.lang() == Lang::Zh);
    CHECK(location_query(t).find("scenario=busy-client-closes-first") != std::string::npos);
    Tutor again(test::repo_catalog(), builtin_strings());
    start(again, {location_query(t), "", "", "en"});
    CHECK(again.notices().empty());
    CHECK(again.busy() != nullptr);
}

}  // namespace finwave::web
