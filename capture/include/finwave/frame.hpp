// Ethernet frames of TCP segments, as a host's capture would hold them:
// Ethernet II, then IPv4 or IPv6, then a 20-byte TCP header and the payload.
// Pure: bytes in, bytes out (no libpcap, no files), so the browser build can
// use it as the command-line tool does.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace finwave::capture {

enum class IpVersion : std::uint8_t { V4, V6 };

struct Host {
    std::array<std::uint8_t, 6> mac{};
    std::array<std::uint8_t, 4> ipv4{};
    std::array<std::uint8_t, 16> ipv6{};
    std::uint16_t port = 0;
};

// TCP's flag bits in the header's own layout (RFC 9293 section 3.1).
namespace tcp_bit {
inline constexpr std::uint8_t FIN = 0x01;
inline constexpr std::uint8_t SYN = 0x02;
inline constexpr std::uint8_t RST = 0x04;
inline constexpr std::uint8_t PSH = 0x08;
inline constexpr std::uint8_t ACK = 0x10;
}  // namespace tcp_bit

// Between the engine's flag bits (finwave/types.hpp's flag::, in its own
// order) and the header's tcp_bit layout; both directions read one table.
std::uint8_t header_flags(std::uint8_t engine_flags);
std::uint8_t engine_flags(std::uint8_t header_flags);

struct TcpFields {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;  // tcp_bit values
    std::uint16_t window = 0;
    std::uint32_t payload_len = 0;  // the payload is that many zero bytes
    std::uint16_t ip_id = 0;        // IPv4 identification (IPv6 has none)
};

// RFC 1071's one's-complement sum, folded and inverted. `initial` carries a
// partial sum (a pseudo-header) in; a buffer that holds its own correct
// checksum sums to 0.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial = 0);

// The unfolded sum of the TCP pseudo-header (RFC 9293 section 3.1; RFC 8200
// section 8.1 for IPv6), to pass as `initial` above over the TCP segment.
std::uint32_t pseudo_header_sum(IpVersion ip, const Host& src, const Host& dst, std::uint32_t tcp_length);

// The largest payload one IP packet with a 20-byte TCP header can carry.
std::uint32_t max_payload(IpVersion ip);

// What build_frame could not do, as an identifier and its number; the CLI words it.
struct FrameError {
    enum class Kind : std::uint8_t { PayloadTooLarge };
    Kind kind = Kind::PayloadTooLarge;
    std::uint32_t value = 0;  // the payload length asked for
    std::uint32_t limit = 0;
};

// One frame from `src` to `dst`, with valid IPv4 header and TCP checksums.
// `pad_to_minimum`: a frame that came in over Ethernet is at least 60 bytes
// (64 with the FCS a capture does not keep); one being sent is captured
// before the network card pads it.
std::variant<std::vector<std::uint8_t>, FrameError> build_frame(const Host& src, const Host& dst, IpVersion ip, const TcpFields& tcp,
                                                                bool pad_to_minimum);

}  // namespace finwave::capture
