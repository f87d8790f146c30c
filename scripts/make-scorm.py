#!/usr/bin/env python3
"""Packs the built site (dist/) as SCORM packages that an LMS imports as
they are: the whole course, and one package per lesson, each for SCORM 1.2
and for SCORM 2004 (4th edition).

    scripts/make-scorm.py [DIST] [--out dist-scorm] [--mastery 80]
                          [--lesson ID] [--mode quiz] [--question ID]

Each package holds one SCO (index.html, which finds the LMS's API itself,
see web/page/scorm.js) and a manifest that lists every file. The launch
parameters (the item's `parameters`: ?lesson=ID, and ?mode=quiz or
?question=ID when asked for) say what the SCO shows and what it scores.
The mastery score (SCORM 1.2 adlcp:masteryscore, SCORM 2004
imsss:minNormalizedMeasure, which the LMS hands to the SCO as
cmi.student_data.mastery_score / cmi.scaled_passing_score) turns the
score into passed or failed.

Written into OUT:
    finwave-scorm12.zip, finwave-scorm2004.zip          the whole course
    lessons/finwave-ID-scorm12.zip, ...-scorm2004.zip   one per lesson
With --lesson (and --mode / --question) only that one package pair, named
after what it holds, e.g. finwave-ID-quiz-scorm12.zip.

The example host page (examples/) is the embedding documentation's, not part
of the course, and is left out; so is the fallback font, which only a lesson
added after the build needs (a package's lessons are fixed: the subset has
every character of them). The zips are reproducible: entries in a fixed
order with a fixed date.
"""
import argparse
import json
import pathlib
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
from xml.sax.saxutils import escape, quoteattr

ROOT = pathlib.Path(__file__).resolve().parent.parent
LEFT_OUT = ("examples/", "assets/fonts/finwave-fallback.ttf")
COURSE_TITLE = "FinWave: TCP connection termination"
LAUNCH = "index.html"
FIXED_DATE = (2024, 1, 1, 0, 0, 0)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


def files_block(files):
    return "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)


def manifest12(ident, title, parameters, mastery, files):
    params = f" parameters={quoteattr(parameters)}" if parameters else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(ident)} version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="finwave-organization">
    <organization identifier="finwave-organization">
      <title>{escape(title)}</title>
      <item identifier="finwave-item" identifierref="finwave-sco" isvisible="true"{params}>
        <title>{escape(title)}</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="finwave-sco" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH}">
{files_block(files)}
    </resource>
  </resources>
</manifest>
"""


def manifest2004(ident, title, parameters, mastery, files):
    params = f" parameters={quoteattr(parameters)}" if parameters else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier={quoteattr(ident)} version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="finwave-organization">
    <organization identifier="finwave-organization">
      <title>{escape(title)}</title>
      <item identifier="finwave-item" identifierref="finwave-sco" isvisible="true"{params}>
        <title>{escape(title)}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="finwave-mastery" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{mastery / 100:g}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="finwave-sco" type="webcontent" adlcp:scormType="sco" href="{LAUNCH}">
{files_block(files)}
    </resource>
  </resources>
</manifest>
"""


def front_matter(path):
    """id and title of a lesson file, from its front matter."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not m:
        return None
    fields = dict(re.findall(r"^(\w+):\s*(.*?)\s*$", m.group(1), re.M))
    return fields if "id" in fields else None


def lessons_of(dist):
    """[(id, title)] of the English lessons (every lesson exists in English), in course order."""
    found = []
    for path in sorted((dist / "lessons" / "en").glob("*.md")):
        fields = front_matter(path)
        if fields is None:
            print(f"make-scorm: {path}: no front matter with an id; left out", file=sys.stderr)
            continue
        try:
            order = int(fields.get("order", "0"))
        except ValueError:
            order = 0
        found.append((order, fields["id"], fields.get("title", fields["id"])))
    return [(i, t) for _, i, t in sorted(found)]


def write_zip(output, manifest_text, dist, files):
    ET.fromstring(manifest_text.encode("utf-8"))  # well-formed, or stop here
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        # The manifest at the root of the package, first.
        entries = [("imsmanifest.xml", manifest_text.encode("utf-8"))] + [(f, (dist / f).read_bytes()) for f in files]
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    partial.replace(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "dist-scorm")
    parser.add_argument("--mastery", type=int, default=80, help="percent of the questions right to pass (default 80)")
    parser.add_argument("--lesson", help="only this lesson's packages")
    parser.add_argument("--mode", choices=["lesson", "quiz"], help="with --lesson: the questions only (quiz)")
    parser.add_argument("--question", help="one question alone (with or without --lesson)")
    parser.add_argument("--fallback-font", action="store_true",
                        help="keep the fallback font: lessons published after the build need it "
                             "(scripts/publish-site.py says when)")
    args = parser.parse_args()
    if not 0 <= args.mastery <= 100:
        parser.error("--mastery is a percentage from 0 to 100")
    for name, value in (("--lesson", args.lesson), ("--question", args.question)):
        if value is not None and not NAME.match(value):
            parser.error(f"{name} {value!r}: ids are letters, digits, '-' and '_'")

    dist = args.dist.resolve()
    # Not the precompressed copies beside each file (scripts/build-web.sh): an LMS serves the files as they are.
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and not p.name.endswith((".gz", ".br")))
    left_out = tuple(f for f in LEFT_OUT if not (args.fallback_font and f.endswith("-fallback.ttf")))
    files = [f for f in files if not f.startswith(left_out)]
    if LAUNCH not in files:
        raise SystemExit(f"make-scorm: no {LAUNCH} in {dist}; run scripts/build-web.sh first")
    lessons = lessons_of(dist)
    titles = dict(lessons)

    # (file stem, identifier, title, launch parameters)
    packages = []
    if args.lesson or args.question or args.mode:
        if args.lesson and args.lesson not in titles:
            raise SystemExit(f"make-scorm: no lesson {args.lesson!r} in {dist / 'lessons'} (there are: {', '.join(titles)})")
        if args.mode and not args.lesson:
            raise SystemExit("make-scorm: --mode needs --lesson")
        query = {}
        stem = "finwave"
        title = COURSE_TITLE
        if args.lesson:
            query["lesson"] = args.lesson
            stem += f"-{args.lesson}"
            title = titles[args.lesson]
        if args.mode == "quiz":
            query["mode"] = "quiz"
            stem += "-quiz"
            title += " (quiz)"
        if args.question:
            query["question"] = args.question
            stem += f"-{args.question}"
            title += f": {args.question}"
        packages.append((stem, stem, title, "?" + urllib.parse.urlencode(query)))
    else:
        packages.append(("finwave", "finwave-course", COURSE_TITLE, ""))
        for lesson, title in lessons:
            packages.append((f"lessons/finwave-{lesson}", f"finwave-{lesson}", title, f"?lesson={lesson}"))

    out = args.out
    for stem, ident, title, parameters in packages:
        for edition, make in (("scorm12", manifest12), ("scorm2004", manifest2004)):
            target = out / f"{stem}-{edition}.zip"
            write_zip(target, make(ident, title, parameters, args.mastery, files), dist, files)
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    print(f"  SCORM 1.2 and 2004 packages: {len(packages)} x 2 in {shown}/"
          f" ({len(files)} files + imsmanifest.xml each, mastery {args.mastery}%)")
    (out / "packages.json").write_text(json.dumps(
        [{"file": f"{stem}-{e}.zip", "title": title, "parameters": parameters, "standard": e}
         for stem, _, title, parameters in packages for e in ("scorm12", "scorm2004")], indent=1) + "\n")


if __name__ == "__main__":
    main()
