#!/usr/bin/python3
"""Builds the app's font: a subset of a Debian CJK font holding only the
characters FinWave can show (printable ASCII, assets/ui-chars.txt and every
character of the files under lessons/).

A full CJK font is 5-20 MB; the subset is what the browser downloads. It is
regenerated whenever a lesson changes, so new text never renders as boxes.

Runs with Debian's python3 (/usr/bin/python3): fontTools comes from the
python3-fonttools package, not from pip.
"""
import argparse
import pathlib
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

# WenQuanYi Micro Hei (fonts-wqy-microhei) rather than Noto Sans CJK SC
# (fonts-noto-cjk): measured on 1,500 random Hanzi, its TrueType outlines give
# a 404 KB subset, 227 KB gzipped, against Noto's CFF 417 KB, 356 KB gzipped
# (300 characters: 46/30 KB against 39/33 KB). Both render through
# stb_truetype; Noto stays usable with --font/--family.
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# A .ttc holds several fonts (here the proportional one and a Mono one; in
# Noto's, one per region with different glyph shapes): pick by name, not index.
DEFAULT_FAMILY = "WenQuanYi Micro Hei"


def font_number(path: pathlib.Path, family: str) -> int:
    """Index of `family` in a .ttc collection (0 for a plain .ttf/.otf)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    for index, font in enumerate(TTCollection(str(path)).fonts):
        if font["name"].getDebugName(1) == family:
            return index
    sys.exit(f"make-font-subset: no family {family!r} in {path}")


def gb2312_characters() -> set[str]:
    """Every character of GB 2312 (its 6763 Hanzi and 682 symbols), decoded
    from the standard's own code space by Python's gb2312 codec."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # an unassigned cell
    return chars


def wanted_characters(lessons: pathlib.Path, char_files: list[pathlib.Path], gb2312: bool = False) -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    if gb2312:
        chars |= gb2312_characters()
    for path in char_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                chars.update(line)
    if lessons.is_dir():
        for path in sorted(p for p in lessons.rglob("*") if p.is_file()):
            try:
                chars.update(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue  # images and other binary lesson assets carry no text
    # Layout characters are never drawn as glyphs.
    return {c for c in chars if c >= " " and c != "\x7f"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=pathlib.Path, required=True)
    parser.add_argument("--chars", type=pathlib.Path, action="append", default=[])
    parser.add_argument("--font", type=pathlib.Path, default=pathlib.Path(DEFAULT_FONT))
    parser.add_argument("--family", default=DEFAULT_FAMILY)
    parser.add_argument("--gb2312", action="store_true",
                        help="add every character of GB 2312 (the fallback for lessons added later)")
    parser.add_argument("--output", type=pathlib.Path, required=True)
    args = parser.parse_args()

    chars = wanted_characters(args.lessons, args.chars, args.gb2312)
    options = subset.Options()
    # stb_truetype (ImGui's rasterizer) ignores hinting and OpenType layout,
    # so both are dead weight in the download.
    options.hinting = False
    options.layout_features = []
    options.font_number = font_number(args.font, args.family)
    options.notdef_outline = True  # a missing character shows as a box, visibly
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: unused, and fontTools warns

    font = subset.load_font(str(args.font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(args.output), options)

    covered = set(TTFont(str(args.output)).getBestCmap())
    missing = sorted(c for c in chars if ord(c) not in covered and not c.isspace())
    if missing:
        # Not fatal: the text still shows, but with a placeholder box per character.
        print(f"make-font-subset: warning: the font lacks {''.join(missing)!r}", file=sys.stderr)
    print(f"make-font-subset: {len(chars)} characters, "
          f"{args.output.stat().st_size} bytes -> {args.output}")


if __name__ == "__main__":
    main()
