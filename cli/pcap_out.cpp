#include "pcap_out.hpp"

#include <cstdio>
#include <filesystem>

#include <pcap/pcap.h>

namespace finwave {

namespace {

// tcpdump's default snapshot length: whole frames are kept.
constexpr int kSnaplen = 262144;

std::string frame_error_text(const capture::CaptureError& e) {
    return "segment #" + std::to_string(e.seg_id) + " carries " + std::to_string(e.frame.value) + " bytes, more than one IP packet holds (" +
           std::to_string(e.frame.limit) + ")";
}

}  // namespace

std::string write_pcap(const std::string& path, const std::vector<TraceEvent>& trace, const capture::CaptureOptions& options,
                       std::size_t& frames_written) {
    frames_written = 0;
    // Frames first: a run that cannot be captured leaves no file behind.
    auto frames = capture::capture_frames(trace, options);
    if (auto* err = std::get_if<capture::CaptureError>(&frames)) return "cannot capture this run: " + frame_error_text(*err);

    // The virtual clock counts microseconds: microsecond pcap, the format every reader takes.
    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, kSnaplen, PCAP_TSTAMP_PRECISION_MICRO);
    if (!dead) return "cannot start a pcap file (libpcap)";
    pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
    if (!dumper) {
        // libpcap's message names the file: "x.pcap: Permission denied".
        std::string why = pcap_geterr(dead);
        pcap_close(dead);
        return "cannot write the capture: " + why;
    }
    for (const auto& f : std::get<std::vector<capture::CapturedFrame>>(frames)) {
        pcap_pkthdr header{};
        header.ts.tv_sec = static_cast<time_t>(f.t.us / 1000000);
        header.ts.tv_usec = static_cast<suseconds_t>(f.t.us % 1000000);
        header.caplen = header.len = static_cast<bpf_u_int32>(f.bytes.size());
        pcap_dump(reinterpret_cast<u_char*>(dumper), &header, f.bytes.data());
        ++frames_written;
    }
    // pcap_dump cannot report a failed write; the flush and the close can.
    const bool flushed = pcap_dump_flush(dumper) == 0;
    FILE* file = pcap_dump_file(dumper);
    const bool file_error = file && std::ferror(file);
    pcap_dump_close(dumper);
    pcap_close(dead);
    if (!flushed || file_error) {
        if (path != "-") std::filesystem::remove(path);
        return "cannot write the capture: " + path + ": the write failed (disk full?)";
    }
    return "";
}

}  // namespace finwave
