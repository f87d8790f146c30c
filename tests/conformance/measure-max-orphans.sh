#!/usr/bin/env bash
# measure-max-orphans.sh: what Linux sends when close() finds more orphaned
# sockets than net.ipv4.tcp_max_orphans allows (scenario rst-too-many-orphans).
#
#   sudo tests/conformance/measure-max-orphans.sh
#
# tcp_max_orphans and the orphan count are global to the host (no network
# namespace has its own), so this cannot be part of the conformance suite:
# it lowers the knob to 0 for the few milliseconds of one close() and puts it
# back at once. Any other program closing a connection in those milliseconds
# would reset it too. It runs on the loopback of the initial namespace, on
# ports 45000/45001, and needs python3, nftables and tcpdump.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "measure-max-orphans.sh: must run as root" >&2; exit 2; }
out=$(mktemp -d)
trap 'nft delete table inet finwave_orphans 2>/dev/null || true; rm -rf "$out"' EXIT
timeout 5 tcpdump -i lo -nn -S -w "$out/c.pcap" 'tcp port 45000' 2>/dev/null &
sleep 1
python3 - <<'PY'
import socket, subprocess, time
KNOB = "/proc/sys/net/ipv4/tcp_max_orphans"
old = open(KNOB).read().strip()
# One orphan that stays: its peer's segments are dropped, so its FIN is never ACKed.
bl = socket.socket(); bl.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
bl.bind(("127.0.0.1", 45001)); bl.listen()
o = socket.create_connection(("127.0.0.1", 45001)); peer, _ = bl.accept()
subprocess.run("nft 'add table inet finwave_orphans'; "
               "nft 'add chain inet finwave_orphans c { type filter hook input priority 0; policy accept; }'; "
               "nft 'add rule inet finwave_orphans c tcp sport 45001 drop'", shell=True, check=True)
o.close()
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 45000)); l.listen()
c = socket.create_connection(("127.0.0.1", 45000)); s, _ = l.accept()
c.send(b"x" * 100); s.recv(1000)
time.sleep(0.3)  # the kernel refreshes its orphan count every 100 ms
open(KNOB, "w").write("0")
try:
    c.close()
finally:
    open(KNOB, "w").write(old)
time.sleep(0.2)
PY
wait
tcpdump -nn -S -r "$out/c.pcap" 2>/dev/null | sed 's/, options \[.*\]//'
