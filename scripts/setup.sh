#!/usr/bin/env bash
# Brings a fresh Debian 12 machine to the point where FinWave builds and tests,
# natively and for the web. Safe to re-run: every step checks first and is
# skipped when its result is already there, so a second run takes seconds.
#
# Steps: Debian packages -> deb-src entry -> imgui/libsdl2 source packages
# -> SDL2 built for WASM (cached) -> npm packages (playwright-core).
#
# Emscripten's own ports (-sUSE_SDL=2) download from the internet, which this
# project cannot reach; Debian's source packages are the offline replacement.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPS="$ROOT/build/deps"
SRC="$DEPS/src"
SDL2_PREFIX="$DEPS/sdl2-wasm"

# Another process may hold the dpkg lock (unattended upgrades, a parallel
# setup): wait for it rather than fail.
APT=(apt-get -o DPkg::Lock::Timeout=900)
SUDO=()
[[ $EUID -eq 0 ]] || SUDO=(sudo)

started=$SECONDS
log() { printf '[setup %3ds] %s\n' "$((SECONDS - started))" "$*"; }

PACKAGES=(
    # Native build of engine, CLI and tests.
    cmake ninja-build g++ pkg-config
    # A compiler cache: scripts/test.sh and scripts/start.sh compile through it,
    # so a second clone on the same machine (a CI run) reuses the objects.
    ccache
    doctest-dev nlohmann-json3-dev libmd4c-dev
    libsdl2-dev libimgui-dev
    # WASM build. node-acorn: Debian's emscripten needs it for its JS optimizer.
    emscripten node-acorn
    # Smaller and faster site: wasm-opt over the linked module, a JS
    # minifier, and brotli copies beside each file for the server.
    binaryen terser brotli
    # apt-get source / dpkg-source for the imgui and libsdl2 source packages.
    dpkg-dev
    # Font subset with Chinese glyphs for the app: WenQuanYi Micro Hei is the
    # one subset (see scripts/make-font-subset.py); Noto CJK the alternative.
    fonts-wqy-microhei fonts-noto-cjk python3-fonttools
    # Browser tests (Debian's chromium; no browser download ever).
    chromium
    # Real TCP on a private loopback, for comparison with the engine.
    nftables tcpdump iproute2
    # Captures: finwave run --pcap writes with libpcap; tshark reads them back in the tests.
    libpcap-dev tshark
    # The SCORM manifests checked against the standards' XSDs (xmllint).
    libxml2-utils
    # Fuzzing (fuzz/, scripts/fuzz.sh) and the sanitizer test build: clang
    # with libFuzzer, AddressSanitizer and UBSan.
    clang-16 libclang-rt-16-dev
    # The native desktop app's test: a virtual X display and a screenshot.
    xvfb xauth x11-apps imagemagick
    # Mesa's software OpenGL for that display (also pulled in through libgl1;
    # named because the test cannot draw without it).
    libgl1-mesa-dri
)

