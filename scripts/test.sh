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
# native vs WASM, the browser tests in headless Chromium, and the sanitizer
# suites (the engine tests and every fuzz regression under AddressSanitizer +
# UBSan, every fuzz target for 20 s; scripts/fuzz.sh [SECONDS] runs longer).
# Every test suite runs even if an earlier one failed; a failed build stops
# the run, since what follows would test old binaries.
# Each suite prints its duration; the last line counts them and gives the
# whole run's: "suites: N passed, M failed, in X min Y s".
#
# Native tests run build/check: RelWithDebInfo with assertions on (the
# engine's invariant asserts, _GLIBCXX_ASSERTIONS). build/native stays the
# lean Release build of scripts/start.sh and scripts/bench.sh.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh || { echo "test: setup failed" >&2; exit 1; }
source scripts/compiler-cache.sh

passed=0
failed=0
failures=()
suite() {
    local name=$1
    shift
    echo
    echo "=== $name"
    last_failed=0
    local began=$SECONDS
    if "$@"; then
        passed=$((passed + 1))
        echo "=== $name: passed ($((SECONDS - began)) s)"
    else
        failed=$((failed + 1))
        failures+=("$name")
        last_failed=1
        echo "=== $name: FAILED ($((SECONDS - began)) s)"
    fi
}

# build NAME FUNCTION: a suite that the later ones rely on; if it fails,
# nothing more runs.
build() {
    suite "$@"
    if ((last_failed)); then
        echo
        echo "test: stopped: '$1' failed, and the suites after it would run old binaries"
        finish
    fi
}

finish() {
    echo
    if ((failed > 0)); then
        echo "failed suites: ${failures[*]}"
    fi
    echo "suites: $passed passed, $failed failed, in $((SECONDS / 60)) min $((SECONDS % 60)) s"
    ((failed == 0))
    exit
}

CHECK=build/check
native_build() {
    cmake -S . -B $CHECK -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFINWAVE_ASSERTIONS=ON >/dev/null &&
        cmake --build $CHECK -j2
}

native_tests() { ctest --test-dir $CHECK --output-on-failure; }

lessons_check() { $CHECK/cli/finwave lessons check lessons; }

# The linux profile against the kernel this machine runs (about 70 s).
kernel_conformance() { FINWAVE_BUILD_DIR=$CHECK bash tests/conformance/run-conformance.sh; }

# Busy-host workloads on real sockets against HostModel (about 15 s; root).
busy_kernel() { python3 tests/conformance/busy/compare-busy.py --finwave $CHECK/cli/finwave; }

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
    $CHECK/tests/engine/trace_dump >"$native" &&
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

# clang-16 with AddressSanitizer + UndefinedBehaviorSanitizer: the libFuzzer
# targets (fuzz/) and the unit tests of the engine, the course, the app
# model, the captures and the string tables (the libraries they test are
# compiled sanitized for the fuzz targets already).
SANITIZE=build/sanitize
sanitizer_build() {
    CC=clang-16 CXX=clang++-16 cmake -S . -B $SANITIZE -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DFINWAVE_FUZZ=ON -DFINWAVE_DESKTOP=OFF >/dev/null &&
        cmake --build $SANITIZE -j2 --target engine_tests course_tests web_model_tests capture_tests strings_tests \
            scenario_parser lesson_parser markdown url_params saved_progress host_command capture_readers
}

# The unit tests, and every input that once crashed a fuzz target.
sanitizer_tests() {
    ctest --test-dir $SANITIZE --output-on-failure \
        -R '^(engine_tests|course_tests|web_model_tests|capture_tests|strings_tests|fuzz_regressions_.*)$' &&
        node --test fuzz/js/regressions.test.mjs
}

# A short bounded run per target, so that a regression in a parser shows up
# in every test run; scripts/fuzz.sh 60 (or more) is the search for new ones.
fuzz_targets() { bash scripts/fuzz.sh 20; }

build "native build" native_build
suite "engine and CLI tests (native)" native_tests
suite "lessons check" lessons_check
suite "kernel conformance (real Linux sockets)" kernel_conformance
suite "busy-host kernel comparison (real Linux sockets)" busy_kernel
build "WASM build (node)" wasm_build
suite "engine tests (WASM under node)" wasm_tests
suite "native and WASM traces identical" same_traces
build "web build" web_build
suite "SCORM manifests (xmllint, XSDs)" scorm_manifests
suite "browser tests (headless Chromium)" browser_tests
build "sanitizer build (clang, ASan + UBSan)" sanitizer_build
suite "unit tests and fuzz regressions (ASan + UBSan)" sanitizer_tests
suite "fuzzing (20 s per target)" fuzz_targets

finish
