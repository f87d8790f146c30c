// Frames of a pcap/pcapng file to TCP segments: the link header, IPv4 or
// IPv6, the TCP header. Every length is checked against what was captured
// before it is read: the input is whatever file a learner has.
#include <cstdio>

#include "finwave/frame.hpp"
#include "finwave/observed.hpp"
#include "finwave/types.hpp"

namespace finwave::capture {

namespace {

std::uint16_t be16(std::span<const std::uint8_t> b, std::size_t at) { return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]); }
std::uint32_t be32(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 | static_cast<std::uint32_t>(b[at + 2]) << 8 | b[at + 3];
}

std::string ipv4_text(std::span<const std::uint8_t> a) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
}

// RFC 5952's short form: lower case, the longest run of zero groups as "::".
std::string ipv6_text(std::span<const std::uint8_t> a) {
    std::uint16_t g[8];
    for (int i = 0; i < 8; ++i) g[i] = be16(a, static_cast<std::size_t>(2 * i));
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0) ++j;
        if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
        i = j == i ? i + 1 : j;
    }
    std::string out;
    char buf[8];
    for (int i = 0; i < 8; ++i) {
        if (i == best) {
            out += "::";
            i += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        std::snprintf(buf, sizeof buf, "%x", g[i]);
        out += buf;
    }
    return out;
}

// The TCP header at `at`, inside an IP packet whose payload is `ip_payload` bytes long.
std::variant<Observed, FrameSkip> parse_tcp(std::span<const std::uint8_t> b, std::size_t at, std::uint32_t ip_payload, Observed o) {
    if (ip_payload < 20) return FrameSkip::BadHeader;
    if (b.size() < at + 20) return FrameSkip::TruncatedHeader;
    const std::uint32_t hlen = static_cast<std::uint32_t>(b[at + 12] >> 4) * 4;
    if (hlen < 20 || hlen > ip_payload) return FrameSkip::BadHeader;
    o.sport = be16(b, at);
    o.dport = be16(b, at + 2);
    o.seq = be32(b, at + 4);
    o.ack = be32(b, at + 8);
    o.flags = engine_flags(b[at + 13]);
    o.wnd = be16(b, at + 14);
    o.len = ip_payload - hlen;
    o.truncated = b.size() < at + ip_payload;
    return o;
}

std::variant<Observed, FrameSkip> parse_ip(std::span<const std::uint8_t> b, std::size_t at, Observed o, bool ethernet) {
    if (b.size() < at + 1) return FrameSkip::TruncatedHeader;
    const int version = b[at] >> 4;
    if (version == 4) {
        if (b.size() < at + 20) return FrameSkip::TruncatedHeader;
        const std::uint32_t ihl = static_cast<std::uint32_t>(b[at] & 0x0f) * 4;
        const std::uint32_t total = be16(b, at + 2);
        if (ihl < 20 || total < ihl) return FrameSkip::BadHeader;
        if (b[at + 9] != 6) return FrameSkip::NotTcp;
        if ((be16(b, at + 6) & 0x3fff) != 0) return FrameSkip::Fragment;  // more fragments, or an offset
        o.src = ipv4_text(b.subspan(at + 12, 4));
        o.dst = ipv4_text(b.subspan(at + 16, 4));
        // Bytes past the packet's end are the padding of a short frame that came in over Ethernet.
        if (ethernet) o.hint = b.size() > at + total ? TapHint::Incoming : (at + total < 60 ? TapHint::Outgoing : TapHint::Unknown);
        return parse_tcp(b, at + ihl, total - ihl, o);
    }
    if (version == 6) {
        if (b.size() < at + 40) return FrameSkip::TruncatedHeader;
        std::uint32_t payload = be16(b, at + 4);
        std::uint8_t next = b[at + 6];
        o.src = ipv6_text(b.subspan(at + 8, 16));
        o.dst = ipv6_text(b.subspan(at + 24, 16));
        std::size_t p = at + 40;
        // Hop-by-hop, routing and destination options come before TCP; a fragment is not read.
        for (int hops = 0; next != 6; ++hops) {
            if (next == 44) return FrameSkip::Fragment;
            if ((next != 0 && next != 43 && next != 60) || hops > 8) return FrameSkip::NotTcp;
            if (b.size() < p + 2) return FrameSkip::TruncatedHeader;
            const std::uint32_t ext = (static_cast<std::uint32_t>(b[p + 1]) + 1) * 8;
            if (ext > payload) return FrameSkip::BadHeader;
            next = b[p];
            p += ext;
            payload -= ext;
        }
        return parse_tcp(b, p, payload, o);
    }
    return FrameSkip::NotIp;
}

}  // namespace

