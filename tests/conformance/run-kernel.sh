#!/usr/bin/env bash
# run-kernel.sh: run one TCP close scenario against the real Linux kernel in
# a throw-away network namespace and write a normalized trace.
#
#   sudo tests/conformance/run-kernel.sh [options] [CASE_FILE]
#
# A case file holds "key = value" lines (see cases/README.md); every key can
# also be given on the command line, which wins over the file (repeatable
# keys - sysctl, drop, nft - add to it instead):
#   -o DIR            output directory (default: $TMPDIR/finwave-kernel/<case>)
#   --client SCRIPT   client steps, e.g. 'at 20; connect; at 100; close'
#   --server SCRIPT   server steps, e.g. 'listen; accept; read-eof; close'
#   --sysctl K=V      namespace sysctl (the "net.ipv4." prefix may be left out)
#   --drop SPEC       drop segments with nftables (grammar below)
#   --nft RULE        raw nftables rule added before the generated drop rules
#   --delay MS        one-way latency (tun relay; this kernel has no netem)
#   --max-ms N        hard end of the observation (default 10000)
#   --stop MODE       quiet (default: scripts done, sockets gone/TIME-WAIT),
#                     max, C-gone, S-gone
#   --tail-ms N       keep observing N ms after the stop condition (300)
#   --sample-us N     socket sampling period (default 1000)
#   --ss-log          also record `ss -tanoi` every 10 ms into ss.log
#   --mode MODE       steps (default: the sequential scripts below) or events
#                     (timed calls and triggers of a FinWave scenario; see
#                     "Events mode" in kernel_runner/events.cpp)
#   --ruleset FILE    a complete nftables ruleset (loaded into both
#                     namespaces) instead of the one generated from --drop;
#                     it must log its drops to NFLOG group 7
#   --relay-fault SPEC  duplicate or delay segments in the latency relay
#                     ("dup|delay DIR CLASS FIRST LAST EXTRA_MS", needs --delay)
#   -q                do not print the trace
#
# Drop SPEC: "DIR FLAGS [after DIR FLAGS] [nth N | first K | all]"
#   DIR   c2s | s2c
#   FLAGS fin | syn | synack | rst | ack (ACK alone: no SYN, FIN, RST or
#         PSH) | data (PSH set) | any
#   after DIR FLAGS: only segments that follow a DIR FLAGS segment, as seen
#         by the receiving end (where drops happen): sent by it (opposite
#         direction) or received by it (same direction)
#   default count: nth 1 (only the first matching segment)
# Examples: "c2s fin nth 1", "c2s fin all", "c2s ack after s2c fin nth 1".
#
# Output directory: trace.txt (normalized trace), events.log (raw runner log),
# *.pcap (captures), capture.txt (tcpdump text), nft.txt (ruleset with
# counters after the run), sysctl.txt, ss.log (with --ss-log).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_DIR="${FINWAVE_CONFORMANCE_BUILD:-${TMPDIR:-/tmp}/finwave-conformance-build}"
RUNNER="$BUILD_DIR/kernel_runner"

die() { echo "run-kernel.sh: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces, nftables, tcpdump)"
for tool in ip nft tcpdump g++; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install iproute2 nftables tcpdump g++)"
done

