// The latency relay (relay.cpp).
#pragma once

#include "runner.hpp"

namespace kr {

// ---------------------------------------------------------------------------
// Latency relay: tun device in the client namespace <-> tun device in the
// server namespace, each packet held for delay_ms. Stands in for netem,
// which this kernel lacks.
// ---------------------------------------------------------------------------


// A relay fault: what netem would do to selected segments. Spec:
//   "dup|delay DIR CLASS FIRST LAST EXTRA_MS"
//   DIR c2s | s2c; CLASS any, or flags joined by '+': syn, fin, rst, ack (no
//   payload, no SYN/FIN/RST), data (payload); FIRST..LAST the matching
//   segments affected (1-based, LAST 0 = every one from FIRST on).
//   dup: a copy arrives EXTRA_MS after the original; delay: the segment
//   itself arrives EXTRA_MS late.
struct RelayFault {
  bool dup = true;
  int dir = 0;  // 0 c2s, 1 s2c
  bool syn = false, fin = false, rst = false, ack = false, data = false;
  uint32_t first = 1, last = 1;
  int64_t extra_us = 0;
  uint32_t matches = 0;
  std::string spec;
};


struct Relay {
  int fd[2];  // [0] client side tun, [1] server side tun
  int64_t delay_us;
  std::atomic<bool> stop{false};
  uint64_t forwarded = 0;
  std::vector<RelayFault> faults;

  // Does a raw IPv4 packet match the fault's class?
  static bool matches(const RelayFault& f, const std::vector<char>& pkt) {
    const auto* p = reinterpret_cast<const uint8_t*>(pkt.data());
    size_t n = pkt.size();
    if (n < 40 || (p[0] >> 4) != 4 || p[9] != IPPROTO_TCP) return false;
    size_t ihl = size_t(p[0] & 15) * 4;
    size_t tot = size_t(p[2] << 8 | p[3]);
    if (n < ihl + 20) return false;
    uint8_t flags = p[ihl + 13];
    size_t doff = size_t(p[ihl + 12] >> 4) * 4;
    bool payload = tot > ihl + doff;
    bool syn = flags & 0x02, fin = flags & 0x01, rst = flags & 0x04;
    if (f.syn && !syn) return false;
    if (f.fin && !fin) return false;
    if (f.rst && !rst) return false;
    if (f.ack && (payload || syn || fin || rst)) return false;
    if (f.data && !payload) return false;
    return true;
  }

  void loop() {
    // Per direction, packets by due time; equal times keep arrival order.
    std::multimap<int64_t, std::vector<char>> q[2];
    std::vector<char> buf(65536);
    while (!stop.load()) {
      int64_t now = now_us();
      for (int d = 0; d < 2; ++d) {
        while (!q[d].empty() && q[d].begin()->first <= now) {
          const auto& pkt = q[d].begin()->second;
          ssize_t n = write(fd[1 - d], pkt.data(), pkt.size());
          (void)n;
          ++forwarded;
          q[d].erase(q[d].begin());
        }
      }
      int64_t wait = 10000;  // re-check the stop flag at least every 10 ms
      for (int d = 0; d < 2; ++d)
        if (!q[d].empty()) wait = std::min(wait, q[d].begin()->first - now);
      if (wait < 0) wait = 0;
      pollfd p[2] = {{fd[0], POLLIN, 0}, {fd[1], POLLIN, 0}};
      timespec ts{wait / 1000000, (wait % 1000000) * 1000};
      if (ppoll(p, 2, &ts, nullptr) <= 0) continue;
      for (int d = 0; d < 2; ++d) {
        if (!(p[d].revents & POLLIN)) continue;
        for (;;) {
          ssize_t n = read(fd[d], buf.data(), buf.size());
          if (n <= 0) break;
          std::vector<char> pkt(buf.begin(), buf.begin() + n);
          int64_t due = now_us() + delay_us;
          for (auto& f : faults) {
            if (f.dir != d || !matches(f, pkt)) continue;
            uint32_t k = ++f.matches;
            if (k < f.first || (f.last != 0 && k > f.last)) continue;
            if (f.dup) {
              q[d].emplace(due + f.extra_us, pkt);
              emit(strf("# relay: %s, match %u: a copy arrives %.3f ms late", f.spec.c_str(), k,
                        f.extra_us / 1000.0));
            } else {
              due += f.extra_us;
              emit(strf("# relay: %s, match %u: delayed by %.3f ms", f.spec.c_str(), k,
                        f.extra_us / 1000.0));
            }
          }
          q[d].emplace(due, std::move(pkt));
        }
      }
    }
  }
};

int open_tun(const std::string& name);
RelayFault parse_relay_fault(const std::string& spec);

}  // namespace kr
