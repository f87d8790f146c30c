// From a FinWave scenario to a run of the real kernel: the same application
// calls (kernel_runner's events mode), the same faults (nftables drops, relay
// duplicates) and the same knobs (namespace sysctls, relay latency).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "finwave/knobs.hpp"
#include "finwave/scenario.hpp"

namespace finwave::conformance {

// Everything run-kernel.sh needs for one run.
struct KernelPlan {
    std::string client_script;  // kernel_runner events-mode items
    std::string server_script;
    std::vector<std::string> sysctls;       // "tcp_fin_timeout=3"
    int delay_ms = 10;                      // one-way latency of the tun relay
    std::string ruleset;                    // complete nftables ruleset
    std::vector<std::string> relay_faults;  // "dup s2c data 1 1 5000"
    std::vector<std::string> notes;         // how each knob and fault was carried over
};

// Why a scenario cannot be run on the kernel as written.
struct Untranslatable {
    std::string reason;
};

std::variant<KernelPlan, Untranslatable> translate(const Scenario& scenario, const Knobs& knobs);

// Pieces, exposed for the unit tests.
std::variant<std::string, Untranslatable> call_text(const AppCall& call);
// One nftables rule (input hook of the receiving end) that drops what the
// fault selects; logs to NFLOG group 7 so the trace marks it DROPPED.
std::variant<std::string, Untranslatable> drop_rule(const Fault& fault);
// "dup|delay DIR CLASS FIRST LAST EXTRA_MS" for kernel_runner's relay.
std::variant<std::string, Untranslatable> relay_fault(const Fault& fault);
// The ruleset around the drop rules: payload and FIN bookkeeping.
std::string nft_ruleset(const std::vector<std::string>& drop_rules);

inline constexpr int kClientPort = 40000;  // fixed by kernel_runner
inline constexpr int kServerPort = 5000;

}  // namespace finwave::conformance
