#include "relay.hpp"

namespace kr {

int open_tun(const std::string& name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) die("open /dev/net/tun: %s", strerror(errno));
  ifreq ifr{};
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  std::snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name.c_str());
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) die("TUNSETIFF %s: %s", name.c_str(), strerror(errno));
  return fd;
}

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

}  // namespace kr
