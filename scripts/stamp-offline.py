#!/usr/bin/env python3
"""Makes a built site (dist/) work offline: names the build after its content
and writes the service worker that keeps every file of it.

    scripts/stamp-offline.py [DIST] [--template web/page/sw.js]

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
NOT_CACHED = {"sw.js", "assets/fonts/finwave-fallback.ttf"}
# The precompressed copies beside each file (scripts/build-web.sh) are the
# same bytes for the server to send; the worker keeps what the page asks for.
COPIES = (".gz", ".br")


def site_files(dist):
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")
                  if p.is_file() and p.relative_to(dist).as_posix() not in NOT_CACHED and not p.name.endswith(COPIES))


def build_id(dist, files):
    digest = hashlib.sha256()
    for name in files:
        data = (dist / name).read_bytes()
        if name == "index.html":
            # The id written by an earlier run is not content.
            data = META.sub(r"\1\2", data.decode("utf-8")).encode("utf-8")
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--template", type=pathlib.Path, default=ROOT / "web" / "page" / "sw.js")
    args = parser.parse_args()

    dist = args.dist.resolve()
    index = dist / "index.html"
    page = index.read_text(encoding="utf-8")
    if not META.search(page):
        raise SystemExit(f"stamp-offline: {index} has no <meta name=\"finwave-build\">")
    files = site_files(dist)
    build = build_id(dist, files)
    index.write_text(META.sub(lambda m: m.group(1) + build + m.group(2), page), encoding="utf-8")

    template = args.template.read_text(encoding="utf-8")
    for placeholder in ("'@FINWAVE_BUILD@'", "['@FINWAVE_FILES@']"):
        if placeholder not in template:
            raise SystemExit(f"stamp-offline: {args.template} lacks {placeholder}")
    worker = template.replace("'@FINWAVE_BUILD@'", json.dumps(build))
    worker = worker.replace("['@FINWAVE_FILES@']", json.dumps(files))
    (dist / "sw.js").write_text(worker, encoding="utf-8")
    (dist / "build.json").unlink(missing_ok=True)  # written by earlier versions; nothing reads it now
    print(f"  offline: build {build}, {len(files)} files kept by sw.js")


if __name__ == "__main__":
    main()
