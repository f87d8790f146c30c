#!/usr/bin/env bash
# Builds the browser app into build/wasm/ and assembles the site in dist/:
# index.html, finwave.js, finwave.wasm, assets/, the page's scripts, web
# manifest, icons and service worker (web/page/), and the example host page;
# then, through scripts/publish-site.py, a copy of lessons/ with
# lessons/index.json, the list of lesson files the app loads at run time
# (written from the folder, so a new lesson needs no code change); then the
# same site as SCORM 1.2 and 2004 packages in dist-scorm/ (the course, and
# one per lesson: scripts/make-scorm.py).
#
#   scripts/build-web.sh [Debug|Release|MinSizeRel]   (default MinSizeRel)
#
# Needs scripts/setup.sh to have run (it caches SDL2 for WASM and the ImGui
# source). Incremental: a second run rebuilds only what changed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$ROOT/build/wasm"
DIST="$ROOT/dist"
BUILD_TYPE=${1:-MinSizeRel}

started=$SECONDS
log() { printf '[build-web %3ds] %s\n' "$((SECONDS - started))" "$*"; }

if [[ ! -f "$ROOT/build/deps/sdl2-wasm/finwave.stamp" ]]; then
    echo "build-web: WASM dependencies missing; run scripts/setup.sh first" >&2
    exit 1
fi

# The whole project (its top-level CMakeLists adds web/ for Emscripten): the
# app links the engine.
source_dir=$ROOT
site="$BUILD/web/site"

# Also set per target by FinwaveWasm.cmake's link launcher; exported here for
# any compiler check CMake runs while configuring.
export NODE_PATH=/usr/share/nodejs

if [[ ! -f "$BUILD/build.ninja" ]] \
   || ! grep -qx "CMAKE_BUILD_TYPE:STRING=$BUILD_TYPE" "$BUILD/CMakeCache.txt"; then
    log "configuring ($BUILD_TYPE, ${source_dir#"$ROOT"/})"
    # BUILD_TESTING=OFF: the unit tests are a native build's job; this one
    # makes the site.
    mkdir -p "$BUILD"
    emcmake cmake -S "$source_dir" -B "$BUILD" -G Ninja \
        -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DBUILD_TESTING=OFF >"$BUILD/configure.log" 2>&1 \
        || { cat "$BUILD/configure.log"; exit 1; }
fi
log "building"
# The app and what it brings (engine, shell page, font); not the whole tree.
cmake --build "$BUILD" -j2 --target finwave_web

log "assembling dist/"
rm -rf "$DIST"
mkdir -p "$DIST"
cp -a "$site/." "$DIST/"
# The page around the app (web/page/: hosts, LMS, accessible view, offline),
# its icons, and the example host page of docs/embedding.md.
cp -a "$ROOT/web/page/." "$DIST/"
icons="$BUILD/icons"
if [[ ! -f "$icons/finwave-512.png" || "$ROOT/scripts/make-icons.py" -nt "$icons/finwave-512.png" ]]; then
    /usr/bin/python3 "$ROOT/scripts/make-icons.py" "$icons"
fi
mkdir -p "$DIST/icons" "$DIST/examples"
cp -a "$icons/." "$DIST/icons/"
cp "$ROOT/docs/examples/host.html" "$DIST/examples/host.html"
# Smaller files for the first visit (measured one by one: README, "Browser
# app speed"). Not in Debug builds, whose names and checks are the point.
if [[ $BUILD_TYPE != Debug ]]; then
    log "optimizing: wasm-opt -Oz, terser"
    wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
        "$DIST/finwave.wasm" -o "$DIST/finwave.wasm.opt"
    mv "$DIST/finwave.wasm.opt" "$DIST/finwave.wasm"
    # Debian's terser finds its modules only through NODE_PATH (set above).
    for js in "$DIST"/*.js; do
        [[ $(basename "$js") == sw.js ]] && continue  # a template: stamp-offline.py fills it in
        terser "$js" --compress --mangle --output "$js.min"
        mv "$js.min" "$js"
    done
fi

# The lessons (lessons/ and lessons/index.json), the font check, the build
# id and service worker, and FILE.gz and FILE.br beside every file that
# compresses: the same code as a teacher's publish into a built site. No
# lessons check here: it needs the native finwave tool (scripts/test.sh's
# "lessons check" suite runs it).
/usr/bin/python3 "$ROOT/scripts/publish-site.py" --no-check --sizes "$ROOT/lessons" "$DIST"

# The same site as SCORM packages for an LMS: the course and each lesson,
# SCORM 1.2 and 2004.
rm -rf "$ROOT/dist-scorm"
/usr/bin/python3 "$ROOT/scripts/make-scorm.py" "$DIST" --out "$ROOT/dist-scorm"
log "done: serve with scripts/serve.py"
