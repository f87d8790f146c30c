#include "capture_in.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <pcap/pcap.h>

namespace finwave {

namespace {

bool is_pcap_magic(const std::array<std::uint8_t, 4>& m) {
    const std::uint32_t le = static_cast<std::uint32_t>(m[0]) | static_cast<std::uint32_t>(m[1]) << 8 | static_cast<std::uint32_t>(m[2]) << 16 |
                             static_cast<std::uint32_t>(m[3]) << 24;
    return le == 0xa1b2c3d4 || le == 0xd4c3b2a1 || le == 0xa1b23c4d || le == 0x4d3cb2a1 || le == 0x0a0d0d0a;
}

}  // namespace

CaptureIn read_capture(const std::string& path, const i18n::Words& w, const std::function<void(capture::Observed&&)>& each) {
    CaptureIn in;
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        in.fatal = w("explain.error.open", {path, std::strerror(errno)});
        return in;
    }
    std::array<std::uint8_t, 4> magic{};
    f.read(reinterpret_cast<char*>(magic.data()), 4);
    if (f.gcount() == 4 && is_pcap_magic(magic)) {
        f.close();
        char errbuf[PCAP_ERRBUF_SIZE] = "";
        // Microseconds: the engine's clock, and what every reader takes.
        pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
        if (!p) {
            in.fatal = w("explain.error.open", {path, errbuf});
            return in;
        }
        const int lt = pcap_datalink(p);
        if (!capture::linktype_supported(lt)) {
            in.fatal = w("explain.error.linktype", {path, std::to_string(lt)});
            pcap_close(p);
            return in;
        }
        pcap_pkthdr* h = nullptr;
        const u_char* data = nullptr;
        int rc = 0;
        std::size_t reported = 0;
        while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
            ++in.packets;
            auto r = capture::parse_frame(lt, {data, h->caplen}, h->len);
            const std::string where = "packet " + std::to_string(in.packets);
            if (auto* skip = std::get_if<capture::FrameSkip>(&r)) {
                if (*skip == capture::FrameSkip::NotTcp || *skip == capture::FrameSkip::NotIp) ++in.not_tcp;
                else if (++in.unreadable, reported++ < 20) in.problems.push_back(w("explain.error.frame", {path, where, capture::to_string(*skip)}));
                continue;
            }
            auto& o = std::get<capture::Observed>(r);
            o.t_us = static_cast<std::int64_t>(h->ts.tv_sec) * 1000000 + h->ts.tv_usec;
            o.where = where;
            if (o.truncated && reported++ < 20)
                in.problems.push_back(w("explain.error.frame", {path, where, "snapshot length " + std::to_string(h->caplen) + " of " +
                                                                             std::to_string(h->len) + " bytes: the headers are read, the payload is counted from the IP length"}));
            ++in.segments;
            each(std::move(o));
        }
        if (rc == -1) in.problems.push_back(w("explain.error.read", {path, std::to_string(in.packets), pcap_geterr(p)}));
        pcap_close(p);
        return in;
    }
    f.clear();
    f.seekg(0);
    std::ostringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    if (!capture::looks_like_text({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()})) {
        in.fatal = w("explain.error.not_capture", {path});
        return in;
    }
    in.text = true;
    auto r = capture::parse_text(text);
    for (auto& e : r.errors) in.problems.push_back(path + ": " + e);
    in.packets = r.segments.size();
    in.segments = r.segments.size();
    for (auto& o : r.segments) each(std::move(o));
    return in;
}

}  // namespace finwave
