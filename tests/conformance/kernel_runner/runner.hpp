// kernel_runner's parts (see main.cpp): the helpers, the configuration and
// the records every mode shares.
#pragma once

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

namespace kr {

// All timestamps are CLOCK_REALTIME microseconds because that is the clock
// tcpdump stamps packets with; using it everywhere lets the report merge
// the capture and our own events without any clock conversion.
int64_t now_us();
void sleep_until_us(int64_t t_us);
[[noreturn]] void die(const char* fmt, ...);
std::string strf(const char* fmt, ...);
std::string trim(const std::string& s);
std::vector<std::string> split(const std::string& s, char sep);
std::vector<std::string> words(const std::string& s);

// One shared, O_APPEND event log (see emit in common.cpp).
extern int g_events_fd;
extern int64_t g_t0;
void emit(const std::string& line);

// Names as RFC 793 spells them (and as `ss` prints them), indexed by the
// kernel's TCP_* state numbers.
const char* state_name(int st);
int state_from_name(const std::string& n);

void enter_netns(const std::string& path);
uint64_t netns_id(const std::string& path);

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
extern int g_peer_fd[2];

// The start: t = 0 is chosen only once both endpoints are set up (on a busy
// machine forking and setting up a child can take longer than any fixed
// lead, and a server that listens late turns the client's SYN into a RST).
// Each child reports ready and waits for t = 0 (wait_for_start); the parent
// waits for both and then sends it (start_both).
extern int g_ready_pipe[2], g_go_pipe[2];
void wait_for_start();
int64_t start_both(int64_t lead_us);

// ---------------------------------------------------------------------------
// Application side: one process per endpoint (steps.cpp, events.cpp).
// ---------------------------------------------------------------------------

struct Endpoint {
  char side;  // 'C' or 'S'
  const Config* cfg;
  int listen_fd = -1;
  int fd = -1;  // the connection socket
};

void log_app(const Endpoint& ep, int64_t t_start, const std::string& what, const std::string& result);
std::string err_result(int e);  // "-1 ECONNRESET"
bool get_tcp_info(int fd, tcp_info& ti);
void set_cc(const Endpoint& ep, int fd);
sockaddr_in make_addr(const std::string& ip, int port);

// Steps mode (steps.cpp): the sequential scripts of the .case files.
void check_script(const std::string& script);
[[noreturn]] void endpoint_main(char side, const Config& cfg, int done_fd);
// Events mode (events.cpp): a FinWave scenario's calls and triggers.
[[noreturn]] void events_main(char side, const Config& cfg, int done_fd);
void check_events_script(const std::string& script);

// ---------------------------------------------------------------------------
// Sampler (sampler.cpp): sock_diag dumps, the same data `ss -tanoi` shows.
// ---------------------------------------------------------------------------

struct SockSample {
  int state = 0;
  int timer = 0;  // idiag_timer: 0 off, 1 on (retransmit/TLP), 2 keepalive, 3 timewait, 4 persist
  uint32_t expires_ms = 0;
  uint32_t retrans = 0;  // idiag_retrans as ss prints it
  int64_t read_from_us = 0;  // the dump that read it began here (it ended at the sample's time)
  bool orphan = false;   // no owning file (inode 0): close() has been called
  bool has_info = false;
  tcp_info info{};
};

const char* timer_name(int t);
int open_diag_socket();
void diag_dump(int nl, const Config& cfg, std::map<char, SockSample>& out);

struct Tracked {
  bool seen = false, gone = false;
  SockSample last;     // latest sample
  SockSample printed;  // latest sample written to the log (changes are relative to it)
  int64_t fire_us = 0;  // absolute time the timer was due at the last print
};

std::string describe(const SockSample& s, int64_t fire_rel_us, int64_t fire_err_us);
bool changed(const Tracked& t, const SockSample& s, int64_t fire_us, int sample_us);

// run (run.cpp) and report (report.cpp), the two sub-commands.
int cmd_run(const Config& cfg);
int cmd_report(const std::string& events_path, const std::vector<std::string>& pcaps,
               const std::vector<std::string>& drop_pcaps, bool show_win);

}  // namespace kr
