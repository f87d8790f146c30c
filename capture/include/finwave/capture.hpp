// A run's trace as one host's packet capture: what `tcpdump -w` on the client
// or the server would have recorded. Its outgoing segments when sent (those
// the link then loses too: the capture sees them leave), its incoming ones
// when delivered, each as an Ethernet frame (finwave/frame.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "finwave/frame.hpp"
#include "finwave/simulation.hpp"

namespace finwave::capture {

struct CaptureOptions {
    Side at = Side::Client;
    IpVersion ip = IpVersion::V4;
    Host client;
    Host server;
};

// The addresses FinWave's captures use: the kernel conformance harness's
// (10.77.0.1 and 10.77.0.2; fd00:77::1 and fd00:77::2) and ports 40000 and
// 8000. Not the harness's 5000: Wireshark reads that port as GSM's A-bis and
// calls the payload malformed; 8000 has no dissector of its own.
CaptureOptions default_options(Side at, IpVersion ip);
// "client" / "server".
std::optional<Side> parse_capture_point(std::string_view text);

struct CapturedFrame {
    Instant t{};
    std::vector<std::uint8_t> bytes;
    std::uint64_t seg_id = 0;  // the trace's #N
    bool outgoing = false;
};

struct CaptureError {
    FrameError frame;
    std::uint64_t seg_id = 0;
};

// The frames in the order the host saw them (the trace's order).
std::variant<std::vector<CapturedFrame>, CaptureError> capture_frames(const std::vector<TraceEvent>& trace, const CaptureOptions& options);

}  // namespace finwave::capture
