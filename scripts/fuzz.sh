#!/usr/bin/env bash
# Fuzzes every parser of outside input for SECONDS each (default 60): the
# libFuzzer targets of fuzz/ (clang-16, AddressSanitizer + UBSan, build
# folder build/sanitize) and the page's JavaScript parsers (fuzz/js/,
# fast-check). Prints the executions of each target; on a crash, where the
# input was written, and exits non-zero.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Corpora: the seeds in fuzz/corpus/<target>/ (and the repository's own
# scenarios and lessons) are read; what libFuzzer adds goes to
# build/fuzz-corpus/<target>/, so that the next run starts from there. A
# crashing input lands in build/fuzz-artifacts/<target>/: once fixed, copy it
# to fuzz/regressions/<target>/, where ctest replays it.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TIME=${1:-60}
shift || true
[[ $TIME =~ ^[0-9]+$ && $TIME -gt 0 ]] || { echo "fuzz.sh: SECONDS is a whole number above 0, not '$TIME'" >&2; exit 2; }
ALL=(scenario_parser lesson_parser markdown url_params saved_progress host_command capture_readers)
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL[@]}" page)

BUILD=build/sanitize
native=()
for t in "${TARGETS[@]}"; do
    [[ $t == page ]] && continue
    [[ " ${ALL[*]} " == *" $t "* ]] || { echo "fuzz.sh: no target '$t' (${ALL[*]} page)" >&2; exit 2; }
    native+=("$t")
done

if [[ ${#native[@]} -gt 0 ]]; then
    if [[ ! -f $BUILD/build.ninja ]]; then
        CC=clang-16 CXX=clang++-16 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DFINWAVE_FUZZ=ON -DFINWAVE_DESKTOP=OFF >/dev/null || { echo "fuzz.sh: configure failed" >&2; exit 1; }
    fi
    cmake --build "$BUILD" -j2 --target "${native[@]}" || { echo "fuzz.sh: the build failed: nothing fuzzed" >&2; exit 1; }
fi

# The repository's own inputs, read as seeds besides fuzz/corpus/<target>/.
seeds_of() {
    case $1 in
        scenario_parser) echo engine/scenarios ;;
        lesson_parser | markdown) echo lessons/en lessons/zh ;;
    esac
}

failed=0
for t in "${native[@]}"; do
    work=build/fuzz-corpus/$t artifacts=build/fuzz-artifacts/$t/ log=build/fuzz-artifacts/$t.log
    mkdir -p "$work" "$artifacts"
    # shellcheck disable=SC2046 # seeds_of prints folder names without spaces
    "$BUILD/fuzz/$t" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$artifacts" \
        "$work" "fuzz/corpus/$t" $(seeds_of "$t") >"$log" 2>&1
    rc=$?
    runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -n 1)
    if [[ $rc -eq 0 ]]; then
        printf '%-16s %9s executions in %ss, corpus %s inputs, no crash\n' "$t" "${runs:-?}" "$TIME" "$(find "$work" -type f | wc -l)"
    else
        failed=1
        echo "$t: FAILED (exit $rc) after ${runs:-?} executions; log $log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|engine invariant|.*does not|artifact_prefix|Test unit written)' "$log" | head -n 8 | sed 's/^/    /'
    fi
done

if [[ " ${TARGETS[*]} " == *" page "* ]]; then
    # Four properties of two parsers (SCORM suspend_data, postMessage): the
    # same time per parser as a native target.
    node fuzz/js/fuzz.mjs "$((2 * TIME))" || failed=1
fi
exit "$failed"
