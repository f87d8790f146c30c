#!/usr/bin/env bash
# Engine benchmark, natively and as WebAssembly under node, side by side.
#
#   scripts/bench.sh [--batch N] [--reps N]
#
# Numbers from a shared machine move by 10-30% between runs; compare runs
# made back to back.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs

source scripts/bench-build.sh
bench_build finwave_bench

native=$(mktemp) wasm=$(mktemp)
trap 'rm -f "$native" "$wasm"' EXIT
build/native/bench/finwave_bench "$@" >"$native"
node build/wasm-node/bench/finwave_bench.js "$@" >"$wasm"

printf '%-44s %10s %10s %12s %12s %7s\n' "measurement" "native us" "wasm us" "native Mev/s" "wasm Mev/s" "wasm/nat"
paste -d'\t' <(grep 'us/run' "$native") <(grep 'us/run' "$wasm") |
    awk -F'\t' '{
        split($1, a, /  +/); n = $1; w = $2
        match(n, /[0-9.]+ us\/run/); nv = substr(n, RSTART, RLENGTH) + 0
        match(w, /[0-9.]+ us\/run/); wv = substr(w, RSTART, RLENGTH) + 0
        match(n, /[0-9.]+ M events/); ne = substr(n, RSTART, RLENGTH) + 0
        match(w, /[0-9.]+ M events/); we = substr(w, RSTART, RLENGTH) + 0
        printf "%-44s %10.3f %10.3f %12.2f %12.2f %6.2fx\n", a[1], nv, wv, ne, we, wv / nv
    }'
printf '%-44s %10s %10s\n' "batch of lossy closes (seconds)" "$(grep -o '[0-9.]* s$' "$native")" "$(grep -o '[0-9.]* s$' "$wasm")"
