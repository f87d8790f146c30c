#include "runner.hpp"
#include "relay.hpp"

namespace kr {

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

  emit("# finwave kernel_runner events v1");
  emit(strf("ports client=%d server=%d", cfg.client_port, cfg.server_port));
  emit(strf("delay_ms %d", cfg.delay_ms));
  emit("mode " + cfg.mode);
  for (const auto& f : cfg.relay_faults) emit("relay_fault " + f);
  emit("client_script " + cfg.client_script);
  emit("server_script " + cfg.server_script);

  int done_pipe[2];
  if (pipe2(done_pipe, O_CLOEXEC) != 0 || pipe2(g_ready_pipe, O_CLOEXEC) != 0 || pipe2(g_go_pipe, O_CLOEXEC) != 0)
    die("pipe: %s", strerror(errno));
  pid_t kids[2];
  for (int i = 0; i < 2; ++i) {
    pid_t p = fork();
    if (p < 0) die("fork: %s", strerror(errno));
    if (p == 0) endpoint_main(i == 0 ? 'S' : 'C', cfg, done_pipe[1]);
    kids[i] = p;
  }
  fcntl(done_pipe[0], F_SETFL, O_NONBLOCK);
  // t = 0 a little after both children are ready (the lead covers their
  // wake-up from the start message).
  g_t0 = start_both(50000);
  emit(strf("start_realtime_us %" PRId64, g_t0));

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
        emit(strf("state %" PRId64 " %c ", rel, side) + describe(s, fire - g_t0, now - s.read_from_us) +
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

}  // namespace kr
