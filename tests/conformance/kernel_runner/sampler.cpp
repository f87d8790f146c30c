// Sampler: sock_diag dumps, the same data `ss -tanoi` shows.
#include "runner.hpp"

namespace kr {

// ---------------------------------------------------------------------------


const char* timer_name(int t) {
  static const char* n[] = {"off", "on", "keepalive", "timewait", "persist"};
  return t >= 0 && t <= 4 ? n[t] : "unknown";
}

int open_diag_socket() {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) die("netlink socket: %s", strerror(errno));
  return fd;
}

// Dumps all IPv4 TCP sockets of the namespace and keeps those of our
// connection, keyed by side ('C' = local port is the client port, 'S' =
// server port towards the client port; the listener is ignored).
void diag_dump(int nl, const Config& cfg, std::map<char, SockSample>& out) {
  const int64_t began = now_us();
  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 r;
  } req{};
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.r.sdiag_family = AF_INET;
  req.r.sdiag_protocol = IPPROTO_TCP;
  req.r.idiag_states = ~0u;
  req.r.idiag_ext = 1 << (INET_DIAG_INFO - 1);
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (sendto(nl, &req, sizeof req, 0, (sockaddr*)&sa, sizeof sa) < 0)
    die("sock_diag send: %s", strerror(errno));
  alignas(nlmsghdr) static char buf[65536];
  for (;;) {
    ssize_t n = recv(nl, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("sock_diag recv: %s", strerror(errno));
    }
    for (nlmsghdr* h = (nlmsghdr*)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) die("sock_diag error");
      auto* m = (inet_diag_msg*)NLMSG_DATA(h);
      int sport = ntohs(m->id.idiag_sport), dport = ntohs(m->id.idiag_dport);
      char side = 0;
      if (sport == cfg.client_port) side = 'C';
      else if (sport == cfg.server_port && dport == cfg.client_port) side = 'S';
      if (!side) continue;
      SockSample s;
      s.state = m->idiag_state;
      s.timer = m->idiag_timer;
      s.expires_ms = m->idiag_expires;
      s.retrans = m->idiag_retrans;
      s.read_from_us = began;
      s.orphan = m->idiag_inode == 0;
      int len = int(h->nlmsg_len - NLMSG_LENGTH(sizeof *m));
      for (rtattr* a = (rtattr*)(m + 1); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == INET_DIAG_INFO) {
          size_t l = std::min(sizeof s.info, size_t(RTA_PAYLOAD(a)));
          std::memcpy(&s.info, RTA_DATA(a), l);
          s.has_info = true;
        }
      }
      // During the hand-over to a TIME-WAIT mini socket both may be listed
      // for an instant; the mini socket is the one that survives.
      auto it = out.find(side);
      if (it != out.end() && it->second.timer == 3 && s.timer != 3) continue;
      out[side] = s;
    }
  }
}


// fires = the sample's time + the time left; fires_err = how long the dump
// that read it took: the kernel computed the time left somewhere in between,
// so the due time is up to fires_err earlier (a busy machine makes it long).
std::string describe(const SockSample& s, int64_t fire_rel_us, int64_t fire_err_us) {
  std::string out = strf("%s timer=(%s,%ums,%u)", state_name(s.state), timer_name(s.timer),
                         s.expires_ms, s.retrans);
  if (s.timer) out += strf(" fires=%.3f fires_err=%.3f", fire_rel_us / 1000.0, fire_err_us / 1000.0);
  if (s.has_info)
    out += strf(" rto=%ums ato=%ums backoff=%u retransmits=%u probes=%u unacked=%u",
                s.info.tcpi_rto / 1000, s.info.tcpi_ato / 1000, s.info.tcpi_backoff,
                s.info.tcpi_retransmits, s.info.tcpi_probes, s.info.tcpi_unacked);
  // inode 0 also marks a socket still waiting in the accept queue; only
  // after close() (FIN-WAIT-1/2, CLOSING, LAST-ACK) does it mean "orphan".
  bool closing = s.state == 4 || s.state == 5 || s.state == 9 || s.state == 11;
  if (s.orphan && closing && s.timer != 3) out += " orphan";
  return out;
}

// A line is printed when anything but the countdown itself changes, or when
// the due time moved by more than the 4 ms jiffy at HZ=250 plus one sampling
// period of jitter. That is not yet a re-arm: a sample the machine held up
// moves it too, and each line carries its fires_err so that the harness can
// tell the two apart.
bool changed(const Tracked& t, const SockSample& s, int64_t fire_us, int sample_us) {
  const SockSample& o = t.printed;
  if (o.state != s.state || o.timer != s.timer || o.retrans != s.retrans ||
      o.orphan != s.orphan || o.has_info != s.has_info)
    return true;
  if (s.has_info &&
      (o.info.tcpi_rto != s.info.tcpi_rto || o.info.tcpi_ato != s.info.tcpi_ato ||
       o.info.tcpi_backoff != s.info.tcpi_backoff ||
       o.info.tcpi_retransmits != s.info.tcpi_retransmits ||
       o.info.tcpi_probes != s.info.tcpi_probes || o.info.tcpi_unacked != s.info.tcpi_unacked))
    return true;
  // An overdue timer (0 ms left: the timer wheel rounds long timeouts up to
  // its bucket granularity) is reported once, not on every sample.
  if (s.timer && s.expires_ms == 0 && o.expires_ms == 0) return false;
  if (s.timer && std::llabs(fire_us - t.fire_us) > 8000 + 2 * sample_us) return true;
  return false;
}

}  // namespace kr
