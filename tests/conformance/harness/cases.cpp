#include "cases.hpp"

namespace finwave::conformance {

// Every run uses the engine's own link: 10 ms one way (the kernel side: two
// namespaces joined by tun devices, kernel_runner relays after 10 ms), which
// also makes two simultaneous close() calls cross as they do in the engine.
const std::vector<CaseSpec>& cases() {
    static const std::vector<CaseSpec> table = {
        {"four-way-close", {}, {}, "", ""},
        {"three-segment-close", {}, {}, "", ""},
        {"fin-with-data", {}, {}, "", ""},
        {"half-close", {}, {}, "", ""},
        {"full-lifecycle", {}, {}, "", ""},
        {"server-active-close", {}, {}, "", ""},
        {"simultaneous-close", {}, {},
         "both close() at 200 ms; with 10 ms one way the FINs cross on the kernel as in the engine (on plain loopback "
         "one FIN usually arrives before the other side's close(): docs/linux-measurements.md, section i)",
         ""},
        {"first-fin-lost", {}, {}, "", ""},
        {"second-ack-lost", {}, {}, "", ""},
        {"third-fin-lost", {}, {}, "", ""},
        {"fourth-ack-lost", {}, {}, "", ""},
        {"orphan-retries-exhausted", {}, {},
         "tcp_orphan_retries=3 as the scenario sets it; compared up to the give-up, not the scenario's 120 s", ""},
        {"fin-wait-2-timeout", {{"fin_timeout", "3s"}}, {{"on server eof +70s server close", "on server eof +5s server close"}},
         "tcp_fin_timeout=3 instead of 60 s, and the server's late close() 5 s after EOF instead of 70 s: still after the "
         "client's FIN-WAIT-2 timeout, so its FIN still finds no connection",
         ""},
        {"shutdown-fin-wait-2", {{"fin_timeout", "2s"}}, {{"at 150s client close", "at 6s client close"}},
         "tcp_fin_timeout=2 instead of 60 s, and close() at 6 s instead of 150 s: FIN-WAIT-2 after shutdown() is watched "
         "for almost three times tcp_fin_timeout before close() starts the timer",
         ""},
        {"close-wait-leak", {{"fin_timeout", "3s"}}, {},
         "tcp_fin_timeout=3 instead of 60 s; the server's CLOSE-WAIT is watched until shortly after the client's "
         "FIN-WAIT-2 ends, not for the scenario's 600 s",
         ""},
        {"rst-unread-data", {}, {}, "", ""},
        {"rst-linger-zero", {}, {}, "", ""},
        {"rst-data-after-close", {}, {}, "", ""},
        {"process-exit", {}, {}, "", ""},
        {"rst-no-connection", {}, {},
         "the crash: the server closes its connection in TCP_REPAIR mode (CAP_NET_ADMIN), which makes the kernel forget "
         "it without sending anything, as a host that lost power; its listener is closed too",
         ""},
        {"time-wait-rst-assassination", {}, {},
         "the old duplicate: the latency relay keeps a copy of the server's first data segment and delivers it again "
         "5 s later (nftables can drop a segment, not hold it back)",
         ""},
        {"time-wait-protects-new-connection", {}, {}, "",
         "it needs the new connection's initial sequence number 100 bytes above the old one's (isn_step=100) so that "
         "a 40 s old duplicate falls into the new window; the kernel picks ISNs from a keyed hash and a clock, which "
         "no setting changes. It would also take 105 s (60 s of TIME-WAIT, then 45 s)"},
        {"connect-timeout", {{"syn_retries", "2"}}, {},
         "tcp_syn_retries=2 instead of 6: the four linear retries 1 s apart and two doubled ones, ETIMEDOUT at 11 s "
         "instead of about 130 s",
         ""},
        {"synack-lost", {}, {},
         "the latency relay holds the client's first SYN back for 300 ms, so that its repeated SYN reaches the server "
         "well before the server's SYN-ACK timer fires",
         ""},
        {"fin-before-data", {}, {}, "the latency relay holds the client's second data segment back for 2 ms", ""},
        {"keepalive-dead-peer", {}, {}, "", ""},
        {"orphan-retries-default", {}, {}, "compared up to the give-up, about 100 s after the close", ""},
        {"initial-window", {}, {}, "",
         "the receiving kernel ACKs a burst of segments it processes in one batch with a single ACK (seen: 6 "
         "segments, then 2 on a quiet machine, 2 by 2 on a busy one), so its ACKs depend on scheduling; the sender's "
         "flights of 10, 20 and 39 segments are checked by the engine's unit tests"},
        {"rst-too-many-orphans", {}, {}, "",
         "tcp_max_orphans and the orphan count are global to the host, not per network namespace: lowering it "
         "would turn the close of every other program on the machine into a RST while the run lasts"},
    };
    return table;
}

}  // namespace finwave::conformance
