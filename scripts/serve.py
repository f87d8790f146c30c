#!/usr/bin/env python3
"""Serves the built site (dist/) on 127.0.0.1 for a browser or the tests.

    scripts/serve.py [--dir dist] [--port 8080]     (--port 0: any free port)

Prints one line with the URL once it listens. It serves what a good static
host serves, so that the figures of the README are what a visitor gets:
  - brotli or gzip when the browser accepts it: the precompressed FILE.br or
    FILE.gz beside a file when there is one (scripts/build-web.sh writes
    them, as nginx's brotli_static/gzip_static would serve them), else gzip
    made on the fly for text; never for what is compressed already (PNG);
  - correct types (.wasm as application/wasm: browsers refuse streaming
    compilation otherwise);
  - Cache-Control: file names that carry a content hash (name.0123abcd.ext)
    are kept for a year; every other file is revalidated on each use
    (ETag, 304), so that a rebuild is seen on reload. (After a first visit
    the site's service worker serves the build it keeps; a page then finds
    the rebuild by itself and offers a reload: docs/embedding.md, "Offline".)
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import pathlib
import re
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".zip": "application/zip",
}
# Formats that are compressed already: recompressing costs time and saves nothing.
PRECOMPRESSED_FORMATS = {".png", ".zip", ".woff2", ".br", ".gz"}
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.[A-Za-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def accepted_encodings(header):
    """The codings an Accept-Encoding header allows (q=0 refuses one)."""
    accepted = set()
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q=([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if name and q > 0:
            accepted.add(name.strip().lower())
    return accepted


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FinWave-serve"

    def do_HEAD(self):
        self.respond(send_body=False)

    def do_GET(self):
        self.respond(send_body=True)

    def resolve(self):
        """The file a request names inside the site, or None."""
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def respond(self, send_body):
        file = self.resolve()
        if file is None:
            self.send_plain(404, b"not found\n", send_body)
            return
        suffix = file.suffix.lower()
        body, encoding = self.pick_body(file, suffix)
        etag = '"%s%s"' % (self.server.digest(file), "-" + encoding if encoding else "")
        headers = {
            "Content-Type": MIME_TYPES.get(suffix, "application/octet-stream"),
            "Cache-Control": IMMUTABLE if HASHED_NAME.search(file.name) else REVALIDATE,
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(file.stat().st_mtime, usegmt=True),
        }
        if suffix not in PRECOMPRESSED_FORMATS:
            headers["Vary"] = "Accept-Encoding"
        if encoding:
            headers["Content-Encoding"] = encoding
        if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            self.send_response(304)
            for name, value in headers.items():
                if name not in ("Content-Type", "Content-Encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def pick_body(self, file, suffix):
        """The bytes to send and their Content-Encoding ('' for none)."""
        if suffix in PRECOMPRESSED_FORMATS:
            return file.read_bytes(), ""
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        for coding, ext in (("br", ".br"), ("gzip", ".gz")):
            sibling = file.with_name(file.name + ext)
            if coding in accepted and sibling.is_file() and sibling.stat().st_mtime >= file.stat().st_mtime:
                return sibling.read_bytes(), coding
        data = file.read_bytes()
        if "gzip" in accepted and len(data) > 256:
            packed = self.server.gzipped(file, data)
            if len(packed) < len(data):
                return packed, "gzip"
        return data, ""

    def send_plain(self, status, text, send_body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if send_body:
            self.wfile.write(text)

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, root, verbose):
        super().__init__(address, Handler)
        self.root = root
        self.verbose = verbose
        self._cache = {}

    def _entry(self, file):
        """Digest and on-the-fly gzip of a file, remembered until it changes."""
        stat = file.stat()
        key = (str(file), stat.st_mtime_ns, stat.st_size)
        entry = self._cache.get(key)
        if entry is None:
            entry = {"digest": hashlib.sha1(file.read_bytes()).hexdigest()[:16]}
            self._cache[key] = entry
        return entry

    def digest(self, file):
        return self._entry(file)["digest"]

    def gzipped(self, file, data):
        entry = self._entry(file)
        if "gzip" not in entry:
            entry["gzip"] = gzip.compress(data, compresslevel=9, mtime=0)
        return entry["gzip"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve FinWave's built site on localhost.")
    parser.add_argument("--dir", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--quiet", action="store_true", help="no line per request")
    args = parser.parse_args()

    if not (args.dir / "index.html").is_file():
        sys.exit(f"serve: no index.html in {args.dir}; run scripts/build-web.sh first")

    with Server((args.host, args.port), args.dir.resolve(), not args.quiet) as server:
        host, port = server.server_address[:2]
        print(f"FinWave at http://{host}:{port}/ (serving {args.dir})", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
