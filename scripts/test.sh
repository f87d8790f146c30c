#!/usr/bin/env bash
# Runs every FinWave test, on a fresh machine too: it first runs
# scripts/setup.sh (Debian and npm packages, WASM dependencies; quick when
# they are already there).
#
#   scripts/test.sh
#
# Suites: engine unit/golden/property tests, CLI tests and the desktop app
# under Xvfb (native, ctest), lessons check (every answer proved by the
# engine), kernel conformance (every built-in scenario against real Linux
# sockets; needs root and network namespaces, and fails loudly without them),
# the engine tests again as WebAssembly under node, byte-identical traces
# native vs WASM, and the browser tests in headless Chromium. Every suite runs
# even if an earlier one failed; the last line counts them: "suites: N passed, M failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }

passed=0
failed=0
failures=()
suite() {
    local name=$1
    shift
    echo
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1))
        echo "=== $name: passed"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "=== $name: FAILED"
    fi
}

native_build() {
    cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null &&
        cmake --build build/native -j2
}

native_tests() { ctest --test-dir build/native --output-on-failure; }

lessons_check() { build/native/cli/finwave lessons check lessons; }

# The linux profile against the kernel this machine runs (about 70 s).
kernel_conformance() { bash tests/conformance/run-conformance.sh; }

wasm_build() {
    export NODE_PATH=/usr/share/nodejs
    [[ -f build/wasm-node/build.ninja ]] ||
        emcmake cmake -S . -B build/wasm-node -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build/wasm-node -j2 --target engine_tests trace_dump
}

wasm_tests() { ctest --test-dir build/wasm-node --output-on-failure -R engine_tests_wasm; }

# The engine must behave identically natively and in the browser: the full
# traces of every built-in scenario and of 600 random lossy runs, byte for byte.
same_traces() {
    local native wasm
    native=$(mktemp) wasm=$(mktemp)
    build/native/tests/engine/trace_dump >"$native" &&
        node build/wasm-node/tests/engine/trace_dump.js >"$wasm" || return 1
    if cmp -s "$native" "$wasm"; then
        echo "native and WASM traces are identical: $(wc -c <"$native") bytes, sha256 $(sha256sum <"$native" | cut -c1-16)"
        rm -f "$native" "$wasm"
    else
        echo "native and WASM traces differ:"
        diff <(head -c 2000000 "$native") <(head -c 2000000 "$wasm") | head -20
        return 1
    fi
}

web_build() { bash scripts/build-web.sh; }

# Every SCORM package's manifest against the SCORM 1.2 / 2004 XSDs.
scorm_manifests() { python3 tests/scorm/validate-manifests.py; }

browser_tests() { node --test tests/browser/; }

suite "native build" native_build
suite "engine and CLI tests (native)" native_tests
suite "lessons check" lessons_check
suite "kernel conformance (real Linux sockets)" kernel_conformance
suite "WASM build (node)" wasm_build
suite "engine tests (WASM under node)" wasm_tests
suite "native and WASM traces identical" same_traces
suite "web build" web_build
suite "SCORM manifests (xmllint, XSDs)" scorm_manifests
suite "browser tests (headless Chromium)" browser_tests

echo
if ((failed > 0)); then
    echo "failed suites: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
((failed == 0))
