// Steps mode: one process per endpoint executing a sequential script (the
// .case files of the measurements).
#include "runner.hpp"

namespace kr {

// Executes one script step. Returns false when the script must stop.
bool run_step(Endpoint& ep, const std::vector<std::string>& w) {
  const std::string& op = w[0];
  auto arg = [&](size_t i, long dflt) -> long {
    return w.size() > i ? std::strtol(w[i].c_str(), nullptr, 10) : dflt;
  };
  std::string what;
  for (size_t i = 0; i < w.size(); ++i) what += (i ? " " : "") + w[i];
  int64_t t0 = now_us();
  int one = 1;

  if (op == "at") {  // wait until an absolute time (ms since start)
    sleep_until_us(g_t0 + arg(1, 0) * 1000);
    return true;
  }
  if (op == "sleep") {  // relative wait, e.g. "server closes 300 ms after EOF"
    sleep_until_us(t0 + arg(1, 0) * 1000);
    return true;
  }
  if (op == "listen") {
    ep.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(ep.listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(ep, ep.listen_fd);
    sockaddr_in a = make_addr(ep.cfg->server_addr, int(arg(1, ep.cfg->server_port)));
    if (bind(ep.listen_fd, (sockaddr*)&a, sizeof a) != 0 || listen(ep.listen_fd, 16) != 0) {
      log_app(ep, t0, what, err_result(errno));
      return false;
    }
    log_app(ep, t0, what, "0");
    return true;
  }
  if (op == "accept") {
    int fd = accept(ep.listen_fd, nullptr, nullptr);
    if (fd < 0) {
      log_app(ep, t0, what, err_result(errno));
      return false;
    }
    ep.fd = fd;
    log_app(ep, t0, what, "0");
    return true;
  }
  if (op == "close-listener") {
    int rc = close(ep.listen_fd);
    ep.listen_fd = -1;
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    return true;
  }
  if (op == "connect") {
    // The client binds a fixed port so that nftables rules and the report
    // can tell the two directions apart by port alone.
    ep.fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(ep.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(ep, ep.fd);
    sockaddr_in me = make_addr(ep.cfg->client_addr, ep.cfg->client_port);
    if (bind(ep.fd, (sockaddr*)&me, sizeof me) != 0) die("bind client: %s", strerror(errno));
    sockaddr_in peer = make_addr(ep.cfg->server_addr, int(arg(1, ep.cfg->server_port)));
    int rc = connect(ep.fd, (sockaddr*)&peer, sizeof peer);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    return true;  // a refused connect is an expected outcome in some cases
  }
  if (op == "connect-peer") {
    // A new, non-blocking socket from this side's own address and port to
    // the other side's: lets the server aim a SYN at the client's TIME-WAIT
    // socket (the RFC 1337 "TIME-WAIT assassination" experiment).
    bool client = ep.side == 'C';
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    set_cc(ep, fd);
    sockaddr_in me = client ? make_addr(ep.cfg->client_addr, ep.cfg->client_port)
                            : make_addr(ep.cfg->server_addr, ep.cfg->server_port);
    sockaddr_in peer = client ? make_addr(ep.cfg->server_addr, ep.cfg->server_port)
                              : make_addr(ep.cfg->client_addr, ep.cfg->client_port);
    if (bind(fd, (sockaddr*)&me, sizeof me) != 0) {
      log_app(ep, t0, what, "bind " + err_result(errno));
      close(fd);
      return true;
    }
    int rc = connect(fd, (sockaddr*)&peer, sizeof peer);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    ep.fd = fd;
    return true;
  }
  if (op == "send") {
    long n = arg(1, 1);
    std::vector<char> buf(size_t(std::max(1L, n)), 'x');
    long sent = 0;
    int e = 0;
    while (sent < n) {
      ssize_t r = send(ep.fd, buf.data() + sent, size_t(n - sent), MSG_NOSIGNAL);
      if (r < 0) {
        if (errno == EINTR) continue;
        e = errno;
        break;
      }
      sent += r;
    }
    log_app(ep, t0, what, e ? strf("%ld then %s", sent, err_result(e).c_str()) : strf("%ld", sent));
    return true;
  }
  if (op == "read" || op == "read-eof") {
    // read N: until N bytes or EOF; read-eof: until read() returns 0.
    long want = op == "read" ? arg(1, 1) : -1;
    long got = 0;
    char buf[65536];
    std::string res;
    for (;;) {
      ssize_t r = recv(ep.fd, buf, sizeof buf, 0);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        res = strf("%ld then %s", got, err_result(errno).c_str());
        break;
      }
      if (r == 0) {
        res = strf("%ld then EOF", got);
        break;
      }
      got += r;
      if (want >= 0 && got >= want) {
        res = strf("%ld", got);
        break;
      }
    }
    log_app(ep, t0, what, res);
    return true;
  }
  if (op == "read-avail") {  // non-blocking: whatever is queued right now
    char buf[65536];
    ssize_t r = recv(ep.fd, buf, sizeof buf, MSG_DONTWAIT);
    log_app(ep, t0, what, r < 0 ? err_result(errno) : r == 0 ? "0 EOF" : strf("%zd", r));
    return true;
  }
  if (op == "close") {
    int rc = close(ep.fd);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    ep.fd = -1;
    return true;
  }
  if (op == "shutdown-wr" || op == "shutdown-rd" || op == "shutdown-rdwr") {
    int how = op == "shutdown-wr" ? SHUT_WR : op == "shutdown-rd" ? SHUT_RD : SHUT_RDWR;
    int rc = shutdown(ep.fd, how);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    return true;
  }
  if (op == "linger") {  // linger SECONDS; "linger 0" makes close() send RST
    linger l{1, int(arg(1, 0))};
    int rc = setsockopt(ep.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    return true;
  }
  if (op == "nodelay" || op == "quickack" || op == "cork" || op == "uncork") {
    int opt = op == "nodelay" ? TCP_NODELAY : op == "quickack" ? TCP_QUICKACK : TCP_CORK;
    int v = op == "uncork" ? 0 : 1;
    int rc = setsockopt(ep.fd, IPPROTO_TCP, opt, &v, sizeof v);
    log_app(ep, t0, what, rc == 0 ? "0" : err_result(errno));
    return true;
  }
  if (op == "wait-state") {  // wait-state NAME [timeout_ms]: poll own TCP_INFO
    int want = state_from_name(w.size() > 1 ? w[1] : "");
    if (want < 0) die("wait-state: unknown state %s", w.size() > 1 ? w[1].c_str() : "");
    int64_t deadline = t0 + arg(2, 10000) * 1000;
    tcp_info ti{};
    bool ok = false;
    while (now_us() < deadline) {
      if (get_tcp_info(ep.fd, ti) && ti.tcpi_state == want) {
        ok = true;
        break;
      }
      usleep(200);
    }
    log_app(ep, t0, what, ok ? "0" : "timeout");
    return true;
  }
  if (op == "info") {  // log the socket's own view (TCP_INFO)
    tcp_info ti{};
    if (!get_tcp_info(ep.fd, ti)) {
      log_app(ep, t0, what, err_result(errno));
      return true;
    }
    log_app(ep, t0, what,
            strf("state=%s rto=%ums ato=%ums retransmits=%u backoff=%u probes=%u unacked=%u "
                 "snd_mss=%u rcv_mss=%u",
                 state_name(ti.tcpi_state), ti.tcpi_rto / 1000, ti.tcpi_ato / 1000,
                 ti.tcpi_retransmits, ti.tcpi_backoff, ti.tcpi_probes, ti.tcpi_unacked,
                 ti.tcpi_snd_mss, ti.tcpi_rcv_mss));
    return true;
  }
  if (op == "exit") {  // process exit: the kernel closes every descriptor
    log_app(ep, t0, what, "");
    _exit(0);
  }
  if (op == "kill") {  // hard kill: same socket effect as exit, no user cleanup
    log_app(ep, t0, what, "");
    raise(SIGKILL);
  }
  die("unknown script step '%s'", what.c_str());
}

// Validates a script before anything starts, so a typo fails fast.
void check_script(const std::string& script) {
  static const char* known[] = {"at",          "sleep",       "listen",        "accept",
                                "close-listener", "connect",  "connect-peer",  "send",
                                "read",        "read-eof",    "read-avail",    "close",
                                "shutdown-wr", "shutdown-rd", "shutdown-rdwr", "linger",
                                "nodelay",     "quickack",    "cork",          "uncork",
                                "wait-state",  "info",        "exit",          "kill"};
  for (const auto& step : split(script, ';')) {
    auto w = words(trim(step));
    if (w.empty()) continue;
    bool ok = false;
    for (const char* k : known) ok = ok || w[0] == k;
    if (!ok) die("unknown script step '%s'", w[0].c_str());
  }
}


[[noreturn]] void endpoint_main(char side, const Config& cfg, int done_fd) {
  // Die with the parent so an aborted run never leaves sockets behind.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_IGN);
  enter_netns(side == 'C' ? cfg.client_ns : cfg.server_ns);
  if (cfg.mode == "events") events_main(side, cfg, done_fd);
  Endpoint ep{side, &cfg};
  wait_for_start();
  sleep_until_us(g_t0);
  const std::string& script = side == 'C' ? cfg.client_script : cfg.server_script;
  for (const auto& step : split(script, ';')) {
    auto w = words(trim(step));
    if (w.empty()) continue;
    if (!run_step(ep, w)) break;
  }
  // Tell the parent the script is finished, then keep the sockets open:
  // the parent decides when the observation ends and kills us.
  char c = side;
  ssize_t n = write(done_fd, &c, 1);
  (void)n;
  for (;;) pause();
}

}  // namespace kr
