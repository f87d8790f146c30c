// What a busy-host scenario says beyond one connection: the workload that
// opens connections, and each host's socket-table limits and sysctls.
// Parsed from scenario lines ('workload ...', 'host SIDE key=value ...',
// 'at TIME server restart'); run by HostModel (host.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "finwave/time.hpp"
#include "finwave/types.hpp"

namespace finwave {

// Who calls close() first once the last response is through.
enum class Closer : std::uint8_t {
    Client,  // the client closes; the server closes when it reads EOF
    Server,  // the server closes after its last response; the client on EOF
    Both,    // both close at the same instant: the FINs cross (simultaneous close)
};
const char* to_string(Closer c);

struct Workload {
    std::uint32_t rate_per_s = 0;  // new connections per second, evenly spaced
    Duration duration{};           // how long new connections keep coming
    std::uint32_t request_bytes = 100;
    std::uint32_t response_bytes = 1000;
    Closer closer = Closer::Client;
    std::uint32_t requests_per_connection = 1;  // keep-alive: requests before the close
    std::uint32_t never_close_ppm = 0;          // server handlers that never close, per million
    int line = 0;
    std::uint64_t connections() const;
};

// One host's limits. Defaults are Linux's (the sysctl names say which knob).
struct HostSettings {
    std::uint16_t port_low = 32768;    // net.ipv4.ip_local_port_range
    std::uint16_t port_high = 60999;
    // net.ipv4.tcp_max_tw_buckets: the kernel sizes it from memory (half the
    // established hash); 131072 is what it chose on a 24 GiB machine.
    std::uint32_t max_tw_buckets = 131072;
    int tw_reuse = 2;                  // net.ipv4.tcp_tw_reuse: 0 off, 1 on, 2 loopback only
    Duration tw_reuse_delay = Duration::seconds(1);  // net.ipv4.tcp_tw_reuse_delay (6.13+)
    bool loopback = false;             // both hosts talk over loopback (tcp_tw_reuse=2 applies)
    bool reuseaddr = false;            // SO_REUSEADDR on the server's listening socket
    std::uint32_t backlog = 4096;      // listen() backlog (net.core.somaxconn caps it)
    std::uint32_t nofile = 1024;       // RLIMIT_NOFILE (ulimit -n) of the process
};

// "at 20s server restart": the server process exits and listens again.
struct HostRestart {
    Duration at{};
    int line = 0;
};

struct HostPart {
    std::optional<Workload> workload;
    std::array<HostSettings, 2> hosts{};  // indexed by Side
    std::vector<HostRestart> restarts;
    bool any() const { return workload.has_value(); }
};

// The words after 'workload', e.g. "rate 1000/s for 10s request 200
// response 1400 closer client keepalive 5 never-close 2%".
std::variant<Workload, std::string> parse_workload(const std::vector<std::string_view>& words);
// One "name=value" of a 'host SIDE' line; nothing on success.
std::optional<std::string> set_host_setting(HostSettings& h, std::string_view name, std::string_view value);
// "port_range=32768-60999 tw_buckets=131072 ...": every setting, as set_host_setting reads them.
std::string describe(const HostSettings& h);

}  // namespace finwave