bool linktype_supported(int lt) {
    switch (lt) {
        case linktype::NULL_LOOPBACK: case linktype::ETHERNET: case linktype::RAW: case linktype::DLT_RAW_12: case linktype::DLT_RAW_14:
        case linktype::LINUX_SLL: case linktype::IPV4: case linktype::IPV6: case linktype::LINUX_SLL2:
            return true;
        default:
            return false;
    }
}

const char* to_string(FrameSkip s) {
    switch (s) {
        case FrameSkip::NotIp: return "not IP";
        case FrameSkip::NotTcp: return "not TCP";
        case FrameSkip::Fragment: return "an IP fragment";
        case FrameSkip::TruncatedHeader: return "cut short before the end of its TCP header (snapshot length too small?)";
        case FrameSkip::BadHeader: return "a malformed IP or TCP header";
    }
    return "?";
}

std::variant<Observed, FrameSkip> parse_frame(int lt, std::span<const std::uint8_t> b, std::uint32_t wire_len) {
    (void)wire_len;  // the IP header's length says more than the frame's, and is checked against the bytes kept
    Observed o;
    switch (lt) {
        case linktype::ETHERNET: {
            std::size_t at = 12;
            if (b.size() < at + 2) return FrameSkip::TruncatedHeader;
            std::uint16_t type = be16(b, at);
            while ((type == 0x8100 || type == 0x88a8) && b.size() >= at + 6) {  // VLAN tags
                at += 4;
                type = be16(b, at);
            }
            if (type != 0x0800 && type != 0x86dd) return FrameSkip::NotIp;
            return parse_ip(b, at + 2, o, true);
        }
        case linktype::LINUX_SLL: {  // tcpdump -i any before libpcap 1.10: 16 bytes
            if (b.size() < 16) return FrameSkip::TruncatedHeader;
            const std::uint16_t pkttype = be16(b, 0), proto = be16(b, 14);
            o.hint = pkttype == 4 ? TapHint::Outgoing : pkttype == 0 ? TapHint::Incoming : TapHint::Unknown;
            if (proto != 0x0800 && proto != 0x86dd) return FrameSkip::NotIp;
            return parse_ip(b, 16, o, false);
        }
        case linktype::LINUX_SLL2: {  // tcpdump -i any: 20 bytes
            if (b.size() < 20) return FrameSkip::TruncatedHeader;
            const std::uint16_t proto = be16(b, 0);
            const std::uint8_t pkttype = b[10];
            o.hint = pkttype == 4 ? TapHint::Outgoing : pkttype == 0 ? TapHint::Incoming : TapHint::Unknown;
            if (proto != 0x0800 && proto != 0x86dd) return FrameSkip::NotIp;
            return parse_ip(b, 20, o, false);
        }
        case linktype::NULL_LOOPBACK:  // a 4-byte address family in the host's byte order
            if (b.size() < 4) return FrameSkip::TruncatedHeader;
            return parse_ip(b, 4, o, false);
        case linktype::RAW: case linktype::DLT_RAW_12: case linktype::DLT_RAW_14: case linktype::IPV4: case linktype::IPV6:
            return parse_ip(b, 0, o, false);
        default:
            return FrameSkip::NotIp;
    }
}

bool looks_like_text(std::span<const std::uint8_t> head) {
    for (std::size_t i = 0; i < head.size() && i < 4096; ++i)
        if (head[i] == 0) return false;
    return true;
}

}  // namespace finwave::capture
