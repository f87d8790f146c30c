// A capture file read into segments: pcap and pcapng through libpcap, text
// (tcpdump -n, Wireshark's packet list) through the capture library.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "finwave/observed.hpp"
#include "finwave/ui_strings.hpp"

namespace finwave {

struct CaptureIn {
    std::size_t segments = 0;     // TCP segments handed to the callback
    std::size_t packets = 0;      // frames in the file (lines for text)
    std::size_t not_tcp = 0;      // frames skipped: not TCP
    std::size_t unreadable = 0;   // frames skipped: cut short or malformed
    std::vector<std::string> problems;  // what and where, worded
    std::string fatal;            // nothing could be read
    bool text = false;
};

// Each TCP segment goes to `each` as it is read: a large file is never held whole.
CaptureIn read_capture(const std::string& path, const i18n::Words& w, const std::function<void(capture::Observed&&)>& each);

}  // namespace finwave
