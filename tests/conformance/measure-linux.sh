#!/usr/bin/env bash
# measure-linux.sh: one full measurement pass of the real kernel - every
# case in cases/ plus variants (latency, timestamps, ...) - through
# run-kernel.sh.
#
#   sudo tests/conformance/measure-linux.sh [-o OUT_ROOT] [--repeat N] [--long]
#                                           [--save DIR] [NAME_FILTER...]
#
#   -o DIR        where runs go (default: $TMPDIR/finwave-kernel-pass)
#   --repeat N    run the timing-sensitive cases N times (default 3) to see
#                 the jitter; the rest run once
#   --long        include the slow runs: tcp_orphan_retries=0 (~100 s each)
#                 and the full 60 s TIME-WAIT
#   --save DIR    copy the first run of every entry to DIR/<name>.trace
#                 (reference traces kept in the repository)
#   NAME_FILTER   only entries whose name contains one of these strings
#
# Without --long a pass takes about two and a half minutes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${TMPDIR:-/tmp}/finwave-kernel-pass" REPEAT=3 LONG=0 SAVE="" FILTERS=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) OUT="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --long) LONG=1; shift ;;
    --save) SAVE="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) FILTERS+=("$1"); shift ;;
  esac
done

# name | case file | extra run-kernel.sh arguments | flags
#   flags: r = repeated (--repeat), L = long (only with --long)
PLAN='
a1-close-nodata            | a1-close-nodata                 |                                      | r
a1-close-nodata@d10        | a1-close-nodata                 | --delay 10                           | r
a1-close-nodata@ts         | a1-close-nodata                 | --sysctl tcp_timestamps=1            |
a1-close-nodata@bbr        | a1-close-nodata                 | --sysctl tcp_congestion_control=bbr  |
a2-close-clientdata        | a2-close-clientdata             |                                      | r
a2-close-clientdata@d10    | a2-close-clientdata             | --delay 10                           | r
a3-close-bothdata          | a3-close-bothdata               |                                      | r
a3-close-bothdata@d10      | a3-close-bothdata               | --delay 10                           | r
a4-close-serverdata        | a4-close-serverdata             |                                      | r
b1-fast-close-nodata       | b1-fast-close-nodata            |                                      | r
b2-fast-close-clientdata   | b2-fast-close-clientdata        |                                      | r
b3-fast-close-bothdata     | b3-fast-close-bothdata          |                                      |
b2-fast-close-clientdata@d10 | b2-fast-close-clientdata      | --delay 10                           |
c1-nagle-fin               | c1-nagle-fin                    |                                      |
c1-nagle-fin@d10           | c1-nagle-fin                    | --delay 10                           |
d1-fin-lost-once           | d1-fin-lost-once                |                                      | r
d1-fin-lost-once@ts        | d1-fin-lost-once                | --sysctl tcp_timestamps=1            |
d1-fin-lost-once@nosack    | d1-fin-lost-once                | --sysctl tcp_sack=0                  |
d1-fin-lost-once@d10       | d1-fin-lost-once                | --delay 10                           |
d2-fin-lost-once-notlp     | d2-fin-lost-once-notlp          |                                      | r
d3-fin-lost-twice          | d3-fin-lost-twice               |                                      |
e-client-orphan-retries-1  | e-client-orphan-retries-1       |                                      | r
e-client-orphan-retries-2  | e-client-orphan-retries-2       |                                      |
e-client-orphan-retries-3  | e-client-orphan-retries-3       |                                      |
e-client-orphan-retries-0  | e-client-orphan-retries-0       |                                      | L
e-server-orphan-retries-1  | e-server-orphan-retries-1       |                                      |
e-server-orphan-retries-2  | e-server-orphan-retries-2       |                                      |
e-server-orphan-retries-3  | e-server-orphan-retries-3       |                                      |
e-server-orphan-retries-0  | e-server-orphan-retries-0       |                                      | L
f1-finwait2-timeout-3      | f1-finwait2-timeout-3           |                                      | r
f2-finwait2-timeout-1      | f2-finwait2-timeout-1           |                                      |
f2-finwait2-timeout-1@d100 | f2-finwait2-timeout-1           | --delay 100                          |
f3-finwait2-shutdown       | f3-finwait2-shutdown            |                                      |
f4-finwait2-shutdown-then-close | f4-finwait2-shutdown-then-close |                                |
g1-final-ack-lost          | g1-final-ack-lost               |                                      | r
h1-first-fin-ack-lost      | h1-first-fin-ack-lost           |                                      |
i1-simultaneous-close      | i1-simultaneous-close           |                                      | r
i1-simultaneous-close@d10  | i1-simultaneous-close           | --delay 10                           | r
i2-simultaneous-close-crossing | i2-simultaneous-close-crossing |                                   | r
j1-rst-unread-data         | j1-rst-unread-data              |                                      |
j2-rst-linger0             | j2-rst-linger0                  |                                      |
j3-rst-data-after-close    | j3-rst-data-after-close         |                                      |
j4-rst-no-listener         | j4-rst-no-listener              |                                      |
j5-rst-after-kill          | j5-rst-after-kill               |                                      |
j6-rst-no-socket           | j6-rst-no-socket                |                                      |
j7-rst-in-timewait-rfc1337-0 | j7-rst-in-timewait-rfc1337-0  |                                      |
j7-rst-in-timewait-rfc1337-1 | j7-rst-in-timewait-rfc1337-1  |                                      |
k1-timewait-duration       | k1-timewait-duration            |                                      | L
'

mkdir -p "$OUT"
[ -n "$SAVE" ] && mkdir -p "$SAVE"
start=$(date +%s)
while IFS='|' read -r name case args flags; do
  name="$(echo "$name" | xargs)"; case="$(echo "$case" | xargs)"
  flags="$(echo "$flags" | xargs)"; args="$(echo "$args" | xargs)"
  [ -z "$name" ] && continue
  [[ "$flags" == *L* ]] && [ "$LONG" = 0 ] && continue
  if [ ${#FILTERS[@]} -gt 0 ]; then
    hit=0
    for f in "${FILTERS[@]}"; do [[ "$name" == *"$f"* ]] && hit=1; done
    [ "$hit" = 0 ] && continue
  fi
  n=1
  [[ "$flags" == *r* ]] && n="$REPEAT"
  for ((k = 1; k <= n; k++)); do
    dir="$OUT/$name/run$k"
    echo "[$(($(date +%s) - start))s] $name run $k/$n" >&2
    # shellcheck disable=SC2086  # extra arguments are meant to split
    "$HERE/run-kernel.sh" -q -o "$dir" $args "$HERE/cases/$case.case"
    if [ "$k" = 1 ] && [ -n "$SAVE" ]; then cp "$dir/trace.txt" "$SAVE/$name.trace"; fi
  done
done <<<"$PLAN"
echo "done in $(($(date +%s) - start)) s; runs under $OUT" >&2
