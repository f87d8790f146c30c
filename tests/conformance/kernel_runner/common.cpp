// Helpers, namespaces and the application-side calls both modes share.
#include "runner.hpp"

namespace kr {

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


int g_peer_fd[2] = {-1, -1};

// ---------------------------------------------------------------------------
// Application side: one process per endpoint executing a script.
// ---------------------------------------------------------------------------


int g_ready_pipe[2] = {-1, -1};
int g_go_pipe[2] = {-1, -1};

void wait_for_start() {
  char c = 'r';
  if (write(g_ready_pipe[1], &c, 1) != 1) die("ready: %s", strerror(errno));
  int64_t t0 = 0;
  // 8 bytes, less than PIPE_BUF: each child reads one whole message.
  if (read(g_go_pipe[0], &t0, sizeof t0) != ssize_t(sizeof t0)) die("start: the parent is gone");
  g_t0 = t0;
}

int64_t start_both(int64_t lead_us) {
  for (int ready = 0; ready < 2;) {
    char c;
    ssize_t n = read(g_ready_pipe[0], &c, 1);
    if (n == 1) ++ready;
    else if (n == 0 || errno != EINTR) die("an endpoint died before the start");
  }
  const int64_t t0 = (now_us() + lead_us) / 1000 * 1000;
  for (int i = 0; i < 2; ++i)
    if (write(g_go_pipe[1], &t0, sizeof t0) != ssize_t(sizeof t0)) die("start: %s", strerror(errno));
  return t0;
}

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

}  // namespace kr
