#!/usr/bin/python3
"""Publishes lessons into an already-built FinWave site, with no C++ or
WebAssembly build: the site's app is used as it is.

    scripts/publish-site.py LESSONS_DIR SITE_DIR [--finwave BIN] [--scorm OUT_DIR]

In order, stopping at the first step that fails:
  1. the lessons check: `finwave lessons check LESSONS_DIR`, the same
     program and messages (file:line) as a teacher runs by hand;
  2. LESSONS_DIR becomes the site's lessons/, and lessons/index.json, the
     list of lesson files the app loads, is written from it;
  3. the fonts: characters of the lessons that the site's font subset lacks
     are drawn from its fallback font (assets/fonts/finwave-fallback.ttf,
     fetched by the app only when needed); characters neither font has are
     named with their file and line;
  4. the offline cache's build id and service worker (scripts/stamp-offline.py),
     so that returning visitors get the new files (with the fallback font
     among the files kept offline when the lessons need it);
  5. FILE.gz and FILE.br beside each new or changed file, for a static host
     to send as they are;
  6. with --scorm, the SCORM packages (scripts/make-scorm.py).

The new site is assembled in a folder beside SITE_DIR and put in its place
only when every step has passed, so a failed publish leaves SITE_DIR as it
was. scripts/build-web.sh ends with this script (--no-check: the check needs
the native tool, which that build does not make), so the index and the
build id are written by this one implementation.

Runs with Debian's python3 (/usr/bin/python3): fontTools comes from the
python3-fonttools package.
"""
import argparse
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
# Copies of a file for the server (build-web.sh's levels, as nginx's
# gzip_static and brotli_static would send them).
COPIES = (".gz", ".br")
# Formats that are compressed already: a copy would be no smaller.
NOT_COMPRESSED = (".png", ".zip", ".woff2")


class PublishError(Exception):
    pass


def say(text):
    print(f"  {text}", flush=True)


