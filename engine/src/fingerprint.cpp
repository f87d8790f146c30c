#include "finwave/fingerprint.hpp"

#include <cstdint>
#include <cstdio>

namespace finwave {

std::string fingerprint(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string knobs_fingerprint(const Knobs& k) {
    std::string all = std::string("profile=") + to_string(k.profile) + "\n";
    for (const auto& info : knob_catalog()) all += info.name + "=" + get_knob(k, info.name).value_or("?") + "\n";
    return fingerprint(all);
}

}  // namespace finwave
