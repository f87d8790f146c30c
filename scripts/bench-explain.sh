#!/usr/bin/env bash
# finwave explain benchmark: a capture of N lossy closes (default 100000,
# first-fin-lost on distinct port pairs, one every 10 ms, as the client
# host captures them), exported by the engine, then read in one run by
# `finwave explain FILE --json` and by `tshark -r FILE -q -z conv,tcp`.
# Prints wall time, CPU time and peak memory (GNU time) of each; the README
# quotes them.
#
#   scripts/bench-explain.sh [N]
#
# Numbers from a shared machine move by 10-30% between runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-100000}
[[ $N =~ ^[0-9]+$ && $N -gt 0 ]] || { echo "bench-explain.sh: N is a whole number above 0, not '$N'" >&2; exit 2; }
command -v tshark >/dev/null || { echo "bench-explain.sh: needs tshark (scripts/setup.sh installs it)" >&2; exit 2; }

cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2 --target finwave finwave_capture_bench >/dev/null
OUT=build/bench-explain
mkdir -p "$OUT"
PCAP=$OUT/lossy-closes-$N.pcap
build/native/bench/finwave_capture_bench "$N" 10 "$PCAP"
echo "file: $(du -h "$PCAP" | cut -f1)"

measure() {  # label command...
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"
    read -r secs user sys kb <"$OUT/time.txt"
    printf '%-28s %8.2f s wall  %8.2f s CPU  %6d MB peak RSS\n' "$label" "$secs" "$(awk "BEGIN {print $user + $sys}")" "$((kb / 1024))"
}
measure "finwave explain --json" build/native/cli/finwave explain "$PCAP" --json
measure "tshark -q -z conv,tcp" tshark -r "$PCAP" -q -z conv,tcp
echo "connections explained: $(wc -l <"$OUT/finwave explain --json.out"), kinds: $(grep -o '"kind":"[a-z-]*"' "$OUT/finwave explain --json.out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
echo "tshark conversations: $(grep -c '<->' "$OUT/tshark -q -z conv,tcp.out")"
