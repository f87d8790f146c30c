#!/usr/bin/env python3
"""Packs the built site (dist/) as a SCORM 1.2 package that an LMS imports
as it is: one SCO (index.html, which finds the LMS's API itself, see
web/page/scorm.js) and an imsmanifest.xml that lists every file.

    scripts/make-scorm.py [DIST] [--output dist-scorm/finwave-scorm12.zip]

The example host page (examples/) is the embedding documentation's, not part
of the course, and is left out. The zip is reproducible: entries in a fixed
order with a fixed date.
"""
import argparse
import pathlib
import xml.etree.ElementTree as ET
import zipfile
from xml.sax.saxutils import escape, quoteattr

ROOT = pathlib.Path(__file__).resolve().parent.parent
LEFT_OUT = ("examples/",)
TITLE = "FinWave: TCP connection termination"
LAUNCH = "index.html"
FIXED_DATE = (2024, 1, 1, 0, 0, 0)


def manifest(files):
    listed = "\n".join(f"      <file href={quoteattr(name)}/>" for name in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="finwave-scorm12" version="1.0"
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
      <title>{escape(TITLE)}</title>
      <item identifier="finwave-item" identifierref="finwave-sco" isvisible="true">
        <title>{escape(TITLE)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="finwave-sco" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH}">
{listed}
    </resource>
  </resources>
</manifest>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", nargs="?", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--output", type=pathlib.Path, default=ROOT / "dist-scorm" / "finwave-scorm12.zip")
    args = parser.parse_args()

    dist = args.dist.resolve()
    # Not the precompressed copies beside each file (scripts/build-web.sh): an LMS serves the files as they are.
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and not p.name.endswith((".gz", ".br")))
    files = [f for f in files if not f.startswith(LEFT_OUT)]
    if LAUNCH not in files:
        raise SystemExit(f"make-scorm: no {LAUNCH} in {dist}; run scripts/build-web.sh first")
    text = manifest(files)
    ET.fromstring(text.encode("utf-8"))  # well-formed, or stop here

    args.output.parent.mkdir(parents=True, exist_ok=True)
    partial = args.output.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        # The manifest at the root of the package, first.
        for name, data in [("imsmanifest.xml", text.encode("utf-8"))] + [(f, (dist / f).read_bytes()) for f in files]:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    partial.replace(args.output)
    print(f"  SCORM 1.2 package: {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
          f" ({len(files)} files + imsmanifest.xml, {args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
