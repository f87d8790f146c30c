#!/usr/bin/env bash
# Lighthouse 12.2.3 (npm, package.json; later versions need Node 22) against
# the built site as scripts/serve.py serves it, in Debian's Chromium with
# software WebGL2. A benchmark, not a test: it prints the scores and where
# the full report is.
#
#   scripts/build-web.sh && scripts/lighthouse.sh [mobile|desktop]   (default mobile;
#   FINWAVE_DIST=DIR for another built site)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FORM=${1:-mobile}
OUT="$ROOT/build/lighthouse"
mkdir -p "$OUT"

log=$(mktemp)
python3 "$ROOT/scripts/serve.py" --dir "${FINWAVE_DIST:-$ROOT/dist}" --port 0 --quiet >"$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do
    url=$(grep -o 'http://[^ ]*/' "$log" || true)
    [[ -n $url ]] && break
    sleep 0.2
done
[[ -n $url ]] || { echo "lighthouse: serve.py did not start" >&2; exit 1; }

preset=()
[[ $FORM == desktop ]] && preset=(--preset=desktop)
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$ROOT/node_modules/.bin/lighthouse" "${url}?lesson=why-four-segments" \
    "${preset[@]}" --only-categories=performance,accessibility,best-practices --quiet \
    --chrome-flags="--headless=new --no-sandbox --use-gl=swiftshader --enable-unsafe-swiftshader" \
    --output=json --output=html --output-path="$OUT/$FORM"

node -e '
const r = require(process.argv[1]);
const a = (id) => r.audits[id].displayValue;
for (const [k, c] of Object.entries(r.categories)) console.log(`${c.title}: ${Math.round(c.score * 100)}`);
console.log(`FCP ${a("first-contentful-paint")}, LCP ${a("largest-contentful-paint")}, TBT ${a("total-blocking-time")}, CLS ${a("cumulative-layout-shift")}, SI ${a("speed-index")}`);
' "$OUT/$FORM.report.json"
echo "report: $OUT/$FORM.report.html"
