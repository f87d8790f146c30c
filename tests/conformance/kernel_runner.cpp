// kernel_runner: drive real Linux TCP sockets through a timed script and
// record what the kernel does, so FinWave's `linux` profile can be checked
// against the real thing segment by segment and timer by timer.
//
// Two sub-commands:
//
//   kernel_runner run    ...  forks a client and a server process that execute
//                              a timed script of socket calls (--mode steps,
//                              the .case files) or a FinWave scenario's calls
//                              and triggers (--mode events, see "Events
//                              mode"), samples every socket of the connection
//                              through sock_diag (the interface `ss` uses, so
//                              orphaned sockets after close() are visible
//                              too) and writes an event log. With --delay-ms
//                              it also relays packets between two tun devices
//                              to add a one-way latency (this kernel has no
//                              netem), and can duplicate or delay selected
//                              segments on the way (--relay-fault).
//   kernel_runner report ...  merges that event log with tcpdump captures
//                              into one normalized, time-sorted trace.
//
// Plain C++17 and Linux/POSIX interfaces only; run-kernel.sh sets up the
// namespaces, sysctls, nftables drops and tcpdump around it.

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// All timestamps are CLOCK_REALTIME microseconds because that is the clock
// tcpdump stamps packets with; using it everywhere lets the report merge
// the capture and our own events without any clock conversion.
int64_t now_us() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void sleep_until_us(int64_t t_us) {
  timespec ts{};
  ts.tv_sec = t_us / 1000000;
  ts.tv_nsec = (t_us % 1000000) * 1000;
  while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

[[noreturn]] void die(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::fprintf(stderr, "kernel_runner: ");
  std::vfprintf(stderr, fmt, ap);
  std::fprintf(stderr, "\n");
  va_end(ap);
  std::exit(2);
}

std::string strf(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// One shared, O_APPEND event log: the client, the server and the sampler all
// write whole lines with a single write(), which the kernel keeps atomic for
// appends, so lines never interleave.
int g_events_fd = -1;
int64_t g_t0 = 0;

void emit(const std::string& line) {
  std::string l = line + "\n";
  ssize_t n = write(g_events_fd, l.data(), l.size());
  (void)n;
}

// Names as RFC 793 spells them (and as `ss` prints them), indexed by the
// kernel's TCP_* state numbers.
const char* state_name(int st) {
  static const char* names[] = {"?",          "ESTABLISHED", "SYN-SENT",  "SYN-RECV",
                                "FIN-WAIT-1", "FIN-WAIT-2",  "TIME-WAIT", "CLOSED",
                                "CLOSE-WAIT", "LAST-ACK",    "LISTEN",    "CLOSING",
                                "SYN-RECV"};
  if (st < 0 || st >= int(sizeof names / sizeof names[0])) return "?";
  return names[st];
}

int state_from_name(const std::string& n) {
  for (int i = 1; i <= 11; ++i)
    if (n == state_name(i)) return i;
  return -1;
}

// ---------------------------------------------------------------------------
// Network namespaces
// ---------------------------------------------------------------------------

void enter_netns(const std::string& path) {
  if (path.empty()) return;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open netns %s: %s", path.c_str(), strerror(errno));
  if (setns(fd, CLONE_NEWNET) != 0) die("setns %s: %s", path.c_str(), strerror(errno));
  close(fd);
}

// Two paths may name the same namespace (loopback mode); compare inodes so
// the sampler dumps each namespace only once.
uint64_t netns_id(const std::string& path) {
  struct stat st {};
  if (stat(path.empty() ? "/proc/self/ns/net" : path.c_str(), &st) != 0)
    die("stat %s: %s", path.c_str(), strerror(errno));
  return (uint64_t(st.st_dev) << 32) ^ uint64_t(st.st_ino);
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

struct Config {
  std::string client_ns, server_ns;  // netns paths; empty = current namespace
  std::string client_addr = "127.0.0.1";
  std::string server_addr = "127.0.0.1";
  int client_port = 40000;  // fixed so nftables rules can name it
  int server_port = 5000;
  std::string client_script, server_script;
  std::string events_path;
  int delay_ms = 0;  // one-way latency added by the tun relay (0 = no relay)
  std::string client_tun = "fwc", server_tun = "fws";
  int max_ms = 10000;         // hard end of the run
  int tail_ms = 300;          // keep watching this long after the stop condition
  int sample_us = 1000;       // sock_diag polling period
  std::string stop = "quiet"; // quiet | max | C-gone | S-gone
  std::string cc;             // congestion control set per socket (empty = netns default)
  // "steps": the sequential scripts of the .case files; "events": timed calls
  // and triggers as a FinWave scenario states them (see events_main).
  std::string mode = "steps";
  std::vector<std::string> relay_faults;  // duplicate/delay specs for the relay
};

// Events mode: the channel over which one endpoint hands a triggered call to
// the other ([0] the client's end, [1] the server's).
int g_peer_fd[2] = {-1, -1};

// ---------------------------------------------------------------------------
// Application side: one process per endpoint executing a script.
// ---------------------------------------------------------------------------

struct Endpoint {
  char side;  // 'C' or 'S'
  const Config* cfg;
  int listen_fd = -1;
  int fd = -1;  // the connection socket
};

void log_app(const Endpoint& ep, int64_t t_start, const std::string& what,
             const std::string& result) {
  int64_t t_end = now_us();
  // A quick call is logged at its start, so it precedes the segments it
  // caused. A call that blocked (accept, read-eof, ...) gets two lines: when
  // it was made and when it returned, since both instants matter.
  if (t_end - t_start > 1000) {
    emit(strf("app %" PRId64 " %c %s ...", t_start - g_t0, ep.side, what.c_str()));
    emit(strf("app %" PRId64 " %c %s = %s", t_end - g_t0, ep.side, what.c_str(), result.c_str()));
  } else {
    emit(strf("app %" PRId64 " %c %s = %s", t_start - g_t0, ep.side, what.c_str(), result.c_str()));
  }
}

// "-1 ECONNRESET": the errno's name is what a reader compares with man pages.
std::string err_result(int e) {
  const char* name = strerrorname_np(e);
  return strf("-1 %s", name ? name : "E?");
}

bool get_tcp_info(int fd, tcp_info& ti) {
  socklen_t len = sizeof ti;
  std::memset(&ti, 0, sizeof ti);
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0;
}

// Per-socket congestion control: a non-initial namespace may only pick
// algorithms from the host's allowed list as its default, but root may set
// any available one on a socket; an accepted socket inherits the listener's.
void set_cc(const Endpoint& ep, int fd) {
  const std::string& cc = ep.cfg->cc;
  if (cc.empty()) return;
  if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cc.c_str(), socklen_t(cc.size())) != 0)
    die("TCP_CONGESTION %s: %s", cc.c_str(), strerror(errno));
}

sockaddr_in make_addr(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(uint16_t(port));
  if (inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) die("bad address %s", ip.c_str());
  return a;
}

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

[[noreturn]] void events_main(char side, const Config& cfg, int done_fd);
void check_events_script(const std::string& script);

[[noreturn]] void endpoint_main(char side, const Config& cfg, int done_fd) {
  // Die with the parent so an aborted run never leaves sockets behind.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_IGN);
  enter_netns(side == 'C' ? cfg.client_ns : cfg.server_ns);
  if (cfg.mode == "events") events_main(side, cfg, done_fd);
  Endpoint ep{side, &cfg};
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

// ---------------------------------------------------------------------------
// Sampler: sock_diag dumps, the same data `ss -tanoi` shows.
// ---------------------------------------------------------------------------

struct SockSample {
  int state = 0;
  int timer = 0;  // idiag_timer: 0 off, 1 on (retransmit/TLP), 2 keepalive, 3 timewait, 4 persist
  uint32_t expires_ms = 0;
  uint32_t retrans = 0;  // idiag_retrans as ss prints it
  bool orphan = false;   // no owning file (inode 0): close() has been called
  bool has_info = false;
  tcp_info info{};
};

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

struct Tracked {
  bool seen = false, gone = false;
  SockSample last;     // latest sample
  SockSample printed;  // latest sample written to the log (changes are relative to it)
  int64_t fire_us = 0;  // absolute time the timer was due at the last print
};

std::string describe(const SockSample& s, int64_t fire_rel_us) {
  std::string out = strf("%s timer=(%s,%ums,%u)", state_name(s.state), timer_name(s.timer),
                         s.expires_ms, s.retrans);
  if (s.timer) out += strf(" fires=%.3f", fire_rel_us / 1000.0);
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
// the timer was re-armed to a different deadline (more than the 4 ms jiffy
// at HZ=250 plus one sampling period of jitter).
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

// ---------------------------------------------------------------------------
// Latency relay: tun device in the client namespace <-> tun device in the
// server namespace, each packet held for delay_ms. Stands in for netem,
// which this kernel lacks.
// ---------------------------------------------------------------------------

int open_tun(const std::string& name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) die("open /dev/net/tun: %s", strerror(errno));
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name.c_str());
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) die("TUNSETIFF %s: %s", name.c_str(), strerror(errno));
  return fd;
}

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

