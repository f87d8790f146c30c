#include "helpers.hpp"

using namespace finwave;

TEST_CASE("durations parse only with a unit, exactly") {
    CHECK(parse_duration("200ms") == Duration::millis(200));
    CHECK(parse_duration("1.5s") == Duration::millis(1500));
    CHECK(parse_duration("0.1s") == Duration::millis(100));
    CHECK(parse_duration("40us") == Duration::micros(40));
    CHECK(parse_duration("2min") == Duration::seconds(120));
    CHECK(parse_duration("0") == Duration{});
    CHECK_FALSE(parse_duration("200"));
    CHECK_FALSE(parse_duration("ms"));
    CHECK_FALSE(parse_duration("1.5h"));
    CHECK_FALSE(parse_duration("-1s"));
    CHECK_FALSE(parse_duration("0.0000001s"));
    CHECK(format_duration(Duration::millis(1500)) == "1.5s");
    CHECK(format_duration(Duration::millis(200)) == "200ms");
    CHECK(format_duration(Duration::seconds(240)) == "4min");
    CHECK(format_instant(Instant{} + Duration::micros(60520000)) == "60.520000");
}

TEST_CASE("profiles: Linux and the RFC differ where the seeds' story and the kernel differ") {
    const Knobs lx = defaults_for(Profile::Linux);
    const Knobs rfc = defaults_for(Profile::Rfc);
    CHECK(lx.time_wait == Duration::seconds(60));
    CHECK(rfc.time_wait == Duration::seconds(240));
    CHECK(lx.fin_timeout == Duration::seconds(60));
    CHECK_FALSE(rfc.fin_timeout.has_value());
    CHECK(lx.rto_min == Duration::millis(200));
    CHECK(lx.orphan_retries == 0);
    CHECK(lx.retry_limit == RetryLimit::TimeBudget);
    CHECK(rfc.retry_limit == RetryLimit::Count);
    // The rules no knob expresses (which errno an application sees) follow the profile.
    CHECK(lx.profile == Profile::Linux);
    CHECK(rfc.profile == Profile::Rfc);
}

TEST_CASE("knobs: every catalogued knob round-trips through set and get") {
    for (const auto& info : knob_catalog()) {
        CAPTURE(info.name);
        Knobs k = defaults_for(Profile::Linux);
        const auto value = get_knob(k, info.name);
        REQUIRE(value);
        CHECK_FALSE(set_knob(k, info.name, *value));
        CHECK(get_knob(k, info.name) == value);
    }
}

TEST_CASE("knobs: bad values and names give messages that say what was expected") {
    Knobs k;
    auto e = set_knob(k, "fin_timeout", "60");
    REQUIRE(e);
    CHECK(e->find("duration with a unit") != std::string::npos);
    e = set_knob(k, "finn_timeout", "60s");
    REQUIRE(e);
    CHECK(e->find("unknown knob 'finn_timeout'") != std::string::npos);
    CHECK(e->find("fin_timeout") != std::string::npos);
    CHECK(set_knob(k, "rfc1337", "maybe"));
    CHECK(set_knob(k, "mss", "0"));
    CHECK_FALSE(set_knob(k, "fin_timeout", "off"));
    CHECK_FALSE(k.fin_timeout.has_value());
}

TEST_CASE("msl moves TIME-WAIT unless TIME-WAIT was set itself") {
    Knobs k = defaults_for(Profile::Rfc);
    CHECK_FALSE(set_knob(k, "msl", "30s"));
    CHECK(k.time_wait == Duration::seconds(60));
    CHECK_FALSE(set_knob(k, "time_wait", "5s"));
    CHECK_FALSE(set_knob(k, "msl", "1min"));
    CHECK(k.time_wait == Duration::seconds(5));
}

TEST_CASE("state names: RFC spelling out, common spellings in") {
    CHECK(std::string(to_string(State::FinWait1)) == "FIN-WAIT-1");
    CHECK(parse_state("FIN_WAIT_2") == State::FinWait2);
    CHECK(parse_state("time-wait") == State::TimeWait);
    CHECK(parse_state("SYN-RCVD") == State::SynReceived);
    CHECK_FALSE(parse_state("FIN-WAIT-3"));
}
