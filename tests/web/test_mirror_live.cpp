// The live part of the accessible mirror (web/model/mirror_live.cpp): the
// segments table in step with the ladder, each side's timers, the knobs,
// and the commands the view sends for them.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "controller.hpp"
#include "helpers.hpp"
#include "mirror.hpp"

using namespace finwave::web;
using nlohmann::json;

namespace {

void send(Tutor& t, const std::string& text) {
    auto parsed = parse_command(text, t);
    REQUIRE_MESSAGE(std::holds_alternative<Command>(parsed), text);
    const Reply r = apply_command(t, std::get<Command>(parsed));
    REQUIRE_MESSAGE(r.ok, text << ": " << r.message);
}

json live(const Tutor& t) { return json::parse(mirror_live_json(t)); }

// "The first FIN" of the first lesson: the client's FIN is on the wire.
Tutor first_fin() {
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("why-four-segments", 1));
    return t;
}

const json* find_row(const json& rows, auto&& pred) {
    for (const json& r : rows)
        if (pred(r)) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("mirror live: the client's FIN on the wire is a row with its numbers") {
    Tutor t = first_fin();
    const json l = live(t);
    const json& rows = l["segments"]["rows"];
    REQUIRE_FALSE(rows.empty());
    const json& fin = rows.back();
    CHECK(fin["from"] == "client");
    CHECK(fin["to"] == "server");
    CHECK(fin["flags"] == "FIN, ACK");
    CHECK(fin["seq"] == 101);
    CHECK(fin["ack"] == 201);
    CHECK(fin["len"] == 0);
    CHECK(fin["fate"] == "in-flight");
    CHECK(fin["retransmission"] == false);
    // Every earlier segment has arrived, and a pure ACK's row has no Ack column.
    for (std::size_t i = 0; i + 1 < rows.size(); ++i) CHECK(rows[i]["fate"] == "delivered");
    const json* syn = find_row(rows, [](const json& r) { return r["flags"] == "SYN"; });
    REQUIRE(syn);
    CHECK((*syn)["ack"].is_null());
}

TEST_CASE("mirror live: a dropped FIN, its retransmission and the ACK of it") {
    // "A FIN is counted like a byte": the step whose Play runs on until the
    // client is in FIN-WAIT-2 opens with the FIN on the wire.
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("why-four-segments", 2));
    const std::uint64_t fin = live(t)["segments"]["rows"].back()["id"];
    const std::string before = live(t)["run"];
    send(t, "drop " + std::to_string(fin));
    json l = live(t);
    const json* lost = find_row(l["segments"]["rows"], [&](const json& r) { return r["id"] == fin; });
    REQUIRE(lost);
    CHECK((*lost)["fate"] == "lost");
    CHECK((*lost)["cause"] == "learner");
    CHECK(l["run"] == before);  // a fault is part of this run, not a new one

    // Until the client sends the FIN again and the server acknowledges it.
    for (int i = 0; i < 60 && t.sim().endpoint(finwave::Side::Client).state() == finwave::State::FinWait1; ++i) send(t, "event");
    l = live(t);
    const json& rows = l["segments"]["rows"];
    const json* again = find_row(rows, [](const json& r) { return r["retransmission"] == true; });
    REQUIRE(again);
    CHECK((*again)["original"] == fin);
    CHECK((*again)["flags"] == "FIN, ACK");
    CHECK((*again)["seq"] == 101);
    const json* ack = find_row(rows, [](const json& r) { return r["from"] == "server" && r["ack"] == 102; });
    REQUIRE(ack);
    CHECK((*ack)["fate"] == "delivered");
}

TEST_CASE("mirror live: each side's armed timers with their deadlines") {
    Tutor t = first_fin();
    const json timers = live(t)["timers"];
    REQUIRE(timers.size() == static_cast<std::size_t>(finwave::kTimerCount));
    // The FIN waits for its ACK: the client has a timer that will send it again.
    bool armed = false;
    for (const json& row : timers) {
        if (row["client"].is_null()) continue;
        armed = true;
        const double deadline = std::stod(row["client"]["deadline"].get<std::string>());
        const double left = std::stod(row["client"]["left"].get<std::string>());
        CHECK(deadline > std::stod(live(t)["t"].get<std::string>()));
        CHECK(left > 0);
    }
    CHECK(armed);
}

TEST_CASE("mirror live: knobs and profile; a change restarts the run") {
    Tutor t = first_fin();
    json l = live(t);
    REQUIRE(l["knobs"].is_array());
    const std::string key = mirror_live_key(t);
    const std::string run = l["run"];
    send(t, "set fin_timeout=5s");
    l = live(t);
    const json* knob = find_row(l["knobs"], [](const json& k) { return k["name"] == "fin_timeout"; });
    REQUIRE(knob);
    CHECK((*knob)["value"] == "5s");
    CHECK((*knob)["changed"] == true);
    CHECK((*knob)["help_lang"] == "en");
    CHECK(l["run"] != run);
    CHECK(mirror_live_key(t) != key);
    send(t, "profile rfc");
    CHECK(live(t)["profile"] == "rfc");
    CHECK(live(t)["profile_changed"] == true);
    send(t, "knobs-default");
    CHECK(live(t)["profile_changed"] == false);
    CHECK(live(t)["run"] == run);
}

TEST_CASE("commands: speed and pausing at changes of state, as the view sends them") {
    Tutor t = first_fin();
    send(t, "pause-on-state on");
    CHECK(t.pause_on_state());
    CHECK(live(t)["pause_on_state"] == true);
    send(t, "pause-on-state off");
    CHECK_FALSE(t.pause_on_state());
    auto bad = parse_command("pause-on-state maybe", t);
    REQUIRE(std::holds_alternative<std::string>(bad));
    CHECK(std::get<std::string>(bad) == "pause-on-state takes on or off");
    const std::string key = mirror_live_key(t);
    send(t, "speed 1");
    CHECK(live(t)["speed"] == 1.0);
    CHECK(mirror_live_key(t) != key);
    // Every speed the view offers is one the canvas offers.
    CHECK(live(t)["speeds"].size() == std::size(kPlaySpeeds));
}

TEST_CASE("mirror live: a state an open question asks for is withheld, and shown once answered") {
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("states-step-by-step", 1));  // the GATE CS 2017 question: which state does the client wait in?
    json l = live(t);
    REQUIRE(l["hidden"]["client_state"] == true);
    const std::string withheld = t.tr("state.hidden");
    CHECK(l["client"] == withheld);
    CHECK(l["server"] == "CLOSE-WAIT");
    // Nowhere in what the page gets: not in the log of changes, not in a timer.
    for (const json& change : l["transitions"]) {
        CHECK(change["to"] != "FIN-WAIT-2");
        CHECK(change["text"].get<std::string>().find("FIN-WAIT-2") == std::string::npos);
    }
    for (const json& row : l["timers"]) CHECK(row["client"]["withheld"] == true);
    send(t, "answer gate-2017 FIN-WAIT-2");
    l = live(t);
    CHECK(l["hidden"]["client_state"] == false);
    CHECK(l["client"] == "FIN-WAIT-2");
}