RelayFault parse_relay_fault(const std::string& spec) {
  auto w = words(spec);
  if (w.size() != 6) die("relay fault '%s': expected ACTION DIR CLASS FIRST LAST EXTRA_MS", spec.c_str());
  RelayFault f;
  f.spec = spec;
  if (w[0] != "dup" && w[0] != "delay") die("relay fault '%s': action dup or delay", spec.c_str());
  f.dup = w[0] == "dup";
  if (w[1] != "c2s" && w[1] != "s2c") die("relay fault '%s': direction c2s or s2c", spec.c_str());
  f.dir = w[1] == "c2s" ? 0 : 1;
  if (w[2] != "any") {
    for (const auto& c : split(w[2], '+')) {
      if (c == "syn") f.syn = true;
      else if (c == "fin") f.fin = true;
      else if (c == "rst") f.rst = true;
      else if (c == "ack") f.ack = true;
      else if (c == "data") f.data = true;
      else die("relay fault '%s': unknown class %s", spec.c_str(), c.c_str());
    }
  }
  f.first = uint32_t(std::atoi(w[3].c_str()));
  f.last = uint32_t(std::atoi(w[4].c_str()));
  f.extra_us = int64_t(std::strtod(w[5].c_str(), nullptr) * 1000);
  return f;
}

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

