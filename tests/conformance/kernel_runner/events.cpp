#include "runner.hpp"

namespace kr {

// ---------------------------------------------------------------------------
// Events mode: a FinWave scenario's application, call for call.
//
// A scenario says what each application does at fixed times ("at 200ms
// client close") and in answer to what it sees ("on server eof +300ms server
// close"), and its applications read whatever arrives unless told otherwise
// (autoread). A sequential script cannot express that, so in this mode each
// endpoint runs an event loop: timed calls, reading as data arrives, and
// triggers on EOF, ECONNRESET or a state of its own connection (watched
// through sock_diag, so CLOSED after TIME-WAIT is seen too). A trigger whose
// call belongs to the other side is passed to it over a socketpair.
//
// Items, separated by ';' (LINE is the scenario line, logged with the call
// so the harness can pair kernel and engine calls):
//   LINE: at MS CALL            MS may have decimals
//   LINE: on eof +MS WHO CALL   WHO = self | peer
//   LINE: on reset +MS WHO CALL
//   LINE: on state STATE +MS WHO CALL   STATE as ss spells it; CLOSED = gone
// Calls: listen | connect | send N | read [N] | close | shutdown | abort |
//   exit | crash | never-close | autoread on|off | nodelay |
//   keepalive IDLE_S INTVL_S PROBES
// ---------------------------------------------------------------------------

struct EvItem {
  int line = 0;
  bool timed = true;
  double ms = 0;               // at: absolute; on: delay
  std::string event;           // on: "eof", "reset" or a state name
  bool peer = false;           // on: the other side performs the call
  std::vector<std::string> call;
  bool fired = false;
};

std::vector<EvItem> parse_events_script(const std::string& script) {
  std::vector<EvItem> out;
  for (const auto& raw : split(script, ';')) {
    std::string item = trim(raw);
    if (item.empty()) continue;
    size_t colon = item.find(':');
    if (colon == std::string::npos) die("events item without 'LINE:': '%s'", item.c_str());
    EvItem it;
    it.line = std::atoi(item.substr(0, colon).c_str());
    auto w = words(item.substr(colon + 1));
    size_t i = 0;
    auto need = [&](const char* what) -> const std::string& {
      if (i >= w.size()) die("events item '%s': expected %s", item.c_str(), what);
      return w[i++];
    };
    const std::string& kind = need("at or on");
    if (kind == "at") {
      it.timed = true;
      it.ms = std::strtod(need("a time in ms").c_str(), nullptr);
    } else if (kind == "on") {
      it.timed = false;
      it.event = need("an event");
      if (it.event == "state") it.event = need("a state name");
      const std::string& d = need("+MS");
      if (d.empty() || d[0] != '+') die("events item '%s': expected +MS", item.c_str());
      it.ms = std::strtod(d.c_str() + 1, nullptr);
      const std::string& who = need("self or peer");
      if (who != "self" && who != "peer") die("events item '%s': expected self or peer", item.c_str());
      it.peer = who == "peer";
    } else {
      die("events item '%s': expected at or on", item.c_str());
    }
    it.call.assign(w.begin() + long(i), w.end());
    if (it.call.empty()) die("events item '%s': no call", item.c_str());
    static const char* known[] = {"listen", "connect", "send",  "read",        "close",    "shutdown",
                                  "abort",  "exit",    "crash", "never-close", "autoread", "nodelay",
                                  "keepalive"};
    bool ok = false;
    for (const char* k : known) ok = ok || it.call[0] == k;
    if (!ok) die("events item '%s': unknown call '%s'", item.c_str(), it.call[0].c_str());
    out.push_back(it);
  }
  return out;
}

void check_events_script(const std::string& script) { (void)parse_events_script(script); }

std::string join_words(const std::vector<std::string>& w) {
  std::string s;
  for (size_t i = 0; i < w.size(); ++i) s += (i ? " " : "") + w[i];
  return s;
}

struct EventEndpoint {
  char side = 'C';
  const Config* cfg = nullptr;
  int listen_fd = -1;
  int fd = -1;
  bool autoread = true;
  bool never_close = false;
  bool nodelay = false;
  int keepalive[3] = {0, 0, 0};  // idle s, interval s, probes; 0 = off
  bool eof_seen = false;
  bool reset_seen = false;
  bool watch_conn = false;  // poll the connection for data / errors
  std::vector<std::string> fired_events;  // filled by calls and reads, consumed by the loop
};

void ev_log(const EventEndpoint& ep, int64_t t0, const std::string& what, const std::string& res) {
  Endpoint shim{ep.side, ep.cfg};
  log_app(shim, t0, what, res);
}

// Reads what is there without blocking (at most `limit` bytes, 0 = all) and
// notices EOF and ECONNRESET the way read() reports them.
void ev_read(EventEndpoint& ep, int64_t t0, const std::string& what, long limit) {
  if (ep.fd < 0) {
    ev_log(ep, t0, what, err_result(EBADF));
    return;
  }
  char buf[65536];
  long got = 0;
  std::string res;
  for (;;) {
    size_t want = sizeof buf;
    if (limit > 0) want = size_t(std::min<long>(long(sizeof buf), limit - got));
    if (limit > 0 && got >= limit) {
      // Exactly what was asked for: EOF still counts if nothing follows it.
      char c;
      if (recv(ep.fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) == 0 && !ep.eof_seen) {
        ep.eof_seen = true;
        ep.fired_events.push_back("eof");
        res = strf("%ld then EOF", got);
      }
      break;
    }
    ssize_t r = recv(ep.fd, buf, want, MSG_DONTWAIT);
    if (r > 0) {
      got += r;
      continue;
    }
    if (r == 0) {
      if (!ep.eof_seen) {
        ep.eof_seen = true;
        ep.fired_events.push_back("eof");
      }
      res = strf("%ld then EOF", got);
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (errno == ECONNRESET && !ep.reset_seen) {
      ep.reset_seen = true;
      ep.fired_events.push_back("reset");
    }
    res = strf("%ld then %s", got, err_result(errno).c_str());
    ep.watch_conn = false;
    break;
  }
  if (res.empty()) res = strf("%ld", got);
  if (got > 0 || res != "0") ev_log(ep, t0, what, res);
}

void ev_set_socket_options(const EventEndpoint& ep, int fd) {
  int one = 1;
  if (ep.nodelay) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (ep.keepalive[0] > 0) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &ep.keepalive[0], sizeof(int));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &ep.keepalive[1], sizeof(int));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &ep.keepalive[2], sizeof(int));
  }
}

