#!/usr/bin/env python3
"""Serves the built site (dist/) on 127.0.0.1 for a browser or the tests.

    scripts/serve.py [--dir dist] [--port 8080]     (--port 0: any free port)

Prints one line with the URL once it listens. Unlike a bare
`python3 -m http.server`, it always sends .wasm as application/wasm (without
it browsers refuse streaming compilation) and asks browsers not to cache, so a
rebuild is seen on reload. (After a first visit the site's service worker
serves the build it keeps; a page then finds the rebuild by itself and offers
a reload: docs/embedding.md, "Offline".)
"""
import argparse
import functools
import http.server
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".zip": "application/zip",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    # Class attribute read by SimpleHTTPRequestHandler.guess_type; ours win
    # over the platform's mimetypes database, which differs between systems.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve FinWave's built site on localhost.")
    parser.add_argument("--dir", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--quiet", action="store_true", help="no line per request")
    args = parser.parse_args()

    if not (args.dir / "index.html").is_file():
        sys.exit(f"serve: no index.html in {args.dir}; run scripts/build-web.sh first")

    handler = functools.partial(Handler, directory=str(args.dir))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as server:
        server.verbose = not args.quiet
        host, port = server.server_address[:2]
        print(f"FinWave at http://{host}:{port}/ (serving {args.dir})", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
