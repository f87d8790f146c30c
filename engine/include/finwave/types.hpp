// The vocabulary of the engine: sides, RFC 9293 states, segments.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace finwave {

enum class Side : std::uint8_t { Client, Server };
constexpr Side peer_of(Side s) { return s == Side::Client ? Side::Server : Side::Client; }
const char* to_string(Side s);
std::optional<Side> parse_side(std::string_view text);
std::ostream& operator<<(std::ostream& os, Side s);

// The eleven states of RFC 9293, section 3.3.2.
enum class State : std::uint8_t {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    kCount,  // not a state: how many there are (keep it last)
};
inline constexpr int kStateCount = static_cast<int>(State::kCount);
// The RFC spelling, e.g. "FIN-WAIT-1"; used everywhere a person reads a state.
const char* to_string(State s);
// Accepts the RFC spelling and the common variants (FIN_WAIT_1, fin-wait-1, SYN-RCVD).
std::optional<State> parse_state(std::string_view text);
std::ostream& operator<<(std::ostream& os, State s);

namespace flag {
inline constexpr std::uint8_t SYN = 0x01;
inline constexpr std::uint8_t FIN = 0x02;
inline constexpr std::uint8_t RST = 0x04;
inline constexpr std::uint8_t PSH = 0x08;
inline constexpr std::uint8_t ACK = 0x10;
}  // namespace flag

// Letters in the fixed order S F R P A, e.g. "FA" for FIN+ACK.
std::string flag_letters(std::uint8_t flags);
// As a capture tool labels them, e.g. "FIN, ACK".
std::string flag_names(std::uint8_t flags);

// Sequence-space comparisons modulo 2^32 (RFC 9293 section 3.4).
constexpr bool seq_lt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
constexpr bool seq_le(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }
constexpr bool seq_gt(std::uint32_t a, std::uint32_t b) { return seq_lt(b, a); }
constexpr bool seq_ge(std::uint32_t a, std::uint32_t b) { return seq_le(b, a); }

struct Segment {
    std::uint64_t id = 0;           // assigned by the link when sent: "#7" in traces
    Side from = Side::Client;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;          // absolute sequence numbers on the wire
    std::uint32_t ack = 0;
    std::uint32_t len = 0;          // payload bytes
    std::uint32_t wnd = 0;
    // Which connection (incarnation of the port pair) the sender's bytes belong to.
    // Not a header field: the simulator uses it to detect an old duplicate whose
    // bytes are accepted by a newer connection.
    std::uint32_t incarnation = 0;
    bool retransmission = false;    // for display; the receiver never looks at it
    int injected_line = 0;          // made by a scenario's 'inject' line (for display)

    bool has(std::uint8_t f) const { return (flags & f) != 0; }
    // Sequence space the segment occupies: SYN and FIN count one each.
    std::uint32_t seq_space() const { return len + (has(flag::SYN) ? 1u : 0u) + (has(flag::FIN) ? 1u : 0u); }
    std::uint32_t end_seq() const { return seq + seq_space(); }
};

}  // namespace finwave
