#include "translate.hpp"

#include <cstdio>

namespace finwave::conformance {

namespace {

std::string ms_text(Duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(d.us) / 1000.0);
    return buf;
}

// Whole seconds, as tcp_fin_timeout takes them.
std::optional<long> whole_seconds(Duration d) {
    if (d.us <= 0 || d.us % 1000000 != 0) return std::nullopt;
    return d.us / 1000000;
}

struct Direction {
    int sport, dport;
};
Direction direction_of(Side from) {
    return from == Side::Client ? Direction{kClientPort, kServerPort} : Direction{kServerPort, kClientPort};
}

// nftables cannot see a TCP state; the sender's state is inferred from the
// FINs seen in the receiving end's namespace (where drops happen):
//   @fin_seen  holds "sport . dport" of every side that sent a FIN - marked
//              on input before any drop rule (a lost FIN was still sent) and
//              on output for this end's own FIN;
//   @fin_first the side whose FIN went past here before the other side's.
// For a segment from X: "X sent FIN" is `sport . dport @fin_seen`, "the
// receiver sent FIN" is `dport . sport @fin_seen`.
std::variant<std::string, Untranslatable> state_condition(State s) {
    const std::string own = "tcp sport . tcp dport @fin_seen";
    const std::string no_own = "tcp sport . tcp dport != @fin_seen";
    const std::string peer = "tcp dport . tcp sport @fin_seen";
    const std::string no_peer = "tcp dport . tcp sport != @fin_seen";
    switch (s) {
        case State::Established: return no_own + " " + no_peer;
        case State::CloseWait: return no_own + " " + peer;
        case State::LastAck: return own + " " + peer + " tcp sport . tcp dport != @fin_first";
        case State::TimeWait: return own + " " + peer + " tcp sport . tcp dport @fin_first";
        default:
            return Untranslatable{std::string("a fault on segments sent 'in ") + to_string(s) +
                                  "': nftables only sees which FINs have passed, which does not tell " + to_string(s) +
                                  " from its neighbours (supported: ESTABLISHED, CLOSE-WAIT, LAST-ACK, TIME-WAIT)"};
    }
}

// numgen only advances for segments that matched everything before it, so
// it counts this rule's matches: 0 is the first.
std::string selection_condition(std::uint32_t first, std::uint32_t last) {
    const std::string counter = "numgen inc mod 1000000000 ";
    if (last == 0) return first <= 1 ? "" : counter + ">= " + std::to_string(first - 1);
    if (first == last) return counter + std::to_string(first - 1);
    return counter + std::to_string(first - 1) + "-" + std::to_string(last - 1);
}

}  // namespace

std::variant<std::string, Untranslatable> call_text(const AppCall& call) {
    switch (call.kind) {
        case AppCallKind::Listen: return std::string("listen");
        case AppCallKind::Connect: return std::string("connect");
        case AppCallKind::Send: return "send " + std::to_string(call.bytes);
        case AppCallKind::Read: return call.bytes ? "read " + std::to_string(call.bytes) : std::string("read");
        case AppCallKind::Close: return std::string("close");
        case AppCallKind::Shutdown: return std::string("shutdown");
        case AppCallKind::Abort: return std::string("abort");
        case AppCallKind::Exit: return std::string("exit");
        case AppCallKind::Crash: return std::string("crash");
        case AppCallKind::NeverClose: return std::string("never-close");
        case AppCallKind::Autoread: return std::string(call.on ? "autoread on" : "autoread off");
    }
    return Untranslatable{"unknown application call"};
}

std::variant<std::string, Untranslatable> drop_rule(const Fault& fault) {
    const SegmentPattern& p = fault.pattern;
    if (!p.from)
        return Untranslatable{"'" + describe(fault) +
                              "': a pattern without a side counts segments of both directions together, "
                              "while each direction is dropped in a different namespace"};
    const Direction d = direction_of(*p.from);
    std::string rule = "tcp sport " + std::to_string(d.sport) + " tcp dport " + std::to_string(d.dport);
    std::string required;
    if (p.flags_required & flag::SYN) required += std::string(required.empty() ? "" : "|") + "syn";
    if (p.flags_required & flag::FIN) required += std::string(required.empty() ? "" : "|") + "fin";
    if (p.flags_required & flag::RST) required += std::string(required.empty() ? "" : "|") + "rst";
    if (!required.empty()) rule += " tcp flags & (" + required + ") == " + required;
    // meta mark 1: no payload (classified at the top of the input chain).
    if (p.pure_ack) rule += " tcp flags & (fin|syn|rst|ack) == ack meta mark 1";
    if (p.data) rule += " meta mark 0";
    if (p.sender_state) {
        auto cond = state_condition(*p.sender_state);
        if (auto* u = std::get_if<Untranslatable>(&cond)) return *u;
        rule += " " + std::get<std::string>(cond);
    }
    const std::string pick = selection_condition(fault.first, fault.last);
    if (!pick.empty()) rule += " " + pick;
    rule += " counter log group 7 queue-threshold 1 prefix \"drop\" drop";
    return rule;
}