def load_script(name):
    """A sibling script with a dash in its name, as a module."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_lesson_file(path):
    """lessons/<lang>/<name>.md, as the app and `finwave lessons check` read
    them: a two-letter language folder, a name of [A-Za-z0-9._-] (the app's
    loader refuses anything else), and a stem with a lower-case letter (a name
    in capitals, GLOSSARY.md, is a note for authors). The native readers
    (the command-line tool, the desktop app) share one C++ version of this
    rule: lesson_files() in course/src/lesson_folder.cpp."""
    lang, name = path.parent.name, path.name
    if len(lang) != 2 or not lang.isascii() or not lang.islower() or not lang.isalpha():
        return False
    if not name.endswith(".md") or not all(c.isascii() and (c.isalnum() or c in "._-") for c in name):
        return False
    return any("a" <= c <= "z" for c in name[:-3])


def lesson_files(lessons):
    return sorted(p.relative_to(lessons).as_posix() for p in lessons.glob("*/*.md") if p.is_file() and is_lesson_file(p))


def write_index(lessons):
    """lessons/index.json: {"files": [...]} of every lesson file, sorted."""
    files = lesson_files(lessons)
    (lessons / "index.json").write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")
    return files


def find_finwave(given):
    if given:
        candidates = [pathlib.Path(given)]
    else:
        env = os.environ.get("FINWAVE")
        candidates = [pathlib.Path(env)] if env else []
        candidates += [ROOT / "build" / "native" / "cli" / "finwave", ROOT / "build" / "check" / "cli" / "finwave"]
        on_path = shutil.which("finwave")
        if on_path:
            candidates.append(pathlib.Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise PublishError("no finwave command for the lessons check (looked at: "
                       + ", ".join(str(c) for c in candidates)
                       + "); build it with scripts/start.sh or give --finwave BIN")


def check_lessons(finwave, lessons):
    # The tool's own output, unchanged: the same messages as by hand.
    result = subprocess.run([str(finwave), "lessons", "check", str(lessons)], check=False)
    if result.returncode != 0:
        raise PublishError(f"the lessons check failed (exit {result.returncode}): fix the lines above")


def drawn(c):
    """A character that needs a glyph, by the app's own rule (web/shell_fonts.cpp):
    above ASCII, in the BMP, and not a space or joiner."""
    code = ord(c)
    if code < 0x80 or code > 0xFFFF or code == 0xFEFF:
        return False
    return not (code in (0x3000, 0x00A0) or 0x2000 <= code <= 0x200F or 0x2028 <= code <= 0x202F)


def font_characters(path):
    from fontTools.ttLib import TTFont
    font = TTFont(str(path), lazy=True)
    return {chr(code) for code in font.getBestCmap()}


def check_fonts(site, files):
    """Which characters of the lessons the subset lacks (the app fetches the
    fallback font for them) and which no font of the site has; True when the
    fallback font is needed."""
    fonts = site / "assets" / "fonts"
    subset_path, fallback_path = fonts / "finwave-ui.ttf", fonts / "finwave-fallback.ttf"
    if not subset_path.is_file():
        say(f"fonts: not checked: the site has no {subset_path.relative_to(site)}")
        return False
    try:
        subset = font_characters(subset_path)
    except ImportError:
        say("fonts: not checked: this python has no fontTools (Debian: python3-fonttools; run the script "
            "with /usr/bin/python3)")
        return True  # unknown: an LMS package keeps the fallback font to be safe
    fallback = font_characters(fallback_path) if fallback_path.is_file() else set()
    needs_fallback = set()
    nowhere = {}  # character -> first "file:line"
    for name in files:
        path = site / "lessons" / name
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for c in line:
                if not drawn(c) or c in subset:
                    continue
                if c in fallback:
                    needs_fallback.add(c)
                else:
                    nowhere.setdefault(c, f"lessons/{name}:{number}")
    if needs_fallback:
        say(f"fonts: {len(needs_fallback)} characters are not in the site's subset; the app draws them "
            f"from {fallback_path.relative_to(site)} (fetched once, then kept for offline use): "
            + "".join(sorted(needs_fallback)))
    for c, where in sorted(nowhere.items(), key=lambda item: item[1]):
        print(f"{where}: warning: no font of the site has {c} (U+{ord(c):04X}); the app shows it as '?' "
              "and names it in a notice", flush=True)
    if not needs_fallback and not nowhere:
        say("fonts: every character of the lessons is in the site's subset")
    return bool(needs_fallback or nowhere)


def compressible(path):
    return not path.name.endswith(COPIES) and not path.name.endswith(NOT_COMPRESSED)


def precompress(site, report=False):
    """FILE.gz and FILE.br beside every file that has neither (a changed file
    has lost its copies before this runs); a copy no smaller than its file is
    dropped. Copies whose file is gone are removed. With report, a size table."""
    brotli = shutil.which("brotli")
    if brotli is None:
        say("precompressed copies: no brotli command (Debian's brotli): .gz copies only")
    for copy in site.rglob("*"):
        if copy.name.endswith(COPIES) and not copy.with_suffix("").exists():
            copy.unlink()
    totals = [0, 0, 0]
    for path in sorted(p for p in site.rglob("*") if p.is_file() and not p.name.endswith(COPIES)):
        size = path.stat().st_size
        sizes = [size, size, size]
        if compressible(path):
            for index, (suffix, command) in enumerate(((".gz", ["gzip", "-9", "-n", "-k", "-f"]),
                                                       (".br", [brotli, "-q", "11", "-k", "-f"] if brotli else None)), 1):
                copy = path.with_name(path.name + suffix)
                if command and not copy.exists():
                    subprocess.run(command + [str(path)], check=True)
                    if copy.stat().st_size >= size:
                        copy.unlink()
                if copy.exists():
                    sizes[index] = copy.stat().st_size
        totals = [t + s for t, s in zip(totals, sizes)]
        if report:
            say(f"{path.relative_to(site).as_posix():<40} {sizes[0]:9d} B  {sizes[1]:9d} B gzip  {sizes[2]:9d} B brotli")
    if report:
        say(f"{'total':<40} {totals[0]:9d} B  {totals[1]:9d} B gzip  {totals[2]:9d} B brotli")


def drop_copies(path):
    for suffix in COPIES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def stage_lessons(lessons, stage):
    """The site's lessons/ replaced by LESSONS_DIR (its files only: the index
    is written afresh, no server copies)."""
    target = stage / "lessons"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(lessons, target, ignore=lambda _dir, names: [n for n in names if n.endswith(COPIES) or n == "index.json"])


def publish(args):
    lessons = args.lessons.resolve()
    site = args.site.resolve()
    if not lessons.is_dir():
        raise PublishError(f"no lessons folder '{args.lessons}'")
    if not (site / "index.html").is_file() or not (site / "sw.js").is_file():
        raise PublishError(f"'{args.site}' is not a built FinWave site (no index.html and sw.js): "
                           "build one with scripts/build-web.sh, or use a copy of its dist/")
    if site == lessons or site in lessons.parents:
        raise PublishError("the lessons folder must not be inside the site: it replaces the site's lessons/")
    if lessons in site.parents:
        raise PublishError("the site must not be inside the lessons folder: it would be copied into itself")

    if args.no_check:
        say("lessons check: skipped (--no-check)")
    else:
        check_lessons(find_finwave(args.finwave), lessons)

    before = set()
    old_index = site / "lessons" / "index.json"
    if old_index.is_file():
        try:
            before = set(json.loads(old_index.read_text(encoding="utf-8")).get("files", []))
        except (ValueError, AttributeError):
            say(f"{old_index.relative_to(site)}: not valid JSON: written afresh")

    stage = pathlib.Path(tempfile.mkdtemp(prefix=f".{site.name}.publish-", dir=site.parent))
    try:
        shutil.copytree(site, stage, dirs_exist_ok=True, symlinks=True)
        stage_lessons(lessons, stage)
        files = write_index(stage / "lessons")
        if not files:
            raise PublishError(f"no lesson files in '{args.lessons}' (expected <lang>/<name>.md)")
        added = sorted(set(files) - before) if before else []
        removed = sorted(before - set(files))
        say(f"lessons/index.json: {len(files)} lesson files"
            + (f"; new: {', '.join(added)}" if added else "") + (f"; removed: {', '.join(removed)}" if removed else ""))
        needs_fallback = check_fonts(stage, files)
        stamp = load_script("stamp-offline")
        stamp.stamp(stage, with_fallback_font=needs_fallback)
        for name in ("index.html", "sw.js"):
            drop_copies(stage / name)
        precompress(stage, report=args.sizes)
        # Into place: two renames, so a server of SITE_DIR sees the old
        # site or the new one, never a mixture.
        old = pathlib.Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
        old.rmdir()
        site.rename(old)
        stage.rename(site)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)

    if args.scorm:
        out = args.scorm.resolve()
        # Only the packages an earlier run wrote (a removed lesson's too),
        # nothing else a teacher keeps in that folder.
        for old_package in list(out.glob("finwave-*.zip")) + list(out.glob("lessons/finwave-*.zip")):
            old_package.unlink()
        # The packages leave the fallback font out unless these lessons need it.
        subprocess.run([sys.executable, str(SCRIPTS / "make-scorm.py"), str(site), "--out", str(out)]
                       + (["--fallback-font"] if needs_fallback else []), check=True)
    say(f"published {len(files)} lesson files to {args.site}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", type=pathlib.Path, help="the lessons: <lang>/<name>.md files (e.g. lessons/)")
    parser.add_argument("site", type=pathlib.Path, help="a built site (scripts/build-web.sh's dist/, or a copy)")
    parser.add_argument("--finwave", help="the finwave command for the lessons check "
                        "(default: $FINWAVE, build/native, build/check, then PATH)")
    parser.add_argument("--no-check", action="store_true", help="skip the lessons check (scripts/build-web.sh)")
    parser.add_argument("--scorm", type=pathlib.Path, help="also write the SCORM packages into this folder")
    parser.add_argument("--sizes", action="store_true", help="print every file's size, raw, gzip and brotli")
    args = parser.parse_args()
    try:
        publish(args)
    except PublishError as error:
        print(f"publish: {error}; {args.site} is unchanged", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
