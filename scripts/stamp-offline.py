#!/usr/bin/env python3
"""Makes a built site (dist/) work offline: names the build after its content
and writes the service worker that keeps every file of it.

    scripts/stamp-offline.py [DIST] [--template web/page/sw.js]

Without --template the site's own sw.js is stamped again in place (its
BUILD and FILES lines, a template's or an earlier run's), so that a built
site needs nothing of the source tree (scripts/publish-site.py).

The build id is a hash of every file of the site (their paths and bytes), so
that the same sources give the same id and any change gives a new one. It
goes into index.html (<meta name="finwave-build">, reported to hosts), into
sw.js with the list of files to keep. Running it again on a site that
changed (a test does) gives the site a new id and a new sw.js; the browser
then replaces the old build's cache (see web/page/sw.js).
"""
import argparse
import hashlib
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
META = re.compile(r'(<meta name="finwave-build" content=")[^"]*(")')
# Not kept by the service worker at install: itself (it says which build is
# on the server now, so it must come from it), and the fallback font, which
# only a lesson outside the shipped ones needs: the worker keeps it once the
# app has fetched it (web/page/sw.js).
# A site whose lessons do need the fallback font (lessons published after
# the build: scripts/publish-site.py says so) keeps it at install like any
# other file, or it would be gone offline once a new build takes over.
FALLBACK_FONT = "assets/fonts/finwave-fallback.ttf"
NOT_CACHED = {"sw.js", FALLBACK_FONT}
# The precompressed copies beside each file (scripts/build-web.sh) are the
# same bytes for the server to send; the worker keeps what the page asks for.
COPIES = (".gz", ".br")


def site_files(dist, with_fallback_font=False):
    skipped = NOT_CACHED - {FALLBACK_FONT} if with_fallback_font else NOT_CACHED
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")
                  if p.is_file() and p.relative_to(dist).as_posix() not in skipped and not p.name.endswith(COPIES))


def build_id(dist, files):
    digest = hashlib.sha256()
    for name in files:
        data = (dist / name).read_bytes()
        if name == "index.html":
            # The id written by an earlier run is not content.
            data = META.sub(r"\1\2", data.decode("utf-8")).encode("utf-8")
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


# The two lines of sw.js that each build fills in: in the template
# ('@FINWAVE_BUILD@', ['@FINWAVE_FILES@']) or as an earlier run wrote them.
WORKER_LINES = {
    "BUILD": re.compile(r"^const BUILD = .*;$", re.M),
    "FILES": re.compile(r"^const FILES = .*;$", re.M),
}


def stamp(dist, template=None, with_fallback_font=False):
    """Writes the build id into index.html and sw.js; returns the id."""
    dist = pathlib.Path(dist).resolve()
    template = pathlib.Path(template) if template else dist / "sw.js"
    index = dist / "index.html"
    page = index.read_text(encoding="utf-8")
    if not META.search(page):
        raise SystemExit(f"stamp-offline: {index} has no <meta name=\"finwave-build\">")
    worker = template.read_text(encoding="utf-8")
    for name, line in WORKER_LINES.items():
        if not line.search(worker):
            raise SystemExit(f"stamp-offline: {template} has no line 'const {name} = ...;'")
    files = site_files(dist, with_fallback_font)
    build = build_id(dist, files)
    index.write_text(META.sub(lambda m: m.group(1) + build + m.group(2), page), encoding="utf-8")
    worker = WORKER_LINES["BUILD"].sub(lambda _: f"const BUILD = {json.dumps(build)};", worker)
    worker = WORKER_LINES["FILES"].sub(lambda _: f"const FILES = {json.dumps(files)};", worker)
    (dist / "sw.js").write_text(worker, encoding="utf-8")
    (dist / "build.json").unlink(missing_ok=True)  # written by earlier versions; nothing reads it now
    print(f"  offline: build {build}, {len(files)} files kept by sw.js")
    return build


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--template", type=pathlib.Path, help="the worker to fill in (default: DIST/sw.js itself)")
    parser.add_argument("--with-fallback-font", action="store_true", help=f"keep {FALLBACK_FONT} at install too")
    args = parser.parse_args()
    stamp(args.dist, args.template, args.with_fallback_font)


if __name__ == "__main__":
    main()
