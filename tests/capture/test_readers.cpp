// The capture readers: frames of each link type, and pasted text.
#include <doctest/doctest.h>

#include "finwave/frame.hpp"
#include "finwave/observed.hpp"
#include "finwave/types.hpp"

using namespace finwave;
using namespace finwave::capture;

namespace {

Host host(std::uint8_t last, std::uint16_t port) {
    Host h;
    h.mac = {0x02, 0, 0, 0, 0, last};
    h.ipv4 = {10, 0, 0, last};
    h.ipv6 = {0xfd, 0, 0, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
    h.port = port;
    return h;
}

std::vector<std::uint8_t> frame(IpVersion ip, std::uint8_t tcp_flags, std::uint32_t len = 0, bool pad = false) {
    TcpFields t;
    t.seq = 1000;
    t.ack = 2000;
    t.flags = tcp_flags;
    t.window = 512;
    t.payload_len = len;
    auto f = build_frame(host(1, 40000), host(2, 8000), ip, t, pad);
    REQUIRE(std::holds_alternative<std::vector<std::uint8_t>>(f));
    return std::get<std::vector<std::uint8_t>>(f);
}

Observed read(int lt, const std::vector<std::uint8_t>& b) {
    auto r = parse_frame(lt, b, static_cast<std::uint32_t>(b.size()));
    REQUIRE(std::holds_alternative<Observed>(r));
    return std::get<Observed>(r);
}

}  // namespace

TEST_CASE("frames: Ethernet IPv4 FIN+ACK, padded when it came in") {
    const Observed o = read(linktype::ETHERNET, frame(IpVersion::V4, tcp_bit::FIN | tcp_bit::ACK, 0, true));
    CHECK(o.src == "10.0.0.1");
    CHECK(o.dst == "10.0.0.2");
    CHECK(o.sport == 40000);
    CHECK(o.dport == 8000);
    CHECK(o.flags == (flag::FIN | flag::ACK));
    CHECK(o.seq == 1000);
    CHECK(o.ack == 2000);
    CHECK(o.len == 0);
    CHECK(o.hint == TapHint::Incoming);
    CHECK(read(linktype::ETHERNET, frame(IpVersion::V4, tcp_bit::ACK)).hint == TapHint::Outgoing);
}

TEST_CASE("frames: IPv6 addresses in their short form, payload from the IP length") {
    const Observed o = read(linktype::ETHERNET, frame(IpVersion::V6, tcp_bit::PSH | tcp_bit::ACK, 100));
    CHECK(o.src == "fd00:77::1");
    CHECK(o.len == 100);
}

TEST_CASE("frames: Linux cooked SLL2 says the direction; raw IP has no link header") {
    auto eth = frame(IpVersion::V4, tcp_bit::SYN);
    std::vector<std::uint8_t> sll2(20, 0);
    sll2[0] = 0x08;  // IPv4
    sll2[10] = 4;    // sent by us
    sll2.insert(sll2.end(), eth.begin() + 14, eth.end());
    CHECK(read(linktype::LINUX_SLL2, sll2).hint == TapHint::Outgoing);
    sll2[10] = 0;  // to us
    CHECK(read(linktype::LINUX_SLL2, sll2).hint == TapHint::Incoming);
    std::vector<std::uint8_t> raw(eth.begin() + 14, eth.end());
    CHECK(read(linktype::RAW, raw).flags == flag::SYN);
}

TEST_CASE("frames: what is not a TCP segment is said, never read past the bytes") {
    auto f = frame(IpVersion::V4, tcp_bit::ACK);
    auto udp = f;
    udp[14 + 9] = 17;
    CHECK(std::get<FrameSkip>(parse_frame(linktype::ETHERNET, udp, 0)) == FrameSkip::NotTcp);
    auto arp = f;
    arp[12] = 0x08, arp[13] = 0x06;
    CHECK(std::get<FrameSkip>(parse_frame(linktype::ETHERNET, arp, 0)) == FrameSkip::NotIp);
    for (std::size_t cut = 0; cut < 14 + 20 + 20; ++cut) {
        std::vector<std::uint8_t> short_frame(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(cut));
        CHECK(std::holds_alternative<FrameSkip>(parse_frame(linktype::ETHERNET, short_frame, 0)));
    }
    auto frag = f;
    frag[14 + 6] = 0x20;  // more fragments
    CHECK(std::get<FrameSkip>(parse_frame(linktype::ETHERNET, frag, 0)) == FrameSkip::Fragment);
}

TEST_CASE("text: tcpdump -n with its relative numbers made absolute again") {
    const auto r = parse_text(
        "12:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 3000000000, win 64240, length 0\n"
        "12:00:00.010000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 2000000000, ack 3000000001, win 64240, length 0\n"
        "12:00:00.010100 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 502, length 0\n"
        "12:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [F.], seq 1, ack 1, win 502, length 0\n");
    REQUIRE(r.errors.empty());
    REQUIRE(r.segments.size() == 4);
    CHECK(r.has_times);
    CHECK(*r.segments[0].t_us == 43200000000LL);
    CHECK(r.segments[2].seq == 3000000001u);  // no seq printed: the next one in that direction
    CHECK(r.segments[2].ack == 2000000001u);
    CHECK(r.segments[3].flags == (flag::FIN | flag::ACK));
    CHECK(r.segments[3].seq == 3000000001u);
}

TEST_CASE("text: Wireshark's list with and without No. and Time, tshark's arrows") {
    const auto r = parse_text(
        "No.\tTime\tSource\tDestination\tProtocol\tLength\tInfo\n"
        "5\t0.300000\t192.168.3.3\t113.96.140.220\tTCP\t54 6512 \xe2\x86\x92 80 [FIN, ACK] Seq=661 Ack=9240 Win=262400 Len=0\n"
        "   6   0.310000 113.96.140.220 \xe2\x86\x92 192.168.3.3  TCP 60 80 \xe2\x86\x92 6512 [FIN, ACK] Seq=9240 Ack=662 Win=11008 Len=0\n");
    REQUIRE(r.errors.empty());
    REQUIRE(r.segments.size() == 2);
    CHECK(r.segments[0].src == "192.168.3.3");
    CHECK(r.segments[0].sport == 6512);
    CHECK(*r.segments[0].t_us == 300000);
    CHECK(r.segments[0].hint == TapHint::Outgoing);
    CHECK(r.segments[1].src == "113.96.140.220");
    CHECK(r.segments[1].dst == "192.168.3.3");
    CHECK(r.segments[1].hint == TapHint::Incoming);
}

TEST_CASE("text: a line that looks like a segment but cannot be read says its line") {
    const auto r = parse_text("heading\n192.168.3.3\t10.0.0.1\tTCP\t54 6512 \xe2\x86\x92 80 [FIN, ACK] Seq=x Ack=1 Len=0\n"
                              "12:00:00.0 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [Q], seq 1, length 0\n");
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0] == "line 2: Seq= and Len= must be whole numbers");
    CHECK(r.errors[1] == "line 3: unknown TCP flag in [Q]");
    CHECK(r.segments.empty());
}