std::variant<std::string, Untranslatable> relay_fault(const Fault& fault) {
    const SegmentPattern& p = fault.pattern;
    if (!p.from) return Untranslatable{"'" + describe(fault) + "': the relay needs the sending side"};
    if (p.sender_state)
        return Untranslatable{"'" + describe(fault) + "': the relay does not know the sender's state"};
    std::string cls;
    auto add = [&](const char* c) { cls += (cls.empty() ? "" : "+") + std::string(c); };
    if (p.flags_required & flag::SYN) add("syn");
    if (p.flags_required & flag::FIN) add("fin");
    if (p.flags_required & flag::RST) add("rst");
    if (p.pure_ack) add("ack");
    if (p.data) add("data");
    if (cls.empty()) cls = "any";
    const std::string action = fault.action == FaultAction::Duplicate ? "dup" : "delay";
    return action + " " + (*p.from == Side::Client ? "c2s" : "s2c") + " " + cls + " " + std::to_string(fault.first) + " " +
           std::to_string(fault.last) + " " + ms_text(fault.extra);
}

std::string nft_ruleset(const std::vector<std::string>& drop_rules) {
    std::string in;
    // Payload or not: nftables has no payload length, but with IPv4 and no
    // IP options a segment carries none exactly when the IP length is the
    // 20-byte IP header plus the TCP header (data offset x 4).
    in += "    meta mark set 0\n";
    for (int doff = 5; doff <= 15; ++doff)
        in += "    ip length " + std::to_string(20 + 4 * doff) + " tcp doff " + std::to_string(doff) + " meta mark set 1\n";
    const std::string fin_marks =
        "    tcp flags & fin == fin tcp dport . tcp sport != @fin_seen add @fin_first { tcp sport . tcp dport }\n"
        "    tcp flags & fin == fin add @fin_seen { tcp sport . tcp dport }\n";
    in += fin_marks;
    for (const auto& r : drop_rules) in += "    " + r + "\n";
    return "table inet finwave {\n"
           "  set fin_seen { type inet_service . inet_service; flags dynamic; }\n"
           "  set fin_first { type inet_service . inet_service; flags dynamic; }\n"
           "  chain in {\n"
           "    type filter hook input priority -300; policy accept;\n" +
           in +
           "  }\n"
           "  chain out {\n"
           "    type filter hook output priority -300; policy accept;\n" +
           fin_marks +
           "  }\n"
           "}\n";
}

