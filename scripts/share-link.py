#!/usr/bin/python3
"""Makes a share link: one lesson file, compressed into the URL's fragment,
so that opening the link shows exactly that lesson. Nothing of the lesson is
sent to any server: a browser never sends the fragment.

    scripts/share-link.py FILE.md [--site URL] [--finwave BIN | --no-check]

The link is SITE#share=1.LANG.DATA: format 1, the lesson's language (its
folder's name: en, zh), and the file's UTF-8 bytes compressed in the zlib
format (RFC 1950: DEFLATE with an Adler-32 checksum, so that a damaged link
is found out rather than read as another lesson; the browser's
DecompressionStream('deflate') checks it) in base64url without padding.
To share one scenario with its questions, share a lesson of one step.

The file is checked first (`finwave lessons check FILE`). The link's length
is printed: links up to 2,000 characters pass through mail and chat tools
intact; longer ones may be cut by some, and above MAX_LINK the file itself
(.md) is the thing to send (lessons/README.md, "Share links").
"""
import argparse
import base64
import pathlib
import subprocess
import sys
import zlib

FORMAT = 1
LANGS = ("en", "zh")
# What a link carries at most: the app refuses more (web/page share reader),
# as a lesson that large is better sent as its file.
MAX_LESSON_BYTES = 256 * 1024
# Chromium opens links of up to 2 MB; the app reads up to this many characters.
MAX_LINK = 64 * 1024
SAFE_LINK = 2000


def encode(text_bytes):
    packed = zlib.compress(text_bytes, 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=pathlib.Path)
    parser.add_argument("--site", default="http://127.0.0.1:8080/", help="where the site is (default: scripts/serve.py's)")
    parser.add_argument("--finwave", default="finwave", help="the finwave command for the check")
    parser.add_argument("--no-check", action="store_true", help="no lessons check first")
    args = parser.parse_args()

    lang = args.file.resolve().parent.name
    if lang not in LANGS:
        sys.exit(f"share-link: {args.file}: the lesson's folder names its language ({', '.join(LANGS)}), not '{lang}'")
    try:
        data = args.file.read_bytes()
    except OSError as error:
        sys.exit(f"share-link: cannot read {args.file}: {error.strerror}")
    if len(data) > MAX_LESSON_BYTES:
        sys.exit(f"share-link: {args.file} is {len(data)} bytes; a link carries at most {MAX_LESSON_BYTES}: send the file")
    if not args.no_check:
        result = subprocess.run([args.finwave, "lessons", "check", str(args.file)], stdout=subprocess.PIPE, text=True)
        print(result.stdout, end="", file=sys.stderr)
        if result.returncode != 0:
            sys.exit("share-link: the lessons check failed: fix the lines above first")
    link = f"{args.site.split('#')[0]}#share={FORMAT}.{lang}.{encode(data)}"
    if len(link) > MAX_LINK:
        sys.exit(f"share-link: the link would be {len(link)} characters, more than the app reads ({MAX_LINK}): send the file")
    print(link)
    note = "" if len(link) <= SAFE_LINK else f"; above {SAFE_LINK}, some mail and chat tools cut links: check it arrives whole"
    print(f"share-link: {len(data)} bytes of lesson, a link of {len(link)} characters{note}", file=sys.stderr)


if __name__ == "__main__":
    main()
