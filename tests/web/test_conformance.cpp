// "Checked against Linux": only for built-ins the harness passed, and only
// while the learner's scenario is that built-in unchanged.
#include <doctest/doctest.h>

#include "conformance.hpp"
#include "finwave/scenario.hpp"

using namespace finwave;
using namespace finwave::web;

namespace {
Scenario parse(const char* text) {
    auto r = parse_scenario(text, "test");
    REQUIRE(std::holds_alternative<Scenario>(r));
    return std::get<Scenario>(r);
}
}  // namespace

TEST_CASE("the compiled-in conformance report: passed built-ins carry the kernel release") {
    const auto four = linux_checked("four-way-close");
    REQUIRE(four.has_value());
    CHECK_FALSE(four->empty());
    // Not comparable on a real kernel (it needs a chosen ISN): never claimed.
    CHECK_FALSE(linux_checked("time-wait-protects-new-connection").has_value());
    CHECK_FALSE(linux_checked("no-such-scenario").has_value());
}

TEST_CASE("a lesson scenario counts as the built-in only while unchanged") {
    CHECK(unchanged_builtin(parse("use four-way-close\n")) == "four-way-close");
    CHECK(unchanged_builtin(parse("scenario lesson-step-1\nuse first-fin-lost\ndescription words only\n")) == "first-fin-lost");
    CHECK(unchanged_builtin(parse("use four-way-close\ndrop client FIN\n")).empty());
    CHECK(unchanged_builtin(parse("use four-way-close\nset time_wait=0\n")).empty());
    CHECK(unchanged_builtin(parse("scenario mine\nat 0 client connect\n")).empty());
}
