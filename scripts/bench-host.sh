#!/usr/bin/env bash
# Busy-host benchmark, natively and as WebAssembly under node: a server
# taking RATE connections/s (default 10000) for SECONDS of virtual time
# (default 60). Prints each build's figures; the README quotes them.
#
#   scripts/bench-host.sh [RATE [SECONDS]]
#
# Numbers from a shared machine move by 10-30% between runs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export NODE_PATH=/usr/share/nodejs

cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2 --target finwave_host_bench >/dev/null
[[ -f build/wasm-node/build.ninja ]] ||
    emcmake cmake -S . -B build/wasm-node -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm-node -j2 --target finwave_host_bench >/dev/null

echo "== native (build/native, Release)"
build/native/bench/finwave_host_bench "$@"
echo
echo "== WebAssembly under node $(node --version) (build/wasm-node, Release)"
node build/wasm-node/bench/finwave_host_bench.js "$@"
