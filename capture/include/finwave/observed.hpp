// Captures read back: the TCP segments a capture holds, whatever it came in
// (a pcap/pcapng frame, a line of `tcpdump -n`, a row of Wireshark's packet
// list). Pure: bytes or text in, segments out; the files are opened at the
// edge (the CLI, with libpcap), so the readers can be fuzzed and reused.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace finwave::capture {

// What the capture itself says about a segment's direction at the tap.
enum class TapHint : std::uint8_t {
    Unknown,
    Outgoing,  // Linux cooked capture "sent by us", or an Ethernet frame not padded to 60 bytes
    Incoming,  // cooked "to us", or an Ethernet frame padded past the IP packet's end
};

struct Observed {
    std::optional<std::int64_t> t_us;  // none: text without a time column
    std::string src, dst;              // addresses as text ("10.77.0.1", "fd00:77::1")
    std::uint16_t sport = 0, dport = 0;
    std::uint8_t flags = 0;  // finwave::flag bits (SYN, FIN, RST, PSH, ACK)
    std::uint32_t seq = 0, ack = 0;
    std::uint32_t len = 0;  // payload bytes, from the IP header (a snaplen cut keeps the length)
    std::uint32_t wnd = 0;
    bool truncated = false;  // the capture kept fewer bytes than the packet had
    TapHint hint = TapHint::Unknown;
    std::string where;  // "packet 7", "line 3": for messages
};

// Link types a reader understands (LINKTYPE_ values of the pcap format).
namespace linktype {
inline constexpr int NULL_LOOPBACK = 0;
inline constexpr int ETHERNET = 1;
inline constexpr int RAW = 101;   // raw IPv4 or IPv6 (DLT_RAW is 12 or 14 in a live capture)
inline constexpr int DLT_RAW_12 = 12;
inline constexpr int DLT_RAW_14 = 14;
inline constexpr int LINUX_SLL = 113;
inline constexpr int IPV4 = 228;
inline constexpr int IPV6 = 229;
inline constexpr int LINUX_SLL2 = 276;
}  // namespace linktype
bool linktype_supported(int lt);

// Why a frame gave no segment. Not TCP (ARP, UDP, ICMP) is no error: such
// frames are counted and skipped; the others are a note with the frame.
enum class FrameSkip : std::uint8_t { NotIp, NotTcp, Fragment, TruncatedHeader, BadHeader };
const char* to_string(FrameSkip s);  // "not IP", "cut before the end of the TCP header", ...

std::variant<Observed, FrameSkip> parse_frame(int lt, std::span<const std::uint8_t> bytes, std::uint32_t wire_len);

// Text pasted from `tcpdump -n` (relative or absolute numbers, -S) or from
// Wireshark's packet list (with or without the No. and Time columns). Lines
// that are neither (headings, comments, blank) are skipped; a line that looks
// like a TCP segment but cannot be read is an error with its line number.
struct TextRead {
    std::vector<Observed> segments;
    std::vector<std::string> errors;  // "line 4: no Seq= in a TCP row"
    std::size_t skipped_lines = 0;
    bool has_times = false;
};
TextRead parse_text(std::string_view text);
// A quick test for "this file is text, not a capture": no NUL byte in the first 4 KiB.
bool looks_like_text(std::span<const std::uint8_t> head);

}  // namespace finwave::capture
