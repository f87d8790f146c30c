#include "finwave/frame.hpp"

#include <utility>

#include "finwave/types.hpp"

namespace finwave::capture {

namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kIpv4Header = 20;
constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kTcpHeader = 20;
constexpr std::size_t kEthernetMinimum = 60;  // without the FCS
constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kTtl = 64;  // Linux's default, and no router in between

void put16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<std::uint8_t>(v >> 8);
    out[at + 1] = static_cast<std::uint8_t>(v);
}
void put32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
    put16(out, at, static_cast<std::uint16_t>(v >> 16));
    put16(out, at + 2, static_cast<std::uint16_t>(v));
}
template <std::size_t N>
void put_bytes(std::vector<std::uint8_t>& out, std::size_t at, const std::array<std::uint8_t, N>& bytes) {
    for (std::size_t i = 0; i < N; ++i) out[at + i] = bytes[i];
}

// The unfolded sum of 16-bit words, for a pseudo-header.
std::uint32_t partial_sum(std::span<const std::uint8_t> bytes) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) sum += static_cast<std::uint32_t>(bytes[i] << 8 | bytes[i + 1]);
    if (bytes.size() % 2) sum += static_cast<std::uint32_t>(bytes.back() << 8);
    return sum;
}

}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t initial) {
    // 64 bits: a full-size packet cannot carry out of it before the fold.
    std::uint64_t sum = initial;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) sum += static_cast<std::uint64_t>(bytes[i] << 8 | bytes[i + 1]);
    if (bytes.size() % 2) sum += static_cast<std::uint64_t>(bytes.back()) << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint32_t pseudo_header_sum(IpVersion ip, const Host& src, const Host& dst, std::uint32_t tcp_length) {
    // The length is 32 bits in IPv6's pseudo-header, 16 in IPv4's: as 16-bit words both sum alike.
    const std::uint32_t length = (tcp_length >> 16) + (tcp_length & 0xffff);
    if (ip == IpVersion::V4) return partial_sum(src.ipv4) + partial_sum(dst.ipv4) + kProtocolTcp + length;
    return partial_sum(src.ipv6) + partial_sum(dst.ipv6) + kProtocolTcp + length;
}

std::uint32_t max_payload(IpVersion ip) {
    // IPv4's total length counts its own header; IPv6's payload length does not.
    return ip == IpVersion::V4 ? 0xffff - kIpv4Header - kTcpHeader : 0xffff - kTcpHeader;
}

std::variant<std::vector<std::uint8_t>, FrameError> build_frame(const Host& src, const Host& dst, IpVersion ip, const TcpFields& tcp,
                                                                bool pad_to_minimum) {
    if (tcp.payload_len > max_payload(ip)) return FrameError{FrameError::Kind::PayloadTooLarge, tcp.payload_len, max_payload(ip)};
    const std::size_t ip_header = ip == IpVersion::V4 ? kIpv4Header : kIpv6Header;
    const std::size_t tcp_at = kEthernetHeader + ip_header;
    const std::size_t tcp_length = kTcpHeader + tcp.payload_len;
    const std::size_t frame_length = tcp_at + tcp_length;
    std::vector<std::uint8_t> out(pad_to_minimum && frame_length < kEthernetMinimum ? kEthernetMinimum : frame_length, 0);

    put_bytes(out, 0, dst.mac);
    put_bytes(out, 6, src.mac);
    put16(out, 12, ip == IpVersion::V4 ? 0x0800 : 0x86dd);

    const std::size_t ip_at = kEthernetHeader;
    if (ip == IpVersion::V4) {
        out[ip_at] = 0x45;  // version 4, a 5-word header (no options)
        put16(out, ip_at + 2, static_cast<std::uint16_t>(kIpv4Header + tcp_length));
        put16(out, ip_at + 4, tcp.ip_id);
        put16(out, ip_at + 6, 0x4000);  // Don't Fragment, as Linux sends TCP (path MTU discovery)
        out[ip_at + 8] = kTtl;
        out[ip_at + 9] = kProtocolTcp;
        put_bytes(out, ip_at + 12, src.ipv4);
        put_bytes(out, ip_at + 16, dst.ipv4);
        put16(out, ip_at + 10, internet_checksum(std::span(out).subspan(ip_at, kIpv4Header)));
    } else {
        out[ip_at] = 0x60;  // version 6, traffic class 0, flow label 0
        put16(out, ip_at + 4, static_cast<std::uint16_t>(tcp_length));
        out[ip_at + 6] = kProtocolTcp;
        out[ip_at + 7] = kTtl;
        put_bytes(out, ip_at + 8, src.ipv6);
        put_bytes(out, ip_at + 24, dst.ipv6);
    }

    put16(out, tcp_at, src.port);
    put16(out, tcp_at + 2, dst.port);
    put32(out, tcp_at + 4, tcp.seq);
    put32(out, tcp_at + 8, tcp.ack);
    out[tcp_at + 12] = (kTcpHeader / 4) << 4;  // data offset in 32-bit words
    out[tcp_at + 13] = tcp.flags;
    put16(out, tcp_at + 14, tcp.window);
    // The payload is zeros already; the padding after it is not part of the segment.
    const std::uint32_t pseudo = pseudo_header_sum(ip, src, dst, static_cast<std::uint32_t>(tcp_length));
    put16(out, tcp_at + 16, internet_checksum(std::span(out).subspan(tcp_at, tcp_length), pseudo));
    return out;
}

namespace {
// Each pair: the engine's bit, the header's bit for the same flag.
constexpr std::array<std::pair<std::uint8_t, std::uint8_t>, 5> kFlagBits{{
    {flag::FIN, tcp_bit::FIN},
    {flag::SYN, tcp_bit::SYN},
    {flag::RST, tcp_bit::RST},
    {flag::PSH, tcp_bit::PSH},
    {flag::ACK, tcp_bit::ACK},
}};
}  // namespace

std::uint8_t header_flags(std::uint8_t engine) {
    std::uint8_t out = 0;
    for (const auto& [e, h] : kFlagBits)
        if (engine & e) out |= h;
    return out;
}

std::uint8_t engine_flags(std::uint8_t header) {
    std::uint8_t out = 0;
    for (const auto& [e, h] : kFlagBits)
        if (header & h) out |= e;
    return out;
}

}  // namespace finwave::capture
