// "Checked against Linux": only for built-ins the harness passed, and only
// while the learner runs that built-in's text with the knob values that were
// checked (fingerprints in assets/conformance.json); otherwise the app says
// why the claim does not hold.
#include <doctest/doctest.h>

#include "conformance.hpp"
#include "finwave/builtin.hpp"
#include "finwave/fingerprint.hpp"
#include "finwave/scenario.hpp"
#include "helpers.hpp"

using namespace finwave;
using namespace finwave::web;

namespace {
Scenario parse(const char* text) {
    auto r = parse_scenario(text, "test");
    REQUIRE(std::holds_alternative<Scenario>(r));
    return std::get<Scenario>(r);
}

Knobs linux_knobs(std::string_view text) {
    auto r = parse_scenario(text, "test");
    REQUIRE(std::holds_alternative<Scenario>(r));
    auto k = resolve_knobs(std::get<Scenario>(r), Profile::Linux, {});
    REQUIRE(std::holds_alternative<Knobs>(k));
    return std::get<Knobs>(k);
}

// A report that checked four-way-close as it ships, as the harness writes it.
ConformanceReport report_of_four_way_close() {
    const std::string_view text = *find_builtin("four-way-close");
    const std::string json = R"({"kernel": "6.18.44-test", "date": "2026-12-01", "scenarios": {
      "four-way-close": {"passed": true, "kernel": "6.18.44-test", "scenario_hash": ")" +
                             fingerprint(text) + R"(", "knobs_hash": ")" + knobs_fingerprint(linux_knobs(text)) + R"(", "compared": []},
      "first-fin-lost": {"passed": false, "kernel": "6.18.44-test", "scenario_hash": "00", "knobs_hash": "00"},
      "half-close": {"passed": true, "kernel": "6.18.44-test"}
    }})";
    return parse_conformance_report(json);
}
}  // namespace

TEST_CASE("the conformance report: kernel, date, and the passed built-ins with their fingerprints") {
    const ConformanceReport r = report_of_four_way_close();
    CHECK(r.kernel == "6.18.44-test");
    CHECK(r.date == "2026-12-01");
    CHECK(r.passed.count("four-way-close") == 1);
    CHECK(r.passed.count("first-fin-lost") == 0);  // failed
    CHECK(r.passed.count("half-close") == 0);      // no fingerprints: nothing to key the claim by
    // Damaged, or keyed by name only (the older format): nothing is claimed.
    CHECK(parse_conformance_report("{not json").passed.empty());
    CHECK(parse_conformance_report(R"({"four-way-close": {"passed": true, "kernel": "6.1"}})").passed.empty());
}

TEST_CASE("the claim holds for the checked text and knobs only, and says why not") {
    const ConformanceReport r = report_of_four_way_close();
    const std::string text(*find_builtin("four-way-close"));
    const Knobs knobs = linux_knobs(text);
    CHECK(check_run(r, "four-way-close", text, knobs).miss == LinuxMiss::None);
    CHECK(check_run(r, "four-way-close", text, knobs).kernel == "6.18.44-test");
    // The built-in edited since the check (one more line) ...
    CHECK(check_run(r, "four-way-close", text + "drop client FIN\n", knobs).miss == LinuxMiss::ScenarioChanged);
    // ... a knob set by the learner, or the textbook profile ...
    Knobs other = knobs;
    REQUIRE_FALSE(set_knob(other, "fin_timeout", "3s"));
    CHECK(check_run(r, "four-way-close", text, other).miss == LinuxMiss::KnobsChanged);
    CHECK(check_run(r, "four-way-close", text, defaults_for(Profile::Rfc)).miss == LinuxMiss::KnobsChanged);
    // ... or a scenario that was never checked.
    CHECK(check_run(r, "first-fin-lost", *find_builtin("first-fin-lost"), knobs).miss == LinuxMiss::NotChecked);
}

TEST_CASE("the compiled-in report records the kernel and the date") {
    const ConformanceReport& r = compiled_conformance_report();
    CHECK_FALSE(r.kernel.empty());
    CHECK(r.date.size() == 10);
    const auto four = linux_checked("four-way-close");
    REQUIRE(four.has_value());
    CHECK(*four == r.kernel);
    // Not comparable on a real kernel (it needs a chosen ISN): never claimed.
    CHECK_FALSE(linux_checked("time-wait-protects-new-connection").has_value());
    CHECK_FALSE(linux_checked("no-such-scenario").has_value());
}

TEST_CASE("in the app: free play of a checked built-in has the badge; other knobs lose it, with the reason") {
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_sandbox("four-way-close"));
    const auto before = current_linux_status(t);
    REQUIRE(before.has_value());
    CHECK(before->miss == LinuxMiss::None);
    CHECK(current_linux_check(t).has_value());
    CHECK(t.set_knob("fin_timeout", "3s").empty());
    const auto after = current_linux_status(t);
    REQUIRE(after.has_value());
    CHECK(after->miss == LinuxMiss::KnobsChanged);
    CHECK_FALSE(current_linux_check(t).has_value());
    t.reset_knobs();
    CHECK(current_linux_check(t).has_value());
}

TEST_CASE("in the app: a lesson step that edits a checked built-in says the check does not apply") {
    Tutor t(test::repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("three-segments", 0));
    std::optional<std::size_t> edited, unchanged;
    for (std::size_t i = 0; i < t.lesson()->steps.size(); ++i) {
        const auto& sc = t.lesson()->steps[i].scenario;
        if (!sc || sc->base != "three-segment-close") continue;
        (sc->base_modified ? edited : unchanged) = i;
    }
    REQUIRE(edited.has_value());  // `use three-segment-close` + `set delayed_ack=0`
    REQUIRE(unchanged.has_value());
    REQUIRE(t.go_step(*unchanged));
    CHECK(current_linux_check(t).has_value());
    REQUIRE(t.go_step(*edited));
    const auto status = current_linux_status(t);
    REQUIRE(status.has_value());
    CHECK(status->miss == LinuxMiss::Edited);
    CHECK(status->scenario == "three-segment-close");
    CHECK_FALSE(current_linux_check(t).has_value());
}

TEST_CASE("a lesson scenario counts as the built-in only while unchanged") {
    CHECK(unchanged_builtin(parse("use four-way-close\n")) == "four-way-close");
    CHECK(unchanged_builtin(parse("scenario lesson-step-1\nuse first-fin-lost\ndescription words only\n")) == "first-fin-lost");
    CHECK(unchanged_builtin(parse("use four-way-close\ndrop client FIN\n")).empty());
    CHECK(unchanged_builtin(parse("use four-way-close\nset time_wait=0\n")).empty());
    CHECK(unchanged_builtin(parse("scenario mine\nat 0 client connect\n")).empty());
}
