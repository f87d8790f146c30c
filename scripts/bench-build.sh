# Sourced by the benchmark scripts: builds TARGET... as a Release program
# twice, natively (build/native) and as WebAssembly for node (build/wasm-node).
bench_build() {
    cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build/native -j2 --target "$@" >/dev/null
    [[ -f build/wasm-node/build.ninja ]] ||
        emcmake cmake -S . -B build/wasm-node -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build/wasm-node -j2 --target "$@" >/dev/null
}
