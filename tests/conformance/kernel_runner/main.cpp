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

#include "runner.hpp"

namespace kr {
namespace {

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
}  // namespace kr

using namespace kr;

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
