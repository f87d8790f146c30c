#include "finwave/capture.hpp"

#include <algorithm>
#include <unordered_map>

namespace finwave::capture {

namespace {

bool is_segment(EventKind k) { return k == EventKind::Send || k == EventKind::Deliver; }

}  // namespace

CaptureOptions default_options(Side at, IpVersion ip) {
    CaptureOptions o;
    o.at = at;
    o.ip = ip;
    // Locally administered MAC addresses (the 0x02 bit): no vendor's.
    o.client.mac = {0x02, 0x00, 0x0a, 0x4d, 0x00, 0x01};
    o.server.mac = {0x02, 0x00, 0x0a, 0x4d, 0x00, 0x02};
    o.client.ipv4 = {10, 77, 0, 1};
    o.server.ipv4 = {10, 77, 0, 2};
    o.client.ipv6 = {0xfd, 0x00, 0x00, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
    o.server.ipv6 = {0xfd, 0x00, 0x00, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02};
    o.client.port = 40000;
    o.server.port = 8000;
    return o;
}

std::optional<Side> parse_capture_point(std::string_view text) {
    if (text == "client") return Side::Client;
    if (text == "server") return Side::Server;
    return std::nullopt;
}

std::variant<std::vector<CapturedFrame>, CaptureError> capture_frames(const std::vector<TraceEvent>& trace, const CaptureOptions& options) {
    // Each host numbers the IPv4 packets it sends; a copy the link makes of a
    // packet keeps the packet's number, a retransmission is a new packet.
    std::unordered_map<std::uint64_t, std::uint16_t> ip_id;
    std::uint16_t next_id[2] = {0x4000, 0x8000};  // apart, so the two hosts' numbers read differently
    for (const auto& e : trace)
        if (e.kind == EventKind::Send) ip_id[e.seg_id] = next_id[static_cast<std::size_t>(e.side)]++;

    std::vector<CapturedFrame> out;
    for (const auto& e : trace) {
        if (!is_segment(e.kind) || e.side != options.at) continue;
        const bool outgoing = e.kind == EventKind::Send;
        // A segment made by a scenario's 'inject' line appears on the wire in
        // front of its receiver: the host it pretends to come from never sent it.
        if (outgoing && e.injected) continue;
        const Side from = outgoing ? e.side : peer_of(e.side);
        const Host& src = from == Side::Client ? options.client : options.server;
        const Host& dst = from == Side::Client ? options.server : options.client;
        TcpFields tcp;
        tcp.seq = e.wire_seq;
        tcp.ack = e.wire_ack;
        tcp.flags = header_flags(e.flags);
        // No window scaling is modelled: a larger window is what fits the field.
        tcp.window = static_cast<std::uint16_t>(std::min<std::uint32_t>(e.wnd, 0xffff));
        tcp.payload_len = e.len;
        tcp.ip_id = ip_id[e.seg_id];
        auto frame = build_frame(src, dst, options.ip, tcp, !outgoing);
        if (auto* err = std::get_if<FrameError>(&frame)) return CaptureError{*err, e.seg_id};
        out.push_back({e.t, std::move(std::get<std::vector<std::uint8_t>>(frame)), e.seg_id, outgoing});
    }
    return out;
}

}  // namespace finwave::capture