void ev_call(EventEndpoint& ep, const EvItem& item) {
  const auto& w = item.call;
  const std::string& op = w[0];
  std::string what = strf("L%d ", item.line) + join_words(w);
  int64_t t0 = now_us();
  int one = 1;
  Endpoint shim{ep.side, ep.cfg};
  auto arg = [&](size_t i, long d) { return w.size() > i ? std::strtol(w[i].c_str(), nullptr, 10) : d; };

  if (op == "listen") {
    ep.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(ep.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(shim, ep.listen_fd);
    sockaddr_in a = make_addr(ep.cfg->server_addr, ep.cfg->server_port);
    if (bind(ep.listen_fd, (sockaddr*)&a, sizeof a) != 0 || listen(ep.listen_fd, 16) != 0) {
      ev_log(ep, t0, what, err_result(errno));
      close(ep.listen_fd);
      ep.listen_fd = -1;
      return;
    }
    ev_log(ep, t0, what, "0");
  } else if (op == "connect") {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(shim, fd);
    ev_set_socket_options(ep, fd);
    sockaddr_in me = make_addr(ep.cfg->client_addr, ep.cfg->client_port);
    if (bind(fd, (sockaddr*)&me, sizeof me) != 0) {
      ev_log(ep, t0, what, "bind " + err_result(errno));
      close(fd);
      return;
    }
    sockaddr_in peer = make_addr(ep.cfg->server_addr, ep.cfg->server_port);
    int rc = connect(fd, (sockaddr*)&peer, sizeof peer);
    ev_log(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    if (rc != 0) {
      close(fd);
      return;
    }
    ep.fd = fd;
    ep.eof_seen = ep.reset_seen = false;
    ep.watch_conn = true;
  } else if (op == "send") {
    long n = arg(1, 1);
    std::vector<char> buf(size_t(std::max(1L, n)), 'x');
    long sent = 0;
    int e = ep.fd < 0 ? EBADF : 0;
    while (!e && sent < n) {
      ssize_t r = send(ep.fd, buf.data() + sent, size_t(n - sent), MSG_NOSIGNAL);
      if (r < 0) {
        if (errno == EINTR) continue;
        e = errno;
        break;
      }
      sent += r;
    }
    ev_log(ep, t0, what, e ? strf("%ld then %s", sent, err_result(e).c_str()) : strf("%ld", sent));
  } else if (op == "read") {
    ev_read(ep, t0, what, arg(1, 0));
  } else if (op == "close" || op == "abort" || op == "crash") {
    if (op == "close" && ep.never_close) {
      ev_log(ep, t0, what, "ignored (never-close)");
      return;
    }
    if (op == "crash") {
      // The host loses all TCP state and sends nothing. TCP_REPAIR (the
      // checkpoint/restore mode, CAP_NET_ADMIN) makes close() drop the
      // connection silently: no FIN, no RST, as after a power cut.
      std::string res = "0";
      if (ep.fd >= 0 && setsockopt(ep.fd, IPPROTO_TCP, TCP_REPAIR, &one, sizeof one) != 0)
        res = "TCP_REPAIR " + err_result(errno);
      if (ep.fd >= 0) close(ep.fd);
      if (ep.listen_fd >= 0) close(ep.listen_fd);
      ep.fd = ep.listen_fd = -1;
      ep.autoread = true;
      ep.never_close = false;
      ep.watch_conn = false;
      ev_log(ep, t0, what, res);
      return;
    }
    if (ep.fd < 0) {
      // close() with no connection closes the listening socket, as the
      // engine's close() does.
      if (ep.listen_fd >= 0 && op == "close") {
        close(ep.listen_fd);
        ep.listen_fd = -1;
        ev_log(ep, t0, what, "0 (listener)");
      } else {
        ev_log(ep, t0, what, err_result(EBADF));
      }
      return;
    }
    if (op == "abort") {
      linger l{1, 0};
      setsockopt(ep.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    int rc = close(ep.fd);
    ep.fd = -1;
    ep.watch_conn = false;
    ev_log(ep, t0, what, rc == 0 ? "0" : err_result(errno));
  } else if (op == "shutdown") {
    int rc = ep.fd < 0 ? (errno = EBADF, -1) : shutdown(ep.fd, SHUT_WR);
    ev_log(ep, t0, what, rc == 0 ? "0" : err_result(errno));
  } else if (op == "exit") {
    // The process ends: the kernel closes every descriptor (FIN, or RST
    // where data is unread), the listener too.
    ev_log(ep, t0, what, "");
    _exit(0);
  } else if (op == "never-close") {
    ep.never_close = true;
    ev_log(ep, t0, what, "0");
  } else if (op == "autoread") {
    ep.autoread = w.size() < 2 || w[1] != "off";
    ev_log(ep, t0, what, "0");
    if (ep.autoread && ep.fd >= 0 && !ep.eof_seen && !ep.reset_seen) ev_read(ep, t0, "autoread", 0);
  } else if (op == "keepalive") {  // keepalive IDLE_S INTVL_S PROBES (sockets made from now on)
    ep.keepalive[0] = int(arg(1, 0));
    ep.keepalive[1] = int(arg(2, 75));
    ep.keepalive[2] = int(arg(3, 9));
    if (ep.fd >= 0) ev_set_socket_options(ep, ep.fd);
    ev_log(ep, t0, what, "0");
  } else if (op == "nodelay") {
    ep.nodelay = true;
    if (ep.fd >= 0) ev_set_socket_options(ep, ep.fd);
    ev_log(ep, t0, what, "0");
  } else {
    die("unknown call '%s'", op.c_str());
  }
}

[[noreturn]] void events_main(char side, const Config& cfg, int done_fd) {
  (void)done_fd;
  // A real-time priority below the sampler's and the relay's: on a busy
  // 2-core machine a call "at 200 ms" then happens within a fraction of a
  // millisecond, so two close() calls meant to cross still cross. Failure is
  // not fatal, only less precise.
  sched_param sp{};
  sp.sched_priority = 5;
  sched_setscheduler(0, SCHED_FIFO, &sp);
  EventEndpoint ep;
  ep.side = side;
  ep.cfg = &cfg;
  std::vector<EvItem> items =
      parse_events_script(side == 'C' ? cfg.client_script : cfg.server_script);
  const int peer = g_peer_fd[side == 'C' ? 0 : 1];
  struct Due {
    int64_t at;
    uint64_t order;
    EvItem item;
  };
  std::vector<Due> due;
  uint64_t order = 0;
  bool state_triggers = false;
  wait_for_start();
  for (const auto& it : items) {
    if (it.timed) due.push_back({g_t0 + int64_t(it.ms * 1000), order++, it});
    if (!it.timed && it.event != "eof" && it.event != "reset") state_triggers = true;
  }
  int diag = state_triggers ? open_diag_socket() : -1;
  std::string conn_state;  // last observed state of our connection ("" = never seen)

  auto fire = [&](const std::string& ev) {
    for (auto& it : items) {
      if (it.timed || it.fired || it.event != ev) continue;
      it.fired = true;
      int64_t delay = int64_t(it.ms * 1000);
      if (it.peer) {
        std::string msg = strf("%" PRId64 " %d ", delay, it.line) + join_words(it.call);
        ssize_t n = send(peer, msg.data(), msg.size(), 0);
        (void)n;
      } else {
        due.push_back({now_us() + delay, order++, it});
      }
    }
  };

  sleep_until_us(g_t0);
  for (;;) {
    // Calls that are due, in time order (ties: script order).
    for (;;) {
      int64_t now = now_us();
      auto next = std::min_element(due.begin(), due.end(), [](const Due& a, const Due& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
      });
      if (next == due.end() || next->at > now) break;
      EvItem item = next->item;
      due.erase(next);
      ev_call(ep, item);
    }
    for (size_t k = 0; k < ep.fired_events.size(); ++k) fire(ep.fired_events[k]);
    ep.fired_events.clear();

    int64_t now = now_us();
    int64_t wait_us = 20000;
    for (const auto& d : due) wait_us = std::min(wait_us, d.at - now);
    if (diag >= 0) wait_us = std::min<int64_t>(wait_us, 1000);
    if (wait_us < 0) wait_us = 0;
    pollfd p[3] = {{-1, 0, 0}, {-1, 0, 0}, {peer, POLLIN, 0}};
    if (ep.listen_fd >= 0 && ep.fd < 0) p[0] = {ep.listen_fd, POLLIN, 0};
    if (ep.fd >= 0 && ep.watch_conn)
      p[1] = {ep.fd, short(ep.autoread && !ep.eof_seen ? POLLIN : 0), 0};
    timespec ts{wait_us / 1000000, (wait_us % 1000000) * 1000};
    int n = ppoll(p, 3, &ts, nullptr);
    if (n > 0) {
      if (p[0].revents & POLLIN) {
        int fd = accept4(ep.listen_fd, nullptr, nullptr, 0);
        if (fd >= 0) {
          ev_set_socket_options(ep, fd);
          ep.fd = fd;
          ep.eof_seen = ep.reset_seen = false;
          ep.watch_conn = true;
          ev_log(ep, now_us(), "accept", "0");
        }
      }
      if (p[1].revents & POLLIN) {
        ev_read(ep, now_us(), "autoread", 0);
      } else if (p[1].revents & (POLLERR | POLLHUP)) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(ep.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err == ECONNRESET && !ep.reset_seen) {
          ep.reset_seen = true;
          ep.fired_events.push_back("reset");
        }
        ev_log(ep, now_us(), "poll", err ? err_result(err) : "hangup");
        ep.watch_conn = false;
      }
      if (p[2].revents & POLLIN) {
        char buf[512];
        ssize_t r = recv(peer, buf, sizeof buf - 1, 0);
        if (r > 0) {
          buf[r] = 0;
          auto w = words(buf);
          if (w.size() >= 3) {
            EvItem it;
            it.line = std::atoi(w[1].c_str());
            it.call.assign(w.begin() + 2, w.end());
            due.push_back({now_us() + std::strtoll(w[0].c_str(), nullptr, 10), order++, it});
          }
        }
      }
    }
    if (diag >= 0) {
      std::map<char, SockSample> cur;
      diag_dump(diag, cfg, cur);
      auto it = cur.find(side);
      std::string st;
      if (it != cur.end()) st = it->second.state == 7 ? "CLOSED" : state_name(it->second.state);
      else if (!conn_state.empty()) st = "CLOSED";
      if (st == "SYN-RECV") st = "SYN-RECEIVED";
      if (!st.empty() && st != conn_state) {
        conn_state = st;
        ep.fired_events.push_back(st);
      }
    }
  }
}

}  // namespace kr
