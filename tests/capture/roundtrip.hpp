// A scenario run, captured at one host, read back and explained: the engine's
// state sequence beside the explanation's, for tests and the kernel proof.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "finwave/explain.hpp"
#include "finwave/knobs.hpp"

namespace roundtrip {

struct Point {
    finwave::State state;
    std::int64_t t_us;
};

struct Result {
    std::string label;  // "first-fin-lost linux @client"
    std::string error;
    std::size_t captured = 0;  // segments in the capture
    std::array<std::vector<Point>, 2> engine, explained;  // by side
    std::vector<finwave::capture::Explanation> explanations;
};

Result run(std::string_view builtin, finwave::Profile p, finwave::Side at);
// "" when equal (states in order; times within slack_us, LISTEN's time not compared).
std::string diff(const std::vector<Point>& engine, const std::vector<Point>& explained, std::int64_t slack_us);

}  // namespace roundtrip