apt_updated=0
apt_update() {
    if [[ $apt_updated -eq 0 ]]; then
        log "apt-get update"
        "${SUDO[@]}" "${APT[@]}" -qq update
        apt_updated=1
    fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_packages() {
    local missing=() p
    for p in "$@"; do
        is_installed "$p" || missing+=("$p")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return
    fi
    apt_update
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" "${APT[@]}" -y -qq \
        --no-install-recommends install "${missing[@]}" >/dev/null
}

# --- Debian packages --------------------------------------------------------
install_packages "${PACKAGES[@]}"
# node and npm may come from elsewhere (e.g. a newer Node); only fall back to
# Debian's when there is none at all.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    install_packages nodejs npm
fi
log "packages ok"

# --- deb-src entry -------------------------------------------------------------
# apt-get source needs one; Debian's images ship only binary entries. Derive it
# from the existing entries so that it uses the same mirror and suites.
has_deb_src() {
    grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/
}
if ! has_deb_src; then
    log "adding a deb-src entry"
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            | "${SUDO[@]}" tee /etc/apt/sources.list.d/finwave-deb-src.sources >/dev/null
    else
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
            | "${SUDO[@]}" tee /etc/apt/sources.list.d/finwave-deb-src.list >/dev/null
    fi
    apt_updated=0
fi

# --- imgui, libsdl2 and md4c source packages--------------------------------------
# Unpacked into version-free folders (src/imgui, src/libsdl2) so that the CMake
# files need no version; src/<name>.version records what is there.
mkdir -p "$SRC"
source_version() {
    apt-cache showsrc --only-source "$1" 2>/dev/null \
        | awk '/^Version:/ {print $2}' | sort -V | tail -n 1 || true
}
fetch_source() {
    local name=$1 version
    # Empty until apt-get update has read the deb-src lists.
    version=$(source_version "$name")
    if [[ -z $version ]]; then
        apt_update
        version=$(source_version "$name")
    fi
    [[ -n $version ]] || { log "no source package $name in apt's lists"; exit 1; }
    if [[ -f "$SRC/$name.version" && $(<"$SRC/$name.version") == "$version" \
          && -d "$SRC/$name" ]]; then
        return
    fi
    log "fetching source package $name $version"
    (cd "$SRC" && "${APT[@]}" -qq source --download-only "$name=$version" >/dev/null 2>&1) \
        || { apt_update; (cd "$SRC" && "${APT[@]}" -qq source --download-only "$name=$version" >/dev/null); }
    rm -rf "${SRC:?}/$name"
    # --no-check: the signature is already checked by apt against the archive's
    # Release file; dpkg-source would only warn about a missing keyring.
    (cd "$SRC" && dpkg-source --no-check -x "${name}_${version#*:}.dsc" "$name" >/dev/null)
    printf '%s\n' "$version" >"$SRC/$name.version"
}
fetch_source imgui
fetch_source libsdl2
# The upstream release a source package is made from, without Debian's
# packaging (md4c's debian.tar.xz is missing from the archive mirror while
# its orig tarball is there; apt checks the tarball against the .dsc's sums).
fetch_orig_source() {
    local name=$1 version upstream tarball
    version=$(source_version "$name")
    [[ -n $version ]] || { apt_update; version=$(source_version "$name"); }
    [[ -n $version ]] || { log "no source package $name in apt's lists"; exit 1; }
    if [[ -f "$SRC/$name.version" && $(<"$SRC/$name.version") == "$version" && -d "$SRC/$name" ]]; then
        return
    fi
    log "fetching the upstream source of $name $version"
    (cd "$SRC" && "${APT[@]}" -qq source --download-only --tar-only "$name=$version" >/dev/null 2>&1) ||
        { apt_update; (cd "$SRC" && "${APT[@]}" -qq source --download-only --tar-only "$name=$version" >/dev/null); }
    upstream=${version#*:}
    upstream=${upstream%-*}
    tarball=$(ls "$SRC/${name}_${upstream}".orig.tar.* 2>/dev/null | head -n 1)
    [[ -n $tarball ]] || { log "no upstream tarball of $name was downloaded"; exit 1; }
    rm -rf "${SRC:?}/$name" && mkdir -p "$SRC/$name"
    tar -xf "$tarball" -C "$SRC/$name" --strip-components=1
    printf '%s\n' "$version" >"$SRC/$name.version"
}
# md4c, the Markdown parser: Debian's libmd4c-dev natively, this source for
# the WASM build and the fuzz build (web/model/CMakeLists.txt).
fetch_orig_source md4c
log "sources ok: imgui $(<"$SRC/imgui.version"), libsdl2 $(<"$SRC/libsdl2.version"), md4c $(<"$SRC/md4c.version")"

# --- SDL2 for WASM ---------------------------------------------------------------
# The stamp holds everything that changes the result (source, compiler, the
# options below); a mismatch rebuilds.
SDL2_OPTIONS=(-DCMAKE_BUILD_TYPE=MinSizeRel -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF)
sdl2_stamp_want="libsdl2 $(<"$SRC/libsdl2.version"); $(emcc --version | sed -n 1p); ${SDL2_OPTIONS[*]}"
# The build is kept outside the clone too, keyed by the stamp, so that
# another clone on this machine copies it instead of building it again.
SDL2_CACHE="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/finwave/sdl2-wasm-$(printf '%s' "$sdl2_stamp_want" | sha256sum | cut -c1-16)"
if [[ -f "$SDL2_PREFIX/finwave.stamp" \
      && $(<"$SDL2_PREFIX/finwave.stamp") == "$sdl2_stamp_want" ]]; then
    log "SDL2 for WASM ok (cached)"
elif [[ -f "$SDL2_CACHE/finwave.stamp" \
        && $(<"$SDL2_CACHE/finwave.stamp") == "$sdl2_stamp_want" ]]; then
    rm -rf "$SDL2_PREFIX"
    cp -a "$SDL2_CACHE" "$SDL2_PREFIX"
    log "SDL2 for WASM ok (copied from $SDL2_CACHE)"
else
    log "building SDL2 for WASM (a few minutes)"
    sdl2_build="$DEPS/sdl2-wasm-build"
    rm -rf "$sdl2_build" "$SDL2_PREFIX"
    # Debian's emscripten runs its JS optimizer under /usr/bin/node, which may
    # not be Debian's node: point it at Debian's acorn.
    export NODE_PATH=/usr/share/nodejs
    # MinSizeRel: the library ends up in a download, like the app (whose
    # measurements are in cmake/FinwaveWasm.cmake).
    emcmake cmake -S "$SRC/libsdl2" -B "$sdl2_build" -G Ninja \
        -DCMAKE_INSTALL_PREFIX="$SDL2_PREFIX" "${SDL2_OPTIONS[@]}" \
        >"$DEPS/sdl2-wasm-configure.log" 2>&1 \
        || { tail -n 30 "$DEPS/sdl2-wasm-configure.log"; exit 1; }
    cmake --build "$sdl2_build" -j2 >"$DEPS/sdl2-wasm-build.log" 2>&1 \
        || { tail -n 30 "$DEPS/sdl2-wasm-build.log"; exit 1; }
    cmake --install "$sdl2_build" >/dev/null
    printf '%s\n' "$sdl2_stamp_want" >"$SDL2_PREFIX/finwave.stamp"
    log "SDL2 for WASM built into ${SDL2_PREFIX#"$ROOT"/}"
    # Copied in whole under a temporary name, then renamed: a clone running
    # setup at the same time never sees half a copy. The cache is a
    # convenience; a machine where it cannot be written just builds again.
    if mkdir -p "${SDL2_CACHE%/*}" 2>/dev/null \
        && cp -a "$SDL2_PREFIX" "$SDL2_CACHE.tmp.$$" 2>/dev/null \
        && mv -T "$SDL2_CACHE.tmp.$$" "$SDL2_CACHE" 2>/dev/null; then
        log "SDL2 for WASM kept in $SDL2_CACHE"
    else
        rm -rf "$SDL2_CACHE.tmp.$$"
    fi
fi

# --- npm packages ------------------------------------------------------------------
# playwright-core only drives an installed browser; it downloads nothing itself.
# node_modules/.package-lock.json is npm's own record of what it installed:
# older than package-lock.json means stale.
cd "$ROOT"
if [[ ! -f node_modules/.package-lock.json \
      || package-lock.json -nt node_modules/.package-lock.json \
      || package.json -nt node_modules/.package-lock.json ]]; then
    log "npm install"
    if [[ -f package-lock.json ]]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        npm install --no-audit --no-fund --loglevel=error
    fi
    touch node_modules/.package-lock.json
fi
log "npm packages ok"
log "done"