# --- build the runner when missing or older than its source ----------------
mkdir -p "$BUILD_DIR"
if [ ! -x "$RUNNER" ] || [ -n "$(find "$HERE/kernel_runner" -newer "$RUNNER" -print -quit)" ]; then
  g++ -std=c++17 -O2 -Wall -Wextra -pthread -o "$RUNNER.tmp" "$HERE"/kernel_runner/*.cpp
  mv "$RUNNER.tmp" "$RUNNER"
fi

# --- options ----------------------------------------------------------------
declare -A CFG=([delay_ms]=0 [max_ms]=10000 [stop]=quiet [tail_ms]=300 [sample_us]=1000 [client]="" [server]="" [desc]="" [mode]=steps)
SYSCTLS=() DROPS=() NFTS=() RELAY_FAULTS=()
CASE="" OUT="" SSLOG=0 QUIET=0 RULESET_FILE=""

set_key() {  # key value: one place for both the case file and the command line
  case "$1" in
    sysctl) SYSCTLS+=("$2") ;;
    drop) DROPS+=("$2") ;;
    nft) NFTS+=("$2") ;;
    relay_fault) RELAY_FAULTS+=("$2") ;;
    delay_ms|max_ms|stop|tail_ms|sample_us|client|server|desc|mode) CFG[$1]="$2" ;;
    *) die "unknown key '$1'" ;;
  esac
}

CLI=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) OUT="$2"; shift 2 ;;
    --client|--server|--sysctl|--drop|--nft|--stop|--mode) CLI+=("${1#--}" "$2"); shift 2 ;;
    --relay-fault) CLI+=(relay_fault "$2"); shift 2 ;;
    --ruleset) RULESET_FILE="$2"; shift 2 ;;
    --delay) CLI+=(delay_ms "$2"); shift 2 ;;
    --max-ms) CLI+=(max_ms "$2"); shift 2 ;;
    --tail-ms) CLI+=(tail_ms "$2"); shift 2 ;;
    --sample-us) CLI+=(sample_us "$2"); shift 2 ;;
    --ss-log) SSLOG=1; shift ;;
    -q) QUIET=1; shift ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) CASE="$1"; shift ;;
  esac
done

# Baseline sysctls of every run; a case or --sysctl can override them
# (later settings win). Timestamps off: the MSS option is 1460 and every
# segment is a bare 20-byte TCP header, the simplest thing to compare.
# cubic: the usual distribution default (this kernel was built with bbr,
# whose pacing could shift segment times). tcp_congestion_control is not
# set as a sysctl (a namespace may only choose from the host's allowed
# list) but per socket by the runner.
SYSCTLS=(tcp_timestamps=0 tcp_congestion_control=cubic)

if [ -n "$CASE" ]; then
  [ -f "$CASE" ] || die "no such case file $CASE"
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"  # comments
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    [[ "$line" == *=* ]] || die "$CASE: bad line: $line"
    key="$(echo "${line%%=*}" | xargs)"
    val="$(echo "${line#*=}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
    set_key "$key" "$val"
  done <"$CASE"
fi
for ((i = 0; i < ${#CLI[@]}; i += 2)); do set_key "${CLI[i]}" "${CLI[i+1]}"; done
if [ -z "${CFG[client]}" ] || [ -z "${CFG[server]}" ]; then
  die "client and server scripts are required"
fi

NAME="$(basename "${CASE:-adhoc}" .case)"
OUT="${OUT:-${TMPDIR:-/tmp}/finwave-kernel/$NAME}"
mkdir -p "$OUT"
rm -f "$OUT"/*.pcap "$OUT"/trace.txt "$OUT"/events.log "$OUT"/ss.log

CPORT=40000 SPORT=5000 NFLOG_GROUP=7
DELAY="${CFG[delay_ms]}"

# --- namespaces, removed on every exit path --------------------------------
ID="fw$$r$RANDOM"
NSC="$ID" NSS="$ID"   # loopback mode: one namespace holds both ends
[ "$DELAY" -gt 0 ] && { NSC="$ID-c"; NSS="$ID-s"; }
NAMESPACES=("$NSC"); [ "$NSS" != "$NSC" ] && NAMESPACES+=("$NSS")
BG_PIDS=() SS_PIDS=() RUNNER_PID=""

cleanup() {
  local p
  # The runner's client and server die with it (PR_SET_PDEATHSIG).
  if [ -n "$RUNNER_PID" ]; then
    kill "$RUNNER_PID" 2>/dev/null || true
    wait "$RUNNER_PID" 2>/dev/null || true
  fi
  for p in "${BG_PIDS[@]}" "${SS_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BG_PIDS[@]}" "${SS_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "${NAMESPACES[@]}"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo mtu 1500 up
done

if [ "$DELAY" -eq 0 ]; then
  CADDR=127.0.0.1 SADDR=127.0.0.1
  # MTU 1500 gives MSS 1460 as on Ethernet; without TSO/GSO the stack cuts
  # segments to the MSS itself instead of sending 64 KB super-packets on lo.
  if command -v ethtool >/dev/null; then
    ip netns exec "$NSC" ethtool -K lo tso off gso off gro off 2>/dev/null || true
  else
    echo "run-kernel.sh: warning: no ethtool, lo keeps TSO/GSO (large data segments)" >&2
  fi
else
  # Two namespaces joined by tun devices; kernel_runner relays packets
  # between them with the one-way delay.
  CADDR=10.77.0.1 SADDR=10.77.0.2
  ip -n "$NSC" tuntap add dev fwc mode tun
  ip -n "$NSS" tuntap add dev fws mode tun
  ip -n "$NSC" addr add "$CADDR" peer "$SADDR" dev fwc
  ip -n "$NSS" addr add "$SADDR" peer "$CADDR" dev fws
  ip -n "$NSC" link set fwc mtu 1500 up
  ip -n "$NSS" link set fws mtu 1500 up
fi

: >"$OUT/sysctl.txt"
CC=""
for ns in "${NAMESPACES[@]}"; do
  for kv in "${SYSCTLS[@]}"; do
    k="${kv%%=*}"; [[ "$k" == net.* ]] || k="net.ipv4.$k"
    if [ "$k" = net.ipv4.tcp_congestion_control ]; then CC="${kv#*=}"; continue; fi
    ip netns exec "$ns" sysctl -qw "$k=${kv#*=}" || die "sysctl $k failed"
  done
  ip netns exec "$ns" sysctl net.ipv4.tcp_fin_timeout net.ipv4.tcp_orphan_retries \
    net.ipv4.tcp_timestamps net.ipv4.tcp_sack net.ipv4.tcp_rfc1337 net.ipv4.tcp_early_retrans \
    net.ipv4.tcp_congestion_control net.ipv4.tcp_retries2 net.ipv4.tcp_ecn \
    net.ipv4.tcp_rto_min_us 2>/dev/null | sed "s/^/$ns: /" >>"$OUT/sysctl.txt"
  echo "$ns: per-socket congestion control = ${CC:-namespace default}" >>"$OUT/sysctl.txt"
done

# --- nftables drop rules ----------------------------------------------------
dir_match() {
  case "$1" in
    c2s) echo "tcp sport $CPORT tcp dport $SPORT" ;;
    s2c) echo "tcp sport $SPORT tcp dport $CPORT" ;;
    *) die "bad direction '$1' (c2s or s2c)" ;;
  esac
}
flag_match() {
  case "$1" in
    fin) echo "tcp flags & fin == fin" ;;
    syn) echo "tcp flags & (syn|ack) == syn" ;;
    synack) echo "tcp flags & (syn|ack) == syn|ack" ;;
    rst) echo "tcp flags & rst == rst" ;;
    ack) echo "tcp flags & (fin|syn|rst|psh|ack) == ack" ;;
    data) echo "tcp flags & psh == psh" ;;
    any) echo "" ;;
    *) die "bad flags '$1'" ;;
  esac
}

# Where rules sit: drops happen in the input hook of the receiving end, so
# the segment was really sent (dropping in the sender's output hook would
# make the sender's transmit call fail, which TCP handles as local
# congestion, not as loss) and the sender-side capture still shows it.
# An "after" marker must be visible in the namespace of that receiving end:
# a segment in the opposite direction is marked when that end sends it
# (output hook), one in the same direction when that end receives it.
SETS="" DROP_RULES="" IN_MARKS="" OUT_MARKS=""
for raw in "${NFTS[@]}"; do DROP_RULES+="    $raw"$'\n'; done
for spec in "${DROPS[@]}"; do
  read -r -a w <<<"$spec"
  dir="${w[0]:-}" flags="${w[1]:-}" after="" count="nth 1"
  rest=("${w[@]:2}")
  while [ ${#rest[@]} -gt 0 ]; do
    case "${rest[0]}" in
      after)
        adir="${rest[1]:-}" aflags="${rest[2]:-}"
        set_name="seen_${adir}_${aflags}"
        if [[ "$SETS" != *"$set_name "* ]]; then
          SETS+="  set $set_name { type inet_service . inet_service; flags dynamic; }"$'\n'
          mark="    $(dir_match "$adir") $(flag_match "$aflags") add @$set_name { tcp sport . tcp dport }"$'\n'
          if [ "$adir" = "$dir" ]; then IN_MARKS+="$mark"; else OUT_MARKS+="$mark"; fi
        fi
        if [ "$adir" = "$dir" ]; then after="tcp sport . tcp dport @$set_name"
        else after="tcp dport . tcp sport @$set_name"; fi
        rest=("${rest[@]:3}") ;;
      nth) count="nth ${rest[1]}"; rest=("${rest[@]:2}") ;;
      first) count="first ${rest[1]}"; rest=("${rest[@]:2}") ;;
      all) count="all"; rest=("${rest[@]:1}") ;;
      *) die "bad drop spec '$spec'" ;;
    esac
  done
  # numgen inc only advances when the expressions before it matched, which
  # turns it into a per-rule counter of matching segments: "nth N" drops
  # exactly the N-th one, "first K" the first K.
  case "$count" in
    nth*) n="${count#nth }"; pick="numgen inc mod 1000000000 == $((n - 1))" ;;
    first*) pick="numgen inc mod 1000000000 < ${count#first }" ;;
    all) pick="" ;;
  esac
  # queue-threshold 1: NFLOG otherwise batches records for up to a second,
  # and the report needs each record promptly to match it to the capture.
  DROP_RULES+="    $(dir_match "$dir") $(flag_match "$flags") $after $pick counter log group $NFLOG_GROUP queue-threshold 1 prefix \"drop\" drop # $spec"$'\n'
done

RULESET="table inet finwave {
$SETS  chain in {
    type filter hook input priority -300; policy accept;
$DROP_RULES$IN_MARKS  }
  chain out {
    type filter hook output priority -300; policy accept;
$OUT_MARKS  }
}"
if [ -n "$RULESET_FILE" ]; then
  [ ${#DROPS[@]} -eq 0 ] && [ ${#NFTS[@]} -eq 0 ] || die "--ruleset replaces --drop and --nft; give one or the other"
  RULESET="$(cat "$RULESET_FILE")" || die "cannot read $RULESET_FILE"
fi
for ns in "${NAMESPACES[@]}"; do
  echo "$RULESET" | ip netns exec "$ns" nft -f - || { echo "$RULESET" >&2; die "nft rejected the ruleset"; }
done

# --- captures ----------------------------------------------------------------
start_capture() {  # ns iface file extra-args...
  local ns="$1" ifc="$2" file="$3"; shift 3
  # --immediate-mode: without it libpcap hands packets over in blocks up to
  # a second late, and a short run ends (SIGINT) before they are written.
  ip netns exec "$ns" tcpdump -i "$ifc" -nn -U --immediate-mode -s 200 -Z root "$@" \
    -w "$OUT/$file" 2>"$OUT/$file.log" &
  BG_PIDS+=($!)
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q "listening on" "$OUT/$file.log" 2>/dev/null && return 0
    sleep 0.05
  done
  die "tcpdump on $ifc did not start: $(cat "$OUT/$file.log")"
}
PCAPS=() DROPCAPS=()
if [ "$DELAY" -eq 0 ]; then
  start_capture "$NSC" lo lo.pcap tcp; PCAPS+=(lo.pcap)
  start_capture "$NSC" "nflog:$NFLOG_GROUP" drops.pcap; DROPCAPS+=(drops.pcap)
else
  # Departure times: each side's packets as they leave its stack.
  start_capture "$NSC" fwc client.pcap -Q out tcp; PCAPS+=(client.pcap)
  start_capture "$NSS" fws server.pcap -Q out tcp; PCAPS+=(server.pcap)
  start_capture "$NSC" "nflog:$NFLOG_GROUP" drops-client.pcap; DROPCAPS+=(drops-client.pcap)
  start_capture "$NSS" "nflog:$NFLOG_GROUP" drops-server.pcap; DROPCAPS+=(drops-server.pcap)
fi
if [ "$SSLOG" = 1 ]; then
  for ns in "${NAMESPACES[@]}"; do
    # shellcheck disable=SC2016  # expanded by the inner shell, on purpose
    ip netns exec "$ns" sh -c 'while :; do echo "@ $(date +%s.%6N)"; ss -tanoi; sleep 0.01; done' \
      >>"$OUT/ss.log" 2>/dev/null &
    SS_PIDS+=($!)
  done
fi

# --- the run -------------------------------------------------------------------
RELAY_ARGS=()
for f in "${RELAY_FAULTS[@]}"; do RELAY_ARGS+=(--relay-fault "$f"); done
[ ${#RELAY_FAULTS[@]} -gt 0 ] && [ "$DELAY" -eq 0 ] && die "--relay-fault needs --delay (the relay only runs with a latency)"
# In the background plus `wait`, so that a signal to this script interrupts
# the wait at once and the trap can stop the runner and clean up.
"$RUNNER" run --events "$OUT/events.log" \
  --client-netns "/var/run/netns/$NSC" --server-netns "/var/run/netns/$NSS" \
  --client-addr "$CADDR" --server-addr "$SADDR" --client-port "$CPORT" --server-port "$SPORT" \
  --delay-ms "$DELAY" --client-tun fwc --server-tun fws \
  --client "${CFG[client]}" --server "${CFG[server]}" \
  --max-ms "${CFG[max_ms]}" --tail-ms "${CFG[tail_ms]}" --stop "${CFG[stop]}" \
  --sample-us "${CFG[sample_us]}" --mode "${CFG[mode]}" \
  "${RELAY_ARGS[@]}" \
  ${CC:+--cc "$CC"} &
RUNNER_PID=$!
wait "$RUNNER_PID"
RUNNER_PID=""

sleep 0.1  # let tcpdump flush the last packets
# tcpdump finishes its file on SIGINT; the ss loop (a shell) needs SIGTERM.
for p in "${BG_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
for p in "${SS_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${BG_PIDS[@]}" "${SS_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
BG_PIDS=() SS_PIDS=()

: >"$OUT/nft.txt"
for ns in "${NAMESPACES[@]}"; do ip netns exec "$ns" nft list ruleset >>"$OUT/nft.txt"; done

# --- report --------------------------------------------------------------------
args=()
for p in "${PCAPS[@]}"; do args+=(--pcap "$OUT/$p"); done
for p in "${DROPCAPS[@]}"; do args+=(--drops "$OUT/$p"); done
{
  echo "# case: $NAME${CFG[desc]:+ - ${CFG[desc]}}"
  echo "# kernel: $(uname -r)"
  [ ${#CLI[@]} -gt 0 ] && printf '# override: %s = %s\n' "${CLI[@]}"
  echo "# sysctl: ${SYSCTLS[*]}"
  for d in "${DROPS[@]}"; do echo "# drop: $d"; done
  for f in "${RELAY_FAULTS[@]}"; do echo "# relay fault: $f"; done
  [ -n "$RULESET_FILE" ] && echo "# ruleset: $RULESET_FILE"
  for r in "${NFTS[@]}"; do echo "# nft: $r"; done
  "$RUNNER" report --events "$OUT/events.log" "${args[@]}"
} >"$OUT/trace.txt"
for p in "${PCAPS[@]}"; do tcpdump -nn -S -tt -r "$OUT/$p" 2>/dev/null; done | sort -n >"$OUT/capture.txt"
[ "$QUIET" = 1 ] || cat "$OUT/trace.txt"
