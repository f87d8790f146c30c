// Writes a run's capture as a pcap file with libpcap, as tcpdump -w does.
#pragma once

#include <string>

#include "finwave/capture.hpp"

namespace finwave {

// "-" writes to standard output. Returns "" or what went wrong, naming the
// file (the output of an unfinished write is removed).
std::string write_pcap(const std::string& path, const std::vector<TraceEvent>& trace, const capture::CaptureOptions& options,
                       std::size_t& frames_written);

}  // namespace finwave
