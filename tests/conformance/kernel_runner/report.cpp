#include <pcap/pcap.h>

#include <filesystem>

#include "runner.hpp"

namespace kr {

// ---------------------------------------------------------------------------
// report: pcap files + event log -> normalized trace
// ---------------------------------------------------------------------------

struct Segment {
  int64_t t_us;  // realtime
  uint32_t saddr, daddr;
  int sport, dport;
  uint32_t seq, ack;
  uint8_t flags;
  int len;
  uint16_t win;
  std::string opts;
  bool dropped = false;
};

uint16_t rd16be(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t rd32be(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

// Parses an IPv4+TCP packet; returns false for anything else.
bool parse_ip_tcp(const uint8_t* p, size_t n, int64_t t, Segment& s) {
  if (n < 20 || (p[0] >> 4) != 4) return false;
  size_t ihl = size_t(p[0] & 15) * 4;
  size_t tot = rd16be(p + 2);
  if (p[9] != IPPROTO_TCP || n < ihl + 20) return false;
  const uint8_t* th = p + ihl;
  size_t doff = size_t(th[12] >> 4) * 4;
  s = Segment{};
  s.t_us = t;
  s.saddr = rd32be(p + 12);
  s.daddr = rd32be(p + 16);
  s.sport = rd16be(th);
  s.dport = rd16be(th + 2);
  s.seq = rd32be(th + 4);
  s.ack = rd32be(th + 8);
  s.flags = th[13];
  s.win = rd16be(th + 14);
  // Length from the IP header: the capture itself is truncated by snaplen.
  s.len = int(tot) - int(ihl) - int(doff);
  // Options matter on SYNs (MSS, SACK, window scale, timestamps).
  if (s.flags & 0x02) {
    size_t i = 20, end = std::min(doff, n - ihl);
    while (i < end) {
      uint8_t kind = th[i];
      if (kind == 0) break;
      if (kind == 1) {
        ++i;
        continue;
      }
      if (i + 1 >= end || th[i + 1] < 2) break;
      uint8_t l = th[i + 1];
      std::string o;
      if (kind == 2 && l == 4) o = strf("mss=%u", rd16be(th + i + 2));
      else if (kind == 3 && l == 3) o = strf("ws=%u", th[i + 2]);
      else if (kind == 4) o = "sack";
      else if (kind == 8) o = "ts";
      else o = strf("opt%u", kind);
      s.opts += (s.opts.empty() ? "" : ",") + o;
      i += l;
    }
  }
  return true;
}

// Reads a capture that tcpdump wrote, with libpcap (pcap or pcapng, micro-
// or nanosecond stamps). Link types: the loopback's Ethernet framing, raw
// IP (tun), Linux cooked v1/v2 and NFLOG (tcpdump -i nflog:N, used to
// record which segments nftables dropped).
std::vector<Segment> read_pcap(const std::string& path) {
  std::vector<Segment> out;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) die("open %s: %s", path.c_str(), ec.message().c_str());
  if (size == 0) return out;  // tcpdump stopped before it wrote a header: nothing seen
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t* capture = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!capture) die("%s: %s", path.c_str(), errbuf);
  const int linktype = pcap_datalink(capture);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int got;
  while ((got = pcap_next_ex(capture, &header, &data)) == 1) {
    int64_t t = int64_t(header->ts.tv_sec) * 1000000 + header->ts.tv_usec;
    const uint8_t* p = data;
    size_t n = header->caplen;
    size_t off = 0;
    if (linktype == DLT_EN10MB) {  // Ethernet (Linux lo)
      if (n < 14 || rd16be(p + 12) != 0x0800) continue;
      off = 14;
    } else if (linktype == DLT_RAW || linktype == 12 || linktype == 14) {  // raw IP, under each of its numbers
      off = 0;
    } else if (linktype == DLT_LINUX_SLL) {  // Linux cooked v1
      if (n < 16 || rd16be(p + 14) != 0x0800) continue;
      off = 16;
    } else if (linktype == DLT_LINUX_SLL2) {  // Linux cooked v2
      if (n < 20 || rd16be(p) != 0x0800) continue;
      off = 20;
    } else if (linktype == DLT_NFLOG) {  // NFLOG: 4-byte header then TLVs (host order)
      size_t i = 4;
      bool found = false;
      while (i + 4 <= n) {
        uint16_t tl, tt;
        std::memcpy(&tl, p + i, 2);
        std::memcpy(&tt, p + i + 2, 2);
        if (tl < 4) break;
        if ((tt & 0x7fff) == 9) {  // NFULA_PAYLOAD
          off = i + 4;
          n = std::min(n, i + tl);
          found = true;
          break;
        }
        i += (tl + 3u) & ~3u;
      }
      if (!found) continue;
    } else {
      pcap_close(capture);
      die("%s: unsupported link type %d", path.c_str(), linktype);
    }
    Segment s;
    if (off <= n && parse_ip_tcp(p + off, n - off, t, s)) out.push_back(s);
  }
  // A capture cut short (tcpdump killed mid-write) keeps what it read.
  if (got == PCAP_ERROR) std::fprintf(stderr, "kernel_runner: %s: %s (read %zu segments)\n", path.c_str(), pcap_geterr(capture), out.size());
  pcap_close(capture);
  return out;
}

std::string flag_letters(uint8_t f) {
  // Order and letters as requested for FinWave traces: S F R P A (+U E W).
  std::string s;
  if (f & 0x02) s += 'S';
  if (f & 0x01) s += 'F';
  if (f & 0x04) s += 'R';
  if (f & 0x08) s += 'P';
  if (f & 0x10) s += 'A';
  if (f & 0x20) s += 'U';
  if (f & 0x40) s += 'E';
  if (f & 0x80) s += 'W';
  return s.empty() ? "." : s;
}

int cmd_report(const std::string& events_path, const std::vector<std::string>& pcaps,
               const std::vector<std::string>& drop_pcaps, bool show_win) {
  FILE* f = std::fopen(events_path.c_str(), "r");
  if (!f) die("open %s: %s", events_path.c_str(), strerror(errno));
  int64_t t0 = 0, t_end = INT64_MAX;
  std::string end_extra;  // sampler statistics
  int cport = 40000;
  struct Line {
    int64_t t;
    int order;  // ties: app call, then segment, then state sample
    std::string text;
  };
  std::vector<Line> lines;
  std::vector<std::string> header;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, f)) {
    std::string l = trim(buf);
    auto w = words(l);
    if (w.empty()) continue;
    if (w[0] == "start_realtime_us") t0 = std::strtoll(w[1].c_str(), nullptr, 10);
    else if (w[0] == "ports") std::sscanf(l.c_str(), "ports client=%d", &cport);
    else if (w[0] == "end") {
      t_end = std::strtoll(w[1].c_str(), nullptr, 10);
      for (size_t i = 2; i < w.size(); ++i) end_extra += " " + w[i];
    }
    if ((w[0] == "app" || w[0] == "state") && w.size() >= 3) {
      int64_t t = std::strtoll(w[1].c_str(), nullptr, 10);
      std::string rest = l.substr(l.find(w[1]) + w[1].size());
      lines.push_back({t, w[0] == "app" ? 0 : 2,
                       strf("%10.3f %-5s", t / 1000.0, w[0].c_str()) + rest});
    } else if (w[0] != "#" && w[0] != "done" && w[0] != "end") {
      header.push_back(l);
    }
  }
  std::fclose(f);

  std::vector<Segment> segs;
  for (const auto& p : pcaps) {
    auto v = read_pcap(p);
    segs.insert(segs.end(), v.begin(), v.end());
  }
  std::stable_sort(segs.begin(), segs.end(),
                   [](const Segment& a, const Segment& b) { return a.t_us < b.t_us; });
  // Mark dropped segments. With drops at the receiver's input hook
  // (loopback mode) the sender-side capture holds the segment: each NFLOG
  // record is matched to the latest identical segment captured before it.
  // With drops at the sender's output hook (relay mode) the capture never
  // saw it, so the NFLOG copy itself is inserted.
  std::vector<Segment> unmatched;
  for (const auto& dp : drop_pcaps) {
    for (const Segment& d : read_pcap(dp)) {
      Segment* best = nullptr;
      for (auto& s : segs) {
        if (s.t_us > d.t_us + 5000) break;
        if (!s.dropped && s.sport == d.sport && s.dport == d.dport && s.seq == d.seq &&
            s.ack == d.ack && s.flags == d.flags && s.len == d.len)
          best = &s;
      }
      if (best) {
        best->dropped = true;
      } else {
        unmatched.push_back(d);
        unmatched.back().dropped = true;
      }
    }
  }
  segs.insert(segs.end(), unmatched.begin(), unmatched.end());
  std::stable_sort(segs.begin(), segs.end(),
                   [](const Segment& a, const Segment& b) { return a.t_us < b.t_us; });

  // Relative sequence numbers, Wireshark style: each side's ISN is taken
  // from its SYN. A client SYN with a new ISN starts a new connection. A
  // bare SYN from the server side while a connection is known is a new
  // attempt aimed at the old one (TIME-WAIT experiments): its own sequence
  // number is shown as "new-isn" and the old numbering is kept, because the
  // answers it provokes (ACK from TIME-WAIT, RST) use the old numbers.
  std::optional<uint32_t> isn_c, isn_s, foreign_isn;
  uint32_t high_c = 0, high_s = 0;  // highest sequence end seen (to flag retransmissions)
  for (const auto& s : segs) {
    if (s.t_us - t0 > t_end) continue;
    bool from_client = s.sport == cport;
    auto& my_isn = from_client ? isn_c : isn_s;
    auto& peer_isn = from_client ? isn_s : isn_c;
    uint32_t& high = from_client ? high_c : high_s;
    bool syn = s.flags & 0x02;
    bool foreign_syn = false;
    if (syn && !(s.flags & 0x10) && from_client) {  // new connection attempt
      if (!isn_c || *isn_c != s.seq) {
        isn_s.reset();
        high_s = 0;
        high_c = 0;
      }
      isn_c = s.seq;
    } else if (syn && !(s.flags & 0x10) && isn_s && *isn_s != s.seq) {
      foreign_syn = true;
    } else if (syn) {
      if (!my_isn || *my_isn != s.seq) high = 0;
      my_isn = s.seq;
    }
    if (foreign_syn) foreign_isn = s.seq;
    if (foreign_syn) {
      std::string text = strf("%10.3f seg   S>C %-4s seq=new-isn ack=0 len=%d",
                              (s.t_us - t0) / 1000.0, flag_letters(s.flags).c_str(), s.len);
      if (!s.opts.empty()) text += " " + s.opts;
      if (s.dropped) text += " DROPPED";
      lines.push_back({s.t_us - t0, 1, text});
      continue;
    }
    // The answer of a socket-less client to such a SYN: RST+ACK with
    // seq 0 and ack = that SYN + 1.
    if (from_client && foreign_isn && (s.flags & 0x14) == 0x14 && s.ack == *foreign_isn + 1) {
      std::string text = strf("%10.3f seg   C>S %-4s seq=%u(abs) ack=new-isn+1 len=%d",
                              (s.t_us - t0) / 1000.0, flag_letters(s.flags).c_str(), s.seq, s.len);
      if (s.dropped) text += " DROPPED";
      lines.push_back({s.t_us - t0, 1, text});
      continue;
    }
    uint32_t rseq = my_isn ? s.seq - *my_isn : s.seq;
    uint32_t rack = peer_isn ? s.ack - *peer_isn : s.ack;
    uint32_t end = rseq + uint32_t(s.len) + (syn ? 1 : 0) + ((s.flags & 0x01) ? 1 : 0);
    bool retx = end > rseq && my_isn && int32_t(end - high) <= 0 && high != 0;
    if (my_isn && int32_t(end - high) > 0) high = end;
    std::string text = strf("%10.3f seg   %s %-4s seq=%u%s ack=%u%s len=%d",
                            (s.t_us - t0) / 1000.0, from_client ? "C>S" : "S>C",
                            flag_letters(s.flags).c_str(), rseq, my_isn ? "" : "(abs)",
                            (s.flags & 0x10) ? rack : 0,
                            (s.flags & 0x10) && !peer_isn ? "(abs)" : "", s.len);
    if (show_win) text += strf(" win=%u", s.win);
    if (!s.opts.empty()) text += " " + s.opts;
    if (retx) text += " retransmission";
    if (s.dropped) text += " DROPPED";
    lines.push_back({s.t_us - t0, 1, text});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.t != b.t ? a.t < b.t : a.order < b.order;
  });
  std::printf("# finwave linux trace v1 (t = ms since start, microsecond resolution)\n");
  for (const auto& h : header) std::printf("# %s\n", h.c_str());
  for (const auto& l : lines)
    if (l.t <= t_end) std::printf("%s\n", l.text.c_str());
  if (t_end != INT64_MAX) std::printf("%10.3f end%s\n", t_end / 1000.0, end_extra.c_str());
  return 0;
}

}  // namespace kr
