#!/usr/bin/env bash
# Sets up a fresh machine, builds everything (the finwave command-line tool,
# the desktop app and the browser app) and serves the app on http://127.0.0.1:8080/.
#
#   scripts/start.sh [--port N]
#
# Safe to re-run: setup and builds are incremental.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh
source scripts/compiler-cache.sh
echo "[start] building the engine and the finwave tool"
cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2
echo "[start] building the browser app"
bash scripts/build-web.sh
echo "[start] the command-line tool is build/native/cli/finwave (try: build/native/cli/finwave run four-way-close)"
echo "[start] the desktop app is build/native/web/desktop/finwave-desktop (run it from a graphical session)"
exec python3 scripts/serve.py --dir dist "$@"