// ---------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------

int cmd_run(const Config& cfg) {
  if (cfg.mode == "events") {
    check_events_script(cfg.client_script);
    check_events_script(cfg.server_script);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, g_peer_fd) != 0)
      die("socketpair: %s", strerror(errno));
  } else {
    check_script(cfg.client_script);
    check_script(cfg.server_script);
  }
  g_events_fd =
      open(cfg.events_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (g_events_fd < 0) die("open %s: %s", cfg.events_path.c_str(), strerror(errno));

  // Namespace-bound resources (diag sockets, tun fds) are created while
  // inside the namespace they belong to; they stay bound to it afterwards.
  int self_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  std::vector<int> diag;
  enter_netns(cfg.client_ns);
  diag.push_back(open_diag_socket());
  if (netns_id(cfg.client_ns) != netns_id(cfg.server_ns)) {
    enter_netns(cfg.server_ns);
    diag.push_back(open_diag_socket());
  }
  Relay relay{};
  if (cfg.delay_ms > 0) {
    enter_netns(cfg.client_ns);
    relay.fd[0] = open_tun(cfg.client_tun);
    enter_netns(cfg.server_ns);
    relay.fd[1] = open_tun(cfg.server_tun);
    relay.delay_us = int64_t(cfg.delay_ms) * 1000;
    for (const auto& spec : cfg.relay_faults) relay.faults.push_back(parse_relay_fault(spec));
  } else if (!cfg.relay_faults.empty()) {
    die("relay faults need --delay-ms > 0 (the relay only runs with a delay)");
  }
  if (setns(self_ns, CLONE_NEWNET) != 0) die("setns back: %s", strerror(errno));

  // Start a little in the future so both children are ready at t = 0.
  g_t0 = (now_us() / 1000 + 200) * 1000;
  emit("# finwave kernel_runner events v1");
  emit(strf("start_realtime_us %" PRId64, g_t0));
  emit(strf("ports client=%d server=%d", cfg.client_port, cfg.server_port));
  emit(strf("delay_ms %d", cfg.delay_ms));
  emit("mode " + cfg.mode);
  for (const auto& f : cfg.relay_faults) emit("relay_fault " + f);
  emit("client_script " + cfg.client_script);
  emit("server_script " + cfg.server_script);

  int done_pipe[2];
  if (pipe2(done_pipe, O_CLOEXEC) != 0) die("pipe: %s", strerror(errno));
  pid_t kids[2];
  for (int i = 0; i < 2; ++i) {
    pid_t p = fork();
    if (p < 0) die("fork: %s", strerror(errno));
    if (p == 0) endpoint_main(i == 0 ? 'S' : 'C', cfg, done_pipe[1]);
    kids[i] = p;
  }
  fcntl(done_pipe[0], F_SETFL, O_NONBLOCK);

  // Real-time priority for the sampler and the relay (threads inherit it):
  // with normal priority a busy 2-core VM delays samples by several ms.
  // Failure is not fatal, only less precise.
  sched_param sp{};
  sp.sched_priority = 10;
  if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
    emit(strf("# note: SCHED_FIFO unavailable (%s)", strerror(errno)));

  std::thread relay_thread;
  if (cfg.delay_ms > 0) relay_thread = std::thread([&] { relay.loop(); });

  std::map<char, Tracked> tracked{{'C', {}}, {'S', {}}};
  int scripts_done = 0;
  int64_t stop_at = g_t0 + int64_t(cfg.max_ms) * 1000;
  bool stopping = false;
  sleep_until_us(g_t0 - 50000);  // sample from just before t = 0
  int64_t samples = 0, max_gap = 0, prev_sample = 0;
  for (int64_t next = now_us();; next += cfg.sample_us) {
    int64_t now = now_us();
    if (now >= stop_at) break;
    std::map<char, SockSample> cur;
    for (int nl : diag) diag_dump(nl, cfg, cur);
    now = now_us();
    // Sampling quality is part of the result: a late sample delays the
    // observed time of a state change.
    if (prev_sample) max_gap = std::max(max_gap, now - prev_sample);
    // The previous sample's time goes with every line: a state that came
    // and went between two samples can only have been shorter than the gap.
    const double prev_ms = ((prev_sample ? prev_sample : now) - g_t0) / 1000.0;
    prev_sample = now;
    ++samples;
    int64_t rel = now - g_t0;
    for (auto& [side, t] : tracked) {
      auto it = cur.find(side);
      if (it == cur.end()) {
        if (t.seen && !t.gone) {
          t.gone = true;
          emit(strf("state %" PRId64 " %c GONE prev=%.3f", rel, side, prev_ms));
        }
        continue;
      }
      const SockSample& s = it->second;
      int64_t fire = now + int64_t(s.expires_ms) * 1000;
      if (!t.seen || t.gone || changed(t, s, fire, cfg.sample_us)) {
        emit(strf("state %" PRId64 " %c ", rel, side) + describe(s, fire - g_t0) +
             strf(" prev=%.3f", prev_ms));
        t.fire_us = fire;
        t.printed = s;
      }
      t.seen = true;
      t.gone = false;
      t.last = s;
    }
    char c;
    while (read(done_pipe[0], &c, 1) == 1) {
      ++scripts_done;
      emit(strf("done %" PRId64 " %c", rel, c));
    }
    // A child that ran "exit"/"kill" has finished its script too.
    for (pid_t& k : kids) {
      int st;
      if (k > 0 && waitpid(k, &st, WNOHANG) == k) {
        k = -1;
        ++scripts_done;
      }
    }
    if (!stopping) {
      bool quiet = false;
      if (cfg.stop == "quiet") {
        // Nothing left that could still send anything by itself: both
        // scripts are finished and every socket is gone or in TIME-WAIT
        // (whose 60 s wait is measured separately, not waited out).
        quiet = scripts_done >= 2;
        for (auto& [side, t] : tracked)
          if (t.seen && !t.gone && t.last.state != 6) quiet = false;
      } else if (cfg.stop == "C-gone" || cfg.stop == "S-gone") {
        const Tracked& t = tracked[cfg.stop[0]];
        quiet = t.seen && t.gone;
      }
      if (quiet) {
        stopping = true;
        stop_at = std::min(stop_at, now + int64_t(cfg.tail_ms) * 1000);
      }
    }
    sleep_until_us(std::max(next + cfg.sample_us, now_us()));
  }
  emit(strf("end %" PRId64 " samples=%" PRId64 " max_gap_us=%" PRId64, now_us() - g_t0, samples,
             max_gap));
  for (pid_t k : kids)
    if (k > 0) kill(k, SIGKILL);
  for (pid_t k : kids)
    if (k > 0) waitpid(k, nullptr, 0);
  if (relay_thread.joinable()) {
    relay.stop = true;
    relay_thread.join();
    emit(strf("# relay forwarded %" PRIu64 " packets", relay.forwarded));
  }
  return 0;
}

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