std::variant<KernelPlan, Untranslatable> translate(const Scenario& sc, const Knobs& k) {
    KernelPlan plan;
    if (sc.profile && *sc.profile != Profile::Linux)
        return Untranslatable{"the scenario asks for the textbook profile, not Linux"};
    if (sc.loss > 0)
        return Untranslatable{"random loss: the kernel run would lose different segments than the engine's seeded draw"};
    if (!sc.injections.empty())
        return Untranslatable{"an injected segment (line " + std::to_string(sc.injections.front().line) +
                              "): the harness drives two real sockets and cannot write a segment by hand"};

    // Knobs: those with a Linux setting become sysctls of both namespaces (set
    // always, so a host's defaults never leak in); the rest must keep the
    // value the linux profile gives them, which is the kernel's fixed one.
    const Knobs linux_defaults = defaults_for(Profile::Linux);
    if (!k.fin_timeout) return Untranslatable{"fin_timeout=off: Linux always has a FIN-WAIT-2 timeout"};
    const auto fin_s = whole_seconds(*k.fin_timeout);
    if (!fin_s) return Untranslatable{"fin_timeout=" + format_duration(*k.fin_timeout) + ": tcp_fin_timeout takes whole seconds"};
    plan.sysctls.push_back("tcp_fin_timeout=" + std::to_string(*fin_s));
    plan.sysctls.push_back("tcp_orphan_retries=" + std::to_string(k.orphan_retries));
    plan.sysctls.push_back(std::string("tcp_rfc1337=") + (k.rfc1337 ? "1" : "0"));
    plan.sysctls.push_back("tcp_retries2=" + std::to_string(k.retries2));
    plan.sysctls.push_back("tcp_syn_retries=" + std::to_string(k.syn_retries));
    plan.sysctls.push_back("tcp_syn_linear_timeouts=" + std::to_string(k.syn_linear_timeouts));
    plan.sysctls.push_back("tcp_synack_retries=" + std::to_string(k.synack_retries));
    // 3: tail loss probe on (the kernel default); 0: off.
    plan.sysctls.push_back(std::string("tcp_early_retrans=") + (k.tlp ? "3" : "0"));
    if (k.invalid_ratelimit.us % 1000 != 0) return Untranslatable{"invalid_ratelimit is set in whole ms on Linux"};
    plan.sysctls.push_back("tcp_invalid_ratelimit=" + std::to_string(k.invalid_ratelimit.us / 1000));
    if (k.latency.us <= 0 || k.latency.us % 1000 != 0)
        return Untranslatable{"latency=" + format_duration(k.latency) + ": the relay delays by whole milliseconds above 0"};
    plan.delay_ms = static_cast<int>(k.latency.us / 1000);

    static const char* mapped[] = {"fin_timeout", "orphan_retries",    "rfc1337", "retries2",  "syn_retries",
                                   "tlp",         "invalid_ratelimit", "latency", "nagle",     "client_isn",
                                   "server_isn",  "keepalive",         "keepalive_time", "keepalive_intvl",
                                   "keepalive_probes", "syn_linear_timeouts", "synack_retries"};
    for (const auto& info : knob_catalog()) {
        bool is_mapped = false;
        for (const char* m : mapped) is_mapped = is_mapped || info.name == m;
        if (is_mapped) continue;
        const auto v = get_knob(k, info.name), dflt = get_knob(linux_defaults, info.name);
        if (v == dflt) continue;
        if (info.name == "msl") {
            // The linux profile ignores msl, as Linux has none: nothing to translate.
            plan.notes.push_back("msl=" + *v + " ignored: the linux profile's TIME-WAIT does not depend on it");
            continue;
        }
        if (info.name == "time_wait")
            return Untranslatable{info.name + "=" + *v + ": Linux's TIME-WAIT is fixed at 60 s"};
        if (info.name == "isn_step")
            return Untranslatable{"isn_step=" + *v + ": the kernel chooses each connection's ISN itself (a keyed hash and a clock)"};
        return Untranslatable{info.name + "=" + *v + ": no Linux setting changes it (the kernel's value is the profile's " + *dflt + ")"};
    }
    // Absolute ISNs do not matter: both sides' numbers are compared relative.
    if (k.client_isn || k.server_isn) plan.notes.push_back("fixed ISNs ignored: numbers are compared relative to each ISN");

    // Application calls. Every item carries its scenario line so the
    // comparison can pair each kernel call with the engine's.
    std::string scripts[2];
    auto add = [&](Side side, const std::string& item) {
        std::string& s = scripts[side == Side::Client ? 0 : 1];
        s += (s.empty() ? "" : "; ") + item;
    };
    if (!k.nagle) {
        add(Side::Client, "0: at 0 nodelay");
        add(Side::Server, "0: at 0 nodelay");
        plan.notes.push_back("nagle=off: TCP_NODELAY on both sockets");
    }
    if (k.keepalive) {
        // SO_KEEPALIVE with TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT, which
        // take whole seconds.
        const auto idle = whole_seconds(k.keepalive_time), intvl = whole_seconds(k.keepalive_intvl);
        if (!idle || !intvl) return Untranslatable{"keepalive times are whole seconds on Linux"};
        const std::string item = "0: at 0 keepalive " + std::to_string(*idle) + " " + std::to_string(*intvl) + " " +
                                 std::to_string(k.keepalive_probes);
        add(Side::Client, item);
        add(Side::Server, item);
        plan.notes.push_back("keepalive=on: SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT on both sockets");
    } else if (k.keepalive_time != linux_defaults.keepalive_time || k.keepalive_intvl != linux_defaults.keepalive_intvl ||
               k.keepalive_probes != linux_defaults.keepalive_probes) {
        plan.notes.push_back("keepalive is off: its times are not used");
    }
    for (const auto& c : sc.calls) {
        auto text = call_text(c.call);
        if (auto* u = std::get_if<Untranslatable>(&text)) return *u;
        add(c.side, std::to_string(c.line) + ": at " + ms_text(c.at) + " " + std::get<std::string>(text));
    }
    for (const auto& t : sc.triggers) {
        auto text = call_text(t.call);
        if (auto* u = std::get_if<Untranslatable>(&text)) return *u;
        std::string event = t.on_eof ? "eof" : t.on_reset ? "reset" : t.state ? std::string("state ") + to_string(*t.state) : "";
        if (event.empty()) return Untranslatable{"a trigger without an event (line " + std::to_string(t.line) + ")"};
        add(t.watch, std::to_string(t.line) + ": on " + event + " +" + ms_text(t.delay) + " " +
                         (t.actor == t.watch ? "self " : "peer ") + std::get<std::string>(text));
    }
    plan.client_script = scripts[0];
    plan.server_script = scripts[1];

    // Faults.
    std::vector<std::string> drops;
    for (const auto& f : sc.faults) {
        if (f.action == FaultAction::Drop) {
            auto rule = drop_rule(f);
            if (auto* u = std::get_if<Untranslatable>(&rule)) return *u;
            drops.push_back(std::get<std::string>(rule));
            plan.notes.push_back("'" + describe(f) + "': nftables drop in the receiver's input hook");
        } else {
            auto spec = relay_fault(f);
            if (auto* u = std::get_if<Untranslatable>(&spec)) return *u;
            plan.relay_faults.push_back(std::get<std::string>(spec));
            plan.notes.push_back("'" + describe(f) + "': done by the latency relay (nftables cannot hold a copy back)");
        }
    }
    plan.ruleset = nft_ruleset(drops);
    return plan;
}

}  // namespace finwave::conformance
