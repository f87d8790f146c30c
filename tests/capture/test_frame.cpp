// The frame builder against packets whose checksums others computed.
#include <doctest/doctest.h>

#include <vector>

#include "finwave/frame.hpp"

using namespace finwave::capture;

namespace {

std::uint16_t u16(const std::vector<std::uint8_t>& b, std::size_t at) { return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]); }
std::uint32_t u32(const std::vector<std::uint8_t>& b, std::size_t at) { return static_cast<std::uint32_t>(u16(b, at)) << 16 | u16(b, at + 2); }

Host host(std::uint8_t last) {
    Host h;
    h.mac = {0x02, 0, 0, 0, 0, last};
    h.ipv4 = {192, 168, 1, last};
    h.ipv6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
    h.port = static_cast<std::uint16_t>(1000 + last);
    return h;
}

std::vector<std::uint8_t> frame_or_fail(const Host& src, const Host& dst, IpVersion ip, const TcpFields& tcp, bool pad = false) {
    auto f = build_frame(src, dst, ip, tcp, pad);
    REQUIRE(std::holds_alternative<std::vector<std::uint8_t>>(f));
    return std::get<std::vector<std::uint8_t>>(f);
}

}  // namespace

TEST_CASE("internet checksum: RFC 1071's worked example") {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement).
    const std::vector<std::uint8_t> words = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(internet_checksum(words) == static_cast<std::uint16_t>(~0xddf2));
    // An odd length is padded with a zero byte at the end.
    const std::vector<std::uint8_t> odd = {0x00, 0x01, 0xf2};
    CHECK(internet_checksum(odd) == static_cast<std::uint16_t>(~(0x0001 + 0xf200)));
}

TEST_CASE("internet checksum: a known IPv4 header sums to zero, and its checksum is reproduced") {
    // The IPv4 packet of smoltcp's wire tests: header checksum d56e.
    std::vector<std::uint8_t> header = {0x45, 0x00, 0x00, 0x1e, 0x01, 0x02, 0x62, 0x03, 0x1a, 0x01,
                                        0xd5, 0x6e, 0x11, 0x12, 0x13, 0x14, 0x21, 0x22, 0x23, 0x24};
    CHECK(internet_checksum(header) == 0);
    header[10] = header[11] = 0;
    CHECK(internet_checksum(header) == 0xd56e);
}

TEST_CASE("TCP checksum: a known segment from 192.168.1.1 to 192.168.1.2") {
    // The TCP segment of smoltcp's wire tests (24-byte header with an option,
    // 4 bytes of payload): checksum 01b6 over it and the IPv4 pseudo-header.
    std::vector<std::uint8_t> segment = {0xbf, 0x00, 0x00, 0x50, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x60, 0x35,
                                         0x01, 0x23, 0x01, 0xb6, 0x02, 0x01, 0x03, 0x03, 0x0c, 0x01, 0xaa, 0x00, 0x00, 0xff};
    const Host src = host(1), dst = host(2);
    const auto pseudo = pseudo_header_sum(IpVersion::V4, src, dst, static_cast<std::uint32_t>(segment.size()));
    CHECK(internet_checksum(segment, pseudo) == 0);
    segment[16] = segment[17] = 0;
    CHECK(internet_checksum(segment, pseudo) == 0x01b6);
}

TEST_CASE("IPv4 frame: Ethernet, IPv4 and TCP fields where a capture reader looks for them") {
    TcpFields tcp;
    tcp.seq = 0x01234567;
    tcp.ack = 0x89abcdef;
    tcp.flags = tcp_bit::FIN | tcp_bit::ACK;
    tcp.window = 0x0123;
    tcp.payload_len = 5;
    tcp.ip_id = 0x4001;
    const Host src = host(1), dst = host(2);
    const auto f = frame_or_fail(src, dst, IpVersion::V4, tcp);
    REQUIRE(f.size() == 14 + 20 + 20 + 5);
    CHECK(f[0] == 0x02);  // destination MAC first
    CHECK(f[5] == 2);
    CHECK(f[11] == 1);
    CHECK(u16(f, 12) == 0x0800);
    CHECK(f[14] == 0x45);
    CHECK(u16(f, 16) == 20 + 20 + 5);  // total length
    CHECK(u16(f, 18) == 0x4001);
    CHECK(u16(f, 20) == 0x4000);  // DF
    CHECK(f[22] == 64);
    CHECK(f[23] == 6);
    CHECK(internet_checksum(std::span(f).subspan(14, 20)) == 0);
    CHECK(u16(f, 34) == 1001);
    CHECK(u16(f, 36) == 1002);
    CHECK(u32(f, 38) == 0x01234567);
    CHECK(u32(f, 42) == 0x89abcdef);
    CHECK(f[46] == 0x50);  // 5 words, no options
    CHECK(f[47] == 0x11);
    CHECK(u16(f, 48) == 0x0123);
    CHECK(internet_checksum(std::span(f).subspan(34), pseudo_header_sum(IpVersion::V4, src, dst, 25)) == 0);
}

TEST_CASE("IPv6 frame: payload length without the header, hop limit 64, checksum over the IPv6 pseudo-header") {
    TcpFields tcp;
    tcp.seq = 1;
    tcp.flags = tcp_bit::SYN;
    tcp.window = 65535;
    const Host src = host(1), dst = host(2);
    const auto f = frame_or_fail(src, dst, IpVersion::V6, tcp);
    REQUIRE(f.size() == 14 + 40 + 20);
    CHECK(u16(f, 12) == 0x86dd);
    CHECK(f[14] == 0x60);
    CHECK(u16(f, 18) == 20);
    CHECK(f[20] == 6);
    CHECK(f[21] == 64);
    CHECK(f[22] == 0x20);
    CHECK(f[37] == 1);
    CHECK(f[53] == 2);
    CHECK(internet_checksum(std::span(f).subspan(54), pseudo_header_sum(IpVersion::V6, src, dst, 20)) == 0);
}

TEST_CASE("a received frame is padded to Ethernet's 60 bytes; the padding is outside IP and TCP") {
    TcpFields tcp;
    tcp.flags = tcp_bit::ACK;
    const Host src = host(1), dst = host(2);
    const auto sent = frame_or_fail(src, dst, IpVersion::V4, tcp, false);
    const auto received = frame_or_fail(src, dst, IpVersion::V4, tcp, true);
    CHECK(sent.size() == 54);
    REQUIRE(received.size() == 60);
    CHECK(std::vector<std::uint8_t>(received.begin(), received.begin() + 54) == sent);
    CHECK(u16(received, 16) == 40);
    // IPv6 frames are never that short.
    CHECK(frame_or_fail(src, dst, IpVersion::V6, tcp, true).size() == 74);
}

TEST_CASE("a payload larger than one IP packet holds is refused with the limit") {
    TcpFields tcp;
    tcp.payload_len = max_payload(IpVersion::V4) + 1;
    auto f = build_frame(host(1), host(2), IpVersion::V4, tcp, false);
    REQUIRE(std::holds_alternative<FrameError>(f));
    CHECK(std::get<FrameError>(f).limit == 65535 - 40);
    tcp.payload_len = max_payload(IpVersion::V4);
    CHECK(std::holds_alternative<std::vector<std::uint8_t>>(build_frame(host(1), host(2), IpVersion::V4, tcp, false)));
    CHECK(max_payload(IpVersion::V6) == 65535 - 20);
}