// Reads a classic pcap file (what `tcpdump -w` writes). Link types: the
// loopback's Ethernet framing, raw IP (tun), Linux cooked v1/v2 and NFLOG
// (tcpdump -i nflog:N, used to record which segments nftables dropped).
std::vector<Segment> read_pcap(const std::string& path) {
  std::vector<Segment> out;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) die("open %s: %s", path.c_str(), strerror(errno));
  uint8_t gh[24];
  if (std::fread(gh, 1, 24, f) != 24) {  // empty capture: nothing seen
    std::fclose(f);
    return out;
  }
  uint32_t magic;
  std::memcpy(&magic, gh, 4);
  bool swap = false, nano = false;
  if (magic == 0xa1b2c3d4) {
  } else if (magic == 0xd4c3b2a1) swap = true;
  else if (magic == 0xa1b23c4d) nano = true;
  else if (magic == 0x4d3cb2a1) swap = nano = true;
  else die("%s: not a pcap file (pcapng is not supported)", path.c_str());
  auto u32 = [&](const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  uint32_t linktype = u32(gh + 20) & 0xffff;
  uint8_t rh[16];
  std::vector<uint8_t> pkt;
  while (std::fread(rh, 1, 16, f) == 16) {
    uint32_t caplen = u32(rh + 8);
    pkt.resize(caplen);
    if (std::fread(pkt.data(), 1, caplen, f) != caplen) break;
    int64_t t = int64_t(u32(rh)) * 1000000 + (nano ? u32(rh + 4) / 1000 : u32(rh + 4));
    const uint8_t* p = pkt.data();
    size_t n = caplen;
    size_t off = 0;
    if (linktype == 1) {  // Ethernet (Linux lo)
      if (n < 14 || rd16be(p + 12) != 0x0800) continue;
      off = 14;
    } else if (linktype == 101 || linktype == 12 || linktype == 14) {
      off = 0;
    } else if (linktype == 113) {  // Linux cooked v1
      if (n < 16 || rd16be(p + 14) != 0x0800) continue;
      off = 16;
    } else if (linktype == 276) {  // Linux cooked v2
      if (n < 20 || rd16be(p) != 0x0800) continue;
      off = 20;
    } else if (linktype == 239) {  // NFLOG: 4-byte header then TLVs (host order)
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
      die("%s: unsupported link type %u", path.c_str(), linktype);
    }
    Segment s;
    if (off <= n && parse_ip_tcp(p + off, n - off, t, s)) out.push_back(s);
  }
  std::fclose(f);
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

void usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  kernel_runner run --events FILE --client 'SCRIPT' --server 'SCRIPT'\n"
               "      [--client-netns PATH] [--server-netns PATH] [--client-addr IP]\n"
               "      [--server-addr IP] [--client-port N] [--server-port N]\n"
               "      [--delay-ms D --client-tun NAME --server-tun NAME]\n"
               "      [--max-ms N] [--tail-ms N] [--sample-us N] [--stop quiet|max|C-gone|S-gone]\n"
               "      [--cc CONGESTION_CONTROL] [--mode steps|events]\n"
               "      [--relay-fault 'dup|delay DIR CLASS FIRST LAST EXTRA_MS']...\n"
               "  kernel_runner report --events FILE --pcap FILE [--pcap FILE]\n"
               "      [--drops FILE] [--win]\n"
               "SCRIPT: steps separated by ';' - at MS | sleep MS | listen | accept |\n"
               "  close-listener | connect [PORT] | connect-peer | send N | read N | read-eof |\n"
               "  read-avail | close | shutdown-wr | shutdown-rd | shutdown-rdwr | linger SECS |\n"
               "  nodelay | quickack | cork | uncork | wait-state STATE [TIMEOUT_MS] | info |\n"
               "  exit | kill\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage();
  std::string cmd = argv[1];
  std::map<std::string, std::vector<std::string>> opt;
  for (int i = 2; i < argc; ++i) {
    std::string k = argv[i];
    if (k.rfind("--", 0) != 0) usage();
    if (k == "--win") {
      opt[k].push_back("1");
      continue;
    }
    if (i + 1 >= argc) usage();
    opt[k].push_back(argv[++i]);
  }
  auto get = [&](const char* k, const std::string& d) {
    return opt.count(k) ? opt[k].back() : d;
  };
  auto geti = [&](const char* k, int d) {
    return opt.count(k) ? std::atoi(opt[k].back().c_str()) : d;
  };
  if (cmd == "run") {
    Config c;
    c.events_path = get("--events", "");
    c.client_script = get("--client", "");
    c.server_script = get("--server", "");
    if (c.events_path.empty()) usage();
    c.client_ns = get("--client-netns", "");
    c.server_ns = get("--server-netns", "");
    c.client_addr = get("--client-addr", c.client_addr);
    c.server_addr = get("--server-addr", c.server_addr);
    c.client_port = geti("--client-port", c.client_port);
    c.server_port = geti("--server-port", c.server_port);
    c.delay_ms = geti("--delay-ms", 0);
    c.client_tun = get("--client-tun", c.client_tun);
    c.server_tun = get("--server-tun", c.server_tun);
    c.max_ms = geti("--max-ms", c.max_ms);
    c.tail_ms = geti("--tail-ms", c.tail_ms);
    c.sample_us = geti("--sample-us", c.sample_us);
    c.stop = get("--stop", c.stop);
    c.cc = get("--cc", "");
    c.mode = get("--mode", "steps");
    if (c.mode != "steps" && c.mode != "events") usage();
    if (opt.count("--relay-fault")) c.relay_faults = opt["--relay-fault"];
    return cmd_run(c);
  }
  if (cmd == "report") {
    if (!opt.count("--events")) usage();
    return cmd_report(get("--events", ""), opt["--pcap"], opt["--drops"], opt.count("--win") > 0);
  }
  usage();
}
